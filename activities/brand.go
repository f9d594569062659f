package activities

import (
	"context"
	"strings"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/calendar"

	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RecordBrandStep records a brand's step with the records it creates
// (finding, announcement, ban, assessment, change opinion, triage), once,
// and starts the delivery of the holder's message a decision writes.
func (a *Activities) RecordBrandStep(ctx context.Context, st records.BrandStep) error {
	if err := a.Store.RecordBrandStep(ctx, st); err != nil {
		return err
	}
	if store.TellsHolder(st) {
		if err := a.deliverStepMessage(ctx, store.DecisionMessageKey(st.Key)); err != nil {
			return err
		}
	}
	return a.tellIfMoved(ctx, workflows.BrandWorkflowID(st.BrandID), st.Rules)
}

// ImportBrand writes the record of a brand admitted before the system, as
// its process's first step (workflows.BrandInput.Imported) — checked again
// against the library first: the import checked its row, but the library's
// lock goes back after a while (importHold) and a worker slow to write may
// find the holder applied, registered or named meanwhile. Such a brand is
// refused for good, its process ending without its record, which the import
// and the Temporal UI report.
func (a *Activities) ImportBrand(ctx context.Context, b records.BrandImport) error {
	on, err := a.Store.BrandsOnRecord(ctx, []string{b.BrandID})
	if err != nil {
		return err
	}
	if !on[b.BrandID] {
		found, err := a.Store.ImportConflicts(ctx, b.BrandID, b.Name, b.USCC, calendar.DateOf(b.At).String())
		if err != nil {
			return err
		}
		if len(found) > 0 {
			msgs := make([]string, len(found))
			for i, f := range found {
				msgs[i] = f.Message
			}
			return temporal.NewNonRetryableApplicationError("导入时项目库已变化，不予导入："+strings.Join(msgs, "；"), workflows.RefusedError, nil)
		}
	}
	return a.Store.ImportBrand(ctx, b)
}

// StepsRecorded reads which of the steps with these keys are on record: a
// decision's writes its caller has made (workflows: changeDecisionWritesChecked).
// The process counts those done without writing them, so the delivery of a
// holder's message such a step carries is started here, as the step's own
// write starts it: a caller that stopped between its write and that start
// (its node gone, its request timed out) left the message in the outbox
// with no delivery on its way. A delivery already started is not started
// again (REJECT_DUPLICATE), nor one that began — it may have given up
// months ago, its run past Temporal's retention. Likewise its process is told of a calendar that
// moves the deadlines on its row (tellStepsIfMoved).
func (a *Activities) StepsRecorded(ctx context.Context, keys []string) ([]string, error) {
	recorded, err := a.Store.StepsRecorded(ctx, keys)
	if err != nil || len(recorded) == 0 {
		return recorded, err
	}
	var messages []string
	for _, k := range recorded {
		messages = append(messages, store.ReturnedMessageKey(k), store.DecisionMessageKey(k))
	}
	msgs, ids, err := a.Store.UndeliveredMessagesByKey(ctx, messages)
	if err != nil {
		return nil, err
	}
	if err := a.startDeliveries(ctx, msgs, ids); err != nil {
		return nil, err
	}
	// A courtesy of the caller's, not the process's to wait for: a failure
	// is logged, and the revision's fan-out and its sweep remain.
	if err := a.tellStepsIfMoved(ctx, recorded); err != nil {
		activity.GetLogger(ctx).Warn("steps found on record: their processes not told of the calendar", "error", err)
	}
	return recorded, nil
}

// tellStepsIfMoved tells the processes of steps their callers wrote of a
// calendar that moves the deadlines on their rows, as a step's own write
// does (tellIfMoved): the caller tells them after its write, unless it
// stopped first, and the calendar's fan-out may have read the row before
// the step was on it.
func (a *Activities) tellStepsIfMoved(ctx context.Context, keys []string) error {
	if a.Temporal == nil { // a test worker, told by the test itself
		return nil
	}
	applications, brands, err := a.Store.ObjectsOfSteps(ctx, keys)
	if err != nil {
		return err
	}
	for _, o := range []struct {
		kind       string
		ids        []string
		workflowID func(string) string
	}{{"application", applications, workflows.ApplicationWorkflowID}, {"brand", brands, workflows.BrandWorkflowID}} {
		if len(o.ids) == 0 {
			continue
		}
		procs, err := a.Store.ProcessRulesOf(ctx, o.kind, o.ids)
		if err != nil {
			return err
		}
		for _, p := range procs {
			if err := a.tellIfMoved(ctx, o.workflowID(p.ID), p.Rules); err != nil {
				return err
			}
		}
	}
	return nil
}

// OldestOpenReport reads the oldest report on a brand still waiting for
// triage (a read: safe to repeat).
func (a *Activities) OldestOpenReport(ctx context.Context, brandID string) (*records.OpenReport, error) {
	return a.Store.OldestOpenReport(ctx, brandID)
}

// StoredReport reads a development report stored in time and never told
// to its process (records.StoredReport).
func (a *Activities) StoredReport(ctx context.Context, q records.StoredReportQuery) (records.StoredReport, error) {
	return a.Store.StoredReport(ctx, q)
}
