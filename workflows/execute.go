package workflows

import (
	"errors"
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

// localRetries is how a local activity is retried: for an hour, backing
// off to ten minutes, and then, if it still fails, it runs once more as an
// activity (localThenRemote), whose retries the server keeps without
// limit. A database outage must delay a process, never fail it — and must
// not fill its history: each local retry that waits longer than a
// workflow task's timeout is a marker, a timer and a workflow task (six
// events), where an activity's retries write none. Retried locally every
// minute for good, a day of outage wrote ~8,700 events, and within a week
// a waiting process met Temporal's history limit, at which the server
// terminates it.
func localRetries(startToClose time.Duration) workflow.LocalActivityOptions {
	return workflow.LocalActivityOptions{
		StartToCloseTimeout:    startToClose,
		ScheduleToCloseTimeout: time.Hour,
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
	// database outage must delay a decision, never lose it), backing off to
	// a minute as an activity, to ten as a local one. An error of type
	// RefusedError ends the retries: the store refused the write for good (a
	// resubmission whose name another open application took meanwhile).
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
	opts := kind.remote
	opts.Summary = summary
	if getVersion(ctx, changeLocalActivities) == 1 && !decisionWrite(ctx, kind) {
		local := kind.local
		local.Summary = summary
		return localThenRemote(ctx, local, opts, fn, args...)
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, args...)
}

// localThenRemote runs fn(args...) as a local activity with local; if that
// fails — its hour of attempts spent in an outage — it runs it once more as
// an activity with remote (localRetries says why). A refusal, or the
// process's own cancellation, is final and not run again.
func localThenRemote(ctx workflow.Context, local workflow.LocalActivityOptions, remote workflow.ActivityOptions,
	fn any, args ...any) workflow.Future {
	return &remoteAfterLocal{
		local: workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, local), fn, args...),
		again: func() workflow.Future {
			return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, remote), fn, args...)
		},
	}
}

// remoteAfterLocal is the future of localThenRemote. The activity is
// scheduled by the first Get that finds the local activity failed, in the
// caller's coroutine, so a process that never meets an outage issues its
// commands exactly as before. It is not for a Selector, which takes only
// the SDK's own futures; execute's callers wait with Get.
type remoteAfterLocal struct {
	local  workflow.Future
	again  func() workflow.Future
	remote workflow.Future
}

func (f *remoteAfterLocal) Get(ctx workflow.Context, valuePtr any) error {
	if f.remote == nil {
		err := f.local.Get(ctx, valuePtr)
		if err == nil || temporal.IsCanceledError(err) || refusal(err) {
			return err
		}
		// A history from before this change ended here with the error.
		if workflow.GetVersion(ctx, changeRemoteAfterLocal, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			return err
		}
		workflow.GetLogger(ctx).Warn("a local activity ran out of attempts; running it as an activity", "error", err)
		f.remote = f.again()
	}
	return f.remote.Get(ctx, valuePtr)
}

func (f *remoteAfterLocal) IsReady() bool {
	if f.remote != nil {
		return f.remote.IsReady()
	}
	return f.local.IsReady()
}

// refusal reports whether err is final: an application error marked
// non-retryable, or a RefusedError, which localRetries does not retry.
func refusal(err error) bool {
	var app *temporal.ApplicationError
	return errors.As(err, &app) && (app.NonRetryable() || app.Type() == RefusedError)
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
