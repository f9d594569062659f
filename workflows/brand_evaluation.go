package workflows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
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
	// A report belongs to its window: one for another period would close
	// this window's matter with the wrong years on record.
	if want := w.st.Evaluation.Period; r.Period != "" && r.Period != want && ruleChanged(ctx, changeFindingsBesideRemoval) {
		return invalid("评估周期有误", RejectedField{Field: "period", Message: "当前评估周期为 " + want + "，请按该周期填报"})
	}
	return nil
}

func (w *brandWorkflow) evaluationReport(ctx workflow.Context, r EvaluationReportRequest) (BrandResult, error) {
	err := w.takeReport(ctx, r.ReportID, w.today(ctx), w.actorStep(ctx, r.Actor, "evaluation.reported", ""), "")
	return w.result(), err
}

// takeReport takes the development report reportID, filed on filedOn, for
// the open window: the report's deadline closes, the city's assessment is
// due from the filing, and step records it (its note says which period,
// then note, then the missed report's order it remedies, if any).
func (w *brandWorkflow) takeReport(ctx workflow.Context, reportID string, filedOn calendar.Date, step records.BrandStep, note string) error {
	w.st.Evaluation.ReportID = reportID
	w.st.Deadlines.remove(keyEvaluationReport)
	if _, err := w.st.Deadlines.arm(ctx, w, keyEvaluationAssessment, "综合评估", []string{string(auth.CityOfficer)},
		w.ruleFor(ctx, auth.CityOfficer, keyEvaluationAssessment, filedOn, deadline.Workdays, w.in.Policy.AssessmentDays, w.in.Policy.Alerts)); err != nil {
		return err
	}
	step.Note = "提交" + w.st.Evaluation.Period + "发展情况报告" + note + w.closeLateInformation()
	return w.record(ctx, step)
}

// takeStoredReport takes, as the report's days run out, a development
// report stored before their end whose process was never told of it (a
// 503, the API stopped, the day's last seconds) as filed when it was
// stored: stored in time is received in time (RULES §3), as a supplement
// is — no order for a report missed (changeStoredReportTaken). Its Update,
// told later by the sweep, is answered as applied. It reports whether one
// was taken.
func (w *brandWorkflow) takeStoredReport(ctx workflow.Context, due calendar.Deadline) (bool, error) {
	if w.st.Evaluation == nil || w.st.Evaluation.ReportID != "" ||
		workflow.GetVersion(ctx, changeStoredReportTaken, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return false, nil
	}
	var stored records.StoredReport
	q := records.StoredReportQuery{BrandID: w.in.BrandID, Period: w.st.Evaluation.Period, Before: due.DueAt}
	if err := execute(ctx, reading, ActivityStoredReport, q).Get(ctx, &stored); err != nil || stored.ReportID == "" {
		return false, err
	}
	if w.st.Evaluation == nil || w.st.Evaluation.ReportID != "" {
		return true, nil // told meanwhile, and taken
	}
	w.rememberUpdate(stored.UpdateID)
	step := records.BrandStep{BrandID: w.in.BrandID, Key: w.workflowID() + "/" + stored.UpdateID, At: stored.At, // dated by its storing, as received
		Actor: stored.By, Role: cmp.Or(stored.Role, string(auth.Applicant)), Action: "evaluation.reported"}
	return true, w.takeReport(ctx, stored.ReportID, calendar.DateOf(stored.At), step, "（期限内已提交，期限届满时补登）")
}

// 第十五条: the city's comprehensive assessment — pass, findings, or no
// longer eligible (a removal proposal).
func (w *brandWorkflow) validateAssessment(ctx workflow.Context, r AssessmentRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CityOfficer); skip || err != nil {
		return err
	}
	if _, found := w.assessing(r.ReportID); !found {
		return reject(RejectConflict, Rejection{Code: "no_report_to_assess", Message: "该评估报告不是待评估的报告",
			Details: map[string]any{"status": w.st.Status}})
	}
	switch r.Outcome {
	case OutcomePass:
	case OutcomeFindings, OutcomeRemovalProposed:
		if strings.TrimSpace(r.Opinion) == "" {
			return invalid("请填写评估意见", RejectedField{Field: "opinion", Message: "发现问题或不再符合条件时须写明"})
		}
		if r.Outcome == OutcomeFindings && w.findingAllowed(ctx, evaluationFindings) != nil &&
			!(w.findingsJoin() && ruleChanged(ctx, changeFindingsJoinRunning)) {
			return w.statusConflict("下达评估整改（已在整改或暂停中）")
		}
	default:
		return invalid("评估结论无效", RejectedField{Field: "outcome", Message: "须为 pass、findings 或 removal_proposed"})
	}
	return nil
}

func (w *brandWorkflow) assessment(ctx workflow.Context, r AssessmentRequest) (BrandResult, error) {
	key, _ := w.assessing(r.ReportID)
	w.st.Deadlines.remove(key)
	var period string
	if e := w.st.Evaluation; e != nil && e.ReportID == r.ReportID {
		period, w.st.Evaluation = e.Period, nil
	} else {
		i := slices.IndexFunc(w.st.Assessing, func(e Evaluation) bool { return e.ReportID == r.ReportID })
		period = w.st.Assessing[i].Period
		w.st.Assessing = slices.Delete(w.st.Assessing, i, i+1)
	}
	w.settle()
	step := w.actorStep(ctx, r.Actor, "evaluation."+string(r.Outcome), period+"综合评估："+r.Opinion)
	step.Assessment = &records.AssessmentRow{ReportID: r.ReportID, Outcome: string(r.Outcome), Opinion: r.Opinion}
	var err error
	switch r.Outcome {
	case OutcomePass:
		err = w.record(ctx, step)
	case OutcomeFindings:
		if w.findingsJoin() {
			err = w.joinFindings(ctx, step, "FD-"+r.ReportID, evaluationFindings, r.Opinion, "", "评估发现的问题")
		} else {
			err = w.openFinding(ctx, step, "FD-"+r.ReportID, evaluationFindings, r.Opinion, "")
		}
	case OutcomeRemovalProposed:
		if err = w.propose(ctx, PendingRemoval, keyRemovalDecision, "移出项目库决定", string(auth.CityOfficer), w.today(ctx), w.in.Policy.DecisionDays, "no_longer_eligible"); err == nil {
			err = w.record(ctx, step)
		}
	}
	return w.result(), err
}

// findingsJoin reports whether an assessment's findings join what the
// brand is already under — a rectification order or a suspension — rather
// than open an order of their own (one ladder at a time, RULES §4).
func (w *brandWorkflow) findingsJoin() bool {
	return w.st.Rectification != nil || w.st.Status == BrandStatusSuspended
}

// joinFindings records an assessment's findings while the brand is already
// rectifying or suspended (RULES §4): the assessment is the city's to
// conclude, so it is not refused; no second order opens beside the running
// one — the findings join it, as a lapse joins a higher level, the county's
// confirmation of that order judging them too — and the history says so.
// Before, the assessment was refused until the running order was confirmed,
// while its own deadline escalated (changeFindingsJoinRunning). During a
// suspension the findings are the city's to weigh in its renewal decision
// (第十五条（三）: "根据整改情况"). A report's finding of what the running
// order or suspension already answers joins it the same way (triageJoins);
// what names the findings' source in the history line: "评估发现的问题".
func (w *brandWorkflow) joinFindings(ctx workflow.Context, step records.BrandStep, findingID, reason, description, reportID, what string) error {
	joined := records.FindingJoinedSuspension
	if r := w.st.Rectification; r != nil {
		joined = records.FindingJoinedRectification
		step.Note += fmt.Sprintf("（品牌已在%d级整改中，%s并入正在进行的%d级整改）", r.Level, what, r.Level)
	} else {
		step.Note += fmt.Sprintf("（品牌在暂停标识使用权期间，%s并入暂停处理，由市级在决定是否延续暂停时一并考虑）", what)
	}
	// The finding keeps its reason's level; Joined (and the history line)
	// say that no order of its own was made.
	step.Finding = &records.FindingRow{ID: findingID, Reason: reason, Level: FindingLevel(reason),
		Description: description, ReportID: reportID, OrderedOn: w.today(ctx), Joined: joined}
	return w.record(ctx, step)
}

// openEvaluation opens the biennial evaluation window on the anniversary
// (RULES §4): the holder's report is due 20 working days later.
func (w *brandWorkflow) openEvaluation(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	superseded := w.setAsideEvaluation()
	opens := w.st.NextEvaluation
	years := w.in.Policy.EvaluationYears
	w.st.Evaluation = &Evaluation{Period: EvaluationPeriod(opens, years), OpensOn: opens}
	w.st.Cycle++
	w.st.NextEvaluation = calendar.AddYears(w.in.AdmittedOn, years*(w.st.Cycle+1))
	// An imported brand's first window is the anniversary its sheet gave,
	// not its first: the next is counted from it. Asked only where the two
	// differ, so a brand admitted here records nothing.
	if next, k := anniversaryAfter(w.in.AdmittedOn, opens, years); k > 0 && next != w.st.NextEvaluation &&
		workflow.GetVersion(ctx, changeEvaluationFromAnniversary, workflow.DefaultVersion, 1) == 1 {
		w.st.NextEvaluation, w.st.Cycle = next, k-1
	}
	if _, err := w.st.Deadlines.arm(ctx, w, keyEvaluationReport, "提交两年发展情况报告", []string{string(auth.Applicant), string(auth.CityOfficer)},
		w.rule(keyEvaluationReport, opens, deadline.Workdays, w.in.Policy.ReportDays, w.in.Policy.HolderAlerts)); err != nil {
		return err
	}
	if err := w.armWindow(ctx); err != nil {
		return err
	}
	step := w.autoStep(ctx, "evaluation/"+opens.String(), "evaluation.opened",
		fmt.Sprintf("第%d次综合评估开始（%s），请在期限内提交发展情况%s", w.st.Cycle, w.st.Evaluation.Period, superseded), opens.Start())
	return w.record(ctx, step)
}

// EvaluationPeriod names the evaluation whose window opens on opens, every
// years years (第十五条): the years it looks back over, "2024-2026".
func EvaluationPeriod(opens calendar.Date, years int) string {
	return fmt.Sprintf("%d-%d", opens.Year-years, opens.Year)
}

// anniversaryAfter is the first anniversary of admitted, every years years
// (第十五条), after day, and its number k (from 1); k is 0 without a period.
func anniversaryAfter(admitted, day calendar.Date, years int) (next calendar.Date, k int) {
	if years < 1 {
		return calendar.Date{}, 0
	}
	for k = 1; ; k++ {
		if next = calendar.AddYears(admitted, years*k); next.After(day) {
			return next, k
		}
	}
}

// armWindow arms the opening of the next evaluation window: an expiry at
// 24:00 of the day before the anniversary, i.e. at its first instant.
func (w *brandWorkflow) armWindow(ctx workflow.Context) error {
	_, err := w.st.Deadlines.arm(ctx, w, keyEvaluationWindow, "综合评估", nil,
		w.rule(keyEvaluationWindow, w.st.NextEvaluation.AddDays(-1), deadline.OnDate, 0, deadline.AlertPolicy{}))
	return err
}

// assessing finds the evaluation whose report reportID awaits the city's
// assessment, and the key of that matter's deadline.
func (w *brandWorkflow) assessing(reportID string) (key string, found bool) {
	if reportID == "" {
		return "", false
	}
	if e := w.st.Evaluation; e != nil && e.ReportID == reportID {
		return keyEvaluationAssessment, true
	}
	for _, e := range w.st.Assessing {
		if e.ReportID == reportID {
			return keyEvaluationAssessment + ":" + reportID, true
		}
	}
	return "", false
}

// setAsideEvaluation makes room for a new evaluation window (RULES §4: a
// lapse adds a matter, never overwrites one). A report that awaits the
// city's assessment stays open under its own deadline; a report never filed
// is superseded by the new window — its lapse has already opened the
// level-1 order — and the note says so for the history.
func (w *brandWorkflow) setAsideEvaluation() (note string) {
	e := w.st.Evaluation
	if e == nil {
		return ""
	}
	if e.ReportID == "" {
		w.st.Deadlines.remove(keyEvaluationReport)
		return "；上一期（" + e.Period + "）报告未提交，由本期评估取代"
	}
	if d := w.st.Deadlines.get(keyEvaluationAssessment); d != nil {
		d.Key = keyEvaluationAssessment + ":" + e.ReportID
		w.st.Assessing = append(w.st.Assessing, *e)
	}
	return ""
}
