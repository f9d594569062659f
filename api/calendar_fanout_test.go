package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// RULES §5: when the official schedule of a year is loaded, open processes
// recompute their provisional deadlines — found by a visibility query and
// told by a fan-out workflow, not by the HTTP handler.
func TestLoadingAnOfficialYearRecomputesOpenDeadlines(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-03-31"}), 201, "round")
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")
	id := app["id"].(string)

	// 2027 has no official notice yet: 20 working days after 2027-01-04 is
	// 2027-02-01, provisional.
	due := func() (string, bool) {
		v := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.supervisor, nil), 200, "view")
		for _, d := range v["deadlines"].([]any) {
			m := d.(map[string]any)
			if m["kind"] == "county_review" {
				return m["due"].(string), m["provisional"].(bool)
			}
		}
		return "", false
	}
	if d, prov := due(); d != "2027-02-01" || !prov {
		t.Fatalf("before the load: due %s provisional %v, want 2027-02-01 provisional", d, prov)
	}

	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	official := map[string]any{
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
		// An extra day off on Friday 2027-01-15 moves the deadline one working day.
		"off":  []string{"2027-01-01", "2027-01-15", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"},
		"work": []string{},
	}
	loaded := expect(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, official), 200, "load 2027")
	if loaded["calendar_version"].(float64) < 1 {
		t.Fatalf("calendar_version %v", loaded["calendar_version"])
	}
	testenv.Eventually(t, time.Minute, "the 初审 deadline moves to 2027-02-02, no longer provisional", func() error {
		if d, prov := due(); d != "2027-02-02" || prov {
			return fmt.Errorf("due %s provisional %v", d, prov)
		}
		return nil
	})
}

// RULES §5: a county may add local days off (少数民族节日); only that county's
// deadlines skip them.
func TestCountyOffDayAppliesToThatCountyOnly(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", city, map[string]any{"day": "2026-07-15", "name": "火把节"}), 403, "not admin")
	r := expect(t, s.Do("POST", "/api/v1/calendar/counties/999999/off-days", admin, map[string]any{"day": "2026-13-01", "name": ""}), 422, "bad")
	if n := len(r["error"].(map[string]any)["fields"].([]any)); n != 3 {
		t.Errorf("want code, day and name refused at once, got %d fields", n)
	}
	expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2026-07-15", "name": "火把节"}), 200, "add")
	shilin := expect(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2026-07-14&n=1&county=530126", city, nil), 200, "石林")
	city1 := expect(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2026-07-14&n=1", city, nil), 200, "city")
	if shilin["date"] != "2026-07-16" || city1["date"] != "2026-07-15" {
		t.Errorf("石林 %v, city %v", shilin["date"], city1["date"])
	}
}
