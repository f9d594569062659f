package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// takeStanding puts an imported brand where the bureau's sheet says it
// stands (issue 14): an open rectification with its own due day, a level-2
// order whose interview is still to be held, or a suspension with its own
// last day. From there the ladder of 第十五条 runs as for any brand: a
// window that lapses climbs, a suspension ends or is renewed.
func (w *brandWorkflow) takeStanding(ctx workflow.Context, step *records.BrandStep) error {
	s, p := w.in.Standing, w.in.Policy
	holder := []string{string(auth.Applicant), string(auth.CountyOfficer)}
	if r := s.Rectification; r != nil {
		id := "FD-" + w.in.BrandID + "-import"
		w.st.Rectification = &Rectification{Level: r.Level, Reason: r.Reason, FindingID: id, OrderedOn: r.OrderedOn,
			WindowOpen: !r.Due.IsZero()}
		step.Finding = &records.FindingRow{ID: id, Reason: r.Reason, Level: r.Level, OrderedOn: r.OrderedOn,
			Description: "系统上线前下达的整改，随项目库导入"}
		switch {
		case !r.Due.IsZero():
			action := "整改（一个月）"
			if r.Level == 2 {
				action = "整改（三个月）"
			}
			if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, action, holder,
				w.rule(keyRectification, r.Due, deadline.OnDate, 0, rectificationAlerts(p))); err != nil {
				return err
			}
			step.Note += fmt.Sprintf("；导入时%d级整改中，%s 下达，整改期限至 %s", r.Level, r.OrderedOn, r.Due)
		default: // 第十五条（二）: the interview opens the three months
			if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), w.today(ctx),
				p.InterviewDays, r.Reason); err != nil {
				return err
			}
			step.Note += fmt.Sprintf("；导入时2级整改中，%s 下达，待约谈", r.OrderedOn)
		}
	}
	// 第十五条（四）4: suspensions before the import count toward the
	// third, whether or not the brand is suspended on the day.
	w.st.SuspensionCount = s.SuspensionCount
	if sp := s.Suspension; sp != nil {
		w.st.Suspension = &Suspension{StartedOn: sp.StartedOn, Until: sp.Until}
		w.st.SuspensionCount = max(s.SuspensionCount, 1)
		if _, err := w.st.Deadlines.arm(ctx, w, keySuspensionEnd, "暂停期", nil,
			w.rule(keySuspensionEnd, sp.Until, deadline.OnDate, 0, deadline.AlertPolicy{})); err != nil {
			return err
		}
		step.Note += fmt.Sprintf("；导入时暂停标识使用权（%s 至 %s，第%d次）", sp.StartedOn, sp.Until, w.st.SuspensionCount)
		// RULES §4: the renewal is decided within its window, due the day
		// before the last day, as for a suspension decided here. Asked only
		// where a suspension is imported.
		if workflow.GetVersion(ctx, changeImportedRenewalWindow, workflow.DefaultVersion, 1) == 1 {
			if err := w.openRenewal(ctx); err != nil {
				return err
			}
		} else {
			d, err := w.st.Deadlines.arm(ctx, w, keyRenewalDecision, "是否延续暂停的决定", []string{string(auth.CityOfficer)},
				w.ruleFor(ctx, auth.CityOfficer, keyRenewalDecision, sp.Until, deadline.WorkdaysBefore, p.RenewalLeadDays, p.Alerts))
			if err != nil {
				return err
			}
			w.st.Pending = &Pending{Kind: PendingSuspensionRenewal, Due: d.Value().Due, PriorStatus: BrandStatusSuspended}
		}
	}
	w.st.Status = w.settledStatus()
	return nil
}
