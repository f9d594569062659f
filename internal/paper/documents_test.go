package paper_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/charts"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
)

// check is what every document must pass: its values in its text, a first
// page with ink on it.
func check(t *testing.T, name string, pdf []byte, err error, values ...string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	papertest.Contains(t, pdf, values...)
	papertest.NotBlank(t, pdf)
	if dir := os.Getenv("LB_KEEP_PDF_DIR"); dir != "" {
		os.WriteFile(dir+"/"+name+".pdf", pdf, 0o644)
	}
}

var brand = paper.BrandBasics{BrandID: "B20250601A", Name: "石林撒尼刺绣", UnitName: "石林阿诗玛绣娘服饰有限公司",
	ContactName: "李秀英", Phone: "13987654321", CountyName: "石林彝族自治县"}

func TestChangePDFCarriesTheRequestAndItsOpinions(t *testing.T) {
	pdf, err := papertest.Fonts(t).ChangePDF(paper.ChangeForm{Brand: brand, ChangeID: "C20261130Q",
		Changes: map[string]any{"unit_name": "石林阿诗玛绣娘文化发展有限公司", "category": "culture_tourism_crafts", "direct_employees": 1500.0},
		Before:  map[string]any{"unit_name": brand.UnitName, "category": "manufacturing", "direct_employees": 1260.0},
		Reason:  "公司更名并调整主营业务。", CountyOpinion: "情况属实，同意变更。", RequestedAt: printed, Printed: printed})
	check(t, "attachment2", pdf, err, "附件2", "昆明市市级劳务品牌培育入库登记变更表", "品牌基本情况", "品牌名称", brand.Name,
		"品牌建设单位", brand.UnitName, "品牌联系人及电话", brand.Phone, "申请变更内容",
		"实施单位（公司）：由“石林阿诗玛绣娘服饰有限公司”变更为“石林阿诗玛绣娘文化发展有限公司”",
		"所属类别：由“制造类”变更为“文旅手工艺类”", "直接从业人数：由“1260”变更为“1500”", "变更理由", "公司更名并调整主营业务。",
		"申请人(法人代表)签字(盖章):", "情况属实，同意变更。", "州(市)级人力资", "C20261130Q")
}

func TestRemovalPDFTicksTheReportedSituations(t *testing.T) {
	pdf, err := papertest.Fonts(t).RemovalPDF(paper.RemovalForm{Brand: brand, Reasons: []string{"dissolved_or_inactive", "no_longer_eligible"},
		Description: "该公司已于2026年10月注销。", ReportedOn: printed, CountyNote: "经核实，建议移出。", Printed: printed})
	check(t, "attachment3", pdf, err, "附件3", "移出昆明市市级劳务品牌目录情况表", brand.Name, brand.UnitName, brand.ContactName,
		"☑破产清算、解散、注销", "☐以欺骗或其他不正当手段", "☐依据本方案被暂停使用劳务品牌标识三次以上的(含三次)", "☑已经不符合劳务品牌认定条件的",
		"申请移出理由", "该公司已于2026年10月注销。", "经核实，建议移出。", "市级人力资源社会")
}

var listed = []paper.Listed{
	{BrandName: "石林撒尼刺绣", UnitName: "石林阿诗玛绣娘服饰有限公司", CountyCode: "530126", Category: "culture_tourism_crafts", BrandType: "enterprise", On: "2026-11-20"},
	{BrandName: "宜良烤鸭师傅", UnitName: "宜良县烹饪协会", CountyCode: "530125", Category: "accommodation_catering", BrandType: "regional", On: "2026-11-21"},
}

func TestNoticePDFListsTheBrandsAndHowToObject(t *testing.T) {
	inNotice := append([]paper.Listed(nil), listed...)
	inNotice[0].On, inNotice[1].On = "2026-11-23至2026-11-27", "2026-11-23至2026-11-27"
	pdf, err := papertest.Fonts(t).NoticePDF(paper.Notice{RoundName: "2026年第一批", Start: "2026-11-23", End: "2026-11-27", Brands: inNotice,
		ObjectionURL: "https://lb.example/public/notices", Printed: printed})
	check(t, "notice", pdf, err, "昆明市市级劳务品牌入库名单公示", "2026年第一批", "公示期：2026年11月23日至2026年11月27日",
		"石林撒尼刺绣", "宜良县烹饪协会", "宜良县", "住宿餐饮类", "区域公用", "https://lb.example/public/notices", "10个工作日",
		paper.Bureau)
}

// 第十三条: the notice states its period and the time to rule on an
// objection as the processes count them (LB_NOTICE_DAYS,
// LB_OBJECTION_RULING_DAYS), not the scheme's defaults; brands published on
// different days each show their own period.
func TestNoticePDFStatesThePeriodsTheProcessesCount(t *testing.T) {
	f := papertest.Fonts(t)
	pdf, err := f.NoticePDF(paper.Notice{Start: "2026-11-23", End: "2026-12-01", Days: 7, RulingDays: 15,
		Brands: []paper.Listed{{BrandName: "石林撒尼刺绣", CountyCode: "530126", On: "2026-11-23至2026-12-01"}}, Printed: printed})
	check(t, "notice-days", pdf, err, "公示期：2026年11月23日至2026年12月1日（7个工作日）", "15个工作日内作出复核决定")

	apart := append([]paper.Listed(nil), listed...)
	apart[0].On, apart[1].On = "2026-11-23至2026-11-27", "2026-11-24至2026-11-30"
	pdf, err = f.NoticePDF(paper.Notice{Start: "2026-11-23", End: "2026-11-30", Days: 5, RulingDays: 10, Brands: apart, Printed: printed})
	check(t, "notice-apart", pdf, err, "公示期为5个工作日，各劳务品牌的公示起止日期见下表（均为2026年）", "11-23至11-27", "11-24至11-30")
	papertest.Lacks(t, pdf, "公示期：2026年11月23日")
}

// 第十三条: a printed notice states when each brand may be objected to; a
// period that runs into the new year keeps its years, where "12-28至01-05"
// would not say which January.
func Test第十三条_ANoticeIntoTheNewYearPrintsItsYears(t *testing.T) {
	apart := append([]paper.Listed(nil), listed...)
	apart[0].On, apart[1].On = "2026-12-24至2026-12-30", "2026-12-28至2027-01-05"
	pdf, err := papertest.Fonts(t).NoticePDF(paper.Notice{Start: "2026-12-24", End: "2027-01-05", Brands: apart, Printed: printed})
	check(t, "notice-new-year", pdf, err, "各劳务品牌的公示起止日期见下表。", "2026-12-24至", "2026-12-30", "2026-12-28至", "2027-01-05")
	papertest.Lacks(t, pdf, "均为")
}

func TestAdmittedListPDFListsEveryBrand(t *testing.T) {
	pdf, err := papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Title: "2026年第一批", Brands: listed, Printed: printed})
	check(t, "admitted", pdf, err, "昆明市市级劳务品牌入库名单", "以下2个劳务品牌", "石林撒尼刺绣", "石林彝族自治县", "2026-11-20",
		"宜良烤鸭师傅", "2026-11-21")
}

func TestAnnouncementPDFStatesTheDecision(t *testing.T) {
	pdf, err := papertest.Fonts(t).AnnouncementPDF(paper.Announcement{Number: 17, Kind: "suspension", BrandName: "石林撒尼刺绣",
		UnitName: brand.UnitName, CountyCode: "530126", Category: "culture_tourism_crafts", DecidedOn: "2026-11-30",
		EffectiveUntil: "2027-11-29", Summary: "暂停劳务品牌标识使用权至2027-11-29", PublishedAt: printed})
	check(t, "announcement", pdf, err, "暂停劳务品牌标识使用权至2027年11月29日", "关于暂停“石林撒尼刺绣”劳务品牌标识使用权的公告", "公告编号：17", "2026年11月30日",
		"暂停期限至", "2027年11月29日", "石林彝族自治县", paper.Bureau)
	papertest.Lacks(t, pdf, "有效期", "2027-11-29")
}

// 第十五条（四） (a removed brand may not apply again for five years) and
// the suspension's end (the right returns by itself): a removal's end date
// is when the ban ends, not a validity; a restoration is decided by no one.
func TestAnnouncementPDFNamesWhatItsDatesAre(t *testing.T) {
	f := papertest.Fonts(t)
	pdf, err := f.AnnouncementPDF(paper.Announcement{Number: 18, Kind: "removal", BrandName: "石林撒尼刺绣",
		UnitName: brand.UnitName, CountyCode: "530126", Category: "culture_tourism_crafts", DecidedOn: "2026-11-30",
		EffectiveUntil: "2031-11-30", Summary: "移出劳务品牌项目库。", PublishedAt: printed})
	check(t, "announcement-removal", pdf, err, "不得再次申请至", "2031年11月30日", "作出决定")
	papertest.Lacks(t, pdf, "有效期", "暂停期限")
	pdf, err = f.AnnouncementPDF(paper.Announcement{Number: 19, Kind: "restoration", BrandName: "石林撒尼刺绣",
		UnitName: brand.UnitName, CountyCode: "530126", Category: "culture_tourism_crafts", DecidedOn: "2027-11-30",
		Summary: "暂停期届满，恢复劳务品牌标识使用权", PublishedAt: printed})
	check(t, "announcement-restoration", pdf, err, "期限已届满", "恢复日期", "2027年11月30日")
	papertest.Lacks(t, pdf, "作出决定", "决定日期")
}

// BenchmarkRecommendationPDF is one 附件1 with every field filled (a
// two-page form and its annex): docs/PERFORMANCE.md § Printed documents.
func BenchmarkRecommendationPDF(b *testing.B) {
	f := papertest.Fonts(b)
	r := paper.Recommendation{ApplicationID: "A20261130X", Form: sample(), CountyName: "石林彝族自治县", Printed: printed}
	for b.Loop() {
		if _, err := f.RecommendationPDF(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNoticePDF(b *testing.B) {
	f := papertest.Fonts(b)
	var many []paper.Listed
	for range 50 {
		many = append(many, listed...)
	}
	n := paper.Notice{RoundName: "2026年第一批", Start: "2026-11-23", End: "2026-11-27", Brands: many, Printed: printed}
	for b.Loop() {
		if _, err := f.NoticePDF(n); err != nil {
			b.Fatal(err)
		}
	}
}

// 第十五条（三）: a suspended brand has lost the logo right, so the 入库名单,
// which grants the logo to the brands it lists (第十四条), marks it and says
// under the table that it may not use the logo meanwhile.
func Test第十五条_AdmittedListMarksSuspendedBrands(t *testing.T) {
	withSuspended := []paper.Listed{listed[0], listed[1]}
	withSuspended[0].Status, withSuspended[1].Status = "suspended", "active"
	pdf, err := papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: withSuspended, Printed: printed})
	check(t, "admitted-suspended", pdf, err, "石林撒尼刺绣※", "名单中标※的劳务品牌暂停标识使用权期间除外",
		"注：标※的劳务品牌已被暂停劳务品牌标识使用权，暂停标识使用权期间不得使用劳务品牌标识（第十五条）。")
	if text := papertest.Text(t, pdf); strings.Contains(text, "宜良烤鸭师傅※") {
		t.Error("an active brand is marked as suspended")
	}

	pdf, err = papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: listed, Printed: printed})
	if err != nil {
		t.Fatal(err)
	}
	if text := papertest.Text(t, pdf); strings.Contains(text, "※") || strings.Contains(text, "注：") {
		t.Errorf("a list without a suspended brand has a mark or a note: %s", text)
	}
}

// 第十四条: the 入库名单 says its brands went through 推荐、初审、复审和公示
// only when they all did here; a brand imported from the bureau's old list
// is counted apart.
func Test第十四条_AdmittedListDoesNotClaimImportedBrandsWereReviewedHere(t *testing.T) {
	some := []paper.Listed{listed[0], listed[1]}
	some[1].Imported = true
	pdf, err := papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: some, Printed: printed})
	check(t, "admitted-imported", pdf, err, "以下2个劳务品牌已纳入昆明市市级劳务品牌储备库（第十四条），其中1个为本系统启用前入库、按原入库名单录入。")
	if strings.Contains(papertest.Text(t, pdf), "经推荐、初审、复审和公示") {
		t.Error("the list claims the imported brand was reviewed")
	}

	some[0].Imported = true
	pdf, err = papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: some, Printed: printed})
	check(t, "admitted-all-imported", pdf, err, "均为本系统启用前入库、按原入库名单录入。")

	pdf, err = papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: listed, Printed: printed})
	check(t, "admitted-reviewed", pdf, err, "以下2个劳务品牌经推荐、初审、复审和公示，纳入昆明市市级劳务品牌储备库（第十四条）。")
}

// 第十四条: an empty 入库名单 — a round still in review — says there is
// nothing in it, not "以下0个劳务品牌经推荐、初审、复审和公示，纳入…" over an
// empty table and the grant of the logo.
func Test第十四条_AnEmptyAdmittedListClaimsNoAdmission(t *testing.T) {
	pdf, err := papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Title: "2026年第二批", Printed: printed})
	if err != nil {
		t.Fatal(err)
	}
	papertest.Contains(t, pdf, "昆明市市级劳务品牌入库名单", "（2026年第二批）", "该批次目前没有入库的劳务品牌。", paper.Bureau)
	papertest.Lacks(t, pdf, "以下0个", "经推荐", "劳务品牌标识", "品牌名称")
}

// RULES §1 Decision (who does 初审): a functional zone is a row of
// review_units, not one of the 14 counties; the public lists, the
// announcements and 附件2 name it as the store does (CountyNames), and a
// code neither knows is printed rather than left blank.
func TestDecision_FunctionalZone_NamedOnThePrints(t *testing.T) {
	zones := paper.CountyNames{"530199": "昆明高新区"}
	inZone := []paper.Listed{{BrandName: "高新区软件测试师", UnitName: "昆明软件行业协会", CountyCode: "530199", Category: "emerging",
		BrandType: "regional", On: "2026-11-20"}}
	f := papertest.Fonts(t)

	pdf, err := f.AdmittedListPDF(paper.AdmittedList{Brands: inZone, Counties: zones, Printed: printed})
	check(t, "admitted-zone", pdf, err, "高新区软件测试师", "昆明高新区")
	pdf, err = f.NoticePDF(paper.Notice{Start: "2026-11-23", End: "2026-11-27", Brands: inZone, Counties: zones, Printed: printed})
	check(t, "notice-zone", pdf, err, "高新区软件测试师", "昆明高新区")
	pdf, err = f.AnnouncementPDF(paper.Announcement{Number: 18, Kind: "suspension", BrandName: inZone[0].BrandName, UnitName: inZone[0].UnitName,
		CountyCode: "530199", Category: "emerging", DecidedOn: "2026-11-30", Summary: "暂停劳务品牌标识使用权一年。", Counties: zones, PublishedAt: printed})
	check(t, "announcement-zone", pdf, err, "昆明高新区")
	pdf, err = f.ChangePDF(paper.ChangeForm{Brand: brand, ChangeID: "C20261130Z", Changes: map[string]any{"county_code": "530199"},
		Before: map[string]any{"county_code": "530126"}, Reason: "迁入高新区。", Counties: zones, RequestedAt: printed, Printed: printed})
	check(t, "attachment2-zone", pdf, err, "由“石林彝族自治县”变更为“昆明高新区”")

	pdf, err = f.AdmittedListPDF(paper.AdmittedList{Brands: inZone, Printed: printed}) // no names given
	check(t, "admitted-zone-unnamed", pdf, err, "530199")
	if got := zones.Name("530126"); got != "石林彝族自治县" {
		t.Errorf("a county missing from the names: %q, want the 14's name", got)
	}
}

// 第十四条: the 入库名单 of a whole library runs over several pages; each page
// the table goes on to repeats its header, so a page read on its own still
// says what each column is, and no page carries a header without rows.
func Test第十四条_ALongListRepeatsItsHeaderOnEveryPage(t *testing.T) {
	var many []paper.Listed
	for i := range 90 {
		b := listed[i%2]
		b.BrandName = fmt.Sprintf("%s%02d", b.BrandName, i+1)
		many = append(many, b)
	}
	pdf, err := papertest.Fonts(t).AdmittedListPDF(paper.AdmittedList{Brands: many, Printed: printed})
	check(t, "admitted-long", pdf, err, "石林撒尼刺绣01", "宜良烤鸭师傅90")
	pages := papertest.Pages(t, pdf)
	if len(pages) < 3 {
		t.Fatalf("%d pages: want a list long enough to run over three", len(pages))
	}
	for i, p := range pages {
		rows := strings.Contains(p, "石林撒尼刺绣") || strings.Contains(p, "宜良烤鸭师傅")
		head := true // pdftotext reads a page's table a column at a time
		for _, label := range []string{"序号", "劳务品牌名称", "实施单位（公司）", "所在县（市、区）", "入库日期"} {
			head = head && strings.Contains(p, label)
		}
		switch {
		case rows && !head:
			t.Errorf("page %d lists brands without the table's header:\n%s", i+1, p)
		case head && !rows:
			t.Errorf("page %d has the table's header and no brand under it:\n%s", i+1, p)
		}
	}
}

// RULES §1 (a functional zone's name is up to 40 characters): a chart's
// group label wider than its column is printed smaller, then shortened
// with "…" — its beginning, which names it, stays on the page.
func TestReportPDFKeepsALongLabelOnThePage(t *testing.T) {
	f := papertest.Fonts(t)
	long := "昆明国家级经济技术开发区暨综合保税区与空港经济区联合管理委员会"
	pdf, err := f.ReportPDF(paper.Report{Title: "年度报告", Charts: []charts.Chart{{Name: "brands", Title: "各县（市、区）劳务品牌",
		Unit: "个", Series: []string{"现有"}, Groups: []charts.Group{{Label: long, Values: []float64{3}}, {Label: "安宁市", Values: []float64{5}}}}}})
	check(t, "report-long-label", pdf, err, "昆明国家级经济技术开发区", "安宁市")
	if text := papertest.Text(t, pdf); strings.Contains(text, long) || !strings.Contains(text, "…") {
		t.Errorf("the long label is not shortened with …: %s", text)
	}
}
