package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// brandHarness runs one brand's life in the time-skipping environment with
// the real activities on a real database. Messages are scheduled at business
// instants before run. A brand continues as new at every evaluation cycle;
// the time-skipping environment ends there, so run starts a new environment
// for each run with the input the last one continued with, handing it the
// callbacks still to come.
type brandHarness struct {
	t     *testing.T
	store *store.Store
	in    workflows.BrandInput
	start time.Time // the first run's start: admission at 09:00
	env   *testsuite.TestWorkflowEnvironment
	calls []*brandCall
	seq   int // automatic Update IDs
	sent  int // Updates sent
	done  int // Updates answered (refused or completed)
	runs  []brandRun
	cur   *brandRun // the run in progress
	// onActivity, if set, is told of each activity and local activity as
	// it starts, with a way to read its arguments.
	onActivity func(info *activity.Info, args func(ptrs ...any) error)
	// setup, if set, prepares each run's environment (mocks).
	setup func(env *testsuite.TestWorkflowEnvironment)
	// untold is set while a report was filed whose signal was lost and no
	// read has happened since (the model-based test).
	untold bool
	// noCaller leaves a decision's writes to the process, as if its caller
	// stopped before it wrote them; else send makes them, as the API does.
	noCaller bool
}

// brandCall is a callback at a business instant.
type brandCall struct {
	at  time.Time
	fn  func()
	ran bool
}

// brandRun is one run of the brand's process: its input and how it ended.
// Next is the input it continued as new with, if it did.
type brandRun struct {
	Start time.Time
	End   time.Time
	In    workflows.BrandInput
	Err   error
	Next  *workflows.BrandInput

	// What the run did, as the server would record it.
	Activities, LocalActivities, Timers, Updates, Signals int
}

// MaxEvents bounds the number of events the run's history would hold on a
// Temporal server: the start and the end; per activity its scheduled,
// started and completed events, and a search-attribute upsert at most; per
// timer started and fired or cancelled; per accepted Update accepted and
// completed; per signal one; and a workflow task (scheduled, started,
// completed) for the first and for each of those that wakes the process;
// per local activity its marker and a search-attribute upsert at most (it
// runs inside a workflow task already counted). The time-skipping environment keeps no history; the dev-server test
// counts the real one (TestBrandThirtyYearHistoryOnDevServer).
func (r brandRun) MaxEvents() int {
	tasks := 1 + r.Activities + r.Timers + r.Updates + r.Signals
	return 2 + 3*tasks + 4*r.Activities + 2*r.LocalActivities + 2*r.Timers + 2*r.Updates + r.Signals
}

// The brand every harness admits: 安宁玫瑰 of county 530181.
const (
	testBrandID = "B0001"
	testUSCC    = "51530181MJ0000001U"
)

func newBrandHarness(t *testing.T, admitted string) *brandHarness {
	t.Helper()
	st := testenv.Store(t)
	day := date(admitted)
	in := workflows.BrandInput{BrandID: testBrandID, ApplicationID: "A0001", Name: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: testUSCC,
		AdmittedOn: day, Policy: workflows.DefaultBrandPolicy}
	start := at(admitted, 9)
	seedBrand(t, st, in, start)
	return &brandHarness{t: t, store: st, in: in, start: start}
}

// seedBrand writes what admission leaves behind for in: a round, the
// application and the brand record.
func seedBrand(t testing.TB, st *store.Store, in workflows.BrandInput, admittedAt time.Time) {
	t.Helper()
	ctx := context.Background()
	round := "R-" + in.ApplicationID
	if _, err := st.CreateRound(ctx, store.Round{ID: round, Name: "第一批", OpensOn: "2000-01-01", ClosesOn: "2100-01-01", CreatedAt: admittedAt}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	err := st.CreateApplication(ctx, store.NewApplication{ID: in.ApplicationID, RoundID: round, BrandName: in.Name, BrandType: in.BrandType,
		Category: in.Category, CountyCode: in.CountyCode, UnitName: in.UnitName, USCC: in.USCC,
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: admittedAt, SubmittedBy: "holder", SubmittedRole: "applicant"})
	if err != nil {
		t.Fatal(err)
	}
	err = st.RecordStep(ctx, records.Step{ApplicationID: in.ApplicationID, Key: "admit-" + in.ApplicationID, At: admittedAt, Actor: "system", Role: "system",
		Action: "admitted", Stage: "admitted"}, func(tx pgx.Tx) error {
		return store.CreateBrand(ctx, tx, in.BrandID, in.ApplicationID, in.AdmittedOn, admittedAt)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Actors, as the API authenticates them.
func county530181() workflows.Actor {
	return workflows.Actor{Sub: "officer-anning", Role: "county_officer", County: "530181"}
}
func county530102() workflows.Actor {
	return workflows.Actor{Sub: "officer-wuhua", Role: "county_officer", County: "530102"}
}
func cityOfficer() workflows.Actor { return workflows.Actor{Sub: "city", Role: "city_officer"} }
func brandHolder() workflows.Actor {
	return workflows.Actor{Sub: "holder", Role: "applicant", USCC: testUSCC}
}

// later runs fn at business instant when, inside the brand's timeline.
func (h *brandHarness) later(when time.Time, fn func()) {
	h.t.Helper()
	if when.Before(h.start) {
		h.t.Fatalf("callback at %s is before admission %s", when, h.start)
	}
	h.calls = append(h.calls, &brandCall{at: when, fn: fn})
}

// send sends Update id now (inside a callback) and reports its outcome,
// refused or completed, to check.
func (h *brandHarness) send(id, name string, arg any, check func(error)) {
	h.sent++
	h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
		OnReject: func(err error) { h.done++; check(err) },
		OnAccept: func() { h.cur.Updates++ },
		OnComplete: func(res any, err error) {
			h.done++
			if r, ok := res.(workflows.BrandResult); ok && err == nil && !h.noCaller {
				writeAsCaller(h.t, h.store, r.Writes)
			}
			check(err)
		},
	}, arg)
}

// signal sends a signal now (inside a callback).
func (h *brandHarness) signal(name string, arg any) {
	h.cur.Signals++
	h.env.SignalWorkflow(name, arg)
}

// update sends an Update at 10:00 on day and checks its outcome.
func (h *brandHarness) update(day, name string, arg any, check func(error)) {
	h.seq++
	h.updateAs(at(day, 10), fmt.Sprintf("bu%d", h.seq), name, arg, check)
}

// updateAs sends Update id at when: a caller that retries sends the same id.
func (h *brandHarness) updateAs(when time.Time, id, name string, arg any, check func(error)) {
	h.later(when, func() { h.send(id, name, arg, check) })
}

// refused sends an Update at 10:00 on day that the validator must refuse
// with errType; inspect, if not nil, checks the rejection.
func (h *brandHarness) refused(day, name string, arg any, errType string, inspect func(workflows.Rejection)) {
	h.t.Helper()
	h.seq++
	id := fmt.Sprintf("bu%d", h.seq)
	h.later(at(day, 10), func() {
		h.send(id, name, arg, func(err error) {
			r, ok := rejection(err, errType)
			switch {
			case err == nil:
				h.t.Errorf("%s %s %+v on %s: accepted, want refused with %s", id, name, arg, day, errType)
			case !ok:
				h.t.Errorf("%s %s %+v on %s: %v, want refused with %s", id, name, arg, day, err, errType)
			case inspect != nil:
				inspect(r)
			}
		})
	})
}

// renewalRefusedBeforeItsWindow has the city renew the suspension on day,
// before its window opens on opensOn, and wants the refusal that says so
// (RULES §4, renewal_window_not_open).
func (h *brandHarness) renewalRefusedBeforeItsWindow(day, opensOn string) {
	h.t.Helper()
	h.refused(day, workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "过早"},
		workflows.RejectConflict, func(r workflows.Rejection) {
			if r.Code != "renewal_window_not_open" || r.Details["opens_on"] != opensOn {
				h.t.Errorf("early renewal refused with %+v, want renewal_window_not_open from %s", r, opensOn)
			}
		})
}

// check runs fn on the brand's state at 12:00 on day.
func (h *brandHarness) check(day string, fn func(st workflows.BrandState)) {
	h.checkAt(at(day, 12), fn)
}

// checkAt runs fn on the brand's state at business instant when.
func (h *brandHarness) checkAt(when time.Time, fn func(st workflows.BrandState)) {
	h.later(when, func() { fn(h.state()) })
}

// state queries the current run's state (inside a callback).
func (h *brandHarness) state() workflows.BrandState {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(workflows.QueryState)
	if err != nil {
		h.t.Fatalf("query: %v", err)
	}
	var st workflows.BrandState
	if err := v.Get(&st); err != nil {
		h.t.Fatal(err)
	}
	return st
}

// run runs the brand's life until 20:00 on day `until`, or until the process
// ends by itself (removal), through every continue-as-new. Every callback
// scheduled before the end must have run and every Update been answered.
func (h *brandHarness) run(until string) {
	h.t.Helper()
	end := at(until, 20)
	start, in := h.start, h.in
	for {
		r := h.runOnce(start, end, in)
		h.runs = append(h.runs, r)
		if r.Next == nil {
			break
		}
		start, in = r.End, *r.Next
		h.untold = false // each run reads the reports at its start
	}
	last := h.runs[len(h.runs)-1]
	var canceled *temporal.CanceledError
	if last.Err != nil && !errors.As(last.Err, &canceled) {
		h.t.Fatalf("run %d ended with %v", len(h.runs), last.Err)
	}
	for _, c := range h.calls {
		if !c.ran && !c.at.After(last.End) {
			h.t.Errorf("callback at %s did not run", c.at.In(calendar.Shanghai))
		}
	}
	if h.done != h.sent {
		h.t.Errorf("%d of %d Updates answered", h.done, h.sent)
	}
}

// runOnce runs one run of the process from start in a fresh environment.
func (h *brandHarness) runOnce(start, end time.Time, in workflows.BrandInput) brandRun {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testLogger(h.t))
	h.env = suite.NewTestWorkflowEnvironment()
	h.env.SetStartTime(start)
	h.env.SetWorkflowRunTimeout(0)
	worker.Register(h.env, &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}})
	if h.setup != nil {
		h.setup(h.env)
	}
	h.cur = &brandRun{Start: start, In: in}
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		h.cur.Activities++
		if h.onActivity != nil {
			h.onActivity(info, args.Get)
		}
	})
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, args []any) {
		h.cur.LocalActivities++
		if h.onActivity != nil {
			h.onActivity(info, func(ptrs ...any) error { return copyArgs(args, ptrs) })
		}
	})
	h.env.SetOnTimerScheduledListener(func(string, time.Duration) { h.cur.Timers++ })
	for _, c := range h.calls {
		if !c.ran && !c.at.After(end) {
			h.env.RegisterDelayedCallback(func() { c.ran = true; c.fn() }, max(0, c.at.Sub(start)))
		}
	}
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, end.Sub(start))
	h.env.ExecuteWorkflow(workflows.BrandWorkflow, in)
	r := *h.cur
	r.End, r.Err = h.env.Now(), h.env.GetWorkflowError()
	var can *workflow.ContinueAsNewError
	if errors.As(r.Err, &can) {
		var next workflows.BrandInput
		if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
			h.t.Fatalf("continue-as-new input: %v", err)
		}
		r.Next = &next
	}
	return r
}

// ended reports whether the process ended by itself (removal).
func (h *brandHarness) ended() bool {
	return len(h.runs) > 0 && h.runs[len(h.runs)-1].Err == nil
}

// deadlineOf is the deadline key of st, or nil.
func deadlineOf(st workflows.BrandState, key string) *workflows.Deadline {
	for _, d := range st.Deadlines.Items {
		if d.Key == key {
			return d
		}
	}
	return nil
}

// dueOf is the due day of deadline key of st, "" when there is none.
func dueOf(st workflows.BrandState, key string) string {
	if d := deadlineOf(st, key); d != nil {
		return d.Value().Due.String()
	}
	return ""
}

// pendingOf is "kind due" of st's pending decision, "" when none.
func pendingOf(st workflows.BrandState) string {
	if st.Pending == nil {
		return ""
	}
	return st.Pending.Kind + " " + st.Pending.Due.String()
}

// hasLine reports whether one of lines contains want.
func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if strings.Contains(l, want) {
			return true
		}
	}
	return false
}

// copyArgs decodes a local activity's arguments into ptrs, as an
// activity's are read from their payloads.
func copyArgs(args []any, ptrs []any) error {
	for i, p := range ptrs {
		if i >= len(args) {
			return fmt.Errorf("%d arguments, want %d", len(args), len(ptrs))
		}
		raw, err := json.Marshal(args[i])
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, p); err != nil {
			return err
		}
	}
	return nil
}
