package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// ARCHITECTURE "A calendar revision": migration 35 carries the calendar
// version from the sequence into the committed row, and back down: every
// deadline records the version it was computed with, so the number must
// not start again from 0.
func TestCalendarVersionMigrationKeepsTheVersion(t *testing.T) {
	ctx := context.Background()
	db, p := testenv.Migrations(t)
	if _, err := p.DownTo(ctx, 34); err != nil {
		t.Fatalf("down to 34: %v", err)
	}
	scalar := func(q string) int {
		t.Helper()
		var n sql.NullInt64
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return int(n.Int64)
	}
	if v := scalar(`SELECT setval('calendar_version_seq', 7)`); v != 7 {
		t.Fatalf("setval answered %d", v)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if v := scalar(`SELECT version FROM calendar_version`); v != 7 {
		t.Errorf("version after the migration: %d, want 7", v)
	}
	if _, err := db.ExecContext(ctx, `UPDATE calendar_version SET version = 9`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 34); err != nil {
		t.Fatalf("down to 34: %v", err)
	}
	if v := scalar(`SELECT nextval('calendar_version_seq')`); v != 10 {
		t.Errorf("the sequence after the way down gives %d next, want 10", v)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v := scalar(`SELECT version FROM calendar_version`); v != 10 {
		t.Errorf("version after up again: %d, want 10", v)
	}
}
