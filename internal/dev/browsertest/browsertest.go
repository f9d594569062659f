// Package browsertest drives Debian's Chromium (headless, through
// chromedp) for the console's browser tests: start a browser, open pages,
// wait for what they show, sign in as a role, run axe-core, take
// screenshots.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
)

// Chromium is the browser binary; without one the test is skipped, except
// in CI (CI=true), where .ci/run installs it.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: .ci/run installs it (apt-get install -y chromium fonts-noto-cjk)")
	}
	t.Skip("no chromium on PATH (apt-get install -y chromium fonts-noto-cjk)")
	return ""
}

// Browser is one headless Chromium tab, at an office screen's size
// (1366×768), on a site at Base.
type Browser struct {
	Ctx  context.Context
	Base string
	t    testing.TB
}

// Start starts headless Chromium for t (tried three times: a start on a
// busy machine fails now and then); it stops when t ends.
func Start(t testing.TB, base string) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(Chromium(t)), chromedp.NoSandbox,
		chromedp.WindowSize(1366, 768), chromedp.Flag("lang", "zh-CN"))
	var err error
	for range 3 {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(actx)
		if err = chromedp.Do(ctx); err == nil {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
			t.Cleanup(func() { cancel(); cancelBrowser(); cancelAlloc() })
			return &Browser{Ctx: ctx, Base: base, t: t}
		}
		cancelBrowser()
		cancelAlloc()
	}
	t.Fatalf("start chromium: %v", err)
	return nil
}

// With is b reporting to t (a subtest): a failure inside a subtest must be
// that subtest's.
func (b *Browser) With(t testing.TB) *Browser {
	c := *b
	c.t = t
	return &c
}

// Open navigates to path (on Base).
func (b *Browser) Open(path string) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(b.Base+path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

// Text is the page's visible text.
func (b *Browser) Text() string {
	text, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return text
}

// settled is true when the page has loaded and htmx is idle. Loaded means
// its scripts have run: text can show before htmx has bound the page's
// triggers, and an input sent then is lost (a CI run under load filled
// the 推荐表 into a page not yet bound). Idle means no htmx request is in
// flight (an autosave, a boosted form) and no swap is settling: a boosted
// page scrolls to its top only as it settles, after its new text shows,
// so a click aimed in between lands where the button was (a CI run
// clicked beside 确认提交 on the review page). And a frame has passed: the
// console scrolls a decision's answer into view in the frame after htmx
// settles (a CI run clicked beside a radio button of the suspension
// decision, and sent the form without it).
func (b *Browser) settled() bool {
	ok, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>
		r(document.readyState === 'complete' && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')))))`,
		chromedp.EvalAwaitPromise))
	return ok
}

// WaitFor waits until the page has settled and shows every string of
// want, and returns its text.
func (b *Browser) WaitFor(want ...string) string {
	b.t.Helper()
	var text string
	ok := testenv.Poll(30*time.Second, func() bool {
		if !b.settled() {
			return false
		}
		text = b.Text()
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
	if !ok {
		url, _ := chromedp.Run(b.Ctx, chromedp.Location())
		b.t.Fatalf("%s does not show all of %q; it shows:\n%s", url, want, text)
	}
	return text
}

// Fill sets the value of the field selected by css.
func (b *Browser) Fill(css, value string) {
	b.t.Helper()
	if err := chromedp.Do(b.Ctx, chromedp.SetValue(chromedp.CSS(css), value)); err != nil {
		b.t.Fatalf("fill %s: %v", css, err)
	}
}

// Click clicks the element selected by css, once the page has settled.
func (b *Browser) Click(css string) {
	b.t.Helper()
	if !testenv.Poll(30*time.Second, b.settled) {
		b.t.Fatalf("click %s: the page did not settle", css)
	}
	if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		b.t.Fatalf("click %s: %v", css, err)
	}
}

// Eval evaluates JavaScript in the page, awaiting a promise, and returns
// its string result.
func (b *Browser) Eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.80s: %v", js, err)
	}
	return v
}

// SignIn signs in at /login as username; with totpSecret it answers the
// second-factor page with a code computed from it (one step ahead, as the
// step now may have been used by the enrolment).
func (b *Browser) SignIn(username, password, totpSecret string) {
	b.t.Helper()
	b.Open("/login")
	b.WaitFor("登录")
	b.Fill("#username", username)
	b.Fill("#password", password)
	b.Click(`form[action="/login"] button[type=submit]`)
	if totpSecret == "" {
		b.WaitFor("退出")
		return
	}
	b.WaitFor("动态口令验证")
	code, err := account.TOTPCode(totpSecret, time.Now().Add(30*time.Second))
	if err != nil {
		b.t.Fatal(err)
	}
	b.Fill("#code", code)
	b.Click(`form[action="/login/totp"] button[type=submit]`)
	b.WaitFor("退出")
}

// SignOut presses 退出.
func (b *Browser) SignOut() {
	b.t.Helper()
	b.Click(`form[action="/logout"] button`)
	b.WaitFor("您已安全退出")
}

// Screenshot saves the page (full height) as dir/name.
func (b *Browser) Screenshot(dir, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(dir+"/"+name, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// Violation is one axe-core finding.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// Axe runs axe-core (its source, axeJS) in the page against WCAG 2.1 A and
// AA and fails t for every serious or critical violation. The script is
// injected through the DevTools protocol, so the page's own content
// security policy (no inline or foreign script) stays as served.
func (b *Browser) Axe(axeJS []byte) []Violation {
	b.t.Helper()
	loaded, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](string(axeJS)+";typeof axe === 'object'"))
	if err != nil || !loaded {
		b.t.Fatalf("load axe-core: %v", err)
	}
	raw := b.Eval(`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => JSON.stringify(r.violations))`)
	var all []Violation
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		b.t.Fatal(err)
	}
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("axe-core %s (%s): %s at %v", v.ID, v.Impact, v.Help, targets(v))
		}
	}
	return all
}

func targets(v Violation) string {
	var out []string
	for _, n := range v.Nodes {
		out = append(out, fmt.Sprint(n.Target...))
	}
	return strings.Join(out, ", ")
}
