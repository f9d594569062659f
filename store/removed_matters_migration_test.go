package store_test

import (
	"context"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RULES §4 (a removal closes every matter): migration 49 closes the change
// requests and reports that brands removed before this release left open,
// as of their removal, and touches no other brand's.
func TestRemovedMattersMigrationClosesWhatARemovalLeftOpen(t *testing.T) {
	ctx := context.Background()
	db, p := testenv.Migrations(t)
	if _, err := p.DownTo(ctx, 48); err != nil {
		t.Fatalf("down to 48: %v", err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, b := range []struct{ id, status, removed string }{{"B-removed", "removed", "2026-05-20"}, {"B-active", "active", ""}} {
		exec(`INSERT INTO brands (id, name, name_key, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, removed_on)
			VALUES ($1, $1, $1, $2, '530181', 'other', 'regional', 'u', $1, '2024-06-10', now(), nullif($3, '')::date)`, b.id, b.status, b.removed)
		exec(`INSERT INTO brand_changes (id, brand_id, changes, reason, major, status, requested_at, requested_by)
			VALUES ($1, $2, '{"contact_phone": "13800001111"}', 'r', false, 'city', '2026-05-01', 'holder')`, "C-"+b.id, b.id)
		exec(`INSERT INTO reports (id, brand_id, county_code, content, evidence, contact, received_at)
			VALUES ($1, $2, '530181', 'c', 'e', 'x', '2026-05-02')`, "R-"+b.id, b.id)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	for id, want := range map[string]string{"C-B-removed": "closed 2026-05-20", "C-B-active": "city "} {
		var got string
		if err := db.QueryRowContext(ctx, `SELECT status || ' ' || coalesce(to_char(decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), '') FROM brand_changes WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("change %s after the migration: %q, want %q", id, got, want)
		}
	}
	for id, want := range map[string]string{"R-B-removed": "closed system", "R-B-active": "open "} {
		var got string
		if err := db.QueryRowContext(ctx, `SELECT status || ' ' || coalesce(triaged_by, '') FROM reports WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("report %s after the migration: %q, want %q", id, got, want)
		}
	}
	if _, err := p.DownTo(ctx, 48); err != nil {
		t.Fatalf("down to 48 again: %v", err)
	}
}
