package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// The current details of each process (metadata.go says what may be in
// them): where it stands, what is open and due, and the last decision.

// describe shows the application's stage, open deadlines, the review's
// progress and the step just taken.
func (w *applicationWorkflow) describe(ctx workflow.Context, step records.Step) {
	if step.Action != "" {
		w.st.Last = &LastStep{Action: step.Action, Role: step.Role, On: calendar.DateOf(step.At)}
	}
	ls := []string{"**" + ApplicationSummary(w.in) + "**", "阶段：" + StageLabel(w.st.Stage) + "（" + w.st.Stage + "）"}
	for _, l := range w.st.Deadlines.openLines() {
		ls = append(ls, "待办期限："+l)
	}
	if len(w.st.Drawn) > 0 && !IsFinalStage(w.st.Stage) {
		ls = append(ls, fmt.Sprintf("专家意见：已收 %d / 抽取 %d 名", len(w.st.Opinions), len(w.st.Drawn)))
	}
	if !w.st.NoticeStart.IsZero() {
		ls = append(ls, "公示期："+w.st.NoticeStart.String()+" 至 "+w.st.NoticeEnd.String())
	}
	if n := w.openObjections(); n > 0 {
		ls = append(ls, fmt.Sprintf("未裁定异议：%d 件", n))
	}
	if w.st.BrandID != "" {
		ls = append(ls, "品牌编号："+w.st.BrandID+"（入库 "+w.st.AdmittedOn.String()+"）")
	}
	if l := w.st.Last; l != nil {
		ls = append(ls, lastStepLine(l.Action, l.Role, l.On))
	}
	w.process.describe(ctx, ls...)
}

// describe shows the brand's status and ladder level, its open matters
// with their due dates, its suspension, and the step just taken.
func (w *brandWorkflow) describe(ctx workflow.Context, step records.BrandStep) {
	if step.Action != "" {
		w.st.Last = &LastStep{Action: step.Action, Role: step.Role, On: calendar.DateOf(step.At)}
	}
	status := "状态：" + BrandStatusLabel(w.st.Status) + "（" + w.st.Status + "）"
	if l := w.ladderLevel(); l > 0 {
		status += fmt.Sprintf(" · 第十五条（%s）", []string{"", "一", "二", "三", "四"}[l])
	}
	// A run after continue-as-new has no static summary (the SDK's
	// continue-as-new carries no user metadata): the details say it, with
	// the name the brand has now — an approved change may have renamed it.
	now := w.in
	if w.st.Name != "" {
		now.Name = w.st.Name
	}
	ls := []string{"**" + BrandSummary(now) + "**", status}
	if w.st.UnitName != "" && w.st.UnitName != w.in.UnitName {
		ls = append(ls, "持有单位（已变更）："+w.st.UnitName)
	}
	if r := w.st.Rectification; r != nil {
		ls = append(ls, fmt.Sprintf("整改：%d级 · %s · %s 下达", r.Level, FindingReasonLabel(r.Reason), r.OrderedOn))
	}
	for _, o := range w.st.LateInformation {
		ls = append(ls, "另立整改：1级 · "+FindingReasonLabel(o.Reason)+" · "+o.OrderedOn.String()+" 下达")
	}
	if p := w.st.Pending; p != nil {
		ls = append(ls, "最急待办："+MatterLabel(p.Kind)+"，"+p.Due.String()+" 前")
	}
	for _, l := range w.st.Deadlines.openLines() {
		ls = append(ls, "期限："+l)
	}
	if sp := w.st.Suspension; sp != nil {
		ls = append(ls, "暂停标识使用权："+sp.StartedOn.String()+" 至 "+sp.Until.String())
	}
	if w.st.SuspensionCount > 0 {
		ls = append(ls, fmt.Sprintf("累计暂停：%d 次", w.st.SuspensionCount))
	}
	if w.st.Status == BrandStatusRemoved {
		ls = append(ls, "移出："+w.st.RemovedOn.String()+"，"+w.st.ReapplyAfter.String()+"（含当日）前不得再次申报")
	} else if !w.st.NextEvaluation.IsZero() {
		ls = append(ls, "下次评估："+w.st.NextEvaluation.String())
	}
	if l := w.st.Last; l != nil {
		ls = append(ls, lastStepLine(l.Action, l.Role, l.On))
	}
	w.process.describe(ctx, ls...)
}

// ladderLevel is the level of 第十五条（一）–（四） the brand stands on: the
// LadderLevel search attribute.
func (w *brandWorkflow) ladderLevel() int {
	switch {
	case w.st.Status == BrandStatusRemoved || w.open(keyRemovalDecision):
		return 4
	case w.st.Suspension != nil || w.open(keySuspensionDecision):
		return 3
	case w.st.Rectification != nil:
		return w.st.Rectification.Level
	case len(w.st.LateInformation) > 0:
		return 1
	}
	return 0
}

// openMatters lists the kinds of the deadlines someone has to act on (the
// OpenMatters search attribute): a deadline's key without its id.
func (ds *deadlines) openMatters() []string {
	var kinds []string
	for _, d := range ds.Items {
		if len(d.Audiences) == 0 {
			continue // a period, not a matter: the notice, the suspension's end
		}
		k, _, _ := strings.Cut(d.Key, ":")
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// MatterLabel is an open matter's Chinese name, with who acts on it.
func MatterLabel(kind string) string {
	switch kind {
	case "rectification":
		return "整改（持有单位）"
	case "change":
		return "变更登记审核"
	case PendingInterview:
		return "约谈（县级）"
	case PendingSuspension:
		return "是否暂停标识使用权（市级）"
	case PendingSuspensionRenewal:
		return "是否延续暂停（市级）"
	case PendingRemoval:
		return "是否移出项目库（市级）"
	case PendingEvaluationReport:
		return "提交发展情况报告（持有单位）"
	case PendingEvaluationAssessment:
		return "综合评估（市级）"
	case MatterReportTriage:
		return "举报核查处理（县级）"
	}
	return kind
}

// PendingLabel is a pending decision's Chinese name, with who decides.
func PendingLabel(kind string) string { return MatterLabel(kind) }

// DeadlineRenewalWindow is the kind of a suspension's renewal-window
// deadline (RULES §4): before its day, a renewal is refused.
const DeadlineRenewalWindow = keyRenewalWindow

// DeadlineKindLabel names a deadline for people by its key (a work-queue
// entry's kind): 初审办理期限, 约谈期限 ….
func DeadlineKindLabel(kind string) string {
	switch kind {
	case keyRectification:
		return "整改期限" // the level is in the action, which a key alone lacks
	case "expert_opinion":
		return "专家评审意见"
	}
	l := deadlineLabel(&Deadline{Key: kind})
	if l == "期限" {
		return kind
	}
	return l
}
