package console_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/smtptest"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/email"
	"github.com/kunming-hrss/laborbrand/store"
)

// Hostile input on public paths is bounded (RULES §3, "Bad and hostile
// input"): a stranger's POST to an upload's path is refused by its size
// before its form is read, with or without the sign-in forms' cookie, and
// a signed-out page renews that cookie for a day, so a form written over
// the working day (an objection and its evidence) is still accepted.
func TestSignedOutPostsAreBoundedBeforeTheirFormIsRead(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	page, err := http.Get(s.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	var nonce *http.Cookie
	for _, c := range page.Cookies() {
		if c.Name == "lb_login" {
			nonce = c
		}
	}
	if nonce == nil || nonce.MaxAge != 24*3600 {
		t.Fatalf("the sign-in page's cookie: %+v", nonce)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", "x")
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte{'a'}, 5<<20))
	mw.Close()
	for _, withCookie := range []bool{false, true} {
		req, _ := http.NewRequest("POST", s.URL+"/holder/applications/A1/attachments", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if withCookie {
			req.AddCookie(nonce)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(text), "提交的内容过大") {
			t.Errorf("5 MB signed out (cookie %v): %d %.200s", withCookie, r.StatusCode, text)
		}
	}

	// The same page shown again renews the cookie it carries.
	req, _ := http.NewRequest("GET", s.URL+"/login", nil)
	req.AddCookie(nonce)
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	renewed := false
	for _, c := range again.Cookies() {
		renewed = renewed || (c.Name == "lb_login" && c.Value == nonce.Value && c.MaxAge == 24*3600)
	}
	if !renewed {
		t.Errorf("the page shown again did not renew the cookie: %v", again.Header.Values("Set-Cookie"))
	}
}

// The sign-in page does not tell which names exist (GB/T 22239-2019
// 8.1.4.1): a wrong password for an officer's account, any password for a
// name nobody has and any for a disabled account get the same answer, try
// after try — the fifth locking each name for LockFor, the sixth refused
// as locked —, though only the existing account is counted on its row.
func TestSignInAnswersTheSameForANameThatDoesNotExist(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	addAccount(t, s, store.Account{Username: "wuhua-officer", Role: "county_officer", County: "530102"})
	if err := s.Store.DisableAccount(context.Background(), "wuhua-officer", store.AccountChange{At: time.Now(), Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	message := regexp.MustCompile(`(用户名或密码错误。|该账户因连续登录失败已被锁定)[^<]*`)
	clock := regexp.MustCompile(`\d{1,2}:\d{2}`)
	answers := func(username string) []string {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		var out []string
		for range cfg.LockAfter + 1 {
			status, body := signInWrongly(t, client, s.URL, username)
			out = append(out, fmt.Sprintf("%d %s", status, clock.ReplaceAll(message.Find(body), []byte("hh:mm"))))
		}
		return out
	}
	known, unknown, disabled := answers("anning-officer"), answers("no-such-officer"), answers("wuhua-officer")
	if !strings.Contains(known[2], "401 用户名或密码错误。连续失败 5 次") || !strings.HasPrefix(known[cfg.LockAfter], "403 该账户因连续登录失败已被锁定") {
		t.Fatalf("an existing name is answered %q", known)
	}
	if !slices.Equal(known, unknown) || !slices.Equal(known, disabled) {
		t.Errorf("an existing name is answered %q,\nan unknown one %q,\na disabled one %q", known, unknown, disabled)
	}
	if a, _ := s.Store.AccountByUsername(context.Background(), "wuhua-officer"); a.FailedCount != 0 || a.LockedUntil != nil {
		t.Errorf("a disabled account's tries were counted on it: %d, locked until %v", a.FailedCount, a.LockedUntil)
	}
}

// GB/T 22239-2019 8.1.4.1, the same answers: a lock-out ends a session
// still on its way in (here one waiting for its e-mail's confirmation) for
// a name without an account as for one with, so the cookie's fate tells no
// names apart either.
func TestALockOutEndsASessionOnItsWayInForAnyName(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	ctx := context.Background()
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	base, _ := url.Parse(s.URL)
	sessionLeft := func(username, session string) []bool {
		a, err := s.Store.CreateAccount(ctx, store.Account{Username: session, Role: "applicant", USCC: "51530181MJ000000" + map[string]string{"half-in-1": "1U", "half-in-2": "29"}[session]},
			store.AccountChange{At: time.Now(), Actor: "test", Role: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Store.NewSession(ctx, session, "", a.ID, "confirm", session+"-csrf", time.Now(), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		jar.SetCookies(base, []*http.Cookie{{Name: "lb_session", Value: session, Path: "/"}})
		client := &http.Client{Jar: jar}
		var left []bool
		for range cfg.LockAfter + 1 {
			signInWrongly(t, client, s.URL, username)
			left = append(left, slices.ContainsFunc(jar.Cookies(base), func(c *http.Cookie) bool { return c.Name == "lb_session" && c.Value == session }))
		}
		return left
	}
	known, unknown := sessionLeft("anning-officer", "half-in-1"), sessionLeft("no-such-officer", "half-in-2")
	if !slices.Equal(known, unknown) || known[cfg.LockAfter-1] {
		t.Errorf("the session on its way in, try by try: %v for an existing name, %v for an unknown one; want it ended by the lock alike", known, unknown)
	}
}

// RULES §6 (what the audit trail keeps): a name no account has is kept as
// a fingerprint, not as typed — a person who typed a password into it would
// leave the password in the trail —, the same for the same name in any case.
func TestAnUnknownNameIsAuditedByItsFingerprint(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	for _, typed := range []string{"My-Secret-Pass-2026", "my-secret-pass-2026"} {
		jar, _ := cookiejar.New(nil)
		if status, _ := signInWrongly(t, &http.Client{Jar: jar}, s.URL, typed); status != http.StatusUnauthorized {
			t.Fatalf("sign-in as %q: %d", typed, status)
		}
	}
	rows, err := s.Store.Pool().Query(context.Background(),
		`SELECT actor, object_id, coalesce(after::text, '') FROM audit_log WHERE action = 'console.sign_in_failed'`)
	if err != nil {
		t.Fatal(err)
	}
	var actors []string
	for rows.Next() {
		var actor, object, after string
		if err := rows.Scan(&actor, &object, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(actor+object+after), "secret") {
			t.Errorf("the audit keeps the typed name: %s %s %s", actor, object, after)
		}
		actors = append(actors, actor)
	}
	if len(actors) != 2 || actors[0] != actors[1] || !strings.HasPrefix(actors[0], "unknown:") {
		t.Errorf("the two tries at one name are audited as %v, want one fingerprint", actors)
	}
}

// Hostile input on a public path: a user name that is not text — a NUL,
// bytes not UTF-8 — is asked again as any empty name is (422), never the
// system error PostgreSQL's refusal of it made (500).
func TestSignInRefusesANameThatIsNotText(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	for _, username := range []string{"a\x00b", "a\xffb"} {
		jar, _ := cookiejar.New(nil)
		status, body := signInWrongly(t, &http.Client{Jar: jar}, s.URL, username)
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "请输入用户名和密码。") {
			t.Errorf("user name %q: %d %.300s", username, status, body)
		}
	}
}

// signInWrongly opens the sign-in page with client and sends its form with
// username and a wrong password; it returns the answer's status and body.
func signInWrongly(t *testing.T, client *http.Client, base, username string) (int, []byte) {
	t.Helper()
	token := formToken(t, client, base+"/login")
	r, err := client.PostForm(base+"/login", url.Values{"csrf": {token}, "username": {username}, "password": {"Wrong-Password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	return r.StatusCode, body
}

// formToken opens the signed-out form at page with client and returns its
// CSRF token.
func formToken(t *testing.T, client *http.Client, page string) string {
	t.Helper()
	r, err := client.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	form, _ := io.ReadAll(r.Body)
	r.Body.Close()
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(form)
	if token == nil {
		t.Fatalf("no csrf field on %s", page)
	}
	return string(token[1])
}

// Clean text (RULES §3 Decision) on the console's own forms: a holder's
// registration refuses a bidirectional override or a control character in
// the unit's name by its field, as the API refuses them, and stores nothing.
func TestRegistrationRefusesWhatTheAPIRefuses(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	token := formToken(t, client, s.URL+"/register")
	r, err := client.PostForm(s.URL+"/register", url.Values{"csrf": {token}, "uscc": {"91530181MA6K00090E"},
		"unit_name": {"安宁市\u202e会协业产菜蔬"}, "contact_name": {"李\x07四"}, "contact_phone": {"１３９８７６５４３２１"},
		"contact_email": {"li\u202esi@example.com"}, "username": {"lotus-holder"},
		"password": {"Spring-City-2026"}, "password_again": {"Spring-City-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for _, want := range []string{"单位名称不能含双向文字控制符U+202E", "联系人姓名不能含控制字符U+0007", "电子邮箱格式有误"} {
		if !strings.Contains(html.UnescapeString(string(body)), want) {
			t.Errorf("the answer (%d) lacks %q", r.StatusCode, want)
		}
	}
	// The phone typed with a Chinese input method's digits is read as the
	// 推荐表 reads it (form.NormalizePhone), not refused.
	if strings.Contains(string(body), "联系电话应为") {
		t.Error("a full-width phone number was refused at registration, where the 推荐表 takes it")
	}
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("status %d, want 422", r.StatusCode)
	}
	if _, err := s.Store.AccountByUsername(context.Background(), "lotus-holder"); err == nil {
		t.Error("the refused registration made an account")
	}
}

// RULES §6 (a registration never confirmed): a unit's code registered with
// an address nobody confirmed holds the code while its link can confirm it;
// once every link it was sent has lapsed, the unit's own registration of
// the code is made, and the one left unconfirmed is gone.
func TestTheUnitRegistersItsCodeOnceAnUnconfirmedRegistrationLapsed(t *testing.T) {
	mailbox := smtptest.Start(t, 0)
	cfg := console.DefaultConfig
	cfg.Mail = &email.Relay{Addr: mailbox.Addr, From: "劳务品牌 <noreply@hrss.example.gov.cn>"}
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	code := demo.USCC("91530181MA6K0009")
	register := func(username, address string) (int, string) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		token := formToken(t, client, s.URL+"/register")
		r, err := client.PostForm(s.URL+"/register", url.Values{"csrf": {token}, "uscc": {code},
			"unit_name": {"安宁市青龙蔬菜产业协会"}, "contact_name": {"周青"}, "contact_phone": {"13700005555"},
			"contact_email": {address}, "username": {username},
			"password": {"Spring-City-2026"}, "password_again": {"Spring-City-2026"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode, html.UnescapeString(string(body))
	}
	if status, _ := register("typo-holder", "zhou@exmaple.cn"); status != http.StatusCreated {
		t.Fatalf("the first registration: %d", status)
	}
	if status, body := register("lotus-holder", "zhou@example.cn"); status != http.StatusConflict || !strings.Contains(body, "不能自行注册") {
		t.Errorf("while the first one's link is live: %d, want 409 refused", status)
	}
	// A day and more later: every link the first one was sent has lapsed.
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE holder_registrations SET registered_at = registered_at - interval '25 hours' WHERE uscc = $1;`, code); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE holder_confirmations SET sent_at = sent_at - interval '25 hours', expires_at = expires_at - interval '25 hours' WHERE uscc = $1`, code); err != nil {
		t.Fatal(err)
	}
	if status, body := register("lotus-holder", "zhou@example.cn"); status != http.StatusCreated || !strings.Contains(body, "注册成功") {
		t.Errorf("after the first one's links lapsed: %d, want 201 registered", status)
	}
	if _, err := s.Store.AccountByUsername(context.Background(), "typo-holder"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the lapsed registration's account: %v, want gone", err)
	}
}

// RULES §6 (one self-registration per code), a double submit: the same
// registration sent again — a refresh of its answer, a double click without
// script — is answered as the first was, not refused as a code registered
// already; another name or password for the code is still refused.
func TestARegistrationSentAgainIsAnsweredAsTheFirst(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	token := formToken(t, client, s.URL+"/register")
	form := url.Values{"csrf": {token}, "uscc": {"51530181MJ0000001U"}, "unit_name": {"安宁市青龙蔬菜产业协会"},
		"contact_name": {"周青"}, "contact_phone": {"13987654321"}, "username": {"qinglong"},
		"password": {"Spring-City-2026"}, "password_again": {"Spring-City-2026"}}
	send := func(f url.Values) (int, string) {
		r, err := client.PostForm(s.URL+"/register", f)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(body)
	}
	if status, body := send(form); status != http.StatusCreated {
		t.Fatalf("the registration: %d, want 201: %s", status, regexp.MustCompile(`field-error[^<]*<`).FindAllString(body, -1))
	}
	if status, body := send(form); status != http.StatusCreated || !strings.Contains(body, "注册成功") {
		t.Errorf("the same registration sent again: %d, want 201 and 注册成功 again", status)
	}
	// From another browser (no mark of the first), the same form is a
	// registration of a code registered already: no password is tried.
	otherJar, _ := cookiejar.New(nil)
	elsewhere := &http.Client{Jar: otherJar}
	fromThere := maps.Clone(form)
	fromThere.Set("csrf", formToken(t, elsewhere, s.URL+"/register"))
	if r, err := elsewhere.PostForm(s.URL+"/register", fromThere); err != nil || r.StatusCode != http.StatusConflict {
		t.Errorf("the same form from another browser: %v %v, want 409", r.StatusCode, err)
	}
	// With other details, it is another registration of the code.
	changed := maps.Clone(form)
	changed.Set("contact_phone", "13900001111")
	if status, _ := send(changed); status != http.StatusConflict {
		t.Errorf("the code again with another phone: %d, want 409", status)
	}
	other := maps.Clone(form)
	other.Set("username", "qinglong-2")
	if status, _ := send(other); status != http.StatusConflict {
		t.Errorf("another name for the registered code: %d, want 409", status)
	}
	other.Set("username", "qinglong")
	other.Set("password", "Autumn-City-2027")
	other.Set("password_again", "Autumn-City-2027")
	if status, _ := send(other); status != http.StatusConflict {
		t.Errorf("the name with another password: %d, want 409", status)
	}
}

// 等保 身份鉴别 (a code as a person types it): at sign-in, a dynamic code
// typed with a Chinese input method — full-width digits, in the
// authenticator's two groups — is the code, and signs in; one that is not
// six digits is asked again and not counted toward the lock-out as a wrong
// code is.
func TestASecondFactorCodeTypedFullWidthSignsIn(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	a := addAccount(t, s, store.Account{Username: "fullwidth", Role: "county_officer", County: "530181"})
	secret := enrolled(t, s, a)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	token := formToken(t, client, s.URL+"/login")
	r, err := client.PostForm(s.URL+"/login", url.Values{"csrf": {token}, "username": {"fullwidth"}, "password": {officerPassword}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	post := func(code string) (int, string) {
		t.Helper()
		token := formToken(t, client, s.URL+"/login/totp")
		r, err := client.PostForm(s.URL+"/login/totp", url.Values{"csrf": {token}, "code": {code}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode, string(body)
	}
	if status, body := post("１２３４５"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "6位数字") {
		t.Errorf("a code of five digits: %d %.200s; want 422 asking for six digits", status, body)
	}
	if got, _ := s.Store.AccountByUsername(context.Background(), "fullwidth"); got.FailedCount != 0 {
		t.Errorf("a code of five digits counted %d failures, want none", got.FailedCount)
	}
	code, _ := account.TOTPCode(secret, time.Now())
	typed := strings.Map(func(r rune) rune { return r - '0' + '０' }, code[:3]) + " " + strings.Map(func(r rune) rune { return r - '0' + '０' }, code[3:])
	if status, body := post(typed); status != http.StatusOK || !strings.Contains(body, "退出") {
		t.Errorf("the code typed %q: %d %.300s; want signed in", typed, status, body)
	}
}

// GB/T 22239-2019 8.1.4.1 (lock-out after failed sign-ins) without letting
// a stranger keep an owner out: five wrong passwords typed at a name from
// anywhere lock the account for every browser that has not signed in to it
// — the right password included —, while the owner's own browser, which
// signed in to it in full before (a known device), still signs in; its own
// failures are limited on their own. A device cookie tampered with, or kept
// past a password change, is a stranger's.
func TestALockSetOffByAStrangerDoesNotKeepTheOwnerOut(t *testing.T) {
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	base, _ := url.Parse(s.URL)
	newClient := func(cookies ...*http.Cookie) (*http.Client, *cookiejar.Jar) {
		jar, _ := cookiejar.New(nil)
		jar.SetCookies(base, cookies)
		return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, jar
	}
	signIn := func(client *http.Client, password string) (int, string) {
		t.Helper()
		token := formToken(t, client, s.URL+"/login")
		r, err := client.PostForm(s.URL+"/login", url.Values{"csrf": {token}, "username": {"anning-officer"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode, string(body)
	}

	owner, jar := newClient()
	if status, body := signIn(owner, officerPassword); status != http.StatusSeeOther {
		t.Fatalf("the owner's first sign-in: %d %.300s", status, body)
	}
	var device *http.Cookie
	for _, c := range jar.Cookies(base) {
		if c.Name == "lb_device" {
			device = c
		}
	}
	if device == nil {
		t.Fatal("a full sign-in left no device cookie")
	}

	stranger, _ := newClient()
	for range cfg.LockAfter {
		signInWrongly(t, stranger, s.URL, "anning-officer")
	}
	if status, body := signIn(stranger, officerPassword); status != http.StatusForbidden || !strings.Contains(body, "该账户因连续登录失败已被锁定") {
		t.Errorf("a stranger with the right password while locked: %d, want 403 locked", status)
	}
	tampered := *device
	tampered.Value = device.Value[:len(device.Value)-1] + map[bool]string{true: "0", false: "1"}[strings.HasSuffix(device.Value, "1")]
	forged, _ := newClient(&tampered)
	if status, _ := signIn(forged, officerPassword); status != http.StatusForbidden {
		t.Errorf("a tampered device cookie: %d, want 403 as a stranger", status)
	}

	known, _ := newClient(device) // the owner's browser, signed out since
	if status, body := signIn(known, officerPassword); status != http.StatusSeeOther {
		t.Errorf("the owner's known device while a stranger's lock stands: %d %.300s; want signed in", status, body)
	}
	if status, _ := signIn(stranger, officerPassword); status != http.StatusForbidden {
		t.Errorf("a stranger after the owner signed in through the lock: %d, want 403, the lock still in force", status)
	}

	clumsy, _ := newClient(device)
	for range cfg.LockAfter {
		if status, _ := signInWrongly(t, clumsy, s.URL, "anning-officer"); status != http.StatusUnauthorized {
			t.Errorf("a wrong password on the known device: %d, want 401", status)
		}
	}
	if status, body := signIn(clumsy, officerPassword); status != http.StatusForbidden || !strings.Contains(body, "本设备登录失败次数过多") {
		t.Errorf("the known device after %d failures of its own: %d, want 403 for the device", cfg.LockAfter, status)
	}

	// A password changed (here reset by an administrator) makes the device
	// a stranger again.
	hash, err := account.HashPassword("Autumn-City-2027")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE accounts SET password_hash = $1 WHERE username = 'anning-officer'`, hash); err != nil {
		t.Fatal(err)
	}
	for range cfg.LockAfter {
		signInWrongly(t, stranger, s.URL, "anning-officer")
	}
	if status, _ := signIn(known, "Autumn-City-2027"); status != http.StatusForbidden {
		t.Errorf("a device known before the password changed, while locked: %d, want 403 as a stranger", status)
	}
}

// RULES §6 (a USCC is public; the registration page tells no stranger
// whether a company has an account or records): a user name taken, sent
// with a code free, is answered as a code that may not register, sent with
// a name free — the same status and the same words on the same fields — so
// that neither a name known to be taken nor a new code probes the other.
// Registrations are limited per address apart from sign-ins
// (LB_REGISTER_LIMIT), with a Retry-After.
func TestRegistrationAnswersATakenNameAndAClosedCodeAlike(t *testing.T) {
	cfg := console.DefaultConfig
	cfg.RegisterLimit = api.Rate{N: 3, Per: time.Hour}
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	taken, free := demo.USCC("91530181MA6K0011"), demo.USCC("91530181MA6K0012")
	register := func(username, code string) (int, string, string) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		token := formToken(t, client, s.URL+"/register")
		r, err := client.PostForm(s.URL+"/register", url.Values{"csrf": {token}, "uscc": {code},
			"unit_name": {"安宁市青龙蔬菜产业协会"}, "contact_name": {"周青"}, "contact_phone": {"13700005555"},
			"username": {username}, "password": {"Spring-City-2026"}, "password_again": {"Spring-City-2026"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		fields := regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`).FindAllStringSubmatch(html.UnescapeString(string(body)), -1)
		var said []string
		for _, f := range fields {
			said = append(said, f[1])
		}
		return r.StatusCode, strings.Join(said, " | "), r.Header.Get("Retry-After")
	}
	if status, _, _ := register("lotus-holder", taken); status != http.StatusCreated {
		t.Fatalf("the first registration: %d", status)
	}
	nameStatus, nameSaid, _ := register("lotus-holder", free)
	codeStatus, codeSaid, _ := register("other-holder", taken)
	if nameStatus != http.StatusConflict || nameStatus != codeStatus || nameSaid != codeSaid || !strings.Contains(nameSaid, "用户名已被使用，或该统一社会信用代码不能自行注册") {
		t.Errorf("a taken name: %d %q;\na closed code: %d %q;\nwant one 409 answer", nameStatus, nameSaid, codeStatus, codeSaid)
	}
	if _, err := s.Store.AccountByUsername(context.Background(), "other-holder"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused registration's account: %v, want none", err)
	}
	if status, _, retry := register("third-holder", free); status != http.StatusTooManyRequests || retry == "" {
		t.Errorf("the fourth registration within the hour (three allowed): %d (Retry-After %q), want 429 with Retry-After", status, retry)
	}
}

// GB/T 22239-2019 8.1.4.1 (two factors): each sign-in that is to enrol an
// authenticator is shown a new secret — whoever signed in before with the
// same password (an administrator's temporary one, known to another) and
// copied the secret shown then does not hold the factor its holder binds.
func TestEachSignInToEnrolIsShownANewSecret(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	secretShown := func() string {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		token := formToken(t, client, s.URL+"/login")
		r, err := client.PostForm(s.URL+"/login", url.Values{"csrf": {token}, "username": {"anning-officer"}, "password": {officerPassword}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		m := regexp.MustCompile(`id="totp-secret"[^>]*>([^<]+)<`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("the sign-in did not lead to the enrolment's secret: %d %s %.300s", r.StatusCode, r.Request.URL.Path, body)
		}
		return string(m[1])
	}
	if first, second := secretShown(), secretShown(); first == second {
		t.Errorf("two sign-ins to enrol were shown the same secret %q", first)
	}
}

// GB/T 22239-2019 8.1.4.1 and the known device (above): a stranger's lock
// does not stop the owner, signed in on its own browser, changing the
// password the stranger guesses at; the browser's own wrong tries are
// limited, and once spent its session ends.
func TestTheOwnerChangesItsPasswordThroughAStrangersLock(t *testing.T) {
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	jar, _ := cookiejar.New(nil)
	owner := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(client *http.Client, path string, form url.Values) (int, string) {
		t.Helper()
		form.Set("csrf", formToken(t, client, s.URL+path))
		r, err := client.PostForm(s.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		return r.StatusCode, string(body)
	}
	if status, body := post(owner, "/login", url.Values{"username": {"anning-officer"}, "password": {officerPassword}}); status != http.StatusSeeOther {
		t.Fatalf("the owner's sign-in: %d %.300s", status, body)
	}
	strangerJar, _ := cookiejar.New(nil)
	for range cfg.LockAfter {
		signInWrongly(t, &http.Client{Jar: strangerJar}, s.URL, "anning-officer")
	}
	if a, _ := s.Store.AccountByUsername(context.Background(), "anning-officer"); a.LockedUntil == nil {
		t.Fatal("the stranger's tries did not lock the account")
	}
	for i := range cfg.LockAfter - 1 {
		if status, body := post(owner, "/account/password", url.Values{"current": {"Wrong-Password-1"},
			"password": {"Autumn-City-2027"}, "password_again": {"Autumn-City-2027"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "当前密码不正确") {
			t.Errorf("wrong current password %d on the owner's device: %d, want 422 当前密码不正确", i+1, status)
		}
	}
	if status, body := post(owner, "/account/password", url.Values{"current": {officerPassword},
		"password": {"Autumn-City-2027"}, "password_again": {"Autumn-City-2027"}}); status != http.StatusSeeOther {
		t.Fatalf("the owner's password change through the stranger's lock: %d %.300s; want changed", status, body)
	}
	a, _ := s.Store.AccountByUsername(context.Background(), "anning-officer")
	if ok, _ := account.CheckPassword(a.PasswordHash, "Autumn-City-2027"); !ok {
		t.Error("the password was not changed")
	}
}
