package console_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/store"
)

// 等保 2.0 8.1.4.1 a (口令定期更换): a person changes their own password
// from any page, with the one in force — a wrong one is refused and counted
// as at sign-in —, the new one meeting the policy; the change ends every
// session of the account, this one too.
func TestAPersonChangesTheirOwnPassword(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	cookie := signedInAs(t, s, store.Account{Username: "pw-anning", Role: "county_officer", County: "530181"})
	send := func(method, path string, form url.Values) (int, string, string) {
		t.Helper()
		return sendForm(t, s, cookie, method, path, form)
	}
	if status, body, _ := send("GET", "/work", nil); status != 200 || !strings.Contains(body, `<a href="/account/password">修改密码</a>`) {
		t.Errorf("the page's header offers no password change: %d", status)
	}
	change := func(current, fresh, again string) url.Values {
		return url.Values{"csrf": {"bench-csrf-pw-anning"}, "current": {current}, "password": {fresh}, "password_again": {again}}
	}
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{change("Wrong-Password-2026", "Autumn-City-2027", "Autumn-City-2027"), "当前密码不正确"},
		{change("Bench-Password-2026", "Autumn-City-2027", "Autumn-City-2028"), "两次输入的新密码不一致"},
		{change("Bench-Password-2026", "short", "short"), "至少"},
		{change("Bench-Password-2026", "Bench-Password-2026", "Bench-Password-2026"), "新密码不能与当前密码相同"},
	} {
		if status, body, _ := send("POST", "/account/password", tc.form); status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d, want 422 saying %s", tc.form, status, tc.want)
		}
	}
	if a, _ := s.Store.AccountByUsername(context.Background(), "pw-anning"); a.FailedCount != 1 {
		t.Errorf("the wrong current password counted %d failures, want 1", a.FailedCount)
	}
	if status, _, to := send("POST", "/account/password", change("Bench-Password-2026", "Autumn-City-2027", "Autumn-City-2027")); status != http.StatusSeeOther || to != "/login?password=changed" {
		t.Fatalf("the change: %d → %q", status, to)
	}
	a, err := s.Store.AccountByUsername(context.Background(), "pw-anning")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := account.CheckPassword(a.PasswordHash, "Autumn-City-2027"); !ok || a.FailedCount != 0 {
		t.Errorf("the new password is not in force (%v), or failures stay counted (%d)", ok, a.FailedCount)
	}
	if status, _, to := send("GET", "/work", nil); status != http.StatusSeeOther || to != "/login" {
		t.Errorf("the session after the change: %d → %q, want signed out", status, to)
	}
	if status, body, _ := send("GET", "/login?password=changed", nil); status != 200 || !strings.Contains(body, "密码已修改") {
		t.Errorf("the sign-in page after the change does not say so: %d", status)
	}
}

// 等保 2.0 8.1.4.1 (a person who forgot their password): an admin resets it
// from the accounts page; the page shows a temporary password once — kept
// nowhere else, not in the audit trail — and the account's sessions end.
func TestAnAdminResetsAPasswordToATemporaryOne(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	person := signedInAs(t, s, store.Account{Username: "pw-wuhua", Role: "county_officer", County: "530102"})
	admin := signedInAs(t, s, store.Account{Username: "pw-admin", Role: "admin"})
	form := url.Values{"csrf": {"bench-csrf-pw-admin"}, "confirm": {"1"}}
	req, _ := http.NewRequest("POST", s.URL+"/accounts/pw-wuhua/password", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(admin)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	_, after, found := strings.Cut(string(body), `临时密码：<code class="secret">`)
	temporary, _, _ := strings.Cut(after, "</code>")
	if r.StatusCode != 200 || !found || !strings.HasPrefix(temporary, "Lb!") || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the reset: %d %q (Cache-Control %q)", r.StatusCode, temporary, r.Header.Get("Cache-Control"))
	}
	a, err := s.Store.AccountByUsername(context.Background(), "pw-wuhua")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := account.CheckPassword(a.PasswordHash, temporary); !ok || account.CheckPolicy(a.Username, temporary) != "" {
		t.Errorf("the temporary password %q is not in force, or fails the policy", temporary)
	}
	var kept, resets int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE after::text LIKE '%' || $1 || '%'),
		count(*) FILTER (WHERE action = 'account.password_reset' AND actor = 'pw-admin' AND object_id = 'pw-wuhua') FROM audit_log`,
		temporary).Scan(&kept, &resets); err != nil || kept != 0 || resets != 1 {
		t.Errorf("the audit trail: %d rows keep the temporary password, %d record the reset (%v); want 0 and 1", kept, resets, err)
	}
	if status, _, _ := sendForm(t, s, person, "GET", "/work", nil); status != http.StatusSeeOther {
		t.Errorf("the person's session after the reset: %d, want signed out", status)
	}
	// A disabled account is enabled before its password is reset.
	if err := s.Store.DisableAccount(context.Background(), "pw-wuhua", store.AccountChange{At: time.Now(), Actor: "pw-admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := sendForm(t, s, admin, "POST", "/accounts/pw-wuhua/password", form); status != http.StatusConflict {
		t.Errorf("a disabled account's reset: %d, want 409", status)
	}
}

// 等保 2.0 8.1.4.1 (the password is the person's own): a temporary password
// an admin set opens nothing but 修改密码 — every other page, a form's POST
// too, is sent there, the page saying why — until its holder replaces it;
// then the console opens as before.
func TestATemporaryPasswordIsReplacedBeforeAnythingElse(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	ctx := context.Background()
	signedInAs(t, s, store.Account{Username: "pw-jinning", Role: "county_officer", County: "530115"})
	admin := signedInAs(t, s, store.Account{Username: "pw-admin2", Role: "admin"})
	_, body, _ := sendForm(t, s, admin, "POST", "/accounts/pw-jinning/password", url.Values{"csrf": {"bench-csrf-pw-admin2"}, "confirm": {"1"}})
	_, after, _ := strings.Cut(body, `临时密码：<code class="secret">`)
	temporary, _, _ := strings.Cut(after, "</code>")
	a, err := s.Store.AccountByUsername(ctx, "pw-jinning")
	if err != nil || !a.PasswordToChange {
		t.Fatalf("after the reset the account is not marked to change its password (%v)", err)
	}
	if _, page, _ := sendForm(t, s, admin, "GET", "/accounts", nil); !strings.Contains(page, "待本人修改临时密码") {
		t.Error("the accounts page does not tell that the account's temporary password is still to change")
	}
	// Signed in again with the temporary password (the sign-in's steps are
	// their own tests): a full session.
	if err := s.Store.NewSession(ctx, "pw-jinning-session", "", a.ID, store.SessionFull, "csrf-pw-jinning", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	person := &http.Cookie{Name: "lb_session", Value: "pw-jinning-session"}
	for _, asked := range []struct{ method, path string }{{"GET", "/work"}, {"GET", "/brands"}, {"POST", "/calendar/county-days"}} {
		status, _, to := sendForm(t, s, person, asked.method, asked.path, url.Values{"csrf": {"csrf-pw-jinning"}})
		if status != http.StatusSeeOther || to != "/account/password" {
			t.Errorf("%s %s with a temporary password: %d → %q, want 303 → /account/password", asked.method, asked.path, status, to)
		}
	}
	// Nor does it bind an authenticator: whoever else knows the password
	// would bind theirs.
	if status, _, to := sendForm(t, s, person, "GET", "/account/totp", nil); status != http.StatusSeeOther || to == "/account/totp" {
		t.Errorf("the TOTP enrolment with a temporary password: %d → %q, want sent away", status, to)
	}
	if status, page, _ := sendForm(t, s, person, "GET", "/account/password", nil); status != 200 || !strings.Contains(page, "管理员设置的临时密码") {
		t.Errorf("the password page does not say the password is a temporary one: %d", status)
	}
	change := url.Values{"csrf": {"csrf-pw-jinning"}, "current": {temporary}, "password": {"Autumn-City-2027"}, "password_again": {"Autumn-City-2027"}}
	if status, _, to := sendForm(t, s, person, "POST", "/account/password", change); status != http.StatusSeeOther || to != "/login?password=changed" {
		t.Fatalf("the change: %d → %q", status, to)
	}
	if a, _ := s.Store.AccountByUsername(ctx, "pw-jinning"); a.PasswordToChange {
		t.Error("the account is still marked to change its password after the change")
	}
	if err := s.Store.NewSession(ctx, "pw-jinning-session-2", "", a.ID, store.SessionFull, "csrf-pw-jinning", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	again := &http.Cookie{Name: "lb_session", Value: "pw-jinning-session-2"}
	if status, _, to := sendForm(t, s, again, "GET", "/work", nil); status != 200 {
		t.Errorf("the work queue after the change: %d → %q, want 200", status, to)
	}
	// An account an admin opens has the password the admin chose: its
	// holder replaces it at the first sign-in too.
	if status, _, _ := sendForm(t, s, admin, "POST", "/accounts", url.Values{"csrf": {"bench-csrf-pw-admin2"}, "username": {"pw-yiliang"},
		"role": {"county_officer"}, "county": {"530125"}, "password": {"Spring-City-2026"}}); status != http.StatusSeeOther {
		t.Fatalf("the admin opens an account: %d", status)
	}
	if a, err := s.Store.AccountByUsername(ctx, "pw-yiliang"); err != nil || !a.PasswordToChange {
		t.Errorf("an account the admin opened: %+v %v, want its password to change", a.PasswordToChange, err)
	}
}

// A person signed in whose account someone else's wrong tries locked is
// told so on the 修改密码 page, and stays signed in: only their own wrong
// password would end the session with the lock.
func TestAPasswordChangeOfALockedAccountKeepsTheSession(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	cookie := signedInAs(t, s, store.Account{Username: "pw-locked", Role: "county_officer", County: "530181"})
	ctx := context.Background()
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE accounts SET locked_until = now() + interval '15 minutes' WHERE username = 'pw-locked'`); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"csrf": {"bench-csrf-pw-locked"}, "current": {"Bench-Password-2026"}, "password": {"Autumn-City-2027"}, "password_again": {"Autumn-City-2027"}}
	if status, body, _ := sendForm(t, s, cookie, "POST", "/account/password", form); status != http.StatusForbidden || !strings.Contains(body, "已被锁定") {
		t.Errorf("a change while locked: %d %.300s", status, body)
	}
	if status, _, _ := sendForm(t, s, cookie, "GET", "/work", nil); status != 200 {
		t.Errorf("the session after the refusal: %d, want still signed in", status)
	}
}

// sendForm sends form to path with the session cookie, following no
// redirect; it returns the answer's status, body and Location.
func sendForm(t *testing.T, s *stacktest.Stack, cookie *http.Cookie, method, path string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(body), r.Header.Get("Location")
}

// 等保 身份鉴别 (an account's credentials changed only by its holder): a
// signed-in session binds an authenticator to its account only with the
// account's current password, asked before any secret is shown — whoever
// finds a session left open on a shared desk would otherwise bind their
// own, or copy the secret its holder is about to bind, and hold the second
// factor. A wrong password counts toward the lock-out as a sign-in does, a
// right one does not; each check makes a new secret, and its code is taken
// only with the proof of the check (this session, this secret, ten
// minutes). The first sign-in's binding, whose password was just typed,
// asks none.
func TestBindingAnAuthenticatorInASignedInSessionAsksForThePassword(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	holder := signedInAs(t, s, store.Account{Username: "totp-lotus", Role: "applicant", USCC: "91530181MA6K00090E"})
	csrf := "bench-csrf-totp-lotus"
	failures := func() int {
		a, _ := s.Store.AccountByUsername(context.Background(), "totp-lotus")
		return a.FailedCount
	}
	secretOn := func(page string) string {
		m := regexp.MustCompile(`id="totp-secret">([^<]+)<`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return strings.ReplaceAll(m[1], " ", "")
	}
	status, page, _ := sendForm(t, s, holder, "GET", "/account/totp", nil)
	if status != 200 || !strings.Contains(page, `name="current"`) || secretOn(page) != "" || strings.Contains(page, "otpauth://") {
		t.Fatalf("the binding page of a signed-in session: %d, asks for the password %v, shows a secret %q",
			status, strings.Contains(page, `name="current"`), secretOn(page))
	}
	for _, tc := range []struct{ current, want string }{{"", "请输入当前密码"}, {"Not-The-Password-1", "当前密码不正确"}} {
		status, page, _ := sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "current": {tc.current}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, tc.want) || secretOn(page) != "" {
			t.Errorf("the password %q: %d, want 422 saying %s and no secret", tc.current, status, tc.want)
		}
	}
	if failures() != 1 {
		t.Errorf("after a wrong password: %d failures, want one counted", failures())
	}
	// The right password shows a secret made for this binding, and the
	// proof the code is sent with.
	confirm := url.Values{"csrf": {csrf}, "current": {"Bench-Password-2026"}}
	_, page, _ = sendForm(t, s, holder, "POST", "/account/totp", confirm)
	first := secretOn(page)
	proof := regexp.MustCompile(`name="proof" value="([^"]+)"`).FindStringSubmatch(page)
	if first == "" || proof == nil {
		t.Fatalf("after the right password: secret %q, proof %v", first, proof)
	}
	// The QR code of the secret is the page's too: with the proof, and
	// never without it.
	if status, _, _ := sendForm(t, s, holder, "GET", "/account/totp/qr.png?proof="+url.QueryEscape(proof[1]), nil); status != 200 {
		t.Errorf("the QR code with the proof: %d, want 200", status)
	}
	if status, _, _ := sendForm(t, s, holder, "GET", "/account/totp/qr.png", nil); status != http.StatusNotFound {
		t.Errorf("the QR code without the proof: %d, want 404", status)
	}
	_, page, _ = sendForm(t, s, holder, "POST", "/account/totp", confirm)
	second := secretOn(page)
	if second == "" || second == first || failures() != 1 {
		t.Errorf("a second check: secret %q (the first %q), %d failures; want a new secret and nothing counted", second, first, failures())
	}
	// The first secret's proof no longer holds: its secret was replaced.
	code, _ := account.TOTPCode(first, time.Now())
	if status, page, _ := sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "proof": {proof[1]}, "code": {code}}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "请重新输入当前密码") {
		t.Errorf("a code with the proof of a replaced secret: %d, want 422 asking for the password again", status)
	}
	// Without the password's proof no code is taken, whatever it is.
	code, _ = account.TOTPCode(second, time.Now())
	if status, page, _ := sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "proof": {"1.00"}, "code": {code}}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "请重新输入当前密码") {
		t.Errorf("a code with a made-up proof: %d, want 422 asking for the password again", status)
	}
	_, page, _ = sendForm(t, s, holder, "POST", "/account/totp", confirm)
	third := secretOn(page)
	thirdProof := regexp.MustCompile(`name="proof" value="([^"]+)"`).FindStringSubmatch(page)
	for range 5 { // a wrong code, again and again: the password was right
		sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "proof": {thirdProof[1]}, "code": {"000000"}})
	}
	if status, page, _ := sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "proof": {thirdProof[1]}, "code": {"12345"}}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "6位数字") {
		t.Errorf("a five-digit code: %d, want 422 asking for six digits", status)
	}
	if a, _ := s.Store.AccountByUsername(context.Background(), "totp-lotus"); a.FailedCount != 1 || a.LockedUntil != nil || a.TOTPEnrolled {
		t.Errorf("after wrong and malformed codes: failures %d, locked until %v, enrolled %v; want the one wrong password, not locked, not enrolled",
			a.FailedCount, a.LockedUntil, a.TOTPEnrolled)
	}
	code, _ = account.TOTPCode(third, time.Now())
	if status, _, to := sendForm(t, s, holder, "POST", "/account/totp", url.Values{"csrf": {csrf}, "proof": {thirdProof[1]}, "code": {code}}); status != http.StatusSeeOther || to == "/account/totp" {
		t.Errorf("the right code with its proof: %d → %q, want bound and sent on", status, to)
	}
	if a, _ := s.Store.AccountByUsername(context.Background(), "totp-lotus"); !a.TOTPEnrolled {
		t.Error("not enrolled after the right code")
	}
}
