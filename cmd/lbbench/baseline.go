package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The bare floor: the same Temporal server, operations of the same shape as
// ours, and nothing else — no HTTP, no PostgreSQL, no activities.
const (
	// BenchWorkflowType is the baseline's workflow.
	BenchWorkflowType = "BenchNoopWorkflow"
	// BenchUpdate is its Update, whose handler does nothing.
	BenchUpdate = "noop"
	// BenchActivitiesUpdate is an Update whose handler runs n no-op
	// activities one after the other: the shape of our decisions, which
	// compute a deadline and record a step, without our code.
	BenchActivitiesUpdate = "activities"
	// BenchLocalActivitiesUpdate is the same with local activities, the
	// shape of our decisions since the workflows' change "local-activities".
	BenchLocalActivitiesUpdate = "local-activities"
	// BenchActivityType is that no-op activity.
	BenchActivityType = "BenchNoopActivity"
	// BenchFinishSignal ends it.
	BenchFinishSignal = "finish"
	// benchMaxLife ends a workflow by itself if lbbench dies before finishing it.
	benchMaxLife = 15 * time.Minute
	// updatesPerWorkflow bounds the history an Update sees: our applications
	// take a handful of decisions each, not thousands.
	updatesPerWorkflow = 50
)

// Endpoint names of the floor.
const (
	floorStart       = "sdk ExecuteWorkflow"
	floorUpdate      = "sdk UpdateWorkflow (completed)"
	floorStartUpdate = "sdk ExecuteWorkflow + first Update"
	// floorProbe is the bare Update sent during the load (--probe-rate):
	// the floor on a server as busy as our decisions find it.
	floorProbe = "sdk UpdateWorkflow during the load (probe)"
)

// floorActivities names the floor of an Update that runs n no-op
// activities, local or not.
func floorActivities(n int, local bool) string {
	if local {
		return fmt.Sprintf("%s %d no-op local activities", floorActivitiesPrefix, n)
	}
	return fmt.Sprintf("%s %d no-op activities", floorActivitiesPrefix, n)
}

const floorActivitiesPrefix = "sdk Update running"

// BenchNoopWorkflow accepts no-op Updates until it is signalled to finish
// (or maxLife passes).
func BenchNoopWorkflow(ctx workflow.Context, maxLife time.Duration) error {
	if err := workflow.SetUpdateHandler(ctx, BenchUpdate, func(workflow.Context) error { return nil }); err != nil {
		return err
	}
	err := workflow.SetUpdateHandler(ctx, BenchActivitiesUpdate, func(ctx workflow.Context, n int) error {
		ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
		for range n {
			if err := workflow.ExecuteActivity(ctx, BenchActivityType).Get(ctx, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = workflow.SetUpdateHandler(ctx, BenchLocalActivitiesUpdate, func(ctx workflow.Context, n int) error {
		ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: 10 * time.Second})
		for range n {
			if err := workflow.ExecuteLocalActivity(ctx, BenchActivityType).Get(ctx, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, BenchFinishSignal), func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
	sel.AddFuture(workflow.NewTimer(timerCtx, maxLife), func(workflow.Future) {})
	sel.Select(ctx)
	cancel()
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// baseline measures the floor on a Temporal server with an in-process worker
// on a task queue of its own.
type baseline struct {
	c     client.Client
	w     sdkworker.Worker
	queue string
	runID string
	seq   atomic.Int64

	mu       sync.Mutex
	toFinish []string // workflow IDs started and not yet finished
}

func startBaseline(ctx context.Context, address, namespace string, gzip bool, runID string) (*baseline, error) {
	o := client.Options{HostPort: address, Namespace: namespace,
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}
	if !gzip {
		o.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	}
	c, err := client.DialContext(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", address, err)
	}
	b := &baseline{c: c, queue: "lbbench-" + runID, runID: runID}
	b.w = sdkworker.New(c, b.queue, sdkworker.Options{})
	b.w.RegisterWorkflowWithOptions(BenchNoopWorkflow, workflow.RegisterOptions{Name: BenchWorkflowType})
	b.w.RegisterActivityWithOptions(func(context.Context) error { return nil }, activity.RegisterOptions{Name: BenchActivityType})
	if err := b.w.Start(); err != nil {
		c.Close()
		return nil, fmt.Errorf("start baseline worker: %w", err)
	}
	return b, nil
}

func (b *baseline) close() {
	b.w.Stop()
	b.c.Close()
}

// benchRun is a started bench workflow: its ID and its run.
type benchRun struct{ id, run string }

// start starts a bench workflow and remembers to finish it.
func (b *baseline) start(ctx context.Context) (benchRun, error) {
	id := fmt.Sprintf("lbbench-%s-%d", b.runID, b.seq.Add(1))
	run, err := b.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: b.queue}, BenchWorkflowType, benchMaxLife)
	if err != nil {
		return benchRun{}, err
	}
	b.mu.Lock()
	b.toFinish = append(b.toFinish, id)
	b.mu.Unlock()
	return benchRun{id: id, run: run.GetRunID()}, nil
}

func (b *baseline) update(ctx context.Context, r benchRun) error {
	return b.updateWith(ctx, r, BenchUpdate)
}

// updateWith sends Update name to r's run, as laborbrand's decisions go to
// the run that wrote the process's last step: addressed by workflow ID
// alone, Temporal would first look up the current run, a read our
// decisions no longer pay for.
func (b *baseline) updateWith(ctx context.Context, r benchRun, name string, args ...any) error {
	h, err := b.c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: r.id, RunID: r.run, UpdateName: name, Args: args,
		WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

// finishAll signals every started workflow to finish and waits until each
// has, so that the next phase does not pay for this one's tail.
func (b *baseline) finishAll(ctx context.Context, concurrency int) {
	b.mu.Lock()
	ids := b.toFinish
	b.toFinish = nil
	b.mu.Unlock()
	work := make(chan string)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for id := range work {
				if b.c.SignalWorkflow(ctx, id, "", BenchFinishSignal, nil) == nil {
					b.c.GetWorkflow(ctx, id, "").Get(ctx, nil)
				}
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

// outcomeOf names what went wrong with a Temporal call ("" for nothing).
func outcomeOf(ctx context.Context, err error) string {
	switch {
	case err == nil:
		return ""
	case ctx.Err() != nil:
		return "timeout"
	default:
		return "temporal"
	}
}

// opStart is the floor of a submission's process start: ExecuteWorkflow alone.
func (b *baseline) opStart(rec *Recorder) opFunc {
	return func(ctx context.Context, _ int) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		t := time.Now()
		_, err := b.start(ctx)
		rec.Record(floorStart, t, time.Since(t), outcomeOf(ctx, err))
	}
}

// opStartUpdate is the floor of a whole submission's Temporal part: the
// process starts, then an Update waits for its first workflow task, as our
// submission waits for the application's first stage.
func (b *baseline) opStartUpdate(rec *Recorder) opFunc {
	return func(ctx context.Context, _ int) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		t := time.Now()
		r, err := b.start(ctx)
		if err == nil {
			err = b.update(ctx, r)
		}
		rec.Record(floorStartUpdate, t, time.Since(t), outcomeOf(ctx, err))
	}
}

// opUpdate is the floor of an officer decision: an Update on a running
// workflow, waiting until it has completed. Each client goroutine has a
// workflow of its own, as each of our decisions goes to its own application.
// With activities > 0 the Update runs that many no-op activities (local
// ones if local).
func (b *baseline) opUpdate(rec *Recorder, concurrency, activities int, local bool) opFunc {
	endpoint, name, args := floorUpdate, BenchUpdate, []any(nil)
	if activities > 0 {
		name = BenchActivitiesUpdate
		if local {
			name = BenchLocalActivitiesUpdate
		}
		endpoint, args = floorActivities(activities, local), []any{activities}
	}
	type slot struct {
		benchRun
		n int
	}
	slots := make([]slot, concurrency)
	return func(ctx context.Context, w int) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		s := &slots[w]
		if s.id == "" || s.n >= updatesPerWorkflow {
			r, err := b.start(ctx)
			if err == nil {
				err = b.update(ctx, r) // not counted: the workflow is now running
			}
			if err != nil {
				rec.Record(endpoint, time.Now(), 0, outcomeOf(ctx, err))
				return
			}
			*s = slot{benchRun: r}
		}
		t := time.Now()
		err := b.updateWith(ctx, s.benchRun, name, args...)
		s.n++
		rec.Record(endpoint, t, time.Since(t), outcomeOf(ctx, err))
	}
}

// probe sends bare Updates to one workflow of its own, one at a time and
// about rate a second, until ctx ends, recording each as floorProbe. Paced
// and alone, it adds a few requests a second to the load it measures.
func (b *baseline) probe(ctx context.Context, rec *Recorder, rate float64) {
	var r benchRun
	n := 0
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		octx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if r.id == "" || n >= updatesPerWorkflow {
			var err error
			if r, err = b.start(octx); err == nil {
				err = b.update(octx, r) // not counted: the workflow is now running
			}
			if err != nil {
				r = benchRun{}
				cancel()
				continue
			}
			n = 0
		}
		t := time.Now()
		err := b.update(octx, r)
		n++
		if ctx.Err() == nil { // an Update cut short by the load's end is not a result
			rec.Record(floorProbe, t, time.Since(t), outcomeOf(octx, err))
		}
		cancel()
	}
}
