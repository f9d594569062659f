package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// activityKind is how one kind of activity runs, as an activity (before
// changeLocalActivities) and as a local activity (since).
type activityKind struct {
	remote workflow.ActivityOptions
	local  workflow.LocalActivityOptions
}

// localRetries is how a local activity is retried while the database is
// down: without limit in practice (a year, backing off), as an outage must
// delay a process, never fail it. Each retry that waits longer than a
// workflow task's timeout is a marker, a timer and a workflow task in the
// process's history: backing off to ten minutes, a day of outage costs a
// waiting process ~150 retries (~900 events), where one a minute cost
// ~1,450 and brought Temporal's history limit, at which the server
// terminates a process, within a week.
func localRetries(startToClose time.Duration) workflow.LocalActivityOptions {
	return workflow.LocalActivityOptions{
		StartToCloseTimeout:    startToClose,
		ScheduleToCloseTimeout: 365 * 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Minute,
			NonRetryableErrorTypes: []string{RefusedError}},
	}
}

// The two kinds, chosen on purpose.
var (
	// computing is calendar arithmetic: fast. It reads the calendar's
	// version from the database, so it waits out an outage as a write does.
	computing = activityKind{
		remote: workflow.ActivityOptions{
			StartToCloseTimeout: 10 * time.Second,
			RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
		},
		local: localRetries(5 * time.Second),
	}
	// recording writes records: retried without limit in practice (a
	// database outage must delay a decision, never lose it), backing off to a
	// minute as an activity, to ten as a local one. An error of type RefusedError ends the retries: the store
	// refused the write for good (a resubmission whose name another open
	// application took meanwhile).
	recording = activityKind{
		remote: workflow.ActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
				NonRetryableErrorTypes: []string{RefusedError}},
		},
		local: localRetries(30 * time.Second),
	}
)

// reading reads records: retried as long as a recording (an outage delays
// the process, never fails it); never a decision's write (decisionWrite),
// so it runs locally even inside a decision's handler.
var reading = activityKind{
	remote: workflow.ActivityOptions{StartToCloseTimeout: recording.remote.StartToCloseTimeout,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}},
	local: localRetries(recording.local.StartToCloseTimeout),
}

// execute runs fn(args...) as kind says, as a local activity once the
// process runs version 1 of changeLocalActivities — except a decision's
// writes: left to its caller where they can be (deferWrite,
// changeDecisionWritesByCaller), else run as activities
// (changeDecisionsByActivity). Each carries a summary the UI shows
// (activitySummary).
func execute(ctx workflow.Context, kind activityKind, fn any, args ...any) workflow.Future {
	if f, ok := deferWrite(ctx, kind, fn, args); ok {
		return f
	}
	if kind.remote.RetryPolicy != computing.remote.RetryPolicy {
		// A decision's read or write after writes left to its caller
		// comes after them.
		if err := awaitWrites(ctx); err != nil {
			f, s := workflow.NewFuture(ctx)
			s.SetError(err)
			return f
		}
	}
	summary := activitySummary(fn, args)
	if getVersion(ctx, changeLocalActivities) == 1 && !decisionWrite(ctx, kind) {
		opts := kind.local
		opts.Summary = summary
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, opts), fn, args...)
	}
	opts := kind.remote
	opts.Summary = summary
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, args...)
}

// deciding marks the context of a decision's handler (rechecked, guarded):
// its value is the *decision.
type deciding struct{}

// decisionWrite reports whether a recording runs inside a decision's
// handler on a process that writes decisions with activities.
func decisionWrite(ctx workflow.Context, kind activityKind) bool {
	if d, _ := ctx.Value(deciding{}).(*decision); kind.remote.RetryPolicy != recording.remote.RetryPolicy || d == nil {
		return false
	}
	return getVersion(ctx, changeDecisionsByActivity) == 1
}
