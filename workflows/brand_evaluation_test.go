package workflows_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条, RULES §4 Decision: admitted 2024-06-10, the evaluation window
// opens on the second anniversary, Wed 2026-06-10 (a new cycle: the process
// continues as new), and the report is due 20 working days later, Thu
// 07-09 (06-19 is 端午). Missed, it is the level-1 case 未按时提供相关信息:
// at 24:00 the process orders the rectification itself, on 07-10, due a
// month later, Mon 2026-08-10.
func Test第十五条_MissedEvaluationReportOrdersLevel1(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.check("2026-06-10", func(st workflows.BrandState) {
		e := st.Evaluation
		if e == nil || e.Period != "2024-2026" || e.OpensOn.String() != "2026-06-10" || st.Cycle != 1 || st.NextEvaluation.String() != "2028-06-10" {
			t.Errorf("window: %+v cycle %d next %s", e, st.Cycle, st.NextEvaluation)
		}
		if d := deadlineOf(st, "evaluation_report"); d == nil || d.Value().Due.String() != "2026-07-09" || d.Value().Provisional {
			t.Errorf("report deadline %+v, want 2026-07-09, official", d)
		}
		if r := h.row(); r.Pending["kind"] != "evaluation_report" || r.Pending["due"] != "2026-07-09" || r.NextEvaluation != "2026-07-09" {
			t.Errorf("brand row: pending %v next evaluation due %s", r.Pending, r.NextEvaluation)
		}
	})
	h.check("2026-07-09", func(st workflows.BrandState) {
		if st.Rectification != nil || st.Status != "active" {
			t.Errorf("on the last day: %s %+v", st.Status, st.Rectification)
		}
	})
	h.check("2026-07-10", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 1 || r.Reason != "late_information" || r.OrderedOn.String() != "2026-07-10" {
			t.Errorf("after the missed report: %s %+v", st.Status, r)
		}
		if d := dueOf(st, "rectification"); d != "2026-08-10" {
			t.Errorf("rectification due %s, want 2026-08-10", d)
		}
		if st.Evaluation == nil || !st.Evaluation.ReportLate || dueOf(st, "evaluation_report") != "" {
			t.Errorf("evaluation %+v, report deadline %q", st.Evaluation, dueOf(st, "evaluation_report"))
		}
	})
	h.run("2026-07-11")

	if len(h.runs) != 2 || !h.runs[0].End.Equal(at("2026-06-10", 0)) {
		t.Errorf("runs %d, first ending %s; want a continue-as-new at 2026-06-10 00:00", len(h.runs), h.runs[0].End)
	}
	equal(t, "history", h.actions(), []string{
		"2024-06-10 09:00 system admitted",
		"2026-06-10 00:00 system evaluation.opened",
		"2026-07-10 00:00 system finding.level1",
	})
	equal(t, "findings", h.findings(), []string{"FD-B0001-late-2026-07-09 late_information 1 2026-07-10 system"})
	// The holder was reminded 5 and 1 working days before the due day.
	equal(t, "report reminders", h.alerts("evaluation_report"), []string{
		"reminder applicant 2026-07-02 09:00 due 2026-07-09",
		"reminder city_officer 2026-07-02 09:00 due 2026-07-09",
		"reminder applicant 2026-07-08 09:00 due 2026-07-09",
		"reminder city_officer 2026-07-08 09:00 due 2026-07-09",
	})
}

// 第十五条: the holder files on Mon 2026-06-15; the city's comprehensive
// assessment is due 20 working days later, Tue 07-14. Its outcome on Wed
// 07-01: pass; findings, which open a level-1 rectification due a month
// later (08-01 is a Saturday → Mon 08-03); or no longer eligible, a removal
// proposal due 10 working days later (07-15).
func Test第十五条_EvaluationAssessmentHasThreeOutcomes(t *testing.T) {
	for _, tc := range []struct {
		name, outcome string
		want          func(t *testing.T, st workflows.BrandState)
		action        string
	}{
		{"第十五条 综合评估 pass", "pass", func(t *testing.T, st workflows.BrandState) {
			if st.Status != "active" || st.Rectification != nil || st.Pending != nil {
				t.Errorf("after pass: %s %+v %+v", st.Status, st.Rectification, st.Pending)
			}
		}, "evaluation.pass"},
		{"第十五条 综合评估 findings → 第十五条（一）", "findings", func(t *testing.T, st workflows.BrandState) {
			r := st.Rectification
			if st.Status != "rectifying" || r == nil || r.Level != 1 || r.Reason != "evaluation_findings" || r.FindingID != "FD-EV1" || dueOf(st, "rectification") != "2026-08-03" {
				t.Errorf("after findings: %s %+v due %s, want level 1 due 2026-08-03", st.Status, r, dueOf(st, "rectification"))
			}
		}, "evaluation.findings"},
		{"第十五条 综合评估 removal_proposed → 第十五条（四）", "removal_proposed", func(t *testing.T, st workflows.BrandState) {
			if pendingOf(st) != "removal 2026-07-15" || st.Pending.Reason != "no_longer_eligible" {
				t.Errorf("after removal_proposed: pending %+v, want removal 2026-07-15 for no_longer_eligible", st.Pending)
			}
		}, "evaluation.removal_proposed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newBrandHarness(t, "2024-06-10")
			h.later(at("2026-06-15", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-06-15", 9)) })
			h.update("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "report"))
			h.check("2026-06-15", func(st workflows.BrandState) {
				if st.Evaluation == nil || st.Evaluation.ReportID != "EV1" || dueOf(st, "evaluation_report") != "" || dueOf(st, "evaluation_assessment") != "2026-07-14" {
					t.Errorf("after the report: %+v deadlines %v", st.Evaluation, st.Deadlines.Items)
				}
				if r := h.row(); r.Pending["kind"] != "evaluation_assessment" || r.Pending["due"] != "2026-07-14" {
					t.Errorf("brand row pending %v, want evaluation_assessment 2026-07-14", r.Pending)
				}
			})
			// A second report for the same cycle is a conflict.
			h.refused("2026-06-16", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV2", Period: "2024-2026"}, workflows.RejectConflict, nil)
			h.update("2026-07-01", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1",
				Outcome: workflows.AssessmentOutcome(tc.outcome), Opinion: "综合评估意见"}, ok(t, "assessment"))
			h.check("2026-07-01", func(st workflows.BrandState) {
				if st.Evaluation != nil || dueOf(st, "evaluation_assessment") != "" {
					t.Errorf("the evaluation is still open: %+v", st.Evaluation)
				}
				tc.want(t, st)
			})
			h.run("2026-07-20")

			equal(t, "history", h.actions(), []string{
				"2024-06-10 09:00 system admitted",
				"2026-06-10 00:00 system evaluation.opened",
				"2026-06-15 10:00 applicant evaluation.reported",
				"2026-07-01 10:00 city_officer " + tc.action,
			})
			var outcome, by string
			if err := h.store.Pool().QueryRow(context.Background(), `SELECT outcome, assessed_by FROM evaluations WHERE id = 'EV1'`).Scan(&outcome, &by); err != nil || outcome != tc.outcome || by != "city" {
				t.Errorf("evaluations row: %s by %s (%v)", outcome, by, err)
			}
		})
	}
}

// 第十五条 综合评估 with RULES §4 open matters: the city's assessment is its
// own matter, concluded by its own decision even while the brand is already
// rectifying. The brand (admitted 2024-06-10) is ordered on Mon 2026-06-01
// to rectify its logo (level 1, to 07-01); the holder files on 06-15; on
// 06-22 the city finds problems. Before, that was refused (409) until the
// county confirmed the logo, while the assessment's deadline escalated. Now
// the assessment is recorded, its findings join the running order — no
// second order, the history saying so — and the county's confirmation on
// 06-25 leaves the brand active with nothing open.
func Test第十五条_AssessmentFindingsWhileRectifyingJoinTheRunningOrder(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.update("2026-06-01", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "logo"))
	h.later(at("2026-06-15", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-06-15", 9)) })
	h.update("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "report"))
	h.update("2026-06-22", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1",
		Outcome: workflows.OutcomeFindings, Opinion: "带动就业人数与台账不符"}, ok(t, "findings while rectifying"))
	h.check("2026-06-22", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Evaluation != nil || dueOf(st, "evaluation_assessment") != "" {
			t.Errorf("the assessment is still open: %+v %v", st.Evaluation, st.Deadlines.Items)
		}
		if st.Status != "rectifying" || r == nil || r.FindingID != "F1" || dueOf(st, "rectification") != "2026-07-01" || len(st.LateInformation) != 0 {
			t.Errorf("after the findings: %s %+v due %s late %+v; want the logo order running as it was", st.Status, r, dueOf(st, "rectification"), st.LateInformation)
		}
	})
	h.update("2026-06-25", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "标识已规范使用，台账已更正"}, ok(t, "confirm"))
	h.check("2026-06-25", func(st workflows.BrandState) {
		if keys := keysOf(st); st.Status != "active" || st.Rectification != nil || !slices.Equal(keys, []string{"evaluation_window"}) {
			t.Errorf("after the confirmation: %s %+v deadlines %v, want active with only the next window armed", st.Status, st.Rectification, keys)
		}
	})
	h.run("2026-06-26")
	e, found := findEvent(h.events(), "evaluation.findings")
	if !found || !strings.Contains(e.Note, "评估发现的问题并入正在进行的1级整改") {
		t.Errorf("the assessment's history line %q (found %v) does not say its findings joined the running order", e.Note, found)
	}
	assertJoined(t, h, "rectification")
}

// assertJoined checks the brand's view lists the assessment's finding FD-EV1
// as joining what ran (joined), so no page shows it as an order of its own.
func assertJoined(t *testing.T, h *brandHarness, joined string) {
	t.Helper()
	v, err := h.store.GetBrandView(context.Background(), h.in.BrandID, false)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(v.Findings, func(f store.FindingView) bool { return f.ID == "FD-EV1" })
	if i < 0 {
		t.Fatalf("the assessment's finding is not on record: %+v", v.Findings)
	}
	if f := v.Findings[i]; f.Joined == nil || *f.Joined != joined {
		t.Errorf("the assessment's finding %+v joined %v, want %q: it made no order of its own", f, f.Joined, joined)
	}
	for _, f := range v.Findings {
		if f.ID != "FD-EV1" && f.Joined != nil {
			t.Errorf("the ordered finding %s is shown as joined %q", f.ID, *f.Joined)
		}
	}
}

// 第十五条 综合评估 and 第十五条（三）: during a suspension, the assessment's
// findings join it — no order of its own — and are the city's to weigh in its
// renewal decision ("根据整改情况"); the history says so.
func Test第十五条_AssessmentFindingsWhileSuspendedJoinTheSuspension(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.update("2026-05-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
	h.update("2026-05-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "列入严重违法失信名单"}, ok(t, "suspend"))
	h.later(at("2026-06-15", 9), func() { h.fileEvaluation("EV1", "2024-2026", at("2026-06-15", 9)) })
	h.update("2026-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2024-2026"}, ok(t, "report"))
	h.update("2026-06-22", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1",
		Outcome: workflows.OutcomeFindings, Opinion: "带动就业人数与台账不符"}, ok(t, "findings while suspended"))
	h.check("2026-06-22", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.Rectification != nil || st.Evaluation != nil || dueOf(st, "evaluation_assessment") != "" || dueOf(st, "renewal_decision") == "" {
			t.Errorf("after the findings: %s %+v %+v deadlines %v; want suspended, the renewal still to decide, no order", st.Status, st.Rectification, st.Evaluation, keysOf(st))
		}
	})
	h.run("2026-06-23")
	if e, found := findEvent(h.events(), "evaluation.findings"); !found || !strings.Contains(e.Note, "并入暂停处理，由市级在决定是否延续暂停时一并考虑") {
		t.Errorf("the assessment's history line %q (found %v) does not say its findings joined the suspension", e.Note, found)
	}
	assertJoined(t, h, "suspension")
}

// 第十五条（二）, RULES §4 "what happens automatically": deadlines that
// run out at the same instant all take effect, even when one of them begins
// a new evaluation cycle (a continue-as-new). A level-1 order on Sat
// 2026-05-09 (调休上班) is due Tue 06-09; its 24:00 is the instant the window
// of a brand admitted 2024-06-10 opens. Both happen: the evaluation opens
// and the level climbs, the interview due 10 working days after 06-10, the
// day it escalates on (06-19 is 端午): 2026-06-25.
func Test第十五条_LapseAtWindowOpeningIsNotLost(t *testing.T) {
	h := newBrandHarness(t, "2024-06-10")
	h.update("2026-05-09", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "unauthorized_plaque", Description: "擅自制作牌匾"}, ok(t, "finding"))
	h.check("2026-05-09", func(st workflows.BrandState) {
		if d := deadlineOf(st, "rectification"); d == nil || !d.Value().DueAt.Equal(at("2026-06-10", 0)) {
			t.Errorf("rectification %+v, want due 2026-06-09 at 24:00", d)
		}
	})
	h.check("2026-06-10", func(st workflows.BrandState) {
		if st.Evaluation == nil || st.Cycle != 1 || dueOf(st, "evaluation_report") != "2026-07-09" {
			t.Errorf("evaluation %+v cycle %d, want the 2024-2026 window open", st.Evaluation, st.Cycle)
		}
		if st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2026-06-25" {
			t.Errorf("rectification %+v pending %q, want level 2 with an interview due 2026-06-25", st.Rectification, pendingOf(st))
		}
	})
	h.run("2026-06-11")
	equal(t, "history", h.actions(), []string{
		"2024-06-10 09:00 system admitted",
		"2026-05-09 10:00 county_officer finding.level1",
		"2026-06-10 00:00 system evaluation.opened",
		"2026-06-10 00:00 system rectification.lapsed",
	})
}
