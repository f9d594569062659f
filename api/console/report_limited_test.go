package console_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
)

// 第十五条（六） reports and the catalogue's search limit (API.md rate
// limits): the report form finds its brands by name through the public
// catalogue; once the client has searched past its limit, the form says so
// instead of offering an empty list without a word.
func TestTheReportFormSaysWhenItsSearchIsLimited(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1), NoWorker: true})
	page := "/public/report?name=" + url.QueryEscape("玫瑰")
	for i := range 120 {
		if r := s.Do("GET", page, "", nil); r.Status != 200 || strings.Contains(string(r.Body), "查询过于频繁") {
			t.Fatalf("report form %d: %d, limited already", i+1, r.Status)
		}
	}
	r := s.Do("GET", page, "", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), "查询过于频繁，请稍后再试") {
		t.Errorf("the report form past the search limit: %d, no word of the limit:\n%.1500s", r.Status, r.Body)
	}
}
