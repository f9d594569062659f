package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// CallerWrites are the activities whose writes a decision leaves to its
// caller (changeDecisionWritesByCaller): each returns nothing, cannot be
// refused, and is keyed by its step, so the caller's write and the
// process's own land once. A write that returns something (an expert draw)
// or can be refused (a resubmission) stays in the handler.
var CallerWrites = map[string]bool{
	ActivityRecordStep:      true,
	ActivitySaveOpinion:     true,
	ActivitySaveSiteVisit:   true,
	ActivityAcceptObjection: true,
	ActivityRuleObjection:   true,
	ActivityRecordBrandStep: true,
}

// decision is what a decision's handler carries in its context: the writes
// it has made so far, for the Update's result.
type decision struct {
	p      *process
	writes []records.Write
}

// writeQueue is the process's own making of its decisions' writes, one
// after another in the order the decisions were applied.
type writeQueue struct {
	items   []queuedWrite
	started bool
}

type queuedWrite struct {
	activity string
	arg      any
}

// deferWrite leaves the write to the decision's caller and queues it for the
// process; the future it returns is ready, as the write has nothing to
// return. It reports false where the write must be made in the handler: no
// decision in ctx, an activity not in CallerWrites, or a history recorded
// before changeDecisionWritesByCaller.
func deferWrite(ctx workflow.Context, kind activityKind, fn any, args []any) (workflow.Future, bool) {
	d, _ := ctx.Value(deciding{}).(*decision)
	name, _ := fn.(string)
	if d == nil || kind.remote.RetryPolicy != recording.remote.RetryPolicy || !CallerWrites[name] || len(args) != 1 {
		return nil, false
	}
	if workflow.GetVersion(ctx, changeDecisionWritesByCaller, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil, false
	}
	raw, err := json.Marshal(args[0])
	if err != nil {
		f, s := workflow.NewFuture(ctx)
		s.SetError(fmt.Errorf("encode %s: %w", name, err))
		return f, true
	}
	d.writes = append(d.writes, records.Write{Activity: name, Arg: raw})
	d.p.queueWrite(ctx, queuedWrite{activity: name, arg: args[0]})
	f, s := workflow.NewFuture(ctx)
	s.Set(nil, nil)
	return f, true
}

// awaitWrites waits, inside a decision, until the writes queued before are
// made: a read or a write of the handler's own may depend on them.
func awaitWrites(ctx workflow.Context) error {
	d, _ := ctx.Value(deciding{}).(*decision)
	if d == nil {
		return nil
	}
	return d.p.awaitWrites(ctx)
}

// awaitWrites waits until the process has made every write queued. A
// decision starts with it, so that its caller writes only after the
// decisions before it are on record: a caller's write that comes late finds
// its step written and changes nothing, and never puts an older stage or
// work queue over a newer one.
func (p *process) awaitWrites(ctx workflow.Context) error {
	if len(p.writes.items) == 0 {
		return nil
	}
	return workflow.Await(ctx, func() bool { return len(p.writes.items) == 0 })
}

// queueWrite queues a write for the process's writer, which it starts on
// the first; until the write is made the process takes no step of its own
// (settled).
func (p *process) queueWrite(ctx workflow.Context, w queuedWrite) {
	p.writes.items = append(p.writes.items, w)
	p.writing++
	if p.writes.started {
		return
	}
	p.writes.started = true
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			if err := workflow.Await(ctx, func() bool { return len(p.writes.items) > 0 }); err != nil {
				return
			}
			w := p.writes.items[0]
			opts := recording.remote
			opts.Summary = activitySummary(w.activity, []any{w.arg})
			err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), w.activity, w.arg).Get(ctx, nil)
			if err != nil {
				// Retried for a year: only a cancelled process ends here.
				workflow.GetLogger(ctx).Error("a decision's write was not made", "activity", w.activity, "error", err)
			}
			p.writes.items = p.writes.items[1:]
			p.writing--
			p.changes++
		}
	})
}

// withDecision gives a decision's handler its context; its writes are
// collected in the returned decision.
func (p *process) withDecision(ctx workflow.Context) (workflow.Context, *decision) {
	d := &decision{p: p}
	return workflow.WithValue(ctx, deciding{}, d), d
}
