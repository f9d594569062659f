package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/store"
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
// the late-information order opens beside the ladder, ordered 04-15 as an
// ordinary order would be (not on the last day itself), a month to 05-15;
// the report filed on 04-20 closes it, and the level-2 order goes on.
func TestDecision_OpenMatters_MissedReportWhileRectifying(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || st.LateInformation[0].OrderedOn.String() != "2026-04-15" || dueOf(st, order) != "2026-05-15" ||
			st.Rectification == nil || st.Rectification.Level != 2 {
			t.Errorf("after the missed report: late %+v rectification %+v deadlines %v", st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
		// The level-2 order waits for its interview and has no due date of
		// its own: the brand's page must not show the late-information
		// order's as its.
		v, err := h.store.GetBrandView(context.Background(), h.in.BrandID, false)
		if err != nil || v.Rectification == nil || v.Rectification.Level != 2 || v.Rectification.Due != nil {
			t.Errorf("the brand's view (%v) shows the level-2 order as %+v, want level 2 with no due date", err, v.Rectification)
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

// RULES §4 and 第十五条（二）, a second reader's case: the late-information
// order and the level-1 order beside it lapse in the same pass. The brand
// admitted 2024-03-18 misses its report due Thu 2026-04-16: the order, of
// Fri 04-17, runs a month to Sun 05-17, moved to Mon 05-18. The plaque order
// of the same day runs to Mon 05-18 too. At 24:00 both lapse: the ladder
// climbs once, to the interview — not past it to a suspension proposal, as
// when the first lapse replaced the second's order and the second's own
// lapse then found level 2.
func TestDecision_OpenMatters_LateInformationAndALevel1OrderLapsingTogetherClimbOnce(t *testing.T) {
	h := newBrandHarness(t, "2024-03-18")
	h.update("2026-03-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "logo"))
	h.update("2026-04-17", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "标识已规范使用"}, ok(t, "confirm logo"))
	h.update("2026-04-17", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "unauthorized_plaque", Description: "擅自挂牌"}, ok(t, "plaque"))
	h.check("2026-04-17", func(st workflows.BrandState) {
		late := "rectification:FD-B0001-late-2026-04-16"
		if dueOf(st, late) != "2026-05-18" || dueOf(st, "rectification") != "2026-05-18" {
			t.Errorf("the two orders are due %s and %s, want both 2026-05-18", dueOf(st, late), dueOf(st, "rectification"))
		}
	})
	h.check("2026-05-19", func(st workflows.BrandState) {
		r := st.Rectification
		if r == nil || r.Level != 2 || len(st.LateInformation) != 0 {
			t.Errorf("after the lapses: rectification %+v late %+v, want level 2", r, st.LateInformation)
		}
		if got := pendingOf(st); got != "interview 2026-06-02" {
			t.Errorf("pending %q, want the interview (ten working days from 05-19, the day it escalates on), not a suspension proposal", got)
		}
		if deadlineOf(st, "suspension_decision") != nil {
			t.Errorf("a suspension is proposed: %v", st.Deadlines.Items)
		}
	})
	h.run("2026-05-20")
}

// RULES §4 (a decision that replaces a matter says so): a level-2 finding
// replaces the level-1 order running, and its history line names it.
func TestDecision_OpenMatters_ALevel2FindingSaysItReplacesTheLevel1Order(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	h.update("2026-03-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported", Description: "重大事项未报告"}, ok(t, "level 2"))
	h.check("2026-03-05", func(st workflows.BrandState) {
		if r := st.Rectification; r == nil || r.Level != 2 || r.FindingID != "F2" || dueOf(st, "rectification") != "" {
			t.Errorf("after the level-2 finding: %+v, deadlines %v", r, st.Deadlines.Items)
		}
	})
	h.run("2026-03-06")
	var notes []string
	for _, e := range h.events() {
		if e.Action == "finding.level2" {
			notes = append(notes, e.Note)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "本决定取代进行中的1级整改") {
		t.Errorf("the level-2 finding's history lines %q do not name the level-1 order it replaced", notes)
	}
}

// RULES §4 open matters (第十五条（二）: an unremedied level-1 order climbs;
// a lapse adds a matter, it never overwrites another): a late-information
// order whose month runs out beside another level-1 order has no higher
// level to join, and climbs to the interview — while that order runs on as
// one of its own, to its own day (lapse-keeps-level1). The brand admitted
// 2024-03-16 is ordered on Fri 2026-03-20 (logo, level 1, to 04-20); its
// report, due 04-14, is missed: the late-information order of 04-15 runs to
// 05-15. The county confirms the logo on 04-16, and orders a plaque removed
// on 04-20 (level 1, to 05-20). At 24:00 of 05-15 the report is still owed:
// level 2, the interview due ten working days from 05-15 (05-29), and the
// plaque order still due 05-20, the history saying so. Then either the
// county confirms the plaque order by its finding (the level 2 goes on), or
// its month runs out too and it joins the level 2.
func TestDecision_OpenMatters_LateInformationLapsedBesideALevel1OrderClimbs(t *testing.T) {
	t.Run("the plaque order confirmed by its finding", func(t *testing.T) { lapseBesideLevel1(t, plaqueConfirmed) })
	t.Run("the plaque order lapsing in its turn", func(t *testing.T) { lapseBesideLevel1(t, plaqueLapses) })
	t.Run("the level 2 confirmed first: the plaque order is the brand's again", func(t *testing.T) { lapseBesideLevel1(t, level2ConfirmedFirst) })
	t.Run("a suspension replaces the plaque order with the level 2", func(t *testing.T) { lapseBesideLevel1(t, suspendedMeanwhile) })
}

// What follows the report's lapse beside the plaque order.
const (
	plaqueConfirmed = iota
	plaqueLapses
	level2ConfirmedFirst
	suspendedMeanwhile
)

func lapseBesideLevel1(t *testing.T, then int) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-03-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "logo"))
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || st.Rectification == nil || st.Rectification.Level != 1 {
			t.Errorf("after the missed report: late %+v rectification %+v", st.LateInformation, st.Rectification)
		}
	})
	h.update("2026-04-16", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "标识已规范使用"}, ok(t, "confirm logo"))
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "unauthorized_plaque", Description: "擅自挂牌"}, ok(t, "plaque"))
	h.check("2026-05-16", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 2 || r.Reason != "rectification_inadequate" || !r.FromLapse {
			t.Errorf("after the lapse: %s rectification %+v, want level 2 for the report, from the lapse", st.Status, r)
		}
		if got := pendingOf(st); got != "interview 2026-05-29" {
			t.Errorf("pending %q, want interview 2026-05-29", got)
		}
		if len(st.LateInformation) != 1 || st.LateInformation[0].FindingID != "F2" || dueOf(st, "rectification:F2") != "2026-05-20" {
			t.Errorf("the plaque order after the lapse: %+v deadlines %v, want it running on to 2026-05-20", st.LateInformation, st.Deadlines.Items)
		}
		var matters string // on record, as the brand's page lists them
		if err := h.store.Pool().QueryRow(context.Background(), `SELECT open_matters::text FROM brands WHERE id = $1`, h.in.BrandID).Scan(&matters); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(matters, `"id": "F2"`) || !strings.Contains(matters, `"reason": "unauthorized_plaque"`) {
			t.Errorf("open matters on record %s lack the plaque order", matters)
		}
	})
	// The month's last day was level 1's: the interview is on a later day.
	h.refused("2026-05-18", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-05-15"), Note: "约谈"},
		workflows.RejectInvalid, nil)
	switch then {
	case plaqueConfirmed:
		// The level 2 waits for its interview: the plaque order is confirmed
		// by its finding — not by a confirmation naming none (a client that
		// knows of one order only), nor another finding.
		h.refused("2026-05-18", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已撤牌"},
			workflows.RejectConflict, nil)
		h.refused("2026-05-18", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已撤牌", FindingID: "F9"},
			workflows.RejectConflict, nil)
		h.update("2026-05-18", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已撤牌", FindingID: "F2"}, ok(t, "confirm plaque"))
		h.check("2026-05-21", func(st workflows.BrandState) {
			if len(st.LateInformation) != 0 || st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2026-05-29" {
				t.Errorf("after the plaque's confirmation: %+v %+v %q, want the level 2 alone, its interview due", st.LateInformation, st.Rectification, pendingOf(st))
			}
		})
		h.run("2026-05-21")
		var last string
		for _, e := range h.events() {
			if e.Action == "rectification.confirmed" {
				last = e.Note
			}
		}
		if !strings.Contains(last, "1级整改（擅自制作、变造劳务品牌牌匾）已到位") {
			t.Errorf("the confirmation's note %q does not name the plaque order", last)
		}
	case level2ConfirmedFirst:
		// The interview held and the level 2 confirmed while the plaque
		// order runs: that order is the brand's again, to its own day, and
		// climbs by itself when it lapses.
		h.update("2026-05-18", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-05-18"), Note: "约谈"}, ok(t, "interview"))
		h.update("2026-05-19", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已补交报告"}, ok(t, "confirm level 2"))
		h.check("2026-05-19", func(st workflows.BrandState) {
			r := st.Rectification
			if r == nil || r.Level != 1 || r.FindingID != "F2" || len(st.LateInformation) != 0 || dueOf(st, "rectification") != "2026-05-20" {
				t.Errorf("after the level 2's confirmation: %+v late %+v, want the plaque order the brand's, due 2026-05-20", r, st.LateInformation)
			}
		})
		h.check("2026-05-21", func(st workflows.BrandState) {
			if r := st.Rectification; r == nil || r.Level != 2 || r.FindingID != "F2" || pendingOf(st) == "" {
				t.Errorf("after the plaque order's lapse: %+v %q, want its own level 2", r, pendingOf(st))
			}
		})
		h.run("2026-05-21")
		var notes []string
		for _, e := range h.events() {
			if e.Action == "rectification.confirmed" {
				notes = append(notes, e.Note)
			}
		}
		if !strings.Contains(notes[len(notes)-1], "另立的1级整改（擅自制作、变造劳务品牌牌匾）继续进行，至2026-05-20") {
			t.Errorf("the level 2's confirmation %q does not say the plaque order goes on", notes[len(notes)-1])
		}
	case suspendedMeanwhile:
		// 列入严重违法失信名单 while both run: the city's suspension replaces
		// the level 2 and the plaque order alike, and says so.
		h.update("2026-05-18", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
		h.update("2026-05-19", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: city(), Suspend: true, Reason: "失信"}, ok(t, "suspend"))
		h.check("2026-05-21", func(st workflows.BrandState) {
			if st.Status != workflows.BrandStatusSuspended || st.Rectification != nil || len(st.LateInformation) != 0 || dueOf(st, "rectification:F2") != "" {
				t.Errorf("after the suspension: %s %+v late %+v, want both orders replaced", st.Status, st.Rectification, st.LateInformation)
			}
		})
		h.run("2026-05-21")
		if e, _ := findEvent(h.events(), "suspension.decided"); !strings.Contains(e.Note, "取代进行中的2级整改") || !strings.Contains(e.Note, "取代另立的1级整改（擅自制作、变造劳务品牌牌匾）") {
			t.Errorf("the suspension's note %q does not name both orders it replaced", e.Note)
		}
	case plaqueLapses:
		h.check("2026-05-21", func(st workflows.BrandState) {
			if len(st.LateInformation) != 0 || st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2026-05-29" {
				t.Errorf("after the plaque's lapse: %+v %+v %q, want it joined to the level 2", st.LateInformation, st.Rectification, pendingOf(st))
			}
		})
		h.run("2026-05-21")
		var notes []string
		for _, e := range h.events() {
			if e.Action == "rectification.lapsed" {
				notes = append(notes, e.Note)
			}
		}
		if len(notes) != 2 || !strings.Contains(notes[1], "一级整改（擅自制作、变造劳务品牌牌匾）的一个月整改期（至2026-05-20）届满，并入正在进行的整改中处理") {
			t.Errorf("the lapses' notes %q, want the plaque's joining the level 2", notes)
		}
		// The holder is told of the climb to the interview once; the
		// plaque order's joining it is no second order.
		var told int
		if err := h.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE object_id = $1 AND title LIKE '%转为约谈整改%'`,
			h.in.BrandID).Scan(&told); err != nil || told != 1 {
			t.Errorf("the holder was told %d times of the climb to the interview (%v), want once", told, err)
		}
	}
	if e, _ := findEvent(h.events(), "rectification.lapsed"); !strings.Contains(e.Note, "约谈整改") || !strings.Contains(e.Note, "另立一项，仍至2026-05-20") {
		t.Errorf("the lapse's note %q does not say it climbed and kept the plaque order", e.Note)
	}
}

// RULES §4 open matters (第十五条（一）–（三）): a suspension proposal waiting
// for the city when a level-1 month lapses stays open, with its own
// deadline, beside the level-2 order the lapse opens — and the city can
// still decide it. Level 1 ordered Mon 2026-03-02 (due 04-02); the county
// proposes a suspension for 列入严重违法失信名单 on Wed 03-25. At 24:00 of 04-02
// the month lapses: the interview opens beside the proposal. Guards against
// the lapse overwriting the proposal (the hole of issue 17 item 2): then the
// suspension deadline would be gone or moved, and the decision refused.
func TestDecision_OpenMatters_LapseKeepsASuspensionProposal(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	h.update("2026-03-25", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	var proposalDue string
	h.check("2026-03-25", func(st workflows.BrandState) {
		if proposalDue = dueOf(st, "suspension_decision"); proposalDue == "" || st.Rectification == nil || st.Rectification.Level != 1 {
			t.Errorf("after the proposal: %+v deadlines %v, want level 1 beside the suspension proposal", st.Rectification, st.Deadlines.Items)
		}
	})
	h.check("2026-04-03", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || dueOf(st, "interview") == "" {
			t.Errorf("after the lapse: %+v deadlines %v, want the level-2 order with its interview", st.Rectification, st.Deadlines.Items)
		}
		if got := dueOf(st, "suspension_decision"); got != proposalDue {
			t.Errorf("after the lapse the suspension proposal is due %q, want %q as before", got, proposalDue)
		}
		if st.Status != workflows.BrandStatusRectifying {
			t.Errorf("status %s, want rectifying", st.Status)
		}
	})
	h.update("2026-04-07", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-04-07", func(st workflows.BrandState) {
		// The suspension closes the rectification it punishes, the interview included.
		if st.Status != workflows.BrandStatusSuspended || st.Rectification != nil || dueOf(st, "interview") != "" || dueOf(st, "renewal_decision") == "" {
			t.Errorf("after the suspension: %s %+v deadlines %v", st.Status, st.Rectification, st.Deadlines.Items)
		}
	})
	h.run("2026-04-08")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level1",
		"2026-03-25 10:00 county_officer finding.level3",
		"2026-04-03 00:00 system rectification.lapsed",
		"2026-04-07 10:00 city_officer suspension.decided",
	})
	if e, _ := findEvent(h.events(), "suspension.decided"); !strings.Contains(e.Note, "取代进行中的2级整改") {
		t.Errorf("suspension note %q does not name the level-2 order it replaced", e.Note)
	}
}

// RULES §4 open matters (第十五条（三）（四）): a removal report waiting for
// the city when the city suspends the brand stays open with its deadline,
// and the city can still decide it. The county proposes a suspension on Mon
// 2026-03-02 and reports the brand for removal on Wed 03-04 (due 03-18); the
// city suspends on Fri 03-06. Guards against the suspension setting the
// removal aside (the shelved report lost of issue 17): then the removal
// decision would be refused with 409 "当前没有待办的移出决定".
func TestDecision_OpenMatters_SuspensionKeepsARemovalReport(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-03-04", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"serious_violation"}, Description: "严重违法"}, ok(t, "removal report"))
	h.update("2026-03-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-03-06", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusSuspended || dueOf(st, "removal_decision") != "2026-03-18" || dueOf(st, "renewal_decision") == "" {
			t.Errorf("after the suspension: %s deadlines %v, want suspended with the removal (due 2026-03-18) and the renewal open", st.Status, st.Deadlines.Items)
		}
		if pendingOf(st) != "removal 2026-03-18" || st.Pending.Reason != "serious_violation" {
			t.Errorf("pending %q %+v, want the removal report", pendingOf(st), st.Pending)
		}
	})
	h.update("2026-03-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "已暂停，暂不移出"}, ok(t, "removal decision"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusSuspended || dueOf(st, "removal_decision") != "" || dueOf(st, "renewal_decision") == "" || st.SuspensionCount != 1 {
			t.Errorf("after the decline: %s × %d deadlines %v, want still suspended with its renewal", st.Status, st.SuspensionCount, st.Deadlines.Items)
		}
	})
	h.run("2026-03-11")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level3",
		"2026-03-04 10:00 county_officer removal.reported",
		"2026-03-06 10:00 city_officer suspension.decided",
		"2026-03-10 10:00 city_officer removal.declined",
	})
}

// RULES §4 open matters (第十五条 biennial evaluation, 第十五条（一）1): a
// report missed while the brand is suspended opens its own level-1 order
// (late_information, a month) beside the suspension. The brand admitted
// 2024-03-16 is suspended on Wed 2026-03-04; its evaluation opens 03-16 and
// the report is due 04-14. At 24:00 the order opens (of 04-15), due 05-15;
// nobody files, and at 24:00 of 05-15 the order joins the running suspension (no
// interview: the suspension is the higher level), and the history says so.
// Guards against a missed report being ignored while suspended.
func TestDecision_OpenMatters_MissedReportWhileSuspended(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-03-04", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-14", func(st workflows.BrandState) {
		if dueOf(st, "evaluation_report") != "2026-04-14" || len(st.LateInformation) != 0 {
			t.Errorf("before the lapse: late %+v deadlines %v, want the report due 2026-04-14", st.LateInformation, st.Deadlines.Items)
		}
	})
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || dueOf(st, order) != "2026-05-15" || st.Status != workflows.BrandStatusSuspended || st.Rectification != nil {
			t.Errorf("after the missed report: %s late %+v rectification %+v deadlines %v", st.Status, st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
	})
	h.check("2026-05-16", func(st workflows.BrandState) {
		if len(st.LateInformation) != 0 || dueOf(st, order) != "" || dueOf(st, "interview") != "" || st.Rectification != nil || st.Status != workflows.BrandStatusSuspended {
			t.Errorf("after the order's month: %s late %+v rectification %+v deadlines %v", st.Status, st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
	})
	h.run("2026-05-17")
	for _, want := range []string{"2026-04-15 00:00 system finding.level1", "2026-05-16 00:00 system rectification.lapsed"} {
		if !hasLine(h.actions(), want) {
			t.Errorf("no %q in %v", want, h.actions())
		}
	}
	if e, _ := findEvent(h.events(), "rectification.lapsed"); !strings.Contains(e.Note, "并入") {
		t.Errorf("lapse note %q does not say the order joined the suspension", e.Note)
	}
}

// RULES §4 (one thing at a time): a removal decided beside another
// decision whose writes are left to the process (its caller never makes
// them), while a report filed meanwhile wakes the process to read the
// reports, leaves the removed brand with nothing armed and no task. The
// reads of which writes are on record take two seconds, the window in
// which the report's signal arrives. A second reader described an order in
// which the process's own step begins first when the writes land and the
// removal applies in its middle; this test does not reach that order (the
// removal applies first here), so it guards the outcome, not that race.
func TestDecision_ARemovalBesideWritesLeftToTheProcessAndAReportLeavesNothingOpen(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.noCaller = true
	real := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	h.setup = func(env *testsuite.TestWorkflowEnvironment) {
		// The reads of which writes are on record take two seconds: the
		// window in which the report's signal wakes the process.
		env.OnActivity(real.StepsRecorded, mock.Anything, mock.Anything).Return(real.StepsRecorded).After(2 * time.Second)
	}
	h.update("2026-03-03", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(),
		Reasons: []string{"serious_violation"}, Description: "严重违法"}, ok(t, "removal report"))
	h.later(at("2026-03-04", 10), func() {
		h.send("logo", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"},
			ok(t, "finding"))
		h.send("remove", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "严重违法，移出"},
			ok(t, "removal"))
	})
	h.later(at("2026-03-04", 10).Add(time.Second), func() { h.fileReport("RP1", true) })
	h.check("2026-03-05", func(st workflows.BrandState) {
		if st.Status != "removed" || len(st.Deadlines.Items) != 0 {
			t.Errorf("after the removal: %s with deadlines %v, want removed with nothing armed", st.Status, keysOf(st))
		}
	})
	h.run("2026-03-06")
	if tasks := h.strings(`SELECT kind FROM tasks WHERE object_id = $1`); len(tasks) != 0 {
		t.Errorf("the removed brand left tasks %v", tasks)
	}
}
