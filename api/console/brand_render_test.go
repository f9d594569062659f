package console

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §4 (one ladder at a time): an assessment's findings made while the
// brand rectifies or is suspended join what runs; the brand's page says so
// in the level column instead of showing them as an order of level 1.
func TestBrandPageShowsAJoinedFindingAsJoined(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	rectification, suspension := "rectification", "suspension"
	v := brandView{Officer: true}
	v.Brand.ID, v.Brand.Name, v.Brand.Status = "B1", "安宁家政", "rectifying"
	v.Brand.Findings = []store.FindingView{
		{ID: "F1", Reason: "logo_misuse", Level: 1, Description: "标识变形", OrderedOn: "2026-06-01"},
		{ID: "FD-EV1", Reason: "evaluation_findings", Level: 1, Description: "台账不符", OrderedOn: "2026-06-22", Joined: &rectification},
		{ID: "FD-EV2", Reason: "evaluation_findings", Level: 1, Description: "人数不符", OrderedOn: "2028-06-22", Joined: &suspension},
	}
	body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v)
	rows := strings.Split(body[strings.Index(body, "<h2>问题认定</h2>"):], "</tr>")
	if len(rows) < 4 {
		t.Fatalf("the findings table has %d rows:\n%s", len(rows)-1, body)
	}
	for i, want := range []string{"一级", "并入进行中的整改（不另行责令）", "并入暂停处理（延续暂停时一并考虑）"} {
		if row := rows[i+1]; !strings.Contains(row, want) || (i > 0 && strings.Contains(row, "一级")) {
			t.Errorf("finding row %d %q: want %q in its level column, and no level of its own when it joined", i, row, want)
		}
	}
}

// API.md lists: the inbox page shows one page of messages and links to the
// older ones, and back to the newest from there.
func TestInboxPageLinksToOlderMessages(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	for _, tc := range []struct {
		v          inboxView
		want, none []string
	}{
		{inboxView{Items: []store.InboxItem{{ID: 2, Title: "提醒"}}, Unread: 1, Next: "/inbox?cursor=abc"},
			[]string{"最新的在前：本页 1 条，其中未读 1 条", `href="/inbox?cursor=abc"`, "更早的消息"}, []string{"回到最新消息"}},
		{inboxView{Items: []store.InboxItem{{ID: 1, Title: "提醒", Read: true}}, Older: true},
			[]string{"较早的消息：本页 1 条", "回到最新消息"}, []string{"更早的消息"}},
		// Marking a message read on an older page comes back to that page.
		{inboxView{Items: []store.InboxItem{{ID: 1, Title: "提醒"}}, Unread: 1, Cursor: "abc", Older: true},
			[]string{`action="/inbox/1/read"`, `name="cursor" value="abc"`}, nil},
		{inboxView{Items: []store.InboxItem{{ID: 2, Title: "提醒"}}, Unread: 1},
			[]string{`action="/inbox/2/read"`}, []string{`name="cursor"`}},
	} {
		body := renderPage(cs, "/inbox", "inbox", "消息", tc.v)
		pageHas(t, body, tc.want, tc.none)
	}
}

// RULES §4: a level-2 order that lapsed waits for the city's suspension
// decision; its page says so, not that three months run from the interview.
// A proposal for a level-3 finding beside an order whose interview is still
// to come is no lapse: the page says the three months run from it.
func TestALapsedLevelTwoOrderSaysItAwaitsTheCity(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	due := "2026-12-01"
	lapsed := store.OpenMatterView{Kind: "suspension", OpenedOn: "2026-09-01", Due: "2026-09-15", Reasons: []string{workflows.ReasonLevel2Lapsed}}
	level3 := store.OpenMatterView{Kind: "suspension", OpenedOn: "2026-09-01", Due: "2026-09-15", Reasons: []string{"serious_dishonesty_list"}}
	interview := store.OpenMatterView{Kind: "interview", OpenedOn: "2026-09-01", Due: "2026-09-15"}
	for _, tc := range []struct {
		name      string
		matters   []store.OpenMatterView
		want, not string
		due       *string
	}{
		{"the order lapsed", []store.OpenMatterView{lapsed}, "整改期已届满，待市级作出暂停决定", "约谈后起算三个月", nil},
		{"the interview to come", []store.OpenMatterView{interview}, "约谈后起算三个月", "待市级作出暂停决定", nil},
		{"a level 3's proposal beside the interview to come", []store.OpenMatterView{level3, interview}, "约谈后起算三个月", "整改期已届满", nil},
		{"the period running", []store.OpenMatterView{{Kind: "rectification", OpenedOn: "2026-09-01", Due: "2026-12-01"}}, "责令整改 · 期限 2026-12-01", "约谈后起算三个月", &due},
	} {
		v := brandView{Officer: true}
		v.Brand.ID, v.Brand.Name, v.Brand.Status = "B1", "安宁家政", "rectifying"
		v.Brand.Rectification = &store.RectificationView{Level: 2, Reason: "logo_misuse", OrderedOn: "2026-06-01", Due: tc.due}
		v.Brand.OpenMatters = tc.matters
		if body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v); !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
			t.Errorf("%s: want %q and not %q", tc.name, tc.want, tc.not)
		}
	}
}

// 第十五条: the city assesses a development report reading it — each figure
// in its unit and the summary, open while it waits for the assessment.
func TestBrandPageShowsTheReportToAssessAndTheChangeRequested(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := brandView{Officer: true}
	v.Brand.ID, v.Brand.Name, v.Brand.Status = "B1", "安宁家政", "active"
	v.Brand.Evaluations = []store.EvaluationView{{ID: "EV1", Period: "2026-2028",
		Report: []byte(`{"period":"2026-2028","violations":0,"major_complaints":1,"major_accidents":0,"direct_employees":320,` +
			`"driven_employment":1500,"labor_income_wan":2860.5,"trainees_two_years":900,"summary":"两年来新增培训基地两处。"}`)}}
	v.Brand.Changes = []store.ChangeView{{ID: "CH1", Status: "county", Reason: "联系人调动",
		Changes: []byte(`{"contact_name":"赵敏","category":"resident_services","brand_type":"enterprise",` +
			`"registered_capital_wan":500,"honours":["省级劳务品牌","市级示范"],"fixed_premises":true,` +
			`"trademark":{"registered":true,"registration_no":"38123456"}}`)}}
	body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v)
	for _, want := range []string{"<details open><summary>报告内容</summary>", "<dt>重大投诉次数</dt><dd class=\"long\">1 次</dd>",
		"<dt>劳务经济收入</dt><dd class=\"long\">2860.5 万元</dd>", "<dt>近两年培训人次</dt><dd class=\"long\">900 人次</dd>", "两年来新增培训基地两处。",
		// 附件2: the officers give their opinions on the values requested.
		"<dt>变更后的所属类别</dt><dd>居民服务类</dd>", "<dt>变更后的劳务品牌联系人</dt><dd>赵敏</dd>",
		// Every field changed, those the holder's form does not offer too
		// (an API client may change them): nothing is approved unseen.
		"<dt>变更后的申报类别</dt><dd>企业劳务品牌</dd>", "<dd>500</dd>", "<dd>省级劳务品牌；市级示范</dd>", "<dd>是</dd>",
		// The trademark as the application page reads it, not its JSON.
		"<dt>变更后的商标（标识）</dt><dd>已注册，注册号 38123456</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the brand page lacks %q", want)
		}
	}
}

// RULES §4 open matters: a removal closes every matter; a report the city
// had not assessed when the brand was removed waits for nothing more, and
// its page does not say 待评估.
func TestARemovedBrandsUnassessedReportWaitsForNothing(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := brandView{Officer: true}
	v.Brand.ID, v.Brand.Name, v.Brand.Status = "B1", "安宁家政", "removed"
	v.Brand.Evaluations = []store.EvaluationView{{ID: "EV1", Period: "2026-2028", Report: []byte(`{"period":"2026-2028","summary":"两年来新增培训基地两处。"}`)}}
	body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v)
	pageHas(t, body, []string{"未评估（品牌已移出项目库）", "<details><summary>报告内容</summary>"}, []string{"待评估", "<details open>"})
}

// RULES §4 publication: every decision published stays reachable on the
// public page — older ones a page at a time.
func TestPublicAnnouncementsLinkToOlderDecisions(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	for _, tc := range []struct {
		v          announcementsView
		want, none []string
	}{
		{announcementsView{Items: []announcement{{ID: 2, BrandName: "安宁家政", KindLabel: "暂停劳务品牌标识使用权"}}, Next: "/public/announcements?cursor=abc"},
			[]string{`href="/public/announcements?cursor=abc"`, "更早的公告"}, []string{"回到最新公告"}},
		{announcementsView{Items: []announcement{{ID: 1, BrandName: "安宁家政", KindLabel: "移出劳务品牌项目库"}}, Older: true},
			[]string{"回到最新公告"}, []string{"更早的公告"}},
		// 第十五条（四）: a removal's end date is when the brand may apply
		// again; a restoration is dated by its day, decided by no one.
		{announcementsView{Items: []announcement{{ID: 3, BrandName: "安宁家政", Kind: "removal", KindLabel: "移出劳务品牌项目库",
			DecidedOn: "2026-09-01", EffectiveUntil: new("2031-09-01"), UntilLabel: "不得再次申请至"},
			{ID: 4, BrandName: "宜良烤鸭", Kind: "restoration", KindLabel: "恢复劳务品牌标识使用权", DecidedOn: "2026-10-01"}}},
			[]string{"<dt>不得再次申请至</dt><dd>2031-09-01</dd>", "<dt>恢复日期</dt><dd>2026-10-01</dd>"}, []string{"暂停至"}},
	} {
		body := renderPage(cs, "/public/announcements", "public_announcements", "公告", tc.v)
		pageHas(t, body, tc.want, tc.none)
	}
}

// 第十三条: objections are taken within the notice. Published on a day
// off, a notice begins on the next working day: until then the page says
// when, and offers no objection form the API would refuse.
func TestANoticeNotYetBegunOffersNoObjection(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	n := store.PublicNotice{ApplicationID: "A1", BrandName: "安宁玫瑰", NoticeStart: "2026-10-08", NoticeEnd: "2026-10-14"}
	for _, tc := range []struct {
		today      calendar.Date
		want, none string
	}{
		{calendar.NewDate(2026, time.October, 3), "公示自 2026-10-08 起，届时可提出异议", "/public/notices/A1/objection"},
		{calendar.NewDate(2026, time.October, 9), "/public/notices/A1/objection", "届时可提出异议"},
	} {
		if body := renderPage(cs, "/public/notices", "public_notices", "公示", noticesView{Today: tc.today.String(), Notices: []noticeView{noticeOn(n, tc.today)}}); !strings.Contains(body, tc.want) || strings.Contains(body, tc.none) {
			t.Errorf("on %s: want %q and not %q", tc.today, tc.want, tc.none)
		}
	}
}

// renderPage renders page with data as the console does for a GET of
// path, and returns the HTML.
func renderPage(cs *Console, path, page, title string, data any) string {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", path, nil)
	cs.render(c, 200, page, title, data)
	return w.Body.String()
}

// pageHas checks that body shows every text of want and none of none.
func pageHas(t *testing.T, body string, want, none []string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(body, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	for _, s := range none {
		if strings.Contains(body, s) {
			t.Errorf("the page shows %q", s)
		}
	}
}

// 第十五条（六）, bounded: a brand reported more often than its page lists
// says how many there are and where to find them all.
func TestABrandPageSaysHowManyReportsItDoesNotList(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := brandView{Officer: true}
	v.Brand.ID, v.Brand.Name, v.Brand.Status, v.Brand.CountyCode = "B1", "安宁家政", "active", "530181"
	v.Brand.Reports, v.Brand.ReportsTotal = []store.ReportOnBrand{{ID: "R54", Status: "dismissed"}}, 55
	body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v)
	pageHas(t, body, []string{"共 55 件，此处列出最近 1 件", `href="/reports?county=530181"`}, nil)
}

// DOMAIN §4 (the biennial evaluation's window opens on the admission's
// anniversary; the report is due in the working days after it): before the
// window opens the page gives the day it opens, not a day to file by — the
// report cannot be filed before it.
func TestBrandPageSaysWhenTheEvaluationOpensAndWhenItsReportIsDue(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	day := "2027-09-15"
	v := brandView{}
	v.Brand.ID, v.Brand.Name, v.Brand.Status, v.Brand.NextEvaluationDue = "B1", "安宁家政", "active", &day
	body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v)
	if !strings.Contains(body, "2027-09-15起开展评估") || strings.Contains(body, "前提交") {
		t.Errorf("before the window: want the day it opens, and no day to file by:\n%s", body)
	}
	due := "2027-10-20"
	v.Brand.NextEvaluationDue = &due
	v.Brand.OpenMatters = []store.OpenMatterView{{Kind: "evaluation_report", Due: due}}
	if body := renderPage(cs, "/brands/B1", "brand", v.Brand.Name, v); !strings.Contains(body, "2027-10-20（含当日）前提交评估报告") {
		t.Errorf("with the window open: want the report's last day:\n%s", body)
	}
}
