package workflows

import (
	"slices"
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// A brand's open matters (RULES §4 "open matters") are its deadlines that
// someone has to act on: a matter is open exactly while its deadline is
// armed, so no deadline outlives its matter and no matter lacks one. A
// lapse arms a deadline of its own and never replaces another's; a matter
// closes only by its own decision, or by one that supersedes it and says
// so in the history (a removal closes everything; a suspension closes the
// rectification it punishes).

// matterKinds names the matter each deadline key stands for (API.md
// open_matters[].kind). Keys not listed are periods, not matters: the next
// evaluation window, the suspension's end.
var matterKinds = []struct{ key, kind string }{
	{keyRectification, MatterRectification},
	{keyInterview, PendingInterview},
	{keySuspensionDecision, PendingSuspension},
	{keyRenewalDecision, PendingSuspensionRenewal},
	{keyRemovalDecision, PendingRemoval},
	{keyEvaluationReport, PendingEvaluationReport},
	{keyEvaluationAssessment, PendingEvaluationAssessment},
	{strings.TrimSuffix(keyChange, ":"), "change"},
	{strings.TrimSuffix(keyReportTriage, ":"), MatterReportTriage},
}

// MatterKinds lists the kinds open_matters may name.
func MatterKinds() []string {
	out := make([]string, len(matterKinds))
	for i, m := range matterKinds {
		out[i] = m.kind
	}
	return out
}

// decisionKinds are the matters pending_decision may name: what an officer
// or the holder decides or files, as opposed to a rectification running.
var decisionKinds = []string{PendingInterview, PendingSuspension, PendingSuspensionRenewal, PendingRemoval,
	PendingEvaluationReport, PendingEvaluationAssessment}

// matterOf is the matter kind and id of deadline d ("" when d is a period).
func matterOf(d *Deadline) (kind, id string) {
	base, id, _ := strings.Cut(d.Key, ":")
	for _, m := range matterKinds {
		if m.key == base {
			return m.kind, id
		}
	}
	return "", ""
}

// open reports whether the matter whose deadline is key is open.
func (w *brandWorkflow) open(key string) bool { return w.st.Deadlines.get(key) != nil }

// openMatters lists every open matter with its deadline, in the order
// they were opened.
func (w *brandWorkflow) openMatters() []records.OpenMatter {
	var out []records.OpenMatter
	for _, d := range w.st.Deadlines.Items {
		kind, id := matterOf(d)
		if kind == "" {
			continue
		}
		v := d.Value()
		opened := d.Opened
		if opened.IsZero() {
			opened = d.Rule.From
		}
		out = append(out, records.OpenMatter{Kind: kind, ID: id, OpenedOn: opened, Due: v.Due, DueAt: v.DueAt,
			Reason: d.Reason, Overdue: d.Expired})
	}
	return out
}

// mostUrgent is the open decision due soonest (API.md pending_decision),
// or nil.
func (w *brandWorkflow) mostUrgent() *Pending {
	var best *Deadline
	var bestKind string
	for _, d := range w.st.Deadlines.Items {
		kind, _ := matterOf(d)
		if !isDecisionKind(kind) {
			continue
		}
		if best == nil || d.Value().DueAt.Before(best.Value().DueAt) {
			best, bestKind = d, kind
		}
	}
	if best == nil {
		return nil
	}
	return &Pending{Kind: bestKind, Due: best.Value().Due, Reason: best.Reason}
}

func isDecisionKind(kind string) bool { return slices.Contains(decisionKinds, kind) }

// settle brings what follows from the open matters up to date after a
// change: the status and the pending decision the state query shows.
func (w *brandWorkflow) settle() {
	w.st.Status = w.settledStatus()
	w.st.Pending = w.mostUrgent()
}

// fromSinglePending converts a state carried from a run that kept one
// pending decision (and what it had set aside) into open matters: each
// pending decision's reason moves onto its deadline. It takes no step, so a
// run replays the same whichever shape its input had.
func (st *BrandState) fromSinglePending() {
	for p := st.Pending; p != nil; p = p.Shelved {
		for _, m := range matterKinds {
			if m.kind == p.Kind {
				if d := st.Deadlines.get(m.key); d != nil && d.Reason == "" {
					d.Reason = p.Reason
				}
			}
		}
	}
}
