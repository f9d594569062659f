package api_test

import (
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

func taskKinds(t *testing.T, r stacktest.Response) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, it := range expect(t, r, 200, "tasks")["items"].([]any) {
		m := it.(map[string]any)
		out[m["kind"].(string)+"@"+m["object_id"].(string)] = m
	}
	return out
}

// Issue 6: each officer sees its own pending actions — a county never sees
// another county's — and a drawn expert its opinions to give.
func TestWorkQueuesPerRoleAndCounty(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)

	anning := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.anning, nil))
	task, ok := anning["county_review@"+id]
	if !ok {
		t.Fatalf("安宁 officer's queue lacks the 初审: %v", anning)
	}
	// RULES §3: 20 working days from the day after 2026-03-02.
	if task["due"] != "2026-03-30" || task["due_at"] != "2026-03-31T00:00:00+08:00" || task["overdue"] != false {
		t.Errorf("初审 task %v", task)
	}
	stageFilterSelectsByTheApplicationsStage(t, s, a, id)
	if wuhua := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.wuhua, nil)); len(wuhua) != 0 {
		t.Errorf("五华 officer sees another county's tasks: %v", wuhua)
	}
	// API.md: another county's ?county= is a 403, the list and its export
	// alike — not the officer's own county answered in silence.
	errorOf(t, s.Do("GET", "/api/v1/tasks?county=530181", a.wuhua, nil), 403, "another county's queue")
	errorOf(t, s.Do("GET", "/api/v1/tasks.xlsx?county=530181", a.wuhua, nil), 403, "another county's queue, exported")
	// API.md: an admin has no work queue, nor an inbox.
	errorOf(t, s.Do("GET", "/api/v1/inbox", stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin}), nil), 403, "an admin's inbox")
	if city := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.city, nil)); len(city) != 0 {
		t.Errorf("city sees tasks before 复审: %v", city)
	}

	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"}), 200, "初审")
	if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.anning, nil))["county_review@"+id]; ok {
		t.Error("the 初审 task stays after the decision")
	}
	if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.city, nil))["city_review@"+id]; !ok {
		t.Error("the city's queue lacks the 复审")
	}
	view := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 3}), 200, "draw")
	expertID := view["experts"].([]any)[0].(map[string]any)["id"].(string)
	expertTok := stacktest.Token(t, auth.Principal{Sub: expertID, Role: auth.Expert})
	if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks", expertTok, nil))["expert_opinion@"+id]; !ok {
		t.Error("a drawn expert's queue lacks its opinion")
	}
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-opinions", expertTok, map[string]any{"score": 80, "recommend": true}), 200, "opinion")
	if q := taskKinds(t, s.Do("GET", "/api/v1/tasks", expertTok, nil)); len(q) != 0 {
		t.Errorf("the expert's task stays after its opinion: %v", q)
	}
	if sup := taskKinds(t, s.Do("GET", "/api/v1/tasks", a.supervisor, nil)); len(sup) != 0 {
		t.Errorf("supervisor sees overdue tasks where none are: %v", sup)
	}
	expect(t, s.Do("GET", "/api/v1/tasks?overdue=maybe", a.city, nil), 422, "bad filter")
}

// Issue 15 item 3: the work queue filters by stage — the stage of the
// application a task is about (RULES §3), or the status of its brand (RULES
// §4) — and answers how many tasks the filter selects; a stage outside both
// vocabularies is a 422 on the field stage, not an empty queue.
func stageFilterSelectsByTheApplicationsStage(t *testing.T, s *stacktest.Stack, a actors, id string) {
	t.Helper()
	body := expect(t, s.Do("GET", "/api/v1/tasks?stage=county_review&limit=1", a.anning, nil), 200, "stage=county_review")
	if items := body["items"].([]any); len(items) != 1 || body["total"] != float64(1) || body["next"] != nil {
		t.Errorf("stage=county_review: %v", body)
	}
	if fields := failingFields(errorOf(t, s.Do("GET", "/api/v1/tasks?cursor=nope", a.anning, nil), 422, "a cursor never given out")); !slices.Equal(fields, []string{"cursor"}) {
		t.Errorf("a foreign cursor: failing fields %v, want [cursor]", fields)
	}
	if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks?stage=county_review&kind=county_review", a.anning, nil))["county_review@"+id]; !ok {
		t.Error("stage=county_review&kind=county_review lacks the 初审")
	}
	for _, other := range []string{"city_review", "public_notice", "active"} {
		if q := taskKinds(t, s.Do("GET", "/api/v1/tasks?stage="+other, a.anning, nil)); len(q) != 0 {
			t.Errorf("stage=%s selects an application in 初审: %v", other, q)
		}
	}
	if fields := failingFields(errorOf(t, s.Do("GET", "/api/v1/tasks?stage=reviewing", a.anning, nil), 422, "unknown stage")); !slices.Equal(fields, []string{"stage"}) {
		t.Errorf("unknown stage: failing fields %v, want [stage]", fields)
	}
	if fields := failingFields(errorOf(t, s.Do("GET", "/api/v1/tasks.xlsx?stage=reviewing", a.anning, nil), 422, "unknown stage, export")); !slices.Equal(fields, []string{"stage"}) {
		t.Errorf("unknown stage in the export: failing fields %v, want [stage]", fields)
	}
}
