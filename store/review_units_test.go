package store_test

import (
	"context"
	"errors"
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

// RULES §1: an application is stored only with the bureau its zone had at
// the commit — one read before a save of the zone is refused and nothing is
// written — and no zone is saved while an import starts brands.
func TestDecision_ASubmissionKeepsItsZonesBureauAsOfItsCommit(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-11-01", ClosesOn: "2026-12-31", CreatedAt: at}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	zone := store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530112", Active: true}
	if _, err := st.SaveReviewUnit(ctx, zone, at, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	submit := func(id string, revision int) error {
		return st.CreateApplication(ctx, store.NewApplication{ID: id, RoundID: "R1", BrandName: "高新区软件测试师" + id,
			BrandType: "enterprise", Category: "it_services", CountyCode: "530199", UnitName: "昆明某软件公司",
			USCC: "91530199MA0000000" + id[1:], Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: at,
			SubmittedBy: "holder", SubmittedRole: "applicant", ProcessInput: map[string]any{}, ReviewerRevision: revision})
	}
	zone.ReviewerCode = "530111"
	if _, err := st.SaveReviewUnit(ctx, zone, at, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	if err := submit("A1", 1); !errors.Is(err, store.ErrReviewerChanged) {
		t.Errorf("a submission read at revision 1, stored after revision 2: %v, want ErrReviewerChanged", err)
	}
	if _, err := st.GetApplicationRef(ctx, "A1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused submission was written: %v", err)
	}
	if err := submit("A2", 2); err != nil {
		t.Errorf("a submission read at revision 2: %v", err)
	}
	release, ok, err := st.LockImport(ctx)
	if err != nil || !ok {
		t.Fatalf("the import's lock: %v %v", ok, err)
	}
	defer release()
	if _, err := st.SaveReviewUnit(ctx, zone, at, "admin", "admin"); !errors.Is(err, store.ErrImportInProgress) {
		t.Errorf("a zone saved during an import: %v, want ErrImportInProgress", err)
	}
}
