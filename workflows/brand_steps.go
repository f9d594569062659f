package workflows

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

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
	var parts []string
	for _, d := range changed {
		parts = append(parts, d.Key+" → "+d.Value().Due.String())
	}
	return w.systemStep(ctx, "calendar-"+strconv.Itoa(w.st.Deadlines.CalendarVersion), "deadlines.recomputed",
		"节假日安排更新，期限重新计算："+strings.Join(parts, "；"))
}

// record writes a step with the brand's standing after it and keeps the
// search attributes in step.
func (w *brandWorkflow) record(ctx workflow.Context, step records.BrandStep) error {
	step.Standing = w.standing()
	step.Tasks = w.st.Deadlines.tasks("brand", w.in.BrandID, w.st.Name, w.in.CountyCode, w.st.USCC)
	if err := execute(ctx, recording, ActivityRecordBrandStep, step).Get(ctx, nil); err != nil {
		return err
	}
	w.changes++
	return w.upsertSearch(ctx, &w.st.Deadlines, BrandStatusKey.ValueSet(w.st.Status), BrandNameKey.ValueSet(w.st.Name),
		CategoryKey.ValueSet(w.st.Category))
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
	switch {
	case w.st.Pending != nil:
		s.PendingDecision = &records.PendingDecision{Kind: w.st.Pending.Kind, Due: w.st.Pending.Due}
	case w.st.Evaluation != nil && w.st.Evaluation.ReportID == "":
		if d := w.st.Deadlines.get(keyEvaluationReport); d != nil {
			s.PendingDecision = &records.PendingDecision{Kind: PendingEvaluationReport, Due: d.Value().Due}
		}
	case w.st.Evaluation != nil:
		if d := w.st.Deadlines.get(keyEvaluationAssessment); d != nil {
			s.PendingDecision = &records.PendingDecision{Kind: PendingEvaluationAssessment, Due: d.Value().Due}
		}
	}
	if d := w.st.Deadlines.get(keyEvaluationReport); d != nil {
		s.NextEvaluationDue = d.Value().Due
	}
	if w.st.Status == BrandStatusRemoved {
		s.NextEvaluationDue = calendar.Date{} // no more evaluations after removal
	}
	return s
}

// openFinding opens a rectification or proposal for a finding (第十五条
// （一）–（三）) and records it with step.
func (w *brandWorkflow) openFinding(ctx workflow.Context, step records.BrandStep, findingID, reason, description, reportID string) error {
	level := FindingLevel(reason)
	ordered := calendar.DateOf(step.At)
	step.Finding = &records.FindingRow{ID: findingID, Reason: reason, Level: level, Description: description, ReportID: reportID, OrderedOn: ordered}
	p := w.in.Policy
	switch level {
	case 1:
		w.st.Rectification = &Rectification{Level: 1, Reason: reason, FindingID: findingID, OrderedOn: ordered, WindowOpen: true}
		// 第十五条（一）: one month, a Civil Code month period to act.
		if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, "整改（一个月）", []string{string(auth.Applicant), string(auth.CountyOfficer)},
			w.rule(keyRectification, ordered, deadline.Months, p.Level1Months, rectificationAlerts(p))); err != nil {
			return err
		}
	case 2:
		w.st.Deadlines.remove(keyRectification)
		w.st.Rectification = &Rectification{Level: 2, Reason: reason, FindingID: findingID, OrderedOn: ordered}
		if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), ordered, p.InterviewDays, reason); err != nil {
			return err
		}
	case 3:
		if err := w.propose(ctx, PendingSuspension, keySuspensionDecision, "暂停标识使用权决定", string(auth.CityOfficer), ordered, p.DecisionDays, reason); err != nil {
			return err
		}
	}
	w.st.Status = w.settledStatus()
	return w.record(ctx, step)
}

// applied reports whether the current Update was applied before (perhaps
// in an earlier run), and remember marks it applied.
func (w *brandWorkflow) applied(ctx workflow.Context) bool {
	return slices.Contains(w.st.Applied, workflow.GetCurrentUpdateInfo(ctx).ID)
}

func (w *brandWorkflow) remember(ctx workflow.Context) {
	w.st.Applied = append(w.st.Applied, workflow.GetCurrentUpdateInfo(ctx).ID)
	if n := len(w.st.Applied); n > maxApplied {
		w.st.Applied = w.st.Applied[n-maxApplied:]
	}
}

// rectificationAlerts remind the holder and the county before a
// rectification window ends; its lapse climbs the ladder by itself (DOMAIN
// §4), so nobody is escalated to.
func rectificationAlerts(p BrandPolicy) deadline.AlertPolicy {
	a := p.Alerts
	a.EscalateMax = 0
	return a
}
