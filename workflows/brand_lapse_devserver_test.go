package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（一）（二）, RULES §4 ("level 1 not confirmed rectified by its due
// date → level 2 opens"), on a real Temporal server: a confirmation sent
// once the month is over, while the worker is away, reaches the process in
// the workflow task that also carries the month's timer — where the SDK runs
// Update handlers before the workflow's own code. It is refused as the
// lapse's to take first (lapse_pending), not applied to the order the lapse
// climbs; the lapse then opens the interview as on any other night.
func Test第十五条_AConfirmationAfterTheMonthNeverBeatsItsLapse(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BL"
	// Business time starts at 20:00 on the order's last day, an hour a
	// wall-clock second: the month ends four seconds in.
	b := s.startWith(t, "2024-03-01", at("2026-02-27", 20), 3600, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: date("2026-01-27"), Due: date("2026-02-27")}}
	})
	b.await("the imported order", func(st workflows.BrandState) bool { return st.Rectification != nil && st.Rectification.WindowOpen })
	s.awayUntil(b, at("2026-02-28", 1))
	answered := make(chan error, 1)
	go func() {
		answered <- b.update("late-confirm", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: b.county, Note: "已整改"})
	}()
	time.Sleep(time.Second) // the Update waits at the server, with the timer's task
	s.resumeWorker()
	if err := <-answered; err == nil {
		t.Error("a confirmation sent after the month ended was applied, want refused")
	} else if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "lapse_pending" {
		t.Errorf("a confirmation sent after the month ended: %v, want refused as lapse_pending", err)
	}
	st := b.await("the lapse", func(st workflows.BrandState) bool { return st.Rectification != nil && !st.Rectification.WindowOpen })
	if st.Rectification.Level != 2 || st.Pending == nil || st.Pending.Kind != workflows.PendingInterview {
		t.Errorf("after the month: %+v pending %+v, want level 2 and the interview", st.Rectification, st.Pending)
	}
}

// RULES §5 (a deadline that ran out is never moved), on a real Temporal
// server: a county day off added on the evaluation report's last day, taken
// by the process once that day is over — the worker away at 24:00, the
// revision and the deadline's timer reaching it in one workflow task —
// leaves the report missed as it stood (the level-1 order for late
// information): a revision moves deadlines still running, never reopens one
// that ran out.
func TestRULES5_ARevisionTakenAfterADeadlineRanOutDoesNotReopenIt(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BR"
	// The window opens 2026-02-26; the report is due a working day later,
	// on Friday 02-27; business time starts at 20:00 on the 26th, an hour a
	// wall-clock second.
	b := s.startWith(t, "2024-02-26", at("2026-02-26", 20), 3600, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Policy.ReportDays = 1
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2026-02-26")}
	})
	b.await("the report's deadline", func(st workflows.BrandState) bool { return dueOf(st, "evaluation_report") == "2026-02-27" })
	s.awayUntil(b, at("2026-02-28", 1))
	ctx := context.Background()
	if _, err := s.store.AddCountyOffDay(ctx, b.in.CountyCode, date("2026-02-27"), "测试用地方假日", time.Now(), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	cal, err := (&store.Calendars{Store: s.store}).Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	procs, err := s.store.ProcessRulesOf(ctx, "brand", []string{b.in.BrandID})
	if err != nil || len(procs) != 1 {
		t.Fatalf("the brand's rules: %+v %v", procs, err)
	}
	// What the fan-out sends: the report's day computed on the new calendar.
	computed, _ := activities.RecomputeRules(cal, cal.Version(), procs[0].Rules, b.in.Clock.Now())
	if err := s.c.SignalWorkflow(ctx, workflows.BrandWorkflowID(b.in.BrandID), "", workflows.SignalCalendarChanged,
		records.CalendarChanged{Version: cal.Version(), Computed: computed}); err != nil {
		t.Fatal(err)
	}
	s.resumeWorker()
	st := b.await("the lapse or the move", func(st workflows.BrandState) bool {
		return st.Rectification != nil || dueOf(st, "evaluation_report") != "2026-02-27"
	})
	if st.Rectification == nil || st.Rectification.Reason != "late_information" || dueOf(st, "evaluation_report") != "" {
		t.Errorf("after the report's day and the revision: order %+v, report due %q; want the report missed and its order",
			st.Rectification, dueOf(st, "evaluation_report"))
	}
}

// RULES §4 (a missed evaluation report while the brand is suspended opens
// an order of its own beside the suspension), on a real Temporal server:
// with the worker away from before the report's last day until after the
// suspension's end, both deadlines have run out when it comes back. They
// are taken in the order they ran out — the report missed while the brand
// was still suspended, then the suspension's end — not in the order they
// were armed, which took the end first and made the missed report the
// active brand's ordinary order.
func TestRULES4_DeadlinesThatRanOutWhileTheWorkerWasAwayAreTakenInTheOrderTheyRanOut(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BO"
	// The window opens 2026-02-26 and the report is due Friday 02-27; the
	// suspension's last day is Saturday 02-28. Business time starts at
	// 20:00 on the 26th, an hour a wall-clock second.
	b := s.startWith(t, "2024-02-26", at("2026-02-26", 20), 3600, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Policy.ReportDays = 1
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2026-02-26"),
			Suspension: &workflows.Suspension{StartedOn: date("2025-03-01"), Until: date("2026-02-28")}, SuspensionCount: 1}
	})
	b.await("the report's deadline", func(st workflows.BrandState) bool {
		return dueOf(st, "evaluation_report") == "2026-02-27" && st.Suspension != nil
	})
	s.awayUntil(b, at("2026-03-01", 2))
	s.resumeWorker()
	st := b.await("the suspension's end", func(st workflows.BrandState) bool { return st.Suspension == nil })
	if st.Rectification != nil || len(st.LateInformation) != 1 || st.LateInformation[0].Reason != "late_information" {
		t.Errorf("after the report's day and the suspension's end: brand's order %+v, orders of their own %+v; "+
			"want the missed report's order of its own, opened while suspended", st.Rectification, st.LateInformation)
	}
}

// reportDueFriday starts a brand whose evaluation window opens Thursday
// 2026-02-26 with its report due a working day later, Friday 02-27;
// business time starts at 20:00 on the 26th, an hour a wall-clock second.
func reportDueFriday(t *testing.T, s *brandServer) (*liveBrand, string) {
	b := s.startWith(t, "2024-02-26", at("2026-02-26", 20), 3600, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Policy.ReportDays = 1
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2026-02-26")}
	})
	st := b.await("the report's deadline", func(st workflows.BrandState) bool { return dueOf(st, "evaluation_report") == "2026-02-27" })
	return b, st.Evaluation.Period
}

// fileWhileAway files a development report after its day is over, with the
// worker away at 24:00: the Update reaches the process in the workflow
// task that also carries the day's timer. It returns the state once the
// report is taken.
func fileWhileAway(t *testing.T, s *brandServer, b *liveBrand, period string) workflows.BrandState {
	s.awayUntil(b, at("2026-02-28", 1))
	filed := make(chan error, 1)
	go func() { filed <- b.fileEvaluation("EVLATE", period) }()
	time.Sleep(time.Second) // the Update waits at the server, with the timer's task
	s.resumeWorker()
	if err := <-filed; err != nil {
		t.Fatalf("a report filed after its day: %v, want taken", err)
	}
	return b.await("the report taken", func(st workflows.BrandState) bool {
		return st.Evaluation != nil && st.Evaluation.ReportID == "EVLATE"
	})
}

// storeUntold stores a development report at 22:00 on its last day as the
// API does before it tells the process, and never tells it. It returns
// the request the sweep would tell, and when it was filed.
func storeUntold(t *testing.T, s *brandServer, b *liveBrand, period string) (workflows.EvaluationReportRequest, time.Time) {
	for b.in.Clock.Now().Before(at("2026-02-27", 22)) {
		time.Sleep(100 * time.Millisecond)
	}
	ctx := context.Background()
	filed := b.in.Clock.Now()
	told := workflows.EvaluationReportRequest{Actor: workflows.Actor{Sub: "holder", Role: "applicant", USCC: b.in.USCC},
		ReportID: "EVSTORED", Period: period}
	args, _ := json.Marshal(told)
	if _, err := s.store.Pool().Exec(ctx, `INSERT INTO evaluations (id, brand_id, period, report, filed_at)
		VALUES ('EVSTORED', $1, $2, '{"violations": "无"}', $3)`, b.in.BrandID, told.Period, filed); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Pool().Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('report-EVSTORED', $1, $2, $3, 'evaluation', 'EVSTORED', now())`,
		workflows.BrandWorkflowID(b.in.BrandID), workflows.UpdateEvaluationReport, args); err != nil {
		t.Fatal(err)
	}
	return told, filed
}

// 第十五条 and RULES §4 (a missed evaluation report orders the level-1
// rectification when its last day is over; a report filed late is its
// remedy on record), on a real Temporal server: a report filed once its last
// day is over, while the worker is away, reaches the process in the
// workflow task that also carries the day's timer — where the SDK runs the
// Update's handler before the workflow's own code. The holder's filing is
// not refused (it is on record already), but it waits for the lapse: the
// report is taken as late, beside the order its lapse made, not as filed
// on time.
func Test第十五条_AReportFiledAfterItsDayWhileTheWorkerIsAwayIsTakenAsLate(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BE"
	b, period := reportDueFriday(t, s)
	st := fileWhileAway(t, s, b, period)
	if st.Rectification == nil || st.Rectification.Reason != "late_information" || st.Rectification.Level != 1 {
		t.Errorf("a report filed after its day: order %+v, want the missed report's level-1 order (late_information)", st.Rectification)
	}
	if dueOf(st, "evaluation_assessment") == "" {
		t.Errorf("after the late report: deadlines %+v, want the assessment's armed", st.Deadlines.Items)
	}
}

// RULES §3 (stored in time is received in time) and 第十五条 (a report
// missing when its days end orders the level-1 rectification), on a real
// Temporal server: a development report stored before its last day was
// over, whose process was never told of it (Temporal out of reach, the API
// stopped after storing), is taken as filed when it was stored as the days
// run out — no order for a missed report. The sweep's telling of it later,
// under the Update ID it was stored with, is answered as applied, not
// taken twice.
func Test第十五条_AReportStoredInTimeButNeverToldIsNotMissed(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BS"
	b, period := reportDueFriday(t, s)
	told, filed := storeUntold(t, s, b, period)
	st := b.await("the report's days over", func(st workflows.BrandState) bool { return dueOf(st, "evaluation_report") == "" })
	if st.Evaluation == nil || st.Evaluation.ReportID != "EVSTORED" || st.Rectification != nil {
		t.Fatalf("a report stored in time, never told: evaluation %+v, order %+v; want the report taken and no order",
			st.Evaluation, st.Rectification)
	}
	if dueOf(st, "evaluation_assessment") == "" {
		t.Errorf("after the stored report: deadlines %+v, want the assessment's armed", st.Deadlines.Items)
	}
	// The sweep tells it later, under its own Update ID.
	if err := b.update("report-EVSTORED", workflows.UpdateEvaluationReport, told); err != nil {
		t.Fatalf("the sweep's telling of the stored report: %v, want answered as applied", err)
	}
	var reported int
	var at time.Time
	if err := s.store.Pool().QueryRow(context.Background(), `SELECT count(*), min(at) FROM brand_events WHERE brand_id = $1 AND action = 'evaluation.reported'`,
		b.in.BrandID).Scan(&reported, &at); err != nil || reported != 1 {
		t.Errorf("the report's steps: %d (%v), want 1", reported, err)
	}
	if !at.Equal(filed.Truncate(time.Microsecond)) { // PostgreSQL keeps microseconds
		t.Errorf("the report's step is dated %s, want its storing %s", at, filed)
	}
}

// RULES §4 (deadlines that ran out while the worker was away are taken one
// instant at a time) with a holder's filing waiting for them, on a real
// Temporal server: the evaluation window opened and a level-1 order's month
// ended while the worker was away, and a change request reached the process
// with both due. The run takes the window — a new cycle, so it continues as
// new — and, the order's lapse left to the next run, the waiting request is
// answered as one to send again (RunEnding), not left waiting on a run that
// waits for it to end: the process went on, and the request sent again is
// taken by the next run, after the lapse.
func TestRULES4_AFilingWaitingForALapseDoesNotHoldARunThatEnds(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BW"
	// The window opens at 00:00 on Sunday 2026-03-08; the order's last day
	// is that Sunday, so it lapses 24 hours later. Business time starts at
	// 20:00 on the 7th, two hours a wall-clock second.
	b := s.startWith(t, "2024-03-08", at("2026-03-07", 20), 7200, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2026-03-08"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: date("2026-02-08"), Due: date("2026-03-08")}}
	})
	b.await("the imported order", func(st workflows.BrandState) bool { return st.Rectification != nil && st.Rectification.WindowOpen })
	s.awayUntil(b, at("2026-03-09", 2))
	ctx := context.Background()
	if _, err := s.store.Pool().Exec(ctx, `INSERT INTO brand_changes (id, brand_id, changes, reason, major, requested_at, requested_by)
		VALUES ('CW1', $1, '{"contact_phone": "13800001111"}', '联系人变更', false, $2, 'holder')`, b.in.BrandID, b.in.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	request := workflows.ChangeRequest{Actor: workflows.Actor{Sub: "holder", Role: "applicant", USCC: b.in.USCC}, ChangeID: "CW1"}
	answered := make(chan error, 1)
	go func() { answered <- b.update("change-CW1", workflows.UpdateChangeRequest, request) }()
	time.Sleep(time.Second) // the Update waits at the server, with the timers' task
	s.resumeWorker()
	err := <-answered
	var appErr *temporal.ApplicationError
	if err != nil && (!errors.As(err, &appErr) || appErr.Type() != workflows.RunEnding) {
		t.Fatalf("the change request: %v, want taken or answered as one to send again", err)
	}
	st := b.await("the order's lapse in the next run", func(st workflows.BrandState) bool {
		return st.Rectification != nil && st.Rectification.Level == 2
	})
	if err != nil { // sent again, as the sweep does
		b.mustUpdate("change-CW1", workflows.UpdateChangeRequest, request)
		st = b.await("the change request", func(st workflows.BrandState) bool { return len(st.Changes) == 1 })
	}
	if len(st.Changes) != 1 || st.Evaluation == nil {
		t.Errorf("after the outage: changes %+v, evaluation %+v; want the request taken and the window open", st.Changes, st.Evaluation)
	}
}
