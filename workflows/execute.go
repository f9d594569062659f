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
	// minute. An error of type "Refused" would end the retries; no activity
	// raises one today, so every failed write is retried.
	recording = activityKind{
		remote: workflow.ActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
				NonRetryableErrorTypes: []string{"Refused"}},
		},
		local: workflow.LocalActivityOptions{
			StartToCloseTimeout: 30 * time.Second,
			// A local activity's attempts share this budget; a year is
			// "without limit" for a write that backs off to a minute.
			ScheduleToCloseTimeout: 365 * 24 * time.Hour,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
				NonRetryableErrorTypes: []string{"Refused"}},
		},
	}
)

// execute runs fn(args...) as kind says, as a local activity once the
// process runs version 1 of changeLocalActivities.
func execute(ctx workflow.Context, kind activityKind, fn any, args ...any) workflow.Future {
	if workflow.GetVersion(ctx, changeLocalActivities, workflow.DefaultVersion, 1) == 1 {
		return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, kind.local), fn, args...)
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, kind.remote), fn, args...)
}
