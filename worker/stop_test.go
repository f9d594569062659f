package worker_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/worker"
)

// docs/DEPLOYMENT.md (what a stopping pod does with its work): a worker told
// to stop lets the activity it is running — a delivery, a record's write —
// finish within its StopTimeout, rather than cancel it to be retried a
// timeout later; with none it cancels at once.
func TestAStoppingWorkerLetsItsRunningActivityFinish(t *testing.T) {
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	for _, tc := range []struct {
		name        string
		stopTimeout time.Duration
		want        string
	}{
		{"with production's stop timeout", worker.StopTimeout, "finished"},
		{"with none", 0, "cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			queue := testenv.TaskQueue(t)
			w := worker.New(c, &activities.Activities{}, worker.Options{TaskQueue: queue, StopTimeout: tc.stopTimeout})
			started, outcome := make(chan struct{}), make(chan string, 1)
			w.RegisterActivityWithOptions(func(ctx context.Context) error {
				close(started)
				select {
				case <-time.After(2 * time.Second):
					outcome <- "finished"
					return nil
				case <-ctx.Done():
					outcome <- "cancelled"
					return ctx.Err()
				}
			}, activity.RegisterOptions{Name: "test-slow-write"})
			w.RegisterWorkflowWithOptions(func(ctx workflow.Context) error {
				ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute,
					RetryPolicy: &temporal.RetryPolicy{MaximumAttempts: 1}})
				return workflow.ExecuteActivity(ctx, "test-slow-write").Get(ctx, nil)
			}, workflow.RegisterOptions{Name: "test-stopping"})
			if err := w.Start(); err != nil {
				t.Fatal(err)
			}
			run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{TaskQueue: queue}, "test-stopping")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.TerminateWorkflow(context.Background(), run.GetID(), "", "test over") })
			select {
			case <-started:
			case <-time.After(30 * time.Second):
				t.Fatal("the activity never started")
			}
			w.Stop()
			select {
			case got := <-outcome:
				if got != tc.want {
					t.Errorf("the running activity %s when its worker stopped, want %s", got, tc.want)
				}
			case <-time.After(5 * time.Second):
				t.Errorf("the running activity neither finished nor was cancelled when its worker stopped")
			}
		})
	}
}
