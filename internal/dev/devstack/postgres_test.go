package devstack_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
)

// Issue 12: the dev cluster trusted every local user, so any OS account
// connected as superuser. It now asks for a generated password
// (scram-sha-256), kept in the cluster's folder for the owner alone.
func TestTheDevClusterAsksForItsGeneratedPassword(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL; not in the -short lane")
	}
	if _, err := devstack.FindPostgresBin(); err != nil {
		t.Skip(err)
	}
	base, err := os.MkdirTemp("/tmp", "lb-pgauth-") // the postgres user must be able to enter it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "postgres")
	ctx := context.Background()
	pg, err := devstack.StartPostgres(ctx, devstack.PostgresOptions{Dir: dir, Database: "laborbrand"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop(10 * time.Second) })

	fi, err := os.Stat(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("password file mode %v, want 0600", perm)
	}
	conn, err := pgx.Connect(ctx, pg.URL)
	if err != nil {
		t.Fatalf("the URL the stack passes on does not connect: %v", err)
	}
	var method string
	if err := conn.QueryRow(ctx, `SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' LIMIT 1`).Scan(&method); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if method != "scram-sha-256" {
		t.Errorf("host connections authenticate by %q, want scram-sha-256", method)
	}

	u, _ := url.Parse(pg.URL)
	u.User = url.User("postgres")
	if c, err := pgx.Connect(ctx, u.String()); err == nil {
		c.Close(ctx)
		t.Error("connected without a password")
	}
	u.User = url.UserPassword("postgres", "guess")
	if c, err := pgx.Connect(ctx, u.String()); err == nil {
		c.Close(ctx)
		t.Error("connected with a wrong password")
	}
}

// A dev stack restarts its cluster on the port it saved; if that port has
// since been promised to another server (laborbrand dev --temporal-port
// given the old PostgreSQL port), the cluster takes a free one instead, and
// the server it was promised to can still listen.
func TestASavedPortPromisedToAnotherServerIsNotTaken(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL; not in the -short lane")
	}
	if _, err := devstack.FindPostgresBin(); err != nil {
		t.Skip(err)
	}
	base, err := os.MkdirTemp("/tmp", "lb-pgport-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	promised, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	pg, err := devstack.StartPostgres(context.Background(), devstack.PostgresOptions{
		Dir: filepath.Join(base, "postgres"), Database: "laborbrand", Port: promised, Avoid: []int{promised}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop(10 * time.Second) })
	u, err := url.Parse(pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Port() == strconv.Itoa(promised) {
		t.Fatalf("the cluster listens on %d, the port promised to another server", promised)
	}
	if !devstack.PortFree(promised) {
		t.Errorf("port %d, promised to another server, cannot be listened on", promised)
	}
}
