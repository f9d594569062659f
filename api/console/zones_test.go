package console_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §1: a functional zone an admin adds is a 初审 unit like a county,
// without code changes — the console names it and offers it: in the
// holder's 推荐表, in the officers' filters and in the public catalogue's,
// not a bare code and not missing.
func TestAZoneAddedIsNamedAndOfferedByThePages(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	if _, err := s.Store.SaveReviewUnit(context.Background(), store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530111", Active: true},
		time.Now(), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	page := func(cookie *http.Cookie, path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", path, r.StatusCode, body)
		}
		return string(body)
	}
	holder := signedInAs(t, s, store.Account{Username: "zone-holder", Role: "applicant", USCC: "51530181MJ0000001U"})
	city := signedInAs(t, s, store.Account{Username: "zone-city", Role: "city_officer"})
	offered := `<option value="530199"`
	for _, p := range []struct {
		who  *http.Cookie
		path string
	}{{holder, "/holder/apply"}, {city, "/applications"}, {city, "/brands"}, {city, "/work"}, {nil, "/public/brands"}} {
		body := page(p.who, p.path)
		if !strings.Contains(body, offered) || !strings.Contains(body, "昆明高新区") {
			t.Errorf("%s does not offer the zone 昆明高新区 (530199)", p.path)
		}
	}

	// The zone's bureau narrows its lists and queue to the zone, its first
	// choice its county's items and the zone's; its figures, by where a
	// brand is, offer its county and the zone. Another county's officer
	// keeps its county, fixed.
	guandu := signedInAs(t, s, store.Account{Username: "zone-guandu", Role: "county_officer", County: "530111"})
	anning := signedInAs(t, s, store.Account{Username: "zone-anning", Role: "county_officer", County: "530181"})
	for _, path := range []string{"/applications", "/brands", "/work", "/statistics"} {
		body := page(guandu, path)
		if !strings.Contains(body, offered) {
			t.Errorf("%s does not offer 官渡区's officer its zone", path)
		}
		first := `<option value="">官渡区及负责的功能区</option>`
		if path == "/statistics" {
			first = `<option value="530111" selected>官渡区</option>`
		}
		if !strings.Contains(body, first) {
			t.Errorf("%s's first choice for 官渡区's officer is not %s", path, first)
		}
		if body := page(anning, path); strings.Contains(body, offered) {
			t.Errorf("%s offers 安宁市's officer a zone 官渡区 looks after", path)
		}
	}
	// The reports and the change requests, too (RULES §1: every list
	// offers a bureau its zones).
	for _, path := range []string{"/reports", "/changes"} {
		body := page(guandu, path)
		if !strings.Contains(body, offered) || strings.Contains(body, `<option value="530111">`) {
			t.Errorf("%s does not offer 官渡区's officer its zone beside its first choice (its county alone the API reads as all)", path)
		}
		if first := `<option value="">官渡区及负责的功能区</option>`; !strings.Contains(body, first) {
			t.Errorf("%s's first choice for 官渡区's officer is not %s", path, first)
		}
		if body := page(city, path); !strings.Contains(body, `<option value="">全部</option>`) {
			t.Errorf("%s's first choice for the city is not 全部", path)
		}
		if body := page(anning, path); strings.Contains(body, offered) || strings.Contains(body, `id="r-county"`) || strings.Contains(body, `id="ch-county"`) {
			t.Errorf("%s offers 安宁市's officer, who looks after no zone, a county filter", path)
		}
	}
	if body := page(guandu, "/brands?county=530199"); !strings.Contains(body, `<option value="530199" selected>`) {
		t.Error("/brands?county=530199 does not keep 官渡区's choice of its zone")
	}
	if body := page(guandu, "/statistics?county=530199"); !strings.Contains(body, "（昆明高新区）") {
		t.Error("官渡区's officer does not read its zone's figures")
	}
}
