package workflows_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// schedule2027 is a stand-in for the 2027 notice, not yet published when
// these tests were written. Only January matters here: the statutory rule
// gives 元旦 alone (Fri 2027-01-01), so Mon 01-04 is a provisional working day.
func schedule2027(lastOff string) calendar.Schedule {
	var off []calendar.Date
	for d := date("2027-01-01"); !d.After(date(lastOff)); d = d.AddDays(1) {
		off = append(off, d)
	}
	return calendar.Schedule{Year: 2027, Off: off, Notice: "测试用：2027年元旦放假 2027-01-01 至 " + lastOff}
}

// loadCalendar loads an official year as an admin does, then tells the
// process (inside a later callback); it returns the new calendar version.
func (h *harness) loadCalendar(sch calendar.Schedule, when time.Time) int {
	h.t.Helper()
	v, _, err := h.store.SaveCalendarYear(context.Background(), sch, when, "admin", "admin")
	if err != nil {
		h.t.Fatal(err)
	}
	h.env.SignalWorkflow(workflows.SignalCalendarChanged, records.CalendarChanged{Version: v})
	return v
}

// rawDeadlines is the row's deadlines column as stored.
func (h *harness) rawDeadlines() string {
	h.t.Helper()
	b, err := json.Marshal(h.row().Deadlines)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

// RULES §5: a deadline that reaches into a year without an official
// schedule is provisional; when the schedule is loaded, the process
// recomputes it and re-arms its reminders.
//
// Submitted Thu 2026-12-10, 初审 counts 12-11..12-31 (15 working days), then
// 2027 without 元旦 (01-01): 01-04..01-08 → Fri 2027-01-08, provisional. The
// loaded schedule also gives Mon 01-04 off, moving it to Mon 01-11.
func TestDecision_YearsWithoutNotice_ProvisionalDeadlineRecomputedWhenYearIsLoaded(t *testing.T) {
	h := newHarness(t, at("2026-12-10", 9))
	h.later(at("2026-12-10", 12), func() {
		d, _ := deadlineKind(h.state().Deadlines, "county_review")
		if d.Due.String() != "2027-01-08" || !d.Provisional || d.CalendarVersion != 0 {
			t.Errorf("before the load: %+v, want 2027-01-08 provisional on version 0", d)
		}
	})
	version := 0
	h.later(at("2026-12-15", 10), func() { version = h.loadCalendar(schedule2027("2027-01-04"), at("2026-12-15", 10)) })
	h.later(at("2026-12-15", 11), func() {
		for where, ds := range map[string][]calendar.Deadline{"query": h.state().Deadlines, "row": h.row().Deadlines} {
			d, _ := deadlineKind(ds, "county_review")
			if d.Due.String() != "2027-01-11" || !d.DueAt.Equal(date("2027-01-11").End()) || d.Provisional || d.CalendarVersion != version {
				t.Errorf("%s after the load: %+v, want 2027-01-11, official, version %d", where, d, version)
			}
		}
		e, found := findEvent(h.events(), "deadlines.recomputed")
		if !found || e.String() != "2026-12-15 10:00 system deadlines.recomputed" || !strings.Contains(e.Note, "county_review → 2027-01-11") {
			t.Errorf("recomputation event %+v (found %v)", e, found)
		}
		// The next revision's fan-out tells the run that wrote the rules
		// (the test environment's runs all have one ID).
		procs, err := h.store.ProcessRulesOf(context.Background(), "application", []string{h.in.ApplicationID})
		if err != nil || len(procs) != 1 || procs[0].RunID != "default-test-run-id" {
			t.Errorf("the rules' run: %+v (%v), want the process's run", procs, err)
		}
	})
	h.update(at("2027-01-11", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审"))
	h.run()

	// Re-armed on the new day: Wed 01-06, Fri 01-08 and Mon 01-11. Nothing
	// was sent for the old day (its first reminder, Tue 01-05, lay after the load).
	equal(t, "初审 alerts", h.alerts("county_review"), []string{
		"reminder county_officer 2027-01-06 09:00 due 2027-01-11",
		"reminder county_officer 2027-01-08 09:00 due 2027-01-11",
		"reminder county_officer 2027-01-11 09:00 due 2027-01-11",
	})
}

// RULES §5: a loaded schedule that leaves the day where it was changes
// nothing: no recomputation is recorded, the row is untouched, and the
// reminders stay as they were. Here 元旦 is 01-01..01-03, Fri to Sun.
func TestDecision_YearsWithoutNotice_LoadedYearWithSameDayChangesNothing(t *testing.T) {
	h := newHarness(t, at("2026-12-10", 9))
	before := ""
	h.later(at("2026-12-15", 9), func() { before = h.rawDeadlines() })
	version := 0
	h.later(at("2026-12-15", 10), func() { version = h.loadCalendar(schedule2027("2027-01-03"), at("2026-12-15", 10)) })
	h.later(at("2026-12-15", 11), func() {
		if after := h.rawDeadlines(); after != before {
			t.Errorf("row deadlines changed:\n%s\n→ %s", before, after)
		}
		if d, _ := deadlineKind(h.state().Deadlines, "county_review"); d.Due.String() != "2027-01-08" || d.CalendarVersion != version {
			t.Errorf("query: %+v, want 2027-01-08 on version %d", d, version)
		}
		if e, found := findEvent(h.events(), "deadlines.recomputed"); found {
			t.Errorf("recorded %+v for a day that did not change", e)
		}
	})
	h.update(at("2027-01-08", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审"))
	h.run()

	equal(t, "初审 alerts", h.alerts("county_review"), []string{
		"reminder county_officer 2027-01-05 09:00 due 2027-01-08",
		"reminder county_officer 2027-01-07 09:00 due 2027-01-08",
		"reminder county_officer 2027-01-08 09:00 due 2027-01-08",
	})
}

// 第十三条 and RULES §5: a notice reaching into a provisional year moves
// with the loaded schedule, and objections are received until its new end.
// Published Tue 2026-12-29: 12-29, 12-30, 12-31, 01-04, 01-05 provisionally;
// with 01-04 off it ends Wed 2027-01-06.
func Test第十三条_NoticeRecomputedWhenYearIsLoaded(t *testing.T) {
	h := newHarness(t, at("2026-12-21", 9))
	h.throughCityReview("2026-12-22", "2026-12-23", "2026-12-24", "2026-12-29")
	h.later(at("2026-12-29", 12), func() {
		if r := h.row(); r.NoticeStart != "2026-12-29" || r.NoticeEnd != "2027-01-05" {
			t.Errorf("provisional notice %s..%s, want 2026-12-29..2027-01-05", r.NoticeStart, r.NoticeEnd)
		}
	})
	h.later(at("2026-12-30", 10), func() { h.loadCalendar(schedule2027("2027-01-04"), at("2026-12-30", 10)) })
	h.later(at("2026-12-30", 11), func() {
		r := h.row()
		if r.NoticeStart != "2026-12-29" || r.NoticeEnd != "2027-01-06" {
			t.Errorf("notice after the load %s..%s, want 2026-12-29..2027-01-06", r.NoticeStart, r.NoticeEnd)
		}
		wantDeadlines(t, "公示", r.Deadlines, map[string]string{"public_notice": "2027-01-06"})
	})
	h.objection("2027-01-06", 15, "OB1", "public", "2027-01-06")
	h.ruling("2027-01-06", 16, "OB1", false)
	h.run()

	// Received 01-06: 01-07, 01-08, 01-11..01-15, 01-18..01-20 → Wed 01-20.
	if status, due := h.objectionRow("OB1"); status != "dismissed" || due != "2027-01-20" {
		t.Errorf("OB1: %s, ruling due %s; want dismissed, 2027-01-20", status, due)
	}
	es := lines(h.events())
	equal(t, "history tail", es[len(es)-4:], []string{
		"2026-12-30 10:00 system deadlines.recomputed",
		"2027-01-06 15:00 city_officer objection.received",
		"2027-01-06 16:00 city_officer objection.ruled",
		"2027-01-07 00:00 system admitted",
	})
}

// 第十三条 and RULES §5: a day's ruling clock that a loaded schedule moves
// moves the ruling date on record too — the process's own, the day's and
// each open objection's, which the objector and the city read.
// Received Tue 2026-12-29: 12-30, 12-31, 01-04..01-08, 01-11..01-13 →
// 2027-01-13 provisionally; with 01-04 off, 2027-01-14.
func Test第十三条_RulingDateMovesWithTheLoadedSchedule(t *testing.T) {
	h := newHarness(t, at("2026-12-21", 9))
	h.throughCityReview("2026-12-22", "2026-12-23", "2026-12-24", "2026-12-29")
	h.later(at("2026-12-29", 15), func() {
		h.draftObjection("OB1", "public", "2026-12-29")
		h.send(workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: date("2026-12-29"),
			FiledOn: date("2026-12-29")}, ok(t, "OB1's day told"))
	})
	rulingDues := func(want string) {
		t.Helper()
		var day string
		if err := h.store.Pool().QueryRow(context.Background(), `SELECT to_char(ruling_due, 'YYYY-MM-DD') FROM objection_days
			WHERE application_id = $1 AND received_on = '2026-12-29'`, h.in.ApplicationID).Scan(&day); err != nil {
			t.Fatal(err)
		}
		_, objection := h.objectionRow("OB1")
		var process string
		if days := h.state().ObjectionDays; len(days) == 1 {
			process = days[0].RulingDue.String()
		}
		if process != want || day != want || objection != want {
			t.Errorf("ruling due: the process %q, the day %q, the objection %q; want %s", process, day, objection, want)
		}
	}
	h.later(at("2026-12-29", 16), func() { rulingDues("2027-01-13") })
	h.later(at("2026-12-30", 10), func() { h.loadCalendar(schedule2027("2027-01-04"), at("2026-12-30", 10)) })
	h.later(at("2026-12-30", 11), func() { rulingDues("2027-01-14") })
	h.dismissed(at("2026-12-30", 12), "2026-12-29", "OB1", ok(t, "OB1 ruled"))
	h.run()
}

// RULES §5: a revision that would move a running deadline earlier to a day
// already over leaves it where the process put it; one that moves it earlier
// to a day not yet over moves it. 安宁's days off on 03-10 and 03-11 move
// the 初审 from 03-30 to 04-01; 03-11 taken back on 03-30 moves it to 03-31
// (not over); 03-10 taken back on 03-31 would end it on 03-30 — over — and
// lapse it at once: it stays 03-31.
func TestDecision_ADayOffTakenBackDoesNotEndARunningPeriodAlreadyOver(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	tell := func(when time.Time, change func() error) {
		h.later(when, func() {
			if err := change(); err != nil {
				t.Fatal(err)
			}
			v, err := h.store.CalendarVersion(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			h.env.SignalWorkflow(workflows.SignalCalendarChanged, records.CalendarChanged{Version: v})
		})
	}
	code := h.in.CountyCode
	dayOff := func(when time.Time, day string, add bool) {
		tell(when, func() error {
			if add {
				_, err := h.store.AddCountyOffDay(context.Background(), code, date(day), "测试用地方假日", when, "admin", "admin")
				return err
			}
			_, err := h.store.RemoveCountyOffDay(context.Background(), code, date(day), when, "admin", "admin")
			return err
		})
	}
	due := func(when time.Time, want string) {
		h.later(when, func() {
			d, _ := deadlineKind(h.state().Deadlines, "county_review")
			r, _ := deadlineKind(h.row().Deadlines, "county_review")
			if d.Due.String() != want || r.Due.String() != want {
				t.Errorf("%s: 初审 due %s (row %s), want %s", when.Format("01-02 15:04"), d.Due, r.Due, want)
			}
		})
	}
	dayOff(at("2026-03-03", 10), "2026-03-10", true)
	dayOff(at("2026-03-03", 11), "2026-03-11", true)
	due(at("2026-03-03", 12), "2026-04-01")
	dayOff(at("2026-03-30", 10), "2026-03-11", false) // earlier, not yet over: moved
	due(at("2026-03-30", 11), "2026-03-31")
	dayOff(at("2026-03-31", 10), "2026-03-10", false) // earlier, to a day over: kept
	due(at("2026-03-31", 11), "2026-03-31")
	h.update(at("2026-03-31", 15), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审 on its kept last day"))
	h.run()
}

// RULES §5 (a revision re-arms the deadlines it moves) across
// continue-as-new: a revision the run takes while it waits to continue —
// here for the 初审 approval's write, the moment after the run decided —
// is carried into the next run, which recomputes the 复审 at once instead of
// keeping the older day until the older schedule's first reminder
// (changeStaleRecomputedBeforeWait).
//
// Approved Fri 2026-12-11: 复审's 20 working days count 12-14..12-31 (14) and
// 2027-01-04..01-11, provisional; the loaded schedule gives 01-04 off → Tue 01-12.
func TestDecision_ARevisionTakenAsTheRunContinuesIsAppliedByTheNext(t *testing.T) {
	h := newHarness(t, at("2026-12-10", 9))
	approved := at("2026-12-11", 10)
	h.later(approved.Add(-time.Minute), func() { h.env.SetContinueAsNewSuggested(true) })
	h.update(approved, workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	version := 0
	h.later(approved.Add(time.Second), func() { version = h.loadCalendar(schedule2027("2027-01-04"), approved) })
	next := h.runUntilContinued()
	if next.State == nil || next.State.Deadlines.CalendarVersion != version || next.State.Stage != workflows.StageCityReview {
		t.Fatalf("the next run is handed %+v, want 复审 on calendar version %d", next.State, version)
	}
	if d, _ := deadlineKind(h.row().Deadlines, "city_review"); d.Due.String() != "2027-01-11" {
		t.Fatalf("复审 on record as the run continues: %+v, want 2027-01-11 (before the revision)", d)
	}

	h2 := h.nextRun(h.env.Now(), next)
	h2.later(at("2026-12-11", 11), func() {
		d, _ := deadlineKind(h2.row().Deadlines, "city_review")
		if d.Due.String() != "2027-01-12" || d.CalendarVersion != version {
			t.Errorf("复审 on record in the next run: %+v, want 2027-01-12 on version %d", d, version)
		}
		if _, found := findEvent(h2.events(), "deadlines.recomputed"); !found {
			t.Error("no deadlines.recomputed recorded by the next run")
		}
	})
	h2.update(at("2026-12-14", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "复审"))
	h2.run()
}

// RULES §5, with the decision path (docs/ARCHITECTURE.md, a decision's writes
// left to its caller): an expert's opinion that comes while the process is
// recomputing its deadlines after a revision carries the row as it was —
// 复审 still on the older day. Its caller writes that after the answer; when
// the write lands after the recomputation's own record, the older day would
// stand on the row until the next step. The recomputation is a step of the
// process's own, so it is recorded after the decisions' writes
// (recompute-after-writes): the opinion's write first, then the revised day.
func TestDecision_ADecisionDuringARecomputationLeavesTheRevisedDayOnRecord(t *testing.T) {
	h := newHarness(t, at("2026-12-10", 9))
	acts := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	var slow atomic.Bool // the next computation takes half an hour of business time
	h.env.OnActivity(workflows.ActivityComputeDeadline, mock.Anything, mock.Anything).
		Return(func(ctx context.Context, r deadline.Rule) (deadline.Schedule, error) {
			return acts.ComputeDeadline(ctx, r)
		}).
		AfterFn(func() time.Duration {
			if slow.Swap(false) {
				return 30 * time.Minute
			}
			return 0
		})
	h.update(at("2026-12-11", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.update(at("2026-12-14", 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	revised := at("2026-12-15", 10)
	h.later(revised, func() {
		slow.Store(true)
		h.loadCalendar(schedule2027("2027-01-04"), revised)
	})
	var held []records.Write // the opinion's writes, made by its caller an hour later
	h.later(revised.Add(time.Minute), func() {
		h.seq++
		expert := h.state().Drawn[0]
		h.env.UpdateWorkflow(workflows.UpdateExpertOpinion, "opinion", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { h.done++; t.Errorf("opinion refused: %v", err) },
			OnComplete: func(res any, err error) {
				h.done++
				if err != nil {
					t.Errorf("opinion: %v", err)
					return
				}
				held = res.(workflows.DecisionResult).Writes
			},
		}, workflows.ExpertOpinionRequest{Actor: workflows.Actor{Sub: expert, Role: "expert"}, Score: 85, Recommend: true})
	})
	h.later(revised.Add(time.Hour), func() {
		if len(held) == 0 {
			t.Fatal("the opinion left its caller no writes")
		}
		writeAsCaller(t, h.store, held)
	})
	h.later(revised.Add(2*time.Hour), func() {
		if d, _ := deadlineKind(h.row().Deadlines, "city_review"); d.Due.String() != "2027-01-12" {
			t.Errorf("复审 on record after the opinion's caller wrote: %s, want 2027-01-12 (revised)", d.Due)
		}
		if n := len(h.state().Opinions); n != 1 {
			t.Errorf("opinions in the process: %d, want 1", n)
		}
		if _, found := findEvent(h.events(), "deadlines.recomputed"); !found {
			t.Error("no deadlines.recomputed recorded")
		}
	})
	h.update(at("2026-12-16", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "复审"))
	h.run()
}

// 第十二条, RULES §5: a calendar revision that comes while an expert draw's
// write is under way is recorded after it (draw-holds-steps), so the row
// keeps the revised 复审 day and each drawn expert's opinion task, due that
// day. Before, the recomputation recorded meanwhile — its tasks without the
// experts not yet drawn —, or the draw's write, landing after it, put the
// older day back.
func TestDecision_ARevisionDuringADrawLeavesTheRevisedDayAndTheExpertsTasks(t *testing.T) {
	h := newHarness(t, at("2026-12-10", 9))
	acts := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	h.env.OnActivity(workflows.ActivityDrawExperts, mock.Anything, mock.Anything).
		Return(func(ctx context.Context, r records.DrawRequest) (expertdraw.Result, error) {
			return acts.DrawExperts(ctx, r)
		}).
		After(30 * time.Minute) // the draw's write takes half an hour of business time
	h.update(at("2026-12-11", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	drawn := at("2026-12-14", 10)
	h.update(drawn, workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	h.later(drawn.Add(time.Minute), func() { h.loadCalendar(schedule2027("2027-01-04"), drawn.Add(time.Minute)) })
	h.later(drawn.Add(2*time.Hour), func() {
		if d, _ := deadlineKind(h.row().Deadlines, "city_review"); d.Due.String() != "2027-01-12" {
			t.Errorf("复审 on record after the draw: %s, want 2027-01-12 (revised)", d.Due)
		}
		rows, err := h.store.Pool().Query(context.Background(),
			`SELECT to_char(due, 'YYYY-MM-DD') FROM tasks WHERE object_id = $1 AND kind = 'expert_opinion'`, h.in.ApplicationID)
		if err != nil {
			t.Fatal(err)
		}
		var dues []string
		for rows.Next() {
			var due string
			if err := rows.Scan(&due); err != nil {
				t.Fatal(err)
			}
			dues = append(dues, due)
		}
		if len(dues) != 5 || strings.Count(strings.Join(dues, " "), "2027-01-12") != 5 {
			t.Errorf("the drawn experts' opinion tasks on record: %v, want five due 2027-01-12", dues)
		}
	})
	h.update(at("2026-12-16", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "复审"))
	h.run()
}
