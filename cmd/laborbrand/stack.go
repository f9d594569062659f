package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/internal/platform/metrics"
	"github.com/kunming-hrss/laborbrand/internal/platform/settler"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// deps are what the worker and the API share.
type deps struct {
	log      *slog.Logger
	store    *store.Store
	temporal client.Client
	registry *prometheus.Registry
	clock    clock.Clock
}

// activities are the activities bound to d, delivering through ch.
func (d *deps) activities(ch activities.Channels) *activities.Activities {
	return &activities.Activities{Store: d.store, Calendars: &store.Calendars{Store: d.store}, Clock: d.clock, Temporal: d.temporal, Channels: ch}
}

// decisionWriter makes a decision's writes for its caller (the API, the
// settler) and starts, on queue, the deliveries of the messages they put in
// the outbox (a return, a decision told to the holder): the process, finding
// the writes made, makes none, so its activities start nothing.
func (d *deps) decisionWriter(ch activities.Channels, queue string) *worker.DecisionWriter {
	a := d.activities(ch)
	a.TaskQueue = queue
	return worker.NewDecisionWriter(a)
}

func (d *deps) close() {
	if d.temporal != nil {
		d.temporal.Close()
	}
	if d.store != nil {
		d.store.Close()
	}
}

// temporalConn is where the worker and the API find Temporal, and how they
// speak to it.
type temporalConn struct {
	Address, Namespace string
	TLS                config.TemporalTLS
	// Gzip compresses every request (LB_TEMPORAL_COMPRESSION=gzip); false
	// sends them uncompressed, overriding the SDK's default of gzip
	// (docs/PERFORMANCE.md § gRPC compression).
	Gzip bool
}

// connectionOptions are the SDK's options for tc: its TLS, and no
// compression unless asked for.
func (tc temporalConn) connectionOptions() (client.ConnectionOptions, error) {
	tlsConf, err := tc.TLS.ClientConfig()
	if err != nil {
		return client.ConnectionOptions{}, err
	}
	o := client.ConnectionOptions{TLS: tlsConf}
	if !tc.Gzip {
		o.GrpcCompression = &client.GrpcCompressionNone{}
	}
	return o, nil
}

// connect opens the database and dials Temporal — over TLS when tc's
// settings say so — waiting up to a minute for a server that is still
// starting.
// TLS to PostgreSQL is the URL's (sslmode=verify-full, sslrootcert,
// sslcert, sslkey: pgx reads them).
//
// With lazy (the API alone) Temporal is not dialled until first used: an
// API replica starts while Temporal is away, stores submissions and serves
// its pages, and its requests to Temporal fail (503) until it is back. A
// worker, which has nothing to do without Temporal, waits for it a minute.
func connect(ctx context.Context, log *slog.Logger, dbURL string, tc temporalConn, clk clock.Clock, lazy bool) (*deps, error) {
	connection, err := tc.connectionOptions()
	if err != nil {
		return nil, err
	}
	d := &deps{log: log, registry: prometheus.NewRegistry(), clock: clk}
	d.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if d.store, err = store.Open(ctx, dbURL); err != nil {
		return nil, err
	}
	opts := client.Options{
		HostPort: tc.Address, Namespace: tc.Namespace,
		Logger:            sdklog.NewStructuredLogger(log.With("component", "temporal")),
		MetricsHandler:    metrics.NewTemporalHandler(d.registry),
		ConnectionOptions: connection,
	}
	if lazy {
		if d.temporal, err = client.NewLazyClient(opts); err != nil {
			d.store.Close()
			return nil, fmt.Errorf("Temporal client for %s: %w", tc.Address, err)
		}
		return d, nil
	}
	deadline := time.Now().Add(time.Minute)
	for {
		d.temporal, err = client.DialContext(ctx, opts)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		d.store.Close()
		return nil, fmt.Errorf("connect to Temporal at %s: %w", tc.Address, err)
	}
	return d, nil
}

// startWorker starts the worker in the background, with the starter that
// starts, until ctx ends, the process of any stored submission the API
// could not start. onFatal is told when the worker polls no more.
func startWorker(ctx context.Context, d *deps, cfg config.Config, stopTimeout time.Duration, onFatal func(error)) (sdkworker.Worker, error) {
	ch, err := channels(cfg)
	if err != nil {
		return nil, err
	}
	apiTimeout := cmp.Or(cfg.TemporalTimeout, api.DefaultConfig.TemporalTimeout)
	queue := taskQueue(cfg)
	if n := cfg.WorkflowCacheSize; n > 0 {
		sdkworker.SetStickyWorkflowCacheSize(n) // process-wide, before the worker exists
	}
	// The sweeps below and the processes do the owed work; the backlog
	// shows on /metrics what waits for them (the API's in dev).
	d.registry.MustRegister(&metrics.Backlog{Store: d.store, Log: d.log})
	w := worker.New(d.temporal, d.activities(ch), worker.Options{TaskQueue: queue, OnFatal: onFatal, StopTimeout: stopTimeout})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	// The housekeeping schedule is not worth a worker: a Temporal that
	// cannot describe it now (its own internal worker away, a node drained)
	// is asked again in the background, and the processes run meanwhile.
	go ensureMaintenance(ctx, d, maintenance(cfg))
	// A submission or a calendar revision stored while Temporal was
	// unreachable gets its process (the revision, its fan-out) within seconds
	// of Temporal's return: a sweep every 10 s, once the API's own attempt
	// (bounded by LB_TEMPORAL_TIMEOUT) is over.
	writes := d.decisionWriter(ch, queue)
	st := &starter.Starter{Temporal: d.temporal, Store: d.store, TaskQueue: queue, Log: d.log, At: d.clock.At, Writes: writes}
	go st.Run(ctx, 10*time.Second, apiTimeout+5*time.Second)
	// A decision whose caller stopped before it wrote it is written within
	// seconds of the API's attempt, by its process (settle-writes) or, the
	// process's run ended since, from the decision's outcome.
	se := &settler.Settler{Temporal: d.temporal, Store: d.store, Writes: writes, Log: d.log}
	go se.Run(ctx, 10*time.Second, apiTimeout+5*time.Second)
	return w, nil
}

// ensureMaintenance makes sure the maintenance schedule is as configured,
// trying again every minute until it is (or ctx ends).
func ensureMaintenance(ctx context.Context, d *deps, m worker.Maintenance) {
	for {
		err := worker.EnsureMaintenanceSchedule(ctx, d.temporal, m)
		if err == nil {
			return
		}
		d.log.Warn("maintenance schedule not yet ensured; trying again in a minute", "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
		}
	}
}

// A client sending its request a byte at a time, or keeping connections
// open and idle, holds a goroutine and a connection each: the request's
// whole read is bounded by what the largest file (a 200 MB video) takes on
// a slow county line, and an idle connection is closed after two minutes.
const (
	requestReadTimeout    = 15 * time.Minute
	idleConnectionTimeout = 2 * time.Minute
)

// startAPI listens on addr and serves the API until Shutdown.
func startAPI(d *deps, addr string, secret []byte, cfg api.Config, pages console.Config, ch activities.Channels) (*api.Server, *http.Server, net.Addr, error) {
	pages.Clock = d.clock
	pages.ObjectionRulingDays = cfg.Admission.ObjectionRulingDays
	srv := &api.Server{Temporal: d.temporal, Store: d.store, Clock: d.clock, Secret: secret, Log: d.log,
		Config: cfg, Registry: d.registry, Pages: console.New(d.store, secret, d.log, pages),
		Writes: d.decisionWriter(ch, cfg.TaskQueue)}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: requestReadTimeout, IdleTimeout: idleConnectionTimeout}
	go func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("http server", "error", err)
		}
	}()
	return srv, hs, l.Addr(), nil
}

// registerSearchAttributes makes sure the namespace has every custom search
// attribute the workflows upsert.
func registerSearchAttributes(ctx context.Context, d *deps, namespace string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return devstack.EnsureSearchAttributes(ctx, d.temporal, namespace, workflows.SearchAttributes)
}
