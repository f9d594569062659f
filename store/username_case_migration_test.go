package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RULES §6 (one name whatever its case): migration 42 stops, naming them,
// on accounts registered before it whose names differ only in case — an
// administrator renames one of each pair — and goes through once they are.
func TestUsernameCaseMigrationNamesTheNamesThatClash(t *testing.T) {
	ctx := context.Background()
	db, p := testenv.Migrations(t)
	if _, err := p.DownTo(ctx, 41); err != nil {
		t.Fatalf("down to 41: %v", err)
	}
	for _, name := range []string{"lotus", "Lotus", "rose"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO accounts (username, role, county_code, uscc, expert_id, password_hash,
			password_changed_at, created_at) VALUES ($1, 'applicant', '', '', '', 'x', now(), now())`, name); err != nil {
			t.Fatal(err)
		}
	}
	_, err := p.Up(ctx)
	if err == nil || !strings.Contains(err.Error(), "user names differing only in case: Lotus, lotus") {
		t.Fatalf("up over Lotus and lotus: %v, want the clash named", err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE accounts SET username = 'lotus2' WHERE username = 'Lotus'`); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up once renamed: %v", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO accounts (username, role, county_code, uscc, expert_id, password_hash,
		password_changed_at, created_at) VALUES ('ROSE', 'applicant', '', '', '', 'x', now(), now())`); err == nil {
		t.Error("ROSE was stored beside rose after the migration")
	}
}
