package settler_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/settler"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// processWithADecisionUnderWay stands for a process whose decision waits in
// its handler — for a step of the process's own to finish, a write retried
// through an outage — until it is let go, and which, having queued nothing,
// answers settle-writes at once: the state in which a settling could
// overtake the decision.
func processWithADecisionUnderWay(ctx workflow.Context) error {
	letGo := false
	if err := workflow.SetUpdateHandler(ctx, "decide", func(ctx workflow.Context) (string, error) {
		return "applied", workflow.Await(ctx, func() bool { return letGo })
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandler(ctx, workflows.UpdateSettleWrites, func(workflow.Context) error { return nil }); err != nil {
		return err
	}
	workflow.GetSignalChannel(ctx, "let-go").Receive(ctx, nil)
	letGo = true
	return workflow.Await(ctx, func() bool { return false })
}

// RULES §6 (a decision is on record before the answer, and once): the
// writes sweep does not overtake a decision its process has not finished.
// Settled while the decision is under way, the note would be forgotten with
// nothing written, and the decision, applied after, would stay off the
// record until its process next needed it. The sweep waits for the
// decision's outcome, puts the note back in line meanwhile — the notes
// behind it are not held back — and settles it once the decision is
// applied.
func TestSweepWaitsForTheDecisionsOutcomeBeforeSettling(t *testing.T) {
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	queue := testenv.TaskQueue(t)
	w := sdkworker.New(c, queue, sdkworker.Options{})
	w.RegisterWorkflow(processWithADecisionUnderWay)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "settler-" + queue, TaskQueue: queue}, processWithADecisionUnderWay)
	if err != nil {
		t.Fatal(err)
	}
	defer c.TerminateWorkflow(context.Background(), run.GetID(), "", "test over")

	if err := st.NoteDecisionSent(ctx, "K", run.GetID()); err != nil {
		t.Fatal(err)
	}
	// Noted after K, so behind it in line: a decision that never reached
	// the process (its API stopped before sending it) — nothing to write.
	if err := st.NoteDecisionSent(ctx, "never-sent", run.GetID()); err != nil {
		t.Fatal(err)
	}
	decision, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: run.GetID(), UpdateName: "decide",
		UpdateID: "K", WaitForStage: client.WorkflowUpdateStageAccepted})
	if err != nil {
		t.Fatalf("send the decision: %v", err)
	}

	sweep := &settler.Settler{Temporal: c, Store: st, Log: slog.Default()}
	if n, err := sweep.Sweep(ctx, 0); n != 1 || err == nil {
		t.Fatalf("while the decision is under way the sweep settled %d (%v), want 1 — the note behind it, "+
			"not held back — and K's outcome not known yet", n, err)
	}
	if left, err := st.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 1 || left[0].UpdateID != "K" {
		t.Fatalf("notes while the decision is under way: %+v (%v), want K's kept", left, err)
	}
	if left, err := st.DecisionsUnwritten(ctx, 3*time.Second, 10); err != nil || len(left) != 0 {
		t.Errorf("notes sent 3 s ago or more: %+v (%v), want none: the note put back in line, noted afresh", left, err)
	}

	if err := c.SignalWorkflow(ctx, run.GetID(), "", "let-go", nil); err != nil {
		t.Fatal(err)
	}
	if err := decision.Get(ctx, nil); err != nil {
		t.Fatalf("the decision: %v", err)
	}
	if n, err := sweep.Sweep(ctx, 0); n != 1 || err != nil {
		t.Fatalf("once the decision is applied the sweep settled %d (%v), want 1", n, err)
	}
	if left, err := st.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 0 {
		t.Errorf("notes after the sweep: %+v (%v), want none", left, err)
	}
	// The process was asked for the writes only after the decision was done.
	var order []string
	events := c.GetWorkflowHistory(ctx, run.GetID(), "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for events.HasNext() {
		e, err := events.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil {
			order = append(order, "accepted "+a.GetAcceptedRequest().GetInput().GetName())
		}
		if a := e.GetWorkflowExecutionUpdateCompletedEventAttributes(); a != nil {
			order = append(order, "completed "+a.GetMeta().GetUpdateId())
		}
	}
	want := []string{"accepted decide", "completed K", "accepted " + workflows.UpdateSettleWrites, "completed settle-K"}
	if !slices.Equal(order, want) {
		t.Fatalf("the process's Updates: %q, want %q", order, want)
	}
}
