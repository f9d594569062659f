package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/sync/errgroup"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/workflows"
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
	if told := awaitFanout(t, s, int(loaded["calendar_version"].(float64))); told != 1 {
		t.Errorf("fan-out told %d processes, want the one application", told)
	}
}

// RULES §5: a deadline computed while its year had no official schedule is
// 暂定; once that schedule is loaded, one whose day it does not move is
// final — in the application's view, the lists and the work queue — though
// the revision leaves its process alone (the fan-out tells no one).
func TestDecision_AnUnmovedDeadlineIsFinalOnceItsYearIsLoaded(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-03-31"}), 201, "round")
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	shown := func() map[string]string {
		out := map[string]string{}
		flag := func(where string, list any) {
			for _, d := range list.([]any) {
				if m := d.(map[string]any); m["kind"] == "county_review" {
					out[where] = fmt.Sprintf("%v %v", m["due"], m["provisional"])
				}
			}
		}
		flag("view", expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "view")["deadlines"])
		flag("list", expect(t, s.Do("GET", "/api/v1/applications", a.anning, nil), 200, "list")["items"].([]any)[0].(map[string]any)["deadlines"])
		flag("holder", expect(t, s.Do("GET", "/api/v1/holder/applications", a.holder, nil), 200, "holder")["items"].([]any)[0].(map[string]any)["deadlines"])
		flag("tasks", expect(t, s.Do("GET", "/api/v1/tasks", a.anning, nil), 200, "tasks")["items"])
		return out
	}
	testenv.Eventually(t, time.Minute, "the 初审 deadline recorded, provisional", func() error {
		if got := shown(); fmt.Sprint(got) != "map[holder:2027-02-01 true list:2027-02-01 true tasks:2027-02-01 true view:2027-02-01 true]" {
			return fmt.Errorf("%v", got)
		}
		return nil
	})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	loaded := expect(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, map[string]any{
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
		"off":    []string{"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"}, "work": []string{}}), 200, "load 2027")
	if told := awaitFanout(t, s, int(loaded["calendar_version"].(float64))); told != 0 {
		t.Errorf("the fan-out told %d processes; the load moves no day", told)
	}
	if got := shown(); fmt.Sprint(got) != "map[holder:2027-02-01 false list:2027-02-01 false tasks:2027-02-01 false view:2027-02-01 false]" {
		t.Errorf("after the load: %v, want the same day, final everywhere", got)
	}
	// While a revision's fan-out has not told every process it moves, a
	// recorded day may yet move: it is shown as recorded.
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE calendar_version SET fanned_out = version - 1`); err != nil {
		t.Fatal(err)
	}
	if got := shown(); fmt.Sprint(got) != "map[holder:2027-02-01 true list:2027-02-01 true tasks:2027-02-01 true view:2027-02-01 true]" {
		t.Errorf("with the fan-out not done: %v, want the flags as recorded", got)
	}
}

// awaitFanout waits for this stack's fan-out of a calendar version and
// returns how many processes it told. Tests share one Temporal server but
// not a database, so every test's first revision is version 1: the run is
// found by its task queue, and waited for so that none outlives its worker.
func awaitFanout(t *testing.T, s *stacktest.Stack, version int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := workflows.CalendarFanoutWorkflowID(s.TaskQueue, version)
	var runID string
	testenv.Eventually(t, 30*time.Second, "the fan-out is visible", func() error {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowId = '%s' AND TaskQueue = '%s'", id, s.TaskQueue)})
		if err != nil {
			return err
		}
		if len(resp.Executions) == 0 {
			return fmt.Errorf("no %s on %s yet", id, s.TaskQueue)
		}
		runID = resp.Executions[0].Execution.RunId
		return nil
	})
	var told int
	if err := s.Temporal.GetWorkflow(ctx, id, runID).Get(ctx, &told); err != nil {
		t.Fatalf("fan-out %s: %v", id, err)
	}
	// Issue 13 item 2: the Temporal UI says what the fan-out does.
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, id, runID)
	if err != nil {
		t.Fatalf("describe %s: %v", id, err)
	}
	var summary string
	if p := d.GetExecutionConfig().GetUserMetadata().GetSummary(); p == nil || converter.GetDefaultDataConverter().FromPayload(p, &summary) != nil ||
		summary != workflows.CalendarFanoutSummary(version) {
		t.Errorf("fan-out %s: summary %q, want %q", id, summary, workflows.CalendarFanoutSummary(version))
	}
	return told
}

// RULES §5 and docs/ARCHITECTURE.md §4: a calendar revision wakes only the
// processes whose deadlines it moves. 石林's local day off on 2027-01-15
// moves 石林's 初审 deadline (2027-02-01 → 02-02); 安宁's, counted on the
// city calendar, stands, and its process gets no signal and no workflow task.
func TestCalendarRevisionWakesOnlyTheProcessesItMoves(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-03-31"}), 201, "round")
	rose := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit 安宁")["id"].(string)
	shilinHolder := stacktest.Token(t, auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	embroidery := expect(t, s.Do("POST", "/api/v1/applications", shilinHolder, demo.Embroidery()), 201, "submit 石林")["id"].(string)

	due := func(id string) string {
		v := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.supervisor, nil), 200, "view")
		for _, d := range v["deadlines"].([]any) {
			if m := d.(map[string]any); m["kind"] == "county_review" {
				return m["due"].(string)
			}
		}
		return ""
	}
	ctx := context.Background()
	historyLength := func(id string) int64 {
		d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), "")
		if err != nil {
			t.Fatal(err)
		}
		return d.WorkflowExecutionInfo.HistoryLength
	}
	testenv.Eventually(t, time.Minute, "both processes record their 初审 deadline", func() error {
		if r, e := due(rose), due(embroidery); r != "2027-02-01" || e != "2027-02-01" {
			return fmt.Errorf("安宁 %s, 石林 %s", r, e)
		}
		return nil
	})
	roseBefore := historyLength(rose)

	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	added := expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2027-01-15", "name": "测试用地方假日"}), 200, "石林 day off")
	version := int(added["calendar_version"].(float64))
	if told := awaitFanout(t, s, version); told != 1 {
		t.Errorf("fan-out told %d processes, want 1 (石林's)", told)
	}
	testenv.Eventually(t, time.Minute, "石林's 初审 deadline moves to 2027-02-02", func() error {
		if d := due(embroidery); d != "2027-02-02" {
			return fmt.Errorf("due %s", d)
		}
		return nil
	})
	if d := due(rose); d != "2027-02-01" {
		t.Errorf("安宁's deadline %s, want 2027-02-01 (the city calendar did not change)", d)
	}
	if after := historyLength(rose); after != roseBefore {
		t.Errorf("安宁's history grew from %d to %d events: the revision woke a process it does not move", roseBefore, after)
	}
	// The fan-out told 石林's process by the Update, with the schedule it
	// computed, and the process re-armed with it, computing nothing again.
	if las := localActivitiesSinceTold(t, s, workflows.ApplicationWorkflowID(embroidery)); slices.Contains(las, workflows.ActivityComputeDeadline) {
		t.Errorf("石林's process computed a deadline after it was told (%v); the fan-out tells it the schedule", las)
	}
}

// toldBy reports how e tells a process of a calendar revision: "update"
// (the calendar-changed Update accepted), "signal", or "".
func toldBy(e *historypb.HistoryEvent) string {
	switch {
	case e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName() == workflows.UpdateCalendarChanged:
		return "update"
	case e.GetWorkflowExecutionSignaledEventAttributes().GetSignalName() == workflows.SignalCalendarChanged:
		return "signal"
	}
	return ""
}

// localActivitiesSinceTold lists the local activities a process ran after
// it was first told of a calendar revision, by the Update.
func localActivitiesSinceTold(t *testing.T, s *stacktest.Stack, workflowID string) []string {
	t.Helper()
	var out []string
	told := ""
	it := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		if told == "" {
			told = toldBy(e)
		}
		m := e.GetMarkerRecordedEventAttributes()
		if told == "" || m.GetMarkerName() != "LocalActivity" {
			continue
		}
		var la struct{ ActivityType string }
		if err := converter.GetDefaultDataConverter().FromPayloads(m.GetDetails()["data"], &la); err != nil {
			t.Fatalf("local activity marker of %s: %v", workflowID, err)
		}
		out = append(out, la.ActivityType)
	}
	if told != "update" {
		t.Fatalf("%s told by %q, want by the calendar-changed Update", workflowID, told)
	}
	return out
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
	// A day no deadline can reach is a typing slip, refused before it
	// starts a calendar revision.
	if fields := failingFields(errorOf(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin,
		map[string]any{"day": "0001-01-01", "name": "火把节"}), 422, "year 1")); fmt.Sprint(fields) != "[day]" {
		t.Errorf("year 1: failing fields %v, want [day]", fields)
	}
	expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2026-07-15", "name": "火把节"}), 200, "add")
	shilin := expect(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2026-07-14&n=1&county=530126", city, nil), 200, "石林")
	city1 := expect(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2026-07-14&n=1", city, nil), 200, "city")
	if shilin["date"] != "2026-07-16" || city1["date"] != "2026-07-15" {
		t.Errorf("石林 %v, city %v", shilin["date"], city1["date"])
	}
	// A day off entered by mistake is taken back, by an admin only: 石林's
	// working days are the city's again, at a new calendar version.
	expect(t, s.Do("DELETE", "/api/v1/calendar/counties/530126/off-days/2026-07-15", city, nil), 403, "not admin")
	removed := expect(t, s.Do("DELETE", "/api/v1/calendar/counties/530126/off-days/2026-07-15", admin, nil), 200, "take back")
	if removed["calendar_version"].(float64) <= shilin["calendar_version"].(float64) {
		t.Errorf("taken back at version %v, not after %v", removed["calendar_version"], shilin["calendar_version"])
	}
	if again := expect(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2026-07-14&n=1&county=530126", city, nil), 200, "石林"); again["date"] != "2026-07-15" {
		t.Errorf("石林 after the day off is taken back: %v, want 2026-07-15", again["date"])
	}
	expect(t, s.Do("DELETE", "/api/v1/calendar/counties/530126/off-days/2026-07-15", admin, nil), 404, "taken back twice")
	expect(t, s.Do("DELETE", "/api/v1/calendar/counties/530126/off-days/2026-13-01", admin, nil), 422, "not a day")
}

// RULES §5 at scale, and the fan-out's pace (docs/ARCHITECTURE.md § A
// calendar revision): with more processes to move than it tells at once,
// the fan-out tells every one by the calendar-changed Update, every one
// re-arms in the task that took the Update, and at no moment were more
// than a few told and not yet re-armed — told all at once by signals, a
// burst outran the worker and its sticky queue lost a minute.
func TestCalendarRevisionPacesWhatItTells(t *testing.T) {
	if testing.Short() {
		t.Skip("submits 320 applications")
	}
	const n = 320
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2027年第一批", "opens_on": "2027-01-01", "closes_on": "2027-03-31"}), 201, "round")
	ids := make([]string, n)
	var g errgroup.Group
	g.SetLimit(8)
	for i := range n {
		g.Go(func() error {
			code := demo.USCC(fmt.Sprintf("515301260%07d", i))
			holder := stacktest.Token(t, auth.Principal{Sub: "holder-" + code, Role: auth.Applicant, USCC: code})
			name := fmt.Sprintf("石林节奏测试刺绣%d", i)
			r := s.Do("POST", "/api/v1/applications", holder, demo.Embroidery().With("brand_name", name, "uscc", code,
				"unit_name", name+"有限公司"))
			if r.Status != 201 {
				return fmt.Errorf("submit %d: %d %s", i, r.Status, r.Body)
			}
			var app struct{ ID string }
			if err := json.Unmarshal(r.Body, &app); err != nil || app.ID == "" {
				return fmt.Errorf("submit %d: %s", i, r.Body)
			}
			ids[i] = app.ID
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dueOn := func(day string) int {
		var c int
		err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM applications
			WHERE deadlines @> jsonb_build_array(jsonb_build_object('kind', 'county_review', 'due', $1::text))`, day).Scan(&c)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	testenv.Eventually(t, time.Minute, "every process records its 初审 deadline", func() error {
		if c := dueOn("2027-02-01"); c != n {
			return fmt.Errorf("%d of %d due 2027-02-01", c, n)
		}
		return nil
	})

	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	added := expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2027-01-15", "name": "测试用地方假日"}), 200, "石林 day off")
	if told := awaitFanout(t, s, int(added["calendar_version"].(float64))); told != n {
		t.Errorf("fan-out told %d processes, want %d", told, n)
	}
	testenv.Eventually(t, time.Minute, "every 初审 deadline moves to 2027-02-02", func() error {
		if c := dueOn("2027-02-02"); c != n {
			return fmt.Errorf("%d of %d due 2027-02-02", c, n)
		}
		return nil
	})

	// From each history: when the workflow task that took the Update was
	// scheduled (a signal: when it arrived), and when the task whose
	// commands record the re-arm (a local activity marker follows its
	// completion) completed; the most processes between the two at once.
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	for _, id := range ids {
		var scheduled, completed time.Time // of the last workflow task
		told := false                      // this revision told, its re-arm not yet
		how := map[string]int{}
		it := s.Temporal.GetWorkflowHistory(ctx, workflows.ApplicationWorkflowID(id), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			switch by := toldBy(e); {
			case e.GetEventType() == enums.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
				scheduled = e.GetEventTime().AsTime()
			case e.GetEventType() == enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
				completed = e.GetEventTime().AsTime()
			case by == "update":
				how[by]++
				told = true
				edges = append(edges, edge{scheduled, +1})
			case by == "signal":
				how[by]++
				told = true
				edges = append(edges, edge{e.GetEventTime().AsTime(), +1})
			case told && e.GetMarkerRecordedEventAttributes().GetMarkerName() == "LocalActivity":
				told = false
				edges = append(edges, edge{completed, -1})
			}
		}
		if how["update"] != 1 || how["signal"] != 0 {
			t.Errorf("%s told %v, want once by the Update", id, how)
		}
	}
	slices.SortStableFunc(edges, func(x, y edge) int { return x.at.Compare(y.at) })
	inFlight, most := 0, 0
	for _, e := range edges {
		inFlight += e.delta
		most = max(most, inFlight)
	}
	t.Logf("at most %d of %d processes told and not yet re-armed at once", most, n)
	if most > 32 {
		t.Errorf("%d processes were told and not yet re-armed at once; the fan-out tells 16 at a time and waits for their answers", most)
	}
}

// RULES §5 and RELIABILITY (Temporal unreachable): a calendar revision
// stored while the API cannot reach Temporal still reaches the open
// processes: the worker's starter sweep starts its fan-out, once. Before,
// the API only logged the failed start, and processes kept deadlines of the
// old calendar until the next revision.
func TestCalendarRevisionStoredWhileTemporalIsUnreachableIsFannedOutByTheSweep(t *testing.T) {
	dead, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2027-01-04", 1), APITemporal: dead, Timeout: 2 * time.Second})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	added := expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": "2027-01-15", "name": "测试用地方假日"}),
		200, "石林 day off, Temporal unreachable")
	version := int(added["calendar_version"].(float64))
	ctx := context.Background()
	id := workflows.CalendarFanoutWorkflowID(s.TaskQueue, version)
	runs := func() int {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("WorkflowId = '%s' AND TaskQueue = '%s'", id, s.TaskQueue)})
		if err != nil {
			t.Fatal(err)
		}
		return len(resp.Executions)
	}
	if n := runs(); n != 0 {
		t.Fatalf("%d fan-outs of version %d with Temporal unreachable from the API", n, version)
	}

	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue}
	// Within its grace the revision's fan-out is the API's to start.
	if started, err := st.SweepCalendarFanout(ctx, time.Hour); started || err != nil || runs() != 0 {
		t.Fatalf("the sweep started the fan-out within the API's grace: %v (%v)", started, err)
	}
	if started, err := st.SweepCalendarFanout(ctx, 0); !started || err != nil {
		t.Fatalf("the sweep started the fan-out: %v (%v)", started, err)
	}
	awaitFanout(t, s, version)
	if started, err := st.SweepCalendarFanout(ctx, 0); started || err != nil {
		t.Errorf("a second sweep started the fan-out again: %v (%v)", started, err)
	}
	// A worker started since finds the fan-out run, and runs it not again.
	if started, err := (&starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue}).SweepCalendarFanout(ctx, 0); started || err != nil {
		t.Errorf("a new starter's sweep started the fan-out again: %v (%v)", started, err)
	}
	if n := runs(); n != 1 {
		t.Errorf("%d runs of fan-out %s, want 1", n, id)
	}

	// A run found still running is looked at again: one terminated after
	// (or failed) runs again. No worker polls this queue, so its runs stay
	// running until terminated.
	idle := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: testenv.TaskQueue(t)}
	other := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: idle.TaskQueue}
	idleID := workflows.CalendarFanoutWorkflowID(idle.TaskQueue, version)
	defer s.Temporal.TerminateWorkflow(ctx, idleID, "", "test: clean-up")
	if started, err := idle.SweepCalendarFanout(ctx, 0); !started || err != nil {
		t.Fatalf("the idle queue's fan-out not started: %v (%v)", started, err)
	}
	if started, err := other.SweepCalendarFanout(ctx, 0); started || err != nil {
		t.Fatalf("a second worker started a fan-out that runs: %v (%v)", started, err)
	}
	if err := s.Temporal.TerminateWorkflow(ctx, idleID, "", "test: a fan-out that did not complete"); err != nil {
		t.Fatal(err)
	}
	if started, err := other.SweepCalendarFanout(ctx, 0); !started || err != nil {
		t.Errorf("the fan-out found running and terminated since was not run again: %v (%v)", started, err)
	}
}
