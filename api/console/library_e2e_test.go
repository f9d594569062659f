package console_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issues 13 and 14 in the console: the statistics page with its charts
// and downloads, the documents page with every printed document and
// export, the list pages' exports with their filters, and the supervision
// page whose questions open the Temporal UI's filtered lists; axe-core
// finds no serious violation.
func TestLibraryPagesInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	papertest.Fonts(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	cfg.TemporalUI = "http://temporal-ui.example:8233/"
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1)})
	admitBrand(t, s, demo.Rose(), "2025-06-20")
	admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	addAccount(t, s, store.Account{Username: "taskforce", Role: "city_officer"})
	addAccount(t, s, store.Account{Username: "shilin", Role: "county_officer", County: "530126"})
	addAccount(t, s, store.Account{Username: "watcher", Role: "supervisor"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)
	// fetch downloads href in the page, as the signed-in person, and
	// answers its status, media type and first bytes.
	fetch := func(b *browsertest.Browser, href string) string {
		return b.Eval(`fetch(` + jsString(href) + `).then(async r => r.status + ' ' + r.headers.get('content-type') + ' ' +
			new TextDecoder().decode((await r.arrayBuffer()).slice(0, 4)))`)
	}
	const pdf, xlsx = "200 application/pdf %PDF", "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK\x03\x04"

	t.Run("the statistics page shows the figures and their charts", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("taskforce", officerPassword, "")
		b.Open("/statistics?year=2026")
		b.WaitFor("2026 年概况", "项目库劳务品牌（现有）", "2个：正常2个", "石林彝族自治县", "安宁市", "图表", "统计截至 2026-")
		if alt := b.Eval(`document.querySelector('figure.chart img').alt`); alt != "各县（市、区）劳务品牌数量" {
			t.Errorf("the first chart's text alternative is %q", alt)
		}
		// Every chart drawn (or, after 30 s, what is): each image loaded
		// with a width.
		if n := b.Eval(`new Promise(ok => { const end = Date.now() + 30000; const check = () => {
			const imgs = [...document.querySelectorAll('figure.chart img')], drawn = imgs.filter(i => i.complete && i.naturalWidth > 0);
			if ((imgs.length && drawn.length === imgs.length) || Date.now() > end) ok(drawn.length + ' of ' + imgs.length); else setTimeout(check, 100) }; check() })`); n != "8 of 8" {
			t.Errorf("%s charts drawn, want 8 of 8", n)
		}
		for _, href := range []string{"/statistics/yearly-report.pdf?year=2026", "/statistics/yearly-report.xlsx?year=2026", "/statistics.xlsx?year=2026"} {
			want := pdf
			if strings.HasSuffix(strings.Split(href, "?")[0], ".xlsx") {
				want = xlsx
			}
			if got := fetch(b, href); got != want {
				t.Errorf("%s: %q, want %q", href, got, want)
			}
		}
		b.Screenshot(shots, "console-statistics.png")
		b.Axe(axeJS)
	})
	t.Run("the documents page links every document and export", func(t *testing.T) {
		b := b.With(t)
		b.Open("/documents")
		b.WaitFor("公示与入库名单", "2025年第一批", "年度统计报告", "导出 Excel", "劳务品牌目录")
		for _, href := range []string{"/api/v1/public/notices.pdf?round=R-2025", "/api/v1/public/admitted-list.pdf?round=R-2025",
			"/statistics/yearly-report.pdf?year=2025", "/exports/brands.xlsx", "/exports/applications.xlsx", "/exports/tasks.xlsx?overdue=true"} {
			if b.Eval(`String(!!document.querySelector('a[href="`+strings.ReplaceAll(href, "&", "&amp;")+`"], a[href="`+href+`"]'))`) != "true" {
				t.Errorf("no link to %s", href)
			}
			want := pdf
			if strings.Contains(href, ".xlsx") {
				want = xlsx
			}
			if got := fetch(b, href); got != want {
				t.Errorf("%s: %q, want %q", href, got, want)
			}
		}
		b.Axe(axeJS)
		b.Open("/rounds")
		b.WaitFor("2025年第一批", "入库名单（PDF）")
		if b.Eval(`String(!!document.querySelector('a[href="/api/v1/public/admitted-list.pdf?round=R-2025"]'))`) != "true" {
			t.Error("the rounds page does not link the round's 入库名单")
		}
	})
	t.Run("the brand list exports what it shows", func(t *testing.T) {
		b := b.With(t)
		b.Open("/brands?county=530126")
		b.WaitFor("按当前筛选导出 Excel")
		href := b.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent === '按当前筛选导出 Excel').getAttribute('href')`)
		if href != "/exports/brands.xlsx?county=530126" {
			t.Errorf("export link %q", href)
		}
		if got := fetch(b, href); got != xlsx {
			t.Errorf("%s: %q", href, got)
		}
		if got := fetch(b, "/exports/other.xlsx"); !strings.HasPrefix(got, "404 ") {
			t.Errorf("an unknown export: %q", got)
		}
		// RULES §6 (privacy): a page left by a link is not kept in the
		// browser's storage (htmx's history cache), where it would outlive
		// the sign-out on a shared office computer.
		b.Click(`header a[href="/documents"]`)
		b.WaitFor("公示与入库名单")
		if kept := b.Eval(`String(localStorage.getItem('htmx-history-cache'))`); kept != "null" {
			t.Errorf("pages kept in localStorage after a link: %.200s", kept)
		}
		b.Eval(`history.back(), 'ok'`) // the page left comes back, asked of the server again
		b.WaitFor("按当前筛选导出 Excel")
		b.SignOut()
	})
	t.Run("a county officer reads its own county's figures", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("shilin", officerPassword, "")
		b.Open("/statistics")
		if text := b.WaitFor("2026 年概况（石林彝族自治县）", "1个：正常1个"); strings.Contains(text, "安宁市") {
			t.Error("another county's brands on a county officer's page")
		}
		if got := fetch(b, "/statistics.xlsx?county=530181"); !strings.HasPrefix(got, "403 ") {
			t.Errorf("another county's workbook: %q", got)
		}
		// The supervision page names the internal Temporal UI: not a
		// county officer's, whatever the address typed.
		if got := fetch(b, "/supervision"); !strings.HasPrefix(got, "403 ") {
			t.Errorf("the supervision page for a county officer: %q", got)
		}
		b.SignOut()
	})
	t.Run("the supervision page opens the Temporal UI's lists", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("watcher", officerPassword, "")
		b.Open("/supervision")
		b.WaitFor("流程督查", "已逾期的流程", "公示中", "二级整改中", "暂停标识使用中", "安宁市")
		href := b.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.startsWith('二级整改中')).href`)
		u, err := url.Parse(href)
		if err != nil || u.Host != "temporal-ui.example:8233" || u.Path != "/namespaces/default/workflows" ||
			u.Query().Get("query") != "BrandStatus = 'rectifying' AND LadderLevel = 2" {
			t.Errorf("level 2 link %q", href)
		}
		overdue := b.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent.startsWith('已逾期')).href`)
		if u, _ := url.Parse(overdue); !strings.HasPrefix(u.Query().Get("query"), `ExecutionStatus = 'Running' AND NextDeadline < "2026-09-01T`) {
			t.Errorf("overdue link %q: not now in business time", overdue)
		}
		b.Screenshot(shots, "console-supervision.png")
		b.Axe(axeJS)
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
