package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/internal/platform/metrics"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
)

// prodFlags are the settings shared by the production commands.
type prodFlags struct {
	dbURL string
	// temporal's address and namespace have flags; its TLS and compression
	// come from the environment only.
	temporal temporalConn
	scale    int64
}

func parseProd(name string, cfg config.Config, args []string, extra func(*flag.FlagSet)) (prodFlags, error) {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	p := prodFlags{temporal: temporalConn{TLS: cfg.TemporalTLS, Gzip: cfg.TemporalGzip}}
	fs.StringVar(&p.dbURL, "database-url", cfg.DatabaseURL, "PostgreSQL connection URL (DATABASE_URL)")
	fs.StringVar(&p.temporal.Address, "temporal-address", cmp.Or(cfg.TemporalAddress, config.DefaultTemporalAddress), "Temporal frontend (TEMPORAL_ADDRESS)")
	fs.StringVar(&p.temporal.Namespace, "namespace", cfg.Namespace, "Temporal namespace (LB_TEMPORAL_NAMESPACE)")
	fs.Int64Var(&p.scale, "time-scale", cfg.TimeScale, "must be 1: only `laborbrand dev` runs business time faster")
	if extra != nil {
		extra(fs)
	}
	fs.Parse(args)
	if p.scale != 1 {
		return p, usageError{fmt.Errorf("%s: --time-scale %d refused: production runs on the real clock (use `laborbrand dev --time-scale N`)", name, p.scale)}
	}
	if p.dbURL == "" {
		return p, errors.New(name + ": set DATABASE_URL (or --database-url)")
	}
	return p, nil
}

// runWorker runs the Temporal worker until SIGINT/SIGTERM.
func runWorker(cfg config.Config, args []string) error {
	var httpAddr string
	p, err := parseProd("worker", cfg, args, func(fs *flag.FlagSet) {
		fs.StringVar(&httpAddr, "http-addr", cfg.WorkerHTTPAddr, "serve /metrics and /healthz here (LB_WORKER_HTTP_ADDR; empty: none)")
	})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := connect(ctx, newLogger(cfg), p.dbURL, p.temporal, clock.Real, false)
	if err != nil {
		return err
	}
	defer d.close()
	for _, w := range insecureSettings(p, cfg, false) {
		d.log.Warn("insecure setting: " + w)
	}
	if err := registerSearchAttributes(ctx, d, p.temporal.Namespace); err != nil {
		return err
	}
	// A worker that polls no more exits non-zero, for its supervisor to
	// restart it, rather than run on looking alive.
	fatal := make(chan error, 1)
	w, err := startWorker(ctx, d, cfg, worker.StopTimeout, func(err error) {
		select {
		case fatal <- err:
		default:
		}
	})
	if err != nil {
		return err
	}
	if httpAddr != "" {
		hs, bound, err := serveWorkerHTTP(d, httpAddr, cfg.MetricsToken)
		if err != nil {
			w.Stop()
			return err
		}
		defer hs.Close()
		d.log.Info("worker metrics listening", "addr", bound.String())
	}
	d.log.Info("worker running", "temporal", p.temporal.Address, "namespace", p.temporal.Namespace)
	select {
	case <-ctx.Done():
	case err := <-fatal:
		w.Stop()
		return fmt.Errorf("worker: stopped polling Temporal: %w", err)
	}
	w.Stop()
	return nil
}

// serveWorkerHTTP serves the worker's metrics — the Temporal SDK's, where
// its task latencies and slots show, and the backlog of owed work — and a
// liveness check, for a worker runs apart from the API that serves its own.
func serveWorkerHTTP(d *deps, addr, token string) (*http.Server, net.Addr, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Guarded(token, promhttp.HandlerFor(d.registry, promhttp.HandlerOpts{})))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`)
	})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: idleConnectionTimeout}
	go func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("worker http server", "error", err)
		}
	}()
	return hs, l.Addr(), nil
}

// runAPI serves the HTTP API until SIGINT/SIGTERM.
func runAPI(cfg config.Config, args []string) error {
	var addr string
	p, err := parseProd("api", cfg, args, func(fs *flag.FlagSet) {
		fs.StringVar(&addr, "http-addr", cfg.HTTPAddr, "listen address (LB_HTTP_ADDR)")
	})
	if err != nil {
		return err
	}
	// The console mails holders' confirmations through the worker's relay,
	// and a decision's writes start their messages' deliveries: settings
	// the worker refuses are refused here too, at start-up.
	ch, err := channels(cfg)
	if err != nil {
		return err
	}
	// Production signs with the secret it is given, never one a dev run
	// left in a data directory (README: LB_JWT_SECRET, production: required).
	if cfg.JWTSecret == "" {
		return errors.New("api: set LB_JWT_SECRET (at least 32 characters): bearer tokens and console sessions are signed with it")
	}
	secret, err := auth.LoadSecret(cfg.JWTSecret, cfg.DataDir, false)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := connect(ctx, newLogger(cfg), p.dbURL, p.temporal, clock.Real, true)
	if err != nil {
		return err
	}
	defer d.close()
	for _, w := range insecureSettings(p, cfg, true) {
		d.log.Warn("insecure setting: " + w)
	}
	srv, hs, bound, err := startAPI(d, addr, secret, apiConfig(cfg), consoleConfig(cfg), ch)
	if err != nil {
		return err
	}
	d.log.Info("api listening", "addr", bound.String())
	<-ctx.Done()
	// A stopping replica first leaves its load balancer — /readyz answers
	// 503 while requests are still served, for apiDrain — then takes no new
	// connection and finishes those it has, for at most apiShutdown.
	srv.Drain()
	d.log.Info("api stopping: /readyz answers 503", "drain", apiDrain, "then_at_most", apiShutdown)
	time.Sleep(apiDrain)
	sctx, cancel := context.WithTimeout(context.Background(), apiShutdown)
	defer cancel()
	return hs.Shutdown(sctx)
}

// apiDrain is how long a stopping API replica goes on serving with /readyz at
// 503: the seconds the news that it is leaving takes to reach every node's
// proxy and every load balancer probing /readyz (the chart's: every 5 s). apiShutdown then bounds the
// requests under way; the two stay inside the 30 s the chart and the compose
// file give the API to stop. An upload longer than that is cut (its client
// sends it again: docs/DEPLOYMENT.md).
const (
	apiDrain    = 10 * time.Second
	apiShutdown = 15 * time.Second
)

// runMigrate applies the database migrations.
func runMigrate(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ExitOnError)
	dbURL := fs.String("database-url", cfg.DatabaseURL, "PostgreSQL connection URL (DATABASE_URL)")
	fs.Parse(args)
	if *dbURL == "" {
		return errors.New("migrate: set DATABASE_URL (or --database-url)")
	}
	if err := store.Migrate(context.Background(), *dbURL); err != nil {
		return err
	}
	fmt.Println("migrations applied")
	return nil
}

// runToken prints a signed bearer token, or revokes a subject's tokens.
func runToken(cfg config.Config, args []string) error {
	if len(args) > 0 && args[0] == "revoke" {
		return revokeTokens(cfg, args[1:])
	}
	fs := flag.NewFlagSet("token", flag.ExitOnError)
	role := fs.String("role", "", "applicant|county_officer|city_officer|expert|supervisor|admin")
	county := fs.String("county", "", "county code (county_officer)")
	holder := fs.String("uscc", "", "the holder's USCC (applicant)")
	sub := fs.String("sub", "", "subject (default: role[-county|-uscc]); an expert's id in the pool")
	ttl := fs.Duration("ttl", 24*time.Hour, "validity, wall-clock time")
	dataDir := fs.String("data-dir", cfg.DataDir, "dev data dir holding the generated secret (when LB_JWT_SECRET is unset)")
	fs.Parse(args)
	if max := cmp.Or(cfg.TokenMaxTTL, auth.DefaultMaxTTL); *ttl <= 0 || *ttl > max {
		return usageError{fmt.Errorf("token: --ttl %s refused: between 0 and LB_TOKEN_MAX_TTL (%s), or the API refuses the token", *ttl, max)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("token: unexpected argument %q (flags only: --role, --county, --uscc, --sub, --ttl)", fs.Arg(0))}
	}
	code := uscc.Normalize(*holder) // as the library keeps it, or nothing of the holder's matches
	if err := checkTokenFor(auth.Role(*role), *county, code, *sub); err != nil {
		return usageError{fmt.Errorf("token: %w", err)}
	}
	s := *sub
	if s == "" {
		s = *role
		if *county != "" {
			s += "-" + *county
		}
		if code != "" {
			s += "-" + code
		}
	}
	p := auth.Principal{Sub: s, Role: auth.Role(*role), County: *county, USCC: code}
	if err := p.Check(); err != nil { // a role or binding refused: before any secret is read
		return usageError{fmt.Errorf("token: %w", err)}
	}
	secret, err := auth.LoadSecret(cfg.JWTSecret, *dataDir, false)
	if err != nil {
		return err
	}
	tok, err := auth.Sign(secret, p, time.Now(), *ttl)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	fmt.Println(tok)
	return nil
}

// checkTokenFor refuses a token no request could use: no role, a county
// officer of no county of Kunming's, an applicant of no USCC (of its form;
// its check character may be one the city overrode), an expert with no id
// in the pool.
func checkTokenFor(role auth.Role, county, code, sub string) error {
	switch {
	case role == "":
		return errors.New("--role is required: applicant, county_officer, city_officer, expert, supervisor or admin")
	case role == auth.CountyOfficer && form.CountyName(county) == "":
		return fmt.Errorf("--county %q: a county officer needs one of Kunming's county codes", county)
	case role == auth.Applicant && uscc.Validate(code) != nil && !errors.Is(uscc.Validate(code), uscc.ErrChecksum):
		// A code failing only its check character may be one the city let
		// through (RULES §2), which only the database knows: signed.
		return fmt.Errorf("--uscc %q: an applicant needs its holder's USCC", code)
	case role == auth.Expert && sub == "":
		return errors.New("--sub: an expert's token names its id in the pool")
	}
	return nil
}

// revokeTokens refuses, within the API's RevocationsFor, every token of
// a subject issued until now: one that leaked stops working without the
// secret, and so every other bureau's token, being changed. It returns
// once a token minted from then on is good (iat counts whole seconds).
func revokeTokens(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	sub := fs.String("sub", "", "the subject whose tokens issued until now are refused (as laborbrand token set it: role[-county|-uscc], or its --sub)")
	dataDir := fs.String("data-dir", cfg.DataDir, "dev data dir whose database is used when DATABASE_URL is unset")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if strings.TrimSpace(*sub) == "" || fs.NArg() > 0 {
		return usageError{errors.New("usage: laborbrand token revoke --sub S")}
	}
	ctx := context.Background()
	st, err := openAccountsStore(ctx, cfg, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	before := now.Truncate(time.Second).Add(time.Second) // a token of this second may have been minted before
	if err := st.RevokeTokens(ctx, *sub, before, store.AccountChange{At: now, Actor: cliActor(), Role: string(auth.Admin)}); err != nil {
		return err
	}
	time.Sleep(time.Until(before))
	fmt.Printf("tokens of %s issued before %s are refused (within %s); mint a new one with `laborbrand token`\n",
		*sub, before.Format(time.RFC3339), api.DefaultRevocationsFor)
	return nil
}

// runAudit verifies the audit trail's hash chain.
func runAudit(cfg config.Config, args []string) error {
	const auditUsage = "usage: laborbrand audit verify [--database-url URL] [--head ID:HASH]"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Println(auditUsage)
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "verify" {
		return usageError{errors.New(auditUsage)}
	}
	fs := flag.NewFlagSet("audit verify", flag.ExitOnError)
	dbURL := fs.String("database-url", cfg.DatabaseURL, "PostgreSQL connection URL (DATABASE_URL)")
	head := fs.String("head", "", "a head printed by an earlier verify (ID:HASH): that row must still be there, unchanged")
	fs.Parse(args[1:])
	var earlierID int64 // --head: a head an earlier verify printed
	var earlierHash string
	if *head != "" {
		idText, want, _ := strings.Cut(*head, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 || want == "" {
			return usageError{fmt.Errorf("audit verify: --head %q: want ID:HASH as a verify printed it", *head)}
		}
		earlierID, earlierHash = id, want
	}
	if *dbURL == "" {
		return errors.New("audit verify: set DATABASE_URL (or --database-url)")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer s.Close()
	// The head is read first: the rows the verify then reads include it,
	// so the head printed is one it checked.
	headID, headHash, err := s.AuditHash(ctx, 0)
	if err != nil {
		return err
	}
	n, broken, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if broken != nil {
		return fmt.Errorf("audit chain broken at row %d: %s (%d rows read)", broken.ID, broken.Reason, n)
	}
	if earlierID != 0 {
		if _, got, err := s.AuditHash(ctx, earlierID); err != nil {
			return err
		} else if got != earlierHash {
			return fmt.Errorf("audit chain cut or rewritten: row %d, head of an earlier verify, is %s (want %s)", earlierID, cmp.Or(got, "gone"), earlierHash)
		}
	}
	if headHash == "" {
		fmt.Printf("audit chain intact: %d rows\n", n)
		return nil
	}
	// The head, to keep elsewhere (the operations log): a chain cut short at
	// its end verifies as intact, and only --head shows it.
	fmt.Printf("audit chain intact: %d rows; head %d:%s\n", n, headID, headHash)
	return nil
}

// insecureSettings names what production runs without that a deployment
// outside one trusted host should have (docs/DEPLOYMENT.md: TLS to Temporal
// and PostgreSQL): PostgreSQL not asked to verify its certificate, a
// Temporal frontend off this host reached in plain TCP and, for the API,
// console cookies not marked Secure. Each is logged as a warning at start-up,
// not refused: a data centre may run all of it on a network of its own.
func insecureSettings(p prodFlags, cfg config.Config, api bool) []string {
	var warn []string
	if db, err := pgx.ParseConfig(p.dbURL); err == nil && !loopback(db.Host) &&
		!strings.Contains(p.dbURL, "sslmode=verify-") && !strings.HasPrefix(os.Getenv("PGSSLMODE"), "verify-") {
		warn = append(warn, "PostgreSQL "+db.Host+" is reached without a verified certificate: add sslmode=verify-full (and sslrootcert) to DATABASE_URL")
	}
	if host, _, err := net.SplitHostPort(p.temporal.Address); err == nil && !loopback(host) && !p.temporal.TLS.Enabled {
		warn = append(warn, "Temporal "+p.temporal.Address+" is reached in plain TCP: set LB_TEMPORAL_TLS (and LB_TEMPORAL_TLS_CA)")
	}
	if api && !cfg.Console.SecureCookies {
		warn = append(warn, "console session cookies are not marked Secure: serve the console over https and set LB_PUBLIC_URL to its https address")
	}
	return warn
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" || strings.HasPrefix(host, "/") { // a Unix socket's directory
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
