package workflows_test

import (
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// changeWaitTimersCancelled and changeWritesWhenNeeded (docs/ARCHITECTURE.md
// § Version markers): a wait's timer is cancelled when the wait ends first, a
// decision that leaves the next alert where it was starts no timer for it,
// and a decision its caller writes starts no grace timer. Before, each
// wake-up left its timer running to fire later for nothing — an application
// through 复审 had six such timers pending — and each decision had a grace
// timer fire three seconds later. Run on a real dev server: an application
// from submission to admission, as an officer would take it.
func TestWaitTimersDoNotOutliveTheirWait(t *testing.T) {
	r := newRecorder(t)
	a := r.start(t, "timers", 7*86400, nil)
	r.throughCityReview(a)
	r.await(a, workflows.StageAdmitted)
	h := r.history(a)

	// At most one timer runs at once: the next alert's. The caller writes
	// each decision (changeWritesWhenNeeded), so no decision leaves a grace
	// timer behind it, and the process never waits for one.
	pending := map[string]bool{}
	most := 0
	for _, e := range h.Events {
		switch e.EventType {
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			pending[e.GetTimerStartedEventAttributes().TimerId] = true
			if s := timerSummary(t, e); strings.HasPrefix(s, "等待办理人写入") {
				t.Errorf("event %d starts a caller's grace (%s); the caller wrote every decision", e.EventId, s)
			}
		case enumspb.EVENT_TYPE_TIMER_FIRED:
			delete(pending, e.GetTimerFiredEventAttributes().TimerId)
		case enumspb.EVENT_TYPE_TIMER_CANCELED:
			delete(pending, e.GetTimerCanceledEventAttributes().TimerId)
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			most = max(most, len(pending))
		}
	}
	if most > 1 {
		t.Errorf("up to %d timers pending at once; want at most 1 (the next alert's)", most)
	}

	// An expert opinion moves no deadline (第十二条: the 复审 period runs
	// on): its workflow task starts no timer.
	opinions := 0
	for i, e := range h.Events {
		if e.EventType != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
			e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName() != workflows.UpdateExpertOpinion {
			continue
		}
		opinions++
		if started := timersStartedByTask(h, i); started != 0 {
			t.Errorf("the opinion accepted at event %d started %d timers; want none", e.EventId, started)
		}
	}
	if opinions != 3 {
		t.Fatalf("found %d expert opinions in the history, want 3", opinions)
	}
}

// timerSummary is the summary the UI shows for a timer's start event.
func timerSummary(t *testing.T, e *historypb.HistoryEvent) string {
	var s string
	if p := e.GetUserMetadata().GetSummary(); p != nil {
		if err := converter.GetDefaultDataConverter().FromPayload(p, &s); err != nil {
			t.Fatalf("event %d: summary: %v", e.EventId, err)
		}
	}
	return s
}

// timersStartedByTask counts the timers started by the commands of the
// workflow task whose events begin at index i.
func timersStartedByTask(h *historypb.History, i int) int {
	n := 0
	for _, e := range h.Events[i:] {
		switch e.EventType {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
			return n
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			n++
		}
	}
	return n
}
