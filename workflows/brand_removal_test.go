package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（四）, RULES §4 Decision: every suspension decision, renewals
// included, counts toward the three that lead to removal. With two-month
// suspensions (a policy setting) the first runs 2026-03-05..05-05, renewed
// on 04-28 (within its window) to 07-05 and on 06-30 to 09-05: the third
// decision proposes removal to the city, due 10 working days later (07-14),
// and — RULES §4 open matters — the renewal of the running suspension opens
// beside it (due 09-04). Removal on Wed 07-08 is final: no application for
// five years, to 2031-07-08 (a sanction: not moved), name and USCC banned,
// the decision published, every open matter closed, the process ended.
func Test第十五条_ThirdSuspensionLeadsToRemoval(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.in.Policy.SuspensionMonths = 2
	thirdSuspension(t, h)
	h.check("2026-06-30", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 3 || st.Suspension.Until.String() != "2026-09-05" {
			t.Errorf("after the third decision: %s count %d %+v", st.Status, st.SuspensionCount, st.Suspension)
		}
		if got := pendingOf(st); got != "removal 2026-07-14" || st.Pending.Reason != "suspended_three_times" {
			t.Errorf("pending %q %+v, want removal 2026-07-14 for suspended_three_times", got, st.Pending)
		}
		if d := dueOf(st, "renewal_decision"); d != "2026-09-04" {
			t.Errorf("renewal due %q beside the removal proposal, want 2026-09-04", d)
		}
	})
	// Only the city removes.
	h.refused("2026-07-08", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: county530181(), Remove: true, Reason: "三次暂停"}, workflows.RejectForbidden, nil)
	h.update("2026-07-08", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "三次暂停标识使用权"}, ok(t, "removal"))
	h.run("2026-08-30")

	if !h.ended() {
		t.Fatalf("the process did not end with the removal: %+v", h.runs[len(h.runs)-1].Err)
	}
	r := h.row()
	if r.Status != "removed" || r.RemovedOn != "2026-07-08" || r.ReapplyAfter != "2031-07-08" || r.Pending != nil || r.Suspension != nil || len(r.Deadlines) != 0 {
		t.Errorf("brand row: %+v, want removed 2026-07-08, reapply after 2031-07-08, nothing pending", r)
	}
	equal(t, "bans", h.bans(), []string{"安宁玫瑰 51530181MJ0000001U 2026-07-08 2031-07-08 suspended_three_times"})
	equal(t, "announcements", h.announcements(), []string{
		"suspension 2026-03-05 2026-05-05",
		"renewal 2026-04-28 2026-07-05",
		"renewal 2026-06-30 2026-09-05",
		"removal 2026-07-08 2031-07-08",
	})
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level3",
		"2026-03-05 10:00 city_officer suspension.decided",
		"2026-04-02 00:00 system renewal.window_opened",
		"2026-04-28 10:00 city_officer renewal.decided",
		"2026-06-05 00:00 system renewal.window_opened",
		"2026-06-30 10:00 city_officer renewal.decided",
		"2026-07-08 10:00 city_officer removal.decided",
	})
	if e, _ := findEvent(h.events(), "removal.decided"); !strings.Contains(e.Note, "同时办结") || !strings.Contains(e.Note, "延续暂停") {
		t.Errorf("removal note %q does not say it closed the renewal", e.Note)
	}
}

// thirdSuspension suspends h's brand three times (two-month suspensions).
func thirdSuspension(t *testing.T, h *brandHarness) {
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3",
		Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "finding"))
	h.update("2026-03-05", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension 1"))
	h.update("2026-04-28", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "延续"}, ok(t, "renewal 1"))
	h.update("2026-06-30", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "再延续"}, ok(t, "renewal 2"))
}

// 第十五条（三）（四）, RULES §4 open matters: when the city declines the
// removal the third suspension proposed, the suspension still runs and its
// renewal is still the city's to decide within the window — before, the
// declined removal left nothing to decide and the city could not renew.
func Test第十五条_DeclinedRemovalLeavesRenewalOpen(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.in.Policy.SuspensionMonths = 2
	thirdSuspension(t, h)
	h.update("2026-07-08", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "已整改到位"}, ok(t, "decline"))
	h.check("2026-07-08", func(st workflows.BrandState) {
		if st.Status != "suspended" || pendingOf(st) != "suspension_renewal 2026-09-04" || dueOf(st, "removal_decision") != "" {
			t.Errorf("after the decline: %s pending %q deadlines %v", st.Status, pendingOf(st), st.Deadlines.Items)
		}
	})
	h.update("2026-08-31", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍未整改"}, ok(t, "renewal 3"))
	h.check("2026-08-31", func(st workflows.BrandState) {
		if st.SuspensionCount != 4 || st.Suspension.Until.String() != "2026-11-05" || dueOf(st, "removal_decision") == "" {
			t.Errorf("after the fourth decision: count %d %+v deadlines %v, want to 2026-11-05 with removal proposed again", st.SuspensionCount, st.Suspension, st.Deadlines.Items)
		}
	})
	h.run("2026-09-01")
}

// 第十五条（四）, 附件3: the county reports a brand for removal (here:
// deregistered, Tue 2026-04-07, right after 清明 04-04..04-06); the city's
// decision is due 10 working days later (04-21). Removed on Fri 04-10: the
// ban runs to Thu 2031-04-10 and names the report's reason.
func Test第十五条_RemovalReportDecided(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-04-07", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reason: "dissolved_or_inactive", Description: "已注销登记"}, ok(t, "report"))
	h.check("2026-04-07", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "removal 2026-04-21" || st.Pending.Reason != "dissolved_or_inactive" || st.Status != "active" {
			t.Errorf("after the report: %s pending %q %+v", st.Status, got, st.Pending)
		}
	})
	h.update("2026-04-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "已注销"}, ok(t, "removal"))
	h.run("2026-05-30")

	if !h.ended() {
		t.Fatal("the process did not end with the removal")
	}
	if r := h.row(); r.Status != "removed" || r.RemovedOn != "2026-04-10" || r.ReapplyAfter != "2031-04-10" {
		t.Errorf("brand row: %+v", r)
	}
	equal(t, "bans", h.bans(), []string{"安宁玫瑰 51530181MJ0000001U 2026-04-10 2031-04-10 dissolved_or_inactive"})
	equal(t, "announcements", h.announcements(), []string{"removal 2026-04-10 2031-04-10"})
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-04-07 10:00 county_officer removal.reported",
		"2026-04-10 10:00 city_officer removal.decided",
	})
}

// 第十五条（四）, 附件3, RULES §4 open matters: a removal report (Wed
// 2026-03-04, due 03-18) opens beside the interview a level-2 finding of Mon
// 03-02 left open (due 03-16, so still the most urgent): the county holds
// the interview on Thu 03-05, opening three months to Fri 2026-06-05, while
// the city considers the removal; declined on 03-10, the rectification goes
// on untouched.
func Test第十五条_RemovalReportOpensBesideTheLadder(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更持有单位未申请"}, ok(t, "finding"))
	h.update("2026-03-04", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reason: "fraud", Description: "申报材料造假"}, ok(t, "report"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if pendingOf(st) != "interview 2026-03-16" || dueOf(st, "removal_decision") != "2026-03-18" {
			t.Errorf("after the report: pending %+v deadlines %v", st.Pending, st.Deadlines.Items)
		}
		if r := h.row(); r.Pending["kind"] != "interview" || r.Pending["due"] != "2026-03-16" {
			t.Errorf("brand row pending %v", r.Pending)
		}
	})
	h.update("2026-03-05", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-05"), Note: "约谈"}, ok(t, "interview"))
	h.check("2026-03-05", func(st workflows.BrandState) {
		if pendingOf(st) != "removal 2026-03-18" || dueOf(st, "rectification") != "2026-06-05" {
			t.Errorf("after the interview: pending %q window due %s, want removal 2026-03-18 and 2026-06-05", pendingOf(st), dueOf(st, "rectification"))
		}
	})
	h.update("2026-03-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "证据不足"}, ok(t, "decline"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Pending != nil || dueOf(st, "removal_decision") != "" || dueOf(st, "rectification") != "2026-06-05" {
			t.Errorf("after the refusal: %s pending %+v deadlines %v", st.Status, st.Pending, st.Deadlines.Items)
		}
	})
	h.run("2026-03-13")

	if h.ended() {
		t.Error("the process ended although the removal was declined")
	}
	if b := h.bans(); len(b) != 0 {
		t.Errorf("bans after a declined removal: %v", b)
	}
	if r := h.row(); r.Status != "rectifying" || r.RemovedOn != "" {
		t.Errorf("brand row %+v", r)
	}
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level2",
		"2026-03-04 10:00 county_officer removal.reported",
		"2026-03-05 10:00 county_officer interview.held",
		"2026-03-10 10:00 city_officer removal.declined",
	})
}

// 第十五条（四）: removal is final and ends the process, even when the
// decision arrives while the process is busy with a step of its own: here,
// on a county's report of Mon 2026-03-09, on Wed 2026-03-18 at 09:00, sending the reminder of the removal decision
// due 03-23, which takes an hour. The city's removal waits for the step to
// end (decisions-after-steps: a step never finishes on a state a decision
// changed under it), then is taken and recorded at 10:00.
func Test第十五条_RemovalDuringOwnStepEndsProcess(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-09", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reason: "dissolved_or_inactive", Description: "已注销"}, ok(t, "report"))
	sent := false
	slow := func(r records.NotifyRequest) bool {
		return r.Kind == deadline.AlertReminder && r.Due == "2026-03-23" && r.At.Day() == 18
	}
	real := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	h.setup = func(env *testsuite.TestWorkflowEnvironment) {
		env.OnActivity(real.Notify, mock.Anything, mock.MatchedBy(slow)).Return(real.Notify).After(time.Hour).Once()
		env.OnActivity(real.Notify, mock.Anything, mock.Anything).Return(real.Notify)
	}
	h.onActivity = func(info *activity.Info, args func(...any) error) {
		var r records.NotifyRequest
		if sent || info.ActivityType.Name != "Notify" || args(&r) != nil || !slow(r) {
			return
		}
		sent = true
		h.send("removal", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "三次暂停"}, ok(t, "removal"))
	}
	h.run("2026-06-30")

	if !sent {
		t.Fatal("the removal was never sent")
	}
	if !h.ended() {
		t.Fatalf("the process did not end with the removal: %v", h.runs[len(h.runs)-1].Err)
	}
	if r := h.row(); r.Status != "removed" || r.RemovedOn != "2026-03-18" || r.ReapplyAfter != "2031-03-18" {
		t.Errorf("brand row %+v", r)
	}
	equal(t, "history", h.actions()[1:], []string{
		"2026-03-09 10:00 county_officer removal.reported",
		"2026-03-18 10:00 city_officer removal.decided",
	})
}

// 第十五条（四）, 附件3: the removal form has several boxes, and the county
// may tick more than one; each must be a removal code, and the ban names
// them all.
func Test第十五条_RemovalReportTicksSeveralReasons(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.refused("2026-04-07", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(),
		Reasons: []string{"fraud", "bankrupt"}, Description: "x"}, workflows.RejectInvalid, func(r workflows.Rejection) {
		if len(r.Fields) != 1 || r.Fields[0].Field != "reasons[1]" {
			t.Errorf("rejection %+v, want reasons[1] refused", r)
		}
	})
	h.refused("2026-04-07", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Description: "x"},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if len(r.Fields) != 1 || r.Fields[0].Field != "reasons" {
				t.Errorf("rejection %+v, want reasons required", r)
			}
		})
	h.update("2026-04-07", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(),
		Reasons: []string{"serious_violation", "fraud"}, Description: "造假并严重违法"}, ok(t, "report"))
	h.update("2026-04-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "属实"}, ok(t, "removal"))
	h.run("2026-05-30")
	equal(t, "bans", h.bans(), []string{"安宁玫瑰 51530181MJ0000001U 2026-04-10 2031-04-10 fraud,serious_violation"})
}
