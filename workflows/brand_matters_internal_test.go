package workflows

import (
	"encoding/json"
	"testing"
)

// oldCarriedState is a state as a run before open matters continued as new
// with it (issue 17 item 5): one pending decision, a removal proposal,
// which had set the level-2 suspension proposal aside (Shelved); the
// deadlines carried no reason. The suspension deadline is due first.
const oldCarriedState = `{
  "status": "rectifying",
  "rectification": {"level": 2, "reason": "rectification_inadequate", "finding_id": "F1", "ordered_on": "2026-01-05", "window_open": false},
  "pending": {"kind": "removal", "due": "2026-04-17", "reason": "serious_violation",
    "shelved": {"kind": "suspension", "due": "2026-04-13", "prior_status": "rectifying", "reason": "level2_lapsed"}},
  "deadlines": {"items": [
    {"key": "evaluation_window", "schedule": {"deadline": {"due": "2027-06-10", "due_at": "2027-06-10T16:00:00Z"}}},
    {"key": "suspension_decision", "schedule": {"deadline": {"due": "2026-04-13", "due_at": "2026-04-13T16:00:00Z"}}},
    {"key": "removal_decision", "schedule": {"deadline": {"due": "2026-04-17", "due_at": "2026-04-17T16:00:00Z"}}}
  ]},
  "started": true
}`

// RULES §4 open matters, issue 17 item 5 (running processes move to the
// new shape at their next continue-as-new): converting the old single
// pending decision moves each pending decision's reason — the shelved one's
// too — onto its deadline, so both proposals are open matters with their
// reasons and the pending decision is the one due soonest. Converting again
// (a replay, or a state already in the new shape) changes nothing, and a
// reason already on a deadline is never overwritten. Guards against the
// shelved proposal's reason being lost (the city would decide a suspension
// without knowing the level-2 order lapsed) and against a conversion that is
// not idempotent (a replay would differ).
func TestDecision_OpenMatters_OldSinglePendingBecomesTheSet(t *testing.T) {
	var st BrandState
	if err := json.Unmarshal([]byte(oldCarriedState), &st); err != nil {
		t.Fatal(err)
	}
	st.fromSinglePending()
	w := &brandWorkflow{st: st}
	got := map[string]string{}
	for _, m := range w.openMatters() {
		got[m.Kind] = m.Reason
	}
	want := map[string]string{PendingSuspension: "level2_lapsed", PendingRemoval: "serious_violation"}
	if len(got) != len(want) || got[PendingSuspension] != want[PendingSuspension] || got[PendingRemoval] != want[PendingRemoval] {
		t.Errorf("open matters %v, want %v (the evaluation window is a period, not a matter)", got, want)
	}
	if p := w.mostUrgent(); p == nil || p.Kind != PendingSuspension || p.Due.String() != "2026-04-13" || p.Reason != "level2_lapsed" {
		t.Errorf("most urgent %+v, want the suspension due 2026-04-13 for level2_lapsed", p)
	}

	before, _ := json.Marshal(w.st.Deadlines)
	w.st.fromSinglePending()
	after, _ := json.Marshal(w.st.Deadlines)
	if string(before) != string(after) {
		t.Errorf("converting twice changed the deadlines:\n%s\n%s", before, after)
	}

	// A state in the new shape whose pending decision (derived) differs from
	// the deadline's own reason keeps the deadline's.
	w.st.Deadlines.get(keyRemovalDecision).Reason = "serious_violation,suspended_three_times"
	w.st.Pending = &Pending{Kind: PendingRemoval, Reason: "serious_violation"}
	w.st.fromSinglePending()
	if r := w.st.Deadlines.get(keyRemovalDecision).Reason; r != "serious_violation,suspended_three_times" {
		t.Errorf("the removal's own reason became %q", r)
	}
}
