package console_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the console's screenshots to docs/screenshots")

//go:embed testdata/axe.min.js
var axeJS []byte

// officerPassword meets the policy; every test account uses it.
const officerPassword = "Spring-City-2026"

// addAccount creates a console account as `laborbrand user add` does.
func addAccount(t *testing.T, s *stacktest.Stack, a store.Account) store.Account {
	t.Helper()
	hash, err := account.HashPassword(officerPassword)
	if err != nil {
		t.Fatal(err)
	}
	a.PasswordHash = hash
	a, err = s.Store.CreateAccount(context.Background(), a, store.AccountChange{At: time.Now(), Actor: "test", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// enrolled gives an account a TOTP secret in force, as if it had enrolled.
func enrolled(t *testing.T, s *stacktest.Stack, a store.Account) string {
	t.Helper()
	secret, _, err := account.NewTOTPSecret(a.Username)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Store.SetTOTPSecret(ctx, a.ID, secret, "", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.EnrolTOTP(ctx, a.Username, secret, 0, store.AccountChange{At: time.Now(), Actor: "test", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	return secret
}

func screenshotDir(t *testing.T) string {
	if *updateScreenshots {
		return filepath.Join("..", "..", "docs", "screenshots")
	}
	return t.TempDir()
}

// The console in a real browser on a real stack (issue 15, items 2, 5–7):
// sign-in failure and lock-out, TOTP enrolment and sign-in, a form without
// its CSRF token refused, another county's application refused, the county
// officer's 初审 from the console applied once under a double submit, and
// axe-core finding no serious violation on the pages.
func TestConsoleInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.LockAfter = 3
	cfg.LoginLimit.N = 0 // the lock-out, not the address limit, is under test
	d, _ := calendar.ParseDate("2026-03-02")
	s := stacktest.Start(t, stacktest.Options{Console: &cfg,
		Clock: clock.Clock{Scale: 1, WallOrigin: time.Now(), BusinessOrigin: d.Start().Add(9 * time.Hour)}})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"})
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	r := s.Do("POST", "/api/v1/applications", holder, demo.Rose())
	var app struct{ ID, Stage string }
	r.JSON(t, &app)
	if r.Status != 201 || app.Stage != "county_review" {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	// A second application, of 石林, already at the city: the work queue's
	// filters have two counties to tell apart.
	embroidery := stacktest.Token(t, auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
	r = s.Do("POST", "/api/v1/applications", embroidery, demo.Embroidery())
	var second struct{ ID string }
	r.JSON(t, &second)
	if r.Status != 201 {
		t.Fatalf("submit 石林: %d %s", r.Status, r.Body)
	}
	if r := s.Do("POST", "/api/v1/applications/"+second.ID+"/county-review", shilin, map[string]any{"decision": "approve",
		"opinion": "同意推荐", "relaxations": demo.Embroidery().Relaxations()}); r.Status != 200 {
		t.Fatalf("初审 石林: %d %s", r.Status, r.Body)
	}

	t.Run("the console is beside the API: HTML pages out of /openapi.json, a Chinese 404 off the API", func(t *testing.T) {
		doc := s.Do("GET", "/openapi.json", "", nil)
		for _, page := range []string{`"/login"`, `"/work"`, `"/applications/{id}/county-review"`} {
			if strings.Contains(string(doc.Body), page) {
				t.Errorf("/openapi.json documents the page %s", page)
			}
		}
		if r := s.Do("GET", "/no-such-page", "", nil); r.Status != 404 || !strings.Contains(string(r.Body), "页面不存在") {
			t.Errorf("a missing page: %d %.200s", r.Status, r.Body)
		}
		if r := s.Do("GET", "/api/v1/no-such-endpoint", "", nil); r.Status != 404 || !strings.Contains(string(r.Body), `"not_found"`) {
			t.Errorf("a missing endpoint keeps the JSON error: %d %.200s", r.Status, r.Body)
		}
	})

	t.Run("an address with bytes that are not text, or a body too large, is answered with a Chinese page, the API's with JSON (DOMAIN: bad input)", func(t *testing.T) {
		for _, addr := range []string{"/login?next=%FF", "/no-such-page%00", "/work?county=%E5%0A"} {
			r := s.Do("GET", addr, "", nil)
			if r.Status != 400 || !strings.Contains(string(r.Body), "地址有误") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s: %d %s %.200s", addr, r.Status, r.Header.Get("Content-Type"), r.Body)
			}
		}
		if r := s.Do("GET", "/api/v1/brands?q=%FF", "", nil); r.Status != 422 || !strings.Contains(string(r.Body), `"validation_failed"`) {
			t.Errorf("the API keeps its JSON refusal: %d %.200s", r.Status, r.Body)
		}
		// A body over the limit is refused before the form is read: a page's
		// with a page, the API's with JSON.
		huge := "username=x&password=" + strings.Repeat("a", 2<<20)
		for path, want := range map[string]string{"/login": "提交的内容过大", "/api/v1/public/brands": `"body_too_large"`} {
			r, err := http.Post(s.URL+path, "application/x-www-form-urlencoded", strings.NewReader(huge))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), want) {
				t.Errorf("POST %s of 2 MB: %d %.200s; want 413 saying %s", path, r.StatusCode, body, want)
			}
		}
	})

	anning := addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	wuhua := addAccount(t, s, store.Account{Username: "wuhua", Role: "county_officer", County: "530102"})
	addAccount(t, s, store.Account{Username: "locky", Role: "city_officer"})
	kunming := addAccount(t, s, store.Account{Username: "kunming", Role: "city_officer"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)

	t.Run("the login page is in Chinese, labelled and accessible", func(t *testing.T) {
		b := b.With(t)
		b.Open("/login")
		b.WaitFor("昆明市市级劳务品牌项目库", "用户名", "密码")
		if lang := b.Eval(`document.documentElement.lang`); lang != "zh-CN" {
			t.Errorf("lang %q", lang)
		}
		b.Screenshot(shots, "console-login.png")
		b.Axe(axeJS)
	})
	t.Run("等保 身份鉴别: a wrong password is refused with a message", func(t *testing.T) {
		b := b.With(t)
		b.Open("/login")
		b.Fill("#username", "anning")
		b.Fill("#password", "Wrong-password-1")
		b.Click(`form[action="/login"] button[type=submit]`)
		b.WaitFor("用户名或密码错误")
		// Both fields are marked, as the message does not say which is wrong.
		if got := b.Eval(`[...document.querySelectorAll('#username, #password')].map(e => e.getAttribute('aria-invalid') + ' ' + e.getAttribute('aria-describedby')).join(', ')`); got != "true login-error, true login-error" {
			t.Errorf("the fields' aria-invalid and aria-describedby: %q", got)
		}
	})
	t.Run("等保 身份鉴别: repeated failures lock the account, even against the right password", func(t *testing.T) {
		b := b.With(t)
		for i := range 3 {
			b.Open("/login")
			b.Fill("#username", "locky")
			b.Fill("#password", "Wrong-password-1")
			b.Click(`form[action="/login"] button[type=submit]`)
			if i < 2 {
				b.WaitFor("用户名或密码错误", "账户将被锁定")
			}
		}
		b.WaitFor("已被锁定")
		b.Open("/login")
		b.Fill("#username", "locky")
		b.Fill("#password", officerPassword)
		b.Click(`form[action="/login"] button[type=submit]`)
		b.WaitFor("已被锁定")
		a, _ := s.Store.AccountByUsername(context.Background(), "locky")
		if a.LockedUntil == nil || a.LockedUntil.Before(time.Now().Add(10*time.Minute)) {
			t.Errorf("locked until %v", a.LockedUntil)
		}
	})
	t.Run("a form posted without its CSRF token is refused (403)", func(t *testing.T) {
		b := b.With(t)
		b.Open("/login")
		b.WaitFor("登录")
		b.Eval(`document.querySelector('input[name=csrf]').remove(); ''`)
		b.Fill("#username", "anning")
		b.Fill("#password", officerPassword)
		b.Click(`form[action="/login"] button[type=submit]`)
		b.WaitFor("请求未通过安全校验", "403")
	})

	var totpSecret string
	t.Run("等保 身份鉴别: an officer enrols TOTP at the first sign-in", func(t *testing.T) {
		b := b.With(t)
		b.Open("/login")
		b.Fill("#username", "anning")
		b.Fill("#password", officerPassword)
		b.Click(`form[action="/login"] button[type=submit]`)
		b.WaitFor("绑定动态口令", "密钥")
		b.Open("/work") // not signed in until enrolled
		b.WaitFor("绑定动态口令")
		totpSecret = strings.ReplaceAll(b.Eval(`document.getElementById('totp-secret').textContent`), " ", "")
		if ok := b.Eval(`fetch('/account/totp/qr.png').then(r => r.headers.get('content-type'))`); ok != "image/png" {
			t.Errorf("QR code: %s", ok)
		}
		code, _ := account.TOTPCode(totpSecret, time.Now())
		b.Fill("#code", code)
		b.Click(`form[action="/account/totp"] button[type=submit]`)
		b.WaitFor("待办事项", "anning", "县（市、区）人社部门")
		// 等保 数据保密性: the database keeps the secret sealed, never as typed.
		var stored string
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT totp_secret FROM accounts WHERE username = 'anning'`).Scan(&stored); err != nil ||
			!strings.HasPrefix(stored, "v1:") || strings.Contains(stored, totpSecret) {
			t.Errorf("stored TOTP secret %q (%v): want it sealed", stored, err)
		}
	})
	t.Run("the work queue lists the county's 初审, soonest due first", func(t *testing.T) {
		b := b.With(t)
		b.Open("/work")
		b.WaitFor("县级初审", "安宁玫瑰", "安宁市", "办理中")
		b.Screenshot(shots, "console-work-queue.png")
		b.Axe(axeJS)
		b.SignOut()
	})
	t.Run("等保 身份鉴别: an account locked at its code step is refused the right code, and its password is asked again", func(t *testing.T) {
		b := b.With(t)
		// On a browser that has not signed in to it in full before: a known
		// device is stopped by its own failures only, not by a stranger's
		// (TestALockSetOffByAStrangerDoesNotKeepTheOwnerOut).
		if _, err := chromedp.Call(b.Ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "lb_device", URL: s.URL}); err != nil {
			t.Fatal(err)
		}
		b.Open("/login")
		b.Fill("#username", "anning")
		b.Fill("#password", officerPassword)
		b.Click(`form[action="/login"] button[type=submit]`)
		b.WaitFor("动态口令验证")
		// Meanwhile someone elsewhere guesses the password until it locks.
		ctx := context.Background()
		by := store.AccountChange{At: time.Now(), Actor: "anning", Role: "county_officer"}
		t.Cleanup(func() { // the subtests after this one sign anning in
			if err := s.Store.UnlockAccount(ctx, "anning", by); err != nil {
				t.Error(err)
			}
		})
		for range 3 {
			a, err := s.Store.AccountByUsername(ctx, "anning")
			if err != nil {
				t.Fatal(err)
			}
			try, err := s.Store.ClaimSignInTry(ctx, a.ID, 3, 15*time.Minute, by)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Store.SignInFailed(ctx, a, "wrong_password", try, 3, 15*time.Minute, by); err != nil {
				t.Fatal(err)
			}
		}
		code, _ := account.TOTPCode(totpSecret, time.Now().Add(30*time.Second))
		b.Fill("#code", code)
		b.Click(`form[action="/login/totp"] button[type=submit]`)
		// The sign-in page it falls back to states the lock-out's count.
		b.WaitFor("已被锁定", "连续 3 次输入有误")
		b.Open("/login/totp") // the session ended with the refusal
		if text := b.WaitFor("用户名", "密码"); strings.Contains(text, "动态口令验证") {
			t.Errorf("the code step outlived the lock:\n%s", text)
		}
	})
	t.Run("等保 身份鉴别: sign-in with password and a TOTP code ends at the page opened signed out (a mail's link)", func(t *testing.T) {
		b := b.With(t)
		b.Open("/applications/" + app.ID)
		b.WaitFor("用户名", "密码")
		b.SignIn("anning", officerPassword, totpSecret)
		if at := b.Eval(`location.pathname`); at != "/applications/"+app.ID {
			t.Errorf("signed in at %s, want the application's page it was asked for", at)
		}
		b.WaitFor("安宁玫瑰")
		jar, err := chromedp.Call(b.Ctx, network.GetCookies, network.GetCookiesParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range jar.Cookies {
			if c.Name == "lb_asked" && c.Value != "" {
				t.Errorf("the page asked for is kept after the sign-in that used it: %q", c.Value)
			}
		}
	})

	t.Run("第十一条: the county officer approves from the console, and a resubmitted form applies once", func(t *testing.T) {
		b := b.With(t)
		b.Open("/applications/" + app.ID)
		b.WaitFor("安宁玫瑰", "县级初审（第十一条）", "初审结论")
		b.Axe(axeJS)
		b.Click(`input[name=decision][value=approve]`)
		b.Fill("#county-review-opinion", "材料齐全，符合第八条条件，同意推荐。")
		b.Click(`.decision button.primary`)
		b.WaitFor("请确认以下内容", "通过，报市级复审")
		// People: the confirmation opens where the officer is looking — the
		// 办理 part, below the whole 推荐表 —, not at the top of a page that
		// looks unchanged.
		if in := b.Eval(`new Promise(done => setTimeout(() => { const r = document.querySelector('.decision .confirm').getBoundingClientRect();
			done(String(r.top >= 0 && r.top < innerHeight)) }, 300))`); in != "true" {
			t.Error("the confirmation step opens out of view, at the top of the application page")
		}
		b.Screenshot(shots, "console-application-confirm.png")
		form := b.Eval(`JSON.stringify([...new FormData(document.querySelector('.decision form')).entries()])`)
		b.Click(`#confirm-decision`)
		b.WaitFor("初审决定已提交", "市级复审")
		// …and, taken, the page opens where it says so, not at the form.
		if in := b.Eval(`new Promise(done => setTimeout(() => { const r = document.querySelector('main .notice[role=status]').getBoundingClientRect();
			done(String(r.top >= 0 && r.bottom <= innerHeight)) }, 300))`); in != "true" {
			t.Error("the decision's notice is out of view once it is taken")
		}
		b.Screenshot(shots, "console-application.png")
		// The same form again (a double click, the browser's resubmit):
		// the same idempotency key gets the first answer.
		again := b.Eval(`fetch(location.pathname.replace(/$/, '') + '/county-review', {method: 'POST',
			body: new URLSearchParams(` + form + `)}).then(r => r.status + ' ' + r.url)`)
		if !strings.HasPrefix(again, "200 ") || !strings.Contains(again, "done=county-review") {
			t.Errorf("resubmitted form: %s", again)
		}
		var view struct {
			Stage   string
			History []struct{ Action string }
		}
		s.Do("GET", "/api/v1/applications/"+app.ID, city, nil).JSON(t, &view)
		reviews := 0
		for _, h := range view.History {
			if h.Action == "county_review.approve" {
				reviews++
			}
		}
		if view.Stage != "city_review" || reviews != 1 {
			t.Errorf("stage %s, %d county reviews in %+v", view.Stage, reviews, view.History)
		}
		// 第十条 (推荐表 signed and sealed): the paper the holder brought to
		// the bureau, scanned by its officer from the application's page.
		b.Click(`a[href="/applications/` + app.ID + `/signed-forms"]`)
		b.WaitFor("签字盖章的推荐表（附件1）", "尚未上传")
		scan := filepath.Join(t.TempDir(), "附件1.pdf")
		if err := os.WriteFile(scan, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		b.Fill("#signer", "张云华")
		b.Fill("#signed_on", "2025-08-01")
		b.Click(`input[name=seal_present][value=true]`)
		if _, err := chromedp.Run(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS(`#signed_file`), []string{scan})); err != nil {
			t.Fatal(err)
		}
		b.Click(`form[action$="/signed-forms"] button[type=submit]`)
		b.WaitFor("签字盖章的推荐表（附件1）已上传", "张云华 签字于 2025-08-01，已盖章", "上传时现行推荐表第1版")
		b.Open("/applications/" + app.ID)
		b.WaitFor("签字盖章的推荐表（附件1）", "张云华 签字于 2025-08-01，已盖章")
		b.SignOut()
	})
	t.Run("第十一条: another county's officer is refused the application", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("wuhua", officerPassword, enrolled(t, s, wuhua))
		status := b.Eval(`fetch('/applications/` + app.ID + `').then(r => String(r.status))`)
		b.Open("/applications/" + app.ID)
		text := b.WaitFor("无权访问")
		if status != "403" || strings.Contains(text, "安宁玫瑰") {
			t.Errorf("status %s; page:\n%s", status, text)
		}
		if status := b.Eval(`fetch('/applications/` + app.ID + `/signed-forms').then(r => String(r.status))`); status != "403" {
			t.Errorf("another county's officer: the signed 附件1's page answers %s", status)
		}
	})
	t.Run("the work queue filters by county, stage and kind", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("kunming", officerPassword, enrolled(t, s, kunming))
		b.Open("/work")
		b.WaitFor("县（市、区）", "阶段", "事项类型", "安宁玫瑰", "石林撒尼刺绣", "显示 2 条，共 2 条")
		submit := `form[action="/work"] button[type=submit]`
		b.Fill("#w-county", "530126")
		b.Click(submit)
		if text := b.WaitFor("显示 1 条，共 1 条", "石林撒尼刺绣"); strings.Contains(text, "安宁玫瑰") {
			t.Errorf("an 安宁 task under 石林:\n%s", text)
		}
		if kept := b.Eval(`document.getElementById('w-county').value`); kept != "530126" {
			t.Errorf("the county filter shows %q after filtering", kept)
		}
		b.Axe(axeJS)
		b.Fill("#w-county", "")
		b.Fill("#w-kind", "county_review")
		b.Click(submit)
		b.WaitFor("没有符合筛选条件的待办事项")
		b.Fill("#w-kind", "city_review")
		b.Fill("#w-stage", "city_review")
		b.Click(submit)
		b.WaitFor("显示 2 条，共 2 条", "安宁玫瑰", "石林撒尼刺绣")
		b.Open("/work?stage=reviewing")
		b.WaitFor("查询参数有误", "须为")
	})
	t.Run("keyboard only: the city officer reaches the 复审 form with Tab, chooses with the arrows and submits with Enter", func(t *testing.T) {
		b := b.With(t)
		b.Open("/applications/" + second.ID)
		b.WaitFor("石林撒尼刺绣", "市级复审（第十二条）")
		tabTo(t, b, `#form-city-review input[name=decision]`)
		for range 3 {
			if b.Eval(`String(document.querySelector('#form-city-review input[value=reject]').checked)`) == "true" {
				break
			}
			press(t, b, kb.ArrowDown)
		}
		tabTo(t, b, `#city-review-opinion`)
		press(t, b, "未开展实地核查，不予入库。")
		tabTo(t, b, `#form-city-review button.primary`)
		press(t, b, kb.Enter)
		b.WaitFor("请确认以下内容", "未开展实地核查，不予入库。")
		tabTo(t, b, `#confirm-decision`)
		press(t, b, kb.Enter)
		b.WaitFor("复审决定已提交")
		var view struct{ Stage string }
		s.Do("GET", "/api/v1/applications/"+second.ID, city, nil).JSON(t, &view)
		if view.Stage != "rejected" {
			t.Errorf("stage %s after the keyboard's 不予入库", view.Stage)
		}
	})
	t.Run("printed, the application page is the record without navigation or forms", func(t *testing.T) {
		b := b.With(t)
		b.Open("/applications/" + app.ID)
		b.WaitFor("安宁玫瑰", "市级复审（第十二条）")
		printedWithoutNavigationOrForms(t, b)
		b.SignOut()
	})
	t.Run("every sign-in, failure, lock-out and sign-out is in the audit chain", func(t *testing.T) {
		n, broken, err := s.Store.VerifyAudit(context.Background())
		if err != nil || broken != nil {
			t.Fatalf("chain: %v %+v", err, broken)
		}
		rows, _ := s.Store.AuditFor(context.Background(), "account", "locky")
		actions := map[string]int{}
		for _, r := range rows {
			actions[r.Action]++
		}
		if actions["console.sign_in_failed"] < 3 || actions["console.locked"] != 1 {
			t.Errorf("locky's audit: %v (chain of %d rows)", actions, n)
		}
		rows, _ = s.Store.AuditFor(context.Background(), "account", anning.Username)
		got, _ := json.Marshal(rows)
		for _, want := range []string{"console.sign_in", "console.sign_out", "account.totp_enrol"} {
			if !strings.Contains(string(got), `"`+want+`"`) {
				t.Errorf("anning's audit lacks %s: %s", want, got)
			}
		}
	})
}

// tabTo presses Tab until the element css selects has the focus, as a
// keyboard user reaches it.
func tabTo(t *testing.T, b *browsertest.Browser, css string) {
	t.Helper()
	for range 300 {
		if b.Eval(`String(document.activeElement !== null && document.activeElement.matches('`+css+`'))`) == "true" {
			return
		}
		press(t, b, kb.Tab)
	}
	t.Fatalf("Tab never reaches %s", css)
}

// press sends keys (kb's names, or text) to the focused element.
func press(t *testing.T, b *browsertest.Browser, keys string) {
	t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("press %q: %v", keys, err)
	}
}

// printedWithoutNavigationOrForms emulates print media on the open page
// (issue 15 item 6: print styles for application and brand pages): the
// record shows, no navigation, form or control does.
func printedWithoutNavigationOrForms(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}) }()
	shown := b.Eval(`[...document.querySelectorAll('nav, form, button, input, select, textarea, .decision, .skip')]
		.filter(e => e.checkVisibility()).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')).join(' ')`)
	if shown != "" {
		t.Errorf("printed, the page still shows: %s", shown)
	}
	if main := b.Eval(`String(document.querySelector('main').checkVisibility() && document.querySelector('main h1').checkVisibility())`); main != "true" {
		t.Error("printed, the page's record is hidden")
	}
	// A table that scrolls on screen prints whole, not cut at the edge.
	if clipped := b.Eval(`[...document.querySelectorAll('.table-wrap')].filter(e => getComputedStyle(e).overflowX !== 'visible').length + ''`); clipped != "0" {
		t.Errorf("printed, %s table boxes still clip what is wider than the page", clipped)
	}
}
