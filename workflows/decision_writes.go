package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

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

// end ends the decision and returns the writes left to its caller. A
// caller makes none when the decision failed, so the process makes them,
// after the caller's grace, even while it needs none (changeWritesWhenNeeded).
func (d *decision) end(err error) []records.Write {
	if err != nil && len(d.writes) > 0 {
		d.p.askForWrites()
	}
	return d.writes
}

// writeQueue is the process's own making of its decisions' writes, one
// after another in the order the decisions were applied.
type writeQueue struct {
	items   []*queuedWrite
	started bool
	// urgent cuts the caller's grace short: a decision or a step of the
	// process's own waits for the writes.
	urgent bool
	// wanted starts the caller's grace (changeWritesWhenNeeded): the
	// process waits for the writes, but not at once — to end its run. It
	// stays set for the writes queued after.
	wanted bool
	// settling counts the steps of the process's own waiting for the
	// writes (settleWrites): meanwhile every write is urgent, those queued
	// by a decision still under way too.
	settling int
}

// hurried reports whether the writes are to be made without the caller's
// grace.
func (q *writeQueue) hurried() bool { return q.urgent || q.settling > 0 }

type queuedWrite struct {
	activity string
	arg      any
	// key is the step's key, by which a write made by the caller is found
	// on record; empty in histories before changeDecisionWritesChecked,
	// where the process writes at once and never reads first.
	key  string
	done bool // on record: made by the process, or found made by the caller
}

// callerWriteGrace is how long the process leaves a decision's write to
// its caller before it reads whether it was made: the API writes before it
// answers, within a Temporal timeout, so a few seconds find it made.
const callerWriteGrace = 3 * time.Second

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
	if getVersion(ctx, changeDecisionWritesByCaller) == workflow.DefaultVersion {
		return nil, false
	}
	raw, err := json.Marshal(args[0])
	if err != nil {
		f, s := workflow.NewFuture(ctx)
		s.SetError(fmt.Errorf("encode %s: %w", name, err))
		return f, true
	}
	d.writes = append(d.writes, records.Write{Activity: name, Arg: raw})
	w := &queuedWrite{activity: name, arg: args[0]}
	if getVersion(ctx, changeDecisionWritesChecked) >= 1 {
		w.key = stepKey(raw)
	}
	d.p.queueWrite(ctx, w)
	f, s := workflow.NewFuture(ctx)
	s.Set(nil, nil)
	return f, true
}

// stepKey is the key of the step a caller's write records: the write's
// argument is the step, or carries it as "step".
func stepKey(raw json.RawMessage) string {
	var a struct {
		Key  string `json:"key"`
		Step struct {
			Key string `json:"key"`
		} `json:"step"`
	}
	_ = json.Unmarshal(raw, &a)
	if a.Key != "" {
		return a.Key
	}
	return a.Step.Key
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

// awaitWrites waits until every write queued is on record. A decision
// starts with it, so that its caller writes only after the decisions before
// it are on record: a caller's write that comes late finds its step written
// and changes nothing, and never puts an older stage or work queue over a
// newer one. Since changeDecisionWritesChecked it first reads which are on
// record (their callers wrote them), and waits only for the others.
func (p *process) awaitWrites(ctx workflow.Context) error {
	if p.writesDone() {
		return nil
	}
	if err := p.checkWrites(ctx); err != nil {
		return err
	}
	if p.writesDone() {
		return nil
	}
	p.hurryWrites()
	return workflow.Await(ctx, p.writesDone)
}

// writesDone reports whether every write queued is on record.
func (p *process) writesDone() bool {
	for _, w := range p.writes.items {
		if !w.done {
			return false
		}
	}
	return true
}

// checkWrites reads which of the queued writes with a key are on record and
// counts them done. It runs the local activity itself: execute would wait
// for the writes first.
func (p *process) checkWrites(ctx workflow.Context) error {
	var keys, steps []string
	for _, w := range p.writes.items {
		if !w.done && w.key != "" {
			keys = append(keys, w.key)
			steps = append(steps, activitySummary(w.activity, []any{w.arg}))
		}
	}
	if len(keys) == 0 {
		return nil
	}
	local, remote := reading.local, reading.remote
	// The UI names the steps looked for: "核对决定是否已记录：记录：…".
	local.Summary = activityNames[ActivityStepsRecorded] + "：" + strings.Join(steps, "；")
	remote.Summary = local.Summary
	var recorded []string
	err := localThenRemote(ctx, local, remote, ActivityStepsRecorded, keys).Get(ctx, &recorded)
	if err != nil {
		return err
	}
	for _, w := range p.writes.items {
		if !w.done && w.key != "" && slices.Contains(recorded, w.key) {
			p.finishWrite(w)
		}
	}
	return nil
}

// finishWrite counts w on record, once.
func (p *process) finishWrite(w *queuedWrite) {
	if w.done {
		return
	}
	w.done = true
	p.writing--
	p.changes++
}

// hurryWrites asks the writer to make the queued writes now, without the
// caller's grace: the process has a step of its own to take.
func (p *process) hurryWrites() {
	if !p.writesDone() {
		p.writes.urgent = true
	}
}

// writesWhenNeeded reports whether the process leaves its decisions'
// writes to their callers until it needs them (changeWritesWhenNeeded).
func writesWhenNeeded(ctx workflow.Context) bool {
	return getVersion(ctx, changeWritesWhenNeeded) == 1
}

// askForWrites tells the writer that the process will wait for the writes
// queued: it reads for them after the caller's grace, as every write did
// before changeWritesWhenNeeded. The end of a run asks so.
func (p *process) askForWrites() { p.writes.wanted = true }

// settleWrites makes sure the decisions' writes are on record before a step of
// the process's own: it reads which their callers made and makes the
// others now. A step of its own comes from a timer or a message, long
// after the caller wrote, so the read finds them.
func (p *process) settleWrites(ctx workflow.Context) error {
	if p.settled() {
		return nil
	}
	// A decision under way may queue a write while this waits.
	p.writes.settling++
	defer func() { p.writes.settling-- }()
	return workflow.Await(ctx, p.settled)
}

// registerSettleWrites lets the writes sweep settle a decision whose caller
// did not write it (UpdateSettleWrites); it answers once every write queued
// is on record.
func (p *process) registerSettleWrites(ctx workflow.Context) error {
	return workflow.SetUpdateHandler(ctx, UpdateSettleWrites, func(ctx workflow.Context) error {
		p.hurryWrites()
		return workflow.Await(ctx, p.writesDone)
	})
}

// queueWrite queues a write for the process's writer, which it starts on
// the first; until the write is made the process takes no step of its own
// (settled).
func (p *process) queueWrite(ctx workflow.Context, w *queuedWrite) {
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
			if err := p.makeWrite(ctx, p.writes.items[0]); err != nil {
				return
			}
			p.writes.items = p.writes.items[1:]
			if len(p.writes.items) == 0 {
				p.writes.urgent = false
			}
		}
	})
}

// makeWrite makes w unless it is on record. A write with a key is left to
// its caller for callerWriteGrace (shorter when business time runs faster
// than the wall clock, so that no deadline waits for it), then read for.
// An error is the process's context cancelled.
func (p *process) makeWrite(ctx workflow.Context, w *queuedWrite) error {
	if w.key != "" && !w.done {
		if writesWhenNeeded(ctx) {
			// No clock: the write is its caller's until the process needs it.
			if err := workflow.Await(ctx, func() bool { return w.done || p.writes.hurried() || p.writes.wanted }); err != nil {
				return err
			}
		}
		grace := min(callerWriteGrace, p.clock.WallDuration(time.Hour))
		if err := awaitWithTimeout(ctx, grace, "等待办理人写入 · "+activitySummary(w.activity, []any{w.arg}),
			func() bool { return w.done || p.writes.hurried() }); err != nil {
			return err
		}
		if !w.done || !foundByNextDecision(ctx) {
			if err := p.checkWrites(ctx); err != nil {
				return err
			}
		}
	}
	if w.done {
		return nil
	}
	opts := recording.remote
	opts.Summary = activitySummary(w.activity, []any{w.arg})
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), w.activity, w.arg).Get(ctx, nil)
	if err != nil {
		// Retried without limit: only a refusal (a write that cannot be
		// made, which the caller's write would have met too) or a
		// cancelled process ends here.
		workflow.GetLogger(ctx).Error("a decision's write was not made", "activity", w.activity, "error", err)
	}
	p.finishWrite(w)
	return nil
}

// foundByNextDecision reports, for a write the next decision found on
// record while it waited, that the writer reads nothing more now: the read
// would look only for that decision's own write, which its caller makes
// after the answer, so it found nothing and cost the decision's workflow
// task a local activity. The next write's grace reads for it in time.
// Since version writesCheckedOnce; before, the writer read again.
func foundByNextDecision(ctx workflow.Context) bool {
	return getVersion(ctx, changeDecisionWritesChecked) == writesCheckedOnce
}

// withDecision gives a decision's handler its context; its writes are
// collected in the returned decision.
func (p *process) withDecision(ctx workflow.Context) (workflow.Context, *decision) {
	d := &decision{p: p}
	return workflow.WithValue(ctx, deciding{}, d), d
}
