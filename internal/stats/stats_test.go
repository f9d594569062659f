package stats_test

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"

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
	papertest.Contains(t, pdf, "昆明市市级劳务品牌项目库2026年度统计报告", "5个：正常3个，整改中1个，暂停标识使用0个，已移出1个", "本年度新入库", "2个",
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

func BenchmarkYearlyReportPDF(b *testing.B) {
	f := papertest.Fonts(b)
	r := stats.YearlyReport(figures(), time.Now())
	for b.Loop() {
		if _, err := f.ReportPDF(r); err != nil {
			b.Fatal(err)
		}
	}
}
