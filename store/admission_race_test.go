package store_test

import (
	"errors"
	"testing"

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
	openRoundWith(t, st, roseApplication("A0001", "安宁玫瑰"))

	admission, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer admission.Rollback(ctx)
	if _, err := admission.Exec(ctx, `UPDATE applications SET stage = 'admitted' WHERE id = 'A0001'`); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateBrand(ctx, admission, "B0001", "A0001", calendar.DateOf(raceDay), raceDay); err != nil {
		t.Fatal(err)
	}
	submitted := make(chan error, 1)
	go func() { submitted <- st.CreateApplication(ctx, roseApplication("A0002", "安宁玫瑰精油")) }()
	awaitLockWait(t, st, "the submission")
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
