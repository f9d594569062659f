package workflows_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（一）–（四）, RULES §4: discretionary steps need the right
// officer — the brand's own county for findings, confirmations, interviews
// and removal reports; the city for suspensions and removals — and a step
// with nothing to act on is a conflict that says what the brand's standing
// is. Refusals leave no trace.
func Test第十五条_OfficersActOnlyInTheirRoleAndCounty(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	wantForbidden := func(what string) func(workflows.Rejection) {
		return func(r workflows.Rejection) {
			if r.Code != "forbidden" {
				t.Errorf("%s: %+v, want code forbidden", what, r)
			}
		}
	}
	level1 := workflows.FindingRequest{FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}

	// On an active brand.
	other := level1
	other.Actor = county530102()
	h.refused("2026-03-02", workflows.UpdateFinding, other, workflows.RejectForbidden, wantForbidden("another county's finding"))
	byHolder := level1
	byHolder.Actor = brandHolder()
	h.refused("2026-03-02", workflows.UpdateFinding, byHolder, workflows.RejectForbidden, nil)
	h.refused("2026-03-02", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530102(), Reason: "fraud", Description: "x"}, workflows.RejectForbidden, nil)
	h.refused("2026-03-02", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: cityOfficer(), Reason: "fraud", Description: "x"}, workflows.RejectForbidden, nil)
	h.refused("2026-03-02", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: county530181(), Suspend: true, Reason: "x"}, workflows.RejectForbidden, nil)
	h.refused("2026-03-02", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-02")}, workflows.RejectConflict,
		func(r workflows.Rejection) {
			if r.Details["status"] != "active" || r.Details["pending_decision"] != "" {
				t.Errorf("interview with none pending: details %v, want status active and no pending decision", r.Details)
			}
		})
	h.refused("2026-03-02", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "x"}, workflows.RejectConflict, nil)
	h.refused("2026-03-02", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "x"}, workflows.RejectConflict, nil)
	h.refused("2026-03-02", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1"}, workflows.RejectConflict,
		func(r workflows.Rejection) {
			if r.Code != "no_open_evaluation" || r.Details["next_evaluation"] != "2027-06-10" {
				t.Errorf("report outside a window: %+v", r)
			}
		})
	unknown := level1
	unknown.Actor, unknown.Reason = county530181(), "late_payment"
	h.refused("2026-03-02", workflows.UpdateFinding, unknown, workflows.RejectInvalid, func(r workflows.Rejection) {
		if len(r.Fields) != 1 || r.Fields[0].Field != "reason" {
			t.Errorf("unknown reason: %+v", r)
		}
	})

	// With a level-1 rectification running: only the brand's county confirms.
	own := level1
	own.Actor = county530181()
	h.update("2026-03-03", workflows.UpdateFinding, own, ok(t, "finding"))
	h.refused("2026-03-04", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: cityOfficer()}, workflows.RejectForbidden, nil)
	h.refused("2026-03-04", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530102()}, workflows.RejectForbidden, wantForbidden("another county's confirmation"))
	h.refused("2026-03-04", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: brandHolder()}, workflows.RejectForbidden, nil)
	h.update("2026-03-05", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"}, ok(t, "confirm"))

	// With an interview pending: the county, with a date between the order
	// and today.
	h.update("2026-03-09", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported", Description: "x"}, ok(t, "level 2"))
	h.refused("2026-03-10", workflows.UpdateInterview, workflows.InterviewRequest{Actor: cityOfficer(), HeldOn: date("2026-03-10")}, workflows.RejectForbidden, nil)
	h.refused("2026-03-10", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530102(), HeldOn: date("2026-03-10")}, workflows.RejectForbidden, nil)
	for _, held := range []string{"2026-03-11", "2026-03-06"} {
		h.refused("2026-03-10", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date(held)}, workflows.RejectInvalid,
			func(r workflows.Rejection) {
				if len(r.Fields) != 1 || r.Fields[0].Field != "held_on" {
					t.Errorf("interview held %s: %+v", held, r)
				}
			})
	}
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Status != "rectifying" || pendingOf(st) != "interview 2026-03-23" || st.Rectification.Level != 2 {
			t.Errorf("after the refusals: %s %q %+v", st.Status, pendingOf(st), st.Rectification)
		}
	})
	h.run("2026-03-11")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-03 10:00 county_officer finding.level1",
		"2026-03-05 10:00 county_officer rectification.confirmed",
		"2026-03-09 10:00 county_officer finding.level2",
	})
}
