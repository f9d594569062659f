// Package store is the one place that speaks SQL: the registry's records, the
// audit trail, idempotency keys and the outbox, on PostgreSQL through pgx.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/kunming-hrss/laborbrand/store/migrations"
)

// Store holds the connection pool.
type Store struct {
	pool *pgxpool.Pool
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// connectTimeout bounds a connection attempt unless the URL says otherwise.
const connectTimeout = 5 * time.Second

// Open connects to url (a PostgreSQL connection URL). It does not fail when the
// database is down: the pool connects lazily, and Ping tells readiness.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// An unreachable server (a partition, not a refusal) fails a
		// connection in seconds, as a refused one does, instead of holding
		// a request or a process's attempt until its own deadline.
		// connect_timeout in the URL sets another.
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// InTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// Migrate applies every embedded migration not yet applied.
func Migrate(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	provider, err := Migrations(db)
	if err != nil {
		return err
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// HasPendingMigrations reports whether a migration of this binary is not
// yet applied to the database at url.
func HasPendingMigrations(ctx context.Context, url string) (bool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return false, fmt.Errorf("parse database URL: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	// Goose creates its version table when asked about one without it: a
	// database never migrated is answered here, and left as it was.
	var tracked bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, goose.DefaultTablename).Scan(&tracked); err != nil {
		return false, fmt.Errorf("read the migration version: %w", err)
	}
	if !tracked {
		return true, nil
	}
	provider, err := Migrations(db)
	if err != nil {
		return false, err
	}
	return provider.HasPending(ctx)
}

// Migrations is every migration, the embedded SQL files and those in Go,
// ready to apply to db.
//
// Two runs at once — a second pod of the chart's migrate job, an operator's
// `laborbrand migrate` during an upgrade — take turns on a PostgreSQL
// advisory lock (goose's session locker), so no migration is applied twice.
func Migrations(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithGoMigrations(nameKeyMigration), goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// IsUnavailable reports whether err means the database cannot be reached (as
// opposed to a query the database refused).
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P0x: the server is shutting down.
		return len(pgErr.Code) == 5 && (pgErr.Code[:2] == "08" || pgErr.Code[:4] == "57P0")
	}
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr) || pgconn.SafeToRetry(err) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, context.DeadlineExceeded)
}

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// rowQuerier is what a read of one row needs: the pool or a transaction.
type rowQuerier interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}

// Pool exposes the connection pool to tests in other packages.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }
