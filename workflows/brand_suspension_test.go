package workflows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（三）: the city suspends the logo right for one year, a sanction
// period that never moves (民法典第二百零一条: from the next day to the
// corresponding day a year later): decided Thu 2026-02-05 → 02-06 ..
// 2027-02-05, 除夕 of 2027, a holiday. The decision is published; RULES §4:
// a renewal may be decided only within its window, from 20 working days
// before the end (2027-01-08), and is due the day before the last day
// (2027-02-04): on 2027-01-06 it is refused. Renewed on Mon 2027-01-11 it
// runs one more year to Sat 2028-02-05 (the second decision of three), its
// next window from 2028-01-04 (2028: 元旦 made up on 01-03, 春节
// 01-25..01-28), due 2028-02-04. Not renewed again, at 24:00 of 2028-02-05
// the right is restored by itself and the restoration published. The
// evaluation window of 2027-06-10 (a continue-as-new) falls inside.
func Test第十五条_SuspensionRenewedThenRestored(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-26", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F5",
		Reason: "serious_dishonesty_list", Description: "列入严重违法失信名单"}, ok(t, "finding"))
	h.check("2026-01-26", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "suspension 2026-02-09" {
			t.Errorf("pending %q, want suspension 2026-02-09", got)
		}
	})
	h.update("2026-02-05", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true,
		Reason: "列入严重违法失信名单", ProvinceReport: &workflows.ProvinceReport{ReportedOn: date("2026-01-28"), DocNo: "安人社报〔2026〕3号"}}, ok(t, "suspend"))
	h.check("2026-02-05", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 1 || st.Suspension == nil ||
			st.Suspension.StartedOn.String() != "2026-02-06" || st.Suspension.Until.String() != "2027-02-05" {
			t.Errorf("after the decision: %s count %d %+v, want suspended 2026-02-06..2027-02-05", st.Status, st.SuspensionCount, st.Suspension)
		}
		if d := deadlineOf(st, "suspension_end"); d == nil || d.Value().Due.String() != "2027-02-05" || !d.Value().DueAt.Equal(at("2027-02-06", 0)) {
			t.Errorf("suspension end %+v, want 2027-02-05 at 24:00, not moved off 除夕", d)
		}
		if got := pendingOf(st); got != "suspension_renewal 2027-02-04" || st.Suspension.RenewalOpensOn.String() != "2027-01-08" {
			t.Errorf("pending %q, window from %s, want suspension_renewal 2027-02-04 from 2027-01-08", got, st.Suspension.RenewalOpensOn)
		}
		if r := h.row(); r.Status != "suspended" || r.Suspension["started_on"] != "2026-02-06" || r.Suspension["until"] != "2027-02-05" || r.SuspensionCount != 1 {
			t.Errorf("brand row %s %v count %d", r.Status, r.Suspension, r.SuspensionCount)
		}
		equal(t, "announcements", h.announcements(), []string{"suspension 2026-02-05 2027-02-05"})
	})
	h.renewalRefusedBeforeItsWindow("2027-01-06", "2027-01-08")
	h.update("2027-01-11", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍在失信名单"}, ok(t, "renew"))
	h.check("2027-01-11", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 2 || st.Suspension.StartedOn.String() != "2026-02-06" || st.Suspension.Until.String() != "2028-02-05" {
			t.Errorf("after the renewal: %s count %d %+v, want suspended to 2028-02-05, second time", st.Status, st.SuspensionCount, st.Suspension)
		}
		if got := pendingOf(st); got != "suspension_renewal 2028-02-04" || st.Suspension.RenewalOpensOn.String() != "2028-01-04" {
			t.Errorf("pending %q from %s, want suspension_renewal 2028-02-04 from 2028-01-04", got, st.Suspension.RenewalOpensOn)
		}
		if d := dueOf(st, "suspension_end"); d != "2028-02-05" {
			t.Errorf("suspension end %s, want 2028-02-05 (a Saturday, not moved)", d)
		}
		equal(t, "announcements", h.announcements(), []string{"suspension 2026-02-05 2027-02-05", "renewal 2027-01-11 2028-02-05"})
	})
	// The evaluation opens during the suspension; the holder still reports.
	h.later(at("2027-06-15", 9), func() { h.fileEvaluation("EV1", "2025-2027", at("2027-06-15", 9)) })
	h.update("2027-06-15", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: "EV1", Period: "2025-2027"}, ok(t, "report"))
	h.update("2027-06-25", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1", Outcome: "pass"}, ok(t, "assessment"))
	h.check("2027-06-25", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.SuspensionCount != 2 || pendingOf(st) != "suspension_renewal 2028-02-04" || dueOf(st, "suspension_end") != "2028-02-05" || st.Cycle != 1 {
			t.Errorf("after the continue-as-new: %s count %d pending %q end %s cycle %d", st.Status, st.SuspensionCount, pendingOf(st), dueOf(st, "suspension_end"), st.Cycle)
		}
	})
	// The renewal deadline passes without a decision: reminders and
	// escalations only; the suspension ends on its day.
	h.check("2028-02-05", func(st workflows.BrandState) {
		if st.Status != "suspended" || pendingOf(st) != "suspension_renewal 2028-02-04" {
			t.Errorf("on the last day: %s pending %q, want still suspended", st.Status, pendingOf(st))
		}
	})
	h.check("2028-02-06", func(st workflows.BrandState) {
		if st.Status != "active" || st.Suspension != nil || st.Pending != nil || st.SuspensionCount != 2 ||
			dueOf(st, "suspension_end") != "" || dueOf(st, "renewal_decision") != "" {
			t.Errorf("after the year: %s %+v pending %+v count %d deadlines %v", st.Status, st.Suspension, st.Pending, st.SuspensionCount, st.Deadlines.Items)
		}
	})
	h.run("2028-02-10")

	if len(h.runs) != 2 {
		t.Errorf("%d runs, want 2 (one continue-as-new on 2027-06-10)", len(h.runs))
	}
	equal(t, "announcements", h.announcements(), []string{
		"suspension 2026-02-05 2027-02-05",
		"renewal 2027-01-11 2028-02-05",
		"restoration 2028-02-06 -",
	})
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-01-26 10:00 county_officer finding.level3",
		"2026-02-05 10:00 city_officer suspension.decided",
		"2027-01-08 00:00 system renewal.window_opened",
		"2027-01-11 10:00 city_officer renewal.decided",
		"2027-06-10 00:00 system evaluation.opened",
		"2027-06-15 10:00 applicant evaluation.reported",
		"2027-06-25 10:00 city_officer evaluation.pass",
		"2028-01-04 00:00 system renewal.window_opened",
		"2028-02-06 00:00 system suspension.ended",
	})
	var docNo string
	if err := h.store.Pool().QueryRow(context.Background(), `SELECT after->'detail'->>'doc_no' FROM audit_log
		WHERE object_id = $1 AND action = 'brand.suspension.decided'`, testBrandID).Scan(&docNo); err != nil || docNo != "安人社报〔2026〕3号" {
		t.Errorf("province report on the decision's audit entry: %q (%v)", docNo, err)
	}
	if r := h.row(); r.Status != "active" || r.Suspension != nil || r.Pending != nil || r.SuspensionCount != 2 {
		t.Errorf("brand row at the end: %+v", r)
	}
}

// 第十五条（三）, RULES §4: the city may decline a proposed suspension; the
// brand returns to where it was — here a level-1 rectification (ordered Mon
// 2026-03-02, due Thu 04-02) that still runs and can be confirmed.
func Test第十五条_DeclinedSuspensionRestoresPriorStatus(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "level 1"))
	h.update("2026-03-10", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "serious_dishonesty_list", Description: "列入失信名单"}, ok(t, "level 3"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Status != "rectifying" || pendingOf(st) != "suspension 2026-03-24" || dueOf(st, "rectification") != "2026-04-02" {
			t.Errorf("with the proposal: %s pending %+v rectification due %s", st.Status, st.Pending, dueOf(st, "rectification"))
		}
	})
	h.update("2026-03-20", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: false, Reason: "已移出失信名单"}, ok(t, "decline"))
	h.check("2026-03-20", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Pending != nil || st.Suspension != nil || st.SuspensionCount != 0 ||
			st.Rectification == nil || st.Rectification.Level != 1 || dueOf(st, "rectification") != "2026-04-02" || dueOf(st, "suspension_decision") != "" {
			t.Errorf("after the refusal: %s pending %+v rectification %+v deadlines %v", st.Status, st.Pending, st.Rectification, st.Deadlines.Items)
		}
	})
	h.update("2026-03-25", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"}, ok(t, "confirm"))
	h.check("2026-04-10", func(st workflows.BrandState) {
		if st.Status != "active" || st.Rectification != nil || st.Pending != nil {
			t.Errorf("after the confirmation: %s %+v %+v", st.Status, st.Rectification, st.Pending)
		}
	})
	h.run("2026-04-10")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 county_officer finding.level1",
		"2026-03-10 10:00 county_officer finding.level3",
		"2026-03-20 10:00 city_officer suspension.declined",
		"2026-03-25 10:00 county_officer rectification.confirmed",
	})
	if a := h.announcements(); len(a) != 0 {
		t.Errorf("a declined suspension was published: %v", a)
	}
}

// 第十五条（二）/（三）: a brand at level 2, its interview pending (due Mon
// 2026-03-16 for a finding of Mon 03-02), is put on the serious-dishonesty
// list (Wed 03-04): the suspension proposal (due 03-18) opens beside the
// interview (RULES §4 open matters). Declined, the interview is still open
// with its own due day, and the ladder goes on from there.
func Test第十五条_DeclinedSuspensionReturnsPendingInterview(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported", Description: "变更持有单位未申请"}, ok(t, "level 2"))
	h.update("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "serious_dishonesty_list", Description: "列入失信名单"}, ok(t, "level 3"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		// RULES §4 open matters: the proposal opens beside the interview; the
		// interview, due first, is the most urgent.
		if dueOf(st, "suspension_decision") != "2026-03-18" || dueOf(st, "interview") != "2026-03-16" || pendingOf(st) != "interview 2026-03-16" {
			t.Errorf("with the proposal: pending %+v deadlines %v", st.Pending, st.Deadlines.Items)
		}
	})
	h.update("2026-03-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: false, Reason: "已移出失信名单"}, ok(t, "decline"))
	h.check("2026-03-06", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2026-03-16" {
			t.Errorf("after the refusal: %s %+v pending %q, want level 2 with the interview due 2026-03-16 again", st.Status, st.Rectification, pendingOf(st))
		}
	})
	h.update("2026-03-10", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2026-03-09"), Note: "约谈"}, ok(t, "interview"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if st.Pending != nil || dueOf(st, "rectification") != "2026-06-09" {
			t.Errorf("after the interview: pending %+v window due %s, want 2026-06-09", st.Pending, dueOf(st, "rectification"))
		}
	})
	h.run("2026-03-11")
}

// 第十五条（三）: a suspension decided (Fri 2026-03-06, to Sat 2027-03-06;
// the renewal due the day before its last day, 2027-03-05) while a level-2 interview was pending ends the rectification
// ladder: no interview or rectification deadline outlives it, and the
// county is not reminded of an interview that can no longer be recorded.
func Test第十五条_SuspensionEndsPendingInterview(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2", Reason: "major_info_not_reported", Description: "变更持有单位未申请"}, ok(t, "level 2"))
	h.update("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F3", Reason: "serious_dishonesty_list", Description: "列入失信名单"}, ok(t, "level 3"))
	h.update("2026-03-06", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "列入失信名单"}, ok(t, "suspend"))
	h.check("2026-03-06", func(st workflows.BrandState) {
		if st.Status != "suspended" || st.Rectification != nil || pendingOf(st) != "suspension_renewal 2027-03-05" || dueOf(st, "interview") != "" || dueOf(st, "rectification") != "" {
			t.Errorf("after the suspension: %s %+v pending %q deadlines %v", st.Status, st.Rectification, pendingOf(st), st.Deadlines.Items)
		}
	})
	h.run("2026-04-30")
	if a := h.alerts("interview"); len(a) != 0 {
		t.Errorf("interview alerts after the suspension: %v", a)
	}
}

// RULES §4 (the renewal window) and §5 (a provisional deadline is
// recomputed when its year is loaded): a suspension to Tue 2027-01-12 has
// its renewal window counted back over a 2027 the calendar does not have
// yet (元旦 01-01 only, provisional). The official schedule, loaded on
// 2026-12-01, gives 01-01..01-04 off: the window opens a working day
// earlier, and the city may renew from that day on.
func TestDecision_Suspension_TheRenewalWindowMovesWithTheLoadedYear(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
	h.update("2026-01-12", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "列入严重违法失信名单"}, ok(t, "suspend"))
	h.check("2026-01-12", func(st workflows.BrandState) {
		d := deadlineOf(st, "renewal_window")
		if st.Suspension.RenewalOpensOn.String() != "2026-12-14" || d == nil || !d.Value().Provisional {
			t.Errorf("before the load: window from %s (%+v), want 2026-12-14, provisional", st.Suspension.RenewalOpensOn, d)
		}
	})
	h.later(at("2026-12-01", 10), func() {
		v, _, err := h.store.SaveCalendarYear(context.Background(), schedule2027("2027-01-04"), at("2026-12-01", 10), "admin", "admin")
		if err != nil {
			t.Fatal(err)
		}
		h.env.SignalWorkflow(workflows.SignalCalendarChanged, records.CalendarChanged{Version: v})
	})
	h.check("2026-12-01", func(st workflows.BrandState) {
		d := deadlineOf(st, "renewal_window")
		if st.Suspension.RenewalOpensOn.String() != "2026-12-11" || d == nil || d.Value().Provisional {
			t.Errorf("after the load: window from %s (%+v), want 2026-12-11, official", st.Suspension.RenewalOpensOn, d)
		}
		if e, found := findEvent(h.events(), "deadlines.recomputed"); !found || !strings.Contains(e.Note, "2026-12-11") {
			t.Errorf("the history does not say the window moved: %+v (found %v)", e, found)
		}
	})
	// The window's opening is a line of the history, and leaves the
	// brand's record (its deadlines) when it has come.
	h.check("2026-12-12", func(st workflows.BrandState) {
		if deadlineOf(st, "renewal_window") != nil {
			t.Errorf("the window's opening is still armed after it came: %v", st.Deadlines.Items)
		}
		if !hasLine(h.actions(), "2026-12-11 00:00 system renewal.window_opened") {
			t.Errorf("no history line for the window's opening: %v", h.actions())
		}
		for _, d := range h.row().Deadlines {
			if d.Kind == "renewal_window" {
				t.Errorf("the brand's record still lists the window's opening: %+v", d)
			}
		}
	})
	h.update("2026-12-14", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍在失信名单"}, ok(t, "renew in the moved window"))
	h.check("2026-12-14", func(st workflows.BrandState) {
		if st.SuspensionCount != 2 || st.Suspension.Until.String() != "2028-01-12" || deadlineOf(st, "renewal_window") == nil {
			t.Errorf("after the renewal: count %d %+v, want the second to 2028-01-12 with its own window", st.SuspensionCount, st.Suspension)
		}
	})
	h.run("2026-12-15")
}

// RULES §4 (the renewal window): a renewal declined on the window's first
// day leaves nothing of the renewal behind — neither its decision nor the
// window's opening, which would otherwise wait for the day's end.
func TestDecision_Suspension_ARenewalDeclinedOnTheWindowsFirstDayLeavesNoWindow(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
	h.update("2026-01-12", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "列入严重违法失信名单"}, ok(t, "suspend"))
	h.update("2026-12-14", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: false, Reason: "已移出失信名单"}, ok(t, "decline"))
	h.check("2026-12-14", func(st workflows.BrandState) {
		if st.Status != "suspended" || deadlineOf(st, "renewal_window") != nil || deadlineOf(st, "renewal_decision") != nil {
			t.Errorf("after the decline: %s, deadlines %v; want suspended to its end with no renewal left", st.Status, st.Deadlines.Items)
		}
	})
	h.run("2026-12-15")
}

// RULES §4 (the renewal window): a renewal is decided before the
// suspension's last day is over. One that comes with the restoration's
// instant is refused, whichever the process meets first — the restoration
// (nothing pending) or the Update (the suspension has ended) — and the brand
// is restored, its suspensions still one.
func TestDecision_Suspension_ARenewalAtTheRestorationsInstantIsRefused(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
	h.update("2026-01-12", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "列入严重违法失信名单"}, ok(t, "suspend"))
	h.check("2026-01-12", func(st workflows.BrandState) {
		if st.Suspension.Until.String() != "2027-01-12" {
			t.Fatalf("suspended to %s, want 2027-01-12", st.Suspension.Until)
		}
	})
	h.updateAs(at("2027-01-13", 0), "late-renewal", workflows.UpdateSuspensionDecision,
		workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍在失信名单"}, func(err error) {
			if _, refused := anyRejection(err); !refused {
				t.Errorf("a renewal at the restoration's instant: %v, want refused", err)
			}
		})
	h.check("2027-01-13", func(st workflows.BrandState) {
		if st.Status != "active" || st.SuspensionCount != 1 || st.Suspension != nil {
			t.Errorf("after the suspension's end: %s, %d suspensions, %+v; want active, one", st.Status, st.SuspensionCount, st.Suspension)
		}
	})
	h.run("2027-01-14")
}
