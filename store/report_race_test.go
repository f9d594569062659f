package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §4 (a removal closes every matter): a report (举报) filed while the
// brand's removal is being recorded waits for it and is refused, not stored
// open after the removal closed the others — where no triage would ever
// take it.
func TestAReportFiledAsTheRemovalCommitsIsRefused(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, name, name_key, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at)
		VALUES ('B1', '安宁家政', '安宁家政', 'active', '530181', 'other', 'regional', 'u', 'U1', '2024-06-10', now())`); err != nil {
		t.Fatal(err)
	}
	removal, err := st.Pool().Begin(ctx) // the removal's step holds the brand's row, as it records
	if err != nil {
		t.Fatal(err)
	}
	defer removal.Rollback(ctx)
	if _, err := removal.Exec(ctx, `SELECT 1 FROM brands WHERE id = 'B1' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	filed := make(chan error, 1)
	go func() {
		_, err := st.SaveReport(ctx, store.NewReport{ID: "R1", BrandID: "B1", Content: "c", Evidence: "e", Contact: "x", ReceivedAt: time.Now()})
		filed <- err
	}()
	awaitLockWait(t, st, "the report")
	if _, err := removal.Exec(ctx, `UPDATE brands SET status = 'removed' WHERE id = 'B1'`); err != nil {
		t.Fatal(err)
	}
	if err := removal.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-filed; !errors.Is(err, store.ErrBrandRemoved) {
		t.Errorf("the report filed as the removal committed: %v, want ErrBrandRemoved", err)
	}
	var open int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM reports WHERE brand_id = 'B1'`).Scan(&open); err != nil || open != 0 {
		t.Errorf("%d reports stored on the removed brand (%v)", open, err)
	}
}
