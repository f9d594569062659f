package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §1 Decision: every save of a functional zone counts a revision and
// is audited; a revision stays to be told — for the starter's sweep, once
// the API's own start had its grace — until every open process was told it,
// and telling an older one leaves the newer to tell.
func TestDecision_AZoneSavedStaysUntoldUntilItsRevisionIsTold(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	zone := store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530112", Active: true}
	untold := func(grace time.Duration) []string {
		t.Helper()
		units, err := st.ReviewUnitsUntold(ctx, grace)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range units {
			codes = append(codes, fmt.Sprintf("%s@%d", u.Code, u.Revision))
		}
		return codes
	}
	saved, err := st.SaveReviewUnit(ctx, zone, now, "admin", "admin")
	if err != nil || saved.Revision != 1 || saved.Told() {
		t.Fatalf("first save: %+v, %v", saved, err)
	}
	if got := untold(time.Hour); len(got) != 0 {
		t.Errorf("within the API's grace the sweep finds %v", got)
	}
	if got := untold(0); len(got) != 1 || got[0] != "530199@1" {
		t.Errorf("after the grace the sweep finds %v, want 530199@1", got)
	}
	zone.ReviewerCode = "530111"
	if saved, err = st.SaveReviewUnit(ctx, zone, now, "admin", "admin"); err != nil || saved.Revision != 2 || saved.ReviewerCode != "530111" {
		t.Fatalf("second save: %+v, %v", saved, err)
	}
	if err := st.MarkBureauTold(ctx, "530199", 1); err != nil {
		t.Fatal(err)
	}
	if got := untold(0); len(got) != 1 || got[0] != "530199@2" {
		t.Errorf("revision 1 told, 2 not: the sweep finds %v, want 530199@2", got)
	}
	if err := st.MarkBureauTold(ctx, "530199", 2); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkBureauTold(ctx, "530199", 1); err != nil { // a late telling of the older one
		t.Fatal(err)
	}
	if got := untold(0); len(got) != 0 {
		t.Errorf("revision 2 told: the sweep finds %v", got)
	}
	if code, revision, err := st.Reviewer(ctx, "530199"); err != nil || code != "530111" || revision != 2 {
		t.Errorf("the zone's reviewer: %s r%d, %v", code, revision, err)
	}
	if code, revision, err := st.Reviewer(ctx, "530181"); err != nil || code != "530181" || revision != 0 {
		t.Errorf("a county's reviewer: %s r%d, %v", code, revision, err)
	}
	rows, err := st.AuditFor(ctx, "review_unit", "530199")
	if err != nil || len(rows) != 2 || rows[1].Action != "review_unit.saved" {
		t.Errorf("audit of the zone: %+v, %v", rows, err)
	}
}
