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

// The two kinds, chosen on purpose.
var (
	// computing is calendar arithmetic: fast, retried briefly.
	computing = activityKind{
		remote: workflow.ActivityOptions{
			StartToCloseTimeout: 10 * time.Second,
			RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
		},
		local: workflow.LocalActivityOptions{
			StartToCloseTimeout:    5 * time.Second,
			ScheduleToCloseTimeout: 10 * time.Minute,
			RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
		},
	}
	// recording writes records: retried without limit in practice (a
	// database outage must delay a decision, never lose it), backing off to a
	// minute. An error of type RefusedError ends the retries: the store
	// refused the write for good (a resubmission whose name another open
	// application took meanwhile).
	recording = activityKind{
		remote: workflow.ActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
				NonRetryableErrorTypes: []string{RefusedError}},
		},
		local: workflow.LocalActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			// A local activity's attempts share this budget; a year is
			// "without limit" for a write that backs off to a minute.
			ScheduleToCloseTimeout: 365 * 24 * time.Hour,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
				NonRetryableErrorTypes: []string{RefusedError}},
		},
	}
)

// reading reads records: retried as long as a recording (an outage delays
// the process, never fails it); never a decision's write (decisionWrite),
// so it runs locally even inside a decision's handler.
var reading = activityKind{
	remote: workflow.ActivityOptions{StartToCloseTimeout: recording.remote.StartToCloseTimeout,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}},
	local: workflow.LocalActivityOptions{StartToCloseTimeout: recording.local.StartToCloseTimeout,
		ScheduleToCloseTimeout: recording.local.ScheduleToCloseTimeout,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute}},
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
