package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// outage runs fn in a process of its own while the database is down for
// the given business time: every attempt of activity name fails until then.
// It returns the workflow's error and how many attempts were made.
func outage(t *testing.T, name string, down time.Duration, fn func(workflow.Context) error) (error, int) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	start := time.Date(2027, time.March, 1, 9, 0, 0, 0, calendar.Shanghai)
	env.SetStartTime(start)
	env.SetTestTimeout(time.Minute)
	attempts := 0
	fail := func() error {
		attempts++
		if env.Now().Before(start.Add(down)) {
			return errors.New("dial PostgreSQL: connection refused")
		}
		return nil
	}
	switch name {
	case ActivityComputeDeadline:
		env.RegisterActivityWithOptions(func(context.Context, deadline.Rule) (deadline.Schedule, error) {
			return deadline.Schedule{}, fail()
		}, activity.RegisterOptions{Name: name})
	case ActivityRecordStep:
		env.RegisterActivityWithOptions(func(context.Context, records.Step) error { return fail() },
			activity.RegisterOptions{Name: name})
	default:
		t.Fatalf("no fake for %s", name)
	}
	env.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: "Outage"})
	env.ExecuteWorkflow("Outage")
	if !env.IsWorkflowCompleted() {
		t.Fatal("the process did not finish")
	}
	return env.GetWorkflowError(), attempts
}

// RELIABILITY (a PostgreSQL outage delays a process, never fails it): a
// deadline is computed with the calendar read from the database, and a
// process that arms one during a long outage — a lapse, a notice ending
// at night — waits for the database. Its local activity gave up after ten
// minutes, and the error failed the whole process.
func TestADeadlineComputedDuringALongOutageWaitsForTheDatabase(t *testing.T) {
	rule := deadline.Rule{Kind: "county_review", From: calendar.NewDate(2027, time.March, 1), Period: deadline.Workdays, N: 20}
	err, attempts := outage(t, ActivityComputeDeadline, 3*time.Hour, func(ctx workflow.Context) error {
		_, err := computeDeadline(ctx, rule)
		return err
	})
	if err != nil {
		t.Fatalf("after a three-hour outage the process failed (%d attempts): %v", attempts, err)
	}
}

// RELIABILITY (a PostgreSQL outage delays a process, never fails it): each
// retry of a local activity whose backoff is longer than a workflow task's
// timeout is a marker, a timer and a workflow task in the process's
// history — six events. Retried every minute, a day of outage wrote
// ~8,600 events, and in under a week a waiting process would reach
// Temporal's limit of 51,200, where the server terminates it. Backing off
// to ten minutes keeps a week of outage under its 10,240-event warning.
func TestADayOfOutageCostsAProcessAFewHundredRetries(t *testing.T) {
	step := records.Step{ApplicationID: "A1", Key: "A1/outage", Action: "deadline.lapsed"}
	err, attempts := outage(t, ActivityRecordStep, 24*time.Hour, func(ctx workflow.Context) error {
		return execute(ctx, recording, ActivityRecordStep, step).Get(ctx, nil)
	})
	if err != nil {
		t.Fatalf("after a day's outage the write failed: %v", err)
	}
	if attempts > 200 {
		t.Errorf("a day of outage took %d attempts (about %d history events); want at most 200", attempts, 6*attempts)
	}
	t.Logf("a day of outage: %d attempts", attempts)
}
