// Package testenv gives integration tests a real PostgreSQL and a real
// Temporal dev server, started once per test binary with the same code
// `laborbrand dev` uses (package devstack). The settings are laborbrand's
// own (package config): DATABASE_URL or TEMPORAL_ADDRESS point tests at
// servers that are already running, LB_TEMPORAL_CLI names the temporal
// binary.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// settings are read from the environment once per test binary.
var settings = sync.OnceValues(config.Load)

// Settings are the settings the tests run with; t fails when the
// environment holds a malformed one.
func Settings(t testing.TB) config.Config {
	t.Helper()
	cfg, err := settings()
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	return cfg
}

var (
	mu       sync.Mutex
	baseDir  string
	pg       *devstack.Postgres
	pgURL    string
	temporal *devstack.Temporal
	tempAddr string
)

// Main runs a package's tests and stops the servers they started. Use it
// from TestMain: func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	Shutdown()
	os.Exit(code)
}

// Shutdown stops the servers this binary started and removes their files.
func Shutdown() {
	mu.Lock()
	defer mu.Unlock()
	if temporal != nil {
		temporal.Stop(20 * time.Second)
	}
	if pg != nil {
		pg.Stop(20 * time.Second)
	}
	if baseDir != "" {
		os.RemoveAll(baseDir)
	}
}

// Dir is a scratch folder that the unprivileged PostgreSQL user can enter
// (t.TempDir() is root-only 0700 when tests run as root).
func Dir(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp("", "laborbrand-test-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o755)
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func base() (string, error) {
	if baseDir != "" {
		return baseDir, nil
	}
	d, err := os.MkdirTemp("", "laborbrand-testenv-")
	if err != nil {
		return "", err
	}
	os.Chmod(d, 0o755)
	baseDir = d
	return d, nil
}

// Database returns the URL of a fresh, migrated database of its own for t.
func Database(t testing.TB) string {
	t.Helper()
	skipInShortLane(t, "PostgreSQL")
	mu.Lock()
	defer mu.Unlock()
	ctx := context.Background()
	if pgURL == "" {
		if u := Settings(t).DatabaseURL; u != "" {
			pgURL = u
		} else {
			dir, err := base()
			if err != nil {
				t.Fatal(err)
			}
			pg, err = devstack.StartPostgres(ctx, devstack.PostgresOptions{Dir: filepath.Join(dir, "postgres"), Database: "postgres"})
			if err != nil {
				t.Fatalf("start PostgreSQL: %v", err)
			}
			pgURL = pg.URL
		}
	}
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	name := "t_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	cfg := conn.Config()
	url := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name)
	if cfg.Password != "" {
		url = fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, name)
	}
	if err := store.Migrate(ctx, url); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return url
}

// Store opens a fresh migrated database, closed when t ends.
func Store(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// DownStore is a store whose database refuses every connection, as one that
// is down: for what a caller answers when PostgreSQL cannot be asked.
func DownStore(t testing.TB) *store.Store {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	s, err := store.Open(context.Background(), "postgres://postgres@"+addr+"/laborbrand?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Migrations opens a fresh migrated database as database/sql, with the
// migration provider over it (closed when t ends): for the tests of one
// migration, which go down to the one before it and up again.
func Migrations(t testing.TB) (*sql.DB, *goose.Provider) {
	t.Helper()
	cfg, err := pgx.ParseConfig(Database(t))
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	p, err := store.Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	return db, p
}

// TemporalAddress returns the host:port of a running Temporal dev server
// whose default namespace has laborbrand's search attributes.
func TemporalAddress(t testing.TB) string {
	t.Helper()
	skipInShortLane(t, "a Temporal server")
	mu.Lock()
	defer mu.Unlock()
	if tempAddr != "" {
		return tempAddr
	}
	cfg := Settings(t)
	if cfg.TemporalAddress != "" {
		tempAddr = cfg.TemporalAddress
		return tempAddr
	}
	ctx := context.Background()
	bin, err := devstack.EnsureTemporalCLI(ctx, cfg.TemporalCLI, os.Stderr)
	if err != nil {
		t.Fatalf("temporal CLI: %v", err)
	}
	dir, err := base()
	if err != nil {
		t.Fatal(err)
	}
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	temporal, err = devstack.StartTemporal(ctx, devstack.TemporalOptions{
		Binary: bin, DBFile: filepath.Join(dir, "temporal.db"), Port: port, Namespace: "default",
		SearchAttributes: workflows.SearchAttributes,
	})
	if err != nil {
		t.Fatalf("start Temporal: %v", err)
	}
	tempAddr = temporal.Address
	return tempAddr
}

// skipInShortLane skips t under -short: that lane runs, in under a minute,
// every test that needs no server (README "Two commands").
func skipInShortLane(t testing.TB, server string) {
	if testing.Short() {
		t.Skipf("needs %s; not in the -short lane", server)
	}
}

// TaskQueue is a task queue of t's own, so workers of different tests never
// take each other's tasks.
func TaskQueue(t testing.TB) string { return "test-" + randomHex(6) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// MainWithBinary builds the laborbrand command once into a temp folder,
// sets *binary to its path, runs the tests and removes it. Under -short it
// builds nothing and leaves *binary empty: tests that need it skip.
func MainWithBinary(m *testing.M, binary *string) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "laborbrand-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*binary = filepath.Join(dir, "laborbrand")
	build := exec.Command("go", "build", "-o", *binary, "github.com/kunming-hrss/laborbrand/cmd/laborbrand")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build laborbrand:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
