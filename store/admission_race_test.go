package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §3, one brand per holder: a submission for a holder whose open
// application is being admitted at that moment — its brand written, not yet
// committed — waits for the admission and is then refused because the
// holder has a brand, instead of slipping in as the holder's second: its
// check of the library comes after its insert, which waited for the commit.
func TestRULES3_ASubmissionRacingItsHoldersAdmissionIsRefused(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	app := func(id, name string) store.NewApplication {
		return store.NewApplication{ID: id, RoundID: "R1", BrandName: name, BrandType: "regional", Category: "planting_breeding",
			CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U", Form: map[string]any{}, Eligibility: []any{},
			SubmittedAt: now, SubmittedBy: "holder", SubmittedRole: "applicant"}
	}
	if err := st.CreateApplication(ctx, app("A0001", "安宁玫瑰")); err != nil {
		t.Fatal(err)
	}

	admission, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer admission.Rollback(ctx)
	if _, err := admission.Exec(ctx, `UPDATE applications SET stage = 'admitted' WHERE id = 'A0001'`); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateBrand(ctx, admission, "B0001", "A0001", calendar.DateOf(now), now); err != nil {
		t.Fatal(err)
	}
	submitted := make(chan error, 1)
	go func() { submitted <- st.CreateApplication(ctx, app("A0002", "安宁玫瑰精油")) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var waiting bool
		if err := st.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the submission never waited for the admission")
		}
	}
	if err := admission.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var inLibrary *store.HolderInLibraryError
	if err := <-submitted; !errors.As(err, &inLibrary) || inLibrary.BrandID != "B0001" {
		t.Errorf("the submission racing the admission: %v, want refused for brand B0001", err)
	}
	if _, err := st.GetApplicationRef(ctx, "A0002"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused submission is on record (%v)", err)
	}
}
