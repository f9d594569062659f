package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// 第十五条（四）, 附件3: the county reports a brand for removal.
func (w *brandWorkflow) validateRemovalReport(ctx workflow.Context, r RemovalReportRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	return w.removalReportAllowed(ctx, r, false)
}

// removalReportAllowed checks a removal report's reasons against the
// brand's standing: the county's own report, or one from a report's triage
// (fromReport), which is taken even when it adds no reason to the removal
// waiting — the report is founded and closes so, as a report's finding
// joins what runs.
func (w *brandWorkflow) removalReportAllowed(ctx workflow.Context, r RemovalReportRequest, fromReport bool) error {
	if len(r.reasons()) == 0 {
		return invalid("请选择移出情形", RejectedField{Field: "reasons", Message: "至少选择一项：" + strings.Join(RemovalReasons, "、")})
	}
	for i, code := range r.Reasons {
		if !slices.Contains(RemovalReasons, code) {
			return invalid("移出情形无效", RejectedField{Field: fmt.Sprintf("reasons[%d]", i), Message: "须为 " + strings.Join(RemovalReasons, "、")})
		}
	}
	if r.Reason != "" && !slices.Contains(RemovalReasons, r.Reason) {
		return invalid("移出情形无效", RejectedField{Field: "reason", Message: "须为 " + strings.Join(RemovalReasons, "、")})
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("再报送移出（已移出）")
	}
	// RULES §4: two removal proposals are one matter — a report joins one
	// waiting (the system's, say, after a third suspension) with the
	// reasons it adds; one that adds none is the same report again.
	// (A run from before the open matters, !matterSet, would arm the removal
	// again for a report that adds nothing: refused there as before.)
	if w.open(keyRemovalDecision) && (!fromReport || !w.matterSet) && (!ruleChanged(ctx, changeFindingsBesideRemoval) ||
		!slices.ContainsFunc(r.reasons(), func(code string) bool { return !w.proposedFor(keyRemovalDecision, code) })) {
		return w.statusConflict("再报送移出（所报情形已在待决定中）")
	}
	return nil
}

func (w *brandWorkflow) removalReport(ctx workflow.Context, r RemovalReportRequest) (BrandResult, error) {
	step := w.actorStep(ctx, r.Actor, "removal.reported", "")
	return w.result(), w.reportForRemoval(ctx, step, r.reasons(), "："+r.Description)
}

// reportForRemoval proposes the removal of the reasons to the city and
// records it with step, its note the reasons and then note.
func (w *brandWorkflow) reportForRemoval(ctx workflow.Context, step records.BrandStep, reasons []string, note string) error {
	codes := strings.Join(reasons, ",")
	if err := w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), w.today(ctx), w.in.Policy.DecisionDays, codes); err != nil {
		return err
	}
	step.Action, step.Note = "removal.reported", codes+note
	return w.record(ctx, step)
}

// 第十五条（四）: the city decides removal; removal is final and bans
// re-application for five years.
func (w *brandWorkflow) validateRemovalDecision(ctx workflow.Context, r RemovalDecisionRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if !w.open(keyRemovalDecision) {
		return w.pendingConflict("移出决定")
	}
	if strings.TrimSpace(r.Reason) == "" {
		return invalid("请填写决定理由", RejectedField{Field: "reason", Message: "必填"})
	}
	return nil
}

func (w *brandWorkflow) removalDecision(ctx workflow.Context, r RemovalDecisionRequest) (BrandResult, error) {
	reason := w.st.Deadlines.get(keyRemovalDecision).Reason
	w.st.Deadlines.remove(keyRemovalDecision)
	if !r.Remove {
		w.settle()
		err := w.record(ctx, w.actorStep(ctx, r.Actor, "removal.declined", r.Reason))
		return w.result(), err
	}
	today := w.today(ctx)
	// A removal closes every matter (RULES §4), and the history says which.
	closed := w.openMatters()
	w.st.Status, w.st.Pending, w.st.Rectification, w.st.Suspension, w.st.Evaluation, w.st.Assessing = BrandStatusRemoved, nil, nil, nil, nil, nil
	w.st.LateInformation, w.st.Changes = nil, nil
	w.st.Deadlines.Items = nil
	w.st.RemovedOn = today
	w.st.ReapplyAfter = calendar.AddYears(today, w.in.Policy.BanYears) // a sanction: never moved
	step := w.actorStep(ctx, r.Actor, "removal.decided", fmt.Sprintf("移出项目库，%s（含当日）前不得再次申报。%s%s", w.st.ReapplyAfter, r.Reason, closedNote(closed)))
	step.Ban = &records.BanRow{DecidedOn: today, Until: w.st.ReapplyAfter, Reason: reason}
	step.Announcement = &records.AnnouncementRow{Kind: "removal", DecidedOn: today, Until: w.st.ReapplyAfter,
		Summary: fmt.Sprintf("移出昆明市市级劳务品牌项目库，收回劳务品牌标识使用权；%s（含当日）前不得再次申报", w.st.ReapplyAfter)}
	err := w.record(ctx, step)
	return w.result(), err
}

// reasons are the 附件3 reasons ticked, each once.
func (r RemovalReportRequest) reasons() []string {
	out := slices.Clone(r.Reasons)
	if r.Reason != "" {
		out = append(out, r.Reason)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// closedNote names the matters a removal closed.
func closedNote(ms []records.OpenMatter) string {
	var kinds []string
	for _, m := range ms {
		// The holder reads the line, and reports waiting for triage are
		// never shown to it (RULES §4): their own records say they closed.
		if m.Kind != MatterReportTriage {
			kinds = append(kinds, MatterLabel(m.Kind))
		}
	}
	if len(kinds) == 0 {
		return ""
	}
	return "（同时办结：" + strings.Join(kinds, "、") + "）"
}
