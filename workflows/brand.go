package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Deadline keys of a brand.
const (
	keyEvaluationWindow     = "evaluation_window"
	keyEvaluationReport     = "evaluation_report"
	keyEvaluationAssessment = "evaluation_assessment"
	keyRectification        = "rectification"
	keyInterview            = "interview"
	keySuspensionDecision   = "suspension_decision"
	keyRenewalDecision      = "renewal_decision"
	keySuspensionEnd        = "suspension_end"
	keyRemovalDecision      = "removal_decision"
	keyChange               = "change:" // + change id
)

// maxApplied bounds the remembered decision IDs carried across runs.
const maxApplied = 500

// BrandWorkflow is an admitted brand's life in the library (第十五条): the
// biennial evaluation, the rectification ladder (levels 1–4), suspensions
// and removal. It continues as new at each evaluation cycle and whenever the
// SDK suggests it, carrying its whole state.
func BrandWorkflow(ctx workflow.Context, in BrandInput) error {
	w := &brandWorkflow{process: newProcess(in.Clock, BrandWorkflowID(in.BrandID), in.CountyCode), in: in}
	if in.State != nil {
		w.st = *in.State
	} else {
		w.st = BrandState{Status: BrandStatusActive, Name: in.Name, UnitName: in.UnitName}
	}
	if w.st.USCC == "" { // states carried from runs before these fields existed
		w.st.USCC, w.st.Category = in.USCC, in.Category
	}
	if err := w.setup(ctx); err != nil {
		return err
	}
	return w.run(ctx)
}

type brandWorkflow struct {
	process
	in BrandInput
	st BrandState
}

func (w *brandWorkflow) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (BrandState, error) { return w.st, nil }); err != nil {
		return err
	}
	w.st.Deadlines.listenForCalendarChanges(ctx, &w.changes)
	return w.registerUpdates(ctx)
}

func (w *brandWorkflow) run(ctx workflow.Context) error {
	if !w.st.Started {
		w.st.Started = true
		// 第十五条: the first evaluation is two years after admission.
		w.st.NextEvaluation = calendar.AddYears(w.in.AdmittedOn, w.in.Policy.EvaluationYears)
		if err := w.armWindow(ctx); err != nil {
			return err
		}
		step := w.systemStep(ctx, "admitted", "admitted", "入库，品牌进入动态管理（第十五条）")
		if err := w.record(ctx, step); err != nil {
			return err
		}
	}
	for w.st.Status != BrandStatusRemoved {
		expired, err := w.awaitExpiry(ctx)
		if err != nil {
			return err
		}
		// Every deadline that ran out takes effect before a new cycle
		// continues as new: handleDueAlerts has marked them all expired, and the next
		// run would not see them again.
		cycle := false
		for _, d := range expired {
			c, err := w.onExpired(ctx, d)
			if err != nil {
				return err
			}
			cycle = cycle || c
		}
		if cycle || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			in := w.in
			st := w.st
			in.State = &st
			return w.continueAsNew(ctx, BrandWorkflow, in)
		}
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// awaitExpiry waits until a deadline expires (sending reminders and
// escalations meanwhile) or the brand is removed.
func (w *brandWorkflow) awaitExpiry(ctx workflow.Context) ([]*Deadline, error) {
	for {
		if w.st.Status == BrandStatusRemoved {
			return nil, nil
		}
		// Read before the activities below: an Update that changes the
		// brand while they run (a removal, say) must wake the wait after.
		seen := w.changes
		if w.settled() {
			changed, err := w.st.Deadlines.recompute(ctx, w)
			if err != nil {
				return nil, err
			}
			if len(changed) > 0 {
				if err := w.record(ctx, w.recomputedStep(ctx, changed)); err != nil {
					return nil, err
				}
			}
			expired, err := w.st.Deadlines.handleDueAlerts(ctx, w)
			if err != nil || len(expired) > 0 {
				return expired, err
			}
		}
		woken := func() bool { return w.changes != seen && w.settled() }
		if err := w.awaitChange(ctx, &w.st.Deadlines, w.settled(), woken); err != nil {
			return nil, err
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() && w.settled() {
			return nil, nil
		}
	}
}

// onExpired takes the mechanical consequence of a lapsed deadline (RULES §4
// "what happens automatically"), dated by the deadline, and reports whether
// a new evaluation cycle began. Officer deadlines only escalate.
func (w *brandWorkflow) onExpired(ctx workflow.Context, d *Deadline) (bool, error) {
	due := d.Value()
	switch d.Key {
	case keyEvaluationWindow:
		return true, w.openEvaluation(ctx, d)
	case keyEvaluationReport:
		// RULES §4: a missed report is the level-1 case 未按时提供相关信息.
		w.st.Deadlines.remove(d.Key)
		if w.st.Evaluation != nil {
			w.st.Evaluation.ReportLate = true
		}
		if w.st.Rectification != nil || w.st.Status == BrandStatusSuspended {
			return false, w.recordAt(ctx, "evaluation-late/"+due.Due.String(), "evaluation.report_missed", "未按期提交发展情况报告", due.DueAt)
		}
		return false, w.openFinding(ctx, w.autoStep(ctx, "late-information/"+due.Due.String(), "finding.level1",
			"未按时提供相关信息（第十五条（一）），自动下达整改", due.DueAt),
			"FD-"+w.in.BrandID+"-late-"+due.Due.String(), "late_information", "未在评估期限内提交发展情况报告", "")
	case keyRectification:
		return false, w.rectificationLapsed(ctx, d)
	case keySuspensionEnd:
		return false, w.restore(ctx, d)
	}
	return false, nil // officer deadlines: reminders and escalations only
}

// openEvaluation opens the biennial evaluation window on the anniversary
// (RULES §4): the holder's report is due 20 working days later.
func (w *brandWorkflow) openEvaluation(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	opens := w.st.NextEvaluation
	years := w.in.Policy.EvaluationYears
	w.st.Evaluation = &Evaluation{Period: fmt.Sprintf("%d-%d", opens.Year-years, opens.Year), OpensOn: opens}
	w.st.Cycle++
	w.st.NextEvaluation = calendar.AddYears(w.in.AdmittedOn, years*(w.st.Cycle+1))
	if _, err := w.st.Deadlines.arm(ctx, w, keyEvaluationReport, "提交两年发展情况报告", []string{string(auth.Applicant), string(auth.CityOfficer)},
		w.rule(keyEvaluationReport, opens, deadline.Workdays, w.in.Policy.ReportDays, w.in.Policy.HolderAlerts)); err != nil {
		return err
	}
	if err := w.armWindow(ctx); err != nil {
		return err
	}
	step := w.autoStep(ctx, "evaluation/"+opens.String(), "evaluation.opened",
		fmt.Sprintf("第%d次综合评估开始（%s），请在期限内提交发展情况", w.st.Cycle, w.st.Evaluation.Period), opens.Start())
	return w.record(ctx, step)
}

// armWindow arms the opening of the next evaluation window: an expiry at
// 24:00 of the day before the anniversary, i.e. at its first instant.
func (w *brandWorkflow) armWindow(ctx workflow.Context) error {
	_, err := w.st.Deadlines.arm(ctx, w, keyEvaluationWindow, "综合评估", nil,
		w.rule(keyEvaluationWindow, w.st.NextEvaluation.AddDays(-1), deadline.OnDate, 0, deadline.AlertPolicy{}))
	return err
}

// rectificationLapsed climbs the ladder when a rectification window ends
// unconfirmed: level 1 → level 2 (the county must record an interview);
// level 2 → a level-3 proposal to the city.
func (w *brandWorkflow) rectificationLapsed(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	r := w.st.Rectification
	due := d.Value()
	if r == nil {
		return nil
	}
	if r.Level == 1 {
		// 第十五条（二）: level 1 not rectified within the month → interview + 3 months.
		w.st.Rectification = &Rectification{Level: 2, Reason: "rectification_inadequate", FindingID: r.FindingID, OrderedOn: due.Due}
		if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), due.Due, w.in.Policy.InterviewDays, ""); err != nil {
			return err
		}
		return w.record(ctx, w.autoStep(ctx, "level2/"+due.Due.String(), "rectification.lapsed",
			fmt.Sprintf("一个月整改期（至%s）届满未确认整改，升级为约谈整改（第十五条（二））", due.Due), due.DueAt))
	}
	// 第十五条（三）: level 2 not rectified within three months → suspension proposal.
	w.st.Rectification = nil
	w.st.Status = w.settledStatus()
	if err := w.propose(ctx, PendingSuspension, keySuspensionDecision, "暂停标识使用权决定", string(auth.CityOfficer), due.Due, w.in.Policy.DecisionDays, "level2_lapsed"); err != nil {
		return err
	}
	return w.record(ctx, w.autoStep(ctx, "level3/"+due.Due.String(), "rectification.lapsed",
		fmt.Sprintf("三个月整改期（至%s）届满未整改到位，提请市级作出暂停决定（第十五条（三））", due.Due), due.DueAt))
}

// restore ends a suspension that was not renewed: the logo right returns.
func (w *brandWorkflow) restore(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	w.st.Deadlines.remove(keyRenewalDecision)
	if w.st.Pending != nil && w.st.Pending.Kind == PendingSuspensionRenewal {
		w.st.Pending = nil
	}
	until := w.st.Suspension.Until
	w.st.Suspension = nil
	w.st.Status = w.settledStatus()
	step := w.autoStep(ctx, "restored/"+until.String(), "suspension.ended", fmt.Sprintf("暂停期至%s届满，恢复标识使用权", until), until.End())
	step.Announcement = &announcement{Kind: "restoration", DecidedOn: until.AddDays(1), Summary: "暂停期届满，恢复劳务品牌标识使用权"}
	return w.record(ctx, step)
}

// settledStatus is the status the brand's standing implies.
func (w *brandWorkflow) settledStatus() string {
	switch {
	case w.st.Status == BrandStatusRemoved:
		return BrandStatusRemoved
	case w.st.Suspension != nil:
		return BrandStatusSuspended
	case w.st.Rectification != nil:
		return BrandStatusRectifying
	}
	return BrandStatusActive
}

// propose opens an officer decision with its deadline (RULES §4 default
// officer deadlines), counted in working days from `from`.
func (w *brandWorkflow) propose(ctx workflow.Context, kind, key, action, audience string, from calendar.Date, days int, reason string) error {
	d, err := w.st.Deadlines.arm(ctx, w, key, action, []string{audience},
		w.rule(key, from, deadline.Workdays, days, w.in.Policy.Alerts))
	if err != nil {
		return err
	}
	shelved := w.st.Pending
	w.st.Pending = &Pending{Kind: kind, Due: d.Value().Due, PriorStatus: w.st.Status, Reason: reason}
	if shelved != nil && (kind == PendingRemoval || kind == PendingSuspension) {
		w.st.Pending.Shelved = shelved // e.g. an interview: it returns if the proposal is declined
	}
	return nil
}

func (w *brandWorkflow) notifyBase() records.NotifyRequest {
	return records.NotifyRequest{ObjectType: "brand", ObjectID: w.in.BrandID, BrandName: w.st.Name,
		County: w.in.CountyCode, USCC: w.st.USCC}
}
