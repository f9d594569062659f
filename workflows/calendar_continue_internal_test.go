package workflows

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// RULES §5 (a calendar revision moves running deadlines) and the rule that
// a long-lived process continues as new without losing a message: a
// calendar-changed signal that comes with a run's last workflow task is
// delivered as the run decides to continue as new, before the listener
// has run — it is carried into the next run's state, which then recomputes
// the deadlines computed on the older calendar. Before, the listener was
// handed it and never ran again, and the next run kept the older calendar
// (changeCalendarTakenBeforeContinue). Here the run decides on seeing the
// signal in its channel: in the very dispatch the signal arrives in.
func TestDecision_CalendarRevision_ASignalComingAsTheRunContinuesIsCarried(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(func(ctx workflow.Context, ds deadlines) error {
		p := newProcess(clock.Real, "continuing", "530181")
		if err := ds.listenForCalendarChanges(ctx, &p.changes); err != nil {
			return err
		}
		ch := workflow.GetSignalChannel(ctx, SignalCalendarChanged)
		if err := workflow.Await(ctx, func() bool { return ch.Len() > 0 }); err != nil {
			return err
		}
		return p.continueAsNew(ctx, &ds, "Continuing", func() any { return ds })
	}, workflow.RegisterOptions{Name: "Continuing"})
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(SignalCalendarChanged, records.CalendarChanged{Version: 7})
	}, time.Hour)
	env.ExecuteWorkflow("Continuing", deadlines{CalendarVersion: 6})

	var can *workflow.ContinueAsNewError
	if !errors.As(env.GetWorkflowError(), &can) {
		t.Fatalf("the run ended with %v, want continue-as-new", env.GetWorkflowError())
	}
	var next deadlines
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.CalendarVersion != 7 {
		t.Errorf("the next run starts on calendar version %d, want 7 (the revision signalled as the run continued)", next.CalendarVersion)
	}
}
