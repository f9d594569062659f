package activities

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §5 (open processes recompute when a schedule is loaded), across a
// rolling upgrade: a process on a worker from before the calendar-changed
// Update refuses it as unknown, and the fan-out tells it by the signal
// instead, with the same payload; a process that knows the version refuses
// the Update, and is not signalled. The fan-out counts the processes told,
// not one that knew the version, nor one that had ended.
func TestTellByUpdateFallsBackToTheSignal(t *testing.T) {
	c, queue := processesOnATestWorker(t, map[string]any{
		"before-the-update": beforeTheUpdate, "knows-version-7": knowsVersion7, "takes-the-update": takesTheUpdate})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := &Activities{Temporal: c}
	r := records.CalendarSignal{Version: 7, SignalName: workflows.SignalCalendarChanged}
	change := records.CalendarChanged{Version: 7, Computed: []records.ComputedDeadline{{Key: "county_review"}}}
	start := func(workflowType, id string) client.WorkflowRun {
		t.Helper()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflowType)
		if err != nil {
			t.Fatal(err)
		}
		return run
	}

	old := start("before-the-update", queue+"-old")
	if told, err := a.tell(ctx, workflow.Execution{ID: queue + "-old"}, r, change); err != nil || told != toldBySignal {
		t.Fatalf("tell a worker from before the Update: told as %s (%v), want by the signal", told, err)
	}
	var got records.CalendarChanged
	if err := old.Get(ctx, &got); err != nil || got.Version != 7 || len(got.Computed) != 1 {
		t.Errorf("the process before the Update received %+v (%v), want version 7 with its schedule, by the signal", got, err)
	}

	known := start("knows-version-7", queue+"-known")
	if told, err := a.tell(ctx, workflow.Execution{ID: queue + "-known"}, r, change); err != nil || told != alreadyKnew {
		t.Fatalf("tell a process that knows the version: told as %s (%v), want refused as known", told, err)
	}
	if err := c.SignalWorkflow(ctx, queue+"-known", "", "done", nil); err != nil {
		t.Fatal(err)
	}
	var signalled int
	if err := known.Get(ctx, &signalled); err != nil || signalled != 0 {
		t.Errorf("the process that knew the version was signalled %d times (%v), want none", signalled, err)
	}

	taker := start("takes-the-update", queue+"-taker")
	if told, err := a.tell(ctx, workflow.Execution{ID: queue + "-taker"}, r, change); err != nil || told != toldByUpdate {
		t.Fatalf("tell a process that takes the Update: told as %s (%v), want by the Update", told, err)
	}
	var took records.CalendarChanged
	if err := taker.Get(ctx, &took); err != nil || took.Version != 7 {
		t.Errorf("the process took %+v (%v) by the Update, want version 7", took, err)
	}
	if told, err := a.tell(ctx, workflow.Execution{ID: queue + "-never-started"}, r, change); err != nil || told != hadEnded {
		t.Errorf("tell a process that does not run: told as %s (%v), want nothing to tell", told, err)
	}
}

// RULES §5 across a continue-as-new: the fan-out addresses its Update to
// the run that wrote the rules, sparing Temporal a read of the current run;
// a process that continued as new since is told in its current run all the
// same, by the Update.
func TestTellReachesTheCurrentRunAfterContinueAsNew(t *testing.T) {
	c, queue := processesOnATestWorker(t, map[string]any{"continues-once": continuesOnce})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := &Activities{Temporal: c}
	r := records.CalendarSignal{Version: 7, SignalName: workflows.SignalCalendarChanged}
	change := records.CalendarChanged{Version: 7, Computed: []records.ComputedDeadline{{Key: "county_review"}}}
	id := queue + "-continued"
	first, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, "continues-once", false)
	if err != nil {
		t.Fatal(err)
	}
	for {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if d.WorkflowExecutionInfo.Execution.RunId != first.GetRunID() {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	told, err := a.tell(ctx, workflow.Execution{ID: id, RunID: first.GetRunID()}, r, change)
	if err != nil || told != toldByUpdate {
		t.Fatalf("tell the run that wrote the rules, since continued as new: told as %s (%v), want by the Update", told, err)
	}
	var took records.CalendarChanged
	if err := c.GetWorkflow(ctx, id, "").Get(ctx, &took); err != nil || took.Version != 7 {
		t.Errorf("the current run took %+v (%v), want version 7", took, err)
	}
}

// processesOnATestWorker dials the test's Temporal and runs a worker on a
// task queue of its own with the workflows given by name: the processes the
// fan-out tells, as workers of some version run them.
func processesOnATestWorker(t *testing.T, byName map[string]any) (client.Client, string) {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	queue := testenv.TaskQueue(t)
	w := sdkworker.New(c, queue, sdkworker.Options{})
	for name, fn := range byName {
		w.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: name})
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return c, queue
}

// takesTheUpdate takes the calendar-changed Update, as today's processes
// do, and returns what it carried.
func takesTheUpdate(ctx workflow.Context) (records.CalendarChanged, error) {
	var got records.CalendarChanged
	err := workflow.SetUpdateHandler(ctx, workflows.UpdateCalendarChanged, func(_ workflow.Context, c records.CalendarChanged) error {
		got = c
		return nil
	})
	if err != nil {
		return got, err
	}
	err = workflow.Await(ctx, func() bool { return got.Version != 0 })
	return got, err
}

// continuesOnce continues as new at once, then takes the calendar-changed
// Update in its second run, as takesTheUpdate does.
func continuesOnce(ctx workflow.Context, continued bool) (records.CalendarChanged, error) {
	if !continued {
		return records.CalendarChanged{}, workflow.NewContinueAsNewError(ctx, "continues-once", true)
	}
	return takesTheUpdate(ctx)
}

// beforeTheUpdate takes the calendar-changed signal, as a process did
// before the Update existed, and returns what it carried.
func beforeTheUpdate(ctx workflow.Context) (records.CalendarChanged, error) {
	var sig records.CalendarChanged
	workflow.GetSignalChannel(ctx, workflows.SignalCalendarChanged).Receive(ctx, &sig)
	return sig, nil
}

// knowsVersion7 refuses the calendar-changed Update as a process that knows
// version 7 does, counts the calendar-changed signals it gets, and returns
// the count when told "done".
func knowsVersion7(ctx workflow.Context) (int, error) {
	err := workflow.SetUpdateHandlerWithOptions(ctx, workflows.UpdateCalendarChanged,
		func(workflow.Context, records.CalendarChanged) error { return nil },
		workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, c records.CalendarChanged) error {
			return temporal.NewApplicationError("已知节假日安排第 7 版", workflows.CalendarKnownError)
		}})
	if err != nil {
		return 0, err
	}
	signalled := 0
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, workflows.SignalCalendarChanged), func(ch workflow.ReceiveChannel, _ bool) {
		ch.Receive(ctx, nil)
		signalled++
	})
	done := false
	sel.AddReceive(workflow.GetSignalChannel(ctx, "done"), func(ch workflow.ReceiveChannel, _ bool) {
		ch.Receive(ctx, nil)
		done = true
	})
	for !done {
		sel.Select(ctx)
	}
	return signalled, nil
}

// RULES §5 (a step written while a revision's fan-out runs is told of it):
// a decision's step its caller wrote with deadlines counted on an older
// calendar, the caller stopped before telling its process, is told when
// the process finds the step on record (StepsRecorded) — by the signal,
// with the deadline recomputed on the calendar in force.
func TestAStepItsCallerWroteIsToldOfTheCalendarWhenFoundOnRecord(t *testing.T) {
	c, queue := processesOnATestWorker(t, map[string]any{"before-the-update": beforeTheUpdate})
	st := testenv.Store(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	now := time.Now().In(calendar.Shanghai) // the deadline still to come: one passed is never moved
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2000-01-01", ClosesOn: "2100-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	id := queue + "-A1"
	if err := st.CreateApplication(ctx, store.NewApplication{ID: id, RoundID: "R1", BrandName: "石林撒尼刺绣", BrandType: "regional",
		Category: "culture_tourism_crafts", CountyCode: "530126", UnitName: "石林撒尼刺绣合作社", USCC: "91530126MA6NXK2T3X",
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: "holder", SubmittedRole: "applicant"}); err != nil {
		t.Fatal(err)
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.ApplicationWorkflowID(id), TaskQueue: queue}, "before-the-update")
	if err != nil {
		t.Fatal(err)
	}
	// The caller's step: 初审 counted on version 0, a day the calendar in
	// force (a county's day off added since: version 1) no longer gives.
	rule := deadline.Rule{Kind: "county_review", From: calendar.DateOf(now), Period: deadline.Workdays, N: 20, County: "530126"}
	key := queue + "/county_review.arrived"
	if err := st.RecordStep(ctx, records.Step{ApplicationID: id, Key: key, At: now, Actor: "system", Role: "system",
		Action: "submitted", Stage: workflows.StageCountyReview,
		Rules: []records.DeadlineRule{{Key: "county_review", Rule: rule, Due: calendar.DateOf(now).AddDays(40), CalendarVersion: 0}}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCountyOffDay(ctx, "530126", calendar.DateOf(now).AddDays(7), "测试用地方假日", now, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	a := &Activities{Store: st, Calendars: &store.Calendars{Store: st}, Temporal: c}
	if recorded, err := a.StepsRecorded(ctx, []string{key}); err != nil || len(recorded) != 1 {
		t.Fatalf("StepsRecorded = %v, %v", recorded, err)
	}
	var got records.CalendarChanged
	if err := run.Get(ctx, &got); err != nil || got.Version != 1 || len(got.Computed) != 1 || got.Computed[0].Key != "county_review" {
		t.Errorf("the process was told %+v (%v), want version 1 with 初审 recomputed", got, err)
	}
}
