package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// toNotice takes a submitted 推荐表 through 初审, the experts' opinions and
// 复审 over the API, to 公示 (第十一条–第十三条).
func toNotice(t *testing.T, s *stacktest.Stack, f demo.Form) string {
	t.Helper()
	holder := stacktest.Token(t, auth.Principal{Sub: "holder", Role: auth.Applicant, USCC: f["uscc"].(string)})
	county := stacktest.Token(t, auth.Principal{Sub: "officer", Role: auth.CountyOfficer, County: f["county_code"].(string)})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	var app struct{ ID string }
	step := func(r stacktest.Response, status int, what string) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
	}
	r := s.Do("POST", "/api/v1/applications", holder, f)
	step(r, 201, "submit")
	r.JSON(t, &app)
	step(s.Do("POST", "/api/v1/applications/"+app.ID+"/county-review", county, map[string]any{"decision": "approve", "opinion": "同意推荐"}), 200, "初审")
	var drawn struct{ Experts []struct{ ID string } }
	r = s.Do("POST", "/api/v1/applications/"+app.ID+"/expert-draw", city, map[string]any{"count": 5})
	step(r, 200, "draw")
	r.JSON(t, &drawn)
	for _, e := range drawn.Experts[:3] {
		tok := stacktest.Token(t, auth.Principal{Sub: e.ID, Role: auth.Expert})
		step(s.Do("POST", "/api/v1/applications/"+app.ID+"/expert-opinions", tok, map[string]any{"score": 88, "recommend": true, "comment": "特色鲜明"}), 200, "opinion")
	}
	step(s.Do("POST", "/api/v1/applications/"+app.ID+"/city-review", city, map[string]any{"decision": "approve", "opinion": "同意公示"}), 200, "复审")
	return app.ID
}

// The public pages without sign-in (issue 16 items 4–6): an admitted brand
// found by the catalogue's search, the 公示 with its days left and an
// objection filed from it whose receipt shows back no personal data,
// announcements with the feed, the report form naming a logo's misuser —
// on a phone and an office screen, with axe-core finding nothing serious.
func TestPublicPagesInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	// One wall second is ~3 business hours: a 5-working-day notice passes in about a minute.
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 10000),
		Public: api.PublicLimits{DuplicateWindow: time.Hour}}) // identical filings merged, as deployed
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-06-30"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	for _, e := range demo.Experts() {
		if r := s.Do("POST", "/api/v1/experts", city, map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}); r.Status != 201 {
			t.Fatalf("expert: %d %s", r.Status, r.Body)
		}
	}
	// The rose brand is admitted once its notice passes without objection.
	rose := toNotice(t, s, demo.Rose())
	testenv.Eventually(t, 3*time.Minute, "the rose brand admitted", func() error {
		var v struct{ Stage string }
		s.Do("GET", "/api/v1/applications/"+rose, city, nil).JSON(t, &v)
		if v.Stage != "admitted" {
			return fmt.Errorf("stage %s", v.Stage)
		}
		return nil
	})
	// A second brand of the county, now in its notice.
	hot := demo.Rose().With("brand_name", "安宁温泉康养", "uscc", demo.USCC("51530181MJ000002"), "unit_name", "安宁市温泉康养协会",
		"industry_association", "安宁市温泉康养协会", "category", "resident_services")
	hotID := toNotice(t, s, hot)
	// The notice period begins the working day after the city's approval
	// (RULES §3); an objection before it is refused (409), so the public
	// objects once it has begun.
	var notice struct {
		NoticeStart string `json:"notice_start"`
	}
	s.Do("GET", "/api/v1/applications/"+hotID, city, nil).JSON(t, &notice)
	testenv.Eventually(t, 2*time.Minute, "the notice period begun", func() error {
		if today := calendar.DateOf(s.Clock.Now()).String(); today < notice.NoticeStart {
			return fmt.Errorf("business day %s, the notice begins %s", today, notice.NoticeStart)
		}
		return nil
	})

	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)
	t.Run("第十三条: the public reads the 公示 and objects; the receipt shows no personal data", func(t *testing.T) {
		b := b.With(t)
		b.Open("/public/notices")
		text := b.WaitFor("劳务品牌入库公示", "安宁温泉康养", "安宁市温泉康养协会", "公示期", "还剩")
		for _, private := range []string{"李玫", "13888123456", "张云华"} {
			if strings.Contains(text, private) {
				t.Errorf("RULES §6: the public notice shows %s", private)
			}
		}
		if lang := b.Eval(`document.documentElement.lang`); lang != "zh-CN" {
			t.Errorf("lang %q", lang)
		}
		b.Screenshot(shots, "public-notices.png")
		b.Axe(axeJS)
		b.Click(`a[href$="/objection"]`)
		b.WaitFor("提出异议", "实名")
		b.Click(`form button[type=submit]`) // empty: the API's messages inline
		b.WaitFor("异议人")
		if n := b.Eval(`String(document.querySelectorAll('.field-error').length)`); n == "0" {
			t.Error("an empty objection shows no inline error")
		}
		b.Axe(axeJS)
		b.Fill("#name", "赵公明")
		b.Fill("#contact", "13900001111")
		b.Fill("#content", "该协会成立时间与公示材料不符。")
		b.Fill("#evidence", "民政部门登记证书复印件。")
		b.Click(`form button[type=submit]`)
		text = b.WaitFor("异议已收到", "异议编号", "前（含当日）作出处理")
		if strings.Contains(text, "赵公明") || strings.Contains(text, "13900001111") {
			t.Errorf("the receipt shows back personal data:\n%s", text)
		}
		b.Screenshot(shots, "public-objection-receipt.png")
	})
	t.Run("RELIABILITY: an objection the system cannot take now comes back as typed", func(t *testing.T) {
		b := b.With(t)
		// The objection is stored and its process cannot be told: the API
		// answers 503, and the person need not type it again.
		if err := s.Temporal.TerminateWorkflow(context.Background(), workflows.ApplicationWorkflowID(hotID), "", "test: the process cannot be told"); err != nil {
			t.Fatal(err)
		}
		// A day the process has not heard of yet (the first objection's day
		// it has): the next business day, 8.6 wall seconds a day here.
		var first string
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT to_char(max(received_on), 'YYYY-MM-DD') FROM objections WHERE application_id = $1`, hotID).Scan(&first); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, 30*time.Second, "the business day after the first objection's", func() error {
			if today := calendar.DateOf(s.Clock.Now()).String(); today <= first {
				return fmt.Errorf("business day %s", today)
			}
			return nil
		})
		b.Open("/public/notices/" + hotID + "/objection")
		b.WaitFor("提出异议", "实名")
		b.Fill("#name", "钱多多")
		b.Fill("#contact", "13900002222")
		b.Fill("#content", "该协会会员人数与公示材料不符。")
		b.Fill("#evidence", "会员名册。")
		b.Click(`form button[type=submit]`)
		b.WaitFor("暂时无法提交", "当日再次提交的相同内容只算一次")
		if v := b.Eval(`document.querySelector('#name').value + '|' + document.querySelector('#content').value`); v != "钱多多|该协会会员人数与公示材料不符。" {
			t.Errorf("the form came back as %q, want what was typed", v)
		}
		b.Click(`form button[type=submit]`) // sent again: the same objection, on the same day
		b.WaitFor("暂时无法提交")
		var sent, days int
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*), count(DISTINCT received_on) FROM objections
			WHERE application_id = $1 AND name = '钱多多'`, hotID).Scan(&sent, &days); err != nil || sent == 0 || sent != days {
			t.Errorf("%d objections of 钱多多 on %d days after one sent twice (%v); want one a day", sent, days, err)
		}
	})
	t.Run("the catalogue's search finds an admitted brand by name, county and category", func(t *testing.T) {
		b := b.With(t)
		b.Open("/public/brands")
		b.WaitFor("劳务品牌目录", "安宁玫瑰")
		b.Fill("#q-name", "玫瑰")
		b.Eval(`document.querySelector('#q-county').value = '530181'; document.querySelector('#q-category').value = 'planting_breeding'; ''`)
		b.Click(`form.search button[type=submit]`)
		text := b.WaitFor("安宁玫瑰", "安宁市玫瑰产业协会", "正常", "本页 1 个劳务品牌")
		if strings.Contains(text, "李玫") {
			t.Error("RULES §6: the catalogue shows the contact person")
		}
		b.Screenshot(shots, "public-brands.png")
		b.Axe(axeJS)
		b.Open("/public/brands?name=" + "不存在的品牌")
		b.WaitFor("没有符合条件的劳务品牌")
		// The search is the API's, bounded and taken literally: a LIKE
		// wildcard finds nothing, an overlong name is refused by its field.
		b.Open("/public/brands?name=%25")
		b.WaitFor("没有符合条件的劳务品牌")
		b.Open("/public/brands?name=" + strings.Repeat("玫", 51))
		b.WaitFor("查找的名称不能超过50个字")
		for query, want := range map[string]int{"name=%E7%8E%AB%E7%91%B0": 1, "name=%25": 0, "name=%E7%8E%AB_": 0} {
			var page struct{ Items []struct{ Name string } }
			s.Do("GET", "/api/v1/public/brands?"+query, "", nil).JSON(t, &page)
			if len(page.Items) != want {
				t.Errorf("GET /api/v1/public/brands?%s: %d brands, want %d", query, len(page.Items), want)
			}
		}
		b.Open("/public/brands?county=530102")
		if text := b.WaitFor("劳务品牌目录"); strings.Contains(text, "安宁玫瑰") {
			t.Error("another county's search lists the rose brand")
		}
	})
	t.Run("announcements link the Atom feed", func(t *testing.T) {
		b := b.With(t)
		b.Open("/public/announcements")
		b.WaitFor("公告", "订阅公告")
		if ct := b.Eval(`fetch(document.querySelector('a[type="application/atom+xml"]').href).then(r => r.headers.get('content-type'))`); !strings.Contains(ct, "atom") {
			t.Errorf("feed: %s", ct)
		}
		b.Axe(axeJS)
	})
	t.Run("a report names a party misusing a brand's logo", func(t *testing.T) {
		b := b.With(t)
		b.Open("/public/brands?name=玫瑰")
		b.Click(`a[href^="/public/report?brand="]`)
		b.WaitFor("被举报的劳务品牌", "冒用标识")
		if sel := b.Eval(`document.querySelector('#brand_id').selectedOptions[0].textContent`); !strings.Contains(sel, "安宁玫瑰") {
			t.Errorf("the brand is not chosen: %q", sel)
		}
		b.Fill("#misuser", "某某鲜花商行")
		// Content within the API's 5000 characters but not with the
		// misuser's line before it: said so, and kept as typed.
		b.Eval(`document.querySelector('#content').value = '包'.repeat(4995); ''`)
		b.Fill("#evidence", "商品包装照片。")
		b.Fill("#contact", "13900002222")
		b.Click(`form[method=post] button[type=submit]`)
		b.WaitFor("举报内容连同冒用者名称不超过5000字，请精简约")
		if n := b.Eval(`String(document.querySelector('#content').value.length)`); n != "4995" {
			t.Errorf("the content came back with %s characters, want the 4995 typed", n)
		}
		b.Fill("#content", "该商行在包装上使用“安宁玫瑰”标识，但并非协会会员。")
		b.Click(`form[method=post] button[type=submit]`)
		text := b.WaitFor("举报已收到", "举报编号")
		if strings.Contains(text, "13900002222") {
			t.Error("the receipt shows back the contact")
		}
		b.Axe(axeJS)
	})
	t.Run("issue 16 item 1: a holder registers with its USCC, a mistake first, and signs in", func(t *testing.T) {
		b := b.With(t)
		b.Open("/register")
		b.WaitFor("品牌持有单位注册", "统一社会信用代码", "尚未配置短信或电子邮件通道")
		holderUSCC := demo.USCC("91530181MA6K0003")
		b.Fill("#uscc", holderUSCC[:17]+"0") // a wrong check character
		b.Fill("#unit_name", "安宁市螳螂川农业发展有限公司")
		b.Fill("#contact_name", "杨川")
		b.Fill("#contact_phone", "13700003333")
		b.Fill("#username", "tanglang")
		b.Fill("#password", officerPassword)
		b.Fill("#password_again", officerPassword)
		b.Click(`form[action="/register"] button[type=submit]`)
		b.WaitFor("统一社会信用代码有误")
		if v := b.Eval(`document.querySelector('#password').value`); v != "" {
			t.Error("the password is rendered back into the page")
		}
		b.Axe(axeJS)
		b.Screenshot(shots, "holder-register-error.png")
		b.Fill("#uscc", holderUSCC)
		b.Fill("#password", officerPassword)
		b.Fill("#password_again", officerPassword)
		b.Click(`form[action="/register"] button[type=submit]`)
		b.WaitFor("注册成功", "tanglang", "直接启用")
		a, err := s.Store.AccountByUsername(context.Background(), "tanglang")
		if err != nil || a.Role != "applicant" || a.USCC != holderUSCC {
			t.Fatalf("account %+v, %v", a, err)
		}
		// One self-registration per USCC.
		b.Open("/register")
		b.Fill("#uscc", holderUSCC)
		b.Fill("#unit_name", "冒名单位")
		b.Fill("#contact_name", "某人")
		b.Fill("#contact_phone", "13700004444")
		b.Fill("#username", "tanglang2")
		b.Fill("#password", officerPassword)
		b.Fill("#password_again", officerPassword)
		b.Click(`form[action="/register"] button[type=submit]`)
		b.WaitFor("该统一社会信用代码不能自行注册（已有本单位账户，或已有申报、入库记录）")
		b.SignIn("tanglang", officerPassword, "")
		b.WaitFor("品牌持有单位")
		b.SignOut()
	})
	t.Run("readable on a phone", func(t *testing.T) {
		b := b.With(t)
		if _, err := chromedp.Run(b.Ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Run(b.Ctx, chromedp.EmulateViewport(1366, 768))
		b.Open("/public/notices")
		b.WaitFor("安宁温泉康养")
		if w := b.Eval(`String(document.documentElement.scrollWidth <= window.innerWidth)`); w != "true" {
			t.Errorf("the page scrolls sideways on a phone")
		}
		b.Screenshot(shots, "public-notices-phone.png")
		b.Axe(axeJS)
	})
}

// clockAt starts business time at day 09:00 Asia/Shanghai, scale times
// faster than the wall clock.
func clockAt(day string, scale int64) clock.Clock {
	d, _ := calendar.ParseDate(day)
	return clock.Clock{Scale: scale, WallOrigin: time.Now(), BusinessOrigin: d.Start().Add(9 * time.Hour)}
}
