package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 等保 2.0 8.1.4.1 b (登录失败处理、连接超时自动退出): a console session is found
// only while it is live — not after its idle timeout, its absolute
// lifetime, its sign-out, its replacement at the next sign-in step, or a
// password change or disabling of its account.
func TestConsoleSessionsEnd(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	by := store.AccountChange{At: now, Actor: "test", Role: "admin"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "anning", Role: "county_officer", County: "530181", PasswordHash: "x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAccount(ctx, store.Account{Username: "anning", Role: "city_officer", PasswordHash: "x"}, by); !errors.Is(err, store.ErrAccountExists) {
		t.Errorf("a taken user name: %v", err)
	}
	idle := 30 * time.Minute
	live := func(id string, at time.Time) bool {
		t.Helper()
		_, err := st.SessionByID(ctx, id, at, idle)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	start := func(id, replaces string, at time.Time) {
		t.Helper()
		if err := st.NewSession(ctx, id, replaces, a.ID, store.SessionFull, "csrf-"+id, at, at.Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}

	start("s1", "", now)
	if !live("s1", now.Add(29*time.Minute)) {
		t.Error("a session used 29 minutes after its start ended")
	}
	if !live("s1", now.Add(58*time.Minute)) {
		t.Error("a session used every 29 minutes ended (its use must move the idle clock)")
	}
	if live("s1", now.Add(58*time.Minute+31*time.Minute)) {
		t.Error("a session idle for 31 minutes is still live")
	}

	start("s2", "", now)
	for at := now; at.Before(now.Add(12 * time.Hour)); at = at.Add(20 * time.Minute) {
		live("s2", at)
	}
	if live("s2", now.Add(12*time.Hour+time.Minute)) {
		t.Error("a session past its absolute lifetime is still live")
	}

	start("s3", "", now)
	start("s4", "s3", now)
	if live("s3", now) || !live("s4", now) {
		t.Error("a sign-in step must replace the session it came from (no fixation)")
	}
	if err := st.EndSession(ctx, "s4", now, &store.AccountChange{At: now, Actor: "anning", Role: "county_officer"}); err != nil {
		t.Fatal(err)
	}
	if live("s4", now) {
		t.Error("a signed-out session is still live")
	}

	start("s5", "", now)
	if err := st.SetPassword(ctx, "anning", "y", by); err != nil {
		t.Fatal(err)
	}
	if live("s5", now) {
		t.Error("a password change must end the account's sessions")
	}
	start("s6", "", now)
	if err := st.DisableAccount(ctx, "anning", by); err != nil {
		t.Fatal(err)
	}
	if live("s6", now) {
		t.Error("a disabled account's session is still live")
	}
	if err := st.SetPassword(ctx, "nobody", "y", by); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown account: %v", err)
	}
}

// 等保 2.0 8.1.4.1 b: failures in a row lock the account, and the lock
// and the failures are audited; a sign-in starts the count again.
func TestSignInFailuresLockTheAccount(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	by := store.AccountChange{At: now, Actor: "wuhua", Role: "county_officer"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "wuhua", Role: "county_officer", County: "530102", PasswordHash: "x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		try, err := st.ClaimSignInTry(ctx, a.ID, 3, 15*time.Minute, by)
		if err != nil || try != i {
			t.Fatalf("try %d counted as %d: %v", i, try, err)
		}
		locked, err := st.SignInFailed(ctx, a, "wrong_password", try, 3, 15*time.Minute, by)
		if err != nil {
			t.Fatal(err)
		}
		if locked != (i == 3) {
			t.Errorf("failure %d: locked %v", i, locked)
		}
	}
	var lockedErr *store.LockedError
	later := by
	later.At = now.Add(time.Minute)
	if _, err := st.ClaimSignInTry(ctx, a.ID, 3, 15*time.Minute, later); !errors.As(err, &lockedErr) || !lockedErr.Until.Equal(now.Add(15*time.Minute)) {
		t.Errorf("a try while locked: %v, want the lock's end", err)
	}
	got, _ := st.AccountByUsername(ctx, "wuhua")
	if got.LockedUntil == nil || !got.LockedUntil.Equal(now.Add(15*time.Minute)) || got.FailedCount != 0 {
		t.Errorf("locked until %v, count %d", got.LockedUntil, got.FailedCount)
	}
	// A sign-in while the lock is in force — a known device's, which the
	// lock does not stop — leaves it for every other browser; one after
	// its end clears it.
	if err := st.NewSession(ctx, "w0", "", a.ID, store.SessionFull, "c", later.At, later.At.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.AccountByUsername(ctx, "wuhua"); got.LockedUntil == nil {
		t.Error("a known device's sign-in lifted a lock still in force")
	}
	if err := st.NewSession(ctx, "w1", "", a.ID, store.SessionFull, "c", now.Add(16*time.Minute), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = st.AccountByUsername(ctx, "wuhua")
	if got.LockedUntil != nil {
		t.Error("a sign-in after the lock's end must clear it")
	}
	rows, _ := st.AuditFor(ctx, "account", "wuhua")
	count := map[string]int{}
	for _, r := range rows {
		count[r.Action]++
	}
	if count["console.sign_in_failed"] != 3 || count["console.locked"] != 1 || count["console.sign_in"] != 2 || count["account.create"] != 1 {
		t.Errorf("audit: %v", count)
	}
	if _, broken, err := st.VerifyAudit(ctx); err != nil || broken != nil {
		t.Errorf("audit chain: %v %+v", err, broken)
	}
	if ok, _ := st.UseTOTPStep(ctx, a.ID, 100); !ok {
		t.Error("a fresh TOTP step refused")
	}
	if ok, _ := st.UseTOTPStep(ctx, a.ID, 100); ok {
		t.Error("a TOTP step used twice")
	}
}

// 等保 2.0 8.1.4.1 b: tries sent at once are counted before any is
// checked, so no more than the lock-out's count are checked between two
// locks — checked first and counted after, each found the account
// unlocked; the tries past the count lock the account at once, so that a
// count nothing settles (a request gone before its try was) never shuts it
// for good; a try that passed gives its count back.
func TestSignInTriesAtOnceKeepTheLockOutsCount(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	by := store.AccountChange{At: now, Actor: "panlong", Role: "county_officer"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "panlong", Role: "county_officer", County: "530103", PasswordHash: "x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	claimed, locked := map[int]bool{}, 0
	for range 30 {
		wg.Go(func() {
			try, err := st.ClaimSignInTry(ctx, a.ID, 5, 15*time.Minute, by)
			mu.Lock()
			defer mu.Unlock()
			var lockedErr *store.LockedError
			switch {
			case errors.As(err, &lockedErr):
				locked++
			case err != nil:
				t.Error(err)
			default:
				claimed[try] = true
			}
		})
	}
	wg.Wait()
	if len(claimed) != 5 || locked != 25 || !claimed[1] || !claimed[5] {
		t.Errorf("30 tries at once: numbered %v, %d refused as locked; want 1–5 and 25 refused", claimed, locked)
	}
	got, _ := st.AccountByUsername(ctx, "panlong")
	if got.LockedUntil == nil || !got.LockedUntil.Equal(now.Add(15*time.Minute)) {
		t.Errorf("the tries past the count locked it until %v, want %v", got.LockedUntil, now.Add(15*time.Minute))
	}
	// After the lock, tries are counted again; one that passed gives its
	// count back.
	after := by
	after.At = now.Add(16 * time.Minute)
	if try, err := st.ClaimSignInTry(ctx, a.ID, 5, 15*time.Minute, after); err != nil || try != 1 {
		t.Errorf("a try after the lock: %d %v, want the first", try, err)
	}
	if err := st.SignInTryPassed(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if try, err := st.ClaimSignInTry(ctx, a.ID, 5, 15*time.Minute, after); err != nil || try != 1 {
		t.Errorf("a try after one passed: %d %v, want the first again", try, err)
	}
}

// 等保 2.0 8.1.4.1 b (two-factor sign-in): enrolment puts in force the
// secret its first code was checked against — a binding begun again in
// another tab between the check and the write replaced the stored one, and
// enrolling that would bind a secret the person's authenticator lacks.
func TestEnrolmentPutsInForceTheSecretItsCodeWasCheckedAgainst(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	by := store.AccountChange{At: now, Actor: "yiliang", Role: "county_officer"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "yiliang", Role: "county_officer", County: "530125", PasswordHash: "x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetTOTPSecret(ctx, a.ID, "sealed-first", "", now); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTOTPSecret(ctx, a.ID, "sealed-second", "", now); err != nil { // the other tab
		t.Fatal(err)
	}
	if err := st.EnrolTOTP(ctx, "yiliang", "sealed-first", 7, by); !errors.Is(err, store.ErrTOTPSecretReplaced) {
		t.Errorf("enrolling a replaced secret: %v, want ErrTOTPSecretReplaced", err)
	}
	if got, _ := st.AccountByUsername(ctx, "yiliang"); got.TOTPEnrolled {
		t.Fatal("enrolled with a code of a replaced secret")
	}
	if err := st.EnrolTOTP(ctx, "yiliang", "", 7, by); !errors.Is(err, store.ErrTOTPSecretReplaced) {
		t.Errorf("enrolling no secret: %v, want ErrTOTPSecretReplaced", err)
	}
	if err := st.EnrolTOTP(ctx, "yiliang", "sealed-second", 7, by); err != nil {
		t.Fatal(err)
	}
	got, _ := st.AccountByUsername(ctx, "yiliang")
	if !got.TOTPEnrolled || got.TOTPSecret != "sealed-second" || got.TOTPLastStep != 7 {
		t.Errorf("after enrolling the stored secret: enrolled %v, secret %q, step %d", got.TOTPEnrolled, got.TOTPSecret, got.TOTPLastStep)
	}
	// The same secret enrolled again from a second tab, by an earlier
	// code: enrolled as it was, its used step not taken back.
	if err := st.EnrolTOTP(ctx, "yiliang", "sealed-second", 6, by); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.AccountByUsername(ctx, "yiliang"); got.TOTPLastStep != 7 {
		t.Errorf("a second enrolment took the used step back to %d, want 7", got.TOTPLastStep)
	}
	rows, _ := st.AuditFor(ctx, "account", "yiliang")
	enrolments := 0
	for _, r := range rows {
		if r.Action == "account.totp_enrol" {
			enrolments++
		}
	}
	if enrolments != 1 {
		t.Errorf("%d enrolments audited, want 1", enrolments)
	}
}
