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

	doc := openAPIDoc(t, s)
	for _, p := range []string{"/api/v1/statistics", "/api/v1/statistics/charts/{chart}", "/api/v1/statistics/yearly-report.pdf"} {
		if item := doc.Paths.Value(p); item == nil || item.Get == nil {
			t.Errorf("/openapi.json lacks GET %s", p)
		}
	}
}
