package workflows_test

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// changeWaitTimersCancelled (docs/ARCHITECTURE.md § Version markers): a
// wait's timer is cancelled when the wait ends first, and a decision that
// leaves the next alert where it was starts no timer for it. Before, each
// wake-up left its timer running to fire later for nothing — an application
// through 复审 had six such timers pending. Run on a real dev server: an
// application from submission to admission, as an officer would take it.
func TestWaitTimersDoNotOutliveTheirWait(t *testing.T) {
	r := newRecorder(t)
	a := r.start(t, "timers", 7*86400, nil)
	r.throughCityReview(a)
	r.await(a, workflows.StageAdmitted)
	h := r.history(a)

	// At most two timers run at once: the next alert's, and the grace the
	// process leaves a decision's caller before it checks the writes.
	pending := map[string]bool{}
	most := 0
	for _, e := range h.Events {
		switch e.EventType {
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			pending[e.GetTimerStartedEventAttributes().TimerId] = true
		case enumspb.EVENT_TYPE_TIMER_FIRED:
			delete(pending, e.GetTimerFiredEventAttributes().TimerId)
		case enumspb.EVENT_TYPE_TIMER_CANCELED:
			delete(pending, e.GetTimerCanceledEventAttributes().TimerId)
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			most = max(most, len(pending))
		}
	}
	if most > 2 {
		t.Errorf("up to %d timers pending at once; want at most 2 (the next alert's and a decision's grace)", most)
	}

	// An expert opinion moves no deadline (第十二条: the 复审 period runs
	// on): its workflow task starts only the grace timer.
	opinions := 0
	for i, e := range h.Events {
		if e.EventType != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED ||
			e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName() != workflows.UpdateExpertOpinion {
			continue
		}
		opinions++
		if started := timersStartedByTask(h, i); started != 1 {
			t.Errorf("the opinion accepted at event %d started %d timers; want 1 (the grace only)", e.EventId, started)
		}
	}
	if opinions != 3 {
		t.Fatalf("found %d expert opinions in the history, want 3", opinions)
	}
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
