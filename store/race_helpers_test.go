package store_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
)

// raceDay is when the race tests' records are made.
var raceDay = time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai)

// roseApplication is 安宁玫瑰's submission as id, named name, in round R1.
func roseApplication(id, name string) store.NewApplication {
	return store.NewApplication{ID: id, RoundID: "R1", BrandName: name, BrandType: "regional", Category: "planting_breeding",
		CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U", Form: map[string]any{}, Eligibility: []any{},
		SubmittedAt: raceDay, SubmittedBy: "holder", SubmittedRole: "applicant"}
}

// openRoundWith opens round R1 and stores apps in it.
func openRoundWith(t *testing.T, st *store.Store, apps ...store.NewApplication) {
	t.Helper()
	ctx := t.Context()
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: raceDay}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	for _, a := range apps {
		if err := st.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
}

// awaitLockWait returns once a session of the test's own database waits
// for a lock: the racing call has reached the lock the held transaction
// keeps, and the test may let it go.
func awaitLockWait(t *testing.T, st *store.Store, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var waiting bool
		if err := st.Pool().QueryRow(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never waited for the held lock", what)
		}
	}
}
