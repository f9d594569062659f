package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// brandServer runs brand processes on a real Temporal dev server and
// PostgreSQL, each on a business clock of its own that runs fast.
type brandServer struct {
	t     *testing.T
	store *store.Store
	c     client.Client
	queue string
	n     int
	// prefix starts the brand IDs (B9 when empty): a workflow ID once used
	// on the server is never started again (REJECT_DUPLICATE).
	prefix string
	w      sdkworker.Worker
}

func newBrandServer(t *testing.T) *brandServer {
	t.Helper()
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
	s := &brandServer{t: t, store: st, c: c, queue: testenv.TaskQueue(t)}
	s.resumeWorker()
	t.Cleanup(func() { s.w.Stop() })
	return s
}

// pauseWorker stops the processes' worker; resumeWorker starts another on
// the same queue. Updates sent in between reach their process together, in
// one workflow task: their validators all see the same state, as those of
// Updates sent at once do.
func (s *brandServer) pauseWorker() { s.w.Stop() }

// awayUntil stops the worker and waits until b's business time reaches
// until: the deadlines due meanwhile run out with nobody to take them.
func (s *brandServer) awayUntil(b *liveBrand, until time.Time) {
	s.pauseWorker()
	for b.in.Clock.Now().Before(until) {
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *brandServer) resumeWorker() {
	s.w = worker.New(s.c, &activities.Activities{Store: s.store, Calendars: &store.Calendars{Store: s.store}}, worker.Options{TaskQueue: s.queue})
	if err := s.w.Start(); err != nil {
		s.t.Fatal(err)
	}
}

// liveBrand is one brand process on the dev server.
type liveBrand struct {
	t      *testing.T
	s      *brandServer
	in     workflows.BrandInput
	county workflows.Actor
	first  string // the first run's ID
}

// start admits a brand on admitted and starts its process, business time
// beginning at businessStart and running scale times faster than the wall
// clock. Each brand has a county, name and holder of its own.
func (s *brandServer) start(t *testing.T, admitted string, businessStart time.Time, scale int64, policy ...func(*workflows.BrandPolicy)) *liveBrand {
	t.Helper()
	return s.startWith(t, admitted, businessStart, scale, func(in *workflows.BrandInput) {
		for _, p := range policy {
			p(&in.Policy)
		}
	})
}

// startWith is start with the brand's input changed by with.
func (s *brandServer) startWith(t *testing.T, admitted string, businessStart time.Time, scale int64, with func(*workflows.BrandInput)) *liveBrand {
	t.Helper()
	s.n++
	county := fmt.Sprintf("53012%d", s.n+3)
	prefix := s.prefix
	if prefix == "" {
		prefix = "B9"
	}
	in := workflows.BrandInput{BrandID: fmt.Sprintf("%s%03d", prefix, s.n), ApplicationID: fmt.Sprintf("A9%03d", s.n),
		Name: fmt.Sprintf("测试品牌%d", s.n), BrandType: "regional", Category: "planting_breeding", CountyCode: county,
		UnitName: fmt.Sprintf("测试协会%d", s.n), USCC: fmt.Sprintf("5153000%02dMJ000000X", s.n), AdmittedOn: date(admitted),
		Clock: clock.Clock{Scale: scale, WallOrigin: time.Now().UTC(), BusinessOrigin: businessStart.UTC()}, Policy: workflows.DefaultBrandPolicy}
	with(&in)
	seedBrand(t, s.store, in, businessStart)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := s.c.ExecuteWorkflow(ctx, workflows.BrandStartOptions(in, s.queue), workflows.BrandWorkflow, in)
	if err != nil {
		t.Fatalf("start brand: %v", err)
	}
	b := &liveBrand{t: t, s: s, in: in, county: workflows.Actor{Sub: "officer-" + county, Role: "county_officer", County: county}, first: run.GetRunID()}
	t.Cleanup(func() {
		s.c.TerminateWorkflow(context.Background(), workflows.BrandWorkflowID(in.BrandID), "", "test over")
	})
	return b
}

// currentRun is the ID of the process's latest run.
func (b *liveBrand) currentRun() string {
	d, err := b.s.c.DescribeWorkflowExecution(context.Background(), workflows.BrandWorkflowID(b.in.BrandID), "")
	if err != nil {
		return ""
	}
	return d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
}

// today is the business date now.
func (b *liveBrand) today() calendar.Date { return calendar.DateOf(b.in.Clock.Now()) }

// update sends Update id, waits for its outcome and makes the writes it
// leaves to its caller, as the API does. A process that is
// continuing as new cannot take it yet: it is sent again, with its ID, as
// the API would.
func (b *liveBrand) update(id, name string, arg any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	testenv.PollEvery(ctx, 10*time.Millisecond, func() bool {
		var h client.WorkflowUpdateHandle
		h, err = b.s.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: workflows.BrandWorkflowID(b.in.BrandID), UpdateID: id,
			UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			var res workflows.BrandResult
			if err = h.Get(ctx, &res); err == nil {
				writeAsCaller(b.t, b.s.store, res.Writes) // as the API does before it answers
			}
		}
		var appErr *temporal.ApplicationError
		return err == nil || errors.As(err, &appErr)
	})
	return err
}

func (b *liveBrand) mustUpdate(id, name string, arg any) {
	b.t.Helper()
	if err := b.update(id, name, arg); err != nil {
		b.t.Fatalf("%s %s: %v", name, id, err)
	}
}

func (b *liveBrand) state() (workflows.BrandState, error) {
	var st workflows.BrandState
	v, err := b.s.c.QueryWorkflow(context.Background(), workflows.BrandWorkflowID(b.in.BrandID), "", workflows.QueryState)
	if err == nil {
		err = v.Get(&st)
	}
	return st, err
}

// await polls the process's state until cond holds.
func (b *liveBrand) await(what string, cond func(workflows.BrandState) bool) workflows.BrandState {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var st workflows.BrandState
	var err error
	if !testenv.PollEvery(ctx, 5*time.Millisecond, func() bool { st, err = b.state(); return err == nil && cond(st) }) {
		b.t.Fatalf("waiting for %s: %v; last state %+v", what, err, st)
	}
	return st
}

// fileEvaluation stores an evaluation report as the API does, then tells
// the process.
func (b *liveBrand) fileEvaluation(id, period string) error {
	_, err := b.s.store.Pool().Exec(context.Background(), `INSERT INTO evaluations (id, brand_id, period, report, filed_at)
		VALUES ($1, $2, $3, '{"violations": "无"}', $4) ON CONFLICT (id) DO NOTHING`, id, b.in.BrandID, period, b.in.Clock.Now())
	if err != nil {
		return err
	}
	return b.update("report-"+id, workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{
		Actor: workflows.Actor{Sub: "holder", Role: "applicant", USCC: b.in.USCC}, ReportID: id, Period: period})
}

// histories reads the history of every run of the process, first to last,
// following each continue-as-new.
func (b *liveBrand) histories() []*historypb.History {
	b.t.Helper()
	var out []*historypb.History
	for run := b.first; run != ""; {
		it := b.s.c.GetWorkflowHistory(context.Background(), workflows.BrandWorkflowID(b.in.BrandID), run, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		var h historypb.History
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				b.t.Fatal(err)
			}
			h.Events = append(h.Events, e)
		}
		out = append(out, &h)
		run = ""
		if last := h.Events[len(h.Events)-1]; last.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW {
			run = last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		}
	}
	return out
}

// passedInTheNextRun waits for the run after the evaluation window's
// continue-as-new, checks the state the window left (check, when given), has
// the holder file and the city pass, ends the process and saves both runs
// as name_run1 and name_run2.
func (b *liveBrand) passedInTheNextRun(name string, check func(workflows.BrandState)) {
	b.t.Helper()
	st := b.await("the next run", func(st workflows.BrandState) bool { return st.Evaluation != nil && b.currentRun() != b.first })
	if check != nil {
		check(st)
	}
	if err := b.fileEvaluation("EV-"+b.in.BrandID, st.Evaluation.Period); err != nil {
		b.t.Fatal(err)
	}
	b.mustUpdate("assess", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV-" + b.in.BrandID, Outcome: "pass"})
	b.terminate()
	hs := b.histories()
	if len(hs) != 2 {
		b.t.Fatalf("%d runs, want 2: the window's continue-as-new and the run after", len(hs))
	}
	saveHistory(b.t, hs[0], name+"_run1")
	saveHistory(b.t, hs[1], name+"_run2")
}

// terminate ends the process (it would run for years) once the test has
// what it needs.
func (b *liveBrand) terminate() {
	b.t.Helper()
	if err := b.s.c.TerminateWorkflow(context.Background(), workflows.BrandWorkflowID(b.in.BrandID), "", "history recorded"); err != nil {
		b.t.Fatal(err)
	}
}

// TestRecordBrandHistories runs brands on a real Temporal dev server and
// PostgreSQL, with a fast business clock, and writes their histories next to
// the application's (files named brand_*) for TestReplayRecordedHistories.
// Record them with: go test ./workflows/ -run TestRecord -record
func TestRecordBrandHistories(t *testing.T) {
	if !*record {
		t.Skip("records only with -record")
	}
	s := newBrandServer(t)

	// 第十五条（一）/（二）: a month to rectify lapses (ten days a second),
	// the interview opens three months; reminders and escalations on the way.
	t.Run("brand_level2_interview", func(t *testing.T) {
		b := s.start(t, "2025-06-10", at("2026-01-30", 9), 10*86400)
		b.mustUpdate("finding", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: "F-" + b.in.BrandID, Reason: "logo_misuse", Description: "标识变形"})
		b.await("level 2", func(st workflows.BrandState) bool {
			return st.Pending != nil && st.Pending.Kind == workflows.PendingInterview
		})
		b.mustUpdate("interview", workflows.UpdateInterview, workflows.InterviewRequest{Actor: b.county, HeldOn: b.today(), Note: "约谈"})
		b.await("the window", func(st workflows.BrandState) bool { return st.Rectification != nil && st.Rectification.WindowOpen })
		b.terminate()
		saveHistory(t, b.histories()[0], "brand_level2_interview")
	})
	// 第十五条（三）/（四）: three suspension decisions (one-month suspensions,
	// each renewal inside its window), removal; the process ends.
	t.Run("brand_removal", func(t *testing.T) {
		b := s.start(t, "2025-06-10", at("2026-03-02", 9), 86400, func(p *workflows.BrandPolicy) { p.SuspensionMonths = 1 })
		b.mustUpdate("finding", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: "F-" + b.in.BrandID, Reason: "serious_dishonesty_list", Description: "失信"})
		for i := 1; i <= 3; i++ {
			if i > 1 {
				b.await("the renewal window", func(st workflows.BrandState) bool {
					return st.Suspension != nil && !b.today().Before(st.Suspension.RenewalOpensOn)
				})
			}
			b.mustUpdate(fmt.Sprintf("suspend-%d", i), workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"})
		}
		b.mustUpdate("remove", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "三次暂停"})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.c.GetWorkflow(ctx, workflows.BrandWorkflowID(b.in.BrandID), "").Get(ctx, nil); err != nil {
			t.Fatalf("process: %v", err)
		}
		saveHistory(t, b.histories()[0], "brand_removal")
	})
	// RULES §4: the evaluation report is missed while the brand is rectifying
	// (ten days a second): a late-information order opens beside the ladder,
	// and the late report closes it (in the run after the window's
	// continue-as-new).
	t.Run("brand_late_information", func(t *testing.T) {
		b := s.start(t, "2024-03-16", at("2026-03-02", 9), 10*86400)
		b.mustUpdate("finding", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: "F-" + b.in.BrandID, Reason: "logo_misuse", Description: "标识变形"})
		st := b.await("the late-information order", func(st workflows.BrandState) bool { return len(st.LateInformation) > 0 })
		if err := b.fileEvaluation("EV-"+b.in.BrandID, st.Evaluation.Period); err != nil {
			t.Fatal(err)
		}
		b.await("the order closed", func(st workflows.BrandState) bool { return len(st.LateInformation) == 0 })
		b.terminate()
		hs := b.histories()
		saveHistory(t, hs[len(hs)-1], "brand_late_information")
	})
	// RULES §4 with 第十五条（六）: two reports (举报) wait for triage as one
	// matter, kept by the oldest; triaging it passes the matter to the
	// other, triaging that closes it (a day a second).
	t.Run("brand_reports", func(t *testing.T) {
		b := s.start(t, "2025-06-10", at("2026-03-02", 9), 86400)
		matter := func(st workflows.BrandState) string {
			for _, d := range st.Deadlines.Items {
				if strings.HasPrefix(d.Key, "report_triage:") {
					return d.Key
				}
			}
			return ""
		}
		fileReportIn(b, "RP1-"+b.in.BrandID, true)
		b.await("the triage matter", func(st workflows.BrandState) bool { return matter(st) == "report_triage:RP1-"+b.in.BrandID })
		fileReportIn(b, "RP2-"+b.in.BrandID, true)
		b.mustUpdate("triage-1", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: b.county, ReportID: "RP1-" + b.in.BrandID, Action: workflows.TriageDismiss, Note: "不属实"})
		b.await("the matter passed on", func(st workflows.BrandState) bool { return matter(st) == "report_triage:RP2-"+b.in.BrandID })
		b.mustUpdate("triage-2", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: b.county, ReportID: "RP2-" + b.in.BrandID,
			Action: workflows.TriageFinding, Reason: "logo_misuse", FindingID: "F-RP2-" + b.in.BrandID, Note: "属实"})
		b.await("the matter closed", func(st workflows.BrandState) bool { return matter(st) == "" && st.Rectification != nil })
		b.terminate()
		saveHistory(t, b.histories()[0], "brand_reports")
	})
	// 第十五条: the evaluation window opens (a continue-as-new); the holder
	// files and the city passes in the next run.
	t.Run("brand_evaluation", func(t *testing.T) {
		b := s.start(t, "2024-03-16", at("2026-03-02", 9), 10*86400)
		b.passedInTheNextRun("brand_evaluation", nil)
	})
	// 第十五条 for a brand whose first window here is its third anniversary
	// (an imported brand's standing): the window opens the 2025-2027
	// evaluation, and the next is the fourth anniversary (ten days a
	// second); the holder files and the city passes in the next run.
	t.Run("brand_third_anniversary_window", func(t *testing.T) {
		b := s.startWith(t, "2021-05-10", at("2027-04-20", 9), 10*86400, func(in *workflows.BrandInput) {
			in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2027-05-10")}
		})
		b.passedInTheNextRun("brand_third_anniversary_window", func(st workflows.BrandState) {
			if st.NextEvaluation.String() != "2029-05-10" || st.Rectification != nil {
				t.Fatalf("after the window: next %s, rectification %+v", st.NextEvaluation, st.Rectification)
			}
		})
	})
	// RULES §4 for a suspension brought over with the brand (an imported
	// brand's standing): the renewal is decided within its window, which the
	// city does on its second day (a day a second).
	t.Run("brand_suspension_brought_over", func(t *testing.T) {
		b := s.startWith(t, "2024-03-01", at("2027-01-04", 9), 86400, func(in *workflows.BrandInput) {
			in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"), SuspensionCount: 1,
				Suspension: &workflows.Suspension{StartedOn: date("2026-02-06"), Until: date("2027-02-05")}}
		})
		b.await("the renewal window's opening", func(st workflows.BrandState) bool {
			return st.Suspension != nil && !st.Suspension.RenewalOpensOn.IsZero() && b.today().After(st.Suspension.RenewalOpensOn) &&
				!slices.ContainsFunc(st.Deadlines.Items, func(d *workflows.Deadline) bool { return d.Key == "renewal_window" })
		})
		b.mustUpdate("renew", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍在失信名单"})
		b.terminate()
		saveHistory(t, b.histories()[0], "brand_suspension_brought_over")
	})
	// 第十五条（二）: a late-information order lapses beside another level-1
	// order and climbs to the interview (a day a second: the county has
	// five days to confirm); since lapse-keeps-level1 that order runs on as
	// one of its own, and the county confirms it by its finding.
	t.Run("brand_late_information_over_level1", func(t *testing.T) {
		b := s.start(t, "2024-03-16", at("2026-03-20", 9), 86400)
		b.mustUpdate("logo", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: "F1-" + b.in.BrandID, Reason: "logo_misuse", Description: "标识变形"})
		b.await("the late-information order", func(st workflows.BrandState) bool { return len(st.LateInformation) > 0 })
		b.mustUpdate("confirm", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: b.county, Note: "标识已规范使用"})
		// Ordered days later, the plaque's month ends after the report's.
		b.await("2026-04-20", func(workflows.BrandState) bool { return !b.today().Before(date("2026-04-20")) })
		plaque := "F2-" + b.in.BrandID
		b.mustUpdate("plaque", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: plaque, Reason: "unauthorized_plaque", Description: "擅自挂牌"})
		b.await("level 2", func(st workflows.BrandState) bool {
			return st.Rectification != nil && st.Rectification.Level == 2 && len(st.LateInformation) == 1 && st.LateInformation[0].FindingID == plaque
		})
		b.mustUpdate("confirm plaque", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: b.county, Note: "已撤牌", FindingID: plaque})
		b.await("the plaque order confirmed", func(st workflows.BrandState) bool { return len(st.LateInformation) == 0 })
		b.terminate()
		hs := b.histories()
		saveHistory(t, hs[len(hs)-1], "brand_late_information_over_level1")
	})
	// 第十五条 综合评估 beside a finding sent at once: both are validated on
	// an active brand; the finding applies first (a level-1 order), and the
	// assessment's handler rechecks it against that order — refused before
	// findings-join-running, joined to the order since (a day a second).
	t.Run("brand_assessment_beside_a_finding", func(t *testing.T) {
		b := s.start(t, "2024-06-10", at("2026-06-15", 9), 86400)
		st := b.await("the evaluation window", func(st workflows.BrandState) bool { return st.Evaluation != nil })
		report := "EV-" + b.in.BrandID
		if err := b.fileEvaluation(report, st.Evaluation.Period); err != nil {
			t.Fatal(err)
		}
		s.pauseWorker()
		var wg sync.WaitGroup
		var findingErr, assessmentErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			findingErr = b.update("logo", workflows.UpdateFinding, workflows.FindingRequest{Actor: b.county, FindingID: "F-" + b.in.BrandID,
				Reason: "logo_misuse", Description: "标识变形"})
		}()
		time.Sleep(300 * time.Millisecond) // the finding first
		go func() {
			defer wg.Done()
			assessmentErr = b.update("assess", workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: cityOfficer(),
				ReportID: report, Outcome: workflows.OutcomeFindings, Opinion: "带动就业人数与台账不符"})
		}()
		time.Sleep(time.Second)
		s.resumeWorker()
		wg.Wait()
		if findingErr != nil {
			t.Fatalf("the finding: %v", findingErr)
		}
		t.Logf("the assessment beside it: %v", assessmentErr)
		b.terminate()
		hs := b.histories()
		h := hs[len(hs)-1]
		accepted := 0
		for _, e := range h.Events {
			if e.GetWorkflowExecutionUpdateAcceptedEventAttributes() != nil {
				accepted++
			}
		}
		if accepted < 3 { // the report, the finding, the assessment
			t.Fatalf("%d Updates accepted, want the finding and the assessment both validated", accepted)
		}
		saveHistory(t, h, "brand_assessment_beside_a_finding")
	})
	// RULES §3 and 第十五条: a development report stored before its day was
	// over and never told is taken as filed then, when the day runs out
	// (stored-report-taken); the sweep's telling later is answered.
	t.Run("brand_report_stored_untold", func(t *testing.T) {
		b, period := reportDueFriday(t, s)
		told, _ := storeUntold(t, s, b, period)
		b.await("the report taken", func(st workflows.BrandState) bool {
			return st.Evaluation != nil && st.Evaluation.ReportID == "EVSTORED"
		})
		b.mustUpdate("report-EVSTORED", workflows.UpdateEvaluationReport, told)
		b.terminate()
		hs := b.histories()
		saveHistory(t, hs[len(hs)-1], "brand_report_stored_untold")
	})
	// 第十五条: a report filed after its day, with the worker away at 24:00,
	// waits for the lapse and is taken as late (decisions-after-lapses).
	t.Run("brand_report_filed_while_away", func(t *testing.T) {
		b, period := reportDueFriday(t, s)
		fileWhileAway(t, s, b, period)
		b.terminate()
		hs := b.histories()
		saveHistory(t, hs[len(hs)-1], "brand_report_filed_while_away")
	})
}
