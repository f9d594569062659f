package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// deliveryStack is a fresh database, the shared Temporal dev server and a
// worker of the test's own with the given channels.
type deliveryStack struct {
	store    *store.Store
	temporal client.Client
	queue    string // also a prefix that keeps this test's workflow IDs its own
	acts     *activities.Activities
	runs     int
}

func startDeliveryStack(t *testing.T, ch activities.Channels) *deliveryStack {
	t.Helper()
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	s := &deliveryStack{store: st, temporal: c, queue: testenv.TaskQueue(t),
		acts: &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}, Temporal: c, Channels: ch}}
	w := worker.New(c, s.acts, worker.Options{TaskQueue: s.queue})
	w.RegisterWorkflow(notifyOnce)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return s
}

// notifyOnce runs Notify as the deadline component does: as an activity.
func notifyOnce(ctx workflow.Context, r records.NotifyRequest) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	var a *activities.Activities
	return workflow.ExecuteActivity(ctx, a.Notify, r).Get(ctx, nil)
}

// notify runs Notify for r and waits for it.
func (s *deliveryStack) notify(t *testing.T, r records.NotifyRequest) {
	t.Helper()
	s.runs++
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: fmt.Sprintf("%s-notify-%d", s.queue, s.runs), TaskQueue: s.queue}, notifyOnce, r)
	if err == nil {
		err = run.Get(ctx, nil)
	}
	if err != nil {
		t.Fatalf("notify %s: %v", r.DedupeKey, err)
	}
}

// awaitDelivery waits for the delivery process of the message with
// dedupeKey to end, and returns its run ID.
func (s *deliveryStack) awaitDelivery(t *testing.T, dedupeKey string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run := s.temporal.GetWorkflow(ctx, workflows.DeliveryWorkflowID(dedupeKey), "")
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("delivery of %s: %v", dedupeKey, err)
	}
	d, err := s.temporal.DescribeWorkflowExecution(ctx, workflows.DeliveryWorkflowID(dedupeKey), "")
	if err != nil {
		t.Fatal(err)
	}
	return d.WorkflowExecutionInfo.Execution.RunId
}

// delivery reads the deliveries log of id; ok is false when there is none.
func (s *deliveryStack) delivery(t *testing.T, id string) (store.Delivery, bool) {
	t.Helper()
	d, err := s.store.GetDelivery(context.Background(), id)
	if errors.Is(err, store.ErrNotFound) {
		return d, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return d, true
}

// holdsFor fails t when cond turns false within d (polled, for "nothing
// more happens" checks).
func holdsFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if !cond() {
			t.Fatalf("%s: no longer true", what)
		}
	}
}
