package workflows_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	sdkworker "go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

var record = flag.Bool("record", false, "record application histories from a Temporal dev server into "+historiesDir)

// Recorded histories are kept by era, one folder per shape of the workflow
// code they were recorded on; every era must keep replaying.
//   - activities: before changeLocalActivities, records and calendar
//     computations as activities;
//   - local-activities: since, as local activities;
//   - open-matters: since changeDecisionsByActivity and changeOpenMatters, a
//     decision's writes as activities and a brand's matters as a set;
//   - reports-as-matters: since changeReportsAsMatters, the reports waiting
//     for triage a matter of the brand, read at each run's start;
//   - decision-writes-by-caller: since changeDecisionWritesByCaller, a
//     decision one workflow task again, its writes left to its caller and
//     made by the process after;
//   - brought-over: since changeBroughtOver, an application in flight when
//     the system started begins at its stage (recorded: three brought over);
//   - decision-writes-checked: since changeDecisionWritesChecked, the
//     process reads whether the caller made a decision's writes before it
//     makes them, and the next decision reads instead of waiting;
//   - wait-timers-cancelled: since changeWaitTimersCancelled, a wait's timer
//     is cancelled when the wait ends first, and the next alert's timer is
//     kept across wake-ups;
//   - local-notify: since changeLocalNotify, reminders and escalations are
//     sent by local activities;
//   - computed-carried: since version 2 of changeRecomputeOnlyNewer and of
//     changeDecisionWritesChecked, a process re-arms with the schedules a
//     calendar revision's signal carries (recorded: calendar_revised), and a
//     decision's writer does not read again for a write the next decision
//     found on record;
//   - versions-settled: since changeVersionsSettled, a run asks one version
//     marker at its start for every change of latestVersions, and none of
//     them where its code meets it; admitted_update_with_start, recorded
//     later, is a process started with its first Update in one call;
//   - writes-when-needed: since changeWritesWhenNeeded (versions-settled at
//     version 2), a decision its caller wrote leaves no grace timer behind:
//     the process reads for the write only when it needs it;
//   - draft-days-at-notice-end: since changeDraftDaysAtNoticeEnd, a notice's
//     end reads the days of objections stored and never told, and opens
//     them (recorded: the applications whose notice ends, and
//     objection_stranded, whose only objection was never told);
//   - evaluation-from-anniversary: since changeEvaluationFromAnniversary, a
//     window counts the next from its own anniversary (recorded: a brand
//     whose first window is its third anniversary, which asks the change,
//     and a brand admitted here through its first, which does not), and
//     changeImportedRenewalWindow (brand_suspension_brought_over) and
//     changeLateInformationOverLevel1 (brand_late_information_over_level1),
//     and changeRenewalWindowTracked (brand_removal, and the brought-over
//     suspension);
//   - late-information-ordered-next-day: since
//     changeLateInformationOrderedNextDay, a late-information order beside
//     another is ordered on the day after the report's last day (recorded:
//     brand_late_information and brand_late_information_over_level1, which
//     ask it, and brand_evaluation, which does not); and, recorded on that
//     era's code, brand_assessment_beside_a_finding: an assessment with
//     findings validated beside a finding and refused when its handler
//     rechecked it against the order the finding opened;
//   - findings-join-running: since changeFindingsJoinRunning, that
//     assessment is taken, its findings joining the order (recorded:
//     brand_assessment_beside_a_finding, which asks it, and brand_evaluation,
//     which does not). A validator's rule changed: the handler's recheck,
//     which replay repeats, asks the version (ruleChanged);
//   - calendar-of-who-acts: since changeCalendarOfWhoActs, the city's
//     periods are counted on the national schedule and a county officer's
//     on its bureau's (every application reaching 复审 asks it; so do the
//     brand's suspension and removal decisions, brand_removal), and since
//     changeUntoldReopenAtNoticeEnd a notice's end opens again a ruled day
//     with an objection never told (recorded: objection_reopened_untold);
//   - lapse-keeps-level1: since changeLapseKeepsLevel1, a late-information
//     order lapsing beside an ordinary level-1 order keeps that order
//     running as one of its own, and the county confirms it by its finding
//     (recorded: brand_late_information_over_level1, which asks it, and
//     brand_level2_interview and brand_removal, which do not); and since
//     changeObjectionDayByActivity an objection day told by its Update is
//     written by an activity (recorded: objection_reopened_untold);
//   - stored-report-taken: since changeStoredReportTaken, a development
//     report's days running out read a report stored in time and never
//     told, and take it (recorded: brand_report_stored_untold), and since
//     changeDecisionsAfterLapses a decision that finds a lapse due waits
//     for it (recorded: brand_report_filed_while_away);
//   - day-closed-on-record: since changeDayClosedOnRecord, the ruling of a
//     day's last open objection reads the day's objections unruled on
//     record before it closes the day (recorded: objection_stranded and
//     objection_reopened_untold and brought_over_objection, which close
//     it, and objection_ruling_overtaken, which leaves it open);
//   - notice-end-grace: since changeNoticeEndGrace, a notice's end waits a
//     minute before it reads the objections never told and decides
//     (recorded: admitted, brought_over_admitted, objection_stranded,
//     objection_reopened_untold);
//   - escalation-from-its-day: since changeEscalationFromItsDay, the
//     deadline a lapse opens counts from the day it escalates on
//     (recorded: brand_level2_interview, brand_late_information,
//     brand_late_information_over_level1).
const (
	historiesDir = "testdata/histories"
	recordingEra = "escalation-from-its-day"
)

// erasInOrder are the eras of recorded histories, oldest first.
var erasInOrder = []string{"activities", "local-activities", "open-matters", "reports-as-matters", "decision-writes-by-caller",
	"brought-over", "decision-writes-checked", "wait-timers-cancelled", "local-notify", "computed-carried", "versions-settled", "writes-when-needed",
	"draft-days-at-notice-end", "evaluation-from-anniversary", "late-information-ordered-next-day", "findings-join-running", "calendar-of-who-acts", "lapse-keeps-level1", "stored-report-taken", "day-closed-on-record", "notice-end-grace", recordingEra}

// Every recorded history must replay on the current workflow code: a change
// that would break a running application's replay fails here. Record new
// histories with: go test ./workflows/ -run TestRecord -record
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(historiesDir, "*", "*.json"))
	eras := map[string]int{}
	for _, f := range files {
		eras[filepath.Base(filepath.Dir(f))]++
	}
	for _, era := range erasInOrder {
		if err != nil || eras[era] < 3 {
			t.Fatalf("want at least 3 recorded histories in %s/%s, found %v (%v); run go test ./workflows/ -run TestRecord -record", historiesDir, era, files, err)
		}
	}
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(workflows.ApplicationWorkflow)
	replayer.RegisterWorkflow(workflows.BrandWorkflow)
	for _, f := range files {
		t.Run(filepath.Join(filepath.Base(filepath.Dir(f)), filepath.Base(f)), func(t *testing.T) {
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(testLogger(t), f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
			era := filepath.Base(filepath.Dir(f))
			var others []string
			notify := 0
			for _, name := range scheduledActivities(t, f) {
				if name == workflows.ActivityNotify {
					notify++
				} else {
					others = append(others, name)
				}
			}
			if len(others) > 0 && era == "local-activities" {
				t.Errorf("%s schedules activities %v; since %q its records and calendar run locally", f, others, "local-activities")
			}
			if notify > 0 && slices.Index(erasInOrder, era) >= slices.Index(erasInOrder, "local-notify") {
				t.Errorf("%s schedules Notify %d times on the server; since %q reminders run locally", f, notify, "local-notify")
			}
			if slices.Index(erasInOrder, era) >= slices.Index(erasInOrder, "versions-settled") {
				checkVersionsSettled(t, f)
			}
		})
	}
}

// checkVersionsSettled: a run begun since changeVersionsSettled asks one
// version marker, versions-settled, in its first workflow task, and none of
// the changes it stands for (each would be a marker and a search-attribute
// upsert of its own).
func checkVersionsSettled(t *testing.T, path string) {
	settled, tasks := 0, 0 // tasks: workflow tasks completed so far
	for _, e := range readHistory(t, path).Events {
		if e.GetWorkflowTaskCompletedEventAttributes() != nil {
			tasks++
		}
		m := e.GetMarkerRecordedEventAttributes()
		if m.GetMarkerName() != "Version" {
			continue
		}
		var change string
		if err := converter.GetDefaultDataConverter().FromPayloads(m.GetDetails()["change-id"], &change); err != nil {
			t.Fatalf("%s: version marker %d: %v", path, e.GetEventId(), err)
		}
		switch _, ok := workflows.LatestVersions[change]; {
		case change == "versions-settled":
			settled++
			if tasks != 1 {
				t.Errorf("%s asks versions-settled in workflow task %d, want the first", path, tasks)
			}
		case ok:
			t.Errorf("%s asks %q (event %d); a run that settled its versions does not", path, change, e.GetEventId())
		}
	}
	if settled != 1 {
		t.Errorf("%s asks versions-settled %d times, want once", path, settled)
	}
}

// scheduledActivities lists the activity types a recorded history
// schedules on the server, one entry per activity.
func scheduledActivities(t *testing.T, path string) []string {
	h := readHistory(t, path)
	var out []string
	for _, e := range h.Events {
		if a := e.GetActivityTaskScheduledEventAttributes(); a != nil {
			out = append(out, a.ActivityType.GetName())
		}
	}
	return out
}

// readHistory reads a recorded history.
func readHistory(t *testing.T, path string) *historypb.History {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestRecordHistories runs complete applications on a real Temporal dev
// server and PostgreSQL, with a fast business clock, and writes their
// histories as `temporal workflow show --output json` does.
func TestRecordHistories(t *testing.T) {
	if !*record {
		t.Skip("records only with -record")
	}
	r := newRecorder(t)
	notice := &workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-03-06")}
	for _, sc := range []struct {
		name        string
		scale       int64 // business seconds per wall second
		broughtOver *workflows.BroughtOver
		run         func(r *recorder, a *recordedApp)
	}{
		// About a second for the 5-working-day notice.
		{"admitted", 7 * 86400, nil, func(r *recorder, a *recordedApp) {
			r.throughCityReview(a)
			r.await(a, workflows.StageAdmitted)
		}},
		// A day per second: the objection comes well inside the notice.
		{"objection_upheld", 86400, nil, func(r *recorder, a *recordedApp) {
			r.throughCityReview(a)
			start := r.noticeStart(a)
			r.draftObjection(a, "OB-"+a.id, start)
			r.update(a, workflows.UpdateObjection, workflows.ObjectionRequest{Actor: city(), ObjectionID: "OB-" + a.id,
				ReceivedOn: start, Via: "public"})
			r.update(a, workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: city(), ObjectionID: "OB-" + a.id,
				Upheld: true, Reason: "品牌名称与他人注册商标相同"})
			r.await(a, workflows.StageRejected)
		}},
		// An objection stored and never told (the API stopped before telling
		// its day): the notice's end opens its day, and the application
		// waits for the ruling.
		{"objection_stranded", 86400, nil, func(r *recorder, a *recordedApp) {
			r.throughCityReview(a)
			start := r.noticeStart(a)
			r.draftObjection(a, "OB-"+a.id, start)
			r.reach(a, workflows.StageObjectionReview)
			r.dismissed(a, start, "OB-"+a.id)
			r.await(a, workflows.StageAdmitted)
		}},
		// An objection told, its day ruled; another that day stored open and
		// never told (its telling failed): the notice's end opens the day
		// again (untold-reopen-at-notice-end), and the application waits
		// for its ruling.
		{"objection_reopened_untold", 86400, nil, func(r *recorder, a *recordedApp) {
			r.throughCityReview(a)
			start := r.noticeStart(a)
			r.draftObjection(a, "OB1-"+a.id, start)
			r.update(a, workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: start, FiledOn: start})
			r.dismissed(a, start, "OB1-"+a.id)
			r.draftObjection(a, "OB2-"+a.id, start)
			if _, err := r.store.Pool().Exec(context.Background(), `UPDATE objections SET status = 'open', untold = true WHERE id = $1`,
				"OB2-"+a.id); err != nil {
				a.t.Fatal(err)
			}
			r.reach(a, workflows.StageObjectionReview)
			r.dismissed(a, start, "OB2-"+a.id)
			r.await(a, workflows.StageAdmitted)
		}},
		// An objection's day ruled in the store, another of that day stored
		// open just after and told first (the day still open, nothing
		// opened), then the ruling told: the day stays open for the other
		// (day-closed-on-record), whose ruling admits.
		{"objection_ruling_overtaken", 86400, nil, func(r *recorder, a *recordedApp) {
			r.throughCityReview(a)
			start := r.noticeStart(a)
			r.draftObjection(a, "OB1-"+a.id, start)
			r.update(a, workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: start, FiledOn: start})
			r.draftObjection(a, "OB2-"+a.id, start)
			if _, err := r.store.Pool().Exec(context.Background(), `UPDATE objections
				SET status = CASE id WHEN $1 THEN 'dismissed' ELSE 'open' END, ruled_at = CASE id WHEN $1 THEN now() END
				WHERE id IN ($1, $2)`, "OB1-"+a.id, "OB2-"+a.id); err != nil {
				a.t.Fatal(err)
			}
			r.update(a, workflows.UpdateObjectionDay, workflows.ObjectionDayRequest{Actor: city(), ReceivedOn: start, FiledOn: start})
			r.update(a, workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(), ReceivedOn: start, ObjectionID: "OB1-" + a.id})
			r.reach(a, workflows.StageObjectionReview)
			r.dismissed(a, start, "OB2-"+a.id)
			r.await(a, workflows.StageAdmitted)
		}},
		// A local day off of the county inside the 初审 period (RULES §5),
		// told as the fan-out tells it; then the county declines.
		{"calendar_revised", 1, nil, func(r *recorder, a *recordedApp) {
			r.reviseCalendar(a, date("2026-03-16"))
			r.update(a, workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: a.county, Decision: "reject", Opinion: "不符合申报条件"})
			r.await(a, workflows.StageRejected)
		}},
		// Four or five seconds for the 20-working-day wait, with its reminders.
		{"return_timeout", 7 * 86400, nil, func(r *recorder, a *recordedApp) {
			r.update(a, workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: a.county, Decision: "return", Opinion: "请补充商标注册证明"})
			r.await(a, workflows.StageWithdrawn)
		}},
		// Brought over on Mon 03-16 (RULES §3 applications in flight): a
		// notice published Fri 03-06 that has ended — admitted at once, or,
		// with an objection of Wed 03-11 unruled, in objection_review until
		// the city rules; a return of Tue 03-03 whose wait ran out on 03-31.
		{"brought_over_admitted", 1, notice, func(r *recorder, a *recordedApp) {
			r.await(a, workflows.StageAdmitted)
		}},
		{"brought_over_objection", 1, &workflows.BroughtOver{Stage: notice.Stage, Since: notice.Since,
			Objections: []workflows.BroughtOverObjection{{ReceivedOn: date("2026-03-11"), FiledOn: date("2026-03-10")}}},
			func(r *recorder, a *recordedApp) {
				r.reach(a, workflows.StageObjectionReview)
				r.dismissedAll(a, date("2026-03-11"))
				r.await(a, workflows.StageAdmitted)
			}},
		{"brought_over_withdrawn", 1, &workflows.BroughtOver{Stage: workflows.StageReturned, Since: date("2026-03-03")},
			func(r *recorder, a *recordedApp) {
				r.await(a, workflows.StageWithdrawn)
			}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			a := r.start(t, sc.name, sc.scale, sc.broughtOver)
			sc.run(r, a)
			r.save(a, sc.name)
		})
	}
}

type recorder struct {
	t      *testing.T
	store  *store.Store
	c      client.Client
	queue  string
	writer *worker.DecisionWriter // makes a decision's writes, as the API does
	n      int
}

type recordedApp struct {
	t      *testing.T
	id     string
	county workflows.Actor
	in     workflows.ApplicationInput
}

func newRecorder(t *testing.T) *recorder {
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t), Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := devstack.EnsureSearchAttributes(ctx, c, "default", workflows.SearchAttributes); err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}
	r := &recorder{t: t, store: st, c: c, queue: testenv.TaskQueue(t), writer: worker.NewDecisionWriter(acts)}
	w := worker.New(c, acts, worker.Options{TaskQueue: r.queue})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	now := time.Now()
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "2026年第一批", OpensOn: "2020-01-01", ClosesOn: "2030-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		e := store.Expert{ID: fmt.Sprintf("E%02d", i), Name: fmt.Sprintf("专家%d", i), Specialties: []string{"planting_breeding"},
			CountyCode: "530102", Active: true, CreatedAt: now, UpdatedAt: now}
		if _, err := st.CreateExpert(ctx, e, "city", "city_officer"); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// start submits an application whose business time starts at Mon
// 2026-03-02 09:00 and runs scale times faster than the wall clock — or,
// with b, brings over on the day after b's stage and its objections one
// submitted on Mon 2026-01-12.
func (r *recorder) start(t *testing.T, name string, scale int64, b *workflows.BroughtOver) *recordedApp {
	r.n++
	business := at("2026-03-02", 9)
	if b != nil {
		business = at("2026-03-16", 9)
		if b.Stage == workflows.StageReturned {
			business = at("2026-04-02", 9)
		}
	}
	clk := clock.Clock{Scale: scale, WallOrigin: time.Now().UTC(), BusinessOrigin: business.UTC()}
	county := fmt.Sprintf("53012%d", r.n+3) // a county of its own: a brand name and holder per county
	a := &recordedApp{t: t, id: fmt.Sprintf("A%04d", r.n), county: workflows.Actor{Sub: "officer-" + county, Role: "county_officer", County: county}}
	a.in = workflows.ApplicationInput{ApplicationID: a.id, RoundID: "R1", BrandName: "品牌" + name, BrandType: "regional",
		Category: "planting_breeding", CountyCode: county, UnitName: name + "协会", USCC: fmt.Sprintf("5153000%02dMJ000000X", r.n),
		SubmittedOn: calendar.DateOf(business), Clock: clk, Policy: workflows.DefaultAdmissionPolicy}
	rec := store.NewApplication{ID: a.id, RoundID: "R1", BrandName: a.in.BrandName,
		BrandType: a.in.BrandType, Category: a.in.Category, CountyCode: county, UnitName: a.in.UnitName, USCC: a.in.USCC,
		Form: map[string]any{"brand_name": a.in.BrandName}, Eligibility: []any{}, SubmittedAt: business,
		SubmittedBy: "holder", SubmittedRole: "applicant"}
	if b != nil {
		a.in.SubmittedOn, a.in.BroughtOver = date("2026-01-12"), b
		rec.SubmittedAt, rec.SubmittedBy, rec.SubmittedRole = at("2026-01-12", 10), "city", "city_officer"
		rec.BroughtOver, rec.Stage = true, b.Stage
		for _, o := range b.Objections {
			rec.Objections = append(rec.Objections, store.ObjectionDraft{ID: "OB-" + a.id, Via: "mail", ReceivedOn: o.ReceivedOn.String(),
				PostmarkedOn: o.FiledOn.String(), Name: "某种植户", Contact: "-", Content: "异议内容", Evidence: "书面证据", CreatedAt: business})
		}
	}
	rec.ProcessInput = a.in
	ctx := context.Background()
	if err := r.store.CreateApplication(ctx, rec); err != nil {
		t.Fatal(err)
	}
	st := &starter.Starter{Temporal: r.c, Store: r.store, TaskQueue: r.queue}
	if b != nil {
		// An application brought over is not waited for
		// (inflight.Bringer): it may have moved on and closed already.
		if _, err := st.Start(ctx, a.in); err != nil {
			t.Fatal(err)
		}
		return a
	}
	// As the API does since 2026-12-03: the start and the Update that waits
	// for the first stage in one call, the Update answered in the first
	// workflow task. Histories recorded before had the Update in a second.
	if ready, err := st.StartToFirstStage(ctx, a.in); err != nil || !ready {
		t.Fatalf("start with the first stage: ready %v, %v", ready, err)
	}
	return a
}

func (r *recorder) update(a *recordedApp, name string, arg any) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var args []any
	if arg != nil {
		args = []any{arg}
	}
	h, err := r.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflows.ApplicationWorkflowID(a.id),
		UpdateName: name, Args: args, WaitForStage: client.WorkflowUpdateStageCompleted})
	var res workflows.DecisionResult
	if err == nil {
		err = h.Get(ctx, &res)
	}
	if err == nil {
		// As the API does: the decision's writes are made before it goes on.
		err = r.writer.Write(ctx, res.Writes)
	}
	if err != nil {
		a.t.Fatalf("%s: %v", name, err)
	}
}

// reviseCalendar gives a's county a local day off and tells its process as
// the calendar fan-out does — the calendar-changed Update, with the
// schedules computed for the rules its last step wrote; it returns once the
// process has re-armed.
func (r *recorder) reviseCalendar(a *recordedApp, off calendar.Date) {
	a.t.Helper()
	ctx := context.Background()
	if _, err := r.store.AddCountyOffDay(ctx, a.in.CountyCode, off, "测试用地方假日", time.Now(), "admin", "admin"); err != nil {
		a.t.Fatal(err)
	}
	cal, err := (&store.Calendars{Store: r.store}).Current(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	rulesOf := func() []records.DeadlineRule {
		procs, err := r.store.ProcessRulesOf(ctx, "application", []string{a.id})
		if err != nil || len(procs) != 1 {
			a.t.Fatalf("rules of %s: %v %v", a.id, procs, err)
		}
		return procs[0].Rules
	}
	computed, moves := activities.RecomputeRules(cal, cal.Version(), rulesOf(), time.Time{})
	if !moves {
		a.t.Fatalf("a day off on %s moves no deadline of %s", off, a.id)
	}
	sig := records.CalendarChanged{Version: cal.Version(), Computed: computed}
	h, err := r.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflows.ApplicationWorkflowID(a.id),
		UpdateID: workflows.CalendarChangedUpdateID(sig.Version), UpdateName: workflows.UpdateCalendarChanged,
		Args: []any{sig}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		a.t.Fatal(err)
	}
	if !testenv.Poll(30*time.Second, func() bool {
		_, moves := activities.RecomputeRules(cal, cal.Version(), rulesOf(), time.Time{})
		return !moves
	}) {
		a.t.Fatalf("%s not re-armed after 30 s", a.id)
	}
}

func (r *recorder) state(a *recordedApp) workflows.StateView {
	a.t.Helper()
	v, err := r.c.QueryWorkflow(context.Background(), workflows.ApplicationWorkflowID(a.id), "", workflows.QueryState)
	var s workflows.StateView
	if err == nil {
		err = v.Get(&s)
	}
	if err != nil {
		a.t.Fatal(err)
	}
	return s
}

// reach waits until the running process stands at stage.
func (r *recorder) reach(a *recordedApp, stage string) {
	a.t.Helper()
	if !testenv.Poll(30*time.Second, func() bool { return r.state(a).Stage == stage }) {
		a.t.Fatalf("not in %s after 30 s", stage)
	}
}

// throughCityReview approves at 初审, draws 5 experts, files 3 opinions and
// approves at 复审.
func (r *recorder) throughCityReview(a *recordedApp) {
	r.update(a, workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: a.county, Decision: "approve"})
	r.update(a, workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5})
	for _, id := range r.state(a).Drawn[:3] {
		r.update(a, workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{Actor: workflows.Actor{Sub: id, Role: "expert"}, Score: 85, Recommend: true})
	}
	r.update(a, workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "approve", Opinion: "同意"})
}

func (r *recorder) noticeStart(a *recordedApp) calendar.Date {
	a.t.Helper()
	var s string
	if err := r.store.Pool().QueryRow(context.Background(), `SELECT to_char(notice_start, 'YYYY-MM-DD') FROM applications WHERE id = $1`, a.id).Scan(&s); err != nil {
		a.t.Fatal(err)
	}
	return date(s)
}

// dismissed stores the dismissal of objection id and tells its process
// that the day's last open objection is ruled, as the API does.
func (r *recorder) dismissed(a *recordedApp, day calendar.Date, id string) {
	if _, err := r.store.Pool().Exec(context.Background(), `UPDATE objections SET status = 'dismissed', ruled_at = now() WHERE id = $1`, id); err != nil {
		a.t.Fatal(err)
	}
	r.update(a, workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(), ReceivedOn: day, ObjectionID: id})
}

// dismissedAll dismisses on record every objection of the application
// received on day (a brought-over one's id is the store's), and tells the
// process, as the API does.
func (r *recorder) dismissedAll(a *recordedApp, day calendar.Date) {
	if _, err := r.store.Pool().Exec(context.Background(), `UPDATE objections SET status = 'dismissed', ruled_at = now()
		WHERE application_id = $1 AND received_on = $2 AND status = 'open'`, a.id, day.String()); err != nil {
		a.t.Fatal(err)
	}
	r.update(a, workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: city(), ReceivedOn: day, ObjectionID: "OB-" + a.id})
}

func (r *recorder) draftObjection(a *recordedApp, id string, received calendar.Date) {
	a.t.Helper()
	_, err := r.store.Pool().Exec(context.Background(), `
		INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at)
		VALUES ($1, $2, 'public', $3, '匿名', '-', '异议内容', '书面证据', now())`, id, a.id, received.String())
	if err != nil {
		a.t.Fatal(err)
	}
}

// await waits for the workflow to complete in stage, then stops the brand
// process an admission started (it would run for years).
func (r *recorder) await(a *recordedApp, stage string) {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.c.GetWorkflow(ctx, workflows.ApplicationWorkflowID(a.id), "").Get(ctx, nil); err != nil {
		a.t.Fatalf("workflow: %v", err)
	}
	if s := r.state(a).Stage; s != stage {
		a.t.Fatalf("ended in %s, want %s", s, stage)
	}
	if stage == workflows.StageAdmitted {
		if err := r.c.TerminateWorkflow(ctx, workflows.BrandWorkflowID(workflows.BrandIDFor(a.id)), "", "history recorded"); err != nil {
			a.t.Fatal(err)
		}
	}
}

// save writes the application's history.
func (r *recorder) save(a *recordedApp, name string) {
	a.t.Helper()
	saveHistory(a.t, r.history(a), name)
}

// history reads the application's history from the server.
func (r *recorder) history(a *recordedApp) *historypb.History {
	a.t.Helper()
	it := r.c.GetWorkflowHistory(context.Background(), workflows.ApplicationWorkflowID(a.id), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			a.t.Fatal(err)
		}
		h.Events = append(h.Events, e)
	}
	return &h
}

// saveHistory writes h to testdata/histories/<recordingEra>/name.json as
// `temporal workflow show --output json` does.
func saveHistory(t *testing.T, h *historypb.History, name string) {
	t.Helper()
	raw, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(historiesDir, recordingEra)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".json")
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d events", path, len(h.Events))
}
