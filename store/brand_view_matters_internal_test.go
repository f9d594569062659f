package store

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §4 open matters: a proposal to the city shows what it rests on —
// a suspension proposal the findings joined to it, a removal the cases
// reported — so that a county does not propose the same finding again and
// the city sees why it decides; another matter shows no reasons (its
// order's reason is the order's).
func TestRULES4_AProposalToTheCityShowsItsReasons(t *testing.T) {
	if proposedSuspension != workflows.PendingSuspension || proposedRemoval != workflows.PendingRemoval {
		t.Fatalf("the store's proposal kinds %q, %q are not the processes' %q, %q",
			proposedSuspension, proposedRemoval, workflows.PendingSuspension, workflows.PendingRemoval)
	}
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	raw, err := json.Marshal([]records.OpenMatter{
		{Kind: workflows.PendingSuspension, OpenedOn: day("2026-08-03"), Due: day("2026-08-31"), DueAt: at, Reason: "serious_dishonesty_list,rectification_measures_inadequate"},
		{Kind: workflows.PendingRemoval, OpenedOn: day("2026-08-03"), Due: day("2026-08-31"), DueAt: at, Reason: "dissolved_or_inactive,fraud"},
		{Kind: workflows.MatterRectification, ID: "F-1", OpenedOn: day("2026-08-03"), Due: day("2026-08-31"), DueAt: at, Reason: "late_information"},
		{Kind: workflows.PendingInterview, OpenedOn: day("2026-08-03"), Due: day("2026-08-31"), DueAt: at},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := openMattersOf(raw)
	want := [][]string{{"serious_dishonesty_list", "rectification_measures_inadequate"}, {"dissolved_or_inactive", "fraud"}, {}, {}}
	if len(got) != len(want) {
		t.Fatalf("%d matters, want %d", len(got), len(want))
	}
	for i, m := range got {
		if m.Reasons == nil || !slices.Equal(m.Reasons, want[i]) {
			t.Errorf("%s: reasons %#v, want %#v (never null)", m.Kind, m.Reasons, want[i])
		}
	}
}
