package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// docs/DEPLOYMENT.md (an upgrade's migrate job): two `laborbrand migrate` at
// once — a second pod of the chart's job, an operator's run during the
// upgrade — both succeed, and each migration is applied once: they take
// turns on an advisory lock instead of racing through the same statements.
func TestTwoMigrationsAtOnceApplyEachMigrationOnce(t *testing.T) {
	ctx := context.Background()
	url := testenv.Database(t)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	p, err := store.Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	const from = 40
	if _, err := p.DownTo(ctx, from); err != nil {
		t.Fatalf("down to %d: %v", from, err)
	}
	sources := p.ListSources()
	latest := sources[len(sources)-1].Version

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = store.Migrate(ctx, url) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d of two at once: %v", i+1, err)
		}
	}
	var applied, distinct int64
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT version_id) FROM goose_db_version
		WHERE version_id > $1 AND is_applied`, from).Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if want := latest - from; applied != want || distinct != want {
		t.Errorf("migrations %d–%d recorded %d times (%d distinct), want each once (%d)", from+1, latest, applied, distinct, want)
	}
}
