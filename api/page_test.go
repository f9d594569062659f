package api_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// API.md lists: newest first, a page at a time — ?limit= rows (1..200),
// ?cursor= the next of the previous page, next null after the last.
func TestApplicationsListAPageAtATime(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	var submitted []string
	for _, sc := range demo.Scenarios()[:3] {
		holder := stacktest.Token(t, auth.Principal{Sub: "holder", Role: auth.Applicant, USCC: sc.Form["uscc"].(string)})
		submitted = append(submitted, expect(t, s.Do("POST", "/api/v1/applications", holder, sc.Form), 201, "submit")["id"].(string))
	}
	slices.Reverse(submitted) // newest first

	var listed []string
	path := "/api/v1/applications?limit=2"
	for pages := 1; ; pages++ {
		page := expect(t, s.Do("GET", path, a.city, nil), 200, path)
		for _, it := range page["items"].([]any) {
			listed = append(listed, it.(map[string]any)["id"].(string))
		}
		next, _ := page["next"].(string)
		if next == "" {
			if page["next"] != nil || pages != 2 {
				t.Errorf("page %d: next %v, want null on the second and last page", pages, page["next"])
			}
			break
		}
		if pages == 2 {
			t.Fatalf("a third page after %v", listed)
		}
		path = "/api/v1/applications?limit=2&cursor=" + next
	}
	if !slices.Equal(listed, submitted) {
		t.Errorf("listed %v, want %v", listed, submitted)
	}
}

// API.md lists: a limit outside 1..200 or a cursor no page gave out is a
// 422 naming the parameter, on every list.
func TestListsRefuseABadLimitOrCursor(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	city := stacktest.Token(t, cityP)
	for _, list := range []string{"/api/v1/applications", "/api/v1/brands", "/api/v1/reports",
		"/api/v1/public/brands", "/api/v1/public/announcements"} {
		for _, tc := range []struct{ query, field string }{
			{"limit=0", "limit"}, {"limit=201", "limit"}, {"limit=ten", "limit"},
			{"cursor=not-ours", "cursor"},
			{"cursor=" + "MjAyNi0wOS0yOFQwMTozMDowMC41WnxBMjAyNjA5MjgwMDE" + "&limit=-1", "limit"},
		} {
			t.Run(fmt.Sprintf("%s?%s", list, tc.query), func(t *testing.T) {
				e := apiError(t, s.Do("GET", list+"?"+tc.query, city, nil), 422, "validation_failed")
				if got := fieldNames(e); !slices.Equal(got, []string{tc.field}) {
					t.Errorf("fields %v, want [%s]", got, tc.field)
				}
			})
		}
	}
}

// API.md Filters and Exports: a filter outside its vocabulary is a 422
// naming it, never an empty list or an empty workbook — a task kind (a
// keyed kind by its kind) and a round that does not exist, on the list and
// its export alike.
func TestListsRefuseAnUnknownTaskKindOrRound(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	city := stacktest.Token(t, cityP)
	for _, tc := range []struct{ path, field string }{
		{"/api/v1/tasks?kind=typo", "kind"}, {"/api/v1/tasks.xlsx?kind=typo", "kind"},
		{"/api/v1/tasks?kind=typo:O1", "kind"}, {"/api/v1/tasks?kind=:O1", "kind"}, {"/api/v1/tasks?kind=county_review:A1", "kind"},
		{"/api/v1/tasks?kind=change:", "kind"},
		{"/api/v1/applications?round=R-1999", "round"}, {"/api/v1/applications.xlsx?round=R-1999", "round"},
	} {
		e := apiError(t, s.Do("GET", tc.path, city, nil), 422, "validation_failed")
		if got := fieldNames(e); !slices.Equal(got, []string{tc.field}) {
			t.Errorf("%s: fields %v, want [%s]", tc.path, got, tc.field)
		}
	}
	for _, path := range []string{"/api/v1/tasks?kind=objection_ruling", "/api/v1/tasks?kind=objection_ruling:O1",
		"/api/v1/tasks?kind=rectification:FD-1", "/api/v1/tasks?kind=report_triage", "/api/v1/tasks?kind=expert_opinion",
		"/api/v1/tasks?kind=evaluation_assessment:EV1"} {
		if r := s.Do("GET", path, city, nil); r.Status != 200 {
			t.Errorf("%s: %d %s, want 200", path, r.Status, r.Body)
		}
	}
}
