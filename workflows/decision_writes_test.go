package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §6 (a decision is on record before the answer, and once): a
// decision's result carries the writes its caller makes before it answers —
// here the 初审's step, keyed by its Update — and the process makes the same
// writes itself, so the decision is recorded, once, even when the caller
// never makes them (as here: nobody does).
func TestDecision_Writes_LeftToTheCallerAndMadeByTheProcess(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	var writes []records.Write
	approveThenReject(t, h, func(ws []records.Write) { writes = ws })

	if len(writes) != 1 || writes[0].Activity != workflows.ActivityRecordStep {
		t.Fatalf("初审's writes = %+v, want one %s", writes, workflows.ActivityRecordStep)
	}
	var step records.Step
	if err := json.Unmarshal(writes[0].Arg, &step); err != nil {
		t.Fatal(err)
	}
	if step.Action != "county_review.approve" || step.Stage != workflows.StageCityReview || step.Actor != county().Sub {
		t.Errorf("the step left to the caller: %s by %s to %s", step.Action, step.Actor, step.Stage)
	}
	n := 0
	for _, e := range h.events() {
		if e.Action == "county_review.approve" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("初审 recorded %d times by the process alone, want once: %v", n, h.events())
	}
}

// RULES §6 (on record once; changeDecisionWritesChecked): when the caller
// has made a decision's writes, the process reads that they are on record
// and makes none of its own.
func TestDecision_Writes_MadeByTheCallerAreNotMadeAgain(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	writer := worker.NewDecisionWriter(&activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}})
	processWrites, checks := 0, 0
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		var step records.Step
		if info.ActivityType.Name == workflows.ActivityRecordStep && args.Get(&step) == nil && step.Action == "county_review.approve" {
			processWrites++
		}
	})
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		if info.ActivityType.Name == workflows.ActivityStepsRecorded {
			checks++
		}
	})
	approveThenReject(t, h, func(ws []records.Write) {
		// As the API does before it answers.
		if err := writer.Write(context.Background(), ws); err != nil {
			t.Errorf("the caller's writes: %v", err)
		}
	})

	if processWrites != 0 || checks == 0 {
		t.Errorf("the process wrote the caller's 初审 %d times after %d checks, want 0 writes after a check", processWrites, checks)
	}
	n := 0
	for _, e := range h.events() {
		if e.Action == "county_review.approve" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("初审 recorded %d times, want once: %v", n, h.events())
	}
}

// RULES §6 (on record once; decision-writes-checked, version 2): decisions
// one right after another, each written by its caller before the next is
// sent. A decision that follows a write not yet read for reads once whether
// it is on record; the process's writer reads no more for a write the next
// decision found. With version 1 the writer read again at once, for the
// new decision's write that its caller makes only after the answer: a
// second read in that decision's workflow task, before the answer (here
// two at 01.5 and two at 02.5).
func TestDecision_Writes_ADecisionRightAfterAnotherReadsOnce(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	writer := worker.NewDecisionWriter(&activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}})
	caller := func(ws []records.Write) {
		if err := writer.Write(context.Background(), ws); err != nil {
			t.Errorf("the caller's writes: %v", err)
		}
	}
	var reads []string
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		if info.ActivityType.Name == workflows.ActivityStepsRecorded {
			reads = append(reads, h.env.Now().Format("15:04:05.0"))
		}
	})
	t0 := at("2026-03-03", 10)
	step := func(i int) time.Time { return t0.Add(time.Duration(i) * 500 * time.Millisecond) } // within the 3 s grace
	decideAndWrite(t, h, step(0), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, caller)
	h.update(step(1), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	for i := range 3 {
		h.later(step(2+i), func() {
			expert := workflows.Actor{Sub: h.state().Drawn[i], Role: "expert"}
			sendAndWrite(t, h, workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{Actor: expert, Score: 85, Recommend: true}, caller)
		})
	}
	decideAndWrite(t, h, step(5), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合条件"}, caller)
	h.run()

	// One read each by the draw, the second and third opinions and the
	// 复审 (the first opinion follows the draw, which its handler wrote),
	// and one when the 复审's grace ends.
	if want := []string{"02:00:00.5", "02:00:01.5", "02:00:02.0", "02:00:02.5", "02:00:05.5"}; !slices.Equal(reads, want) {
		t.Errorf("reads of what is on record at %v, want %v", reads, want)
	}
}

// decideAndWrite sends decision name at when; see sendAndWrite.
func decideAndWrite(t *testing.T, h *harness, when time.Time, name string, arg any, caller func([]records.Write)) {
	h.later(when, func() { sendAndWrite(t, h, name, arg, caller) })
}

// sendAndWrite sends decision name now (inside a later callback) and, once
// it completes, hands its result's writes to caller, as the API does before
// it answers.
func sendAndWrite(t *testing.T, h *harness, name string, arg any, caller func([]records.Write)) {
	h.seq++
	h.env.UpdateWorkflow(name, fmt.Sprintf("u%d", h.seq), &testsuite.TestUpdateCallback{
		OnReject: func(err error) { h.done++; t.Errorf("%s refused: %v", name, err) },
		OnAccept: func() {},
		OnComplete: func(res any, err error) {
			h.done++
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			r, ok := res.(workflows.DecisionResult)
			if !ok {
				t.Errorf("%s: result %T, want workflows.DecisionResult", name, res)
				return
			}
			caller(r.Writes)
		},
	}, arg)
}

// approveThenReject runs an application's short life: the county approves,
// its result's writes handed to caller; then the city draws, hears three
// opinions and rejects, so the process ends.
func approveThenReject(t *testing.T, h *harness, caller func([]records.Write)) {
	t.Helper()
	decideAndWrite(t, h, at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, caller)
	h.update(at("2026-03-04", 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	h.opinions(at("2026-03-05", 10), 3)
	h.update(at("2026-03-06", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合条件"}, ok(t, "复审"))
	h.run()
}
