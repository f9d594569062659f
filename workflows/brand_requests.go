package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// 第十五条: the holder files its development status for the evaluation.
func (w *brandWorkflow) validateEvaluationReport(ctx workflow.Context, r EvaluationReportRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.Applicant); skip || err != nil {
		return err
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("提交评估报告")
	}
	if w.st.Evaluation == nil || w.st.Evaluation.ReportID != "" {
		return reject(RejectConflict, Rejection{Code: "no_open_evaluation", Message: "当前没有待提交的综合评估报告",
			Details: map[string]any{"status": w.st.Status, "next_evaluation": w.st.NextEvaluation.String()}})
	}
	return nil
}

func (w *brandWorkflow) evaluationReport(ctx workflow.Context, r EvaluationReportRequest) (BrandResult, error) {
	w.st.Evaluation.ReportID = r.ReportID
	w.st.Deadlines.remove(keyEvaluationReport)
	today := w.today(ctx)
	if _, err := w.st.Deadlines.arm(ctx, w, keyEvaluationAssessment, "综合评估", []string{string(auth.CityOfficer)},
		w.rule(keyEvaluationAssessment, today, deadline.Workdays, w.in.Policy.AssessmentDays, w.in.Policy.Alerts)); err != nil {
		return w.result(), err
	}
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "evaluation.reported", "提交"+w.st.Evaluation.Period+"发展情况报告"))
	return w.result(), err
}

// 第十五条: the city's comprehensive assessment — pass, findings, or no
// longer eligible (a removal proposal).
func (w *brandWorkflow) validateAssessment(ctx workflow.Context, r AssessmentRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if w.st.Evaluation == nil || w.st.Evaluation.ReportID == "" || w.st.Evaluation.ReportID != r.ReportID {
		return reject(RejectConflict, Rejection{Code: "no_report_to_assess", Message: "该评估报告不是待评估的报告",
			Details: map[string]any{"status": w.st.Status}})
	}
	switch r.Outcome {
	case OutcomePass:
	case OutcomeFindings, OutcomeRemovalProposed:
		if strings.TrimSpace(r.Opinion) == "" {
			return invalid("请填写评估意见", RejectedField{Field: "opinion", Message: "发现问题或不再符合条件时须写明"})
		}
		if r.Outcome == OutcomeFindings && w.findingAllowed(evaluationFindings) != nil {
			return w.statusConflict("下达评估整改（已在整改或暂停中）")
		}
	default:
		return invalid("评估结论无效", RejectedField{Field: "outcome", Message: "须为 pass、findings 或 removal_proposed"})
	}
	return nil
}

func (w *brandWorkflow) assessment(ctx workflow.Context, r AssessmentRequest) (BrandResult, error) {
	w.st.Deadlines.remove(keyEvaluationAssessment)
	period := w.st.Evaluation.Period
	w.st.Evaluation = nil
	step := w.actorStep(ctx, r.Actor, "evaluation."+string(r.Outcome), period+"综合评估："+r.Opinion)
	step.Assessment = &records.AssessmentRow{ReportID: r.ReportID, Outcome: string(r.Outcome), Opinion: r.Opinion}
	var err error
	switch r.Outcome {
	case OutcomePass:
		err = w.record(ctx, step)
	case OutcomeFindings:
		err = w.openFinding(ctx, step, "FD-"+r.ReportID, evaluationFindings, r.Opinion, "")
	case OutcomeRemovalProposed:
		if err = w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), w.today(ctx), w.in.Policy.DecisionDays, "no_longer_eligible"); err == nil {
			err = w.record(ctx, step)
		}
	}
	return w.result(), err
}

// 附件2: the holder requests a change; the county, then the city, give opinions.
func (w *brandWorkflow) validateChangeRequest(ctx workflow.Context, r ChangeRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.Applicant); skip || err != nil {
		return err
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("申请变更")
	}
	return nil
}

func (w *brandWorkflow) changeRequest(ctx workflow.Context, r ChangeRequest) (BrandResult, error) {
	w.st.Changes = append(w.st.Changes, ChangeState{ID: r.ChangeID, Major: r.Major, Step: "county",
		NewName: r.NewName, NewUnitName: r.NewUnitName, NewUSCC: r.NewUSCC, NewCategory: r.NewCategory})
	if err := w.armChange(ctx, r.ChangeID, string(auth.CountyOfficer)); err != nil {
		return w.result(), err
	}
	kind := "基本信息"
	if r.Major {
		kind = "重大信息"
	}
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "change.requested", "申请变更"+kind))
	return w.result(), err
}

func (w *brandWorkflow) armChange(ctx workflow.Context, id, audience string) error {
	_, err := w.st.Deadlines.arm(ctx, w, keyChange+id, "变更审核意见", []string{audience},
		w.rule(keyChange+id, w.today(ctx), deadline.Workdays, w.in.Policy.AssessmentDays, w.in.Policy.Alerts))
	return err
}

func (w *brandWorkflow) change(id string) *ChangeState {
	for i := range w.st.Changes {
		if w.st.Changes[i].ID == id {
			return &w.st.Changes[i]
		}
	}
	return nil
}

func (w *brandWorkflow) validateChangeOpinion(ctx workflow.Context, r ChangeOpinionRequest) error {
	if w.applied(ctx) {
		return nil
	}
	c := w.change(r.ChangeID)
	if c == nil {
		return reject(RejectConflict, Rejection{Code: "no_such_change", Message: "没有待审核的这项变更申请", Details: map[string]any{"status": w.st.Status}})
	}
	want := auth.CountyOfficer
	if c.Step == "city" {
		want = auth.CityOfficer
	}
	if r.Actor.Role != string(want) {
		return reject(RejectConflict, Rejection{Code: "wrong_step", Message: fmt.Sprintf("该变更申请当前待%s审核", map[string]string{"county": "县级", "city": "市级"}[c.Step]),
			Details: map[string]any{"status": w.st.Status, "step": c.Step}})
	}
	if err := w.ownCounty(r.Actor); err != nil {
		return err
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("审核变更")
	}
	return nil
}

func (w *brandWorkflow) changeOpinion(ctx workflow.Context, r ChangeOpinionRequest) (BrandResult, error) {
	c := *w.change(r.ChangeID)
	w.st.Deadlines.remove(keyChange + c.ID)
	step := w.actorStep(ctx, r.Actor, "change."+c.Step+"_opinion", r.Opinion)
	step.Change = &records.ChangeDecision{ChangeID: c.ID, Step: c.Step, Approve: r.Approve, Opinion: r.Opinion}
	switch {
	case !r.Approve:
		w.dropChange(c.ID)
		step.Action = "change.refused"
	case c.Step == "county":
		w.change(c.ID).Step = "city"
		if err := w.armChange(ctx, c.ID, string(auth.CityOfficer)); err != nil {
			return w.result(), err
		}
	default:
		w.dropChange(c.ID)
		step.Action = "change.approved"
		if c.NewName != "" {
			w.st.Name = c.NewName
		}
		if c.NewUnitName != "" {
			w.st.UnitName = c.NewUnitName
		}
		if c.NewUSCC != "" {
			w.st.USCC = c.NewUSCC
		}
		if c.NewCategory != "" {
			w.st.Category = c.NewCategory
		}
	}
	err := w.record(ctx, step)
	return w.result(), err
}

func (w *brandWorkflow) dropChange(id string) {
	out := w.st.Changes[:0]
	for _, c := range w.st.Changes {
		if c.ID != id {
			out = append(out, c)
		}
	}
	w.st.Changes = out
}

// RULES §4: the county triages a report (举报): dismiss it, or open a finding.
func (w *brandWorkflow) validateReportTriage(ctx workflow.Context, r ReportTriageRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if slices.Contains(w.st.Triaged, r.ReportID) {
		return reject(RejectConflict, Rejection{Code: "already_triaged", Message: "该举报已处理", Details: map[string]any{"status": w.st.Status}})
	}
	switch r.Action {
	case TriageDismiss:
		return nil
	case TriageFinding:
		if err := officerFindingReason(r.Reason); err != nil {
			return err
		}
		return w.findingAllowed(r.Reason)
	}
	return invalid("处理方式无效", RejectedField{Field: "action", Message: "须为 dismiss（不予立案）或 finding（认定问题）"})
}

func (w *brandWorkflow) reportTriage(ctx workflow.Context, r ReportTriageRequest) (BrandResult, error) {
	w.st.Triaged = append(w.st.Triaged, r.ReportID)
	if n := len(w.st.Triaged); n > maxApplied {
		w.st.Triaged = w.st.Triaged[n-maxApplied:]
	}
	step := w.actorStep(ctx, r.Actor, "report.dismissed", r.Note)
	step.Triage = &records.TriageRow{ReportID: r.ReportID, Action: string(r.Action), Note: r.Note, FindingID: r.FindingID}
	if r.Action == TriageDismiss {
		return w.result(), w.record(ctx, step)
	}
	step.Action = fmt.Sprintf("finding.level%d", FindingLevel(r.Reason))
	step.Note = r.Reason + "（来自举报）" + r.Note
	return w.result(), w.openFinding(ctx, step, r.FindingID, r.Reason, r.Note, r.ReportID)
}
