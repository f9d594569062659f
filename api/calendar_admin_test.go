package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 15 item 4 (RULES §5): before an admin loads a year, the preview lists
// every open deadline the load would move and to what — here an application's
// 初审 counted over a provisional 2027 — and changes nothing; the application's
// deadlines explain themselves from its record like a brand's.
func TestCalendarPreview_ListsEveryOpenDeadlineThatWouldMove(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-03-31"}), 201, "round")
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)

	explained := expect(t, s.Do("GET", "/api/v1/applications/"+id+"/deadlines", a.anning, nil), 200, "deadlines")
	items := explained["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("want the 初审 deadline only, got %v", items)
	}
	d := items[0].(map[string]any)
	e, _ := d["explanation"].(map[string]any)
	if d["key"] != "county_review" || d["due"] != "2027-02-01" || e == nil {
		t.Fatalf("初审 deadline %v", d)
	}
	if e["due"] != "2027-02-01" || e["start"] != "2027-01-05" || e["provisional"] != true || e["article"] == "" {
		t.Errorf("explanation: due %v start %v provisional %v article %v", e["due"], e["start"], e["provisional"], e["article"])
	}
	expect(t, s.Do("GET", "/api/v1/applications/"+id+"/deadlines", a.wuhua, nil), 403, "another county")

	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	official := map[string]any{
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
		// An extra day off on Friday 2027-01-15 moves the 初审 one working day.
		"off":  []string{"2027-01-01", "2027-01-15", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"},
		"work": []string{},
	}
	expect(t, s.Do("POST", "/api/v1/calendar/years/2027/preview", a.city, official), 403, "a city officer")
	bad := expect(t, s.Do("POST", "/api/v1/calendar/years/2027/preview", admin, map[string]any{"notice": "", "off": []string{"2026-11-30"}, "work": []string{}}), 422, "bad schedule") // before the December a notice may reach
	if n := len(bad["error"].(map[string]any)["fields"].([]any)); n != 2 {
		t.Errorf("want notice and off[0] refused, got %v", bad["error"])
	}

	p := expect(t, s.Do("POST", "/api/v1/calendar/years/2027/preview", admin, official), 200, "preview")
	moves := p["moves"].([]any)
	if len(moves) != 1 || p["examined"].(float64) < 1 || len(p["unexplained"].([]any)) != 0 {
		t.Fatalf("preview: %v", p)
	}
	m := moves[0].(map[string]any)
	if m["object_id"] != id || m["key"] != "county_review" || m["due"] != "2027-02-01" || m["new_due"] != "2027-02-02" || m["new_provisional"] != false {
		t.Errorf("move %v", m)
	}
	// Nothing changed: the same calendar version, the deadline where it was.
	days := expect(t, s.Do("GET", "/api/v1/calendar/days?from=2027-01-15&to=2027-01-15", a.city, nil), 200, "days")
	if days["calendar_version"] != p["calendar_version"] || days["days"].([]any)[0].(map[string]any)["workday"] != true {
		t.Errorf("after the preview: %v", days)
	}
	v := expect(t, s.Do("GET", "/api/v1/applications/"+id+"/deadlines", a.anning, nil), 200, "deadlines again")
	if due := v["items"].([]any)[0].(map[string]any)["due"]; due != "2027-02-01" {
		t.Errorf("the preview moved the deadline to %v", due)
	}
}

// Issue 15 item 4: the month grid's days — working days, holidays by name,
// 调休上班 weekends, a county's local day off, provisional years.
func TestCalendarDays_NameEveryKindOfDay(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	first := expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2026-09-24", "name": "火把节"}), 200, "local day off")
	// Entered again under another name, the day on record answers as kept:
	// its first name, and the calendar as it stands (no new version made).
	again := expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2026-09-24", "name": "火把节（重复）"}), 200, "the same day again")
	if again["name"] != "火把节" || again["calendar_version"] != first["calendar_version"] || again["added"] != false || first["added"] != true {
		t.Errorf("the day entered again answers %v, want it as kept (%v)", again, first)
	}
	// Entered on a day the city is off too: still the county's, to see and
	// to take back if entered by mistake.
	expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2026-10-02", "name": "误录假日"}), 200, "on a holiday")

	v := expect(t, s.Do("GET", "/api/v1/calendar/days?from=2026-09-20&to=2026-10-10&county=530126", city, nil), 200, "days")
	byDate := map[string]map[string]any{}
	for _, d := range v["days"].([]any) {
		m := d.(map[string]any)
		byDate[m["date"].(string)] = m
	}
	if len(byDate) != 21 {
		t.Fatalf("want 21 days, got %d", len(byDate))
	}
	for _, c := range []struct {
		date, name     string
		workday, extra bool // extra: adjusted (调休) or county_off
		field          string
	}{
		{"2026-09-20", "", true, true, "adjusted"},       // 调休上班, a Sunday
		{"2026-09-24", "火把节", false, true, "county_off"}, // 石林's local day off
		{"2026-09-25", "中秋节", false, false, "adjusted"},
		{"2026-10-01", "国庆节", false, false, "adjusted"},
		{"2026-10-02", "国庆节、误录假日", false, true, "county_off"},
		{"2026-10-09", "", true, false, "adjusted"},
		{"2026-10-10", "", true, true, "adjusted"},
	} {
		d := byDate[c.date]
		if d["workday"] != c.workday || d[c.field] != c.extra || (c.name != "" && d["name"] != c.name) {
			t.Errorf("%s: %v", c.date, d)
		}
	}
	years := v["years"].([]any)
	if y := years[0].(map[string]any); y["provisional"] != false || y["notice"] == "" {
		t.Errorf("2026 is official: %v", y)
	}
	far := expect(t, s.Do("GET", "/api/v1/calendar/days?from=2030-01-01&to=2030-01-31", city, nil), 200, "2030")
	if far["years"].([]any)[0].(map[string]any)["provisional"] != true {
		t.Errorf("2030 is provisional: %v", far["years"])
	}
	bad := expect(t, s.Do("GET", "/api/v1/calendar/days?from=2026-01-01&to=2026-12-31&county=999999", city, nil), 422, "too long, unknown county")
	if n := len(bad["error"].(map[string]any)["fields"].([]any)); n != 2 {
		t.Errorf("want to and county refused, got %v", bad["error"])
	}
}

// RULES §5: a deadline already over is never moved by a revision — its
// process has acted on it (the county's 初审 escalated) — so the preview does
// not list it, while a running one that the same revision moves is listed.
// The business clock runs a day a second: the first 初审 lapses while the
// test waits, the second is still running when the preview is asked.
func TestCalendarPreview_LeavesALapsedDeadlineOut(t *testing.T) {
	clk := businessClock("2027-03-01", 86400)
	s := stacktest.Start(t, stacktest.Options{Clock: clk})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-12-31"}), 201, "round")
	countyReviewDue := func(id string) calendar.Date {
		t.Helper()
		items := expect(t, s.Do("GET", "/api/v1/applications/"+id+"/deadlines", a.city, nil), 200, "deadlines")["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["key"] != "county_review" {
			t.Fatalf("want the 初审 deadline only, got %v", items)
		}
		d, err := calendar.ParseDate(items[0].(map[string]any)["due"].(string))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	lapsed := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit 安宁")["id"].(string)
	lapsedDue := countyReviewDue(lapsed)
	for !clk.Now().After(lapsedDue.End().Add(24 * time.Hour)) {
		time.Sleep(200 * time.Millisecond)
	}
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	running := expect(t, s.Do("POST", "/api/v1/applications", holder, demo.Embroidery()), 201, "submit 石林")["id"].(string)
	runningDue := countyReviewDue(running)

	// Both last days become days off: the running 初审 moves a working day
	// on; the lapsed one would have too, were it counted again.
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	p := expect(t, s.Do("POST", "/api/v1/calendar/years/2027/preview", admin, map[string]any{
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
		"off":    []string{"2027-01-01", lapsedDue.String(), runningDue.String()},
		"work":   []string{},
	}), 200, "preview")
	if len(p["unexplained"].([]any)) != 0 {
		t.Errorf("unexplained: %v", p["unexplained"])
	}
	var moved []string
	for _, m := range p["moves"].([]any) {
		m := m.(map[string]any)
		moved = append(moved, m["object_id"].(string))
		if m["object_id"] == running && (m["due"] != runningDue.String() || m["new_due"] == runningDue.String()) {
			t.Errorf("the running 初审's move: %v", m)
		}
	}
	if !slices.Equal(moved, []string{running}) {
		t.Errorf("moves of %v, want the running application %s only (the lapsed one is %s)", moved, running, lapsed)
	}
}

// RULES §5: a brand's deadline already over keeps the day its process gave
// it: GET /brands/{id}/deadlines says that day after a revision that would
// count it differently, and explains the count under the new calendar
// beside it. The business clock runs a day a second: the county's triage
// of a report lapses while the test waits.
func TestBrandDeadlines_ALapsedDeadlineKeepsItsDayAfterARevision(t *testing.T) {
	clk := businessClock("2027-03-01", 86400)
	s := stacktest.Start(t, stacktest.Options{Clock: clk})
	a := brandTokens(t)
	brand := admitBrand(t, s, demo.Embroidery(), "2026-06-10")
	expect(t, s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": brand,
		"content": "在景区商铺悬挂未经授权的劳务品牌牌匾", "evidence": "现场照片三张", "contact": reporterContact}), 201, "report")

	triage := func() map[string]any {
		for _, d := range expect(t, s.Do("GET", "/api/v1/brands/"+brand+"/deadlines", a.shilin, nil), 200, "deadlines")["items"].([]any) {
			if d := d.(map[string]any); strings.HasPrefix(d["key"].(string), "report_triage") {
				return d
			}
		}
		return nil
	}
	var due calendar.Date
	testenv.Eventually(t, time.Minute, "the triage's deadline", func() error {
		d := triage()
		if d == nil {
			return fmt.Errorf("no report_triage deadline yet")
		}
		var err error
		due, err = calendar.ParseDate(d["due"].(string))
		return err
	})
	for !clk.Now().After(due.End().Add(24 * time.Hour)) {
		time.Sleep(200 * time.Millisecond)
	}

	// The lapsed day becomes a day off: counted again, the triage would be
	// due a working day later; its process has escalated on the day it had.
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	loaded := expect(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, map[string]any{
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
		"off":    []string{"2027-01-01", due.String()},
		"work":   []string{},
	}), 200, "load 2027")
	awaitFanout(t, s, int(loaded["calendar_version"].(float64)))

	d := triage()
	if d == nil {
		t.Fatal("the lapsed triage's deadline is gone from the list")
	}
	if d["due"] != due.String() {
		t.Errorf("the lapsed triage is listed as due %v after the revision, want the day its process gave it, %s", d["due"], due)
	}
	if e := d["explanation"].(map[string]any); e["due"] == due.String() {
		t.Errorf("the explanation is not counted under the revised calendar: due %v", e["due"])
	}
}

// RULES §1, §5 (a zone's local days off): a functional zone that no longer
// takes applications still has brands whose holder periods its calendar
// counts: an admin gives it a local day off and reads its month as for any
// unit on record; a code that is no unit is still refused.
func TestRULES5_AZoneThatTakesNoApplicationsKeepsItsLocalDaysOff(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	if _, err := s.Store.SaveReviewUnit(context.Background(), store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530111", Active: false},
		time.Now(), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	expect(t, s.Do("POST", "/api/v1/calendar/counties/530199/off-days", admin, map[string]any{"day": "2026-09-24", "name": "园区假日"}), 200, "an inactive zone's day off")
	expect(t, s.Do("GET", "/api/v1/calendar/days?from=2026-09-20&to=2026-09-30&county=530199", admin, nil), 200, "its month")
	errorOf(t, s.Do("POST", "/api/v1/calendar/counties/530198/off-days", admin, map[string]any{"day": "2026-09-24", "name": "无此单位"}), 422, "no such unit")
}
