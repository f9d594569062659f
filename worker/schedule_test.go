package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const day = 24 * time.Hour

// scheduled is what schedule id runs: its interval and its input.
func scheduled(t *testing.T, c client.Client, id string) (time.Duration, workflows.MaintenanceInput, *client.ScheduleDescription) {
	t.Helper()
	d, err := c.ScheduleClient().GetHandle(context.Background(), id).Describe(context.Background())
	if err != nil {
		t.Fatalf("the schedule %s does not exist: %v", id, err)
	}
	a := d.Schedule.Action.(*client.ScheduleWorkflowAction)
	if a.Workflow != workflows.MaintenanceWorkflowType {
		t.Errorf("the schedule runs %v, want %s", a.Workflow, workflows.MaintenanceWorkflowType)
	}
	var in workflows.MaintenanceInput
	if err := converter.GetDefaultDataConverter().FromPayload(a.Args[0].(*commonpb.Payload), &in); err != nil {
		t.Fatal(err)
	}
	return d.Schedule.Spec.Intervals[0].Every, in, d
}

func TestTheMaintenanceScheduleExistsAfterStartUpAndPrunes(t *testing.T) {
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	queue := testenv.TaskQueue(t)
	w := worker.New(c, &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}, Temporal: c}, worker.Options{TaskQueue: queue})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	ctx := context.Background()
	m := worker.DefaultMaintenance
	m.ScheduleID, m.TaskQueue = queue+"-maintenance", queue
	t.Cleanup(func() { c.ScheduleClient().GetHandle(ctx, m.ScheduleID).Delete(ctx) })

	// Start-up creates it.
	if err := worker.EnsureMaintenanceSchedule(ctx, c, m); err != nil {
		t.Fatal(err)
	}
	every, in, first := scheduled(t, c, m.ScheduleID)
	want := m.Input
	want.Every = time.Hour // its runs know their interval: one of them checks the audit chain each night
	if every != time.Hour || in != want {
		t.Errorf("schedule: every %s with %+v; want every 1h with %+v", every, in, want)
	}

	// A second start-up with the same settings changes nothing.
	if err := worker.EnsureMaintenanceSchedule(ctx, c, m); err != nil {
		t.Fatalf("a second start-up: %v", err)
	}
	if _, _, again := scheduled(t, c, m.ScheduleID); !again.Info.LastUpdateAt.Equal(first.Info.LastUpdateAt) {
		t.Errorf("an unchanged start-up updated the schedule (%s → %s)", first.Info.LastUpdateAt, again.Info.LastUpdateAt)
	}

	// A start-up with other settings updates it.
	m.Every, m.Input.IdempotencyRetention = 30*time.Minute, 2*day
	if err := worker.EnsureMaintenanceSchedule(ctx, c, m); err != nil {
		t.Fatal(err)
	}
	every, in, changed := scheduled(t, c, m.ScheduleID)
	if every != 30*time.Minute || in.IdempotencyRetention != 2*day || in.Every != 30*time.Minute {
		t.Errorf("after a change: every %s with %+v; want every 30m with a 48h idempotency retention", every, in)
	}
	// …its policies with it: a missed run is caught up within the new
	// interval, not the old one.
	if p := changed.Schedule.Policy; p == nil || p.CatchupWindow != 30*time.Minute || p.Overlap != enums.SCHEDULE_OVERLAP_POLICY_SKIP {
		t.Errorf("after a change of interval: policies %+v, want skip and a 30m catch-up window", p)
	}

	// A run deletes the keys older than two days, and only those. The
	// schedule may also fire on its own (at :00 or :30) meanwhile: every run
	// since this point counts, and together they delete that one key.
	h := c.ScheduleClient().GetHandle(ctx, m.ScheduleID)
	earlier := map[string]bool{}
	if d, err := h.Describe(ctx); err == nil {
		for _, a := range d.Info.RecentActions {
			earlier[a.StartWorkflowResult.WorkflowID] = true
		}
	}
	for name, age := range map[string]time.Duration{"3d": 3 * day, "1d": day} {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, created_at)
			VALUES ('city', 'city_officer', '', '', 'POST', '/api/v1/x', $1, 'h', 200, $2)`, name, time.Now().Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	var runs []string
	testenv.Eventually(t, 30*time.Second, "the triggered run", func() error {
		d, err := h.Describe(ctx)
		if err != nil {
			return err
		}
		runs = nil
		for _, a := range d.Info.RecentActions {
			if id := a.StartWorkflowResult.WorkflowID; !earlier[id] {
				runs = append(runs, id)
			}
		}
		if len(runs) == 0 {
			return fmt.Errorf("no run yet")
		}
		return nil
	})
	var deleted int64
	for _, id := range runs {
		var res workflows.MaintenanceResult
		if err := c.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
			t.Fatalf("maintenance run %s: %v", id, err)
		}
		deleted += res.IdempotencyKeys
	}
	var left []string
	rows, _ := st.Pool().Query(ctx, `SELECT key FROM idempotency_keys`)
	for rows.Next() {
		var k string
		rows.Scan(&k)
		left = append(left, k)
	}
	if deleted != 1 || len(left) != 1 || left[0] != "1d" {
		t.Errorf("the runs %v deleted %d keys, left %v; want 1, [1d]", runs, deleted, left)
	}
}
