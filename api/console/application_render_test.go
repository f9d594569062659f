package console

import (
	"maps"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestTemplatesParse(t *testing.T) {
	if mustParseTemplates().byName["application"] == nil {
		t.Fatal("no application template")
	}
}

func TestArticleOf(t *testing.T) {
	for note, want := range map[string]string{
		"直接从业人员1200人，须超过1000人（第八条（二））":           "第八条（二）",
		"未填写劳务跟踪服务（第九条（六））":                      "第九条（六）",
		"品牌名称、商标等区别性标识及知名度由评审人员判断（第八条（一））；商标未注册": "第八条（一）",
	} {
		if got := articleOf(note); got != want {
			t.Errorf("articleOf(%q) = %q, want %q", note, got, want)
		}
	}
}

// The application page renders every part and every form without a
// template error: a city officer's page at 复审 with all of them offered,
// a confirmation step and field errors.
func TestApplicationPageRendersEveryForm(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	trained, heritage := int64(120), true
	f := map[string]any{"brand_name": "石林刺绣", "brand_type": "enterprise", "category": "culture_tourism_crafts", "county_code": "530126",
		"trainees_two_years": trained, "intangible_heritage": heritage, "honours": []string{"省级非遗工坊"}, "development_plan": "三年规划\n第二行"}
	v := applicationView{Role: auth.CityOfficer, Sections: formSections(f), RulingDays: 15}
	v.App.ID, v.App.BrandName, v.App.Stage, v.App.BrandType = "A1", "石林刺绣", "city_review", "enterprise"
	v.App.BySelfRegistered = true
	v.App.Attachments = []store.Attachment{{ID: "F1", Kind: "picture", Name: "a.png", ContentType: "image/png", Size: 2048},
		{ID: "F2", Kind: "overview", Name: "b.pdf", ContentType: "application/pdf", Size: 3 << 20}}
	v.App.Experts = []store.ExpertOnApp{{ID: "E1", Name: "杨建华", DrawNo: 1}}
	v.App.FormRevision = 2 // resubmitted after the scan below was uploaded
	v.App.SignedForms = []store.SignedForm{{ID: "SF1", Form: "attachment1", FormRevision: 1, Signer: "昂黑妹", SignedOn: "2026-03-01", SealPresent: true, Name: "scan.pdf"}}
	due := "2026-03-20"
	v.App.Objections = []store.ObjectionOnApp{{ID: "O1", ReceivedOn: "2026-03-10", RulingDue: &due,
		Matter: &store.ObjectionMatter{Via: "mail", PostmarkedOn: "2026-03-09", Name: "王某", Contact: "13900001111",
			Content: "部分种植户未纳入协会管理", Evidence: "村委会证明一份"}},
		{ID: "O2", ReceivedOn: "2026-03-10", RulingDue: &due, Accepting: true}}
	v.Checks = []checkView{{Check: form.Check{Criterion: "trainees_two_years", Result: "not_met", Relaxable: true, Note: "近两年培训120人次（第九条（五））"}, Article: "第九条（五）"}}
	v.Relaxable = v.Checks
	v.Forms = map[string]*decisionForm{}
	for _, d := range decisions {
		v.Forms[d.name] = newDecisionForm(d.name, "/applications/A1/"+d.name)
	}
	v.Forms["city-review"].Errors["relax_trainees_two_years"] = "放宽标准须写明理由"
	v.Forms["site-visits"].Confirm = true
	v.Forms["site-visits"].Summary = []summaryRow{{"核查日期", "2026-03-05"}}
	r := newDecisionForm(rulingName("O1"), "/applications/A1/objections/O1/ruling")
	r.Objection = &v.App.Objections[0]
	v.Forms[r.Name] = r
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/applications/A1", nil)
	cs.render(c, 200, "application", "石林刺绣", v)
	body := w.Body.String()
	if dump := os.Getenv("LB_DUMP_PAGE"); dump != "" {
		_ = os.WriteFile(dump, []byte(body), 0o644)
	}
	for _, want := range []string{"实施单位（公司）", "近两年培训人数", "附页：入库条件相关情况", "第九条（五）", "可放宽", "放宽标准须写明理由",
		"审核通过即确认“由评审人员判断”的各项", // RULES §2: the approval confirms them
		`<img src="/applications/A1/attachments/F1?inline=1"`, "异议裁定（第十三条）：O1，收到于 2026-03-10", "王某（13900001111）", "邮寄，邮戳日期 2026-03-09", "部分种植户未纳入协会管理", "村委会证明一份", "专家评审意见（第十二条）", "请确认以下内容", "登记邮寄的异议", "邮戳日期",
		"裁定期限自收到的次日起算 15 个工作日（第十三条）", "受理中，稍后可裁定",
		"申报单位自行注册的账户", "核对营业执照",
		"上传时现行推荐表第1版，<strong>现已重新提交为第2版</strong>"} { // a scan of an older 推荐表 // the configured period, not the scheme's 10
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if !strings.Contains(body, "</html>") {
		t.Error("the page stops before its end (a template error)")
	}
	if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "no value") {
		t.Errorf("a template value went wrong:\n%s", body)
	}
}

// RULES §6, decision (a letter that arrives after admission): the city's
// page of an admitted application names its brand and says where a letter
// postmarked in the notice and received after admission goes — a report on
// that brand — with the link to enter it; the holder's page does not.
func TestAnAdmittedApplicationSendsALateLetterToTheBrandsReports(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	brand := "LB-2026-0001"
	page := func(role auth.Role) string {
		v := applicationView{Role: role}
		v.App.ID, v.App.BrandName, v.App.Stage, v.App.BrandID = "A1", "石林刺绣", "admitted", &brand
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("GET", "/applications/A1", nil)
		cs.render(c, 200, "application", "石林刺绣", v)
		return w.Body.String()
	}
	city := page(auth.CityOfficer)
	for _, want := range []string{`href="/brands/LB-2026-0001"`, `href="/public/report?brand=LB-2026-0001&amp;name=%e7%9f%b3%e6%9e%97%e5%88%ba%e7%bb%a3"`, "作为对该品牌的举报登记"} {
		if !strings.Contains(city, want) {
			t.Errorf("the city's page lacks %q", want)
		}
	}
	if holder := page(auth.Applicant); strings.Contains(holder, "作为对该品牌的举报登记") || !strings.Contains(holder, brand) {
		t.Errorf("the holder's page speaks of letters as reports (%v), or does not name its brand (%v)",
			strings.Contains(holder, "作为对该品牌的举报登记"), !strings.Contains(holder, brand))
	}
}

// Every page is boosted by htmx (layout.html), which would fetch a link's
// answer and swap it into the page: a PDF or workbook link must opt out, or
// the officer gets bytes in the page instead of a download.
func TestDownloadLinksAreNotBoosted(t *testing.T) {
	link := regexp.MustCompile(`<a [^>]*href="[^"]*\.(pdf|xlsx)[^"]*"[^>]*>`)
	pages, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		body, err := templateFS.ReadFile("templates/" + p.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range link.FindAllString(string(body), -1) {
			if !strings.Contains(a, `hx-boost="false"`) {
				t.Errorf("%s: %s is boosted", p.Name(), a)
			}
		}
	}
}

// 第十五条（六）: the brand a link to the report form chose stays chosen when
// the page's list of brands (one page of the library) does not hold it.
func TestTheReportFormKeepsABrandItsListDoesNotHold(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := reportView{Brands: []catalogEntry{{ID: "B1", Name: "安宁玫瑰", CountyCode: "530181"}}, Values: map[string]string{"brand_id": "B9"}}
	v.ChosenUnlisted = chosenUnlisted(v)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/public/report?brand=B9", nil)
	cs.render(c, 200, "public_report", "举报", v)
	if body := w.Body.String(); !strings.Contains(body, `<option value="B9" selected>链接所选的品牌（不在本页列表中）</option>`) {
		t.Errorf("the chosen brand B9 is not kept beside the list: %.300s", body[strings.Index(body, `<select id="brand_id"`):])
	}
	v.Values["brand_id"] = "B1"
	if chosenUnlisted(v) {
		t.Error("a brand the list holds is said to be unlisted")
	}
	// Hostile input: text the address carries is no brand, and not shown.
	v.Values["brand_id"] = "系统维护，请致电0871-00000000补充材料"
	if chosenUnlisted(v) {
		t.Error("the address's text is shown as the chosen brand")
	}
}

// 第十三条 (objections are ruled in the notice and its review): on an
// application an upheld objection rejected, the objections left unruled get
// no ruling form — the process refuses one — and say they are no longer
// waiting; in the review, each waiting one has its form.
func TestObjectionsLeftUnruledOnARejectedApplicationAreNotOfferedForRuling(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	upheld := &store.Ruling{Upheld: true, Reason: "品牌名称与他人注册商标相同"}
	v := applicationView{Role: auth.CityOfficer, Forms: map[string]*decisionForm{}}
	v.App.ID, v.App.BrandName, v.App.Stage = "A1", "安宁玫瑰", workflows.StageRejected
	v.App.Objections = []store.ObjectionOnApp{{ID: "O1", ReceivedOn: "2026-03-10", Ruling: upheld}, {ID: "O2", ReceivedOn: "2026-03-10"}}
	v.addRulings("/applications/A1/")
	if len(v.Forms) != 0 {
		t.Errorf("a rejected application offers ruling forms %v", slices.Collect(maps.Keys(v.Forms)))
	}
	body := renderPage(cs, "/applications/A1", "application", "安宁玫瑰", v)
	pageHas(t, body, []string{"未裁定（申请已办结）"}, []string{"待裁定"})

	v.App.Stage, v.Forms = workflows.StageObjectionReview, map[string]*decisionForm{}
	v.addRulings("/applications/A1/")
	if _, ok := v.Forms[rulingName("O2")]; !ok || len(v.Forms) != 1 {
		t.Errorf("in the objection review: forms %v, want O2's ruling", slices.Collect(maps.Keys(v.Forms)))
	}
}

// 第十一条, 第十二条 (the bureaus' service deadlines are theirs): the holder's
// page marks overdue only what is the holder's to do — its resubmission —
// and says the others need nothing of it; an officer sees every deadline
// overdue as it is. The applicant is not shown the reviewers' hint, and its
// drawn experts unnamed.
func TestTheHolderIsNotToldTheBureausDeadlinesAsItsOwnLateness(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	day, _ := calendar.ParseDate("2026-03-20")
	due := calendar.Deadline{Kind: "city_review", Due: day}
	v := applicationView{Role: auth.Applicant, Deadlines: []deadlineView{{Deadline: due, Overdue: true}},
		Checks: []checkView{{Article: "第八条（四）", Check: form.Check{Result: form.ResultReviewer}}}}
	v.App.ID, v.App.BrandName, v.App.Stage = "A1", "安宁玫瑰", workflows.StageCityReview
	v.App.Experts = []store.ExpertOnApp{{DrawNo: 1}, {DrawNo: 1}}
	body := renderPage(cs, "/applications/A1", "application", "安宁玫瑰", v)
	pageHas(t, body, []string{"以下为人社部门的办理期限，无须本单位操作", "专家1", "专家2", "复审结束后显示"},
		[]string{"已逾期", "审核通过即确认", "尚未提交意见"})

	v.Role = auth.CityOfficer
	pageHas(t, renderPage(cs, "/applications/A1", "application", "安宁玫瑰", v), []string{"已逾期", "审核通过即确认"}, []string{"无须本单位操作"})
}
