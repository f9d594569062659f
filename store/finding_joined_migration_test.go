package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RULES §4 (one ladder at a time): migration 38 marks the assessment
// findings recorded before it that joined a running order or a suspension,
// found by the history line written in the same step, and leaves ordered
// findings — an assessment's own order among them — as they were.
func TestFindingJoinedMigrationMarksTheFindingsThatJoined(t *testing.T) {
	ctx := context.Background()
	db, p := testenv.Migrations(t)
	if _, err := p.DownTo(ctx, 37); err != nil {
		t.Fatalf("down to 37: %v", err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO brands (id, name, name_key, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at)
		VALUES ('B1', '安宁家政', '安宁家政', 'rectifying', '530181', 'other', 'regional', 'u', 'U1', '2024-06-10', now())`)
	step := func(finding, at, action, note string) {
		t.Helper()
		exec(`INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key) VALUES ('B1', $1, 'c', 'city_officer', $2, $3, $4)`,
			at, action, note, finding)
		exec(`INSERT INTO findings (id, brand_id, reason, level, description, ordered_on, actor, at) VALUES ($1, 'B1', 'evaluation_findings', 1, 'd', $2::timestamptz::date, 'c', $2)`,
			finding, at)
	}
	step("F-ordered", "2026-06-01T10:00:00+08:00", "evaluation.findings", "2024-2026综合评估：台账不符")
	step("F-rectifying", "2026-06-22T10:00:00+08:00", "evaluation.findings", "2024-2026综合评估：台账不符（品牌已在2级整改中，评估发现的问题并入正在进行的2级整改）")
	step("F-suspended", "2026-07-22T10:00:00+08:00", "evaluation.findings", "2024-2026综合评估：台账不符（品牌在暂停标识使用权期间，评估发现的问题并入暂停处理，由市级在决定是否延续暂停时一并考虑）")
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	want := map[string]string{"F-ordered": "", "F-rectifying": "rectification", "F-suspended": "suspension"}
	for id, joined := range want {
		var got sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT joined FROM findings WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got.String != joined {
			t.Errorf("%s joined %q after the migration, want %q", id, got.String, joined)
		}
	}
	if _, err := p.DownTo(ctx, 37); err != nil {
		t.Fatalf("down to 37 again: %v", err)
	}
}
