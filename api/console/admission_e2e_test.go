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
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

// 第十条–第十四条 through the console's pages in a real browser (issue 15
// item 7): the county officer approves, the city draws experts, each drawn
// expert gives an opinion, the city approves, enters a mailed objection and
// rules on it, and the application is admitted once the 5-working-day
// notice has passed — axe-core finding no serious violation on each page.
func TestDecision_Admission_WholeJourneyInTheConsole(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false // TOTP has its own test; here the journey
	cfg.LoginLimit.N = 0
	d, _ := calendar.ParseDate("2026-03-02")
	// One wall second is ~3 business hours: the notice passes in about a minute.
	s := stacktest.Start(t, stacktest.Options{Console: &cfg,
		Clock: clock.Clock{Scale: 10000, WallOrigin: time.Now(), BusinessOrigin: d.Start().Add(9 * time.Hour)}})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"})
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	for _, e := range demo.Experts() {
		if r := s.Do("POST", "/api/v1/experts", city, map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}); r.Status != 201 {
			t.Fatalf("expert: %d %s", r.Status, r.Body)
		}
		addAccount(t, s, store.Account{Username: strings.ToLower(e.ID), Role: "expert", ExpertID: e.ID})
	}
	var app struct{ ID, Stage string }
	r := s.Do("POST", "/api/v1/applications", holder, demo.Rose())
	r.JSON(t, &app)
	if r.Status != 201 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	addAccount(t, s, store.Account{Username: "kunming", Role: "city_officer"})
	addAccount(t, s, store.Account{Username: "watcher", Role: "supervisor"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)
	page := "/applications/" + app.ID

	// confirm presses 下一步 in the form, then 确认提交, and waits for the notice.
	confirm := func(b *browsertest.Browser, form, notice string) {
		t.Helper()
		b.Click(form + ` button.primary`)
		b.WaitFor("请确认以下内容")
		b.Click(`#confirm-decision`)
		b.WaitFor(notice)
	}

	t.Run("第十一条: the county officer reads the 推荐表 by section and approves", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("anning", officerPassword, "")
		b.Open(page)
		b.WaitFor("推荐表（附件1", "实施单位（公司）", "直接从业人数", "入库条件核对（第八条）", "第八条（二）", "办理记录", "县级初审（第十一条）")
		b.Axe(axeJS)
		b.Click(`#form-county-review input[name=decision][value=approve]`)
		b.Fill("#county-review-opinion", "材料齐全，符合第八条条件，同意推荐。")
		confirm(b, "#form-county-review", "初审决定已提交")
		b.WaitFor("市级复审")
		b.SignOut()
	})

	var drawn []string
	t.Run("第十二条: the city officer draws five experts, refused 复审 before the quorum", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("kunming", officerPassword, "")
		b.Open("/applications?stage=city_review")
		b.WaitFor("申请列表", "安宁玫瑰", "市级复审", "复审")
		b.Screenshot(shots, "console-applications.png")
		b.Axe(axeJS)
		b.Open(page)
		b.WaitFor("抽取评审专家（第十二条）", "市级复审（第十二条）", "实地核查（第十二条）")
		b.Axe(axeJS)
		confirm(b, "#form-expert-draw", "已抽取评审专家")
		b.WaitFor("专家评审（第十二条）", "尚未提交意见")
		var view struct{ Experts []struct{ ID string } }
		s.Do("GET", "/api/v1/applications/"+app.ID, city, nil).JSON(t, &view)
		for _, e := range view.Experts {
			drawn = append(drawn, e.ID)
		}
		if len(drawn) != 5 {
			t.Fatalf("drew %v", drawn)
		}
		b.Fill("#site-visits-visited_on", calendar.DateOf(s.Clock.Now()).String())
		b.Fill("#site-visits-findings", "实地查看种植基地和协会办公场所，情况属实。")
		confirm(b, "#form-site-visits", "实地核查情况已记录")
		b.WaitFor("情况属实")
		b.Click(`#form-city-review input[name=decision][value=approve]`)
		// The API's refusal (409 expert_quorum) shown in the form.
		confirm(b, "#form-city-review", "复审通过须至少3位抽取专家提交意见")
		b.SignOut()
	})

	t.Run("第十二条: each drawn expert finds the application and gives an opinion", func(t *testing.T) {
		for i, id := range drawn {
			b := b.With(t)
			b.SignIn(strings.ToLower(id), officerPassword, "")
			b.Open("/reviews")
			b.WaitFor("评审任务", "安宁玫瑰", "待提交意见")
			if i == 0 {
				b.Axe(axeJS)
			}
			b.Click(`a[href="` + page + `"]`)
			b.WaitFor("专家评审意见（第十二条）", "评分（0–100）")
			if strings.Contains(b.Text(), "13888123456") {
				t.Error("RULES §6: an expert reads no contact phone")
			}
			if i == 0 {
				// A score out of range: the API's message beside the field.
				b.Fill("#expert-opinions-score", "120")
				b.Click(`#form-expert-opinions input[name=recommend][value=yes]`)
				confirm(b, "#form-expert-opinions", "须为0至100之间的整数")
				if n := b.Eval(`String(document.querySelectorAll('#form-expert-opinions .field-error').length)`); n == "0" {
					t.Errorf("no field error for a score of 120:\n%s", b.Text())
				}
				b.Screenshot(shots, "console-expert-opinion.png")
				b.Axe(axeJS)
			}
			b.Fill("#expert-opinions-score", "88")
			b.Click(`#form-expert-opinions input[name=recommend][value=yes]`)
			b.Fill("#expert-opinions-comment", "特色鲜明，带动就业成效明显。")
			confirm(b, "#form-expert-opinions", "评审意见已提交")
			b.SignOut()
		}
	})

	var noticeStart string
	t.Run("第十二条: the city approves with the opinions in, and the notice begins", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("kunming", officerPassword, "")
		b.Open(page)
		b.WaitFor("特色鲜明")
		b.Click(`#form-city-review input[name=decision][value=approve]`)
		b.Fill("#city-review-opinion", "专家意见一致推荐，同意公示。")
		confirm(b, "#form-city-review", "复审决定已提交")
		b.WaitFor("公示期", "登记邮寄的异议（第十三条）")
		b.Screenshot(shots, "console-application-city.png")
		var view struct {
			NoticeStart string `json:"notice_start"`
		}
		s.Do("GET", "/api/v1/applications/"+app.ID, city, nil).JSON(t, &view)
		noticeStart = view.NoticeStart
	})

	t.Run("第十三条: a mailed objection is entered with its postmark and ruled by the city", func(t *testing.T) {
		b := b.With(t)
		start, _ := calendar.ParseDate(noticeStart)
		testenv.Eventually(t, time.Minute, "the notice has begun", func() error {
			if calendar.DateOf(s.Clock.Now()).Compare(start) < 0 {
				return context.DeadlineExceeded
			}
			return nil
		})
		b.Open(page)
		b.WaitFor("登记邮寄的异议（第十三条）")
		b.Fill("#objections-name", "王某")
		b.Fill("#objections-contact", "13900001111")
		b.Fill("#objections-content", "部分种植户未纳入协会管理")
		b.Fill("#objections-evidence", "村委会证明一份")
		b.Fill("#objections-postmarked_on", noticeStart)
		// The day of receipt left empty is today's, and the confirmation
		// says so rather than "not filled in".
		b.Click(`#form-objections button.primary`)
		b.WaitFor("请确认以下内容", "收到日期", "今天（"+calendar.DateOf(s.Clock.Now()).String()+"）")
		b.Click(`#confirm-decision`)
		b.WaitFor("邮寄的异议已登记")
		// The city rules seeing what the objection says, its evidence and
		// who made it (the applicant never sees them: the API's view).
		b.WaitFor("待裁定", "异议裁定（第十三条）")
		if form := b.Eval(`document.querySelector('[id^=form-ruling-]').textContent`); !strings.Contains(form, "王某（13900001111）") ||
			!strings.Contains(form, "部分种植户未纳入协会管理") || !strings.Contains(form, "村委会证明一份") || !strings.Contains(form, "邮寄，邮戳日期 "+noticeStart) {
			t.Errorf("第十三条: the ruling form lacks the objection it rules on: %s", form)
		}
		b.Eval(`document.querySelector('[id^=form-ruling-]').scrollIntoView(); ''`)
		b.Screenshot(shots, "console-objection-ruling.png")
		b.Axe(axeJS)
		b.Click(`[id^=form-ruling-] input[name=upheld][value=no]`)
		b.Fill(`[id^=form-ruling-] textarea[name=reason]`, "经核查，协会已将相关种植户纳入管理")
		confirm(b, `[id^=form-ruling-]`, "异议裁定已提交")
		b.WaitFor("异议不成立")
		b.SignOut()
	})

	t.Run("第十四条: admitted once the notice has passed; the supervisor reads it with the process's link", func(t *testing.T) {
		b := b.With(t)
		testenv.Eventually(t, 3*time.Minute, "admitted", func() error {
			var view struct{ Stage string }
			s.Do("GET", "/api/v1/applications/"+app.ID, city, nil).JSON(t, &view)
			if view.Stage != "admitted" {
				return context.DeadlineExceeded
			}
			return nil
		})
		b.SignIn("watcher", officerPassword, "")
		b.Open(page)
		b.WaitFor("已入库", "在 Temporal 界面查看办理流程")
		if href := b.Eval(`document.querySelector('a[href*="/namespaces/"]').href`); !strings.HasSuffix(href, "/namespaces/default/workflows/application-"+app.ID) {
			t.Errorf("Temporal link %s", href)
		}
		if n := b.Eval(`String(document.querySelectorAll('.decision').length)`); n != "0" {
			t.Errorf("a supervisor is offered %s decision forms", n)
		}
		b.Axe(axeJS)
		b.Open("/applications")
		b.WaitFor("申请列表", "安宁玫瑰", "已入库")
		b.Axe(axeJS)
		// RULES §6, decision: a letter postmarked in the notice that comes
		// after admission is entered as a report on the brand — the city's
		// page says so and leads to the report form with the brand chosen.
		b.SignOut()
		b.SignIn("kunming", officerPassword, "")
		b.Open(page)
		b.WaitFor("已入库", "查看劳务品牌", "作为对该品牌的举报登记")
		b.Screenshot(shots, "console-application-admitted.png")
		b.Axe(axeJS)
		b.Click(`a[href^="/public/report?brand="]`)
		b.WaitFor("被举报的劳务品牌")
		if sel := b.Eval(`document.querySelector('#brand_id').selectedOptions[0].textContent`); !strings.Contains(sel, "安宁玫瑰") {
			t.Errorf("the report form does not have the admitted brand chosen: %q", sel)
		}
	})

	t.Run("第十条, 专家智库: the city officer opens a round and keeps the pool", func(t *testing.T) {
		b := b.With(t)
		b.SignOut()
		b.SignIn("kunming", officerPassword, "")
		b.Open("/rounds")
		b.WaitFor("申报批次", "2026年第一批", "新建申报批次（第十条）")
		b.Fill("#round-name", "2026年第二批")
		b.Fill("#round-opens", "2026-09-01")
		b.Fill("#round-closes", "2026-08-01") // before it opens: the API's field error
		b.Click(`form[action="/rounds"] button.primary`)
		b.WaitFor("截止日期不能早于开始日期")
		if name := b.Eval(`document.getElementById('round-name').value`); name != "2026年第二批" {
			t.Errorf("the form lost its values: name %q", name)
		}
		b.Fill("#round-closes", "2026-10-31")
		b.Click(`form[action="/rounds"] button.primary`)
		b.WaitFor("申报批次已创建", "2026-10-31")
		b.Axe(axeJS)
		b.Open("/experts")
		b.WaitFor("专家智库", "杨建华", "添加专家")
		b.Fill("#expert-name", "张明")
		b.Click(`input[name=specialties][value=planting_breeding]`)
		b.Eval(`document.getElementById('expert-county').value = '530102'; ''`)
		b.Click(`form[action="/experts"] button.primary`)
		b.WaitFor("专家已加入专家智库", "张明")
		b.Axe(axeJS)
		b.Click(`form[action="/experts/EXP12/deactivate"] button`)
		b.WaitFor("专家已停用")
		var pool struct {
			Items []struct {
				ID     string
				Active bool
			}
		}
		s.Do("GET", "/api/v1/experts", city, nil).JSON(t, &pool)
		for _, e := range pool.Items {
			if e.ID == "EXP12" && e.Active {
				t.Error("EXP12 is still active")
			}
		}
	})
}
