package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Deadline is one tracked deadline of a process: the rule that computed it,
// the computed value and its alerts, and how far the process has got through
// them. It is plain data, carried across continue-as-new.
type Deadline struct {
	Key      string            `json:"key"` // unique within the process, e.g. county_review or objection:OB1
	Rule     deadline.Rule     `json:"rule"`
	Schedule deadline.Schedule `json:"schedule"`
	Done     int               `json:"done"` // alerts handled (sent or skipped)
	Expired  bool              `json:"expired"`
	// Action names what must be done, in Chinese, for messages (e.g. 初审).
	Action string `json:"action"`
	// Audiences are told of reminders; escalations go to the supervisor and
	// the city bureau as well. Empty for a period that needs no one to act
	// (the public notice).
	Audiences []string `json:"audiences,omitempty"`
	// Reason is why a matter was opened (a proposal's reason codes).
	Reason string `json:"reason,omitempty"`
	// Opened is the day the deadline was armed (empty on deadlines armed
	// before it was kept).
	Opened calendar.Date `json:"opened,omitempty"`
}

// Value is the computed deadline.
func (d *Deadline) Value() calendar.Deadline { return d.Schedule.Deadline }

// deadlineHost is what the deadline component needs from its process.
type deadlineHost interface {
	now(ctx workflow.Context) time.Time
	notifyBase() records.NotifyRequest
	workflowID() string
}

// deadlines is the one deadline component of every process: a set of
// durable deadlines with reminders before, an expiry at 24:00 of the due
// day and escalations after, re-armed when the calendar changes.
type deadlines struct {
	Items []*Deadline `json:"items"`
	// CalendarVersion is the newest calendar version the process was told of.
	CalendarVersion int `json:"calendar_version"`
	// Revisions counts the steps that recorded deadlines moved by a
	// calendar revision, each keyed by its number (revisionKey).
	Revisions int `json:"revisions,omitempty"`
	// told is what the calendar-changed signal of CalendarVersion carried
	// already computed, by deadline key, until the next recompute uses it.
	told map[string]records.ComputedDeadline
}

// revisionKey is the key of the next step that records deadlines moved by
// a calendar revision. One revision may move deadlines in two passes (a
// newer version told while the first pass computed): numbered, the second
// is a step of its own, not taken by the store for the first one retried —
// and a workflow task retried computes the same number again, where an
// instant would differ.
func (ds *deadlines) revisionKey() string {
	ds.Revisions++
	return fmt.Sprintf("calendar-%d#%d", ds.CalendarVersion, ds.Revisions)
}

func (ds *deadlines) get(key string) *Deadline {
	for _, d := range ds.Items {
		if d.Key == key {
			return d
		}
	}
	return nil
}

func (ds *deadlines) remove(key string) {
	out := ds.Items[:0]
	for _, d := range ds.Items {
		if d.Key != key {
			out = append(out, d)
		}
	}
	ds.Items = out
}

// expired reports whether the deadline key has passed.
func (ds *deadlines) expired(key string) bool {
	d := ds.get(key)
	return d != nil && d.Expired
}

// anyExpired reports whether a deadline has passed.
func (ds *deadlines) anyExpired() bool {
	return slices.ContainsFunc(ds.Items, func(d *Deadline) bool { return d.Expired })
}

// values lists the open deadlines for views and records.
func (ds *deadlines) values() []calendar.Deadline {
	out := make([]calendar.Deadline, 0, len(ds.Items))
	for _, d := range ds.Items {
		out = append(out, d.Value())
	}
	return out
}

// rules lists the running deadlines' rules for the step's record, never nil
// (nil would mean "not kept"): a calendar revision recomputes them from the
// store to find the processes whose deadlines move, and wakes only those.
// Adding them to the activity's input changes no command: replay compares
// an activity's type and ID, not its input.
func (ds *deadlines) rules() []records.DeadlineRule {
	out := []records.DeadlineRule{}
	for _, d := range ds.Items {
		if !d.Expired {
			v := d.Value()
			out = append(out, records.DeadlineRule{Key: d.Key, Rule: d.Rule, Due: v.Due, CalendarVersion: v.CalendarVersion})
		}
	}
	return out
}

// next is the earliest alert not yet handled, with its deadline.
func (ds *deadlines) next() (*Deadline, deadline.Alert, bool) {
	var next *Deadline
	var alert deadline.Alert
	for _, d := range ds.Items {
		if d.Done < len(d.Schedule.Alerts) {
			a := d.Schedule.Alerts[d.Done]
			if next == nil || a.At.Before(alert.At) {
				next, alert = d, a
			}
		}
	}
	return next, alert, next != nil
}

// due reports whether the process has a step of its own to take on ds:
// an alert whose time has come, or a deadline computed on an older calendar
// than the newest it knows.
func (ds *deadlines) due(now time.Time) bool {
	if _, a, ok := ds.next(); ok && !a.At.After(now) {
		return true
	}
	return ds.stale()
}

// stale reports whether a running deadline was computed on an older
// calendar than the newest the process knows.
func (ds *deadlines) stale() bool {
	return slices.ContainsFunc(ds.Items, func(d *Deadline) bool {
		return !d.Expired && d.Value().CalendarVersion < ds.CalendarVersion
	})
}

// nextDue is the NextDeadline search attribute: the end of the earliest
// deadline someone still has to act on — kept after it passes, so that
// `NextDeadline < now` lists what is overdue — or else of the earliest
// running period (a notice).
func (ds *deadlines) nextDue() (time.Time, bool) {
	if at, ok := ds.nextOfficerDue(); ok {
		return at, true
	}
	var at time.Time
	found := false
	for _, d := range ds.Items {
		if !d.Expired && (!found || d.Schedule.Deadline.DueAt.Before(at)) {
			at, found = d.Schedule.Deadline.DueAt, true
		}
	}
	return at, found
}

// nextOfficerDue is when the earliest deadline someone must act on ends,
// passed or not.
func (ds *deadlines) nextOfficerDue() (time.Time, bool) {
	var at time.Time
	found := false
	for _, d := range ds.Items {
		if len(d.Audiences) > 0 && (!found || d.Value().DueAt.Before(at)) {
			at, found = d.Value().DueAt, true
		}
	}
	return at, found
}

// listenForCalendarChanges takes the calendar-changed signal and Update: a
// newer version is noted and the process woken (wake), so its next wait
// recomputes the deadlines that used an older or provisional calendar. The
// Update's handler only notes the version; the re-arm follows in the same
// workflow task unless the process is busy with a step of its own.
func (ds *deadlines) listenForCalendarChanges(ctx workflow.Context, wake *int) error {
	ch := workflow.GetSignalChannel(ctx, SignalCalendarChanged)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			// Waits without receiving: blocked in Receive, the listener
			// would be handed a signal that comes with the run's last
			// workflow task and never run again to take it. Left in the
			// channel, it is taken there (takePendingCalendarChanges).
			if err := workflow.Await(ctx, func() bool { return ch.Len() > 0 }); err != nil {
				return // the run is cancelled
			}
			var sig records.CalendarChanged
			for ch.ReceiveAsync(&sig) {
				ds.takeCalendarChange(sig, wake)
			}
		}
	})
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateCalendarChanged,
		func(ctx workflow.Context, sig records.CalendarChanged) error {
			ds.takeCalendarChange(sig, wake)
			return nil
		},
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, sig records.CalendarChanged) error {
			if sig.Version <= ds.CalendarVersion {
				return temporal.NewApplicationError(fmt.Sprintf("已知节假日安排第 %d 版", ds.CalendarVersion), CalendarKnownError)
			}
			return nil
		}})
}

// takePendingCalendarChanges takes the calendar-changed signals delivered
// and not yet taken by the listener, before a run hands its state on: a
// signal that comes with the run's last workflow task is delivered as the
// run decides to continue as new, before the listener runs, and would end
// with the run — the next would keep its deadlines on the older calendar
// (changeCalendarTakenBeforeContinue). The version noted is carried; the
// next run recomputes what it computed on an older one.
func (ds *deadlines) takePendingCalendarChanges(ctx workflow.Context, wake *int) {
	ch := workflow.GetSignalChannel(ctx, SignalCalendarChanged)
	if ch.Len() == 0 ||
		workflow.GetVersion(ctx, changeCalendarTakenBeforeContinue, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return
	}
	var sig records.CalendarChanged
	for ch.ReceiveAsync(&sig) {
		ds.takeCalendarChange(sig, wake)
	}
}

// takeCalendarChange notes a newer calendar version, with what its sender
// computed, and wakes the process; an older or known version changes
// nothing.
func (ds *deadlines) takeCalendarChange(sig records.CalendarChanged, wake *int) {
	if sig.Version <= ds.CalendarVersion {
		return
	}
	ds.CalendarVersion = sig.Version
	ds.told = map[string]records.ComputedDeadline{}
	for _, c := range sig.Computed {
		ds.told[c.Key] = c
	}
	*wake++
}

// computeDeadline runs the calendar in an activity, so the result is
// recorded in history and replays identically.
func computeDeadline(ctx workflow.Context, rule deadline.Rule) (deadline.Schedule, error) {
	var s deadline.Schedule
	err := execute(ctx, computing, ActivityComputeDeadline, rule).Get(ctx, &s)
	return s, err
}

// arm computes and tracks a new deadline. Reminders whose time has already
// passed are skipped; the expiry and escalations never are.
func (ds *deadlines) arm(ctx workflow.Context, h deadlineHost, key, action string, audiences []string, rule deadline.Rule) (*Deadline, error) {
	s, err := computeDeadline(ctx, rule)
	if err != nil {
		return nil, fmt.Errorf("compute deadline %s: %w", key, err)
	}
	d := &Deadline{Key: key, Rule: rule, Schedule: s, Action: action, Audiences: audiences, Opened: calendar.DateOf(h.now(ctx))}
	d.skipPastReminders(h.now(ctx))
	ds.remove(key)
	ds.Items = append(ds.Items, d)
	return d, nil
}

func (d *Deadline) skipPastReminders(now time.Time) {
	for d.Done < len(d.Schedule.Alerts) {
		a := d.Schedule.Alerts[d.Done]
		if a.Kind != deadline.AlertReminder || !a.At.Before(now) {
			return
		}
		d.Done++
	}
}

// recompute re-arms every deadline computed with an older or provisional
// calendar when a newer calendar version is known; it returns the deadlines
// whose due day changed.
func (ds *deadlines) recompute(ctx workflow.Context, h deadlineHost) ([]*Deadline, error) {
	var changed []*Deadline
	// Version 1: a deadline is recomputed only when a newer calendar is
	// known; before, a provisional one was recomputed on every wake-up.
	// Version 2: with the schedule the signal carried, when it did.
	version := getVersion(ctx, changeRecomputeOnlyNewer)
	onlyNewer := version >= 1
	for _, d := range ds.Items {
		v := d.Schedule.Deadline
		stale := v.CalendarVersion < ds.CalendarVersion || (!onlyNewer && v.Provisional)
		if d.Expired || !stale {
			continue
		}
		if !v.DueAt.After(h.now(ctx)) && workflow.GetVersion(ctx, changeRanOutNeverMoves, workflow.DefaultVersion, 1) == 1 {
			// Ran out before the process took the revision (a worker away
			// at its end, the revision and the timer in one task): it
			// stands and expires now, as one taken in time would have — a
			// revision moves deadlines still running, never reopens one.
			d.Schedule.Deadline.CalendarVersion = ds.CalendarVersion
			continue
		}
		s, ok := ds.toldSchedule(d)
		if !ok || version < recomputeWithCarried {
			var err error
			if s, err = computeDeadline(ctx, d.Rule); err != nil {
				return changed, err
			}
		}
		if s.Deadline.Due == v.Due {
			d.Schedule.Deadline = s.Deadline // same day, newer version
			continue
		}
		if KeepsDay(d.Key, v, s.Deadline, h.now(ctx)) &&
			workflow.GetVersion(ctx, changeNoMoveIntoThePast, workflow.DefaultVersion, 1) == 1 {
			// A revision (a day off taken back) would end the period
			// already: the day the process gave stands, or the step the
			// person was told they had until today would lapse at once.
			// Kept, the day is no longer provisional: it never moves again.
			d.Schedule.Deadline.CalendarVersion = s.Deadline.CalendarVersion
			d.Schedule.Deadline.Provisional = s.Deadline.Provisional
			continue
		}
		d.Schedule, d.Done = s, 0
		d.skipPastReminders(h.now(ctx))
		changed = append(changed, d)
	}
	ds.told = nil
	return changed, nil
}

// KeepsDay reports whether a revision leaves a running deadline's day where
// the process put it, though the revised calendar gives another (RULES §5):
// when it would move earlier, to a day already over at instant at. A day
// that opens a window (a renewal's, an evaluation's) moves all the same:
// the window opens now, rather than later than the rules allow.
func KeepsDay(key string, was, revised calendar.Deadline, at time.Time) bool {
	return revised.Due.Before(was.Due) && !revised.DueAt.After(at) && !opensWindow[key]
}

// opensWindow are the deadlines whose day opens a window for a decision,
// rather than ending a period someone acts within.
var opensWindow = map[string]bool{keyRenewalWindow: true, keyEvaluationWindow: true}

// toldSchedule is d's schedule as the calendar-changed signal carried it,
// when it was computed for d's rule under the calendar the process was told
// of (or a newer one): what computeDeadline would return, without the
// local activity.
func (ds *deadlines) toldSchedule(d *Deadline) (deadline.Schedule, bool) {
	c, ok := ds.told[d.Key]
	if !ok || c.Schedule.Deadline.CalendarVersion < ds.CalendarVersion || !sameRule(c.Rule, d.Rule) {
		return deadline.Schedule{}, false
	}
	return c.Schedule, true
}

// sameRule reports whether two rules compute the same deadline.
func sameRule(a, b deadline.Rule) bool {
	return a.Kind == b.Kind && a.From == b.From && a.Period == b.Period && a.N == b.N && a.County == b.County &&
		slices.Equal(a.Alerts.LeadDays, b.Alerts.LeadDays) &&
		a.Alerts.EscalateEvery == b.Alerts.EscalateEvery && a.Alerts.EscalateMax == b.Alerts.EscalateMax
}

// handleDueAlerts handles every alert whose time has come by upTo (now, or
// expiryHorizon's instant): reminders and escalations go to the outbox; the
// due alert marks the deadline expired. It returns the deadlines that
// expired now.
func (ds *deadlines) handleDueAlerts(ctx workflow.Context, h deadlineHost, upTo time.Time) ([]*Deadline, error) {
	now := h.now(ctx)
	var expired []*Deadline
	for _, d := range ds.Items {
		for d.Done < len(d.Schedule.Alerts) && !d.Schedule.Alerts[d.Done].At.After(upTo) {
			a := d.Schedule.Alerts[d.Done]
			switch a.Kind {
			case deadline.AlertDue:
				d.Expired = true
				expired = append(expired, d)
			case deadline.AlertReminder, deadline.AlertEscalation:
				if len(d.Audiences) > 0 && !repeatedNow(ctx, d, now) {
					if err := notifyAlert(ctx, h, d, a); err != nil {
						return expired, err
					}
				}
			}
			d.Done++
		}
	}
	return expired, nil
}

// expiryHorizon is how far a pass of handleDueAlerts goes: now, or — where
// deadlines ran out at different instants before the process could take
// them (a worker away for days) — the earliest of those ends, so that each
// lapse takes effect on the brand as the earlier ones left it: a report
// missed while the brand was suspended is an order of its own though the
// suspension's end, days later, is taken in the same wake. The later ends
// follow in the passes after (version expiry-in-due-order, asked only
// where ends differ; before, all were taken in the order they were armed).
func (ds *deadlines) expiryHorizon(ctx workflow.Context, now time.Time) time.Time {
	var ends []time.Time
	for _, d := range ds.Items {
		for _, a := range d.Schedule.Alerts[d.Done:] {
			if a.At.After(now) {
				break
			}
			if a.Kind == deadline.AlertDue {
				ends = append(ends, a.At)
				break
			}
		}
	}
	if len(ends) < 2 {
		return now
	}
	first := slices.MinFunc(ends, time.Time.Compare)
	if !slices.ContainsFunc(ends, first.Before) {
		return now // all at one instant: taken in one pass, as before
	}
	if workflow.GetVersion(ctx, changeExpiryInDueOrder, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return now
	}
	return first
}

// repeatedNow reports whether d's next alert is repeated by the one after
// it, of its kind and due now too: only the later is sent (version
// one-alert-at-once, asked only then).
//
// now is the process's, not a pass's horizon (expiryHorizon): an alert a
// later one repeats by now is not sent, though that one waits for a later
// pass.
func repeatedNow(ctx workflow.Context, d *Deadline, now time.Time) bool {
	if d.Done+1 >= len(d.Schedule.Alerts) {
		return false
	}
	a, next := d.Schedule.Alerts[d.Done], d.Schedule.Alerts[d.Done+1]
	if next.Kind != a.Kind || next.At.After(now) {
		return false
	}
	return workflow.GetVersion(ctx, changeOneAlertAtOnce, workflow.DefaultVersion, 1) == 1
}

func notifyAlert(ctx workflow.Context, h deadlineHost, d *Deadline, a deadline.Alert) error {
	r := h.notifyBase()
	r.DedupeKey = fmt.Sprintf("%s/%s/%s/%d", h.workflowID(), d.Key, d.Value().Due, a.Seq)
	r.Kind, r.Action, r.Due, r.At = a.Kind, d.Action, d.Value().Due.String(), a.At
	r.Audiences = d.Audiences
	if len(d.Audiences) > 0 {
		r.Doer = d.Audiences[0]
	}
	if a.Kind == deadline.AlertEscalation {
		r.Audiences = append(append([]string{}, d.Audiences...), "supervisor", "city_officer")
		r.Audiences = uniqueStrings(r.Audiences)
	}
	summary := "发送：" + alertSummary(d, a)
	if getVersion(ctx, changeLocalNotify) == 1 {
		// Sent by the worker within the task that handles the alert, as
		// the process's other own steps are: its key is the alert's, so a
		// task retried sends it once.
		local, remote := recording.local, recording.remote
		local.Summary, remote.Summary = summary, summary
		return localThenRemote(ctx, local, remote, ActivityNotify, r).Get(ctx, nil)
	}
	opts := recording.remote
	opts.Summary = summary
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), ActivityNotify, r).Get(ctx, nil)
}

func uniqueStrings(in []string) []string {
	var out []string
	for _, s := range in {
		dup := false
		for _, o := range out {
			dup = dup || o == s
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

// TaskKinds are the kinds of work-queue entries: the keys of the deadlines
// someone acts on, a keyed one (KeyedTaskKinds) followed by ":" and its id.
var TaskKinds = []string{keyCountyReview, keyResubmission, "expert_opinion", keyCityReview,
	strings.TrimSuffix(keyObjection, ":"), strings.TrimSuffix(keyObjectionDay, ":"),
	keyEvaluationReport, keyEvaluationAssessment, keyRectification, keyInterview, keySuspensionDecision,
	keyRenewalDecision, keyRemovalDecision, strings.TrimSuffix(keyChange, ":"), strings.TrimSuffix(keyReportTriage, ":")}

// KeyedTaskKinds are the task kinds that also come keyed: an objection's
// ruling, a day's, a late-information order beside another
// (rectification:<finding>), a change request's opinion, a report's triage,
// an unassessed report set aside by the next window
// (evaluation_assessment:<report>).
var KeyedTaskKinds = []string{strings.TrimSuffix(keyObjection, ":"), strings.TrimSuffix(keyObjectionDay, ":"),
	keyRectification, strings.TrimSuffix(keyChange, ":"), strings.TrimSuffix(keyReportTriage, ":"), keyEvaluationAssessment}

// tasks lists the work-queue entries of the deadlines someone must act on:
// one per audience, a holder's assigned by its USCC. Never nil, so that a
// step with no open deadline clears the queue.
func (ds *deadlines) tasks(objectType, objectID, brandName, county, uscc string) []records.Task {
	out := []records.Task{}
	for _, d := range ds.Items {
		for _, aud := range d.Audiences {
			t := records.Task{Kind: d.Key, ObjectType: objectType, ObjectID: objectID, BrandName: brandName,
				CountyCode: county, Audience: aud, Due: d.Value().Due.String(), DueAt: d.Value().DueAt,
				Provisional: d.Value().Provisional}
			if aud == "applicant" {
				t.Assignee = uscc
			}
			out = append(out, t)
		}
	}
	return out
}
