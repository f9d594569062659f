package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 16 item 1 (e-mail confirmation where a channel is configured): a
// holder's confirmation link is good once, until it expires and for the
// address it was mailed to; it is mailed at most once a gap and a few
// times a day; a corrected address replaces the registered one; confirming
// and every sending are audited.
func TestHolderConfirmationLinkIsSingleUseExpiresAndIsRateLimited(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	a, err := st.RegisterHolder(ctx, store.Account{Username: "lotus", PasswordHash: "x"},
		store.HolderRegistration{USCC: "51530181MJ0000001U", UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青",
			ContactPhone: "13700005555", ContactEmail: "zhou@example.cn"},
		store.AccountChange{At: now, Actor: "lotus", Role: "public"}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if r, pending, err := st.PendingConfirmation(ctx, a.ID); err != nil || !pending || r.ContactEmail != "zhou@example.cn" {
		t.Fatalf("after registering: pending %v, %+v, %v", pending, r, err)
	}
	limit := store.ConfirmationLimit{Gap: time.Minute, PerDay: 3}
	by := func(at time.Time) store.AccountChange {
		return store.AccountChange{At: at, Actor: "lotus", Role: "applicant"}
	}
	send := func(address, token string, at time.Time) error {
		return st.NewConfirmation(ctx, "51530181MJ0000001U", address, token, 24*time.Hour, limit, by(at))
	}
	if err := send("zhou@example.cn", "to-old-address", now); err != nil {
		t.Fatal(err)
	}
	var refused *store.ConfirmationRefused
	if err := send("zhou@example.cn", "too-soon", now.Add(30*time.Second)); !errors.As(err, &refused) || refused.Daily || refused.Wait != 30*time.Second {
		t.Errorf("a second link 30 s later: %v, want refused for 30 s", err)
	}
	// The registrant corrects its address: the link mailed to the old one
	// confirms nothing.
	if err := send("lotus@example.cn", "second", now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ConfirmHolder(ctx, "to-old-address", now.Add(3*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a link to the old address: %v, want ErrNotFound", err)
	}
	if err := send("lotus@example.cn", "third", now.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// An expired link confirms nothing.
	if _, err := st.ConfirmHolder(ctx, "third", now.Add(4*time.Minute+24*time.Hour+time.Second)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired link: %v, want ErrNotFound", err)
	}
	if err := send("lotus@example.cn", "fourth", now.Add(6*time.Minute)); !errors.As(err, &refused) || !refused.Daily ||
		refused.Wait != 24*time.Hour-6*time.Minute {
		t.Errorf("a fourth link the same day: %v, want refused until a day after the first", err)
	}
	if r, _, _ := st.PendingConfirmation(ctx, a.ID); r.ContactEmail != "lotus@example.cn" {
		t.Errorf("the corrected address is not kept: %q", r.ContactEmail)
	}
	if _, err := st.ConfirmHolder(ctx, "not-a-token", now.Add(7*time.Minute)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown link: %v", err)
	}
	if u, err := st.ConfirmHolder(ctx, "second", now.Add(7*time.Minute)); err != nil || u != "lotus" {
		t.Fatalf("confirming: %q, %v", u, err)
	}
	if _, pending, _ := st.PendingConfirmation(ctx, a.ID); pending {
		t.Error("still pending after confirming")
	}
	// Once: neither the same link nor another one sent before works again.
	for _, token := range []string{"second", "third"} {
		if _, err := st.ConfirmHolder(ctx, token, now.Add(8*time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("link %s after confirming: %v, want ErrNotFound", token, err)
		}
	}
	if err := send("lotus@example.cn", "late", now.Add(2*time.Hour)); !errors.Is(err, store.ErrConfirmed) {
		t.Errorf("a link after confirming: %v, want ErrConfirmed", err)
	}
	var sent, confirmed int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'account.confirmation_sent'),
		count(*) FILTER (WHERE action = 'account.confirm') FROM audit_log WHERE object_id = 'lotus'`).Scan(&sent, &confirmed); err != nil {
		t.Fatal(err)
	}
	if sent != 3 || confirmed != 1 {
		t.Errorf("audited %d sendings and %d confirmations, want 3 and 1", sent, confirmed)
	}
	// Spent, not gone: kept until a day old for the per-address count.
	var tokens int
	st.Pool().QueryRow(ctx, `SELECT count(*) FROM holder_confirmations WHERE expires_at > $1`, now.Add(7*time.Minute)).Scan(&tokens)
	if tokens != 0 {
		t.Errorf("%d links still good after confirming", tokens)
	}
}

// RULES §6 (a registration never confirmed): a unit's code registered with
// an address whose link nobody opened holds the code only while a link can
// still confirm it; past that, the next registration of the code releases
// it — its account and registration go, audited — and is made. A
// confirmed registration, or one an admin disabled, is never released.
func TestAnUnconfirmedRegistrationGivesWayOnceItsLinksHaveLapsed(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	const code = "51530181MJ0000001U"
	reg := store.HolderRegistration{USCC: code, UnitName: "安宁市青龙蔬菜产业协会", ContactName: "周青",
		ContactPhone: "13700005555", ContactEmail: "mistyped@example.cn"}
	if _, err := st.RegisterHolder(ctx, store.Account{Username: "first-try", PasswordHash: "x"}, reg,
		store.AccountChange{At: now, Actor: "first-try", Role: "public"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := st.NewConfirmation(ctx, code, reg.ContactEmail, "the-link", 24*time.Hour, store.ConfirmationLimit{},
		store.AccountChange{At: now, Actor: "first-try", Role: "applicant"}); err != nil {
		t.Fatal(err)
	}
	// register registers the code as username at at; it reports whether
	// holder's account is gone after.
	register := func(username string, at time.Time, holder string) (bool, error) {
		by := store.AccountChange{At: at, Actor: username, Role: "public"}
		_, err := st.RegisterHolder(ctx, store.Account{Username: username, PasswordHash: "x"}, reg, by, at.Add(-24*time.Hour))
		_, gone := st.AccountByUsername(ctx, holder)
		return errors.Is(gone, store.ErrNotFound), err
	}
	if released, err := register("second-try", now.Add(23*time.Hour), "first-try"); released || !errors.Is(err, store.ErrHolderRegistered) {
		t.Errorf("while the link is live: released %v, %v; want kept and ErrHolderRegistered", released, err)
	}
	// A registration refused (its user name taken) releases nothing.
	if _, err := st.CreateAccount(ctx, store.Account{Username: "taken-name", Role: "expert", ExpertID: "EXP09", PasswordHash: "x"},
		store.AccountChange{At: now, Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if released, err := register("taken-name", now.Add(25*time.Hour), "first-try"); released || !errors.Is(err, store.ErrAccountExists) {
		t.Errorf("a registration refused for its user name: released %v, %v; want kept and ErrAccountExists", released, err)
	}
	if released, err := register("second-try", now.Add(25*time.Hour), "first-try"); !released || err != nil {
		t.Fatalf("after the link lapsed: released %v, %v; want released and registered", released, err)
	}
	if _, err := st.AccountByUsername(ctx, "first-try"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the lapsed registration's account: %v, want gone", err)
	}
	var audited int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'account.registration_lapsed'
		AND object_id = 'first-try' AND actor = 'second-try'`).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("the release's audit rows: %d (%v), want 1", audited, err)
	}
	// Confirmed (no relay: at once), the second registration holds the code.
	if _, err := st.Pool().Exec(ctx, `UPDATE holder_registrations SET confirmed_at = registered_at WHERE uscc = $1`, code); err != nil {
		t.Fatal(err)
	}
	if released, err := register("third-try", now.Add(30*24*time.Hour), "second-try"); released || !errors.Is(err, store.ErrHolderRegistered) {
		t.Errorf("a confirmed registration: released %v, %v; want kept", released, err)
	}
	// Unconfirmed but moved by an admin to another role: the admin's.
	if _, err := st.Pool().Exec(ctx, `UPDATE holder_registrations SET confirmed_at = NULL WHERE uscc = $1`, code); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE accounts SET role = 'supervisor', uscc = '' WHERE username = 'second-try'`); err != nil {
		t.Fatal(err)
	}
	if released, _ := register("fifth-try", now.Add(31*24*time.Hour), "second-try"); released {
		t.Error("an account an admin gave another role was released with the registration it came from")
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE accounts SET role = 'applicant', uscc = $1 WHERE username = 'second-try'`, code); err != nil {
		t.Fatal(err)
	}
	// Unconfirmed but disabled by an admin: the admin's to settle.
	if _, err := st.Pool().Exec(ctx, `UPDATE holder_registrations SET confirmed_at = NULL WHERE uscc = $1`, code); err != nil {
		t.Fatal(err)
	}
	if err := st.DisableAccount(ctx, "second-try", store.AccountChange{At: now, Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if released, err := register("fourth-try", now.Add(31*24*time.Hour), "second-try"); released || !errors.Is(err, store.ErrHolderRegistered) {
		t.Errorf("a disabled registration: released %v, %v; want kept", released, err)
	}
}

// Hostile input on a public path (RULES §3): an address anyone may type
// into a registration — someone else's — is mailed a confirmation link at
// most PerAddressDay times a day, whichever registrations name it and in
// whatever case it is typed, and whether or not they were confirmed since;
// each registration's own limit is not what bounds it, since a stranger can
// register code after code.
func TestAConfirmationAddressIsMailedAFewTimesADayWhoeverRegisters(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	limit := store.ConfirmationLimit{Gap: time.Minute, PerDay: 5, PerAddressDay: 2}
	usccs := []string{"51530181MJ0000001U", "51530181MJ000000229", "51530181MJ0000003R"}
	for i, uscc := range usccs {
		name := fmt.Sprintf("stranger%d", i)
		if _, err := st.RegisterHolder(ctx, store.Account{Username: name, PasswordHash: "x"},
			store.HolderRegistration{USCC: uscc, UnitName: "某单位", ContactName: "某人", ContactPhone: "13700005555", ContactEmail: "victim@example.cn"},
			store.AccountChange{At: now, Actor: name, Role: "public"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			// A registration confirmed meanwhile still counts its sends.
			if _, err := st.ConfirmHolder(ctx, "token-stranger0", now.Add(90*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		address := []string{"victim@example.cn", "Victim@Example.cn", "victim@example.cn"}[i]
		err := st.NewConfirmation(ctx, uscc, address, "token-"+name, 24*time.Hour, limit,
			store.AccountChange{At: now.Add(time.Duration(i) * time.Minute), Actor: name, Role: "applicant"})
		var refused *store.ConfirmationRefused
		switch {
		case i < 2 && err != nil:
			t.Errorf("registration %d's first link: %v", i, err)
		case i == 2 && (!errors.As(err, &refused) || !refused.Daily || refused.Wait != 24*time.Hour-2*time.Minute):
			t.Errorf("a third link to the same address the same day: %v, want refused until a day after the first", err)
		}
	}
}
