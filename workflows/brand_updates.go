package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

func (w *brandWorkflow) registerUpdates(ctx workflow.Context) error {
	return registerUpdates(ctx, []update{
		{UpdateFinding, guarded(w, w.finding), w.validateFinding},
		{UpdateRectificationConfirm, guarded(w, w.confirm), w.validateConfirm},
		{UpdateInterview, guarded(w, w.interview), w.validateInterview},
		{UpdateSuspensionDecision, guarded(w, w.suspensionDecision), w.validateSuspensionDecision},
		{UpdateRemovalReport, guarded(w, w.removalReport), w.validateRemovalReport},
		{UpdateRemovalDecision, guarded(w, w.removalDecision), w.validateRemovalDecision},
		{UpdateEvaluationReport, guarded(w, w.evaluationReport), w.validateEvaluationReport},
		{UpdateEvaluationAssessment, guarded(w, w.assessment), w.validateAssessment},
		{UpdateChangeRequest, guarded(w, w.changeRequest), w.validateChangeRequest},
		{UpdateChangeOpinion, guarded(w, w.changeOpinion), w.validateChangeOpinion},
		{UpdateReportTriage, guarded(w, w.reportTriage), w.validateReportTriage},
	})
}

func (w *brandWorkflow) result() BrandResult { return BrandResult{Status: w.st.Status} }

// guarded wraps a decision's handler: a decision applied before (in this
// run or an earlier one) is answered, not applied again; while it applies,
// the process takes no step of its own (holdSteps).
func guarded[R any](w *brandWorkflow, apply func(workflow.Context, R) (BrandResult, error)) func(workflow.Context, R) (BrandResult, error) {
	return func(ctx workflow.Context, r R) (BrandResult, error) {
		if w.applied(ctx) {
			return w.result(), nil
		}
		w.remember(ctx)
		defer w.holdSteps()()
		return apply(ctx, r)
	}
}

func (w *brandWorkflow) statusConflict(action string) error {
	return conflict(fmt.Sprintf("品牌当前状态为“%s”，不能%s", BrandStatusLabel(w.st.Status), action), "status", w.st.Status)
}

func (w *brandWorkflow) pendingConflict(action string) error {
	kind := ""
	if w.st.Pending != nil {
		kind = w.st.Pending.Kind
	}
	return reject(RejectConflict, Rejection{Code: "conflict", Message: "当前没有待办的" + action,
		Details: map[string]any{"status": w.st.Status, "pending_decision": kind}})
}

func (w *brandWorkflow) ownCounty(a Actor) error {
	if a.Role == string(auth.CountyOfficer) && a.County != w.in.CountyCode {
		return forbidden("只能办理本县（市、区）品牌的事项")
	}
	return nil
}

// precheck is the start of every brand validator: a decision already
// applied (perhaps in an earlier run) is let through to be answered, not
// re-applied (skip); otherwise the actor must hold one of roles, and a county
// officer must be the brand's county's.
func (w *brandWorkflow) precheck(ctx workflow.Context, a Actor, roles ...auth.Role) (skip bool, err error) {
	if w.applied(ctx) {
		return true, nil
	}
	if err := requireRole(a, roles...); err != nil {
		return false, err
	}
	return false, w.ownCounty(a)
}

func requireRole(a Actor, roles ...auth.Role) error {
	for _, r := range roles {
		if a.Role == string(r) {
			return nil
		}
	}
	return forbidden("无权办理此事项")
}

// 第十五条（一）–（三）: a finding with a reason of level 1, 2 or 3.
func (w *brandWorkflow) validateFinding(ctx workflow.Context, r FindingRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer, auth.CityOfficer); skip || err != nil {
		return err
	}
	if err := officerFindingReason(r.Reason); err != nil {
		return err
	}
	return w.findingAllowed(r.Reason)
}

func (w *brandWorkflow) findingAllowed(reason string) error {
	level := FindingLevel(reason)
	if level == 0 {
		return invalid("问题类型无效", RejectedField{Field: "reason", Message: "不是有效的问题类型代码"})
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("登记问题")
	}
	p := w.st.Pending
	switch {
	case level == 1 && (w.st.Rectification != nil || w.st.Status == BrandStatusSuspended):
		return w.statusConflict("再下达一级整改（已在整改或暂停中）")
	case level == 2 && (w.st.Status == BrandStatusSuspended || (w.st.Rectification != nil && w.st.Rectification.Level == 2)):
		return w.statusConflict("再下达二级整改")
	case level == 3 && p != nil && (p.Kind == PendingSuspension || p.Kind == PendingRemoval):
		return w.statusConflict("重复提请暂停（已有待决定事项）")
	case level == 3 && w.st.Status == BrandStatusSuspended:
		return w.statusConflict("提请暂停（已在暂停中）")
	case level == 2 && p != nil && (p.Kind == PendingSuspension || p.Kind == PendingRemoval):
		return w.statusConflict("下达二级整改（已提请市级决定）")
	}
	return nil
}

func (w *brandWorkflow) finding(ctx workflow.Context, r FindingRequest) (BrandResult, error) {
	step := w.actorStep(ctx, r.Actor, fmt.Sprintf("finding.level%d", FindingLevel(r.Reason)), r.Reason)
	err := w.openFinding(ctx, step, r.FindingID, r.Reason, r.Description, r.ReportID)
	return w.result(), err
}

// 第十五条（一）/（二）: the county confirms the rectification.
func (w *brandWorkflow) validateConfirm(ctx workflow.Context, r ConfirmRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if w.st.Rectification == nil || !w.st.Rectification.WindowOpen {
		return w.statusConflict("确认整改（没有进行中的整改期）")
	}
	return nil
}

func (w *brandWorkflow) confirm(ctx workflow.Context, r ConfirmRequest) (BrandResult, error) {
	level := w.st.Rectification.Level
	w.st.Rectification = nil
	w.st.Deadlines.remove(keyRectification)
	w.st.Status = w.settledStatus()
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "rectification.confirmed", fmt.Sprintf("%d级整改已到位。%s", level, r.Note)))
	return w.result(), err
}

// 第十五条（二）: the county records the interview; the 3-month window starts on its date.
func (w *brandWorkflow) validateInterview(ctx workflow.Context, r InterviewRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if w.st.Pending == nil || w.st.Pending.Kind != PendingInterview {
		return w.pendingConflict("约谈")
	}
	if r.HeldOn.After(w.today(ctx)) || r.HeldOn.Before(w.st.Rectification.OrderedOn) {
		return invalid("约谈日期无效", RejectedField{Field: "held_on", Message: fmt.Sprintf("须在 %s 至今天之间", w.st.Rectification.OrderedOn)})
	}
	return nil
}

func (w *brandWorkflow) interview(ctx workflow.Context, r InterviewRequest) (BrandResult, error) {
	w.st.Pending = nil
	w.st.Deadlines.remove(keyInterview)
	w.st.Rectification.OrderedOn, w.st.Rectification.WindowOpen = r.HeldOn, true
	p := w.in.Policy
	if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, "整改（三个月）", []string{string(auth.Applicant), string(auth.CountyOfficer)},
		w.rule(keyRectification, r.HeldOn, deadline.Months, p.Level2Months, rectificationAlerts(p))); err != nil {
		return w.result(), err
	}
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "interview.held", fmt.Sprintf("%s 约谈，限期三个月整改。%s", r.HeldOn, r.Note)))
	return w.result(), err
}

// 第十五条（三）: the city decides a suspension, or its renewal.
func (w *brandWorkflow) validateSuspensionDecision(ctx workflow.Context, r SuspensionDecisionRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if p := w.st.Pending; p == nil || (p.Kind != PendingSuspension && p.Kind != PendingSuspensionRenewal) {
		return w.pendingConflict("暂停（或延续暂停）决定")
	}
	if strings.TrimSpace(r.Reason) == "" {
		return invalid("请填写决定理由", RejectedField{Field: "reason", Message: "必填"})
	}
	return nil
}

func (w *brandWorkflow) suspensionDecision(ctx workflow.Context, r SuspensionDecisionRequest) (BrandResult, error) {
	renewal := w.st.Pending.Kind == PendingSuspensionRenewal
	today := w.today(ctx)
	step := w.actorStep(ctx, r.Actor, "suspension.declined", r.Reason)
	step.Audit = r.ProvinceReport // RULES §4: the county's report to the province, recorded on the decision
	switch {
	case !r.Suspend && !renewal:
		w.st.Deadlines.remove(keySuspensionDecision)
		w.st.Pending = w.st.Pending.Shelved
		w.st.Status = w.settledStatus()
	case !r.Suspend && renewal:
		step.Action = "renewal.declined"
		w.st.Deadlines.remove(keyRenewalDecision)
		w.st.Pending = nil
	default:
		if err := w.suspend(ctx, &step, today, renewal, r.Reason); err != nil {
			return w.result(), err
		}
	}
	err := w.record(ctx, step)
	return w.result(), err
}

// suspend applies a suspension or its renewal: one year, a sanction period
// that never moves; every decision counts toward the three of 第十五条（四）.
func (w *brandWorkflow) suspend(ctx workflow.Context, step *records.BrandStep, today calendar.Date, renewal bool, reason string) error {
	p := w.in.Policy
	w.st.Deadlines.remove(keySuspensionDecision)
	w.st.Deadlines.remove(keyRenewalDecision)
	w.st.Pending = nil
	w.st.SuspensionCount++
	from := today
	kind := "suspension"
	if renewal {
		from, kind = w.st.Suspension.Until, "renewal"
		w.st.Suspension.Until = calendar.AddMonths(from, p.SuspensionMonths)
	} else {
		// The suspension ends the rectification ladder, a pending interview included.
		w.st.Rectification = nil
		w.st.Deadlines.remove(keyRectification)
		w.st.Deadlines.remove(keyInterview)
		w.st.Suspension = &Suspension{StartedOn: today.AddDays(1), Until: calendar.AddMonths(today, p.SuspensionMonths)}
	}
	w.st.Status = BrandStatusSuspended
	until := w.st.Suspension.Until
	if _, err := w.st.Deadlines.arm(ctx, w, keySuspensionEnd, "暂停期", nil,
		w.rule(keySuspensionEnd, from, deadline.SanctionTerm, p.SuspensionMonths, deadline.AlertPolicy{})); err != nil {
		return err
	}
	step.Action = kind + ".decided"
	step.Note = fmt.Sprintf("暂停劳务品牌标识使用权至%s（第%d次）。%s", until, w.st.SuspensionCount, reason)
	step.Announcement = &records.AnnouncementRow{Kind: kind, DecidedOn: today, Until: until,
		Summary: fmt.Sprintf("暂停劳务品牌标识使用权至%s", until)}
	if w.st.SuspensionCount >= p.SuspensionsToRemove {
		// 第十五条（四）: suspended three or more times → a removal proposal.
		return w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), today, p.DecisionDays, "suspended_three_times")
	}
	d, err := w.st.Deadlines.arm(ctx, w, keyRenewalDecision, "是否延续暂停的决定", []string{string(auth.CityOfficer)},
		w.rule(keyRenewalDecision, until, deadline.WorkdaysBefore, p.RenewalLeadDays, p.Alerts))
	if err != nil {
		return err
	}
	w.st.Pending = &Pending{Kind: PendingSuspensionRenewal, Due: d.Value().Due, PriorStatus: BrandStatusSuspended}
	return nil
}

// 第十五条（四）, 附件3: the county reports a brand for removal.
func (w *brandWorkflow) validateRemovalReport(ctx workflow.Context, r RemovalReportRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if !slices.Contains(RemovalReasons, r.Reason) {
		return invalid("移出理由无效", RejectedField{Field: "reason", Message: "须为 " + strings.Join(RemovalReasons, "、")})
	}
	if w.st.Status == BrandStatusRemoved || (w.st.Pending != nil && w.st.Pending.Kind == PendingRemoval) {
		return w.statusConflict("再报送移出（已移出或已在待决定中）")
	}
	return nil
}

func (w *brandWorkflow) removalReport(ctx workflow.Context, r RemovalReportRequest) (BrandResult, error) {
	if err := w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), w.today(ctx), w.in.Policy.DecisionDays, r.Reason); err != nil {
		return w.result(), err
	}
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "removal.reported", r.Reason+"："+r.Description))
	return w.result(), err
}

// 第十五条（四）: the city decides removal; removal is final and bans
// re-application for five years.
func (w *brandWorkflow) validateRemovalDecision(ctx workflow.Context, r RemovalDecisionRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if w.st.Pending == nil || w.st.Pending.Kind != PendingRemoval {
		return w.pendingConflict("移出决定")
	}
	if strings.TrimSpace(r.Reason) == "" {
		return invalid("请填写决定理由", RejectedField{Field: "reason", Message: "必填"})
	}
	return nil
}

func (w *brandWorkflow) removalDecision(ctx workflow.Context, r RemovalDecisionRequest) (BrandResult, error) {
	w.st.Deadlines.remove(keyRemovalDecision)
	if !r.Remove {
		w.st.Pending = w.st.Pending.Shelved
		err := w.record(ctx, w.actorStep(ctx, r.Actor, "removal.declined", r.Reason))
		return w.result(), err
	}
	today := w.today(ctx)
	reason := w.st.Pending.Reason
	w.st.Status, w.st.Pending, w.st.Rectification, w.st.Suspension, w.st.Evaluation = BrandStatusRemoved, nil, nil, nil, nil
	w.st.Deadlines.Items = nil
	w.st.RemovedOn = today
	w.st.ReapplyAfter = calendar.AddYears(today, w.in.Policy.BanYears) // a sanction: never moved
	step := w.actorStep(ctx, r.Actor, "removal.decided", fmt.Sprintf("移出项目库，%s 前不得再次申报。%s", w.st.ReapplyAfter, r.Reason))
	step.Ban = &records.BanRow{DecidedOn: today, Until: w.st.ReapplyAfter, Reason: reason}
	step.Announcement = &records.AnnouncementRow{Kind: "removal", DecidedOn: today, Until: w.st.ReapplyAfter,
		Summary: fmt.Sprintf("移出昆明市市级劳务品牌项目库，撤销劳务品牌标识使用权；%s 前不得再次申报", w.st.ReapplyAfter)}
	err := w.record(ctx, step)
	return w.result(), err
}

// BrandStatusLabel is a status's Chinese name.
func BrandStatusLabel(s string) string {
	switch s {
	case BrandStatusActive:
		return "正常"
	case BrandStatusRectifying:
		return "整改中"
	case BrandStatusSuspended:
		return "暂停标识使用"
	case BrandStatusRemoved:
		return "已移出"
	}
	return s
}
