package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
)

// process is the skeleton every laborbrand workflow shares: business time,
// its own workflow ID and county, a change counter its waits watch, and the
// count of Updates still writing a decision. The application and brand
// workflows embed it and add their own state and steps.
type process struct {
	clock  clock.Clock
	id     string // workflow ID
	county string // the county calendar that deadlines use
	// changes grows whenever a message changes the state, so that a wait
	// re-evaluates its condition and its next alert.
	changes int
	// writing counts Updates still writing a decision the process reacts
	// to; meanwhile it takes no step of its own (see holdSteps).
	writing int
	// writes are the decisions' writes the process still has to make
	// itself (changeDecisionWritesByCaller); each counts in writing.
	writes writeQueue
	// stepping is set while the process takes a step of its own (a lapse
	// taking effect, deadlines re-armed, reports read); meanwhile a decision
	// waits (afterSteps).
	stepping bool
	// alert is the timer of the next alert, kept across wake-ups
	// (changeWaitTimersCancelled).
	alert *alertTimer
	// deciding counts the decisions under way (oneDecisionAtATime).
	deciding int
	// ending is set once the run waits to end (awaitEnd): it takes no
	// step of its own any more, so a decision waiting for one stops
	// waiting (afterLapses).
	ending bool
}

func newProcess(c clock.Clock, workflowID, county string) process {
	return process{clock: c, id: workflowID, county: county}
}

func (p *process) now(ctx workflow.Context) time.Time { return p.clock.At(workflow.Now(ctx)) }

func (p *process) today(ctx workflow.Context) calendar.Date { return calendar.DateOf(p.now(ctx)) }

func (p *process) workflowID() string { return p.id }

// rule is a deadline rule counted on the process's county calendar: a
// period the holder acts within, or nobody.
func (p *process) rule(kind string, from calendar.Date, period deadline.Period, n int, alerts deadline.AlertPolicy) deadline.Rule {
	return p.ruleOn(p.county, kind, from, period, n, alerts)
}

// ruleOn is a deadline rule counted on county's calendar (CityCalendar:
// the national schedule alone).
func (p *process) ruleOn(county, kind string, from calendar.Date, period deadline.Period, n int, alerts deadline.AlertPolicy) deadline.Rule {
	return deadline.Rule{Kind: kind, From: from, Period: period, N: n, County: county, Alerts: alerts}
}

// CityCalendar is the county of a rule counted on the city's calendar:
// the national schedule alone, without any county's local days off.
const CityCalendar = ""

// calendarOf is the county whose calendar counts a period that audience
// acts within (RULES §5, decision: a period is counted on the calendar of
// those who act in it): the city's for the city, the bureau's for a county
// officer (a functional zone's is the bureau that looks after it), the
// process's own county for anyone else. Before changeCalendarOfWhoActs,
// every period was counted on the process's county; asked only where the
// two differ.
func (p *process) calendarOf(ctx workflow.Context, audience auth.Role, bureau string) string {
	county := p.county
	switch audience {
	case auth.CityOfficer:
		county = CityCalendar
	case auth.CountyOfficer:
		county = bureau
	}
	if county == p.county ||
		workflow.GetVersion(ctx, changeCalendarOfWhoActs, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return p.county
	}
	return county
}

// holdSteps keeps the process from taking its next step until the calling
// Update has recorded its decision, so that records follow the order of
// events. Call as defer p.holdSteps()().
func (p *process) holdSteps() func() {
	p.writing++
	return func() { p.writing--; p.changes++ }
}

// ownStep marks a step of the process's own under way until the returned
// func is called: decisions wait for it (afterSteps), as it waited for them.
func (p *process) ownStep() func() {
	p.stepping = true
	return func() { p.stepping = false }
}

// afterSteps makes a decision wait until the process's own step under way
// has ended. Without it a decision could run while the step was waiting for
// an activity, and the step then finish on the state the decision had
// changed — a removal closing every matter, and a lapse arming a new
// rectification after it. Histories recorded before it replay without the
// wait (changeDecisionsAfterSteps).
func (p *process) afterSteps(ctx workflow.Context) error {
	if getVersion(ctx, changeDecisionsAfterSteps) == workflow.DefaultVersion {
		return nil
	}
	return workflow.Await(ctx, func() bool { return !p.stepping })
}

// oneDecisionAtATime makes a decision wait until the decision under way has
// been applied, and counts it under way until the returned func is called.
// A decision that waits for an activity (a resubmission's name check, an
// expert draw) has changed the state by then, and may yet undo the change:
// one that came meanwhile was validated against that half-applied state,
// and applied on it would be lost by the undo though its record is written.
// Waiting, it is checked again (recheck) against the state the first one
// leaves. Histories recorded before replay without the wait
// (changeOneDecisionAtATime).
func (p *process) oneDecisionAtATime(ctx workflow.Context) (func(), error) {
	if p.deciding > 0 && workflow.GetVersion(ctx, changeOneDecisionAtATime, workflow.DefaultVersion, 1) == 1 {
		if err := workflow.Await(ctx, func() bool { return p.deciding == 0 }); err != nil {
			return func() {}, err
		}
	}
	p.deciding++
	return func() { p.deciding-- }, nil
}

// settled reports whether no Update is still writing.
func (p *process) settled() bool { return p.writing == 0 }

// awaitChange is the one way a process waits: until woken reports a change,
// or — when armed — until the next alert of ds is due, whichever comes
// first. The alert's wait is a durable timer raced against the process's
// messages.
func (p *process) awaitChange(ctx workflow.Context, ds *deadlines, armed bool, woken func() bool) error {
	if cancelsWaitTimers(ctx) {
		return p.awaitChangeOrAlert(ctx, ds, armed, woken)
	}
	if dl, alert, ok := ds.next(); ok && armed {
		if d := p.clock.WallDuration(alert.At.Sub(p.now(ctx))); d > 0 {
			// The timer's summary is what the UI shows for it; replay
			// ignores it, as it ignores AwaitWithTimeout's own.
			_, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: d,
				TimerOptions: workflow.TimerOptions{Summary: alertSummary(dl, alert)}}, woken)
			return err
		}
		return nil
	}
	return workflow.Await(ctx, woken)
}

// describe sets the current details the UI shows for the process: one
// Markdown line each. Replay ignores them.
func (p *process) describe(ctx workflow.Context, ls ...string) {
	workflow.SetCurrentDetails(ctx, lines(ls...))
}

// upsertSearch keeps the search attributes: attrs, and NextDeadline from ds.
func (p *process) upsertSearch(ctx workflow.Context, ds *deadlines, attrs ...temporal.SearchAttributeUpdate) error {
	next := NextDeadlineKey.ValueUnset()
	if at, ok := ds.nextDue(); ok {
		next = NextDeadlineKey.ValueSet(at)
	}
	return workflow.UpsertTypedSearchAttributes(ctx, append(attrs, next)...)
}

// continueAsNew waits until every Update has finished and none is writing,
// then continues as new with the input made after the wait: a decision
// applied while the process waited is carried, not lost — and so is a
// calendar revision signalled in the run's last moments, which the
// listener of ds had not yet received (takePendingCalendarChanges).
func (p *process) continueAsNew(ctx workflow.Context, ds *deadlines, fn any, input func() any) error {
	if err := p.awaitEnd(ctx); err != nil {
		return err
	}
	ds.takePendingCalendarChanges(ctx, &p.changes)
	return workflow.NewContinueAsNewError(ctx, fn, input())
}

// awaitEnd waits, before a run ends, until every Update has finished and
// every decision's write is on record.
func (p *process) awaitEnd(ctx workflow.Context) error {
	p.ending = true
	if writesWhenNeeded(ctx) {
		p.askForWrites()
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && p.settled() })
}

// update is one decision a process takes: its Update name, the handler that
// applies it and the validator that refuses it first. Validators only read
// state, so a refused Update leaves no trace in history.
type update struct {
	name      string
	handler   any
	validator any
}

// recheck is the start of every decision's handler: the decision is checked
// again against the state the handler finds. Updates validated together
// run one after another, and the first may change what the next was
// validated against — twenty identical approvals sent at once pass twenty
// validators, but only the first is applied; the others are refused before
// anything of them is recorded. Histories recorded before the check replay
// without it.
func recheck[R any](ctx workflow.Context, validate func(workflow.Context, R) error, r R) error {
	if getVersion(ctx, changeRecheckDecisions) == workflow.DefaultVersion {
		return nil
	}
	return validate(workflow.WithValue(ctx, rechecking{}, true), r)
}

// rechecking marks a validator's context when the handler rechecks, which
// replay repeats (ruleChanged).
type rechecking struct{}

// ruleChanged reports whether a validator applies its rule as changed by
// change. When the Update is validated, always: a refusal there leaves no
// trace in history. When its handler rechecks it, which replay repeats,
// only from the version that changed the rule: a history recorded before
// keeps the refusal, or the acceptance, it had. Asked only where the old
// rule and the new one differ.
func ruleChanged(ctx workflow.Context, change string) bool {
	if ctx.Value(rechecking{}) == nil {
		return true
	}
	return workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == 1
}

// rechecked wraps handler apply so that it rechecks its decision first; its
// result carries the writes left to the caller.
func rechecked[R any](p *process, validate func(workflow.Context, R) error, apply func(workflow.Context, R) (DecisionResult, error),
	result func() DecisionResult) func(workflow.Context, R) (DecisionResult, error) {
	return func(ctx workflow.Context, r R) (DecisionResult, error) {
		done, err := p.oneDecisionAtATime(ctx)
		defer done()
		if err != nil {
			return result(), err
		}
		if err := p.awaitWrites(ctx); err != nil {
			return result(), err
		}
		if err := recheck(ctx, validate, r); err != nil {
			return result(), err
		}
		ctx, d := p.withDecision(ctx)
		res, err := apply(ctx, r)
		res.Writes = d.end(err)
		return res, err
	}
}

// registerUpdates registers each decision's handler with its validator.
func registerUpdates(ctx workflow.Context, updates []update) error {
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler,
			workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return err
		}
	}
	return nil
}
