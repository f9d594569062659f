package workflows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// objection stores objection id, received on receivedOn, at when and tells
// the process of it at once (the per-objection Update of processes begun
// before objections by day).
func (h *harness) objection(when string, hour int, id, via, receivedOn string) {
	h.later(at(when, hour), func() {
		h.draftObjection(id, via, receivedOn)
		h.send(workflows.UpdateObjection, workflows.ObjectionRequest{Actor: city(), ObjectionID: id,
			ReceivedOn: date(receivedOn), Via: via}, ok(h.t, "objection "+id))
	})
}

// ruling rules on objection id at when.
func (h *harness) ruling(when string, hour int, id string, upheld bool) {
	h.update(at(when, hour), workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: city(), ObjectionID: id,
		Upheld: upheld, Reason: "经核查"}, ok(h.t, "ruling on "+id))
}

// dismissed stores at when the dismissal of objection id, received on
// day, and tells its process that the day's last open objection is ruled
// — as the API does: the ruling on record first.
func (h *harness) dismissed(when time.Time, day, id string, check func(error)) {
	h.later(when, func() {
		if _, err := h.store.Pool().Exec(context.Background(),
			`UPDATE objections SET status = 'dismissed', ruled_at = now() WHERE id = $1`, id); err != nil {
			h.t.Fatal(err)
		}
		h.send(workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(), ReceivedOn: date(day), ObjectionID: id}, check)
	})
}

// duringNoticeEndRead sends Update name as the notice's end starts reading
// the days of objections never told (ActivityDraftDays): posted to the
// test's loop from the activity's goroutine, it comes while the step waits
// for its read. The flag reports whether it was sent.
func (h *harness) duringNoticeEndRead(name string, arg any, check func(error)) *bool {
	sent := new(bool)
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		if info.ActivityType.Name != workflows.ActivityDraftDays || *sent {
			return
		}
		*sent = true
		h.env.RegisterDelayedCallback(func() { h.send(name, arg, check) }, 0)
	})
	return sent
}

// tellObjectionDay stores objection id, received and filed on day, and
// tells the process of its day now (inside a callback), as the API does.
func (h *harness) tellObjectionDay(id, day string, check func(error)) {
	h.draftObjection(id, "public", day)
	h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date(day), FiledOn: date(day)}, check)
}

// admittedAfterTheNoticesEndOpenedADay checks, once the run is over, that
// the notice's end (Fri 03-13, 00:00) opened the day of 03-09 with note,
// and that the day's ruling on Mon 03-16 then admitted the application.
func (h *harness) admittedAfterTheNoticesEndOpenedADay(note string) {
	h.t.Helper()
	h.admittedOn("2026-03-16")
	es := lines(h.events())
	equal(h.t, "history tail", es[len(es)-4:], []string{
		"2026-03-13 00:00 system objection.received",
		"2026-03-13 00:00 system notice.ended",
		"2026-03-16 10:00 city_officer objections.day_ruled",
		"2026-03-16 10:00 system admitted",
	})
	if got := h.events()[len(es)-4].Note; got != note {
		h.t.Errorf("the opened day's note %q, want %q", got, note)
	}
}

// admittedOn checks, once the run is over, that the application was
// admitted on day, its brand active.
func (h *harness) admittedOn(day string) {
	h.t.Helper()
	if _, status, admittedOn, _ := h.brand(); status != workflows.BrandStatusActive || admittedOn != day {
		h.t.Errorf("brand %q admitted %q; want active, %s", status, admittedOn, day)
	}
}

// rejectedWithNothingAfter checks, once the run is over, that an upheld
// objection rejected the application, that no deadline outlived it and
// that nothing was recorded after it.
func (h *harness) rejectedWithNothingAfter() {
	h.t.Helper()
	if r := h.row(); r.Stage != workflows.StageRejected || len(r.Deadlines) != 0 {
		h.t.Errorf("stage %s, deadlines %+v; want rejected, none", r.Stage, r.Deadlines)
	}
	es := lines(h.events())
	if last := es[len(es)-1]; !strings.HasSuffix(last, " objection.upheld") {
		h.t.Errorf("the history ends with %q, want the upheld objection: %q", last, es[len(es)-4:])
	}
}

// stageAt checks the queried stage at when.
func (h *harness) stageAt(when string, hour int, want string) {
	h.later(at(when, hour), func() {
		if s := h.state().Stage; s != want {
			h.t.Errorf("%s %02d:00: stage %s, want %s", when, hour, s, want)
		}
	})
}

// 第十三条: an upheld objection rejects the application during the notice.
// Received Mon 03-09, its ruling is due 10 working days after: Mon 03-23.
func Test第十三条_UpheldObjectionRejects(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.objection("2026-03-09", 10, "OB1", "public", "2026-03-09")
	h.later(at("2026-03-09", 12), func() {
		wantDeadlines(t, "异议", h.row().Deadlines, map[string]string{"public_notice": "2026-03-12", "objection_ruling:OB1": "2026-03-23"})
		if status, due := h.objectionRow("OB1"); status != "open" || due != "2026-03-23" {
			t.Errorf("OB1: %s, ruling due %s; want open, 2026-03-23", status, due)
		}
	})
	h.refused(at("2026-03-10", 9), workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: city(), ObjectionID: "OB1", Upheld: true},
		workflows.RejectInvalid, nil)
	h.ruling("2026-03-10", 10, "OB1", true)
	h.run()

	if r := h.row(); r.Stage != workflows.StageRejected || len(r.Deadlines) != 0 {
		t.Errorf("stage %s, deadlines %+v; want rejected, none", r.Stage, r.Deadlines)
	}
	if status, _ := h.objectionRow("OB1"); status != "upheld" {
		t.Errorf("OB1 %s, want upheld", status)
	}
	if _, _, _, found := h.brand(); found {
		t.Error("brand record created despite an upheld objection")
	}
	es := lines(h.events())
	equal(t, "history tail", es[len(es)-3:], []string{
		"2026-03-06 10:00 city_officer city_review.approve",
		"2026-03-09 10:00 city_officer objection.received",
		"2026-03-10 10:00 city_officer objection.ruled",
	})
}

// 第十三条: a dismissed objection does not shorten the notice: admission
// still waits for 24:00 of its last day (Thu 03-12).
func Test第十三条_DismissedObjectionAdmittedAfterNoticeEnds(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.objection("2026-03-09", 10, "OB1", "public", "2026-03-09")
	h.ruling("2026-03-10", 10, "OB1", false)
	h.stageAt("2026-03-10", 12, workflows.StagePublicNotice)
	h.stageAt("2026-03-12", 23, workflows.StagePublicNotice)
	h.run()

	if status, due := h.objectionRow("OB1"); status != "dismissed" || due != "2026-03-23" {
		t.Errorf("OB1: %s, ruling due %s; want dismissed, 2026-03-23", status, due)
	}
	h.admittedOn("2026-03-13")
	es := lines(h.events())
	equal(t, "history tail", es[len(es)-3:], []string{
		"2026-03-09 10:00 city_officer objection.received",
		"2026-03-10 10:00 city_officer objection.ruled",
		"2026-03-13 00:00 system admitted",
	})
}

// 第十三条 over 国庆: the notice published Tue 09-29 runs 09-29, 09-30, 10-08,
// 10-09 and Sat 10-10 (an adjusted working day). Each objection has its own
// 10-working-day clock from the day after its receipt (a mailed one from its
// postmark); one received outside the notice is refused; the notice ends
// with objections open, so the application waits in objection_review until
// the last is ruled.
func Test第十三条_EachObjectionHasItsOwnRulingClock(t *testing.T) {
	h := newHarness(t, at("2026-09-07", 9))
	h.throughCityReview("2026-09-08", "2026-09-09", "2026-09-10", "2026-09-29")
	outside := func(r workflows.Rejection) {
		if r.Code != "outside_notice_period" || r.Details["notice_start"] != "2026-09-29" || r.Details["notice_end"] != "2026-10-10" {
			t.Errorf("rejection %+v, want outside_notice_period 2026-09-29..2026-10-10", r)
		}
	}
	h.draftObjection("OB0", "mail", "2026-09-28")
	h.refused(at("2026-09-29", 11), workflows.UpdateObjection, workflows.ObjectionRequest{Actor: city(), ObjectionID: "OB0",
		ReceivedOn: date("2026-09-28"), Via: "mail"}, workflows.RejectConflict, outside)
	// Received Tue 09-29: 09-30, 10-08, 10-09, 10-10, 10-12..10-16, Mon 10-19.
	h.objection("2026-09-29", 15, "OB1", "public", "2026-09-29")
	// Postmarked Fri 10-09: 10-10, 10-12..10-16, 10-19..10-21, Thu 10-22.
	h.objection("2026-10-09", 15, "OB2", "mail", "2026-10-09")
	h.stageAt("2026-10-10", 23, workflows.StagePublicNotice)
	h.later(at("2026-10-11", 10), func() {
		r := h.row()
		if r.Stage != workflows.StageObjectionReview {
			t.Errorf("10-11: stage %s, want objection_review", r.Stage)
		}
		wantDeadlines(t, "10-11", r.Deadlines, map[string]string{"objection_ruling:OB1": "2026-10-19", "objection_ruling:OB2": "2026-10-22"})
	})
	// Postmarked on the notice's last day, Sat 10-10, and registered after
	// it ended: 10-12..10-16, 10-19..10-23 → Fri 10-23.
	h.objection("2026-10-12", 10, "OB3", "mail", "2026-10-10")
	h.draftObjection("OB4", "mail", "2026-10-11")
	h.refused(at("2026-10-12", 11), workflows.UpdateObjection, workflows.ObjectionRequest{Actor: city(), ObjectionID: "OB4",
		ReceivedOn: date("2026-10-11"), Via: "mail"}, workflows.RejectConflict, outside)
	h.ruling("2026-10-13", 10, "OB1", false)
	h.ruling("2026-10-14", 10, "OB2", false)
	h.stageAt("2026-10-14", 12, workflows.StageObjectionReview)
	h.ruling("2026-10-15", 10, "OB3", false)
	h.run()

	for id, want := range map[string]string{"OB1": "2026-10-19", "OB2": "2026-10-22", "OB3": "2026-10-23"} {
		if status, due := h.objectionRow(id); status != "dismissed" || due != want {
			t.Errorf("%s: %s, ruling due %s; want dismissed, %s", id, status, due, want)
		}
	}
	if status, _ := h.objectionRow("OB0"); status != "draft" {
		t.Errorf("refused OB0 is %s, want still draft", status)
	}
	if r := h.row(); r.Stage != workflows.StageAdmitted || len(r.Deadlines) != 0 {
		t.Errorf("row: stage %s, deadlines %+v; want admitted, none", r.Stage, r.Deadlines)
	}
	if _, _, admittedOn, _ := h.brand(); admittedOn != "2026-10-15" {
		t.Errorf("admitted on %q, want 2026-10-15 (the last ruling)", admittedOn)
	}
	es := lines(h.events())
	equal(t, "history tail", es[len(es)-9:], []string{
		"2026-09-29 10:00 city_officer city_review.approve",
		"2026-09-29 15:00 city_officer objection.received",
		"2026-10-09 15:00 city_officer objection.received",
		"2026-10-11 00:00 system notice.ended", // 24:00 of Sat 10-10
		"2026-10-12 10:00 city_officer objection.received",
		"2026-10-13 10:00 city_officer objection.ruled",
		"2026-10-14 10:00 city_officer objection.ruled",
		"2026-10-15 10:00 city_officer objection.ruled",
		"2026-10-15 10:00 system admitted",
	})
	if n := h.alertsSent(); n != 0 {
		t.Errorf("%d messages in the outbox; every ruling came before its first reminder", n)
	}
}

// 第十三条 and RULES §3 Decision: a 5-working-day notice published around
// 国庆 (10-01..10-07 off, Sat 10-10 worked), under each counting convention.
func Test第十三条_NoticeOverNationalDay(t *testing.T) {
	for _, c := range []struct {
		name            string
		published       string // the day 复审 approves, 10:00
		fromPublication bool
		start, end      string
		admitted        string // 24:00 of end
	}{
		{"publication day is day 1", "2026-09-29", true, "2026-09-29", "2026-10-10", "2026-10-11 00:00"},
		{"counting from the next working day", "2026-09-29", false, "2026-09-30", "2026-10-12", "2026-10-13 00:00"},
		{"published on a holiday starts on the next working day", "2026-10-03", true, "2026-10-08", "2026-10-13", "2026-10-14 00:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if n, _ := calendar.Default().WorkdaysBetween(date(c.start).AddDays(-1), date(c.end)); n != 5 {
				t.Fatalf("%s..%s holds %d working days, want 5", c.start, c.end, n)
			}
			h := newHarness(t, at("2026-09-07", 9))
			h.in.Policy.NoticeFromPublication = c.fromPublication
			h.throughCityReview("2026-09-08", "2026-09-09", "2026-09-10", c.published)
			h.later(at(c.published, 12), func() {
				r := h.row()
				if r.NoticeStart != c.start || r.NoticeEnd != c.end {
					t.Errorf("notice %s..%s, want %s..%s", r.NoticeStart, r.NoticeEnd, c.start, c.end)
				}
				wantDeadlines(t, "公示", r.Deadlines, map[string]string{"public_notice": c.end})
			})
			h.stageAt(c.end, 23, workflows.StagePublicNotice)
			h.run()

			es := h.events()
			if last := es[len(es)-1].String(); last != c.admitted+" system admitted" {
				t.Errorf("last event %q, want admitted at %s", last, c.admitted)
			}
		})
	}
}

// 第十三条 (公示期内提出的异议都须核实): the API stores an objection before it
// tells the process of its day, and a 503 or a stop between the two leaves
// it stored and unknown to the process — say Temporal was unreachable until
// after the notice ended. When the notice ends the process reads such days
// and opens each one filed within the notice, with its ruling clock from
// its own day: the application waits for the ruling instead of being
// admitted over it. One filed before the notice (the API would have
// refused it) stays a draft.
func Test第十三条_AnObjectionStoredAndNeverToldIsOpenedWhenTheNoticeEnds(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() {
		h.draftObjection("OB1", "public", "2026-03-09") // never told
		h.draftObjection("OB0", "public", "2026-03-05") // before the notice
	})
	// The notice runs 03-06..03-12; OB1's 10 working days from 03-10: Mon 03-23.
	h.later(at("2026-03-13", 10), func() {
		r := h.row()
		if r.Stage != workflows.StageObjectionReview {
			t.Errorf("03-13: stage %s, want objection_review", r.Stage)
		}
		wantDeadlines(t, "03-13", r.Deadlines, map[string]string{"objection_day:2026-03-09": "2026-03-23"})
		if status, due := h.objectionRow("OB1"); status != "open" || due != "2026-03-23" {
			t.Errorf("OB1: %s, ruling due %s; want open, 2026-03-23", status, due)
		}
		if _, _, _, found := h.brand(); found {
			t.Error("admitted over an objection filed in time")
		}
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "OB1 dismissed, the day's last"))
	h.run()

	if status, _ := h.objectionRow("OB0"); status != "draft" {
		t.Errorf("OB0, filed before the notice, is %s; want still draft", status)
	}
	h.admittedAfterTheNoticesEndOpenedADay("2026-03-09 收到异议，裁定期限 2026-03-23（公示期届满时补登）")
}

// 第十三条 and RULES §3 (admitted only once every objection is ruled): an
// objection received on a day whose objections were all ruled is stored open
// and its telling opens the day again; told never (a 503 its filer did not
// retry), it is found when the notice ends, and the day opens again then.
// Before, the day was skipped as known, and the application was admitted
// over the objection.
func Test第十三条_AnObjectionOnARuledDayNeverToldOpensItAgainWhenTheNoticeEnds(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.dismissed(at("2026-03-09", 11), "2026-03-09", "OB1", ok(t, "OB1 dismissed, the day's last"))
	h.later(at("2026-03-09", 12), func() {
		h.exec(`UPDATE objections SET status = 'dismissed', ruled_at = now() WHERE id = 'OB1'`)
		h.draftObjection("OB2", "public", "2026-03-09")
		h.exec(`UPDATE objections SET status = 'open', ruling_due = '2026-03-23', untold = true WHERE id = 'OB2'`) // as FileObjection stores it
	})
	h.later(at("2026-03-13", 10), func() {
		r := h.row()
		if r.Stage != workflows.StageObjectionReview {
			t.Errorf("03-13: stage %s, want objection_review", r.Stage)
		}
		wantDeadlines(t, "03-13", r.Deadlines, map[string]string{"objection_day:2026-03-09": "2026-03-23"})
		if _, _, _, found := h.brand(); found {
			t.Error("admitted over an objection never ruled")
		}
		var untold bool
		if err := h.store.Pool().QueryRow(context.Background(), `SELECT untold FROM objections WHERE id = 'OB2'`).Scan(&untold); err != nil || untold {
			t.Errorf("OB2 untold %v (%v) after its day opened again; want told", untold, err)
		}
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB2", ok(t, "OB2 dismissed, the day's last"))
	h.run()

	h.admittedAfterTheNoticesEndOpenedADay("2026-03-09 收到异议，裁定期限 2026-03-23（该日此前的异议已全部裁定，又收到异议；公示期届满时补登）")
}

// 第十三条 (admitted only once every objection is ruled): the ruling of a
// day's last open objection is stored; an objection of the same day is
// stored just after it, opening the day again, and its Update reaches the
// process before the ruling's — the day still open, it opens nothing. The
// ruling's Update then finds an objection of its day unruled on record and
// leaves the day open: the notice's end waits for it, and its ruling
// admits. (Before, the ruling closed the day over it, and the notice's end
// admitted the application with it unruled.)
func Test第十三条_ARulingOvertakenByAnObjectionOfItsDayLeavesTheDayOpen(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-09", 11), func() {
		h.exec(`UPDATE objections SET status = 'dismissed', ruled_at = now() WHERE id = 'OB1'`)
		h.draftObjection("OB2", "public", "2026-03-09")
		h.exec(`UPDATE objections SET status = 'open', ruling_due = '2026-03-23' WHERE id = 'OB2'`) // told, as the API marks it
		h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-03-09"), FiledOn: date("2026-03-09")},
			ok(t, "OB2's day told, first"))
		h.send(workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(), ReceivedOn: date("2026-03-09"), ObjectionID: "OB1"},
			ok(t, "OB1 dismissed, told after"))
	})
	h.later(at("2026-03-13", 10), func() {
		r := h.row()
		if r.Stage != workflows.StageObjectionReview {
			t.Errorf("03-13: stage %s, want objection_review", r.Stage)
		}
		wantDeadlines(t, "03-13", r.Deadlines, map[string]string{"objection_day:2026-03-09": "2026-03-23"})
		if _, _, _, found := h.brand(); found {
			t.Error("admitted over an objection never ruled")
		}
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB2", ok(t, "OB2 dismissed, the day's last"))
	h.run()

	h.admittedOn("2026-03-16")
	es := lines(h.events())
	equal(t, "history tail", es[len(es)-3:], []string{
		"2026-03-13 00:00 system notice.ended",
		"2026-03-16 10:00 city_officer objections.day_ruled",
		"2026-03-16 10:00 system admitted",
	})
}

// 第十三条 (an objection filed in the notice is heard): one filed in the
// notice's last second, dated by its day, is stored a moment after 24:00.
// The notice's end waits until a minute past 24:00; the objection's day,
// told meanwhile, is opened, and the application waits for its ruling.
// Before, it was admitted at 24:00, and the objection's Update was refused
// and the objection dropped.
func Test第十三条_AnObjectionFiledInTheNoticesLastSecondIsHeard(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-13", 0).Add(20*time.Second), func() {
		h.draftObjection("OB1", "public", "2026-03-12")
		h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-03-12"), FiledOn: date("2026-03-12")},
			ok(t, "the last second's objection told at 00:00:20"))
	})
	h.later(at("2026-03-13", 10), func() {
		if r := h.row(); r.Stage != workflows.StageObjectionReview {
			t.Errorf("03-13: stage %s, want objection_review", r.Stage)
		}
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-12", "OB1", ok(t, "OB1 dismissed, the day's last"))
	h.run()
	h.admittedOn("2026-03-16")
}

// 第十三条 and RELIABILITY (an objection told again is told once): a day
// whose ruling clock runs is told again — a retry, or the starter's sweep
// for an objection whose first telling was answered — and is taken as
// told, though the notice it is checked against has since ended or moved:
// refused, its sender would drop an objection the process accepted, and
// the day's clock would wait for a ruling of nothing.
func Test第十三条_ADayWhoseClockRunsIsTakenWhenToldAgainAfterTheNotice(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	// The notice runs 03-06..03-12: on 03-16 the day is checked against a
	// notice over (here: filed on 03-13, as a notice moved earlier would
	// make it).
	h.later(at("2026-03-16", 9), func() {
		h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-03-09"), FiledOn: date("2026-03-13")},
			ok(t, "the running day told again"))
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "OB1 dismissed, the day's last"))
	h.run()
	h.admittedOn("2026-03-16")
}

// 第十三条: the day's own Update (the API's, or the starter sweep's) may
// come while the notice's end is reading and opening the days never told.
// It waits for that step: the day is opened once, and one ruling closes it
// (opened twice, the second would stay open and the application would wait
// for good).
func Test第十三条_ADayToldWhileTheNoticesEndOpensItIsOpenedOnce(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.draftObjection("OB1", "public", "2026-03-09") })
	told := h.duringNoticeEndRead(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(),
		ReceivedOn: date("2026-03-09"), FiledOn: date("2026-03-09")}, ok(t, "the day told during the notice's end"))
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "OB1 dismissed, the day's last"))
	h.run()

	if !*told {
		t.Fatal("the notice's end read no days")
	}
	received := 0
	for _, e := range lines(h.events()) {
		if strings.HasSuffix(e, " objection.received") {
			received++
		}
	}
	if received != 1 {
		t.Errorf("the day was opened %d times, want once", received)
	}
	h.admittedOn("2026-03-16")
}

// 第十三条: an objection upheld while the notice's end is opening the days
// never told waits for that step, and then rejects the application: the
// step's decision does not overwrite it, and nothing is opened after it.
func Test第十三条_AnObjectionUpheldWhileTheNoticeEndsStillRejects(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-10", 10), func() { h.draftObjection("OB2", "public", "2026-03-10") }) // never told
	upheld := h.duringNoticeEndRead(workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(),
		ReceivedOn: date("2026-03-09"), ObjectionID: "OB1", Upheld: true}, ok(t, "OB1 upheld during the notice's end"))
	h.run()

	if !*upheld {
		t.Fatal("the notice's end read no days")
	}
	h.rejectedWithNothingAfter()
}

// 第十三条, RULES §3: an objection day told at the same moment as the
// ruling that upholds another objection — both validated while the
// application took objections — opens no ruling clock once the ruling has
// rejected the application: nothing is recorded after the rejection, and
// no deadline is left to escalate.
func Test第十三条_AnObjectionDayToldAsAnUpheldRulingRejectsOpensNoClock(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-10", 10), func() {
		h.send(workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(),
			ReceivedOn: date("2026-03-09"), ObjectionID: "OB1", Upheld: true}, ok(t, "OB1 upheld"))
		h.tellObjectionDay("OB2", "2026-03-10", func(error) {}) // refused, or opened before the ruling: either way below
	})
	h.run()

	h.rejectedWithNothingAfter()
}

// 第十三条, docs/RELIABILITY.md (a write inside an Update): the write of a day
// a public objection opens is an activity, scheduled in the workflow task
// that accepts the Update (objection-day-by-activity) — not a local
// activity, whose write could outlive a task the server discarded while the
// Update's retry was refused — and the notice's end, a step of the process's
// own, opens a day never told with a local one as before.
func Test第十三条_AnObjectionDaysWriteIsScheduledWithItsUpdate(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	kinds := map[string][]string{}
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		kinds[info.ActivityType.Name] = append(kinds[info.ActivityType.Name], "activity")
	})
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		kinds[info.ActivityType.Name] = append(kinds[info.ActivityType.Name], "local")
	})
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-10", 10), func() { h.draftObjection("OB2", "public", "2026-03-10") }) // never told
	h.later(at("2026-03-16", 10), func() {
		h.send(workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(),
			ReceivedOn: date("2026-03-09"), ObjectionID: "OB1", Upheld: true}, ok(t, "OB1 upheld"))
	})
	h.run()
	if got := kinds[workflows.ActivityAcceptObjectionDay]; !slices.Equal(got, []string{"activity", "local"}) {
		t.Errorf("the days' writes ran as %v, want the told day's an activity and the notice end's a local one", got)
	}
}

// 第十三条, docs/RELIABILITY.md (an objection stored counts as received): a
// letter postmarked within the notice and entered in the objections' review
// whose telling failed is read before the application is admitted — the
// last ruling of the days told does not admit over it: its day opens, and
// the application is admitted only once it is ruled.
func Test第十三条_AnObjectionNeverToldInTheReviewStopsTheAdmission(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-16", 9), func() { // entered in the review, postmarked in the notice; never told
		h.draftObjection("OB2", "mail", "2026-03-16")
		h.exec(`UPDATE objections SET postmarked_on = '2026-03-11' WHERE id = 'OB2'`)
	})
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "OB1 dismissed"))
	h.stageAt("2026-03-17", 10, workflows.StageObjectionReview)
	h.dismissed(at("2026-03-18", 10), "2026-03-16", "OB2", ok(t, "OB2 dismissed"))
	h.run()

	if status, due := h.objectionRow("OB2"); status != "dismissed" || due == "" {
		t.Errorf("OB2 is %s with ruling due %q; want opened with its day's deadline, then dismissed", status, due)
	}
	var opened []string
	for _, e := range h.events() {
		if e.Action == "objection.received" && strings.Contains(e.Note, "2026-03-16") {
			opened = append(opened, e.Note)
		}
	}
	if len(opened) != 1 || !strings.Contains(opened[0], "（入库前补登）") {
		t.Errorf("OB2's day was recorded as %q; want once, read before the admission", opened)
	}
	h.admittedOn("2026-03-18")
}

// RULES §6 (a decision's writes land in the order it was decided): a day an
// objection opens after a ruling whose write was left to its caller — who
// never made it — waits for that write, so that made later, by the writes
// sweep, it does not put the deadlines and work queue from before the day
// over the day's ruling deadline.
func TestDecision_AnObjectionDayOpensAfterTheWritesBeforeIt(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.noCaller = true
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.later(at("2026-03-09", 10), func() { h.tellObjectionDay("OB1", "2026-03-09", ok(t, "OB1's day told")) })
	h.later(at("2026-03-10", 10), func() { h.tellObjectionDay("OB0", "2026-03-10", ok(t, "OB0's day told")) })
	h.dismissed(at("2026-03-16", 10), "2026-03-09", "OB1", ok(t, "OB1 dismissed"))
	h.later(at("2026-03-16", 10).Add(time.Second), func() { // a letter postmarked in the notice, entered now
		h.draftObjection("OB2", "mail", "2026-03-16")
		h.exec(`UPDATE objections SET postmarked_on = '2026-03-11' WHERE id = 'OB2'`)
		h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-03-16"),
			FiledOn: date("2026-03-11")}, ok(t, "OB2's day told"))
	})
	h.later(at("2026-03-16", 11), func() { // the writes sweep, for the ruling nobody wrote
		h.seq++
		h.env.UpdateWorkflow(workflows.UpdateSettleWrites, "settle", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { h.done++; t.Errorf("settle refused: %v", err) }, OnAccept: func() {},
			OnComplete: func(_ any, err error) { h.done++; ok(t, "settled")(err) }})
	})
	h.later(at("2026-03-16", 12), func() {
		if _, found := deadlineKind(h.row().Deadlines, "objection_day:2026-03-16"); !found {
			t.Errorf("after the sweep wrote the ruling, the application's deadlines %+v lack the day OB2 opened", h.row().Deadlines)
		}
	})
	h.dismissed(at("2026-03-17", 10), "2026-03-10", "OB0", ok(t, "OB0 dismissed"))
	h.dismissed(at("2026-03-17", 11), "2026-03-16", "OB2", ok(t, "OB2 dismissed"))
	h.run()

	h.admittedOn("2026-03-17")
}
