package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RELIABILITY, RULES §4 open matters (附件2, 第十五条): a change request or
// development report is stored before its brand's process is told of it.
// An API that stops between the two — or a 503 its holder never retried —
// left the record stored and unknown to the process for good: listed to
// the county as waiting, refused as no_such_change when it gave its
// opinion, and the holder's change form no longer offered. The Update is
// now stored with the record, and the starter's sweep sends it again under
// its own ID: the process takes the record once, and a record it refuses is
// removed with its Update.
func TestRULES4_ARecordStoredAndNeverToldIsToldByTheStartersSweep(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := brandTokens(t)
	rose := admitBrand(t, s, demo.Rose(), "2025-06-10")
	ctx := context.Background()
	untold := func() int {
		t.Helper()
		var n int
		if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM untold_updates`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Told at once, as normally: nothing is left to tell.
	expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/changes", a.rose, map[string]any{"changes": map[string]any{"contact_phone": "13800001111"},
		"reason": "联系人电话变更"}, "Idempotency-Key", "change-told"), 201, "a change request told at once")
	if n := untold(); n != 0 {
		t.Fatalf("%d Updates left untold after the process answered", n)
	}

	// Stored as the API stores them, the API stopping before it told them:
	// a change request the process will take, and a development report it
	// refuses (no evaluation window is open in 2026-03).
	holder := workflows.Actor{Sub: "holder-rose", Role: "applicant", USCC: "51530181MJ0000001U"}
	tell := func(updateID, name string, arg any) *store.UntoldUpdate {
		raw, _ := json.Marshal(arg)
		return &store.UntoldUpdate{UpdateID: updateID, WorkflowID: workflows.BrandWorkflowID(rose), UpdateName: name, Args: raw}
	}
	if _, err := s.Store.SaveChange(ctx, store.NewChange{ID: "CH-STRANDED", BrandID: rose, Changes: map[string]any{"contact_name": "王芳"},
		Reason: "联系人调动", RequestedAt: time.Now(), RequestedBy: holder.Sub,
		Tell: tell("U-stranded-change", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: holder, ChangeID: "CH-STRANDED"})}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.SaveEvaluation(ctx, store.NewEvaluation{ID: "EV-STRANDED", BrandID: rose, Period: "2025-2027",
		Report: map[string]any{"summary": "两年来新增培训基地两处。"}, FiledAt: time.Now(),
		Tell: tell("U-stranded-report", workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: holder, ReportID: "EV-STRANDED", Period: "2025-2027"})}); err != nil {
		t.Fatal(err)
	}
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default(), Writes: s.Writer}
	told, err := st.SweepUntold(ctx, 0)
	if told != 1 || err != nil {
		t.Fatalf("the sweep told %d records (%v), want the change request", told, err)
	}
	v := expect(t, s.Do("GET", "/api/v1/brands/"+rose, a.anning, nil), 200, "the brand")
	if !hasMatter(v, "change", "CH-STRANDED") {
		t.Errorf("the process has no open matter for the stranded change request: %v", v["open_matters"])
	}
	expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/changes/CH-STRANDED/opinion", a.anning,
		map[string]any{"approve": true, "opinion": "同意"}), 200, "the county's opinion on the request once told")
	var reports int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM evaluations WHERE id = 'EV-STRANDED'`).Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if reports != 0 {
		t.Error("the report the process refused is still stored")
	}
	if n := untold(); n != 0 {
		t.Errorf("%d Updates left untold after the sweep", n)
	}

	// Sent again (a told row the API could not forget): applied once.
	if _, err := s.Store.Pool().Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('U-stranded-change', $1, $2, $3, 'change', 'CH-STRANDED', now())`, workflows.BrandWorkflowID(rose), workflows.UpdateChangeRequest,
		tell("U-stranded-change", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: holder, ChangeID: "CH-STRANDED"}).Args); err != nil {
		t.Fatal(err)
	}
	if told, err := st.SweepUntold(ctx, 0); told != 1 || err != nil {
		t.Fatalf("the sweep told %d (%v), want the one sent again answered", told, err)
	}
	var state workflows.BrandState
	if q, err := s.Temporal.QueryWorkflow(ctx, workflows.BrandWorkflowID(rose), "", workflows.QueryState); err != nil || q.Get(&state) != nil {
		t.Fatalf("the brand's state: %v", err)
	}
	var taken []string
	for _, c := range state.Changes {
		if c.ID == "CH-STRANDED" {
			taken = append(taken, c.Step)
		}
	}
	if len(taken) != 1 || taken[0] != "city" {
		t.Errorf("the change request sent again is in the process as %v, want once, at the city's step", taken)
	}

	// One stranded before the brand was removed, and one stored after the
	// removal (its API stopping before it could undo it): once the removed
	// brand's process is over, both stay closed on record, nothing to tell.
	stranded := func(id, updateID string) {
		t.Helper()
		if _, err := s.Store.SaveChange(ctx, store.NewChange{ID: id, BrandID: rose, Changes: map[string]any{"contact_name": "赵敏"},
			Reason: "联系人调动", RequestedAt: time.Now(), RequestedBy: holder.Sub,
			Tell: tell(updateID, workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: holder, ChangeID: id})}); err != nil {
			t.Fatal(err)
		}
	}
	stranded("CH-BEFORE-REMOVAL", "U-before-removal")
	expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/removal-report", a.anning, map[string]any{"reason": "dissolved_or_inactive", "description": "协会已注销登记"}), 200, "removal report")
	expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/removal-decision", a.city, map[string]any{"remove": true, "reason": "经核实已注销"}), 200, "removal")
	stranded("CH-AFTER-REMOVAL", "U-after-removal")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.BrandWorkflowID(rose), "")
		if err == nil && d.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the removed brand's process has not completed: %v", err)
		}
	}
	// One whose process never started is tried, kept, and put behind the
	// others.
	if _, err := s.Store.Pool().Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('U-no-process', 'brand-B-NONE', $1, '{}', 'change', 'CH-NONE', now() - interval '1 hour')`, workflows.UpdateChangeRequest); err != nil {
		t.Fatal(err)
	}
	if told, err := st.SweepUntold(ctx, 0); told != 0 || err == nil {
		t.Errorf("the sweep told %d (%v), want none and the process that never started reported", told, err)
	}
	for _, id := range []string{"CH-BEFORE-REMOVAL", "CH-AFTER-REMOVAL"} {
		var status string
		if err := s.Store.Pool().QueryRow(ctx, `SELECT status FROM brand_changes WHERE id = $1`, id).Scan(&status); err != nil || status != "closed" {
			t.Errorf("%s is %q (%v), want closed as the removal closes a request", id, status, err)
		}
	}
	if n := untold(); n != 1 {
		t.Errorf("%d Updates untold, want only the one with no process", n)
	}
	if _, err := s.Store.Pool().Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('U-waiting', 'brand-B-NONE2', $1, '{}', 'change', 'CH-NONE2', now() - interval '30 minutes')`, workflows.UpdateChangeRequest); err != nil {
		t.Fatal(err)
	}
	if next, err := s.Store.UntoldUpdates(ctx, 0, 1); err != nil || len(next) != 1 || next[0].UpdateID != "U-waiting" {
		t.Errorf("the next untold: %+v (%v), want the one waiting since half an hour before the one stored an hour ago and tried just now", next, err)
	}
}

// hasMatter reports whether brand view v has the open matter kind id.
func hasMatter(v map[string]any, kind, id string) bool { return countMatters(v, kind, id) > 0 }

func countMatters(v map[string]any, kind, id string) int {
	n := 0
	ms, _ := v["open_matters"].([]any)
	for _, m := range ms {
		m := m.(map[string]any)
		if m["kind"] == kind && fmt.Sprint(m["id"]) == id {
			n++
		}
	}
	return n
}

// RELIABILITY (one process that cannot answer does not hold back the
// others): a record whose process does not answer — its worker gone, say —
// takes a sweep's whole time, and its telling is put behind the others even
// when the time ran out with it; the next sweep tells the records behind it.
// It stayed first, its "tried" never written on a spent deadline, and every
// sweep spent its time on it again.
func TestRELIABILITY_ARecordWhoseProcessDoesNotAnswerDoesNotHoldBackTheOthers(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	rose := admitBrand(t, s, demo.Rose(), "2025-06-10")
	ctx := context.Background()
	// A brand's process on a task queue no worker polls: an Update to it
	// waits until its caller gives up.
	stuck := workflows.BrandWorkflowID("B-STUCK")
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: stuck, TaskQueue: "nobody-polls-" + s.TaskQueue},
		workflows.BrandWorkflowType, workflows.BrandInput{BrandID: "B-STUCK"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Temporal.TerminateWorkflow(context.Background(), stuck, "", "test over") })
	holder := workflows.Actor{Sub: "holder-rose", Role: "applicant", USCC: "51530181MJ0000001U"}
	args, _ := json.Marshal(workflows.ChangeRequest{Actor: holder, ChangeID: "CH-BEHIND"})
	if _, err := s.Store.SaveChange(ctx, store.NewChange{ID: "CH-BEHIND", BrandID: rose, Changes: map[string]any{"contact_name": "王芳"},
		Reason: "联系人调动", RequestedAt: time.Now(), RequestedBy: holder.Sub,
		Tell: &store.UntoldUpdate{UpdateID: "U-behind", WorkflowID: workflows.BrandWorkflowID(rose), UpdateName: workflows.UpdateChangeRequest, Args: args}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('U-stuck', $1, $2, $3, 'change', 'CH-STUCK', now() - interval '1 hour')`, stuck, workflows.UpdateChangeRequest, args); err != nil {
		t.Fatal(err)
	}
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default(), Writes: s.Writer}
	sweep := func() {
		sweepCtx, cancel := context.WithTimeout(ctx, 5*time.Second) // as long as one telling may take
		defer cancel()
		st.SweepUntold(sweepCtx, 0)
	}
	sweep() // spent on the stuck process
	sweep()
	var left []string
	rows, err := s.Store.Pool().Query(ctx, `SELECT update_id FROM untold_updates ORDER BY update_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		left = append(left, id)
	}
	if fmt.Sprint(left) != "[U-stuck]" {
		t.Errorf("untold after two sweeps: %v, want only the stuck process's (the record behind it told)", left)
	}
}
