package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// maxRunEvents is the history size no run of a brand's process may exceed
// (issue 5): a 30-year life must stay small.
const maxRunEvents = 2000

// 第十五条 (biennial evaluation), issue 5: a brand admitted Mon 2026-03-02
// lives 30 years in one process that continues as new at each of its 15
// evaluation cycles (03-02 of 2028, 2030, … 2056). Every cycle the holder
// files on 03-05 and the city passes on 03-20; three findings come and go,
// one of them across a continue-as-new and one lapsing to level 2 in the
// run after the one that ordered it. Each run starts with exactly the state
// the last one carried — deadlines and applied decision IDs included — and
// a decision retried with its Update ID after a continue-as-new is not
// applied again.
func TestBrandThirtyYearLifeContinuesAsNew(t *testing.T) {
	h := newBrandHarness(t, "2026-03-02")
	type decision struct {
		at time.Time
		id string
	}
	var decisions []decision
	decide := func(day, id, name string, arg any) {
		h.updateAs(at(day, 10), id, name, arg, ok(t, id))
		decisions = append(decisions, decision{at(day, 10), id})
	}
	// retry sends a decision again with its Update ID, as a client that
	// never saw the answer does: accepted, and nothing happens.
	retry := func(day, id, name string, arg any) {
		h.updateAs(at(day, 10), id, name, arg, ok(t, "retried "+id))
	}
	// First report due days, counted by hand: 20 working days after 03-02,
	// no holiday in March.
	reportDue := map[int]string{2028: "2028-03-30", 2036: "2036-03-28", 2044: "2044-03-30"}
	for k := 1; k <= 15; k++ {
		k, y := k, 2026+2*k
		opens := fmt.Sprintf("%d-03-02", y)
		period := fmt.Sprintf("%d-%d", y-2, y)
		h.checkAt(at(opens, 0).Add(time.Minute), func(st workflows.BrandState) {
			prev := h.runs[len(h.runs)-1]
			if prev.Next == nil || prev.Next.State == nil {
				t.Errorf("cycle %d: the last run did not continue as new with its state", k)
				return
			}
			if got, want := mustJSON(t, st), mustJSON(t, *prev.Next.State); got != want {
				t.Errorf("cycle %d: the new run's state differs from the one carried:\n got %s\nwant %s", k, got, want)
			}
			if st.Cycle != k || st.Evaluation == nil || st.Evaluation.Period != period || st.Evaluation.OpensOn.String() != opens ||
				st.NextEvaluation.String() != fmt.Sprintf("%d-03-02", y+2) || dueOf(st, "evaluation_window") != fmt.Sprintf("%d-03-01", y+2) {
				t.Errorf("cycle %d: %+v next %s window %s", k, st.Evaluation, st.NextEvaluation, dueOf(st, "evaluation_window"))
			}
			if want, found := reportDue[y]; found && dueOf(st, "evaluation_report") != want {
				t.Errorf("cycle %d: report due %s, want %s", k, dueOf(st, "evaluation_report"), want)
			}
		})
		ev := fmt.Sprintf("EV%d", k)
		h.later(at(fmt.Sprintf("%d-03-05", y), 9), func() { h.fileEvaluation(ev, period, at(fmt.Sprintf("%d-03-05", y), 9)) })
		decide(fmt.Sprintf("%d-03-05", y), fmt.Sprintf("report-%d", k), workflows.UpdateEvaluationReport,
			workflows.EvaluationReportRequest{Actor: brandHolder(), ReportID: ev, Period: period})
		decide(fmt.Sprintf("%d-03-20", y), fmt.Sprintf("assess-%d", k), workflows.UpdateEvaluationAssessment,
			workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: ev, Outcome: "pass", Opinion: "符合条件"})
	}
	// The first cycle's assessment, retried two cycles later.
	retry("2030-03-25", "assess-1", workflows.UpdateEvaluationAssessment,
		workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: "EV1", Outcome: "pass", Opinion: "符合条件"})

	// 2029: a level-1 order confirmed in time (due Thu 2029-06-14).
	decide("2029-05-14", "finding-2029", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2029", Reason: "logo_misuse", Description: "标识变形"})
	h.check("2029-05-14", func(st workflows.BrandState) {
		if dueOf(st, "rectification") != "2029-06-14" {
			t.Errorf("2029 rectification due %s, want 2029-06-14", dueOf(st, "rectification"))
		}
	})
	decide("2029-05-30", "confirm-2029", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"})

	// 2036: ordered Mon 02-18, due Tue 03-18, across the window of 03-02;
	// confirmed in the new run. The order, retried after, does nothing.
	finding2036 := workflows.FindingRequest{Actor: county530181(), FindingID: "F2036", Reason: "abnormal_operations_list", Description: "列入经营异常名录"}
	decide("2036-02-18", "finding-2036", workflows.UpdateFinding, finding2036)
	h.check("2036-03-02", func(st workflows.BrandState) {
		if st.Status != "rectifying" || dueOf(st, "rectification") != "2036-03-18" {
			t.Errorf("2036 after the continue-as-new: %s due %s, want rectifying due 2036-03-18", st.Status, dueOf(st, "rectification"))
		}
	})
	decide("2036-03-10", "confirm-2036", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已移出名录"})
	retry("2036-03-12", "finding-2036", workflows.UpdateFinding, finding2036)
	h.check("2036-03-12", func(st workflows.BrandState) {
		if st.Status != "active" || st.Rectification != nil {
			t.Errorf("after the retried order: %s %+v, want active", st.Status, st.Rectification)
		}
	})

	// 2044: ordered Mon 02-22, due Tue 03-22, lapses in the run after the
	// window of 03-02 at 03-22's 24:00: level 2 from Wed 03-23, the
	// interview due 10 working days after (04-04 清明): Thu 04-07. Held Fri
	// 04-01, three months to Fri 07-01.
	decide("2044-02-22", "finding-2044", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F2044", Reason: "unauthorized_plaque", Description: "擅自制作牌匾"})
	h.check("2044-03-23", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2044-04-07" {
			t.Errorf("2044 after the month: %+v %q, want level 2, interview due 2044-04-07", st.Rectification, pendingOf(st))
		}
	})
	decide("2044-04-01", "interview-2044", workflows.UpdateInterview, workflows.InterviewRequest{Actor: county530181(), HeldOn: date("2044-04-01"), Note: "约谈"})
	h.check("2044-04-01", func(st workflows.BrandState) {
		if dueOf(st, "rectification") != "2044-07-01" {
			t.Errorf("2044 window due %s, want 2044-07-01", dueOf(st, "rectification"))
		}
	})
	decide("2044-05-16", "confirm-2044", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"})
	retry("2046-03-10", "confirm-2044", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: county530181(), Note: "已整改"})

	h.check("2056-03-31", func(st workflows.BrandState) {
		if st.Status != "active" || st.Cycle != 15 || st.SuspensionCount != 0 || st.Evaluation != nil || st.NextEvaluation.String() != "2058-03-02" {
			t.Errorf("after 30 years: %s cycle %d evaluation %+v next %s", st.Status, st.Cycle, st.Evaluation, st.NextEvaluation)
		}
	})
	h.run("2056-03-31")

	if len(h.runs) != 16 {
		t.Fatalf("%d runs, want 16 (a continue-as-new at each of 15 cycles)", len(h.runs))
	}
	sort.SliceStable(decisions, func(i, j int) bool { return decisions[i].at.Before(decisions[j].at) })
	most := 0
	for i, r := range h.runs {
		most = max(most, r.MaxEvents())
		if n := r.MaxEvents(); n > maxRunEvents {
			t.Errorf("run %d (%s..%s) may hold %d events, more than %d: %+v", i+1, r.Start, r.End, n, maxRunEvents, r)
		}
		if i == 15 {
			break
		}
		cycleStart := at(fmt.Sprintf("%d-03-02", 2028+2*i), 0)
		if !r.End.Equal(cycleStart) || r.Next == nil || r.Next.State.Cycle != i+1 {
			t.Errorf("run %d ended %s (next %v), want a continue-as-new at %s into cycle %d", i+1, r.End, r.Next != nil, cycleStart, i+1)
			continue
		}
		var want []string
		for _, d := range decisions {
			if d.at.Before(r.End) {
				want = append(want, d.id)
			}
		}
		if !slices.Equal(r.Next.State.Applied, want) {
			t.Errorf("run %d carried applied decisions %v, want %v", i+1, r.Next.State.Applied, want)
		}
	}
	t.Logf("16 runs; the largest may hold %d events", most)

	count := map[string]int{}
	for _, e := range h.events() {
		count[e.Role+" "+e.Action]++
	}
	for what, n := range map[string]int{
		"system evaluation.opened": 15, "applicant evaluation.reported": 15, "city_officer evaluation.pass": 15,
		"county_officer finding.level1": 3, "county_officer rectification.confirmed": 3, "system rectification.lapsed": 1,
		"county_officer interview.held": 1, "system finding.level1": 0,
	} {
		if count[what] != n {
			t.Errorf("%d × %s, want %d (all: %v)", count[what], what, n, count)
		}
	}
	equal(t, "findings", h.findings(), []string{
		"F2029 logo_misuse 1 2029-05-14 officer-anning",
		"F2036 abnormal_operations_list 1 2036-02-18 officer-anning",
		"F2044 unauthorized_plaque 1 2044-02-22 officer-anning",
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// devServerLifeScale runs business time 20,000,000 times faster than the
// wall clock on the dev server: 30 years in about 50 seconds, a 20-working-
// day period in about a tenth of a second.
const devServerLifeScale = 20_000_000

// Issue 5, on a real Temporal dev server: the same 30-year life, with a
// holder and officers that act on whatever the brand waits for, as fast as
// they can. The real histories are counted: no run exceeds 2,000 events;
// each continue-as-new hands the next run its state with every decision
// applied so far among its applied IDs; and an assessment retried with its
// Update ID in the next run is accepted without being applied again. At
// this speed a deadline may pass before a step lands (the process's own
// timers are late too), so the dates are not asserted here — the
// time-skipping test above does.
func TestBrandThirtyYearHistoryOnDevServer(t *testing.T) {
	if testing.Short() {
		t.Skip("a minute of wall time")
	}
	s := newBrandServer(t)
	b := s.start(t, "2026-03-02", at("2026-03-02", 9), devServerLifeScale)
	var last struct {
		id, run string
		req     workflows.AssessmentRequest
	}
	retried := 0
	passed := map[string]bool{} // assessments applied, by Update ID
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// The life ends when the 15th evaluation (2056) is assessed.
	lived := testenv.PollEvery(ctx, 10*time.Millisecond, func() bool {
		st, err := b.state()
		if err != nil {
			return false
		}
		if st.Cycle >= 15 && st.Evaluation == nil {
			return true
		}
		act := func(id, name string, arg any) {
			if err := b.update(id, name, arg); err != nil {
				t.Logf("%s %s: %v", name, id, err)
			}
		}
		if last.id != "" && b.currentRun() != last.run {
			if err := b.update(last.id, workflows.UpdateEvaluationAssessment, last.req); err != nil {
				t.Errorf("%s retried in the next run: %v", last.id, err)
			}
			last.id = ""
			retried++
		}
		switch {
		case st.Evaluation != nil && st.Evaluation.ReportID == "":
			if err := b.fileEvaluation("EV-"+st.Evaluation.Period, st.Evaluation.Period); err != nil {
				t.Logf("report %s: %v", st.Evaluation.Period, err)
			}
		case st.Evaluation != nil:
			req := workflows.AssessmentRequest{Actor: cityOfficer(), ReportID: st.Evaluation.ReportID, Outcome: "pass", Opinion: "符合条件"}
			id := "assess-" + st.Evaluation.ReportID
			if err := b.update(id, workflows.UpdateEvaluationAssessment, req); err == nil {
				last.id, last.run, last.req = id, b.currentRun(), req
				passed[id] = true
			}
		case st.Pending != nil && st.Pending.Kind == workflows.PendingInterview:
			act("interview-"+st.Rectification.FindingID, workflows.UpdateInterview, workflows.InterviewRequest{Actor: b.county, HeldOn: b.today(), Note: "约谈"})
		case st.Rectification != nil && st.Rectification.WindowOpen:
			act(fmt.Sprintf("confirm-%s-%d", st.Rectification.FindingID, st.Rectification.Level), workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: b.county, Note: "已整改"})
		}
		return false
	})
	if !lived {
		t.Fatalf("30 years did not pass in time: business time is %s", b.in.Clock.Now())
	}
	t.Logf("the 15th evaluation assessed at business time %s", b.in.Clock.Now().In(calendar.Shanghai).Format("2006-01-02"))
	// Nobody here makes the writes a decision leaves to its caller: the
	// process makes them after a moment (changeDecisionWritesChecked), so
	// the last one is awaited before the process is ended.
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	testenv.PollEvery(wctx, 50*time.Millisecond, func() bool {
		n := 0
		err := s.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM brand_events WHERE brand_id = $1 AND action = 'evaluation.pass'`,
			b.in.BrandID).Scan(&n)
		return err == nil && n >= len(passed)
	})
	b.terminate()

	hs := b.histories()
	if len(hs) < 16 {
		t.Fatalf("%d runs, want 16 (a continue-as-new at each of 15 cycles)", len(hs))
	}
	var applied []string
	most := 0
	for i, h := range hs {
		most = max(most, len(h.Events))
		if len(h.Events) > maxRunEvents {
			t.Errorf("run %d holds %d events, more than %d", i+1, len(h.Events), maxRunEvents)
		}
		// A decision applied is one completed without failure: an accepted
		// Update may still be refused by its handler's recheck when the
		// process's own step changed the state meanwhile (a window lapsed),
		// and a refused decision is not remembered.
		for _, e := range h.Events {
			if a := e.GetWorkflowExecutionUpdateCompletedEventAttributes(); a != nil && a.GetOutcome().GetFailure() == nil {
				applied = append(applied, a.GetMeta().GetUpdateId())
			}
		}
		if i == len(hs)-1 {
			break
		}
		can := h.Events[len(h.Events)-1].GetWorkflowExecutionContinuedAsNewEventAttributes()
		started := hs[i+1].Events[0].GetWorkflowExecutionStartedEventAttributes()
		if !proto.Equal(can.GetInput(), started.GetInput()) {
			t.Errorf("run %d did not start with the input run %d continued with", i+2, i+1)
		}
		var next workflows.BrandInput
		if err := converter.GetDefaultDataConverter().FromPayloads(can.GetInput(), &next); err != nil {
			t.Fatal(err)
		}
		st := next.State
		opens := fmt.Sprintf("%d-03-02", 2028+2*i)
		if st == nil || st.Cycle != i+1 || st.Evaluation == nil || st.Evaluation.OpensOn.String() != opens ||
			dueOf(*st, "evaluation_window") != fmt.Sprintf("%d-03-01", 2030+2*i) ||
			(dueOf(*st, "evaluation_report") == "" && dueOf(*st, "evaluation_assessment") == "") {
			t.Errorf("run %d carried %+v, want cycle %d opened %s with the report or assessment and the next window due", i+1, st, i+1, opens)
			continue
		}
		for _, id := range applied {
			if !slices.Contains(st.Applied, id) {
				t.Errorf("run %d carried applied IDs %v without %s, applied before it", i+1, st.Applied, id)
			}
		}
	}
	t.Logf("%d runs; the largest holds %d events; %d assessments retried after a continue-as-new", len(hs), most, retried)
	if retried == 0 {
		t.Error("no assessment was retried in a next run")
	}
	passes, assessed := 0, map[string]bool{}
	for _, id := range applied {
		if strings.HasPrefix(id, "assess-") {
			assessed[id] = true
		}
	}
	if err := s.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM brand_events WHERE brand_id = $1 AND action = 'evaluation.pass'`,
		b.in.BrandID).Scan(&passes); err != nil || passes != len(assessed) {
		t.Errorf("%d assessments recorded for %d distinct decisions (%v): a retried one applied twice?", passes, len(assessed), err)
	}
}
