// Command lbbench is laborbrand's load tool (issue 7). It drives the HTTP
// API of a running stack as outside clients would — submissions, officer and
// expert decisions, reads and public objections in a configurable mix — and,
// in the same run, measures the bare floor on the same Temporal server with
// the SDK alone: a workflow start and an Update whose handler does nothing.
// It reports per endpoint the throughput, p50/p95/p99 latency and errors by
// status code, and our decision and submission latencies as ratios to the
// floor. With --probe-rate it also sends paced bare Updates during the load:
// the floor on a server as busy as our decisions find it, reported beside
// the idle floor the goal is judged against.
//
//	lbbench --api http://127.0.0.1:8080 --data-dir .laborbrand --concurrency 4 --duration 60s
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

// options are the command line and the settings of one run.
type options struct {
	api, dataDir, temporal, namespace string
	jwtSecret                         string
	gzip                              bool // LB_TEMPORAL_COMPRESSION=gzip
	mix, jsonOut                      string
	concurrency, quorum, activities   int
	localActivities                   int
	probeRate                         float64
	duration, warmup, baseline        time.Duration
	ops                               int64
	seed                              uint64
	watch                             []int
}

func main() {
	settings, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lbbench: settings:", err)
		os.Exit(1)
	}
	// The floor's client compresses as the stack's does, so that both sides
	// of the ratio pay the same for it.
	c := options{jwtSecret: settings.JWTSecret, gzip: settings.TemporalGzip}
	flag.StringVar(&c.api, "api", "http://127.0.0.1:8080", "base URL of the laborbrand API")
	flag.StringVar(&c.dataDir, "data-dir", settings.DataDir, "dev data dir whose jwt-secret signs the tokens (LB_JWT_SECRET wins)")
	flag.StringVar(&c.temporal, "temporal", "127.0.0.1:7233", "Temporal frontend for the baseline")
	flag.StringVar(&c.namespace, "namespace", "default", "Temporal namespace for the baseline")
	flag.StringVar(&c.mix, "mix", "submit=1,decide=3,read=5,objection=1", "weights of the operation kinds: submit, decide, read, objection")
	flag.StringVar(&c.jsonOut, "json", "", "also write the report as JSON to this file")
	flag.IntVar(&c.concurrency, "concurrency", 4, "concurrent clients (load and baseline)")
	flag.IntVar(&c.quorum, "quorum", 3, "expert opinions filed before 复审 approval (the stack's LB_EXPERT_QUORUM)")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "measured length of the load (0: until --ops)")
	flag.DurationVar(&c.warmup, "warmup", 5*time.Second, "unmeasured warm-up before each phase")
	flag.DurationVar(&c.baseline, "baseline-duration", 15*time.Second, "measured length of each baseline operation (0: no baseline)")
	flag.IntVar(&c.activities, "floor-activities", 0, "also measure an Update that runs this many no-op activities (our decisions ran 1 or 2 before the change local-activities)")
	flag.IntVar(&c.localActivities, "floor-local-activities", 0, "also measure an Update that runs this many no-op local activities (our decisions run 1 or 2)")
	flag.Float64Var(&c.probeRate, "probe-rate", 0, "also send this many bare Updates a second during the load, one at a time, to measure the floor on a server as busy as our decisions find it (0: none)")
	flag.Int64Var(&c.ops, "ops", 0, "stop the load after this many measured operations (0: no limit)")
	flag.Uint64Var(&c.seed, "seed", uint64(time.Now().UnixNano()), "seed of the operation mix")
	flag.Func("watch-pid", "report the CPU used by this process and its descendants, e.g. `laborbrand dev`'s (repeatable)", func(v string) error {
		pid, err := strconv.Atoi(v)
		c.watch = append(c.watch, pid)
		return err
	})
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "lbbench:", err)
		os.Exit(1)
	}
}

func run(c options) error {
	if c.concurrency < 1 || (c.duration <= 0 && c.ops <= 0) {
		return fmt.Errorf("need --concurrency ≥ 1 and a --duration or --ops")
	}
	m, err := parseMix(c.mix)
	if err != nil {
		return err
	}
	secret, err := auth.LoadSecret(c.jwtSecret, c.dataDir, false)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	wl := newWorkload(newAPIClient(c.api, secret, c.concurrency), m, c.seed, c.concurrency, c.quorum)
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	err = wl.setup(sctx)
	cancel()
	if err != nil {
		return fmt.Errorf("set up round and expert pool: %w", err)
	}
	r := &Report{Started: time.Now(), Config: reportConfig{API: c.api, Temporal: c.temporal, Concurrency: c.concurrency,
		Mix: c.mix, Seed: c.seed, DurationS: c.duration.Seconds(), WarmupS: c.warmup.Seconds(), BaselineS: c.baseline.Seconds(), Ops: c.ops}}

	if c.baseline > 0 {
		if r.Baseline, r.CPU, err = runBaseline(ctx, c, wl.tag); err != nil {
			return err
		}
	}

	wl.rec = NewRecorder(time.Now().Add(c.warmup))
	stopProbe, err := startProbe(ctx, c, wl.tag, wl.rec)
	if err != nil {
		return err
	}
	cpu := phase{name: "load", concurrency: c.concurrency, warmup: c.warmup, duration: c.duration, maxOps: c.ops, watch: c.watch}.run(ctx, wl.rec, wl.op)
	stopProbe()
	r.addCPU(cpu)
	ready, notice := wl.pipeline()
	fmt.Fprintf(os.Stderr, "[load] applications of this run awaiting a decision: %d, in notice: %d\n", ready, notice)

	r.Load, r.LoadWindowS = wl.rec.Summaries(), wl.rec.Window().Seconds()
	r.Officer = wl.rec.Merged("officer decisions (county-review, city-review, expert-opinions)", officerDecisions...)
	r.Ratios, r.Goal = ratios(r.Load, r.Baseline, r.Officer)
	r.Substituted, r.ErrorSample = wl.substituted, wl.errSamples
	r.print(os.Stdout)
	if c.jsonOut != "" {
		return r.writeJSON(c.jsonOut)
	}
	return nil
}

// runBaseline measures the floor: ExecuteWorkflow alone, ExecuteWorkflow
// followed by a first Update, and an Update on a running workflow — one
// after the other, each at the load's concurrency, with the workflows of
// one finished before the next starts.
func runBaseline(ctx context.Context, c options, runID string) ([]Summary, []*CPUUse, error) {
	b, err := startBaseline(ctx, c.temporal, c.namespace, c.gzip, runID+fmt.Sprint(time.Now().Unix()))
	if err != nil {
		return nil, nil, err
	}
	defer b.close()
	var floors []Summary
	var cpu []*CPUUse
	type step struct {
		name string
		op   func(*Recorder) opFunc
	}
	steps := []step{
		{"floor: start", b.opStart},
		{"floor: start+update", b.opStartUpdate},
		{"floor: update", func(rec *Recorder) opFunc { return b.opUpdate(rec, c.concurrency, 0, false) }},
	}
	if c.activities > 0 {
		steps = append(steps, step{"floor: update+activities", func(rec *Recorder) opFunc { return b.opUpdate(rec, c.concurrency, c.activities, false) }})
	}
	if c.localActivities > 0 {
		steps = append(steps, step{"floor: update+local activities", func(rec *Recorder) opFunc {
			return b.opUpdate(rec, c.concurrency, c.localActivities, true)
		}})
	}
	for _, s := range steps {
		rec := NewRecorder(time.Now().Add(c.warmup))
		u := phase{name: s.name, concurrency: c.concurrency, warmup: c.warmup, duration: c.baseline, watch: c.watch}.run(ctx, rec, s.op(rec))
		if u != nil {
			cpu = append(cpu, u)
		}
		floors = append(floors, rec.Summaries()...)
		fctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		b.finishAll(fctx, c.concurrency)
		cancel()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
	}
	return floors, cpu, nil
}

// startProbe starts the --probe-rate Updates on a baseline of their own;
// stop ends them and finishes the probe's workflows.
func startProbe(ctx context.Context, c options, runID string, rec *Recorder) (stop func(), err error) {
	if c.probeRate <= 0 {
		return func() {}, nil
	}
	b, err := startBaseline(ctx, c.temporal, c.namespace, c.gzip, runID+"probe"+fmt.Sprint(time.Now().Unix()))
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.probe(pctx, rec, c.probeRate)
	}()
	return func() {
		cancel()
		<-done
		fctx, cancelFinish := context.WithTimeout(context.Background(), time.Minute)
		b.finishAll(fctx, 1)
		cancelFinish()
		b.close()
	}, nil
}
