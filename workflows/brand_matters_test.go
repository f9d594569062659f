package workflows_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §4 open matters (第十五条（一）（二）（四）): a level-1 month that
// lapses while a removal report waits for the city adds the interview
// beside it and never overwrites it. Level 1 ordered Mon 2026-03-02 (due Thu
// 04-02); the county reports the brand for removal on Fri 03-20 (due 10
// working days later, Fri 04-03). At 24:00 of 04-02 the month lapses: the
// interview opens, the removal proposal stays open with its own deadline,
// and the city can still decide it (before, 409 "当前没有待办的移出决定"
// while its deadline went on escalating).
func TestDecision_OpenMatters_LapseAddsBesideARemovalReport(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	h.update("2026-03-20", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"serious_violation"}, Description: "严重违法"}, ok(t, "report"))
	h.check("2026-04-03", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || dueOf(st, "interview") == "" || dueOf(st, "removal_decision") != "2026-04-03" {
			t.Errorf("after the lapse: %+v deadlines %v, want level 2 with the interview and the removal both open", st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-04-07", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "情节较轻"}, ok(t, "removal decision"))
	h.check("2026-04-07", func(st workflows.BrandState) {
		if st.Status != "rectifying" || dueOf(st, "removal_decision") != "" || pendingOf(st) != "interview "+dueOf(st, "interview") {
			t.Errorf("after the decline: %s pending %q deadlines %v", st.Status, pendingOf(st), st.Deadlines.Items)
		}
	})
	h.run("2026-04-08")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level1",
		"2026-03-20 10:00 county_officer removal.reported",
		"2026-04-03 00:00 system rectification.lapsed",
		"2026-04-07 10:00 city_officer removal.declined",
	})
}

// RULES §4 open matters (第十五条 biennial evaluation): a report filed in
// one evaluation and never assessed stays open when the next window opens
// two years later — its assessment keeps its own deadline, and the city can
// still assess it; before, the new window overwrote it.
func TestDecision_OpenMatters_NewEvaluationKeepsAnUnassessedReport(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.later(at("2026-06-15", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-06-15", 9)) })
	h.update("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "report"))
	h.check("2028-06-12", func(st workflows.BrandState) {
		if st.Evaluation == nil || st.Evaluation.Period != "2026-2028" || len(st.Assessing) != 1 || st.Assessing[0].ReportID != "EV1" {
			t.Errorf("after the second window opened: evaluation %+v assessing %+v", st.Evaluation, st.Assessing)
		}
		if dueOf(st, "evaluation_assessment:EV1") != "2026-07-14" || dueOf(st, "evaluation_report") == "" {
			t.Errorf("deadlines %v, want the old assessment (due 2026-07-14) beside the new report", st.Deadlines.Items)
		}
	})
	h.update("2028-06-13", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1", Outcome: "pass"}, ok(t, "late assessment"))
	h.check("2028-06-13", func(st workflows.BrandState) {
		if len(st.Assessing) != 0 || dueOf(st, "evaluation_assessment:EV1") != "" || st.Evaluation == nil {
			t.Errorf("after the assessment: assessing %+v evaluation %+v deadlines %v", st.Assessing, st.Evaluation, st.Deadlines.Items)
		}
	})
	h.run("2028-06-14")
}

// RULES §4 open matters (第十五条（一）, biennial evaluation): a report missed
// while the brand is already rectifying is a level-1 matter of its own. The
// brand admitted 2024-03-16 is ordered to rectify on Mon 2026-03-02 (level 1,
// lapsing to level 2 at the end of 04-02); its evaluation window opens
// 03-16 and the report is due 04-14 (清明 04-04..04-06 skipped). At 24:00
// the late-information order opens beside the ladder, a month to 05-14;
// the report filed on 04-20 closes it, and the level-2 order goes on.
func TestDecision_OpenMatters_MissedReportWhileRectifying(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || dueOf(st, order) != "2026-05-14" || st.Rectification == nil || st.Rectification.Level != 2 {
			t.Errorf("after the missed report: late %+v rectification %+v deadlines %v", st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
	})
	h.later(at("2026-04-20", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-04-20", 9)) })
	h.update("2026-04-20", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "late report"))
	h.check("2026-04-20", func(st workflows.BrandState) {
		if len(st.LateInformation) != 0 || dueOf(st, order) != "" || st.Status != "rectifying" || st.Rectification.Level != 2 {
			t.Errorf("after the late report: %s late %+v rectification %+v", st.Status, st.LateInformation, st.Rectification)
		}
	})
	h.run("2026-04-21")
	if !hasLine(h.actions(), "2026-04-15 00:00 system finding.level1") {
		t.Errorf("no level-1 finding for the missed report: %v", h.actions())
	}
	if e, _ := findEvent(h.events(), "evaluation.reported"); !strings.Contains(e.Note, "整改办结") {
		t.Errorf("report note %q does not say it closed the order", e.Note)
	}
}
