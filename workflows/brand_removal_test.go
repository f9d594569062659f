package workflows_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（四）, RULES §4 Decision: every suspension decision, renewals
// included, counts toward the three that lead to removal. The third (Mon
// 2026-03-09) proposes removal to the city, due 10 working days later
// (03-23). Removal on Mon 2026-03-16 is final: the brand may not apply again
// for five years, to Sun 2031-03-16 (a sanction: not moved), its name and
// USCC are banned, the decision is published, and the process ends.
func Test第十五条_ThirdSuspensionLeadsToRemoval(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3",
		Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "finding"))
	h.update("2026-03-05", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension 1"))
	h.update("2026-03-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "延续"}, ok(t, "renewal 1"))
	h.check("2026-03-06", func(st workflows.BrandState) {
		if st.SuspensionCount != 2 || st.Suspension.Until.String() != "2028-03-05" || pendingOf(st) != "suspension_renewal 2028-02-07" {
			t.Errorf("after the second decision: count %d %+v pending %q", st.SuspensionCount, st.Suspension, pendingOf(st))
		}
	})
	h.update("2026-03-09", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "再延续"}, ok(t, "renewal 2"))
	h.check("2026-03-09", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 3 || st.Suspension.Until.String() != "2029-03-05" {
			t.Errorf("after the third decision: %s count %d %+v", st.Status, st.SuspensionCount, st.Suspension)
		}
		if got := pendingOf(st); got != "removal 2026-03-23" || st.Pending.Reason != "suspended_three_times" {
			t.Errorf("pending %q %+v, want removal 2026-03-23 for suspended_three_times", got, st.Pending)
		}
		if d := dueOf(st, "renewal_decision"); d != "" {
			t.Errorf("a renewal is still due %s after the third suspension", d)
		}
	})
	// Only the city removes.
	h.refused("2026-03-16", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: county530181(), Remove: true, Reason: "三次暂停"}, workflows.RejectForbidden, nil)
	h.update("2026-03-16", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "三次暂停标识使用权"}, ok(t, "removal"))
	h.run("2026-04-30")

	if !h.ended() {
		t.Fatalf("the process did not end with the removal: %+v", h.runs[len(h.runs)-1].Err)
	}
	r := h.row()
	if r.Status != "removed" || r.RemovedOn != "2026-03-16" || r.ReapplyAfter != "2031-03-16" || r.Pending != nil || r.Suspension != nil || len(r.Deadlines) != 0 {
		t.Errorf("brand row: %+v, want removed 2026-03-16, reapply after 2031-03-16, nothing pending", r)
	}
	equal(t, "bans", h.bans(), []string{"安宁玫瑰 51530181MJ0000001U 2026-03-16 2031-03-16 suspended_three_times"})
	equal(t, "announcements", h.announcements(), []string{
		"suspension 2026-03-05 2027-03-05",
		"renewal 2026-03-06 2028-03-05",
		"renewal 2026-03-09 2029-03-05",
		"removal 2026-03-16 2031-03-16",
	})
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level3",
		"2026-03-05 10:00 city_officer suspension.decided",
		"2026-03-06 10:00 city_officer renewal.decided",
		"2026-03-09 10:00 city_officer renewal.decided",
		"2026-03-16 10:00 city_officer removal.decided",
	})
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

// 第十五条（四）, 附件3: a removal report sets aside the decision that was
// pending (an interview, due Mon 2026-03-16, for a level-2 finding of Mon
// 03-02); when the city declines the removal, it returns with its own due
// day, and the ladder goes on: the interview held Wed 03-11 opens the three
// months to Thu 2026-06-11.
func Test第十五条_RemovalReportDeclinedReturnsShelvedDecision(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2",
		Reason: "major_info_not_reported", Description: "变更持有单位未申请"}, ok(t, "finding"))
	h.update("2026-03-04", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reason: "fraud", Description: "申报材料造假"}, ok(t, "report"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		p := st.Pending
		if pendingOf(st) != "removal 2026-03-18" || p.Shelved == nil || p.Shelved.Kind != "interview" || p.Shelved.Due.String() != "2026-03-16" {
			t.Errorf("after the report: pending %+v shelved %+v", p, p.Shelved)
		}
		if r := h.row(); r.Pending["kind"] != "removal" || r.Pending["due"] != "2026-03-18" {
			t.Errorf("brand row pending %v", r.Pending)
		}
	})
	// The interview waits behind the removal decision.
	h.refused("2026-03-05", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-05")}, workflows.RejectConflict, nil)
	h.update("2026-03-10", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: false, Reason: "证据不足"}, ok(t, "decline"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Status != "rectifying" || pendingOf(st) != "interview 2026-03-16" || st.Pending.Shelved != nil || dueOf(st, "removal_decision") != "" || dueOf(st, "interview") != "2026-03-16" {
			t.Errorf("after the refusal: %s pending %+v deadlines %v", st.Status, st.Pending, st.Deadlines.Items)
		}
	})
	h.update("2026-03-12", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-11"), Note: "约谈"}, ok(t, "interview"))
	h.check("2026-03-12", func(st workflows.BrandState) {
		if st.Pending != nil || dueOf(st, "rectification") != "2026-06-11" {
			t.Errorf("after the interview: pending %+v window due %s, want 2026-06-11", st.Pending, dueOf(st, "rectification"))
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
		"2026-03-10 10:00 city_officer removal.declined",
		"2026-03-12 10:00 county_officer interview.held",
	})
}

// 第十五条（四）: removal is final and ends the process, even when the
// decision arrives while the process is busy with a step of its own: here,
// on Wed 2026-03-18 at 09:00, sending the reminder of the removal decision
// due 03-23, which takes an hour. The city's removal is taken and recorded
// meanwhile.
func Test第十五条_RemovalDuringOwnStepEndsProcess(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3",
		Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "finding"))
	for i, day := range []string{"2026-03-05", "2026-03-06", "2026-03-09"} {
		h.update(day, workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, fmt.Sprintf("suspension %d", i+1)))
	}
	sent := false
	slow := func(r records.NotifyRequest) bool {
		return r.Kind == deadline.AlertReminder && r.Due == "2026-03-23" && r.At.Day() == 18
	}
	real := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	h.setup = func(env *testsuite.TestWorkflowEnvironment) {
		env.OnActivity(real.Notify, mock.Anything, mock.MatchedBy(slow)).Return(real.Notify).After(time.Hour).Once()
		env.OnActivity(real.Notify, mock.Anything, mock.Anything).Return(real.Notify)
	}
	h.onActivity = func(info *activity.Info, args converter.EncodedValues) {
		var r records.NotifyRequest
		if sent || info.ActivityType.Name != "Notify" || args.Get(&r) != nil || !slow(r) {
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
	equal(t, "history", h.actions()[4:], []string{
		"2026-03-09 10:00 city_officer renewal.decided",
		"2026-03-18 09:00 city_officer removal.decided",
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
