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

// 第十五条（三）: the city decides a suspension, or its renewal.
func (w *brandWorkflow) validateSuspensionDecision(ctx workflow.Context, r SuspensionDecisionRequest) error {
	if skip, err := w.admits(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if !w.open(keySuspensionDecision) && !w.open(keyRenewalDecision) {
		return w.pendingConflict("暂停（或延续暂停）决定")
	}
	if w.renewing() {
		// RULES §4: a renewal is decided within its window only — after
		// its first day, and before the suspension's last day is over (an
		// Update that comes with the restoration's instant, before the
		// process has restored the brand, is too late).
		if until := w.st.Suspension.Until; w.today(ctx).After(until) && ruleChanged(ctx, changeRenewalBeforeSuspensionEnds) {
			return reject(RejectConflict, Rejection{Code: "suspension_ended",
				Message: fmt.Sprintf("暂停期已于 %s 届满，不能再决定延续", until),
				Details: map[string]any{"status": w.st.Status, "until": until.String()}})
		}
		if opens := w.st.Suspension.RenewalOpensOn; !opens.IsZero() && w.today(ctx).Before(opens) {
			return reject(RejectConflict, Rejection{Code: "renewal_window_not_open",
				Message: fmt.Sprintf("延续暂停须在续期窗口内决定（%s 起，至暂停期届满 %s）", opens, w.st.Suspension.Until),
				Details: map[string]any{"status": w.st.Status, "opens_on": opens.String(), "until": w.st.Suspension.Until.String()}})
		}
	}
	if err := w.lapsePending(ctx, r.Actor); err != nil {
		return err
	}
	if strings.TrimSpace(r.Reason) == "" {
		return invalid("请填写决定理由", RejectedField{Field: "reason", Message: "必填"})
	}
	return nil
}

// renewing reports whether the suspension decision due is a renewal: the
// brand is suspended and no new suspension is proposed.
func (w *brandWorkflow) renewing() bool {
	return !w.open(keySuspensionDecision) && w.open(keyRenewalDecision) && w.st.Suspension != nil
}

func (w *brandWorkflow) suspensionDecision(ctx workflow.Context, r SuspensionDecisionRequest) (BrandResult, error) {
	renewal := w.renewing()
	today := w.today(ctx)
	step := w.actorStep(ctx, r.Actor, "suspension.declined", r.Reason)
	step.Audit = r.ProvinceReport // RULES §4: the county's report to the province, recorded on the decision
	switch {
	case !r.Suspend && !renewal:
		lapsed := slices.Contains(strings.Split(w.st.Deadlines.get(keySuspensionDecision).Reason, ","), ReasonLevel2Lapsed)
		w.st.Deadlines.remove(keySuspensionDecision)
		// A level-2 order whose interview is still to hold is a finding's
		// beside the proposal (a run from before the lapsed order stayed
		// open had dropped it): its window starts at the interview, not
		// here. Asked only in that case.
		interviewPending := func() bool {
			return w.open(keyInterview) && workflow.GetVersion(ctx, changeDeclineKeepsPendingInterview, workflow.DefaultVersion, 1) == 1
		}
		if rect := w.st.Rectification; lapsed && rect != nil && rect.Level == 2 && !rect.WindowOpen && !interviewPending() {
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
		w.settle()
	case !r.Suspend && renewal:
		step.Action = "renewal.declined"
		w.st.Deadlines.remove(keyRenewalDecision)
		w.st.Deadlines.remove(keyRenewalWindow) // decided on the window's first day, before it is marked open
		w.settle()
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
	w.st.Deadlines.remove(keyRenewalWindow)
	w.st.SuspensionCount++
	from := today
	kind := "suspension"
	superseded := ""
	if renewal {
		from, kind = w.st.Suspension.Until, "renewal"
		w.st.Suspension.Until = calendar.AddMonths(from, p.SuspensionMonths)
	} else {
		// The suspension supersedes the rectification it punishes, a
		// pending interview included (RULES §4), and says so — but not the
		// order for a missed evaluation report: the information is still
		// owed, so that order runs on as one of its own, as it would had the
		// report been missed after the proposal.
		if r := w.st.Rectification; r != nil && w.forMissedReport(*r) &&
			workflow.GetVersion(ctx, changeSuspensionKeepsLateInformation, workflow.DefaultVersion, 1) == 1 {
			if d := w.st.Deadlines.get(keyRectification); d != nil {
				d.Key, d.Action = keyLateInformation+r.FindingID, lateInformationAction
			}
			w.st.LateInformation = append(w.st.LateInformation, *r)
			w.st.Rectification = nil
		}
		if r := w.st.Rectification; r != nil {
			superseded = fmt.Sprintf("（本决定取代进行中的%d级整改）", r.Level)
		}
		// An ordinary order of its own (lapse-keeps-level1) is replaced as
		// the brand's order is; one for a missed report runs on.
		for _, o := range slices.Clone(w.st.LateInformation) {
			if !w.missedReportOrder(o) {
				w.st.Deadlines.remove(keyLateInformation + o.FindingID)
				w.st.LateInformation = slices.DeleteFunc(w.st.LateInformation, func(x Rectification) bool { return x.FindingID == o.FindingID })
				superseded += fmt.Sprintf("（本决定取代另立的1级整改（%s））", FindingReasonLabel(o.Reason))
			}
		}
		w.st.Rectification = nil
		w.st.Deadlines.remove(keyRectification)
		w.st.Deadlines.remove(keyInterview)
		w.st.Suspension = &Suspension{StartedOn: today.AddDays(1), Until: calendar.AddMonths(today, p.SuspensionMonths)}
	}
	w.settle()
	until := w.st.Suspension.Until
	if _, err := w.st.Deadlines.arm(ctx, w, keySuspensionEnd, "暂停期", nil,
		w.rule(keySuspensionEnd, from, deadline.SanctionTerm, p.SuspensionMonths, deadline.AlertPolicy{})); err != nil {
		return err
	}
	step.Action = kind + ".decided"
	step.Note = fmt.Sprintf("暂停劳务品牌标识使用权至%s（第%d次）%s。%s", until, w.st.SuspensionCount, superseded, reason)
	step.Announcement = &records.AnnouncementRow{Kind: kind, DecidedOn: today, Until: until,
		Summary: fmt.Sprintf("暂停劳务品牌标识使用权至%s", until)}
	if w.st.SuspensionCount >= p.SuspensionsToRemove {
		// 第十五条（四）: suspended three or more times → a removal proposal.
		err := w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), today, p.DecisionDays, ReasonSuspendedThreeTimes)
		if err != nil || !w.matterSet {
			return err // before the set, a declined removal left no renewal to decide
		}
	}
	return w.openRenewal(ctx)
}

// openRenewal opens the city's renewal decision of a running suspension.
// RULES §4: the renewal window opens RenewalLeadDays working days before the
// suspension ends, and the decision is due the day before its last day (so
// that it is published before the right would return, and its escalation
// never coincides with the restoration); undecided, the right returns when
// the year ends.
func (w *brandWorkflow) openRenewal(ctx workflow.Context) error {
	p, sp := w.in.Policy, w.st.Suspension
	if !w.matterSet { // the decision was due by the window's first day
		_, err := w.st.Deadlines.arm(ctx, w, keyRenewalDecision, "是否延续暂停的决定", []string{string(auth.CityOfficer)},
			w.ruleFor(ctx, auth.CityOfficer, keyRenewalDecision, sp.Until, deadline.WorkdaysBefore, p.RenewalLeadDays, p.Alerts))
		w.settle()
		return err
	}
	// The window's first day is counted in working days, on a calendar a
	// later official schedule may change: kept as a deadline of its own, it
	// moves with the calendar as the others do (changeRenewalWindowTracked).
	// Before, it was computed once.
	if workflow.GetVersion(ctx, changeRenewalWindowTracked, workflow.DefaultVersion, 1) == 1 {
		window, err := w.st.Deadlines.arm(ctx, w, keyRenewalWindow, "延续暂停决定窗口开启", nil,
			w.ruleFor(ctx, auth.CityOfficer, keyRenewalWindow, sp.Until, deadline.WorkdaysBefore, p.RenewalLeadDays, deadline.AlertPolicy{}))
		if err != nil {
			return err
		}
		sp.RenewalOpensOn = window.Value().Due
	} else {
		window, err := computeDeadline(ctx, w.rule(keyRenewalDecision, sp.Until, deadline.WorkdaysBefore, p.RenewalLeadDays, deadline.AlertPolicy{}))
		if err != nil {
			return err
		}
		sp.RenewalOpensOn = window.Deadline.Due
	}
	_, err := w.st.Deadlines.arm(ctx, w, keyRenewalDecision, "是否延续暂停的决定", []string{string(auth.CityOfficer)},
		w.ruleFor(ctx, auth.CityOfficer, keyRenewalDecision, sp.Until.AddDays(-1), deadline.OnDate, 0, p.Alerts))
	w.settle()
	return err
}

// restore ends a suspension that was not renewed: the logo right returns.
func (w *brandWorkflow) restore(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	w.st.Deadlines.remove(keyRenewalDecision)
	w.st.Deadlines.remove(keyRenewalWindow)
	until := w.st.Suspension.Until
	w.st.Suspension = nil
	w.settle()
	step := w.autoStep(ctx, "restored/"+until.String(), "suspension.ended", fmt.Sprintf("暂停期至%s届满，恢复标识使用权", until), until.End())
	step.Announcement = &announcement{Kind: "restoration", DecidedOn: until.AddDays(1), Summary: "暂停期届满，恢复劳务品牌标识使用权"}
	return w.record(ctx, step)
}
