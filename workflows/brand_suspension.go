package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

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
		lapsed := w.st.Pending.Reason == "level2_lapsed"
		w.st.Deadlines.remove(keySuspensionDecision)
		w.st.Pending = w.st.Pending.Shelved
		if rect := w.st.Rectification; lapsed && rect != nil && rect.Level == 2 && !rect.WindowOpen {
			// RULES §4: declined, the lapsed level-2 order continues with a
			// new three-month window from this decision.
			rect.OrderedOn, rect.WindowOpen = today, true
			p := w.in.Policy
			if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, "整改（三个月）", []string{string(auth.Applicant), string(auth.CountyOfficer)},
				w.rule(keyRectification, today, deadline.Months, p.Level2Months, rectificationAlerts(p))); err != nil {
				return w.result(), err
			}
			step.Note = fmt.Sprintf("不予暂停；二级整改继续，重新给予三个月整改期（自%s起）。%s", today, r.Reason)
		}
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
