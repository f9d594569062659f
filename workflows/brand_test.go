package workflows_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（一）: each level-1 reason opens a one-month rectification, a
// Civil Code month period to act (民法典第二百零一条–第二百零三条): it ends on
// the corresponding day of the next month, or that month's last day, moved
// to the next working day; the county's confirmation within it restores the
// brand, and nothing climbs to level 2 afterwards.
func Test第十五条_Level1ReasonOpensOneMonthRectification(t *testing.T) {
	for _, tc := range []struct {
		name, reason, ordered, due, confirmed string
	}{
		// 10-01 is National Day (10-01..10-07 off): the next working day.
		{"第十五条（一）未按时提供相关信息 2026-09-01 due after National Day", "late_information", "2026-09-01", "2026-10-08", "2026-10-08"},
		// No 02-31: the month's last day, Sat 02-28, an adjusted working day.
		{"第十五条（一）基本信息变更未登记 2026-01-31 due Sat 02-28 (调休上班)", "basic_info_not_updated", "2026-01-31", "2026-02-28", "2026-02-27"},
		// 05-03 falls in 劳动节 (05-01..05-05).
		{"第十五条（一）不规范使用标识 2026-04-03 due after 劳动节", "logo_misuse", "2026-04-03", "2026-05-06", "2026-05-06"},
		// 06-19 is 端午 (06-19..06-21).
		{"第十五条（一）擅自制作牌匾 2026-05-19 due after 端午", "unauthorized_plaque", "2026-05-19", "2026-06-22", "2026-06-10"},
		// No 04-31: Thu 04-30, a working day.
		{"第十五条（一）列入经营异常名录 2026-03-31 due 04-30", "abnormal_operations_list", "2026-03-31", "2026-04-30", "2026-04-20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newBrandHarness(t, "2025-06-10")
			h.update(tc.ordered, workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1",
				Reason: tc.reason, Description: "检查发现"}, ok(t, "finding"))
			h.check(tc.ordered, func(st workflows.BrandState) {
				if st.Status != "rectifying" || st.Rectification == nil || st.Rectification.Level != 1 || st.Rectification.Reason != tc.reason ||
					st.Rectification.OrderedOn.String() != tc.ordered || !st.Rectification.WindowOpen || st.Pending != nil {
					t.Errorf("after the order: %+v rectification %+v pending %+v", st.Status, st.Rectification, st.Pending)
				}
				d := deadlineOf(st, "rectification")
				if d == nil || d.Value().Due.String() != tc.due || !d.Value().DueAt.Equal(date(tc.due).End()) || d.Value().Provisional {
					t.Errorf("rectification deadline %+v, want %s at 24:00, official", d, tc.due)
				}
				if r := h.row(); r.Status != "rectifying" || r.Rectification["due"] != tc.due || r.Rectification["level"] != float64(1) {
					t.Errorf("brand row: %s %v, want rectifying due %s", r.Status, r.Rectification, tc.due)
				}
			})
			h.update(tc.confirmed, workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"}, ok(t, "confirm"))
			h.check(tc.confirmed, func(st workflows.BrandState) {
				if st.Status != "active" || st.Rectification != nil || dueOf(st, "rectification") != "" {
					t.Errorf("after the confirmation: %s %+v", st.Status, st.Rectification)
				}
			})
			// Well past the month: still active, no level 2.
			h.check(date(tc.due).AddDays(45).String(), func(st workflows.BrandState) {
				if st.Status != "active" || st.Rectification != nil || st.Pending != nil {
					t.Errorf("after the month: %s %+v %+v, want active with nothing pending", st.Status, st.Rectification, st.Pending)
				}
			})
			h.run(date(tc.due).AddDays(46).String())

			equal(t, "history", h.actions(), []string{
				"2025-06-10 09:00 system admitted",
				tc.ordered + " 10:00 county_officer finding.level1",
				tc.confirmed + " 10:00 county_officer rectification.confirmed",
			})
			equal(t, "findings", h.findings(), []string{"F1 " + tc.reason + " 1 " + tc.ordered + " officer-anning"})
			if r := h.row(); r.Status != "active" || r.Rectification != nil || r.Pending != nil {
				t.Errorf("brand row at the end: %+v", r)
			}
		})
	}
}

// 第十五条（二）, RULES §4 "what happens automatically": a level-1 order on
// 2026-01-31 is due Sat 2026-02-28 (no 02-31; an adjusted working day, not
// moved). Unconfirmed, at 24:00 of that day the process itself climbs to
// level 2, dated by the deadline and recorded as a system action; the
// county must record the interview within 10 working days: 03-02..03-13,
// held from 03-01 (an interview on 02-28 was held while level 1 ran).
func Test第十五条_Level1LapseOpensInterview(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-31", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "擅自改变标识"}, ok(t, "finding"))
	h.check("2026-02-02", func(st workflows.BrandState) {
		if got := dueOf(st, "rectification"); got != "2026-02-28" {
			t.Errorf("rectification due %s, want 2026-02-28", got)
		}
	})
	h.check("2026-02-28", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 1 || st.Pending != nil {
			t.Errorf("on the last day: still level 1, got %+v pending %+v", st.Rectification, st.Pending)
		}
	})
	// Too late: the window is closed.
	h.refused("2026-03-02", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181()}, workflows.RejectConflict, nil)
	h.refused("2026-03-02", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-02-28"), Note: "约谈"},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if len(r.Fields) != 1 || r.Fields[0].Field != "held_on" || r.Fields[0].Message != "须在 2026-03-01 至今天之间" {
				t.Errorf("an interview on the month's last day: %+v", r)
			}
		})
	h.check("2026-03-02", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Rectification == nil || st.Rectification.Level != 2 || st.Rectification.Reason != "rectification_inadequate" ||
			st.Rectification.WindowOpen || st.Rectification.FindingID != "F1" {
			t.Errorf("after the month lapsed: %s %+v", st.Status, st.Rectification)
		}
		if got := pendingOf(st); got != "interview 2026-03-13" {
			t.Errorf("pending %q, want interview 2026-03-13", got)
		}
		if d := dueOf(st, "rectification"); d != "" {
			t.Errorf("a rectification deadline %s before the interview", d)
		}
		if r := h.row(); r.Pending["kind"] != "interview" || r.Pending["due"] != "2026-03-13" || r.Rectification["level"] != float64(2) {
			t.Errorf("brand row: pending %v rectification %v", r.Pending, r.Rectification)
		}
	})
	h.run("2026-03-20")

	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-01-31 10:00 county_officer finding.level1",
		"2026-03-01 00:00 system rectification.lapsed",
	})
	lapsed, _ := findEvent(h.events(), "rectification.lapsed")
	if lapsed.Actor != "system" || !lapsed.At.Equal(at("2026-03-01", 0)) {
		t.Errorf("lapse recorded by %s at %s, want system at 2026-03-01 00:00 +08:00", lapsed.Actor, lapsed.At)
	}
	equal(t, "audit", h.audits(), []string{
		"2025-06-10 09:00 system system brand.admitted",
		"2026-01-31 10:00 officer-anning county_officer brand.finding.level1",
		"2026-03-01 00:00 system system brand.rectification.lapsed",
	})
}
