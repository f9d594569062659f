package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// runDev runs the whole stack in one process: the servers it needs as
// children (unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), the
// worker and the API.
func runDev(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ExitOnError)
	dataDir := fs.String("data-dir", cfg.DataDir, "folder for PostgreSQL, Temporal's SQLite file, the clock and the signing secret")
	httpAddr := fs.String("http-addr", cfg.HTTPAddr, "API listen address")
	temporalPort := fs.Int("temporal-port", 7233, "Temporal dev server gRPC port")
	uiPort := fs.Int("ui-port", 8233, "Temporal UI port (0: no UI)")
	scale := fs.Int64("time-scale", 1, "business time runs this many times faster than wall time (dev only)")
	businessStart := fs.String("business-start", "", "business date at start, YYYY-MM-DD (default: today)")
	demo := fs.Bool("demo", false, "seed demo data: an open round, an expert pool and applications at several stages")
	outside := fs.Bool("outside", false, "run against a DATABASE_URL or TEMPORAL_ADDRESS not on this machine (never with --demo)")
	fs.Parse(args)
	if err := devTargets(cfg, *outside, *demo); err != nil {
		return err
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })

	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	os.Chmod(dir, 0o755) // PostgreSQL runs as another user and must enter it

	clk, err := devClock(dir, *scale, *businessStart, explicit["time-scale"], explicit["business-start"])
	if err != nil {
		return err
	}
	secret, err := auth.LoadSecret(cfg.JWTSecret, dir, true)
	if err != nil {
		return err
	}

	var children []*devstack.Process
	defer func() { // stop in reverse order of start
		for i := len(children) - 1; i >= 0; i-- {
			if err := children[i].Stop(30 * time.Second); err != nil {
				log.Warn("stop", "process", children[i].Name, "error", err)
			}
		}
	}()

	dbURL := cfg.DatabaseURL
	if dbURL == "" {
		pg, err := devstack.StartPostgres(ctx, devstack.PostgresOptions{
			Dir: filepath.Join(dir, "postgres"), Port: savedPort(dir, "postgres.port"), Database: "laborbrand",
			Avoid: []int{*temporalPort, *uiPort, portOf(*httpAddr)},
		})
		if err != nil {
			return err
		}
		children = append(children, pg.Process)
		savePort(dir, "postgres.port", pg.URL)
		dbURL = pg.URL
	}
	temporalAddr, uiURL, temporalTLS := cfg.TemporalAddress, "", cfg.TemporalTLS
	if temporalAddr == "" {
		temporalTLS = config.TemporalTLS{} // the dev server speaks plain TCP
		bin, err := devstack.EnsureTemporalCLI(ctx, cfg.TemporalCLI, os.Stderr)
		if err != nil {
			return err
		}
		t, err := devstack.StartTemporal(ctx, devstack.TemporalOptions{
			Binary: bin, DBFile: filepath.Join(dir, "temporal.db"), Port: *temporalPort, UIPort: *uiPort,
			// The namespace the stack connects to (LB_TEMPORAL_NAMESPACE).
			Namespace: cfg.Namespace, Log: logFile(dir, "temporal.log"), Avoid: []int{portOf(*httpAddr)},
			SearchAttributes: workflows.SearchAttributes, PreciseTimers: !clk.IsReal(),
		})
		if err != nil {
			return err
		}
		children = append(children, t.Process)
		temporalAddr, uiURL = t.Address, t.UIURL
	}
	namespace := cfg.Namespace

	if err := store.Migrate(ctx, dbURL); err != nil {
		return err
	}
	temporal := temporalConn{Address: temporalAddr, Namespace: namespace, TLS: temporalTLS, Gzip: cfg.TemporalGzip}
	d, err := connect(ctx, log, dbURL, temporal, clk, false)
	if err != nil {
		return err
	}
	defer d.close()
	if err := registerSearchAttributes(ctx, d, namespace); err != nil {
		return err
	}
	// A developer's Ctrl-C waits a few seconds for running activities, not
	// production's 45: what is cut is retried at the next start.
	w, err := startWorker(ctx, d, cfg, 3*time.Second, func(err error) { log.Error("the worker stopped polling: restart laborbrand dev", "error", err) })
	if err != nil {
		return err
	}
	defer w.Stop()
	pages := consoleConfig(cfg)
	pages.RequireTOTP = false // dev: sign in with a password alone (TOTP may still be enrolled)
	if uiURL != "" {
		pages.TemporalUI = uiURL // the UI dev started, wherever its port is
	}
	if *demo {
		if pages.DevAccounts, err = seedDemoAccounts(ctx, d.store); err != nil {
			return err
		}
	}
	ch, err := channels(cfg) // checked by startWorker already
	if err != nil {
		return err
	}
	_, hs, addr, err := startAPI(d, *httpAddr, secret, apiConfig(cfg), pages, ch)
	if err != nil {
		return err
	}
	if *demo {
		if err := seedDemo(ctx, d, taskQueue(cfg), addr.String(), secret, apiConfig(cfg)); err != nil {
			log.Error("demo data", "error", err)
		}
	}

	base := "http://" + addr.String()
	fmt.Printf("laborbrand is running (business time %s, scale ×%d)\n", clk.Now().In(calendar.Shanghai).Format(time.RFC3339), max(clk.Scale, 1))
	fmt.Printf("  Console:     %s/login\n  API:         %s/api/v1/\n  OpenAPI:     %s/openapi.json\n  Reference:   %s/docs\n", base, base, base, base)
	if uiURL != "" {
		fmt.Printf("  Temporal UI: %s/namespaces/%s/workflows\n", uiURL, namespace)
	}
	fmt.Printf("  Temporal:    %s (namespace %s)\n  Data dir:    %s\n  Token:       go run ./cmd/laborbrand token --data-dir %s --role city_officer\n  Ctrl-C stops everything.\n",
		temporalAddr, namespace, dir, *dataDir)

	<-ctx.Done()
	fmt.Println("\nstopping…")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	hs.Shutdown(sctx)
	return nil
}

// devClock loads the business clock kept in the data dir, creating it from
// the flags the first time. A flag given on purpose must agree with the saved
// clock, each on its own: the timeline of a data dir never changes.
func devClock(dir string, scale int64, start string, scaleSet, startSet bool) (clock.Clock, error) {
	startDate := calendar.DateOf(time.Now())
	if start != "" {
		d, err := calendar.ParseDate(start)
		if err != nil {
			return clock.Clock{}, fmt.Errorf("--business-start: %w", err)
		}
		startDate = d
	}
	want := clock.Start(time.Now(), scale, startDate.Start(), calendar.Shanghai)
	clk, err := clock.LoadOrCreate(dir, want, scaleSet)
	if err != nil {
		return clock.Clock{}, err
	}
	if saved := calendar.DateOf(clk.BusinessOrigin); startSet && saved != startDate {
		return clock.Clock{}, fmt.Errorf("%w (saved business start %s, asked %s)", clock.ErrChanged, saved, startDate)
	}
	return clk, nil
}

// savedPort returns the port a previous run used (0 when none), so that a
// restarted stack keeps its database address when the port is still free.
func savedPort(dir, name string) int {
	p := savedPortAny(dir, name)
	if p == 0 || !devstack.PortFree(p) {
		return 0
	}
	return p
}

// savedPortAny is the port a dev stack saved, in use or not (0 when none):
// the tools find a running stack's database with it.
func savedPortAny(dir, name string) int {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return 0
	}
	p, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return p
}

func savePort(dir, name, url string) {
	i := strings.LastIndex(url, ":")
	j := strings.Index(url[i:], "/")
	if i < 0 || j < 0 {
		return
	}
	os.WriteFile(filepath.Join(dir, name), []byte(url[i+1:i+j]+"\n"), 0o644)
}

// portOf is addr's port, or 0 when it names none.
func portOf(addr string) int {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(port)
	return n
}

func logFile(dir, name string) *os.File {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return os.Stderr
	}
	return f
}

// devTargets refuses a dev run against a database or a Temporal not on this
// machine unless outside is set, and demo data there at all: inside a pod
// of the chart both addresses are set, and a mistaken `laborbrand dev`
// would migrate the registry, join the production task queue with a worker
// and serve the console without TOTP — with --demo, seed demo accounts
// with known passwords into the real registry.
func devTargets(cfg config.Config, outside, demo bool) error {
	var far []string
	if cfg.DatabaseURL != "" && !onThisMachine(databaseHost(cfg.DatabaseURL)) {
		far = append(far, "DATABASE_URL")
	}
	if host, _, err := net.SplitHostPort(cfg.TemporalAddress); cfg.TemporalAddress != "" && (err != nil || !onThisMachine(host)) {
		far = append(far, "TEMPORAL_ADDRESS")
	}
	switch {
	case len(far) > 0 && demo:
		return fmt.Errorf("dev --demo refused: %s names a server not on this machine, and demo data never goes there", strings.Join(far, " and "))
	case len(far) > 0 && !outside:
		return fmt.Errorf("dev refused: %s names a server not on this machine (a deployment's?); unset it, or pass --outside if that is meant", strings.Join(far, " and "))
	}
	return nil
}

// databaseHost is the host a PostgreSQL URL or keyword string names ("" for
// one it cannot read, which is not taken for this machine).
func databaseHost(url string) string {
	c, err := pgconn.ParseConfig(url)
	if err != nil {
		return ""
	}
	return c.Host
}

// onThisMachine reports whether host is this machine: a loopback name or
// address, or a Unix socket's directory.
func onThisMachine(host string) bool {
	if host == "localhost" || strings.HasPrefix(host, "/") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
