package devstack_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
)

// sleepsWorkflow waits n timers of d, one after the other.
func sleepsWorkflow(ctx workflow.Context, n int, d time.Duration) error {
	for range n {
		if err := workflow.Sleep(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// At `laborbrand dev --time-scale 864000` a business day is 100 ms of wall
// time, so a deadline's timer lasts milliseconds. The dev server's timer queue
// moved such a timer to the end of what it had read ahead, a second later:
// ten business days late (docs/PERFORMANCE.md, deadlines at ×864000). With
// PreciseTimers every 5 ms timer fires well within that second.
func TestTimeScalePreciseTimersFireShortTimersOnTime(t *testing.T) {
	bin, err := devstack.FindTemporalCLI("")
	if err != nil {
		t.Skip("no temporal CLI:", err)
	}
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv, err := devstack.StartTemporal(ctx, devstack.TemporalOptions{
		Binary: bin, DBFile: filepath.Join(t.TempDir(), "temporal.db"), Port: port, Namespace: "default",
		PreciseTimers: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(10 * time.Second)

	c, err := client.Dial(client.Options{HostPort: srv.Address, Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := worker.New(c, "precise-timers", worker.Options{})
	w.RegisterWorkflow(sleepsWorkflow)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: "precise-timers"}, sleepsWorkflow, 10, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := run.Get(wctx, nil); err != nil {
		t.Fatal(err)
	}

	due := map[int64]time.Time{} // TimerStarted event ID → due instant
	fired := 0
	it := c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		at := e.GetEventTime().AsTime()
		switch e.GetEventType() {
		case enums.EVENT_TYPE_TIMER_STARTED:
			due[e.GetEventId()] = at.Add(e.GetTimerStartedEventAttributes().GetStartToFireTimeout().AsDuration())
		case enums.EVENT_TYPE_TIMER_FIRED:
			fired++
			// Without PreciseTimers each of these fired 0.9–1 s after due.
			if lag := at.Sub(due[e.GetTimerFiredEventAttributes().GetStartedEventId()]); lag > 500*time.Millisecond {
				t.Errorf("timer %d fired %s after its due instant, want well under the read-ahead second",
					fired, lag.Round(time.Millisecond))
			}
		}
	}
	if fired != 10 {
		t.Fatalf("%d timers fired, want 10", fired)
	}
}
