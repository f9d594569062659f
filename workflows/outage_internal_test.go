package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// outage runs fn in a process of its own while the database is down for
// the given time: every attempt of activity name fails until then. It
// returns the workflow's error and how many attempts were made as a local
// activity, each of which costs history events, and as an activity.
func outage(t *testing.T, name string, down time.Duration, fn func(workflow.Context) error) (err error, local, remote int) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	start := time.Date(2027, time.March, 1, 9, 0, 0, 0, calendar.Shanghai)
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	fail := func(ctx context.Context) error {
		if activity.GetInfo(ctx).IsLocalActivity {
			local++
		} else {
			remote++
		}
		if env.Now().Before(start.Add(down)) {
			return errors.New("dial PostgreSQL: connection refused")
		}
		return nil
	}
	switch name {
	case ActivityComputeDeadline:
		env.RegisterActivityWithOptions(func(ctx context.Context, _ deadline.Rule) (deadline.Schedule, error) {
			return deadline.Schedule{}, fail(ctx)
		}, activity.RegisterOptions{Name: name})
	case ActivityRecordStep:
		env.RegisterActivityWithOptions(func(ctx context.Context, _ records.Step) error { return fail(ctx) },
			activity.RegisterOptions{Name: name})
	default:
		t.Fatalf("no fake for %s", name)
	}
	env.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: "Outage"})
	env.ExecuteWorkflow("Outage")
	if !env.IsWorkflowCompleted() {
		t.Fatal("the process did not finish")
	}
	return env.GetWorkflowError(), local, remote
}

// RELIABILITY (a PostgreSQL outage delays a process, never fails it): a
// deadline is computed with the calendar read from the database, and a
// process that arms one during a long outage — a lapse, a notice ending
// at night — waits for the database. Its local activity gave up after ten
// minutes, and the error failed the whole process. Now it waits as an
// activity once its hour of local attempts is spent.
func TestADeadlineComputedDuringALongOutageWaitsForTheDatabase(t *testing.T) {
	rule := deadline.Rule{Kind: "county_review", From: calendar.NewDate(2027, time.March, 1), Period: deadline.Workdays, N: 20}
	err, local, remote := outage(t, ActivityComputeDeadline, longOutage, func(ctx workflow.Context) error {
		_, err := computeDeadline(ctx, rule)
		return err
	})
	if err != nil {
		t.Fatalf("after an outage of %s the process failed (%d local attempts): %v", longOutage, local, err)
	}
	if remote == 0 {
		t.Errorf("the computation was never run as an activity (%d local attempts)", local)
	}
}

// RELIABILITY (a PostgreSQL outage delays a process, never fails it, nor
// fills its history): each retry of a local activity whose backoff is
// longer than a workflow task's timeout is a marker, a timer and a
// workflow task in the process's history — six events. Retried every
// minute for good, a day of outage took 1,446 attempts (~8,700 events),
// and within a week a waiting process met Temporal's limit of 51,200
// events, where the server terminates it. Now the local activity tries for
// an hour and the write then waits as an activity, whose retries the
// server keeps without writing history: any outage costs what an hour's
// does.
func TestALongOutageCostsAProcessAnHoursRetries(t *testing.T) {
	step := records.Step{ApplicationID: "A1", Key: "A1/outage", Action: "deadline.lapsed"}
	err, local, remote := outage(t, ActivityRecordStep, longOutage, func(ctx workflow.Context) error {
		return execute(ctx, recording, ActivityRecordStep, step).Get(ctx, nil)
	})
	if err != nil {
		t.Fatalf("after an outage of %s the write failed: %v", longOutage, err)
	}
	// The local attempts of the hour: 1, 2, 4 … 512 s apart, then 10 min.
	if local > 15 {
		t.Errorf("an outage of %s took %d local attempts (about %d history events); want at most 15", longOutage, local, 6*local)
	}
	if remote == 0 {
		t.Errorf("the write was never run as an activity: its local attempts went on (%d)", local)
	}
}

// longOutage outlasts the local attempts (the last comes at 57 minutes:
// the next would be past the hour) and ends within the ten attempts the
// SDK's test environment gives an activity whose retries are unlimited; the
// server gives it any number (TestTheActivityAfterTheLocalOneRetriesWithoutLimit).
const longOutage = 58 * time.Minute

// RELIABILITY: what a process waits with after its local attempts is an
// activity that the server retries without limit — no attempt count, no
// schedule-to-close — so a week's outage is waited out as an hour's is.
func TestTheActivityAfterTheLocalOneRetriesWithoutLimit(t *testing.T) {
	for name, kind := range map[string]activityKind{"computing": computing, "recording": recording, "reading": reading} {
		if p := kind.remote.RetryPolicy; p == nil || p.MaximumAttempts != 0 || kind.remote.ScheduleToCloseTimeout != 0 {
			t.Errorf("%s: the activity gives up (%+v, schedule-to-close %s)", name, p, kind.remote.ScheduleToCloseTimeout)
		}
		if kind.local.ScheduleToCloseTimeout > time.Hour || kind.local.RetryPolicy.MaximumInterval > 10*time.Minute {
			t.Errorf("%s: the local activity retries for %s, up to %s apart: its retries fill the history",
				name, kind.local.ScheduleToCloseTimeout, kind.local.RetryPolicy.MaximumInterval)
		}
	}
}

// A refusal is final: the write is not made again as an activity, whether
// its error is marked non-retryable or is of a type the policy names.
func TestARefusedWriteIsNotRunAgain(t *testing.T) {
	for name, refusal := range map[string]error{
		"marked non-retryable": temporal.NewNonRetryableApplicationError("名称已被占用", "Other", nil),
		"of type RefusedError": temporal.NewApplicationError("名称已被占用", RefusedError),
	} {
		t.Run(name, func(t *testing.T) {
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestWorkflowEnvironment()
			env.SetTestTimeout(time.Minute)
			local, remote := 0, 0
			env.RegisterActivityWithOptions(func(ctx context.Context, _ records.Step) error {
				if activity.GetInfo(ctx).IsLocalActivity {
					local++
				} else {
					remote++
				}
				return refusal
			}, activity.RegisterOptions{Name: ActivityRecordStep})
			env.RegisterWorkflowWithOptions(func(ctx workflow.Context) error {
				return execute(ctx, recording, ActivityRecordStep, records.Step{Key: "A1/refused"}).Get(ctx, nil)
			}, workflow.RegisterOptions{Name: "Refused"})
			env.ExecuteWorkflow("Refused")
			if err := env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "名称已被占用") {
				t.Errorf("the process ended with %v, want the refusal", err)
			}
			if local != 1 || remote != 0 {
				t.Errorf("a refused write was tried %d times locally and %d as an activity, want once locally", local, remote)
			}
		})
	}
}
