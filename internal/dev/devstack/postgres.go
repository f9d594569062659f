package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// PostgresOptions configure a private PostgreSQL cluster.
type PostgresOptions struct {
	Dir      string // cluster folder (created); data lives in Dir/data
	Port     int    // 0, or one of Avoid → a free port, none of Avoid
	Avoid    []int  // ports promised to servers started after this one
	Database string // created when missing
	Log      io.Writer
}

// Postgres is a running private cluster.
type Postgres struct {
	*Process
	URL string // connection URL of Database
}

// FindPostgresBin returns the folder holding initdb and postgres: PATH first,
// then the newest of Debian's /usr/lib/postgresql/<version>/bin.
func FindPostgresBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if exists(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	sort.Slice(matches, func(i, j int) bool { return pgVersion(matches[i]) > pgVersion(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0]), nil
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (initdb, postgres) found on PATH or in /usr/lib/postgresql/*/bin: install them (Debian: apt-get install postgresql) or set DATABASE_URL")
}

func pgVersion(binPath string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(binPath))))
	return v
}

// StartPostgres initialises the cluster on first use, starts it and creates
// the database. As root it runs the server as the `postgres` user, which
// PostgreSQL requires.
func StartPostgres(ctx context.Context, o PostgresOptions) (*Postgres, error) {
	bin, err := FindPostgresBin()
	if err != nil {
		return nil, err
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(o.Dir, "data")
	if err := prepareDir(o.Dir, cred); err != nil {
		return nil, err
	}
	if !exists(filepath.Join(data, "PG_VERSION")) {
		if err := initCluster(ctx, bin, o.Dir, data, cred); err != nil {
			return nil, err
		}
	}
	port := o.Port
	if port == 0 || slices.Contains(o.Avoid, port) { // a saved port may since have been promised to another server
		if port, err = FreePort(o.Avoid...); err != nil {
			return nil, err
		}
	}
	logFile, err := os.OpenFile(filepath.Join(o.Dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-k", o.Dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=on")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	p, err := start("postgresql", cmd, syscall.SIGINT) // SIGINT = fast shutdown: clients cut, data flushed
	if err != nil {
		logFile.Close()
		return nil, err
	}
	go func() { <-p.Done(); logFile.Close() }()
	if err := createDatabase(ctx, p, PostgresURL(o.Dir, port, "postgres"), o.Database); err != nil {
		p.Stop(10 * time.Second)
		return nil, err
	}
	return &Postgres{Process: p, URL: PostgresURL(o.Dir, port, o.Database)}, nil
}

// passwordFile holds, in a cluster's folder, the password of its postgres
// user (mode 0600, owned by the server's user).
const passwordFile = "password"

// initCluster creates a cluster whose every connection, local or TCP, must
// give the postgres user's password (scram-sha-256): a generated one, kept
// in dir. A cluster that trusted every local user let any OS account in as
// superuser.
func initCluster(ctx context.Context, bin, dir, data string, cred *syscall.Credential) error {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	pwFile := filepath.Join(dir, passwordFile)
	if err := os.WriteFile(pwFile, []byte(hex.EncodeToString(raw)+"\n"), 0o600); err != nil {
		return fmt.Errorf("save the PostgreSQL password: %w", err)
	}
	if cred != nil { // initdb, run as the server's user, reads it
		if err := os.Chown(pwFile, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "--auth=scram-sha-256", "--pwfile="+pwFile,
		"-U", "postgres", "-E", "UTF8", "--locale", "C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb %s: %w\n%s", data, err, out)
	}
	return nil
}

// PostgresURL is the URL of database in the private cluster of dir listening
// on port, with the cluster's password. A cluster made before passwords were
// generated has none and trusts local connections.
func PostgresURL(dir string, port int, database string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Host: fmt.Sprintf("127.0.0.1:%d", port),
		Path: "/" + database, RawQuery: "sslmode=disable"}
	if b, err := os.ReadFile(filepath.Join(dir, passwordFile)); err == nil {
		u.User = url.UserPassword("postgres", strings.TrimSpace(string(b)))
	}
	return u.String()
}

// serverCredential is the user the server runs as: nil (ourselves) unless we
// are root.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the 'postgres' user, which does not exist: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// prepareDir creates dir for the server user and checks that user can reach
// it: every parent must be enterable (root's temp folders are mode 0700).
func prepareDir(dir string, cred *syscall.Credential) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
		return err
	}
	abs, _ := filepath.Abs(dir)
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if st.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the postgres user cannot enter %s (mode %v): PostgreSQL's folder must be reachable by it; use a data dir under a world-enterable folder", p, st.Mode().Perm())
		}
		if p == "/" {
			return nil
		}
	}
}

func createDatabase(ctx context.Context, p *Process, adminURL, name string) error {
	deadline := time.Now().Add(60 * time.Second)
	var conn *pgx.Conn
	var err error
	for {
		conn, err = pgx.Connect(ctx, adminURL+"&connect_timeout=2")
		if err == nil {
			break
		}
		select {
		case <-p.Done():
			return fmt.Errorf("postgresql exited during start-up (see postgres.log): %v", p.err)
		default:
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("postgresql did not accept connections: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer conn.Close(ctx)
	var found bool
	if err := conn.QueryRow(ctx, "SELECT true FROM pg_database WHERE datname = $1", name).Scan(&found); err != nil && err != pgx.ErrNoRows {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if !found {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return fmt.Errorf("create database %s: %w", name, err)
		}
	}
	return nil
}
