package stats_test

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/charts"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
	"github.com/kunming-hrss/laborbrand/internal/stats"
	"github.com/kunming-hrss/laborbrand/store"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's pictures of the report and a chart to docs/screenshots")

func rate(v float64) *float64 { return &v }

// figures are a small year of the library, as store.Statistics gives them.
func figures() store.Statistics {
	return store.Statistics{Year: 2026, From: "2026-01-01", To: "2026-12-31", BrandsTotal: 5, AdmittedIn: 2,
		Brands: []store.BrandCell{{CountyCode: "530126", Category: "culture_tourism_crafts", Status: "active", Count: 3},
			{CountyCode: "530126", Category: "culture_tourism_crafts", Status: "rectifying", Count: 1},
			{CountyCode: "530181", Category: "planting_breeding", Status: "removed", Count: 1}},
		Ladder:       []store.LadderCount{{Level: "active", Count: 3}, {Level: "level_2", Count: 1}, {Level: "removed", Count: 1}},
		Applications: []store.ApplicationCell{{RoundID: "R1", Stage: "admitted", Count: 2}, {RoundID: "R1", Stage: "county_review", Count: 4}},
		Reviews: []store.ReviewCount{{Review: "county_review", Approved: 3, Rejected: 1, Returned: 2, PassRate: rate(0.75)},
			{Review: "city_review", Approved: 2, Rejected: 0, PassRate: rate(1)}},
		Objections: []store.ObjectionCount{{Via: "public", Status: "dismissed", Count: 2}, {Via: "mail", Status: "upheld", Count: 1}},
		Deadlines:  []store.OfficeDeadlines{{Office: "city", Decided: 5, Met: 4, Missed: 1, MetRate: rate(0.8)}, {Office: "530126", Decided: 6, Met: 6}},
		StageDays:  []store.StageDays{{Stage: "county_review", Stays: 6, Median: 4, P90: 8.8}},
	}
}

// Issue 14 item 5: every chart of the figures, each value where it belongs.
func TestChartsShowTheFigures(t *testing.T) {
	s := figures()
	for _, name := range stats.Names {
		c, ok := stats.Chart(s, name)
		if !ok || c.Name != name || c.Title == "" || len(c.Groups) == 0 {
			t.Errorf("chart %s: %+v", name, c)
		}
	}
	if _, ok := stats.Chart(s, "pie"); ok {
		t.Error("an unknown chart was drawn")
	}
	county, _ := stats.Chart(s, "brands-by-county")
	if len(county.Groups) != 2 || county.Groups[0].Label != "石林彝族自治县" || county.Groups[0].Values[0] != 3 || county.Groups[0].Values[1] != 1 {
		t.Errorf("brands by county: %+v", county.Groups)
	}
	pass, _ := stats.Chart(s, "pass-rates")
	if pass.Groups[0].Values[0] != 75 || pass.Unit != "%" {
		t.Errorf("pass rates: %+v", pass.Groups)
	}
	deadlines, _ := stats.Chart(s, "deadlines")
	if deadlines.Groups[0].Label != "市人社局" || deadlines.Groups[0].Values[1] != 1 || deadlines.Groups[1].Label != "石林彝族自治县人社局" {
		t.Errorf("deadlines: %+v", deadlines.Groups)
	}
	svg := string(charts.SVG(county))
	if !strings.Contains(svg, "石林彝族自治县 正常：3个") {
		t.Errorf("SVG: %s", svg)
	}
}

// The yearly report as PDF: its figures readable in the text, its pages inked.
func TestYearlyReportPDF(t *testing.T) {
	f := papertest.Fonts(t)
	printed := time.Date(2026, 12, 31, 17, 0, 0, 0, time.FixedZone("CST", 8*3600))
	pdf, err := f.ReportPDF(stats.YearlyReport(figures(), printed))
	if err != nil {
		t.Fatal(err)
	}
	papertest.Contains(t, pdf, "昆明市市级劳务品牌项目库2026年度统计报告", "4个：正常3个，整改中1个，暂停标识使用0个", "已移出目录", "1个（不计入现有）", "本年度新入库", "2个",
		"初审（县级）通过率", "75.0%", "按期办结10件，逾期1件，按期率90.9%", "中位数4.0天，90分位8.8天", "各县（市、区）劳务品牌状态",
		"石林彝族自治县", "各县（市、区）劳务品牌数量", "各部门办理时限：按期与逾期", "市人社局", "昆明市人力资源和社会保障局")
	papertest.NotBlank(t, pdf)
	if *updateScreenshots {
		papertest.WritePage(t, pdf, 2, 70, "../../docs/screenshots/paper-yearly-report-charts.png")
		c, _ := stats.Chart(figures(), "deadlines")
		if err := os.WriteFile("../../docs/screenshots/chart-deadlines.svg", charts.SVG(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The report's 品牌状态截至 is when its figures were computed — a cached set
// is up to a minute older than the print —, as the workbook's column says;
// the print's own time is the footer's.
func TestTheYearlyReportSaysWhenItsFiguresWereComputed(t *testing.T) {
	s := figures()
	s.GeneratedAt = time.Date(2026, 12, 31, 16, 59, 0, 0, calendar.Shanghai)
	r := stats.YearlyReport(s, time.Date(2026, 12, 31, 17, 0, 30, 0, calendar.Shanghai))
	if !strings.Contains(r.Subtitle, "品牌状态截至：2026年12月31日 16:59") {
		t.Errorf("subtitle %q, want the figures' computing (16:59)", r.Subtitle)
	}
}

// The figures of a year say so (本年度); those of no year — statistics.xlsx
// without ?year= — count since the library began, and say 累计, not
// 本年度.
func TestTheSummarySaysWhichPeriodItsFiguresCount(t *testing.T) {
	labels := func(s store.Statistics) string {
		var out []string
		for _, line := range stats.YearlyReport(s, time.Now()).Summary {
			out = append(out, line[0])
		}
		return strings.Join(out, "|")
	}
	year := figures()
	if got := labels(year); !strings.Contains(got, "本年度新入库|本年度申报") {
		t.Errorf("a year's summary: %s, want 本年度新入库 and 本年度申报", got)
	}
	all := figures()
	all.Year, all.From, all.To = 0, "", ""
	if got := labels(all); !strings.Contains(got, "累计新入库|累计申报") || strings.Contains(got, "本年度") {
		t.Errorf("the summary of no year: %s, want 累计 and no 本年度", got)
	}
}

func BenchmarkYearlyReportPDF(b *testing.B) {
	f := papertest.Fonts(b)
	r := stats.YearlyReport(figures(), time.Now())
	for b.Loop() {
		if _, err := f.ReportPDF(r); err != nil {
			b.Fatal(err)
		}
	}
}

// 第十五条（四）: a removed brand has left the 目录, so it is not 现有. The
// headline counts the brands in the library and shows the removed apart;
// the county table's 现有 column and the workbook's 现有品牌 agree with it.
func Test第十五条_RemovedBrandsAreNotCurrent(t *testing.T) {
	s := figures() // 5 brands on record, 1 of them removed
	if got := stats.InLibrary(s); got != 4 {
		t.Errorf("in the library: %d, want 4 (the removed one left out)", got)
	}
	summary := stats.YearlyReport(s, time.Now()).Summary
	if summary[0] != [2]string{"项目库劳务品牌（现有）", "4个：正常3个，整改中1个，暂停标识使用0个"} {
		t.Errorf("headline %v", summary[0])
	}
	if summary[1] != [2]string{"已移出目录", "1个（不计入现有）"} {
		t.Errorf("removed line %v", summary[1])
	}
	table := stats.CountyTable(s)
	total := table[len(table)-1]
	if total.Name != "合计" || !slices.Equal(total.Counts, []int{3, 1, 0, 1, 4}) {
		t.Errorf("合计 %+v, want 3 active, 1 rectifying, 1 removed and 4 in the library", total)
	}
	if scope := workbookRows(t, s, "统计范围"); scope[0][5] != "现有品牌（个）" || scope[1][5] != "4" {
		t.Errorf("统计范围 %v", scope)
	}
	if header := workbookRows(t, s, "各县（市、区）品牌状态")[0]; header[len(header)-1] != "现有（不含已移出）" {
		t.Errorf("county sheet header %v", header)
	}
}

// RULES §1 Decision (who does 初审): a functional zone is a row of
// review_units, not one of the 14 counties. Its brands are named as the
// store names the zone, shown after the 14 and counted in the 合计, so
// the table agrees with the headline; figures without the names (read
// back from the API's JSON) still count them, under the zone's code.
func TestDecision_FunctionalZone_CountedInTheCountyTable(t *testing.T) {
	s := figures()
	s.Brands = append(s.Brands, store.BrandCell{CountyCode: "530199", Category: "emerging", Status: "active", Count: 2})
	s.BrandsTotal += 2
	s.CountyNames = map[string]string{"530199": "昆明高新区", "530126": "石林彝族自治县"}

	table := stats.CountyTable(s)
	if len(table) != 16 || table[14].Name != "昆明高新区" || table[14].Counts[0] != 2 {
		t.Fatalf("rows %+v, want the 14 counties, 昆明高新区 and 合计", table)
	}
	if total := table[15]; total.Counts[len(total.Counts)-1] != stats.InLibrary(s) || stats.InLibrary(s) != 6 {
		t.Errorf("合计 %+v, want 6 in the library as the headline", total)
	}
	county, _ := stats.Chart(s, "brands-by-county")
	if last := county.Groups[len(county.Groups)-1]; last.Label != "昆明高新区" || last.Values[0] != 2 {
		t.Errorf("brands by county: %+v", county.Groups)
	}
	if got := workbookRows(t, s, "品牌分布"); got[len(got)-1][0] != "昆明高新区" {
		t.Errorf("品牌分布 %v", got)
	}

	s.CountyNames = nil
	if table := stats.CountyTable(s); table[14].Name != "530199" || table[15].Counts[4] != 6 {
		t.Errorf("without the names: %+v", table[14:])
	}

	s.County, s.CountyNames = "530199", map[string]string{"530199": "昆明高新区"}
	s.Brands = s.Brands[len(s.Brands)-1:]
	if table := stats.CountyTable(s); len(table) != 2 || table[0].Name != "昆明高新区" || table[1].Counts[4] != 2 {
		t.Errorf("the zone's own table %+v", table)
	}
	if r := stats.YearlyReport(s, time.Now()); !strings.Contains(r.Subtitle, "范围：昆明高新区") {
		t.Errorf("subtitle %q", r.Subtitle)
	}
}

// workbookRows writes the figures' workbook and reads one sheet back.
func workbookRows(t *testing.T, s store.Statistics, sheet string) [][]string {
	t.Helper()
	w, err := stats.Workbook(s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 2 {
		t.Fatalf("sheet %s: %v (%v)", sheet, rows, err)
	}
	return rows
}
