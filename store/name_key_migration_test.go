package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// RULES §3, one name, one brand: rows stored before the name key get theirs
// when migration 11 runs, and two open applications that the key makes one
// name stop the migration with their ids instead of failing on the index.
func TestDecision_OneNameOneBrand_ExistingRowsGetTheirKeys(t *testing.T) {
	ctx := context.Background()
	db, p := testenv.Migrations(t)
	if _, err := p.DownTo(ctx, 9); err != nil {
		t.Fatalf("down to 9: %v", err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', 'r', '2026-01-01', '2026-12-31', now(), 't')`)
	app := func(id, stage, name string) {
		exec(`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc,
			form, eligibility, submitted_at, submitted_by, updated_at) VALUES ($1, 'R1', $2, $3, 'regional', 'other', '530181', 'u', $1, '{}', '[]', now(), 't', now())`,
			id, stage, name)
	}
	app("A1", "admitted", "昆明ＢａｎＴｅｓｔ家政")
	app("A2", "county_review", "安宁玫瑰")
	exec(`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at)
		VALUES ('B1', 'A1', '昆明ＢａｎＴｅｓｔ家政', 'active', '530181', 'other', 'regional', 'u', 'A1', '2026-01-05', now())`)
	exec(`INSERT INTO bans (brand_name, uscc, decided_on, until, reason) VALUES ($1, 'X', '2026-01-01', '2031-01-01', 'r')`, "昆明\u200bBanTest月嫂")
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	for _, c := range []struct{ q, want string }{
		{`SELECT name_key FROM applications WHERE id = 'A1'`, namekey.Key("昆明BanTest家政")},
		{`SELECT name_key FROM applications WHERE id = 'A2'`, namekey.Key("安宁玫瑰")},
		{`SELECT name_key FROM brands WHERE id = 'B1'`, namekey.Key("昆明BanTest家政")},
		{`SELECT name_key FROM bans`, namekey.Key("昆明BanTest月嫂")},
	} {
		var got sql.NullString
		if err := db.QueryRowContext(ctx, c.q).Scan(&got); err != nil || got.String != c.want {
			t.Errorf("%s = %q, %v; want %q", c.q, got.String, err, c.want)
		}
	}

	t.Run("two open applications that are one name stop the migration, named", func(t *testing.T) {
		if _, err := p.DownTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE applications SET name_key = NULL`)
		app("A3", "city_review", "安宁 玫瑰")
		_, err := p.Up(ctx)
		if err == nil || !containsAll(err.Error(), "A2", "A3") {
			t.Fatalf("up = %v; want an error naming A2 and A3", err)
		}
	})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
