package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十条 with RULES §3: a submission stands once stored, even when its
// process cannot start at that moment (Temporal unreachable from the API);
// the starter's sweep starts it later, once, with the deadline counted
// from the day of submission.
func TestSubmissionStoredWhileTemporalUnreachableGetsItsProcess(t *testing.T) {
	// A business day per wall second: the sweep comes days after the submission.
	s, a, r := submitWhileTemporalUnreachable(t, 86400)
	id := r["id"].(string)
	if r["stage"] != workflows.StageCountyReview {
		t.Errorf("stored submission shows stage %v, want %s", r["stage"], workflows.StageCountyReview)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var notFound *serviceerror.NotFound
	if _, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), ""); !errors.As(err, &notFound) {
		t.Fatalf("before the sweep: want no process for %s, got %v", id, err)
	}

	// The sweep comes business days later: the deadline must not count from it.
	submittedOn := calendar.DateOf(s.Clock.At(time.Now()))
	testenv.Eventually(t, 10*time.Second, "business time runs two days past the submission", func() error {
		if today := calendar.DateOf(s.Clock.At(time.Now())); today.Before(submittedOn.AddDays(2)) {
			return fmt.Errorf("business today %s, submission %s", today, submittedOn)
		}
		return nil
	})
	pending, err := s.Store.PendingStarts(ctx, 0, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending starts %v (%v), want the submission's", pending, err)
	}
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default()}
	if n, err := st.Sweep(ctx, 0); err != nil || n != 1 {
		t.Fatalf("sweep started %d processes (%v), want 1", n, err)
	}
	// A start that finds the process started answers with its run, to which
	// the submission's first Update goes (update.ToRun).
	var in workflows.ApplicationInput
	if err := json.Unmarshal(pending[0].Input, &in); err != nil {
		t.Fatal(err)
	}
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), "")
	if err != nil {
		t.Fatal(err)
	}
	if run, err := st.Start(ctx, in); err != nil || run != d.WorkflowExecutionInfo.Execution.RunId {
		t.Errorf("a second start answered run %q (%v), want the process's %q", run, err, d.WorkflowExecutionInfo.Execution.RunId)
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflows.ApplicationWorkflowID(id),
		UpdateName: workflows.UpdateReady, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		t.Fatal(err)
	}
	var ready workflows.DecisionResult
	if err := h.Get(ctx, &ready); err != nil || ready.Stage != workflows.StageCountyReview {
		t.Fatalf("started process: %+v, %v", ready, err)
	}
	// RULES §3 service deadlines: 初审 within 20 working days of the day of
	// submission, not of the later start.
	got := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.supervisor, nil), 200, "application")
	at, err := time.Parse(time.RFC3339, got["submitted_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	submitted := calendar.DateOf(at)
	want, err := calendar.Default().AddWorkdays(submitted, 20)
	if err != nil {
		t.Fatal(err)
	}
	if started := calendar.DateOf(s.Clock.At(time.Now())); !submitted.Before(started) {
		t.Fatalf("the process started on the day of submission (%s): the test shows nothing", submitted)
	}
	deadlines, _ := got["deadlines"].([]any)
	if len(deadlines) != 1 || deadlines[0].(map[string]any)["due"] != want.String() {
		t.Errorf("deadlines after the late start: %v, want county review due %s (submitted %s)", got["deadlines"], want, submitted)
	}
	if n, err := st.Sweep(ctx, 0); err != nil || n != 0 {
		t.Errorf("second sweep started %d processes (%v), want 0", n, err)
	}
}

// submitWhileTemporalUnreachable submits through an API whose Temporal
// cannot be reached, so the submission is stored and its process left to
// the starter; it answers the stack (its worker's Temporal is up), the
// actors and the submission's answer.
func submitWhileTemporalUnreachable(t *testing.T, scale int64) (*stacktest.Stack, actors, map[string]any) {
	t.Helper()
	dead, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	return submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", scale), APITemporal: dead, Timeout: 2 * time.Second})
}

// submitInMarch starts a stack with o, opens a round for March 2026 and
// submits demo.Rose to it; it answers the stack, the actors and the
// submission's answer.
func submitInMarch(t *testing.T, o stacktest.Options) (*stacktest.Stack, actors, map[string]any) {
	t.Helper()
	s := stacktest.Start(t, o)
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	return s, a, expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")
}

// API.md idempotency: a submission retried with its Idempotency-Key after
// the first attempt was stored but its answer was lost (a 5xx forgets the
// key, e.g. PostgreSQL went down before the answer) gets that application,
// not a 409 against itself and not a second application.
func TestRetriedSubmissionFindsItsStoredApplication(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")

	first := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose(), "Idempotency-Key", "sub-1"), 201, "first attempt")
	if _, err := s.Store.Pool().Exec(context.Background(), `DELETE FROM idempotency_keys`); err != nil {
		t.Fatal(err)
	}
	again := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose(), "Idempotency-Key", "sub-1"), 201, "retry")
	if again["id"] != first["id"] {
		t.Errorf("retry answered application %v, want the stored %v", again["id"], first["id"])
	}
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM applications`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d applications stored (%v), want 1", n, err)
	}
	// Another key is another submission: the open one blocks it (第十条 RULES §3).
	expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose(), "Idempotency-Key", "sub-2"), 409, "second submission")
	// The key sent again with another 推荐表 after the answer was lost names
	// the first application: refused, not answered with it.
	if _, err := s.Store.Pool().Exec(context.Background(), `DELETE FROM idempotency_keys WHERE key = 'sub-1'`); err != nil {
		t.Fatal(err)
	}
	e := errorOf(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose().With("contact_phone", "13800001111"), "Idempotency-Key", "sub-1"),
		422, "another 推荐表 under the key")
	if got := failingFields(e); len(got) != 1 || got[0] != "Idempotency-Key" {
		t.Errorf("refused on %v, want Idempotency-Key", got)
	}
	// A form under the key that fails a check is refused for what it
	// fails, and that refusal is not kept under the key either; nor does a
	// check whose answer changed since the first attempt — the round closed
	// at midnight — refuse the first request's own retry: it is answered
	// from the application on file.
	e = errorOf(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose().With("brand_name", ""), "Idempotency-Key", "sub-1"),
		422, "an incomplete 推荐表 under the key")
	if got := failingFields(e); len(got) != 1 || got[0] != "brand_name" {
		t.Errorf("refused on %v, want brand_name", got)
	}
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE rounds SET closes_on = '2026-03-01'`); err != nil {
		t.Fatal(err)
	}
	late := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose(), "Idempotency-Key", "sub-1"), 201,
		"the first request retried after its round closed")
	if late["id"] != first["id"] {
		t.Errorf("the retry after the round closed answered %v, want the stored %v", late["id"], first["id"])
	}
}

// API.md errors: a decision on an open application whose process cannot
// take it just now (not started yet, or its Update lost with a Temporal
// restart — seen in the fault run) is a 503 to retry, never the 409 "closed"
// of a finished application.
func TestDecisionOnOpenApplicationWithoutProcessIs503(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Timeout: 2 * time.Second})
	a := tokens(t)
	ctx := context.Background()
	at := s.Clock.At(time.Now())
	if _, err := s.Store.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-03-01", ClosesOn: "2026-03-31", CreatedAt: at}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	// Stored as a submission is, its process not started (the starter has not swept yet).
	err := s.Store.CreateApplication(ctx, store.NewApplication{ID: "ANOPROCESS01", RoundID: "R1", BrandName: "安宁玫瑰",
		BrandType: "regional", Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会",
		USCC: "51530181MJ0000001U", Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: at,
		SubmittedBy: "holder", SubmittedRole: "applicant", ProcessInput: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Do("POST", "/api/v1/applications/ANOPROCESS01/county-review", a.anning, map[string]any{"decision": "approve"})
	if r.Status != 503 {
		t.Fatalf("decision on an open application without its process: status %d %s, want 503", r.Status, r.Body)
	}
}

// RULES §3: the 初审's deadline is counted from the submission, and the
// answer to a submission shows it. The process is started together with
// the Update that waits for its first stage (Update-with-Start), so the
// first stage is recorded and the Update answered in the process's first
// workflow task, and the submission is marked started for the sweep.
func TestSubmissionAnswersWithItsFirstStageFromTheFirstWorkflowTask(t *testing.T) {
	s, _, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	id := app["id"].(string)
	if app["stage"] != workflows.StageCountyReview {
		t.Errorf("the answer's stage is %v, want %s", app["stage"], workflows.StageCountyReview)
	}
	if ds, _ := app["deadlines"].([]any); len(ds) == 0 {
		t.Errorf("the answer shows no 初审 deadline: %v", app["deadlines"])
	}

	ctx := context.Background()
	var tasks, acceptedIn int
	it := s.Temporal.GetWorkflowHistory(ctx, workflows.ApplicationWorkflowID(id), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch e.GetEventType() {
		case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			tasks++
		case enums.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			if e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName() == workflows.UpdateReady {
				acceptedIn = tasks
			}
		}
	}
	if acceptedIn != 1 {
		t.Errorf("the first stage's Update was accepted after workflow task %d, want the first", acceptedIn)
	}

	var started bool
	if err := s.Store.Pool().QueryRow(ctx, `SELECT started_at IS NOT NULL FROM application_starts WHERE application_id = $1`, id).Scan(&started); err != nil || !started {
		t.Errorf("the submission is not marked started (%v): the sweep would start it again", err)
	}
}

// RULES §3 with the starter: when a submission stops waiting before its
// process reaches the first stage (no worker took its first task in time),
// the start may have been made without its answer; the sweep then finds the
// process started, marks it, and starts no second one.
func TestSubmissionSlowToItsFirstStageIsNotStartedTwice(t *testing.T) {
	s, _, r := submitWhileTemporalUnreachable(t, 1)
	id := r["id"].(string)

	ctx := context.Background()
	pending, err := s.Store.PendingStarts(ctx, 0, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending starts %v (%v), want the submission's", pending, err)
	}
	var in workflows.ApplicationInput
	if err := json.Unmarshal(pending[0].Input, &in); err != nil {
		t.Fatal(err)
	}
	// A task queue no worker polls: Temporal starts the process, and its
	// first task waits.
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: "no-worker-" + id, Log: slog.Default()}
	wait, cancel := context.WithTimeout(ctx, 2*time.Second)
	ready, err := st.StartToFirstStage(wait, in)
	cancel()
	if ready {
		t.Fatalf("the first stage came with no worker (%v)", err)
	}
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), "")
	if err != nil || d.WorkflowExecutionInfo.Status != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("the process: %v, %v; want it running", d, err)
	}
	run := d.WorkflowExecutionInfo.Execution.RunId
	if n, err := st.Sweep(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep marked %d (%v), want the one left pending", n, err)
	}
	if left, err := s.Store.PendingStarts(ctx, 0, 10); err != nil || len(left) != 0 {
		t.Errorf("still pending after the sweep: %v (%v)", left, err)
	}
	if d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), ""); err != nil || d.WorkflowExecutionInfo.Execution.RunId != run {
		t.Errorf("after the sweep the process is %v (%v), want the run %s the first start made", d, err, run)
	}
	if err := s.Temporal.TerminateWorkflow(ctx, workflows.ApplicationWorkflowID(id), "", "test over: its queue has no worker"); err != nil {
		t.Error(err)
	}
}
