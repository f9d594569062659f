package workflows_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（二）: a major-information change without a change request is a
// level-2 reason: no month to rectify, the county must record the interview
// within 10 working days of the finding (Mon 2026-03-02 → 03-03..03-16).
func Test第十五条_MajorInfoNotReportedGoesStraightToInterview(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更持有单位未申请变更"}, ok(t, "finding"))
	h.check("2026-03-02", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 2 || r.Reason != "major_info_not_reported" || r.WindowOpen || r.OrderedOn.String() != "2026-03-02" {
			t.Errorf("after the finding: %s %+v", st.Status, r)
		}
		if got := pendingOf(st); got != "interview 2026-03-16" {
			t.Errorf("pending %q, want interview 2026-03-16", got)
		}
		if d := dueOf(st, "rectification"); d != "" {
			t.Errorf("rectification due %s before any interview", d)
		}
	})
	h.run("2026-03-05")
	equal(t, "findings", h.findings(), []string{"F2 major_info_not_reported 2 2026-03-02 officer-anning"})
}

// 第十五条（二）/（三）: the 3-month window runs from the interview's date,
// not the day it is recorded: held Thu 2026-03-19 → 06-19, 端午 (06-19..06-21)
// → Mon 06-22. Unrectified, at 24:00 of 06-22 the process proposes a
// suspension to the city (level 3), the decision due 10 working days after
// the window's last day: 06-23..07-06.
func Test第十五条_InterviewWindowLapsesToSuspensionProposal(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-16", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更品牌名称未申请变更"}, ok(t, "finding"))
	h.check("2026-03-16", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "interview 2026-03-30" {
			t.Errorf("pending %q, want interview 2026-03-30", got)
		}
	})
	h.update("2026-03-20", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-19"), Note: "约谈法定代表人"}, ok(t, "interview"))
	h.check("2026-03-20", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 2 || !r.WindowOpen || r.OrderedOn.String() != "2026-03-19" || st.Pending != nil {
			t.Errorf("after the interview: %s %+v pending %+v", st.Status, r, st.Pending)
		}
		if d := deadlineOf(st, "rectification"); d == nil || d.Value().Due.String() != "2026-06-22" || !d.Value().DueAt.Equal(at("2026-06-23", 0)) {
			t.Errorf("3-month window %+v, want due 2026-06-22 at 24:00", d)
		}
		if d := dueOf(st, "interview"); d != "" {
			t.Errorf("the interview deadline %s outlived the interview", d)
		}
	})
	h.check("2026-06-22", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Pending != nil {
			t.Errorf("on the window's last day: %+v pending %+v, want still rectifying", st.Rectification, st.Pending)
		}
	})
	h.check("2026-06-23", func(st workflows.BrandState) {
		// RULES §4: the unremedied order stays open while the city decides; no window runs.
		if r := st.Rectification; st.Status != "rectifying" || r == nil || r.Level != 2 || r.WindowOpen || dueOf(st, "rectification") != "" {
			t.Errorf("after the window: %s rectification %+v window due %q; want rectifying at level 2, no window", st.Status, r, dueOf(st, "rectification"))
		}
		if got := pendingOf(st); got != "suspension 2026-07-07" || st.Pending.Reason != "level2_lapsed" {
			t.Errorf("pending %q (%+v), want suspension 2026-07-07 (ten working days from 06-23, the day it escalates on) for level2_lapsed", got, st.Pending)
		}
		if r := h.row(); r.Pending["kind"] != "suspension" || r.Pending["due"] != "2026-07-07" {
			t.Errorf("brand row pending %v", r.Pending)
		}
	})
	// 整改措施不力 found while the city decides joins the proposal: the
	// interview was held, the order is not before it.
	h.update("2026-06-24", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3",
		Reason: "rectification_measures_inadequate", Description: "整改措施不力"}, ok(t, "measures inadequate"))
	h.check("2026-06-24", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "suspension 2026-07-07" || st.Pending.Reason != "level2_lapsed,rectification_measures_inadequate" {
			t.Errorf("pending %q (%+v), want the one proposal with both reasons", got, st.Pending)
		}
	})
	h.run("2026-06-24")

	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-16 10:00 county_officer finding.level2",
		"2026-03-20 10:00 county_officer interview.held",
		"2026-06-23 00:00 system rectification.lapsed",
		"2026-06-24 10:00 county_officer finding.level3",
	})
	if e, _ := findEvent(h.events(), "interview.held"); !strings.Contains(e.Note, "2026-03-19") {
		t.Errorf("interview note %q does not give the interview's date", e.Note)
	}
	if !hasLine(h.audits(), "2026-06-23 00:00 system system brand.rectification.lapsed") {
		t.Errorf("no system audit entry for the lapse: %v", h.audits())
	}
}

// 第十五条（三）: a brand listed as seriously illegal and dishonest goes
// straight to a suspension proposal to the city, due 10 working days after
// the finding (Mon 2026-03-02 → 03-16); no rectification is opened.
func Test第十五条_SeriousDishonestyListProposesSuspension(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3",
		Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "finding"))
	h.check("2026-03-02", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "suspension 2026-03-16" || st.Pending.Reason != "serious_dishonesty_list" {
			t.Errorf("pending %q %+v, want suspension 2026-03-16 for serious_dishonesty_list", got, st.Pending)
		}
		if st.Rectification != nil || st.Status != "active" {
			t.Errorf("status %s rectification %+v, want active without rectification until the city decides", st.Status, st.Rectification)
		}
	})
	// The same finding again while its proposal waits is a conflict.
	h.refused("2026-03-03", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F4",
		Reason: "serious_dishonesty_list", Description: "重复"}, workflows.RejectConflict, nil)
	h.run("2026-03-04")
	equal(t, "findings", h.findings(), []string{"F3 serious_dishonesty_list 3 2026-03-02 officer-anning"})
}

// 第十五条（三）, RULES §4: 整改措施不力 (rectification_measures_inadequate)
// during a level-2 order lets the county propose suspension before the
// three months end; the brand stays rectifying at level 2 while the city
// decides. Outside level 2 the code is refused, and at level 2 until the
// interview is recorded: 第十五条（三）1 is of a brand 被约谈.
func Test第十五条_MeasuresInadequateProposesSuspensionDuringLevel2(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	inadequate := workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "rectification_measures_inadequate", Description: "整改措施不力"}
	h.refused("2026-03-02", workflows.UpdateFinding, inadequate, workflows.RejectConflict, nil)
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更持有单位未申请"}, ok(t, "level 2"))
	h.refused("2026-03-04", workflows.UpdateFinding, inadequate, workflows.RejectConflict, nil)
	h.update("2026-03-05", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-05"), Note: "约谈"}, ok(t, "interview"))
	h.update("2026-04-01", workflows.UpdateFinding, inadequate, ok(t, "measures inadequate"))
	h.check("2026-04-01", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "suspension 2026-04-16" {
			t.Errorf("after 整改措施不力: %s rectification %+v pending %q", st.Status, st.Rectification, pendingOf(st))
		}
	})
	h.update("2026-04-08", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "整改措施不力"}, ok(t, "suspension"))
	h.run("2026-05-30")
	h.check("2026-05-30", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 1 || st.Rectification != nil {
			t.Errorf("after the suspension: %s count %d rectification %+v", st.Status, st.SuspensionCount, st.Rectification)
		}
	})
}

// 第十五条（三）, RULES §4: while the city decides the suspension a lapsed
// level-2 order led to, the brand stays rectifying at level 2; if the city
// declines, the order continues with a new three-month window from the
// decision (Tue 2026-06-30 → Wed 09-30).
func Test第十五条_DeclinedSuspensionContinuesTheLevel2Order(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-16", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更品牌名称未申请变更"}, ok(t, "finding"))
	h.update("2026-03-20", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-19"), Note: "约谈"}, ok(t, "interview"))
	h.check("2026-06-24", func(st workflows.BrandState) {
		if st.Status != "rectifying" || pendingOf(st) != "suspension 2026-07-07" {
			t.Errorf("while the city decides: %s pending %q; want rectifying, suspension 2026-07-07", st.Status, pendingOf(st))
		}
		if r := h.row(); r.Status != "rectifying" {
			t.Errorf("brand row status %s, want rectifying", r.Status)
		}
	})
	h.update("2026-06-30", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: false, Reason: "已部分整改"}, ok(t, "decline"))
	h.check("2026-06-30", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 2 || !r.WindowOpen || r.OrderedOn.String() != "2026-06-30" || st.Pending != nil {
			t.Errorf("after the decline: %s %+v pending %+v", st.Status, r, st.Pending)
		}
		if got := dueOf(st, "rectification"); got != "2026-09-30" {
			t.Errorf("new window due %q, want 2026-09-30", got)
		}
		if dueOf(st, "suspension_decision") != "" {
			t.Errorf("the suspension deadline outlived its proposal")
		}
	})
	h.update("2026-07-15", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "整改到位"}, ok(t, "confirm"))
	h.check("2026-07-16", func(st workflows.BrandState) {
		if st.Status != "active" || st.Rectification != nil || dueOf(st, "rectification") != "" {
			t.Errorf("after the confirmation: %s %+v window %q; want active, no order, no window", st.Status, st.Rectification, dueOf(st, "rectification"))
		}
	})
	h.run("2026-07-17")
}
