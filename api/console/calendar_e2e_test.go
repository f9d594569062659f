package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 15 item 4 (RULES §5) in a browser: the month grid shows holidays,
// 调休 and a county's day off; an admin loads a year's schedule only after a
// preview listing every open deadline it would move — an application's 初审
// and a brand's suspension decision — with the API's field errors inline;
// an application's deadline opens to how it was computed; axe-core finds no
// serious violation.
func TestCalendarAdministrationInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1)})
	rose := admitBrand(t, s, demo.Rose(), "2025-06-20")
	anning := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if r := s.Do("POST", "/api/v1/brands/"+rose+"/findings", anning, map[string]any{
		"reason": "serious_dishonesty_list", "description": "被列入严重违法失信名单（信用中国公示）"}); r.Status != 200 {
		t.Fatalf("finding: %d %s", r.Status, r.Body)
	}
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第二批", "opens_on": "2026-08-01", "closes_on": "2026-10-31"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-tea", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	r := s.Do("POST", "/api/v1/applications", holder, demo.Embroidery())
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	appID := r.Map(t)["id"].(string)
	addAccount(t, s, store.Account{Username: "keeper", Role: "admin"})
	addAccount(t, s, store.Account{Username: "shilin", Role: "county_officer", County: "530126"})
	addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)

	// The official 2026 schedule with one more day off, Tuesday 2026-09-08:
	// every deadline counted across it moves a working day.
	var sch calendar.Schedule
	for _, e := range calendar.Embedded() {
		if e.Year == 2026 {
			sch = e
		}
	}
	dates := func(ds []calendar.Date) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.String())
		}
		return strings.Join(out, "\n")
	}

	t.Run("the month grid: holidays, 调休, provisional years", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("keeper", officerPassword, "")
		b.Open("/calendar?month=2026-10")
		b.WaitFor("2026年10月", "国庆节", "调休上班", "国办发明电〔2025〕7号")
		b.Screenshot(shots, "console-calendar.png")
		b.Axe(axeJS)
		b.Open("/calendar?month=2031-01")
		b.WaitFor("2031年1月", "暂定", "2031 年的放假安排尚未公布")
	})
	t.Run("RULES §5: a bad schedule is refused field by field", func(t *testing.T) {
		b := b.With(t)
		b.Open("/calendar")
		b.Fill("#load-year", "2026")
		b.Fill("#load-off", "2026-09-08 2026-13-40")
		b.Click(`form[action="/calendar/preview"] button.primary`)
		b.WaitFor("节假日安排有误", `"2026-13-40" 不是日期：须为 YYYY-MM-DD`, "必填：国务院办公厅通知的标题和文号")
		b.Axe(axeJS)
	})
	t.Run("RULES §5: the preview lists every deadline that would move, then the load applies once", func(t *testing.T) {
		b := b.With(t)
		b.Open("/calendar")
		b.Fill("#load-year", "2026")
		b.Fill("#load-notice", sch.Notice+"（补充：2026-09-08 放假）")
		b.Fill("#load-off", dates(sch.Off)+"\n2026-09-08")
		b.Fill("#load-work", dates(sch.Work))
		b.Click(`form[action="/calendar/preview"] button.primary`)
		text := b.WaitFor("加载前预览", "尚未保存任何内容", "安宁玫瑰", "石林撒尼刺绣", "初审办理期限", "暂停决定期限", "确认加载")
		if strings.Contains(text, "无法判断") {
			t.Errorf("a deadline the preview could not judge:\n%s", text)
		}
		b.Screenshot(shots, "console-calendar-preview.png")
		b.Axe(axeJS)
		// Nothing is stored before the confirmation.
		if v := s.Do("GET", "/api/v1/calendar/days?from=2026-09-08&to=2026-09-08", city, nil).Map(t); !v["days"].([]any)[0].(map[string]any)["workday"].(bool) {
			t.Fatal("the preview changed the calendar")
		}
		b.Click(`form[action="/calendar/load"] button.primary`)
		b.WaitFor("2026 年的放假安排已加载")
		v := s.Do("GET", "/api/v1/calendar/days?from=2026-09-08&to=2026-09-08", city, nil).Map(t)
		if v["days"].([]any)[0].(map[string]any)["workday"].(bool) {
			t.Error("2026-09-08 is still a working day after the load")
		}
		// The same schedule loaded again is no revision, and the page says
		// so rather than that deadlines will be recomputed.
		before := s.Do("GET", "/api/v1/calendar/days?from=2026-09-08&to=2026-09-08", city, nil).Map(t)["calendar_version"]
		b.Open("/calendar")
		b.Fill("#load-year", "2026")
		b.Fill("#load-notice", sch.Notice+"（补充：2026-09-08 放假）")
		b.Fill("#load-off", "2026-09-08\n"+dates(sch.Off))
		b.Fill("#load-work", dates(sch.Work))
		b.Click(`form[action="/calendar/preview"] button.primary`)
		b.WaitFor("加载前预览", "确认加载")
		b.Click(`form[action="/calendar/load"] button.primary`)
		if text := b.WaitFor("2026 年的放假安排与现行安排完全相同，未作改动"); strings.Contains(text, "将按新日历重算") {
			t.Errorf("an identical load told of a recomputation:\n%s", text)
		}
		if after := s.Do("GET", "/api/v1/calendar/days?from=2026-09-08&to=2026-09-08", city, nil).Map(t)["calendar_version"]; after != before {
			t.Errorf("calendar version %v after an identical load, want %v", after, before)
		}
	})
	t.Run("RULES §5: a county's local day off, on that county's grid only", func(t *testing.T) {
		b := b.With(t)
		b.Open("/calendar")
		b.Fill("#cd-county", "530126")
		b.Fill("#cd-day", "2026-11-16")
		b.Click(`form[action="/calendar/county-days"] button.primary`)
		// Refused (no name), the page shows the calendar being added to.
		b.WaitFor("必填：节日名称")
		if title := b.Eval(`document.getElementById('month-title').textContent`); title != "2026年11月 · 石林彝族自治县" {
			t.Errorf("the refused day off shows the calendar %q, want 石林's November", title)
		}
		b.Fill("#cd-name", "火把节（测试）")
		b.Click(`form[action="/calendar/county-days"] button.primary`)
		b.WaitFor("地方假日已添加", "石林彝族自治县", "火把节（测试）")
		// The same day again, under another name: nothing changes, and the
		// page says so rather than that it was added.
		b.Open("/calendar")
		b.Fill("#cd-county", "530126")
		b.Fill("#cd-day", "2026-11-16")
		b.Fill("#cd-name", "另一个名称")
		b.Click(`form[action="/calendar/county-days"] button.primary`)
		b.WaitFor("这一天已是地方假日，未作改动", "火把节（测试）")
		b.Open("/calendar?month=2026-11")
		if text := b.WaitFor("2026年11月"); strings.Contains(text, "火把节") {
			t.Error("the city's grid shows 石林's day off")
		}
	})
	t.Run("an application's 初审 deadline explains itself", func(t *testing.T) {
		b := b.With(t)
		b.SignOut()
		b.SignIn("shilin", officerPassword, "")
		b.Open("/applications/" + appID)
		b.WaitFor("办理期限", "期限是怎样算的")
		b.Click(`.deadlines details.explain summary`)
		b.WaitFor("第一个计入的日子", "第 1 个工作日", "《民法典》第二百零一条")
		b.Axe(axeJS)
		// A county officer's calendar opens on its own county, local days
		// off and all; the city's is one choice away, and stays chosen.
		b.Open("/calendar?month=2026-11")
		b.WaitFor("2026年11月 · 石林彝族自治县", "火把节（测试）")
		b.Open("/calendar?month=2026-11&county=")
		b.Click(`a[href^="/calendar?month=2026-12"]`)
		b.WaitFor("2026年12月")
		if title := b.Eval(`document.getElementById('month-title').textContent`); title != "2026年12月" {
			t.Errorf("the next month of the city's calendar is %q, want the city's", title)
		}
	})
	// The history's line for a revision lists what it moved by name: the
	// record keeps each deadline's key (county_review), a person reads 初审办理期限.
	t.Run("RULES §5: the history names each deadline the load moved, in Chinese", func(t *testing.T) {
		b := b.With(t)
		text := openUntil(t, b, "/applications/"+appID, "期限重新计算")
		if !strings.Contains(text, "初审办理期限 → ") || strings.Contains(text, "county_review") {
			t.Errorf("the application's history does not name its 初审 deadline in Chinese:\n%.2000s", text)
		}
		b.SignOut()
		b.SignIn("anning", officerPassword, "")
		text = openUntil(t, b, "/brands/"+rose, "期限重新计算")
		if !strings.Contains(text, "暂停决定期限 → ") || strings.Contains(text, "suspension_decision") {
			t.Errorf("the brand's history does not name its suspension decision's deadline in Chinese:\n%.2000s", text)
		}
		b.Screenshot(shots, "console-brand-history-recomputed.png")
	})
	t.Run("RULES §5: a county's day off entered by mistake is taken back", func(t *testing.T) {
		b := b.With(t)
		b.SignOut()
		b.SignIn("keeper", officerPassword, "")
		b.Open("/calendar?month=2026-11&county=530126")
		b.WaitFor("2026-11-16 火把节（测试）", "撤销（误录时）")
		b.Click(`form[action="/calendar/county-days/remove"] button[type=submit]`)
		text := b.WaitFor("地方假日已撤销")
		if strings.Contains(text, "火把节") {
			t.Error("石林's grid still shows the day off taken back")
		}
		if title := b.Eval(`document.getElementById('month-title').textContent`); title != "2026年11月 · 石林彝族自治县" {
			t.Errorf("after taking it back the page shows %q, want 石林's November", title)
		}
		b.Axe(axeJS)
	})
}

// openUntil opens path until its page shows want (a step a process records
// after the request that caused it), and returns the page's text.
func openUntil(t *testing.T, b *browsertest.Browser, path, want string) string {
	t.Helper()
	var text string
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if !testenv.PollEvery(ctx, time.Second, func() bool {
		b.Open(path)
		text = b.WaitFor() // the page has settled
		return strings.Contains(text, want)
	}) {
		t.Fatalf("%s never shows %q:\n%.2000s", path, want, text)
	}
	return text
}
