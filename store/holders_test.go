package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 16 item 1 ("one account per USCC, more users per holder when the
// holder asks"): a USCC registers itself once; a second self-registration
// of it is refused, whatever its user name, while an admin may add
// further users bound to the same USCC at the holder's request.
func TestHolderRegistersOnceAndAnAdminAddsItsUsers(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	const uscc = "51530181MJ0000002U"
	reg := store.HolderRegistration{USCC: uscc, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
	public := store.AccountChange{At: now, Actor: "lotus", Role: "public"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "lotus", PasswordHash: "x"}, reg, public, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "lotus2", PasswordHash: "x"}, reg, public, time.Time{}); !errors.Is(err, store.ErrHolderRegistered) {
		t.Errorf("a second self-registration of %s: %v, want ErrHolderRegistered", uscc, err)
	}
	admin := store.AccountChange{At: now, Actor: "admin", Role: "admin"}
	if _, err := st.CreateAccount(ctx, store.Account{Username: "lotus-finance", Role: "applicant", USCC: uscc, PasswordHash: "x"}, admin); err != nil {
		t.Fatalf("an admin adding a second user of the holder: %v", err)
	}
	accounts, err := st.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, a := range accounts {
		if a.USCC == uscc {
			users = append(users, a.Username)
		}
	}
	if len(users) != 2 {
		t.Errorf("the holder's users: %v, want lotus and lotus-finance", users)
	}
}

// RULES §6 (a USCC registered by someone else): a stranger who registered
// a unit's code first, its account disabled by the admin who opened the
// unit's, leaves nothing the unit is given — its contact person does not
// fill the unit's 推荐表 and its address is not where the unit's messages
// are mailed.
func TestADisabledStrangersRegistrationIsNotTheHolders(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	const uscc = "51530181MJ0000002U"
	reg := store.HolderRegistration{USCC: uscc, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "冒名者", ContactPhone: "13700006666"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "stranger", PasswordHash: "x"}, reg, store.AccountChange{At: now, Actor: "stranger", Role: "public"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.HolderRegistrationOf(ctx, uscc); err != nil || r.ContactName != "冒名者" {
		t.Fatalf("the registration while its account stands: %+v %v", r, err)
	}
	admin := store.AccountChange{At: now, Actor: "admin", Role: "admin"}
	if _, err := st.CreateAccount(ctx, store.Account{Username: "qinglong", Role: "applicant", USCC: uscc, PasswordHash: "x"}, admin); err != nil {
		t.Fatal(err)
	}
	if err := st.DisableAccount(ctx, "stranger", admin); err != nil {
		t.Fatal(err)
	}
	if r, err := st.HolderRegistrationOf(ctx, uscc); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the disabled stranger's registration is still the holder's: %+v %v", r, err)
	}
}

// 等保 2.0 身份鉴别: an admin ending a lock-out leaves the person's other
// signed-in sessions alone; disabling the account ends them.
func TestUnlockKeepsSessionsDisableEndsThem(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	admin := store.AccountChange{At: now, Actor: "admin", Role: "admin"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "songming", Role: "county_officer", County: "530127", PasswordHash: "x"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.NewSession(ctx, "office-pc", "", a.ID, store.SessionFull, "csrf", now, now.Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	live := func() bool {
		t.Helper()
		_, err := st.SessionByID(ctx, "office-pc", now.Add(time.Minute), 30*time.Minute)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	if err := st.UnlockAccount(ctx, "songming", admin); err != nil {
		t.Fatal(err)
	}
	if !live() {
		t.Error("an unlock ended the account's session")
	}
	if err := st.DisableAccount(ctx, "songming", admin); err != nil {
		t.Fatal(err)
	}
	if live() {
		t.Error("a disabled account's session is still live")
	}
}

// A USCC already on record — a brand brought over from the bureau's list,
// an application entered on the holder's behalf — is not self-registered:
// the account would read that holder's records, and a USCC is public. The
// bureau, which knows the holder, opens its account.
func TestAHolderOnRecordIsNotSelfRegistered(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	const uscc = "51530181MJ0000002U"
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type,
		unit_name, uscc, admitted_on, updated_at, name_key) VALUES ('B1', NULL, '安宁青龙蔬菜', 'active', '530181', 'planting_breeding',
		'regional', '安宁市青龙蔬菜产业协会', $1, '2024-05-10', now(), 'anningqinglong')`, uscc); err != nil {
		t.Fatal(err)
	}
	reg := store.HolderRegistration{USCC: uscc, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
	public := store.AccountChange{At: time.Now(), Actor: "someone", Role: "public"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "someone", PasswordHash: "x"}, reg, public, time.Time{}); !errors.Is(err, store.ErrHolderOnRecord) {
		t.Errorf("self-registering a USCC with a brand on record: %v, want ErrHolderOnRecord", err)
	}
	var accounts int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM accounts WHERE uscc = $1`, uscc).Scan(&accounts); err != nil || accounts != 0 {
		t.Errorf("%d accounts of the USCC (%v), want none", accounts, err)
	}
}

// registerWhenFree registers a holder under uscc in the background and
// fails the test if the registration is over within 300 ms: it must wait
// for whoever holds the code. Its result comes on the channel.
func registerWhenFree(t *testing.T, st *store.Store, uscc string) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		reg := store.HolderRegistration{USCC: uscc, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
		_, err := st.RegisterHolder(context.Background(), store.Account{Username: "someone", PasswordHash: "x"}, reg,
			store.AccountChange{At: time.Now(), Actor: "someone", Role: "public"}, time.Time{})
		done <- err
	}()
	select {
	case err := <-done:
		t.Errorf("the registration did not wait for the code's holder: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	return done
}

// brandUnder writes a brand of the holder uscc, through q (a transaction
// or the pool).
func brandUnder(t *testing.T, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, uscc string) {
	t.Helper()
	if _, err := q.Exec(context.Background(), `INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type,
		unit_name, uscc, admitted_on, updated_at, name_key) VALUES ('B1', NULL, '安宁青龙蔬菜', 'active', '530181', 'planting_breeding',
		'regional', '安宁市青龙蔬菜产业协会', $1, '2024-05-10', now(), 'anningqinglong')`, uscc); err != nil {
		t.Error(err)
	}
}

// RULES §6: a self-registration and the city's entry for the same code
// are decided one after the other — a registration waits while another
// transaction holds the code, and then sees what it committed.
func TestASelfRegistrationWaitsForTheCitysEntryOfItsCode(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	const uscc = "51530181MJ0000002U"
	tx, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('holder-code:' || $1, 0))`, uscc); err != nil {
		t.Fatal(err)
	}
	done := registerWhenFree(t, st, uscc)
	brandUnder(t, tx, uscc)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, store.ErrHolderOnRecord) {
		t.Errorf("the registration after the code's record committed: %v, want ErrHolderOnRecord", err)
	}
}

// RULES §6: a city's approval of a change of a brand's holder to a code
// holds the code from its check to its write; a self-registration under
// the code waits for it, and then finds the brand.
func TestASelfRegistrationWaitsForAHolderChangeToItsCode(t *testing.T) {
	st := testenv.Store(t)
	const uscc = "51530181MJ0000002U"
	release, err := st.HoldHolderCode(context.Background(), uscc)
	if err != nil {
		t.Fatal(err)
	}
	done := registerWhenFree(t, st, uscc)
	brandUnder(t, st.Pool(), uscc) // the approval's write
	release()
	if err := <-done; !errors.Is(err, store.ErrHolderOnRecord) {
		t.Errorf("the registration after the approval's write: %v, want ErrHolderOnRecord", err)
	}
}

// RULES §6: no self-registration is made while an import holds the library
// — it checked its codes for registrations before its brands' processes
// write them —; the console asks to send it again shortly.
func TestNoSelfRegistrationWhileAnImportHoldsTheLibrary(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	release, ok, err := st.LockImport(ctx)
	if err != nil || !ok {
		t.Fatalf("LockImport = %v, %v", ok, err)
	}
	reg := store.HolderRegistration{USCC: "51530181MJ0000002U", UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
	by := store.AccountChange{At: time.Now(), Actor: "someone", Role: "public"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "someone", PasswordHash: "x"}, reg, by, time.Time{}); !errors.Is(err, store.ErrImportInProgress) {
		t.Errorf("a registration during an import: %v, want ErrImportInProgress", err)
	}
	release()
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "someone", PasswordHash: "x"}, reg, by, time.Time{}); err != nil {
		t.Errorf("the registration after the import: %v", err)
	}
}

// RULES §6 (accounts): a user name is one name whatever the case of its
// letters — "Lotus" is refused beside "lotus", by registration and by an
// administrator alike, and signing in as "LOTUS" finds lotus's account.
func TestAUserNameIsOneNameWhateverItsCase(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	reg := store.HolderRegistration{USCC: "51530181MJ0000002U", UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "lotus", PasswordHash: "x"}, reg, store.AccountChange{At: now, Actor: "lotus", Role: "public"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	other := store.HolderRegistration{USCC: "91530181MA6K0009XD", UnitName: "安宁市另一协会", ContactName: "李四", ContactPhone: "13700006666"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "Lotus", PasswordHash: "x"}, other, store.AccountChange{At: now, Actor: "Lotus", Role: "public"}, time.Time{}); !errors.Is(err, store.ErrAccountExists) {
		t.Errorf("registering Lotus beside lotus: %v, want ErrAccountExists", err)
	}
	admin := store.AccountChange{At: now, Actor: "admin", Role: "admin"}
	if _, err := st.CreateAccount(ctx, store.Account{Username: "LOTUS", Role: "county_officer", County: "530181", PasswordHash: "x"}, admin); !errors.Is(err, store.ErrAccountExists) {
		t.Errorf("an administrator creating LOTUS beside lotus: %v, want ErrAccountExists", err)
	}
	if a, err := st.AccountByUsername(ctx, "LoTuS"); err != nil || a.Username != "lotus" {
		t.Errorf("signing in as LoTuS: %q %v, want lotus's account", a.Username, err)
	}
	// An administrator's change finds the account the same way.
	if err := st.DisableAccount(ctx, "LOTUS", admin); err != nil {
		t.Errorf("disabling LOTUS: %v", err)
	}
	if a, _ := st.AccountByUsername(ctx, "lotus"); !a.Disabled {
		t.Error("lotus is not disabled after disabling LOTUS")
	}
}

// RULES §6, decision (a USCC registered by someone else): the holder's
// identity is checked at 初审, so the view tells the reviewing officer when
// the account that submitted is the one the holder registered itself —
// whatever the case of its name — and not when an admin opened the
// account. The city does not enter an application for a code someone
// registered under (RULES §6): refused by the store too, under the code's
// lock, for a registration committed after the API's check.
func TestTheViewSaysWhenTheSubmitterRegisteredItself(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	const uscc = "51530181MJ0000002U"
	reg := store.HolderRegistration{USCC: uscc, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青", ContactPhone: "13700005555"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "lotus", PasswordHash: "x"}, reg, store.AccountChange{At: now, Actor: "lotus", Role: "public"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAccount(ctx, store.Account{Username: "lotus-finance", Role: "applicant", USCC: uscc, PasswordHash: "x"},
		store.AccountChange{At: now, Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-11-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, by, role string
		want         bool
	}{
		{"A1", "Lotus", "applicant", true},
		{"A2", "lotus-finance", "applicant", false},
		{"A3", "city-taskforce", "city_officer", false},
	} {
		if err := st.CreateApplication(ctx, store.NewApplication{ID: c.id, RoundID: "R1", BrandName: "安宁青龙蔬菜" + c.id,
			BrandType: "regional", Category: "planting_breeding", CountyCode: "530181", UnitName: reg.UnitName, USCC: uscc,
			Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: c.by, SubmittedRole: c.role,
			OnBehalf: c.role == "city_officer", ProcessInput: map[string]any{}}); c.role == "city_officer" {
			if !errors.Is(err, store.ErrHolderSelfRegistered) {
				t.Errorf("the city's entry for a self-registered code: %v, want ErrHolderSelfRegistered", err)
			}
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		v, err := st.GetApplicationView(ctx, c.id, store.ViewOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if v.BySelfRegistered != c.want {
			t.Errorf("submitted by %s: by_self_registered %v, want %v", c.by, v.BySelfRegistered, c.want)
		}
		// Closed, so that the holder may apply again (one open application).
		if _, err := st.Pool().Exec(ctx, `UPDATE applications SET stage = 'rejected' WHERE id = $1`, c.id); err != nil {
			t.Fatal(err)
		}
	}
}

// Bounded (RULES §3; holders register themselves by the ten thousand): the
// admin's list of accounts reads a page at a time — by user name, filtered
// by role and by a name's start, any case, its wildcards taken as typed —
// and says when more follow.
func TestAccountsAreListedAPageAtATime(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	by := store.AccountChange{At: time.Now(), Actor: "admin", Role: "admin"}
	for _, a := range []store.Account{{Username: "anning", Role: "county_officer", County: "530181"},
		{Username: "an_x", Role: "county_officer", County: "530182"}, {Username: "anzz", Role: "supervisor"},
		{Username: "Rose-1", Role: "applicant", USCC: "51530181MJ0000001U"}, {Username: "rose-2", Role: "applicant", USCC: "51530181MJ0000002U"},
		{Username: "rose-3", Role: "applicant", USCC: "51530181MJ0000003U"}} {
		a.PasswordHash = "x"
		if _, err := st.CreateAccount(ctx, a, by); err != nil {
			t.Fatal(err)
		}
	}
	names := func(f store.AccountFilter) (string, bool) {
		t.Helper()
		list, more, err := st.AccountsPage(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range list {
			out = append(out, a.Username)
		}
		return strings.Join(out, ","), more
	}
	if got, more := names(store.AccountFilter{Role: "applicant", Limit: 2}); got != "Rose-1,rose-2" || !more {
		t.Errorf("the first page of holders: %s (more %v), want Rose-1,rose-2 and more", got, more)
	}
	if got, more := names(store.AccountFilter{Role: "applicant", After: "rose-2", Limit: 2}); got != "rose-3" || more {
		t.Errorf("the next page: %s (more %v), want rose-3 and no more", got, more)
	}
	if got, _ := names(store.AccountFilter{NamePrefix: "ROSE", Limit: 10}); got != "Rose-1,rose-2,rose-3" {
		t.Errorf("names beginning ROSE: %s, want the three holders", got)
	}
	if got, _ := names(store.AccountFilter{NamePrefix: "an_", Limit: 10}); got != "an_x" {
		t.Errorf("names beginning an_ (its _ as typed): %s, want an_x only", got)
	}
}
