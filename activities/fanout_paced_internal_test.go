package activities

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §5 (open processes recompute when a schedule is loaded), in a
// rolling upgrade: processes on a worker from before the calendar-changed
// Update are told by the signal, which answers nothing. The fan-out then
// keeps at most fanoutInFlight of them told and not yet re-armed — their
// records say which — and tells the next only as earlier ones re-arm, so a
// revision does not pile up more tasks than the server works through.
func TestProcessesToldByTheSignalArePacedByTheirReArms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Patience longer than the test: only re-arms may let it go on, however
	// slowly a loaded machine tells the first fanoutInFlight.
	f := startPacedFanout(ctx, t, 5*time.Minute)

	// It stops with fanoutInFlight told and none re-armed.
	testenv.Eventually(t, 30*time.Second, "the fan-out to wait with its processes in flight", func() error {
		got := f.signalled.len()
		if got > fanoutInFlight {
			t.Fatalf("%d told by the signal and not re-armed at once, want at most %d", got, fanoutInFlight)
		}
		if got != fanoutInFlight {
			return fmt.Errorf("%d told by the signal and not re-armed, want %d", got, fanoutInFlight)
		}
		return nil
	})
	select {
	case res := <-f.done:
		t.Fatalf("the fan-out went on to the end (%d reached, %v) with %d processes told and none re-armed", res.reached, res.err, fanoutInFlight)
	case <-time.After(500 * time.Millisecond):
	}
	for _, p := range f.procs[fanoutInFlight:] {
		d, err := f.c.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(p.ID), "")
		if err != nil {
			t.Fatal(err)
		}
		if s := d.WorkflowExecutionInfo.Status; s != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Fatalf("%s was told while the fan-out waited for the first to re-arm (status %s)", p.ID, s)
		}
	}

	// A batch of them re-arms (their records now show no deadline to move):
	// the fan-out tells the rest.
	rearmed := make([]string, fanoutBatch)
	for i := range rearmed {
		rearmed[i] = f.procs[i].ID
	}
	if _, err := f.st.Pool().Exec(ctx, `UPDATE applications SET deadline_rules = '[]' WHERE id = ANY($1)`, rearmed); err != nil {
		t.Fatal(err)
	}
	var res fanoutResult
	select {
	case res = <-f.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the fan-out did not go on after a batch of its processes re-armed")
	}
	if res.err != nil || res.reached != len(f.procs) {
		t.Fatalf("the fan-out reached %d processes (%v), want all %d", res.reached, res.err, len(f.procs))
	}
	// The re-arms let it go on: it forgot only the 50 that re-armed.
	if got := f.signalled.len(); got != fanoutInFlight {
		t.Errorf("%d told by the signal and not re-armed at the end, want %d (100 still waited for, the last 50)",
			got, fanoutInFlight)
	}
	f.wantAllToldBySignal(ctx, t)
}

// The same pace, when none of the processes told re-arms (their rules are
// never rewritten): the fan-out waits on them no longer than its patience
// without any re-arming, then forgets them and tells the rest — a process
// that does not rewrite its rules must not hold up the others.
func TestProcessesThatNeverReArmHoldUpTheFanoutOnlyForItsPatience(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const patience = 2 * time.Second
	f := startPacedFanout(ctx, t, patience)

	var res fanoutResult
	select {
	case res = <-f.done:
	case <-time.After(60 * time.Second):
		t.Fatal("the fan-out did not go on past processes that never re-armed")
	}
	if res.err != nil || res.reached != len(f.procs) {
		t.Fatalf("the fan-out reached %d processes (%v), want all %d", res.reached, res.err, len(f.procs))
	}
	// It forgot those it waited for when its patience ran out, and holds the
	// last batch it told after that (and any tell of the first that was
	// still on its way when it forgot).
	if got := f.signalled.len(); got < fanoutBatch || got >= fanoutInFlight {
		t.Errorf("%d told by the signal and not re-armed at the end, want the last %d and not the first %d",
			got, fanoutBatch, fanoutInFlight)
	}
	f.wantAllToldBySignal(ctx, t)
}

// pacedFanout is a fan-out over fanoutInFlight+fanoutBatch open
// applications whose workflows run on a worker from before the
// calendar-changed Update, running in the background.
type pacedFanout struct {
	c         client.Client
	st        *store.Store
	procs     []toldProcess
	signalled *signalledSet
	done      chan fanoutResult
}

type fanoutResult struct {
	reached int
	err     error
}

func startPacedFanout(ctx context.Context, t *testing.T, patience time.Duration) *pacedFanout {
	t.Helper()
	st := testenv.Store(t)
	c, queue := processesOnATestWorker(t, map[string]any{"before-the-update": beforeTheUpdate})

	// Open applications whose rules were not kept (deadline_rules NULL):
	// the fan-out cannot judge them and counts each as still to re-arm
	// until its record shows otherwise.
	const n = fanoutInFlight + fanoutBatch
	pool := st.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
		VALUES ('R-FAN', '测试批次', '2026-11-01', '2026-12-31', now(), 'test')`); err != nil {
		t.Fatal(err)
	}
	f := &pacedFanout{c: c, st: st, signalled: newSignalledSet(patience), done: make(chan fanoutResult, 1)}
	for i := range n {
		id := fmt.Sprintf("%s-%03d", queue, i)
		if _, err := pool.Exec(ctx, `INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category,
			county_code, unit_name, uscc, form, eligibility, submitted_at, submitted_by, updated_at, deadlines, name_key)
			VALUES ($1, 'R-FAN', 'county_review', $1, '技能型', '家政服务', '530102', '单位', $2, '{}', '[]',
			now(), 'test', now(), '[{"due": "2027-01-05"}]', $1)`, id, fmt.Sprintf("91530100MA6K%06d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.ApplicationWorkflowID(id), TaskQueue: queue},
			"before-the-update"); err != nil {
			t.Fatal(err)
		}
		f.procs = append(f.procs, toldProcess{ID: id})
	}

	a := &Activities{Store: st, Temporal: c}
	cal, err := calendar.New(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := records.CalendarSignal{Version: 1, SignalName: workflows.SignalCalendarChanged}
	env := (&testsuite.WorkflowTestSuite{}).NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(func(ctx context.Context) (int, error) {
		return a.tellAll(ctx, f.procs, "application", workflows.ApplicationWorkflowID, r, cal, f.signalled, fanoutProgress{})
	}, activity.RegisterOptions{Name: "tell-all"})
	go func() {
		v, err := env.ExecuteActivity("tell-all")
		var reached int
		if err == nil {
			err = v.Get(&reached)
		}
		f.done <- fanoutResult{reached, err}
	}()
	return f
}

// wantAllToldBySignal checks that every process took calendar version 1
// from the signal.
func (f *pacedFanout) wantAllToldBySignal(ctx context.Context, t *testing.T) {
	t.Helper()
	for _, p := range f.procs {
		var got records.CalendarChanged
		if err := f.c.GetWorkflow(ctx, workflows.ApplicationWorkflowID(p.ID), "").Get(ctx, &got); err != nil || got.Version != 1 {
			t.Fatalf("%s received %+v (%v), want calendar version 1 by the signal", p.ID, got, err)
		}
	}
}
