package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §3 (one brand per holder) against an import of brands: while an
// import holds the library no application is stored, and one stored after
// it finds the imported brand under the lock, whatever the caller checked
// before — nothing written either time.
func TestDecision_Import_NoApplicationFallsBetweenAnImportsCheckAndItsRecord(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-11-01", ClosesOn: "2026-12-31", CreatedAt: at}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	const uscc = "51530181MJ0000001U"
	submit := func(id string) error {
		return st.CreateApplication(ctx, store.NewApplication{ID: id, RoundID: "R1", BrandName: "安宁玫瑰" + id,
			BrandType: "regional", Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会",
			USCC: uscc, Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: at,
			SubmittedBy: "holder", SubmittedRole: "applicant", ProcessInput: map[string]any{}})
	}
	stored := func(id string) bool {
		t.Helper()
		_, err := st.GetApplicationRef(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}

	release, ok, err := st.LockImport(ctx)
	if err != nil || !ok {
		t.Fatalf("the import's lock: %v %v", ok, err)
	}
	if err := submit("A1"); !errors.Is(err, store.ErrImportInProgress) {
		t.Errorf("a submission during the import: %v, want ErrImportInProgress", err)
	}
	// The import's brand is written; the lock is given back.
	if err := st.ImportBrand(ctx, records.BrandImport{BrandID: "B1", Name: "安宁温泉康养", UnitName: "安宁市玫瑰产业协会",
		USCC: uscc, BrandType: "regional", Category: "planting_breeding", CountyCode: "530181",
		AdmittedOn: calendar.DateOf(at), At: at}); err != nil {
		t.Fatal(err)
	}
	release()
	var held *store.HolderInLibraryError
	if err := submit("A2"); !errors.As(err, &held) || held.BrandID != "B1" {
		t.Errorf("a submission of the imported brand's holder: %v, want HolderInLibraryError naming B1", err)
	}
	if stored("A1") || stored("A2") {
		t.Error("a refused submission was stored")
	}
}
