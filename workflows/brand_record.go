package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

func (w *brandWorkflow) notifyBase() records.NotifyRequest {
	return records.NotifyRequest{ObjectType: "brand", ObjectID: w.in.BrandID, BrandName: w.st.Name,
		County: w.bureau(), USCC: w.st.USCC}
}

type announcement = records.AnnouncementRow

// autoStep is an automatic step, dated by the deadline that caused it
// (API.md § Time scale) and keyed by it, so it is recorded once.
func (w *brandWorkflow) autoStep(ctx workflow.Context, key, action, note string, at time.Time) records.BrandStep {
	return records.BrandStep{BrandID: w.in.BrandID, Key: w.workflowID() + "/" + key, At: at,
		Actor: auth.SystemActor, Role: string(auth.System), Action: action, Note: note}
}

func (w *brandWorkflow) systemStep(ctx workflow.Context, key, action, note string) records.BrandStep {
	return w.autoStep(ctx, key, action, note, w.now(ctx))
}

// actorStep is an officer's or holder's step, keyed by the Update's ID.
func (w *brandWorkflow) actorStep(ctx workflow.Context, a Actor, action, note string) records.BrandStep {
	return records.BrandStep{BrandID: w.in.BrandID, Key: w.workflowID() + "/" + workflow.GetCurrentUpdateInfo(ctx).ID,
		At: w.now(ctx), Actor: a.Sub, Role: a.Role, Action: action, Note: note}
}

func (w *brandWorkflow) recordAt(ctx workflow.Context, key, action, note string, at time.Time) error {
	return w.record(ctx, w.autoStep(ctx, key, action, note, at))
}

func (w *brandWorkflow) recomputedStep(ctx workflow.Context, changed []*Deadline) records.BrandStep {
	return w.systemStep(ctx, w.st.Deadlines.revisionKey(), "deadlines.recomputed", recomputedNoteOf(changed))
}

// record writes a step with the brand's standing after it and keeps the
// search attributes in step.
func (w *brandWorkflow) record(ctx workflow.Context, step records.BrandStep) error {
	w.settle() // whatever the step changed, status and pending follow from the open matters
	step.Standing = w.standing()
	step.Tasks = w.st.Deadlines.tasks("brand", w.in.BrandID, w.st.Name, w.bureau(), w.st.USCC)
	step.Rules = w.st.Deadlines.rules()
	step.RunID = workflow.GetInfo(ctx).WorkflowExecution.RunID
	w.describe(ctx, step)
	if err := execute(ctx, recording, ActivityRecordBrandStep, step).Get(ctx, nil); err != nil {
		return err
	}
	w.changes++
	matters := OpenMattersKey.ValueUnset()
	if m := w.st.Deadlines.openMatters(); len(m) > 0 {
		matters = OpenMattersKey.ValueSet(m)
	}
	return w.upsertSearch(ctx, &w.st.Deadlines, BrandStatusKey.ValueSet(w.st.Status), BrandNameKey.ValueSet(w.st.Name),
		CategoryKey.ValueSet(w.st.Category), LadderLevelKey.ValueSet(int64(w.ladderLevel())), matters)
}

// standing is the brand's standing for its record.
func (w *brandWorkflow) standing() records.BrandStanding {
	s := records.BrandStanding{Status: w.st.Status, Name: w.st.Name, UnitName: w.st.UnitName,
		SuspensionCount: w.st.SuspensionCount, Deadlines: w.st.Deadlines.values(),
		RemovedOn: w.st.RemovedOn, ReapplyAfter: w.st.ReapplyAfter, NextEvaluationDue: w.st.NextEvaluation}
	if r := w.st.Rectification; r != nil {
		v := &records.Rectification{Level: r.Level, Reason: r.Reason, OrderedOn: r.OrderedOn}
		if d := w.st.Deadlines.get(keyRectification); d != nil {
			due, at := d.Value().Due, d.Value().DueAt
			v.Due, v.DueAt = &due, &at
		}
		s.Rectification = v
	}
	if sp := w.st.Suspension; sp != nil {
		s.Suspension = &records.Suspension{StartedOn: sp.StartedOn, Until: sp.Until}
	}
	if p := w.mostUrgent(); p != nil {
		s.PendingDecision = &records.PendingDecision{Kind: p.Kind, Due: p.Due}
	}
	s.OpenMatters = w.openMatters()
	if d := w.st.Deadlines.get(keyEvaluationReport); d != nil {
		s.NextEvaluationDue = d.Value().Due
	}
	if w.st.Status == BrandStatusRemoved {
		s.NextEvaluationDue = calendar.Date{} // no more evaluations after removal
	}
	return s
}
