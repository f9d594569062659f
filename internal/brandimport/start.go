package brandimport

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Input is the brand process input that brings r into the library on today:
// an imported brand (its process writes its record as its first step) at
// the standing the sheet gives, its next evaluation an anniversary of its
// admission (第十五条: every two years) after today and after its last
// evaluation.
func (r Row) Input(clk clock.Clock, policy workflows.BrandPolicy, today calendar.Date) workflows.BrandInput {
	in := workflows.BrandInput{BrandID: r.ID(), Name: r.Name, BrandType: r.BrandType, Category: r.Category,
		CountyCode: r.CountyCode, UnitName: r.UnitName, USCC: r.USCC, AdmittedOn: r.AdmittedOn, Clock: clk,
		Policy: policy, Imported: true}
	in.Standing = &workflows.ImportedStanding{NextEvaluation: NextEvaluation(r.AdmittedOn, r.LastEvaluation, today, policy.EvaluationYears),
		Rectification: r.Rectification, Suspension: r.Suspension, SuspensionCount: r.SuspensionCount}
	return in
}

// NextEvaluation is the first anniversary of admitted, every years years,
// that is on or after today and after the last evaluation (zero: none).
func NextEvaluation(admitted, last, today calendar.Date, years int) calendar.Date {
	if years <= 0 {
		years = workflows.DefaultBrandPolicy.EvaluationYears
	}
	for k := 1; ; k++ {
		next := calendar.AddYears(admitted, k*years)
		if !next.Before(today) && next.After(last) {
			return next
		}
	}
}

// Start starts the process of a brand admitted before the system (in has
// Imported set) and reports whether it started it: false when a process of
// that brand exists, running or closed, so an import run twice, or a demo
// restarted, starts nothing twice (workflow ID brand-{id} under
// REJECT_DUPLICATE, and an error rather than the running one's handle).
func Start(ctx context.Context, c client.Client, taskQueue string, in workflows.BrandInput) (bool, error) {
	opts := workflows.BrandStartOptions(in, taskQueue)
	opts.WorkflowExecutionErrorWhenAlreadyStarted = true
	// Eager start: when this client's own worker polls the task queue (the
	// API process runs one in dev and in the single-binary deployment), the
	// start answers with the process's first workflow task and the worker
	// runs it at once, without the server queueing it for a poll — the
	// larger part of an imported brand's cost on the dev server. Elsewhere
	// the server dispatches it as usual.
	opts.EnableEagerStart = true
	_, err := c.ExecuteWorkflow(ctx, opts, workflows.BrandWorkflow, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &started):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("start brand %s: %w", in.BrandID, err)
	}
	return true, nil
}

// Closed reports whether the process of brand id has ended, and how: asked of
// a brand whose start found a process but whose record is missing. A running
// one is still writing its record; one that ended without it — terminated,
// failed before its first step — will never write it, and importing the same
// row again cannot start it anew (REJECT_DUPLICATE).
func Closed(ctx context.Context, c client.Client, id string) (bool, enumspb.WorkflowExecutionStatus, error) {
	d, err := c.DescribeWorkflowExecution(ctx, workflows.BrandWorkflowID(id), "")
	if err != nil {
		return false, 0, fmt.Errorf("describe brand %s: %w", id, err)
	}
	st := d.GetWorkflowExecutionInfo().GetStatus()
	return st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, st, nil
}
