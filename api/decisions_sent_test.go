package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/settler"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §6 (a decision is on record before the answer, and once): the
// process leaves a decision's writes to its caller until it needs them. An
// API that stops between the process's answer and the writes leaves its
// note of the decision behind, and the writes sweep has the process make
// them: the decision is on record within a sweep, not at the process's next
// step, and once.
func TestDecisionItsCallerDidNotWriteIsWrittenByTheSweep(t *testing.T) {
	s, a, id := approvedUnwritten(t)
	if n := historyLines(t, s, a, id, "county_review.approve"); n != 0 {
		t.Fatalf("初审 on record %d times before the sweep; the process should have left it to its caller", n)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	unwritten, err := s.Store.DecisionsUnwritten(ctx, 0, 10)
	if err != nil || len(unwritten) != 1 || unwritten[0].WorkflowID != workflows.ApplicationWorkflowID(id) {
		t.Fatalf("decisions noted and not written: %+v (%v), want the 初审 on %s", unwritten, err, id)
	}
	sweep := sweepsTheApprovalOnRecord(ctx, t, s, a, id)
	if n, err := sweep.Sweep(ctx, 0); err != nil || n != 0 {
		t.Errorf("a second sweep settled %d decisions (%v), want 0", n, err)
	}
}

// approvedUnwritten submits an application and has its 初审 approved through
// an API whose writes fail after the process has applied the decision (a
// 503): the approval is left for the writes sweep.
func approvedUnwritten(t *testing.T) (*stacktest.Stack, actors, string) {
	t.Helper()
	s, a, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), UnwrittenDecisions: true})
	id := app["id"].(string)
	r := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"})
	if r.Status != 503 {
		t.Fatalf("a decision whose writes failed: status %d %s, want 503", r.Status, r.Body)
	}
	return s, a, id
}

// sweepsTheApprovalOnRecord runs the writes sweep once over the one note
// left, of application id's 初审 approval, and checks that the approval is
// then on record once, the application at 复审, and no note left; it
// returns the sweep.
func sweepsTheApprovalOnRecord(ctx context.Context, t *testing.T, s *stacktest.Stack, a actors, id string) *settler.Settler {
	t.Helper()
	sweep := &settler.Settler{Temporal: s.Temporal, Store: s.Store, Writes: s.Writer, Log: slog.Default()}
	if n, err := sweep.Sweep(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep settled %d decisions (%v), want 1", n, err)
	}
	if n := historyLines(t, s, a, id, "county_review.approve"); n != 1 {
		t.Errorf("初审 on record %d times after the sweep, want once", n)
	}
	got := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.supervisor, nil), 200, "application")
	if got["stage"] != workflows.StageCityReview {
		t.Errorf("the application's row says %v after the sweep, want %s", got["stage"], workflows.StageCityReview)
	}
	if left, err := s.Store.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 0 {
		t.Errorf("notes left after the sweep: %+v (%v), want none", left, err)
	}
	return sweep
}

// RULES §6: a decision written by its caller, and one its process refused,
// leave no note for the writes sweep — a refused public objection, sent
// again and again, must not make the sweep disturb the process.
func TestDecisionWrittenOrRefusedLeavesNoNote(t *testing.T) {
	s, a, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	id := app["id"].(string)
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"}), 200, "初审")
	// The 初审 is taken: a second one is refused by the process's validator.
	if r := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve"}); r.Status != 409 {
		t.Fatalf("a second 初审: status %d %s, want 409", r.Status, r.Body)
	}
	if left, err := s.Store.DecisionsUnwritten(context.Background(), 0, 10); err != nil || len(left) != 0 {
		t.Errorf("notes left: %+v (%v), want none", left, err)
	}
}

// RULES §6: a process ends only once its decisions' writes are on record,
// so the note of a decision on a process that has ended since is settled
// with writes that land nothing twice — here a 初审 rejection, which ends the
// application, and whose caller never wrote it.
func TestDecisionNoteOfAnEndedProcessIsSettledOnce(t *testing.T) {
	s, a, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), UnwrittenDecisions: true})
	id := app["id"].(string)
	r := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "reject", "opinion": "不符合申报条件"})
	if r.Status != 503 {
		t.Fatalf("a rejection whose writes failed: status %d %s, want 503", r.Status, r.Body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	testenv.Eventually(t, 20*time.Second, "the rejected application's process ends", func() error {
		d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), "")
		if err != nil {
			return err
		}
		if st := d.WorkflowExecutionInfo.Status; st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			return fmt.Errorf("process status %s", st)
		}
		return nil
	})
	sweep := &settler.Settler{Temporal: s.Temporal, Store: s.Store, Writes: s.Writer, Log: slog.Default()}
	if n, err := sweep.Sweep(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep settled %d decisions (%v), want 1: the ended process's", n, err)
	}
	if left, err := s.Store.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 0 {
		t.Errorf("notes left after the sweep: %+v (%v), want none", left, err)
	}
	got := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.supervisor, nil), 200, "application")
	if got["stage"] != workflows.StageRejected {
		t.Errorf("the application's row says %v, want %s: the process wrote the rejection before it ended", got["stage"], workflows.StageRejected)
	}
	if n := historyLines(t, s, a, id, "county_review.reject"); n != 1 {
		t.Errorf("the rejection on record %d times, want once", n)
	}
	// 第十一条: the holder is told with the rejection, whoever wrote it.
	var told []map[string]any
	for _, m := range inbox(t, s, a.holder) {
		if m["kind"] == "decision" {
			told = append(told, m)
		}
	}
	if len(told) != 1 || !strings.Contains(told[0]["title"].(string), "【未予入库】") ||
		!strings.Contains(told[0]["body"].(string), "未通过县（市、区）人力资源社会保障部门初审，不予入库。意见：不符合申报条件。") {
		t.Errorf("the holder's decision messages: %v, want one telling of the 初审's rejection and its opinion", told)
	}
}

// RULES §6: a decision its caller did not write, on a process whose run
// was terminated since (an operator's act, or a run that failed) before it
// needed the writes, is still put on record: the sweep makes the writes from
// the decision's outcome, which Temporal keeps after the run has ended —
// once, and only with a writer to make them.
func TestDecisionOfARunTerminatedSinceIsWrittenByTheSweep(t *testing.T) {
	s, a, id := approvedUnwritten(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Temporal.TerminateWorkflow(ctx, workflows.ApplicationWorkflowID(id), "", "test: a run ended before its writes"); err != nil {
		t.Fatal(err)
	}

	without := &settler.Settler{Temporal: s.Temporal, Store: s.Store, Log: slog.Default()}
	if n, err := without.Sweep(ctx, 0); err == nil || n != 0 {
		t.Fatalf("a sweep with no writer settled %d decisions (%v), want none and an error", n, err)
	}
	if left, err := s.Store.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 1 {
		t.Fatalf("notes after a sweep that could not write: %+v (%v), want the 初审's kept", left, err)
	}

	sweepsTheApprovalOnRecord(ctx, t, s, a, id)
}

// RULES §6: a note whose decision never reached its process — the API
// stopped after noting it and before sending it — is forgotten by the sweep
// without disturbing the process: there is nothing to write.
func TestDecisionNoteOfADecisionNeverSentIsForgottenQuietly(t *testing.T) {
	s, _, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	wf := workflows.ApplicationWorkflowID(app["id"].(string))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Store.NoteDecisionSent(ctx, "U-never-sent", wf); err != nil {
		t.Fatal(err)
	}
	sweep := &settler.Settler{Temporal: s.Temporal, Store: s.Store, Writes: s.Writer, Log: slog.Default()}
	if n, err := sweep.Sweep(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep settled %d decisions (%v), want 1: the note of a decision never sent", n, err)
	}
	if left, err := s.Store.DecisionsUnwritten(ctx, 0, 10); err != nil || len(left) != 0 {
		t.Errorf("notes left after the sweep: %+v (%v), want none", left, err)
	}
	events := s.Temporal.GetWorkflowHistory(ctx, wf, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for events.HasNext() {
		e, err := events.Next()
		if err != nil {
			t.Fatal(err)
		}
		if a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil && a.GetAcceptedRequest().GetInput().GetName() == workflows.UpdateSettleWrites {
			t.Errorf("the sweep sent %s to a process that never received the decision", workflows.UpdateSettleWrites)
		}
	}
}

// RULES §3: the holder's message of a decision whose writes the API makes
// (a 初审's return, its rejection) reaches the holder's channels like any
// message — the process, finding the writes made, makes none, so the
// API's writer starts the deliveries. Here a webhook for holders, told
// which holder each message is for.
func TestDecision_AnOfficersDecisionIsDeliveredToTheHolder(t *testing.T) {
	platform := startWebhookReceiver(t)
	channels := activities.Channels{Webhooks: []activities.Webhook{{Name: "holders", URL: platform.URL, Secret: "s",
		Roles: []string{"applicant"}}}}
	s, a, app := submitInMarch(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Channels: channels})
	id := app["id"].(string)
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning,
		map[string]any{"decision": "return", "opinion": "请补充近两年培训台账"}), 200, "初审退回")
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/resubmit", a.holder, demo.Rose().With("trainees_two_years", 5600)), 200, "resubmit")
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning,
		map[string]any{"decision": "reject", "opinion": "不符合申报条件"}), 200, "初审不予推荐")

	testenv.Eventually(t, time.Minute, "the holder's webhook receives the return and the rejection", func() error {
		kinds := map[string]int{}
		for _, m := range platform.received() {
			if m["object_id"] == id && m["audience"] == "applicant" && m["uscc"] == demo.Rose()["uscc"] {
				kinds[fmt.Sprint(m["kind"])]++
			}
		}
		if kinds["returned"] != 1 || kinds["decision"] != 1 {
			return fmt.Errorf("delivered %v, want one returned and one decision", kinds)
		}
		return nil
	})
}
