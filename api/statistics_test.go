package api_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// Issue 14 item 5 over HTTP: the figures, their charts and the yearly
// report, for the city, supervisors and admins, a county officer its own.
func TestStatisticsOverHTTP(t *testing.T) {
	papertest.Fonts(t)
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	admin := stacktest.Token(t, auth.Principal{Sub: "root", Role: auth.Admin})
	admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	admitBrand(t, s, demo.Rose(), "2026-02-10")

	for _, tok := range []string{a.city, a.supervisor, admin} {
		v := expect(t, s.Do("GET", "/api/v1/statistics", tok, nil), 200, "statistics")
		if v["brands_total"] != 2.0 || len(v["brands"].([]any)) != 2 || len(v["reviews"].([]any)) != 2 {
			t.Errorf("figures %v", v)
		}
	}
	own := expect(t, s.Do("GET", "/api/v1/statistics", a.shilin, nil), 200, "a county's figures")
	if own["county"] != "530126" || own["brands_total"] != 1.0 {
		t.Errorf("530126's figures: %v", own)
	}
	year := expect(t, s.Do("GET", "/api/v1/statistics?year=2026", a.city, nil), 200, "2026")
	if year["admitted_in_period"] != 1.0 || year["year"] != 2026.0 {
		t.Errorf("2026's figures: %v", year)
	}
	errorOf(t, s.Do("GET", "/api/v1/statistics?county=530181", a.shilin, nil), 403, "another county")
	errorOf(t, s.Do("GET", "/api/v1/statistics", a.embroidery, nil), 403, "a holder")
	errorOf(t, s.Do("GET", "/api/v1/statistics", a.expert, nil), 403, "an expert")
	if got := failingFields(errorOf(t, s.Do("GET", "/api/v1/statistics?year=1999&county=999999", a.city, nil), 422, "bad filters")); strings.Join(got, ",") != "county,year" {
		t.Errorf("fields %v", got)
	}

	svg := s.Do("GET", "/api/v1/statistics/charts/brands-by-county.svg", a.city, nil)
	if svg.Status != 200 || svg.Header.Get("Content-Type") != "image/svg+xml; charset=utf-8" ||
		!strings.Contains(string(svg.Body), "石林彝族自治县") || !strings.Contains(string(svg.Body), "安宁市") {
		t.Errorf("chart: %d %s", svg.Status, svg.Body)
	}
	errorOf(t, s.Do("GET", "/api/v1/statistics/charts/pie.svg", a.city, nil), 404, "unknown chart")
	errorOf(t, s.Do("GET", "/api/v1/statistics/charts/ladder", a.city, nil), 404, "no .svg")

	pdf := pdfOf(t, s.Do("GET", "/api/v1/statistics/yearly-report.pdf?year=2025", a.supervisor, nil), "yearly report")
	papertest.Contains(t, pdf, "昆明市市级劳务品牌项目库2025年度统计报告", "2个：正常2个", "本年度新入库", "石林彝族自治县", "安宁市",
		"各县（市、区）劳务品牌数量")
	errorOf(t, s.Do("GET", "/api/v1/statistics/yearly-report.pdf", a.embroidery, nil), 403, "a holder's report")

	// The same figures as workbooks: a sheet per table, Chinese headers and
	// names, real dates, the rates as percentages; each export audited.
	f, rows := workbook(t, s.Do("GET", "/api/v1/statistics/yearly-report.xlsx?year=2025", a.supervisor, nil), "统计范围")
	if len(rows) != 2 || rows[0][0] != "范围" || rows[1][0] != "全市" || rows[1][1] != "2025" || rows[1][5] != "2" || rows[1][6] != "1" {
		t.Errorf("scope sheet %v", rows)
	}
	dateCell(t, f, "统计范围", "C2", "2025-01-01")
	dateCell(t, f, "统计范围", "D2", "2025-12-31")
	_, rows = workbook(t, s.Do("GET", "/api/v1/statistics/yearly-report.xlsx?year=2025", a.supervisor, nil), "各县（市、区）品牌状态")
	if last := rows[len(rows)-1]; len(rows) != 16 || rows[0][1] != "正常" || last[0] != "合计" || last[1] != "2" || last[5] != "2" {
		t.Errorf("county sheet %v", rows)
	}
	f, rows = workbook(t, s.Do("GET", "/api/v1/statistics.xlsx", a.shilin, nil), "品牌分布")
	if len(rows) != 2 || rows[1][0] != "石林彝族自治县" || rows[1][2] != "正常" || rows[1][3] != "1" {
		t.Errorf("530126's brands sheet %v", rows)
	}
	if rates, _ := f.GetRows("初审复审通过率"); len(rates) != 3 || rates[1][0] != "初审（县级）" || rates[2][0] != "复审（市级）" {
		t.Errorf("pass rates sheet %v", rates)
	}
	if names := f.GetSheetList(); strings.Join(names, ",") != "统计范围,概况,各县（市、区）品牌状态,品牌分布,动态管理级别,申请,初审复审通过率,公示异议,办理时限,各阶段用时" {
		t.Errorf("sheets %v", names)
	}
	errorOf(t, s.Do("GET", "/api/v1/statistics.xlsx?county=530181", a.shilin, nil), 403, "another county's workbook")
	errorOf(t, s.Do("GET", "/api/v1/statistics/yearly-report.xlsx?year=1999", a.city, nil), 422, "a year too early")
	for _, name := range []string{"statistics.xlsx", "yearly-report.xlsx"} {
		audit, err := s.Store.AuditFor(t.Context(), "export", name)
		if err != nil || len(audit) == 0 || audit[0].Action != "export."+strings.TrimSuffix(name, ".xlsx") {
			t.Errorf("%s: audit %+v (%v)", name, audit, err)
		}
	}

	doc := openAPIDoc(t, s)
	for _, p := range []string{"/api/v1/statistics", "/api/v1/statistics/charts/{chart}", "/api/v1/statistics/yearly-report.pdf",
		"/api/v1/statistics.xlsx", "/api/v1/statistics/yearly-report.xlsx"} {
		if item := doc.Paths.Value(p); item == nil || item.Get == nil {
			t.Errorf("/openapi.json lacks GET %s", p)
		}
	}
}
