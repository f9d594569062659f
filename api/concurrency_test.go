package api_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// RULES §6 (refused means unrecorded): twenty identical decisions sent at
// once — some with one Idempotency-Key, some without, by two officers of the
// county — are applied exactly once: one 初审 line in the history, one
// audit row, and the work queue moves on once. A decision recorded from a
// workflow task that the server later discarded would show here as a
// second line.
func TestDecision_Concurrency_TwentyIdenticalApprovalsApplyOnce(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	second := stacktest.Token(t, auth.Principal{Sub: "officer-anning-2", Role: auth.CountyOfficer, County: "530181"})

	for round := range 3 {
		form := demo.Rose().With("brand_name", fmt.Sprintf("安宁玫瑰%d号", round+1),
			"uscc", demo.USCC(fmt.Sprintf("5153018100000%03d", round+1)))
		// Entered by the city on behalf (代录): one holder, three applications.
		app := expect(t, s.Do("POST", "/api/v1/applications", a.city, form), 201, "submit")
		id := app["id"].(string)

		burst(t, fmt.Sprintf("round %d: approval", round), 20, func(i int) stacktest.Response {
			token, headers := a.anning, []string(nil)
			if i%2 == 1 {
				token = second
			}
			if i%4 == 0 {
				headers = []string{"Idempotency-Key", "burst-" + id}
			}
			return s.Do("POST", "/api/v1/applications/"+id+"/county-review", token,
				map[string]any{"decision": "approve", "opinion": "同意推荐"}, headers...)
		})
		if approvals := historyLines(t, s, a, id, "county_review.approve"); approvals != 1 {
			t.Errorf("round %d: %d approvals in the history, want exactly 1", round, approvals)
		}
		audit, err := s.Store.AuditFor(context.Background(), "application", id)
		if err != nil {
			t.Fatal(err)
		}
		audited := 0
		for _, row := range audit {
			if strings.Contains(row.Action, "county_review.approve") {
				audited++
			}
		}
		if audited != 1 {
			t.Errorf("round %d: %d audit rows for the approval, want exactly 1", round, audited)
		}
		tasks := expect(t, s.Do("GET", "/api/v1/tasks", a.city, nil), 200, "tasks")
		open := map[string]int{}
		for _, item := range tasks["items"].([]any) {
			if m := item.(map[string]any); m["object_id"] == id {
				open[m["kind"].(string)]++
			}
		}
		if open["city_review"] != 1 || open["county_review"] != 0 {
			t.Errorf("round %d: the work queue holds %v for the application, want one city_review", round, open)
		}
	}
}

// RULES §6 (the record follows the order of events): the five drawn experts
// file their opinions at once. Each answer comes after its opinion is
// written, and the record ends as the process does — five opinions, five
// lines, and no expert's task left in the work queue, whichever answer was
// written last.
func TestDecision_Concurrency_OpinionsAtOnceLeaveNoStaleTask(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	app := expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose()), 201, "submit")
	id := app["id"].(string)
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"}), 200, "初审")
	view := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 5}), 200, "draw")

	var wg sync.WaitGroup
	for _, e := range view["experts"].([]any) {
		eid := e.(map[string]any)["id"].(string)
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := stacktest.Token(t, auth.Principal{Sub: eid, Role: auth.Expert})
			r := s.Do("POST", "/api/v1/applications/"+id+"/expert-opinions", tok, map[string]any{"score": 80, "recommend": true})
			if r.Status != 200 {
				t.Errorf("opinion of %s: %d %s", eid, r.Status, r.Body)
				return
			}
			// Answered: its own task is gone.
			if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks", tok, nil))["expert_opinion@"+id]; ok {
				t.Errorf("%s was answered while its task stayed", eid)
			}
		}()
	}
	wg.Wait()

	if lines := historyLines(t, s, a, id, "expert.opinion"); lines != 5 {
		t.Errorf("%d opinion lines in the history, want 5", lines)
	}
	tasks := expect(t, s.Do("GET", "/api/v1/tasks?overdue=false", a.supervisor, nil), 200, "tasks")
	for _, item := range tasks["items"].([]any) {
		if m := item.(map[string]any); m["object_id"] == id && m["kind"] == "expert_opinion" {
			t.Errorf("a task stays after every opinion was answered: %v", m)
		}
	}
}

// RULES §6 (refused means unrecorded; issue 17 item 3: an expert had one
// opinion but three audit rows after such a burst): one drawn expert sends
// the same opinion twelve times at once, half with one Idempotency-Key and
// half without. Exactly one is applied — one opinion on record, one line in
// the history, one audit row; every other request is the same answer
// replayed (200) or refused (409). An opinion recorded from a workflow task
// the server discarded, or a refused request that still wrote its audit row,
// shows here as a second line or row.
func TestDecision_Concurrency_OneExpertsIdenticalOpinionsApplyOnce(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose()), 201, "submit")["id"].(string)
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"}), 200, "初审")
	view := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 5}), 200, "draw")
	expert := view["experts"].([]any)[0].(map[string]any)["id"].(string)
	tok := stacktest.Token(t, auth.Principal{Sub: expert, Role: auth.Expert})

	burst(t, "opinion", 12, func(i int) stacktest.Response {
		var headers []string
		if i%2 == 0 {
			headers = []string{"Idempotency-Key", "opinion-burst-" + id}
		}
		return s.Do("POST", "/api/v1/applications/"+id+"/expert-opinions", tok,
			map[string]any{"score": 86, "recommend": true, "comment": "特色鲜明"}, headers...)
	})

	var opinions int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM expert_opinions WHERE application_id = $1 AND expert_id = $2`,
		id, expert).Scan(&opinions); err != nil {
		t.Fatal(err)
	}
	if opinions != 1 {
		t.Errorf("%d opinions of %s on record, want exactly 1", opinions, expert)
	}
	if lines := historyLines(t, s, a, id, "expert.opinion"); lines != 1 {
		t.Errorf("%d opinion lines in the history, want exactly 1", lines)
	}
	audit, err := s.Store.AuditFor(context.Background(), "application", id)
	if err != nil {
		t.Fatal(err)
	}
	var audited []string
	for _, row := range audit {
		if strings.Contains(row.Action, "opinion") {
			audited = append(audited, row.Action)
		}
	}
	if len(audited) != 1 {
		t.Errorf("%d audit rows for the opinion (%v), want exactly 1", len(audited), audited)
	}
}

// burst sends n requests at once, send(i) the i-th, and checks that each
// was answered 200 (applied, or the same answer replayed) or 409 (refused),
// and at least one 200.
func burst(t *testing.T, what string, n int, send func(i int) stacktest.Response) {
	t.Helper()
	answers := make([]stacktest.Response, n)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() { answers[i] = send(i) })
	}
	wg.Wait()
	ok := 0
	for i, r := range answers {
		switch r.Status {
		case 200:
			ok++
		case 409:
		default:
			t.Errorf("%s, request %d: status %d, want 200 or 409: %s", what, i, r.Status, r.Body)
		}
	}
	if ok == 0 {
		t.Fatalf("%s: no request answered 200", what)
	}
}

// historyLines counts the lines of the application's history with action.
func historyLines(t *testing.T, s *stacktest.Stack, a actors, id, action string) int {
	t.Helper()
	view := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.city, nil), 200, "view")
	lines := 0
	for _, h := range view["history"].([]any) {
		if h.(map[string]any)["action"] == action {
			lines++
		}
	}
	return lines
}
