package workflows_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// broughtOver shapes the harness's application as one in flight on the day
// the system starts: submitted on Mon 2026-01-12 to the old system, at
// b's stage since b.Since, with a mailed objection stored as a draft for
// each of b's objection days.
func broughtOver(b workflows.BroughtOver) func(*workflows.ApplicationInput, *store.NewApplication) {
	return func(in *workflows.ApplicationInput, rec *store.NewApplication) {
		in.SubmittedOn = date("2026-01-12")
		in.BroughtOver = &b
		rec.SubmittedAt, rec.SubmittedBy, rec.SubmittedRole = at("2026-01-12", 10), "city-1", "city_officer"
		rec.BroughtOver, rec.Stage = true, b.Stage
		for i, o := range b.Objections {
			rec.Objections = append(rec.Objections, store.ObjectionDraft{ID: "OB" + string(rune('1'+i)), Via: "mail",
				ReceivedOn: o.ReceivedOn.String(), PostmarkedOn: o.FiledOn.String(), Name: "某种植户", Contact: "0871-00000001",
				Content: "异议内容", Evidence: "书面证据", CreatedAt: at("2026-03-16", 9)})
		}
	}
}

// 第十三条 and RULES §3 Decision — applications in flight: a notice
// published on Fri 03-06 (day 1) ended at 24:00 of Thu 03-12, before the
// system took the application over on Mon 03-16. With an objection
// received on Wed 03-11 still unruled, the process moves to
// objection_review by itself, dated by the notice's end; the objection's
// ruling is due 10 working days after its receipt (Wed 03-25). Once the
// city has ruled on that day's objections, the application is admitted.
func Test第十三条_BroughtOverNoticeThatEndedWaitsForTheOpenObjection(t *testing.T) {
	h := newHarness(t, at("2026-03-16", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StagePublicNotice,
		Since: date("2026-03-06"), Objections: []workflows.BroughtOverObjection{{ReceivedOn: date("2026-03-11"), FiledOn: date("2026-03-10")}}}))
	h.later(at("2026-03-16", 12), func() {
		r := h.row()
		if r.Stage != workflows.StageObjectionReview || r.NoticeStart != "2026-03-06" || r.NoticeEnd != "2026-03-12" {
			t.Errorf("after the switch-over: stage %s, notice %s..%s; want objection_review, 2026-03-06..2026-03-12", r.Stage, r.NoticeStart, r.NoticeEnd)
		}
		wantDeadlines(t, "异议处理", r.Deadlines, map[string]string{"objection_day:2026-03-11": "2026-03-25"})
		if status, due := h.objectionRow("OB1"); status != "open" || due != "2026-03-25" {
			t.Errorf("OB1: %s, ruling due %s; want open, 2026-03-25", status, due)
		}
		if _, _, _, found := h.brand(); found {
			t.Error("admitted with an objection unruled")
		}
	})
	h.dismissed(at("2026-03-17", 10), "2026-03-11", "OB1", ok(t, "ruling"))
	h.run()

	if _, status, admittedOn, found := h.brand(); !found || status != workflows.BrandStatusActive || admittedOn != "2026-03-17" {
		t.Errorf("brand: %s admitted %s (found %v); want active, admitted 2026-03-17", status, admittedOn, found)
	}
	es := h.events()
	equal(t, "history", lines(es), []string{
		"2026-01-12 10:00 city_officer submitted",
		"2026-03-16 09:00 system brought_over",
		"2026-03-13 00:00 system notice.ended", // 24:00 of Thu 03-12, the deadline that caused it
		"2026-03-17 10:00 city_officer objections.day_ruled",
		"2026-03-17 10:00 system admitted",
	})
	if n := es[1].Note; !strings.Contains(n, "2026-03-06 发布公示") || !strings.Contains(n, "2026-03-11 收到的异议待裁定，裁定期限 2026-03-25") {
		t.Errorf("brought_over note %q: want the publication day and the open objection's ruling deadline", n)
	}
	if n := es[0].Note; !strings.Contains(n, "在办申请转入") {
		t.Errorf("submitted note %q: want it marked as brought over", n)
	}
}

// 第十四条 and RULES §3 Decision — applications in flight: a notice that
// ended before the switch-over without objections admits the application
// at 24:00 of its last day (Thu 03-12), not on the switch-over day; no
// reminder is sent for the past.
func Test第十四条_BroughtOverNoticeThatEndedAdmitsOnItsLastDay(t *testing.T) {
	h := newHarness(t, at("2026-03-16", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-03-06")}))
	h.run()

	if r := h.row(); r.Stage != workflows.StageAdmitted || r.BrandID != "B0001" || len(r.Deadlines) != 0 {
		t.Errorf("row: stage %s, brand %q, deadlines %+v; want admitted, B0001, none", r.Stage, r.BrandID, r.Deadlines)
	}
	if _, status, admittedOn, found := h.brand(); !found || status != workflows.BrandStatusActive || admittedOn != "2026-03-13" {
		t.Errorf("brand: %s admitted %s (found %v); want active, admitted 2026-03-13", status, admittedOn, found)
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-01-12 10:00 city_officer submitted",
		"2026-03-16 09:00 system brought_over",
		"2026-03-13 00:00 system admitted",
	})
	if n := h.alertsSent(); n != 0 {
		t.Errorf("%d messages sent; want none", n)
	}
}

// RULES §3 Decision — waiting for a resubmission, for an application in
// flight: returned on Tue 03-03, its 20 working days ran out at 24:00 of
// Tue 03-31; brought over on Thu 04-02 it closes as withdrawn at that
// instant, without reminders for days already past.
func TestDecision_InFlight_ReturnThatLapsedIsWithdrawnAtItsDeadline(t *testing.T) {
	h := newHarness(t, at("2026-04-02", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StageReturned, Since: date("2026-03-03")}))
	h.run()

	if r := h.row(); r.Stage != workflows.StageWithdrawn || len(r.Deadlines) != 0 {
		t.Errorf("stage %s, deadlines %+v; want withdrawn, none", r.Stage, r.Deadlines)
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-01-12 10:00 city_officer submitted",
		"2026-04-02 09:00 system brought_over",
		"2026-04-01 00:00 system withdrawn", // 24:00 of Tue 03-31
	})
	if got := h.alerts("resubmission"); len(got) != 0 {
		t.Errorf("reminders %v; want none for days already past", got)
	}
}

// RULES §3 Decision — applications in flight: a return still within its
// wait keeps its own deadline (Tue 03-31 for a return on Tue 03-03), with
// the holder's reminders still to come, and lapses as any return does.
func TestDecision_InFlight_ReturnStillWaitingKeepsItsOwnDeadline(t *testing.T) {
	h := newHarness(t, at("2026-03-16", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StageReturned, Since: date("2026-03-03")}))
	h.later(at("2026-03-16", 12), func() {
		wantDeadlines(t, "退回补充", h.row().Deadlines, map[string]string{"resubmission": "2026-03-31"})
	})
	h.run()
	equal(t, "history", lines(h.events()), []string{
		"2026-01-12 10:00 city_officer submitted",
		"2026-03-16 09:00 system brought_over",
		"2026-04-01 00:00 system withdrawn",
	})
	equal(t, "reminders", h.alerts("resubmission"), []string{
		"reminder applicant 2026-03-26 09:00 due 2026-03-31",
		"reminder applicant 2026-03-30 09:00 due 2026-03-31",
		"reminder applicant 2026-03-31 09:00 due 2026-03-31",
	})
}

// RULES §3 Decision — applications in flight: only a stage that still
// waits for someone can be brought over, from a day between the
// submission and the switch-over; objections only with a notice.
func TestDecision_InFlight_CheckRefusesWhatIsNotInFlight(t *testing.T) {
	submitted, today := date("2026-01-12"), date("2026-03-16")
	for _, c := range []struct {
		b     workflows.BroughtOver
		field string
	}{
		{workflows.BroughtOver{Stage: workflows.StageAdmitted, Since: date("2026-03-06")}, "stage"},
		{workflows.BroughtOver{Stage: workflows.StageObjectionReview, Since: date("2026-03-06")}, "stage"},
		{workflows.BroughtOver{Stage: workflows.StageReturned, Since: date("2026-03-17")}, "since"},
		{workflows.BroughtOver{Stage: workflows.StageReturned, Since: date("2026-01-09")}, "since"},
		{workflows.BroughtOver{Stage: workflows.StageReturned}, "since"},
		{workflows.BroughtOver{Stage: workflows.StageCityReview, Since: date("2026-03-06"),
			Objections: []workflows.BroughtOverObjection{{ReceivedOn: date("2026-03-10"), FiledOn: date("2026-03-10")}}}, "objections"},
		{workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-03-06"),
			Objections: []workflows.BroughtOverObjection{{ReceivedOn: date("2026-03-09"), FiledOn: date("2026-03-10")}}}, "objections[0]"},
	} {
		fields := c.b.Check(submitted, today)
		if len(fields) != 1 || fields[0].Field != c.field || fields[0].Message == "" {
			t.Errorf("%+v: %+v; want one message on %s", c.b, fields, c.field)
		}
	}
	ok := workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-03-06"),
		Objections: []workflows.BroughtOverObjection{{ReceivedOn: date("2026-03-11"), FiledOn: date("2026-03-10")}}}
	if fields := ok.Check(submitted, today); len(fields) != 0 {
		t.Errorf("%+v: %+v; want none", ok, fields)
	}
}

// 第十三条 and RULES §3 applications in flight: an application brought over
// in its notice learns the notice with its first step. A day's objection
// told at that very moment (the API, or the starter's sweep, as soon as the
// process runs) waits for the step instead of being refused as outside a
// notice not yet known — a refusal that would have dropped the objection.
func Test第十三条_AnObjectionDayToldAsABroughtOverNoticeStartsIsOpened(t *testing.T) {
	h := newHarness(t, at("2026-03-09", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-03-06")}))
	h.draftObjection("OB1", "public", "2026-03-09")
	h.update(at("2026-03-09", 9), workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-03-09"),
		FiledOn: date("2026-03-09")}, ok(t, "the day told as the process starts"))
	h.later(at("2026-03-09", 12), func() {
		if status, due := h.objectionRow("OB1"); status != "open" || due != "2026-03-23" {
			t.Errorf("OB1: %s, ruling due %s; want open, 2026-03-23", status, due)
		}
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "ruling"))
	h.run()

	if _, status, admittedOn, found := h.brand(); !found || status != workflows.BrandStatusActive || admittedOn != "2026-03-16" {
		t.Errorf("brand: %s admitted %s (found %v); want active, admitted 2026-03-16", status, admittedOn, found)
	}
}

// RULES §3 Decision — applications in flight (changeBroughtOverArrivesFirst):
// a decision sent as a brought-over process starts waits until the process
// has arrived at its stage. A 复审 rejection sent then closes the application
// with no 复审 deadline left on its row, and its history has the arrival
// before the rejection; before, the arrival armed the deadline after the
// rejection, and the city's overdue task stayed for good.
func TestDecision_InFlight_ADecisionAsTheProcessStartsWaitsForItsArrival(t *testing.T) {
	h := newHarness(t, at("2026-03-16", 9), broughtOver(workflows.BroughtOver{Stage: workflows.StageCityReview, Since: date("2026-03-09")}))
	h.update(at("2026-03-16", 9), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: workflows.Reject,
		Opinion: "材料不实"}, ok(t, "复审 as the process starts"))
	h.run()

	if r := h.row(); r.Stage != workflows.StageRejected || len(r.Deadlines) != 0 {
		t.Errorf("after the rejection: stage %s with deadlines %v; want rejected with none", r.Stage, r.Deadlines)
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-01-12 10:00 city_officer submitted",
		"2026-03-16 09:00 system brought_over",
		"2026-03-16 09:00 city_officer city_review.reject",
	})
}
