package console_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §7 (statistics by year and county): the statistics page's
// downloads and charts are of the year and county chosen — the links carry
// the filters as the API reads them, not encoded into one unknown
// parameter that the API ignores (the whole city's figures of this year,
// audited as the chosen ones).
func TestStatisticsLinksCarryTheChosenYearAndCounty(t *testing.T) {
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1), NoWorker: true})
	city := signedInAs(t, s, store.Account{Username: "stats-city", Role: "city_officer"})
	status, page, _ := sendForm(t, s, city, "GET", "/statistics?year=2025&county=530126", nil)
	if status != http.StatusOK {
		t.Fatalf("the statistics page: %d", status)
	}
	links := regexp.MustCompile(`(?:href|src)="(/statistics[^"]*\?[^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(links) != 3+8 {
		t.Fatalf("%d download and chart links, want 3 and 8: %v", len(links), links)
	}
	for _, l := range links {
		if q := strings.SplitN(l[1], "?", 2)[1]; q != "county=530126&amp;year=2025" {
			t.Errorf("%s: query %q, want county=530126&year=2025", l[1], q)
		}
	}
}

// RULES §6 (privacy): 附件2 and 附件3 name the brand's contact and
// telephone; passed through the console they are kept by no cache, the
// browser's included, past the sign-out on a shared office computer.
func TestBrandFormsAreKeptByNoCache(t *testing.T) {
	papertest.Fonts(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1)})
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
	if r := s.Do("POST", "/api/v1/brands/"+brand+"/removal-report", shilin, map[string]any{
		"reasons": []string{"dissolved_or_inactive"}, "description": "持有单位已注销"}); r.Status != http.StatusOK {
		t.Fatalf("removal report: %d %s", r.Status, r.Body)
	}
	city := signedInAs(t, s, store.Account{Username: "forms-city", Role: "city_officer"})
	req, _ := http.NewRequest("GET", s.URL+"/brands/"+brand+"/removal-report.pdf", nil)
	req.AddCookie(city)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("附件3 through the console: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if got := r.Header.Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("附件3's Cache-Control %q, want private, no-store", got)
	}
}

// API.md Exports (a filter outside its vocabulary is a 422 naming it): an
// export the API refuses says why on the console's page — the filter and
// what is wrong with it —, not "try again later", which no retry mends.
func TestAnExportRefusedSaysWhy(t *testing.T) {
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1), NoWorker: true})
	city := signedInAs(t, s, store.Account{Username: "export-city", Role: "city_officer"})
	status, page, _ := sendForm(t, s, city, "GET", "/exports/applications.xlsx?round=R-1999", nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "没有这个申报批次") || strings.Contains(page, "稍后重试") {
		t.Errorf("an export of a round that does not exist: %d, want 422 saying 没有这个申报批次:\n%.2000s", status, page)
	}
}
