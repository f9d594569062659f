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
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §5 (open processes recompute when a schedule is loaded), in a
// rolling upgrade: processes on a worker from before the calendar-changed
// Update are told by the signal, which answers nothing. The fan-out then
// keeps at most fanoutInFlight of them told and not yet re-armed — their
// records say which — and tells the next only as earlier ones re-arm, so a
// revision does not pile up more tasks than the server works through.
func TestProcessesToldByTheSignalArePacedByTheirReArms(t *testing.T) {
	st := testenv.Store(t)
	c, queue := processesOnATestWorker(t, map[string]any{"before-the-update": beforeTheUpdate})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Open applications whose rules were not kept (deadline_rules NULL):
	// the fan-out cannot judge them and counts each as still to re-arm
	// until its record shows otherwise.
	const n = fanoutInFlight + fanoutBatch
	pool := st.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
		VALUES ('R-FAN', '测试批次', '2026-11-01', '2026-12-31', now(), 'test')`); err != nil {
		t.Fatal(err)
	}
	var procs []toldProcess
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
		procs = append(procs, toldProcess{ID: id})
	}

	a := &Activities{Store: st, Temporal: c}
	cal, err := calendar.New(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := records.CalendarSignal{Version: 1, SignalName: workflows.SignalCalendarChanged}
	signalled := &signalledSet{ids: map[string]bool{}}
	env := (&testsuite.WorkflowTestSuite{}).NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(func(ctx context.Context) (int, error) {
		return a.tellAll(ctx, procs, "application", workflows.ApplicationWorkflowID, r, cal, signalled, fanoutProgress{})
	}, activity.RegisterOptions{Name: "tell-all"})
	type result struct {
		reached int
		err     error
	}
	done := make(chan result, 1)
	go func() {
		v, err := env.ExecuteActivity("tell-all")
		var reached int
		if err == nil {
			err = v.Get(&reached)
		}
		done <- result{reached, err}
	}()

	// It stops with fanoutInFlight told and none re-armed.
	testenv.Eventually(t, 30*time.Second, "the fan-out to wait with its processes in flight", func() error {
		got := signalled.len()
		if got > fanoutInFlight {
			t.Fatalf("%d told by the signal and not re-armed at once, want at most %d", got, fanoutInFlight)
		}
		if got != fanoutInFlight {
			return fmt.Errorf("%d told by the signal and not re-armed, want %d", got, fanoutInFlight)
		}
		return nil
	})
	select {
	case res := <-done:
		t.Fatalf("the fan-out went on to the end (%d reached, %v) with %d processes told and none re-armed", res.reached, res.err, fanoutInFlight)
	case <-time.After(500 * time.Millisecond):
	}
	for _, p := range procs[fanoutInFlight:] {
		d, err := c.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(p.ID), "")
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
		rearmed[i] = procs[i].ID
	}
	if _, err := pool.Exec(ctx, `UPDATE applications SET deadline_rules = '[]' WHERE id = ANY($1)`, rearmed); err != nil {
		t.Fatal(err)
	}
	var res result
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the fan-out did not go on after a batch of its processes re-armed")
	}
	if res.err != nil || res.reached != n {
		t.Fatalf("the fan-out reached %d processes (%v), want all %d", res.reached, res.err, n)
	}
	// The re-arms let it go on, not its patience: it forgot only the 50
	// that re-armed (after its patience it forgets all 150 it waited for).
	if got := signalled.len(); got != fanoutInFlight {
		t.Errorf("%d told by the signal and not re-armed at the end, want %d (100 still waited for, the last 50); "+
			"did the fan-out give up waiting instead?", got, fanoutInFlight)
	}
	for _, p := range procs[fanoutInFlight:] {
		var got records.CalendarChanged
		if err := c.GetWorkflow(ctx, workflows.ApplicationWorkflowID(p.ID), "").Get(ctx, &got); err != nil || got.Version != 1 {
			t.Fatalf("%s received %+v (%v), want calendar version 1 by the signal", p.ID, got, err)
		}
	}
}
