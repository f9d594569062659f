package activities

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/sync/errgroup"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Fan-out sizes: rows read per page (a heartbeat each), and processes told
// at once — enough to keep Temporal busy, few enough not to queue behind
// each other on a small server.
const (
	fanoutPage        = 500
	fanoutConcurrency = 16
)

// Fan-out pace. Told by the Update, a process answers after the workflow
// task that re-armed it and wrote it down, so the fan-out's own limit of
// fanoutConcurrency bounds what waits, and the next process is told as soon
// as one answers. Told by the signal (a worker from before the Update),
// nothing waits for the task: a task that waits on the sticky queue longer
// than the worker's sticky schedule-to-start timeout (5 s) is moved to the
// task queue, and when all of them are, every poller of the Go SDK may
// still be waiting on the empty sticky queue until its long poll ends — a
// whole minute in which nothing is re-armed (measured: 1,000 processes told
// in 10 s, 735 re-armed, then 60 s of nothing). So before every
// fanoutBatch processes the fan-out waits until at most fanoutInFlight of
// those told by the signal are not yet re-armed — what the re-arms' own
// records show — a few seconds of work for one worker. It never waits on a
// process longer than fanoutPatience without any progress: a process that
// does not rewrite its rules must not hold up the others. (Each fan-out's
// signalledSet carries its patience, so a test on a loaded machine can
// wait on re-arms alone.)
const (
	fanoutBatch    = 50
	fanoutInFlight = 150
	fanoutPoll     = 100 * time.Millisecond
	fanoutPatience = 10 * time.Second
)

// SignalOpenProcesses tells of calendar version r.Version only the open
// processes it concerns: it recomputes, under the calendar in force, each
// running deadline the processes' last steps wrote down with its rule, and
// signals a process when one of its due days moves (or when its rules were
// written before they were kept). Every other process is left alone — no
// signal, no workflow task: its due days stand, and a later step computes
// with the new calendar anyway.
//
// It heartbeats the last id done, so a retry resumes there; a repeated
// signal is harmless (a process ignores a version it already knows), and a
// process that re-armed meanwhile has written the new version and is no
// longer selected. It returns how many processes it told, by the Update or
// the signal — not those that refused the version as known or had ended (a
// page repeated by a retry may count a process twice).
func (a *Activities) SignalOpenProcesses(ctx context.Context, r records.CalendarSignal) (int, error) {
	var p fanoutProgress
	if activity.HasHeartbeatDetails(ctx) {
		_ = activity.GetHeartbeatDetails(ctx, &p)
	}
	cal, err := a.Calendars.Current(ctx)
	if err != nil {
		return p.Sent, err
	}
	if cal.Version() < r.Version {
		return p.Sent, fmt.Errorf("calendar version %d not yet in force (have %d)", r.Version, cal.Version())
	}
	for ; p.Type < len(r.WorkflowTypes); p.Type, p.After = p.Type+1, "" {
		objectType, workflowID, ok := processOf(r.WorkflowTypes[p.Type])
		if !ok {
			return p.Sent, fmt.Errorf("calendar fan-out: unknown workflow type %q", r.WorkflowTypes[p.Type])
		}
		signalled := newSignalledSet(fanoutPatience)
		for {
			page, err := a.Store.OpenProcessRules(ctx, objectType, p.After, fanoutPage)
			if err != nil {
				return p.Sent, err
			}
			var tell []toldProcess
			for _, proc := range page {
				if computed, moves := RecomputeRules(cal, r.Version, proc.Rules, a.Clock.Now()); moves {
					tell = append(tell, toldProcess{ID: proc.ID, RunID: proc.RunID, Computed: computed})
				}
			}
			reached, err := a.tellAll(ctx, tell, objectType, workflowID, r, cal, signalled, p)
			if err != nil {
				return p.Sent, err
			}
			p.Sent += reached
			p.Checked += len(page)
			if len(page) > 0 {
				p.After = page[len(page)-1].ID
			}
			activity.RecordHeartbeat(ctx, p)
			if len(page) < fanoutPage {
				break
			}
		}
	}
	if err := a.Store.MarkCalendarFannedOut(ctx, r.Version); err != nil {
		return p.Sent, err
	}
	activity.GetLogger(ctx).Info("calendar fan-out done", "version", r.Version, "checked", p.Checked, "told", p.Sent)
	return p.Sent, nil
}

// toldProcess is a process the fan-out tells, with the deadlines it
// computed for it under the new calendar.
type toldProcess struct {
	ID       string
	RunID    string // the run that wrote the rules, "" if unknown
	Computed []records.ComputedDeadline
}

// tellAll tells the processes, fanoutConcurrency at once, the next as
// soon as one has answered, heartbeating the progress before the page (a
// slow server must not time the page out; a retry repeats it, harmlessly).
// Each is told the deadlines the fan-out computed for it, which it re-arms
// with. Those told by the signal answer nothing, so before every
// fanoutBatch processes it waits until few of them are still to re-arm.
// It returns how many it reached.
func (a *Activities) tellAll(ctx context.Context, procs []toldProcess, objectType string, workflowID func(string) string,
	r records.CalendarSignal, cal *calendar.Calendar, signalled *signalledSet, before fanoutProgress) (int, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fanoutConcurrency)
	var reached atomic.Int64
	for i, proc := range procs {
		if i%fanoutBatch == 0 {
			if err := a.awaitRearmed(gctx, objectType, signalled, cal, r.Version, fanoutInFlight-fanoutBatch, before); err != nil {
				_ = g.Wait()
				return int(reached.Load()), err
			}
		}
		g.Go(func() error {
			told, err := a.tell(gctx, workflow.Execution{ID: workflowID(proc.ID), RunID: proc.RunID}, r,
				records.CalendarChanged{Version: r.Version, Computed: proc.Computed})
			if told.reached() {
				reached.Add(1)
			}
			if told == toldBySignal {
				signalled.add(proc.ID)
			}
			// After each, not each hundredth: a tell may wait up to
			// tellTimeout when workers are slow, and the SDK throttles
			// heartbeats to what the server needs.
			activity.RecordHeartbeat(ctx, before)
			return err
		})
	}
	err := g.Wait()
	return int(reached.Load()), err
}

// toldAs is what became of one tell.
type toldAs int

const (
	notTold      toldAs = iota // the fan-out's own context ended first
	toldByUpdate               // the process took the version and answered
	toldBySignal               // signalled: it takes the version, unless it knows it, when its worker gets to it
	alreadyKnew                // it refused the Update: it has the version
	hadEnded                   // no running process to tell, by the Update or the signal
)

// reached reports whether the tell reached a running process.
func (t toldAs) reached() bool { return t == toldByUpdate || t == toldBySignal }

func (t toldAs) String() string {
	return [...]string{"not told", "told by the Update", "told by the signal", "already knew", "had ended"}[t]
}

// tellTimeout bounds the wait for one process's answer: a process whose
// worker does not answer in time is signalled instead.
const tellTimeout = 10 * time.Second

// tell tells one process of the revision with the calendar-changed Update,
// answered once the process has taken the new version: its re-arm then
// runs in the same workflow task, which the server writes once, where a
// signal costs it a write for the signal, one for the task's start and one
// for its end. A process that knows the version refuses the Update, which
// costs it nothing; one that ended needs nothing. Any other failure — a
// worker from before the Update refuses it as unknown, or does not answer
// in time — is followed by the signal, as before the Update: a process
// told twice takes the version once. It reports which of these it was.
//
// The Update goes to the run that wrote the rules, when known (update.ToRun):
// one read fewer on Temporal's busiest path for every process told.
func (a *Activities) tell(ctx context.Context, proc workflow.Execution, r records.CalendarSignal, change records.CalendarChanged) (toldAs, error) {
	uctx, cancel := context.WithTimeout(ctx, tellTimeout)
	err := a.updateCalendar(uctx, proc, change)
	cancel()
	var known *temporal.ApplicationError
	switch {
	case err == nil:
		return toldByUpdate, nil
	case isNotFound(err):
		return hadEnded, nil
	case errors.As(err, &known) && known.Type() == workflows.CalendarKnownError:
		return alreadyKnew, nil
	case ctx.Err() != nil:
		return notTold, ctx.Err()
	}
	if activity.IsActivity(ctx) {
		activity.GetLogger(ctx).Info("calendar fan-out: Update not answered, signalling", "workflow", proc.ID, "error", err)
	}
	switch err := a.Temporal.SignalWorkflow(ctx, proc.ID, "", r.SignalName, change); {
	case isNotFound(err):
		return hadEnded, nil
	case err != nil:
		return notTold, fmt.Errorf("tell %s of calendar %d: %w", proc.ID, change.Version, err)
	}
	return toldBySignal, nil
}

// updateCalendar sends the calendar-changed Update to proc and waits for
// its answer.
func (a *Activities) updateCalendar(ctx context.Context, proc workflow.Execution, change records.CalendarChanged) error {
	h, err := update.ToRun(ctx, a.Temporal, client.UpdateWorkflowOptions{WorkflowID: proc.ID, RunID: proc.RunID,
		UpdateID: workflows.CalendarChangedUpdateID(change.Version), UpdateName: workflows.UpdateCalendarChanged,
		Args: []any{change}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

// awaitRearmed waits until at most limit of the processes told by the
// signal are still to re-arm, and leaves only those in the set. A process
// has re-armed when the rules its last step wrote no longer move under cal
// (or it closed, or has no running deadline left). Once the set's patience
// passes without any of them re-arming it forgets them and returns. While
// it waits it heartbeats the progress made before the page, as tellAll
// does. With none told by the signal it reads nothing.
func (a *Activities) awaitRearmed(ctx context.Context, objectType string, signalled *signalledSet,
	cal *calendar.Calendar, version, limit int, before fanoutProgress) error {
	progressed := time.Now()
	for first := true; signalled.len() > max(limit, 0); first = false {
		if time.Since(progressed) > signalled.patience {
			activity.GetLogger(ctx).Warn("calendar fan-out: processes told have not re-armed; going on",
				"version", version, "waiting", signalled.len())
			signalled.forgetAll()
			return nil
		}
		if !first {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(fanoutPoll):
			}
		}
		activity.RecordHeartbeat(ctx, before)
		ids := signalled.list()
		still, err := a.Store.ProcessRulesOf(ctx, objectType, ids)
		if err != nil {
			return err
		}
		pending := map[string]bool{}
		for _, proc := range still {
			if deadlinesMove(cal, version, proc.Rules, a.Clock.Now()) {
				pending[proc.ID] = true
			}
		}
		var rearmed []string
		for _, id := range ids {
			if !pending[id] {
				rearmed = append(rearmed, id)
			}
		}
		if len(rearmed) > 0 {
			progressed = time.Now()
		}
		signalled.forget(rearmed)
	}
	return nil
}

// signalledSet holds the processes told by the signal and not yet seen
// re-armed; the tells running at once add to it.
type signalledSet struct {
	patience time.Duration // how long the fan-out waits on them without any re-arming

	mu  sync.Mutex
	ids map[string]bool
}

func newSignalledSet(patience time.Duration) *signalledSet {
	return &signalledSet{patience: patience, ids: map[string]bool{}}
}

func (s *signalledSet) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[id] = true
}

func (s *signalledSet) forget(ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.ids, id)
	}
}

func (s *signalledSet) forgetAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.ids)
}

func (s *signalledSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

func (s *signalledSet) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Collect(maps.Keys(s.ids))
}

// deadlinesMove reports whether a process whose last step wrote rules must
// recompute a deadline under cal, told of version: some deadline computed
// with an older calendar falls on another day now. Rules not kept (nil), or
// one the calendar cannot compute, leave the judgement to the process.
func deadlinesMove(cal *calendar.Calendar, version int, rules []records.DeadlineRule, now time.Time) bool {
	_, moves := RecomputeRules(cal, version, rules, now)
	return moves
}

// RecomputeRules is deadlinesMove that also returns the schedules it
// computed under cal, each with its rule: what the process would compute
// itself when told, and what the signal carries to it. A day the process
// keeps at now (workflows.KeepsDay: moved earlier to a day already over) is
// no move; the zero now counts every day that differs.
func RecomputeRules(cal *calendar.Calendar, version int, rules []records.DeadlineRule, now time.Time) ([]records.ComputedDeadline, bool) {
	if rules == nil {
		return nil, true
	}
	var computed []records.ComputedDeadline
	moves := false
	for _, d := range rules {
		if d.CalendarVersion >= version {
			continue // computed with this calendar or a newer one
		}
		if !d.Due.End().After(now) {
			continue // ran out: its process never moves it (workflows: ran-out-never-moves)
		}
		s, err := deadline.Compute(cal, d.Rule)
		if err != nil {
			moves = true
			continue
		}
		computed = append(computed, records.ComputedDeadline{Key: d.Key, Rule: d.Rule, Schedule: s})
		kept := workflows.KeepsDay(d.Key, calendar.Deadline{Due: d.Due, DueAt: d.Due.End()}, s.Deadline, now)
		moves = moves || s.Deadline.Due != d.Due && !kept
	}
	return computed, moves
}

// processOf names the table and the workflow IDs of a workflow type.
func processOf(workflowType string) (string, func(string) string, bool) {
	switch workflowType {
	case workflows.ApplicationWorkflowType:
		return "application", workflows.ApplicationWorkflowID, true
	case workflows.BrandWorkflowType:
		return "brand", workflows.BrandWorkflowID, true
	}
	return "", nil, false
}

// fanoutProgress is the heartbeat of a fan-out: where a retry resumes.
type fanoutProgress struct {
	Type    int    `json:"type"`  // index into the workflow types
	After   string `json:"after"` // last id of that type done
	Checked int    `json:"checked"`
	Sent    int    `json:"sent"`
}

// tellIfMoved closes the gap between a revision and a step written while its
// fan-out ran: the fan-out reads the rules after the new calendar is stored,
// and this check reads the calendar after the step is, so a deadline
// computed with the old calendar is seen by one of the two. Here, as there,
// only a deadline whose day moves signals its process.
func (a *Activities) tellIfMoved(ctx context.Context, workflowID string, rules []records.DeadlineRule) error {
	if len(rules) == 0 || a.Temporal == nil { // no client: a test worker, told by the test itself
		return nil
	}
	cal, err := a.Calendars.Current(ctx)
	if err != nil {
		return err
	}
	computed, moves := RecomputeRules(cal, cal.Version(), rules, a.Clock.Now())
	if !moves {
		return nil
	}
	err = a.Temporal.SignalWorkflow(ctx, workflowID, "", workflows.SignalCalendarChanged,
		records.CalendarChanged{Version: cal.Version(), Computed: computed})
	if err != nil && !isNotFound(err) { // a process that ended needs nothing
		return fmt.Errorf("tell %s of calendar %d: %w", workflowID, cal.Version(), err)
	}
	return nil
}
