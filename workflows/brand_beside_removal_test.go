package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §4 open matters: a removal waiting for the city is a matter of its
// own kind. A 失信 listing found meanwhile opens its suspension proposal
// beside it (it used to be refused), so the city's declining the removal
// leaves the listing still before it; a county's removal report with a new
// reason joins the removal waiting, and the same report again is refused.
func TestDecision_OpenMatters_ALevel3FindingOpensBesideARemovalWaiting(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"dissolved_or_inactive"},
		Description: "两年以上不开展经营活动"}, ok(t, "removal report"))
	h.update("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3 beside the removal"))
	h.refused("2026-03-05", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"dissolved_or_inactive"},
		Description: "再报"}, workflows.RejectConflict, nil)
	h.update("2026-03-05", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"serious_violation"},
		Description: "严重违法"}, ok(t, "a new reason joins the removal"))
	h.check("2026-03-05", func(st workflows.BrandState) {
		if d := deadlineOf(st, "removal_decision"); d == nil || d.Reason != "dissolved_or_inactive,serious_violation" || d.Value().Due.String() != "2026-03-16" {
			t.Errorf("the removal waiting: %+v, want both reasons, due 2026-03-16 as first reported", d)
		}
		if dueOf(st, "suspension_decision") != "2026-03-18" {
			t.Errorf("deadlines %v, want the suspension proposal due 2026-03-18 beside the removal", st.Deadlines.Items)
		}
	})
	h.update("2026-03-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "证据不足"}, ok(t, "decline"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if dueOf(st, "removal_decision") != "" || pendingOf(st) != "suspension 2026-03-18" {
			t.Errorf("after the decline: pending %q deadlines %v, want the suspension still to decide", pendingOf(st), st.Deadlines.Items)
		}
	})
	h.run("2026-03-11")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer removal.reported",
		"2026-03-04 10:00 county_officer finding.level3",
		"2026-03-05 10:00 county_officer removal.reported",
		"2026-03-10 10:00 city_officer removal.declined",
	})
}

// RULES §4 open matters: a level-2 finding (重大信息变更后未提出更改申请)
// while a removal waits opens its interview beside it.
func TestDecision_OpenMatters_ALevel2FindingOpensBesideARemovalWaiting(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"fraud"},
		Description: "申报材料造假"}, ok(t, "removal report"))
	h.update("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported",
		Description: "变更持有单位未申请"}, ok(t, "level 2 beside the removal"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if st.Status != "rectifying" || dueOf(st, "interview") != "2026-03-18" || dueOf(st, "removal_decision") != "2026-03-16" {
			t.Errorf("%s deadlines %v, want rectifying with the interview and the removal both open", st.Status, st.Deadlines.Items)
		}
	})
	h.run("2026-03-05")
}

// 第十五条（二）1: 一级整改期满未整改到位 presupposes a level-1 order: with
// none running it is refused (it used to open level 2 straight away); while
// one runs it raises the order to level 2.
func Test第十五条_RectificationInadequateNeedsALevel1Order(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.refused("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "rectification_inadequate",
		Description: "整改不到位"}, workflows.RejectConflict, nil)
	h.update("2026-03-03", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "logo_misuse",
		Description: "标识使用不规范"}, ok(t, "level 1"))
	h.update("2026-03-10", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "rectification_inadequate",
		Description: "整改措施不力"}, ok(t, "level 1 raised to level 2"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if r := st.Rectification; r == nil || r.Level != 2 || r.FindingID != "F3" {
			t.Errorf("rectification %+v, want level 2 by F3", r)
		}
	})
	h.run("2026-03-11")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-03 10:00 county_officer finding.level1",
		"2026-03-10 10:00 county_officer finding.level2",
	})
}

// 第十五条 biennial evaluation: a report belongs to its window; one for
// another period is refused by field (it used to close this window's
// matter with other years on record).
func Test第十五条_AnEvaluationReportIsForItsWindow(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.refused("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV0", Period: "2020-2022"},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if len(r.Fields) != 1 || r.Fields[0].Field != "period" || r.Fields[0].Message != "当前评估周期为 2024-2026，请按该周期填报" {
				t.Errorf("refused with %+v, want the field period naming 2024-2026", r.Fields)
			}
		})
	h.later(at("2026-06-15", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-06-15", 9)) })
	h.update("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "report"))
	h.run("2026-06-16")
}

// RULES §4 open matters, 附件2: a holder has at most MaxOpenChanges change
// requests under review; the next is refused (409 too_many_open_changes)
// until one is decided, so filing cannot grow the process's state.
func TestDecision_OpenMatters_ChangeRequestsUnderReviewAreBounded(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	for i := range workflows.MaxOpenChanges {
		id := fmt.Sprintf("C%d", i+1)
		h.later(at("2026-03-02", 9), func() { h.saveChange(id) })
		h.update("2026-03-02", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: brandHolder(), ChangeID: id}, ok(t, "change "+id))
	}
	h.refused("2026-03-03", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: brandHolder(), ChangeID: "C9"}, workflows.RejectConflict,
		func(r workflows.Rejection) {
			if r.Code != "too_many_open_changes" {
				t.Errorf("refused with %+v, want too_many_open_changes", r)
			}
		})
	h.update("2026-03-04", workflows.UpdateChangeOpinion, workflows.ChangeOpinionRequest{Actor: county530181(), ChangeID: "C1", Approve: false, Opinion: "不同意"}, ok(t, "C1 declined"))
	h.later(at("2026-03-05", 9), func() { h.saveChange("C4") })
	h.update("2026-03-05", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: brandHolder(), ChangeID: "C4"}, ok(t, "a change once one is decided"))
	h.run("2026-03-06")
}

// saveChange stores change request id as the API does before it hands it
// to the process.
func (h *brandHarness) saveChange(id string) {
	if _, err := h.store.SaveChange(context.Background(), store.NewChange{ID: id, BrandID: h.in.BrandID, Changes: map[string]any{"contact_phone": "0871-" + id},
		Reason: "联系电话变更", RequestedAt: h.env.Now(), RequestedBy: "holder"}); err != nil {
		h.t.Fatal(err)
	}
}

// RULES §4 open matters: a level-2 finding (重大信息变更后未提出更改申请)
// while a suspension proposal waits opens its interview beside it, as a
// level-1 order lapsing there does. The county proposes a suspension on Mon
// 2026-03-02 (due 03-16) and finds the unreported change on Wed 03-04 (the
// interview due 03-18); the city declines the suspension on Fri 03-06 and
// the level-2 order goes on. Guards against the finding being refused (409
// 下达二级整改（已提请市级决定）), which left the breach with no order once
// the city declined.
func TestDecision_OpenMatters_ALevel2FindingOpensBesideASuspensionProposal(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported",
		Description: "变更持有单位未申请"}, ok(t, "level 2 beside the suspension proposal"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusRectifying || st.Rectification == nil || st.Rectification.Level != 2 ||
			dueOf(st, "interview") != "2026-03-18" || dueOf(st, "suspension_decision") != "2026-03-16" {
			t.Errorf("%s %+v deadlines %v, want level 2 with its interview due 2026-03-18 beside the proposal due 2026-03-16",
				st.Status, st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-03-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: false, Reason: "已移出失信名单"}, ok(t, "decline"))
	h.check("2026-03-06", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusRectifying || st.Rectification == nil || st.Rectification.FindingID != "F2" || pendingOf(st) != "interview 2026-03-18" {
			t.Errorf("after the decline: %s %+v pending %q, want the level-2 order of F2 with its interview due 2026-03-18",
				st.Status, st.Rectification, pendingOf(st))
		}
	})
	h.run("2026-03-07")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level3",
		"2026-03-04 10:00 county_officer finding.level2",
		"2026-03-06 10:00 city_officer suspension.declined",
	})
}

// RULES §4 open matters: a report missed while a suspension proposal waits,
// and nothing else runs, opens a late-information order of its own
// (late_information, a month), so that the suspension, when decided, does
// not close it — the information is still owed. The brand admitted
// 2024-03-16 is proposed for suspension on Wed 2026-04-08 (due 04-22); its
// report is due 04-14, and at 24:00 the order opens (of 04-15, due 05-15);
// the city suspends on Mon 04-20 and the order runs on beside the
// suspension. Guards against the order being the brand's ordinary one,
// which the suspension replaced (本决定取代进行中的1级整改).
func TestDecision_OpenMatters_MissedReportWhileASuspensionProposalWaits(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-04-08", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || dueOf(st, order) != "2026-05-15" || st.Rectification != nil ||
			st.Status != workflows.BrandStatusRectifying || dueOf(st, "suspension_decision") != "2026-04-22" {
			t.Errorf("after the missed report: %s late %+v rectification %+v deadlines %v, want the order of its own due 2026-05-15 beside the proposal",
				st.Status, st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-04-20", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-04-20", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusSuspended || len(st.LateInformation) != 1 || dueOf(st, order) != "2026-05-15" {
			t.Errorf("after the suspension: %s late %+v deadlines %v, want the late-information order still due 2026-05-15",
				st.Status, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-21")
	if e, _ := findEvent(h.events(), "suspension.decided"); strings.Contains(e.Note, "取代") {
		t.Errorf("the suspension's note %q says it replaced an order; the late-information order is not one it punishes", e.Note)
	}
	if !hasLine(h.actions(), "2026-04-15 00:00 system finding.level1") {
		t.Errorf("history %v, want the late-information order at 24:00 of 04-14", h.actions())
	}
}

// RULES §4 open matters and 第十五条（二）1: the order for a report missed
// while a suspension proposal waits runs of its own (of 04-15, due 05-15).
// On Mon 04-20 the county finds it inadequately rectified: the finding is
// about this very order, which climbs to the interview as its lapse would —
// closed, and named in the finding's history line. Before, the level 2
// opened and the order ran on beside it, one order as two matters, to
// lapse into the level 2 it had led to.
func TestDecision_OpenMatters_AnOrderOfItsOwnFoundInadequateClimbs(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-04-08", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-15", func(st workflows.BrandState) {
		if len(st.LateInformation) != 1 || st.Rectification != nil || dueOf(st, order) != "2026-05-15" {
			t.Errorf("after the missed report: late %+v rectification %+v deadlines %v, want the order of its own",
				st.LateInformation, st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "rectification_inadequate",
		Description: "补交报告的整改不到位"}, ok(t, "level 2"))
	h.check("2026-04-20", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || len(st.LateInformation) != 0 || dueOf(st, order) != "" ||
			dueOf(st, "interview") == "" || dueOf(st, "suspension_decision") != "2026-04-22" {
			t.Errorf("after the finding: %+v late %+v deadlines %v, want the order climbed to the interview, the proposal still waiting",
				st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-21")
	if e, _ := findEvent(h.events(), "finding.level2"); !strings.Contains(e.Note, "取代进行中的“未按时提供相关信息”整改") {
		t.Errorf("the finding's note %q does not name the order it climbed", e.Note)
	}
}

// RULES §4 open matters, the other order: a report missed with nothing
// running is the brand's ordinary level-1 order (of 2026-04-15, due 05-15);
// a level-3 finding on Mon 04-20 proposes a suspension, which the city
// decides on Wed 04-22. The suspension replaces the order it punishes, but
// not this one: the information is still owed, and the order runs on as one
// of its own, as it would had the report been missed after the proposal.
// Guards against the suspension's 本决定取代进行中的1级整改 closing it.
func TestDecision_OpenMatters_ASuspensionKeepsTheOrderForAMissedReport(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.check("2026-04-15", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Reason != "late_information" || dueOf(st, "rectification") != "2026-05-15" {
			t.Errorf("after the missed report: %+v deadlines %v, want the ordinary order due 2026-05-15", st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-04-22", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-04-22", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusSuspended || st.Rectification != nil || len(st.LateInformation) != 1 ||
			dueOf(st, order) != "2026-05-15" || dueOf(st, "rectification") != "" {
			t.Errorf("after the suspension: %s %+v late %+v deadlines %v, want suspended with the order of its own still due 2026-05-15",
				st.Status, st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-23")
	if e, _ := findEvent(h.events(), "suspension.decided"); strings.Contains(e.Note, "取代") {
		t.Errorf("the suspension's note %q says it replaced the order for the missed report", e.Note)
	}
}

// The same, when the report was filed late before the suspension: the
// ordinary order then closes by the county's confirmation alone (the
// information was given), so the suspension replaces it as it replaces any
// level-1 order, and says so. Guards against keeping an order no report
// could close and whose month would lapse for information already given.
func TestDecision_OpenMatters_ASuspensionReplacesTheOrderOfAReportFiledLate(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.later(at("2026-04-16", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-04-16", 9)) })
	h.update("2026-04-16", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "late report"))
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-04-22", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-04-22", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusSuspended || st.Rectification != nil || len(st.LateInformation) != 0 ||
			dueOf(st, "rectification:FD-B0001-late-2026-04-14") != "" {
			t.Errorf("after the suspension: %s %+v late %+v deadlines %v, want suspended and no order left",
				st.Status, st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-23")
	if e, _ := findEvent(h.events(), "suspension.decided"); !strings.Contains(e.Note, "取代进行中的1级整改") {
		t.Errorf("the suspension's note %q does not say it replaced the level-1 order", e.Note)
	}
}

// RULES §4 open matters, the level-2 finding (a second reader's case): a
// report missed with nothing running is the brand's ordinary level-1 order
// (of 2026-04-15, due 05-15); on Mon 04-20 the county finds a major change
// unreported (level 2). The level 2 replaces the brand's order, but not this
// one: the information is still owed, as under a suspension, and the order
// runs on as one of its own — the late report, filed on 04-24, closes it.
// Before, the level 2 replaced it, and once the level 2 was confirmed the
// brand stood active with its report owed and nothing open for it.
func TestDecision_OpenMatters_ALevel2FindingKeepsTheOrderForAMissedReport(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	const order = "rectification:FD-B0001-late-2026-04-14"
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported",
		Description: "变更持有单位未申请"}, ok(t, "level 2"))
	h.check("2026-04-20", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || len(st.LateInformation) != 1 ||
			dueOf(st, order) != "2026-05-15" || dueOf(st, "rectification") != "" || dueOf(st, "interview") == "" {
			t.Errorf("after the level-2 finding: %+v late %+v deadlines %v, want the interview to hold and the order of its own still due 2026-05-15",
				st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.later(at("2026-04-24", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-04-24", 9)) })
	h.update("2026-04-24", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "late report"))
	h.check("2026-04-24", func(st workflows.BrandState) {
		if len(st.LateInformation) != 0 || dueOf(st, order) != "" || st.Rectification == nil || st.Rectification.Level != 2 {
			t.Errorf("after the late report: %+v late %+v deadlines %v, want the order closed and the level 2 running",
				st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-25")
	e, _ := findEvent(h.events(), "finding.level2")
	if !strings.Contains(e.Note, "另立一项") || strings.Contains(e.Note, "取代") {
		t.Errorf("the level-2 finding's note %q, want the missed report's order kept as one of its own, nothing replaced", e.Note)
	}
}

// The same order found inadequately rectified (rectification_inadequate,
// 第十五条（二）1) is not kept beside the level 2: the finding is about this
// very order, which climbs to the interview as its lapse would.
func TestDecision_OpenMatters_TheMissedReportsOrderFoundInadequateClimbs(t *testing.T) {
	h := newBrandHarness(t, "2024-03-16")
	h.update("2026-04-20", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "rectification_inadequate",
		Description: "整改不到位"}, ok(t, "level 2"))
	h.check("2026-04-20", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || len(st.LateInformation) != 0 ||
			dueOf(st, "rectification:FD-B0001-late-2026-04-14") != "" || dueOf(st, "rectification") != "" {
			t.Errorf("after the finding: %+v late %+v deadlines %v, want the order climbed to level 2 and nothing kept beside it",
				st.Rectification, st.LateInformation, st.Deadlines.Items)
		}
	})
	h.run("2026-04-21")
}
