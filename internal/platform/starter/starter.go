// Package starter starts the process of every stored submission, and the
// fan-out of every calendar revision. The API stores a submission or a
// revision first and starts its process after the commit, so one that fails
// to commit leaves no process behind; the starter's sweep starts any process
// the API could not (Temporal unreachable, the API stopped between the
// commit and the start). An objection is stored the same way before its
// process hears of its day, and the sweep tells any day the API could not;
// so too a holder's change request or development report (untold.go).
package starter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/sweep"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Starter starts application processes and calendar fan-outs on TaskQueue.
type Starter struct {
	Temporal  client.Client
	Store     *store.Store
	TaskQueue string
	Log       *slog.Logger
	// At is the business clock at a wall instant (clock.Clock.At), which
	// dates an objection's storing: the wall's own time when nil.
	At func(wall time.Time) time.Time
	// Writes makes the writes a record's Update left to its caller
	// (worker.DecisionWriter); without it, the writes sweep has the
	// process make them.
	Writes interface {
		Write(ctx context.Context, ws []records.Write) error
	}

	// fannedOut is the newest calendar version whose fan-out this starter
	// found completed; started, the one whose fan-out it last started. Run's
	// sweep only: not safe for concurrent use.
	fannedOut, started int
}

// StartCalendarFanout starts the fan-out that tells open processes of
// calendar version, or finds it: one run per version, run again only if it
// failed, was cancelled or terminated, or timed out.
func (s *Starter) StartCalendarFanout(ctx context.Context, version int) error {
	_, err := s.startFanout(ctx, version)
	return err
}

// SweepCalendarFanout starts the fan-out of the current calendar version
// unless this starter has found it completed, or its revision was stored
// less than grace ago (the API may still be starting it); it reports
// whether it started one. A run started or found running is looked at again
// by the next sweep, so that one that fails or is terminated is run again.
// Once a worker found it completed it asks no more, and a fan-out closed and
// past retention runs again, telling no process: each has that version by
// then.
func (s *Starter) SweepCalendarFanout(ctx context.Context, grace time.Duration) (started bool, err error) {
	version, age, err := s.Store.CalendarVersionAge(ctx)
	if err != nil || version <= s.fannedOut || age < grace {
		return false, err
	}
	if started, err = s.startFanout(ctx, version); err != nil {
		return false, err
	}
	if started {
		s.started = version
		return true, nil
	}
	found, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.CalendarFanoutWorkflowID(s.TaskQueue, version), "")
	if err != nil {
		return false, fmt.Errorf("calendar fan-out of version %d: %w", version, err)
	}
	// Running, or closed since the start was refused: the next sweep looks
	// again, and starts one that did not complete.
	if found.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		// Noted in the store too: a fan-out run by a worker from before
		// fanned_out existed completed without noting it.
		if err := s.Store.MarkCalendarFannedOut(ctx, version); err != nil {
			return false, err
		}
		s.fannedOut = version
	}
	return false, nil
}

// startFanout starts version's fan-out, and reports whether it started one
// (false: a run of it was found).
func (s *Starter) startFanout(ctx context.Context, version int) (bool, error) {
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.CalendarFanoutWorkflowID(s.TaskQueue, version), TaskQueue: s.TaskQueue,
		StaticSummary:                            workflows.CalendarFanoutSummary(version),
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.CalendarFanoutWorkflow, version)
	var found *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &found):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("start calendar fan-out of version %d: %w", version, err)
	}
	return true, nil
}

// StartBureauFanout starts the telling of a functional zone's revision to
// its open processes, or finds it started (RULES §1).
func (s *Starter) StartBureauFanout(ctx context.Context, r records.BureauFanout) (workflowID string, err error) {
	workflowID = workflows.BureauFanoutWorkflowID(s.TaskQueue, r.Zone, r.Revision)
	_, err = s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflowID, TaskQueue: s.TaskQueue, StaticSummary: workflows.BureauFanoutSummary(r),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
	}, workflows.BureauFanoutWorkflow, r)
	var done *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &done) { // completed: the revision was told
		return workflowID, nil
	}
	if err != nil {
		return "", fmt.Errorf("start the bureau fan-out of %s revision %d: %w", r.Zone, r.Revision, err)
	}
	return workflowID, nil
}

// SweepBureauFanouts starts the telling of each zone's revision that was
// saved at least grace ago and not yet told (the API could not start it);
// it returns how many it started or found running.
func (s *Starter) SweepBureauFanouts(ctx context.Context, grace time.Duration) (int, error) {
	untold, err := s.Store.ReviewUnitsUntold(ctx, grace)
	if err != nil {
		return 0, err
	}
	for i, u := range untold {
		if _, err := s.StartBureauFanout(ctx, records.BureauFanout{Zone: u.Code, Bureau: u.ReviewerCode, Revision: u.Revision}); err != nil {
			return i, err
		}
	}
	return len(untold), nil
}

// Start starts the process of application in.ApplicationID, or finds it
// started already, and marks it started. It returns the process's run, so
// that the caller's first Update can go to it (update.ToRun).
func (s *Starter) Start(ctx context.Context, in workflows.ApplicationInput) (runID string, err error) {
	run, err := s.Temporal.ExecuteWorkflow(ctx, workflows.ApplicationStartOptions(in, s.TaskQueue), workflows.ApplicationWorkflow, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		runID = run.GetRunID()
	case errors.As(err, &started):
		runID = started.RunId
	default:
		return "", fmt.Errorf("start process of %s: %w", in.ApplicationID, err)
	}
	return runID, s.Store.MarkStarted(ctx, in.ApplicationID)
}

// StartToFirstStage starts the process of application in, or finds it
// running, and waits for its first stage in the same request: the start and
// the ready Update go to Temporal together (Update-with-Start), so the
// process records its first stage and answers the Update in its first
// workflow task — one call and one workflow task fewer than a start followed
// by the Update. It marks the process started once Temporal has it. ready
// reports whether the first stage was recorded within ctx. An error leaves
// the start to the sweep.
func (s *Starter) StartToFirstStage(ctx context.Context, in workflows.ApplicationInput) (ready bool, err error) {
	opts := workflows.ApplicationStartOptions(in, s.TaskQueue)
	// A process the sweep started meanwhile takes the Update instead.
	opts.WorkflowIDConflictPolicy = enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING
	start := s.Temporal.NewWithStartWorkflowOperation(opts, workflows.ApplicationWorkflow, in)
	h, err := s.Temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions:          client.UpdateWorkflowOptions{UpdateName: workflows.UpdateReady, WaitForStage: client.WorkflowUpdateStageCompleted},
	})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &started):
		// Its process ran and closed: it was started.
		return false, s.Store.MarkStarted(ctx, in.ApplicationID)
	case err != nil:
		return false, fmt.Errorf("start process of %s: %w", in.ApplicationID, err)
	}
	if err := s.Store.MarkStarted(ctx, in.ApplicationID); err != nil {
		return false, err
	}
	return h.Get(ctx, nil) == nil, nil
}

// Sweep starts the processes of submissions stored at least grace ago and
// not marked started; it returns how many it started.
func (s *Starter) Sweep(ctx context.Context, grace time.Duration) (int, error) {
	pending, err := s.Store.PendingStarts(ctx, grace, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error // one failing start does not hold back the others
	for _, p := range pending {
		var in workflows.ApplicationInput
		if err := json.Unmarshal(p.Input, &in); err != nil || in.ApplicationID != p.ApplicationID {
			errs = append(errs, fmt.Errorf("process input of %s unreadable (%v)", p.ApplicationID, err))
			continue
		}
		if _, err := s.Start(ctx, in); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// SweepObjectionDays tells processes the days of the objections the API
// stored at least grace ago and could not tell (Temporal unreachable, the
// API stopped between the two), as the API would have: the same Update
// under the same ID, which Temporal applies once, so a day the API is still
// telling is told once; so too an objection that came after its day's others
// were all ruled, whose telling opens the day again. A day whose objections its process finds filed
// outside the notice has its drafts dropped, as the API drops them; any
// other refusal (a process ahead of the record, say) leaves them for the
// next sweep. Drafts of an application whose process is over are dropped
// (store.DropClosedDrafts): no process will hear them, and their filers
// were answered with an error, never a receipt. Each call is bounded, so
// that one process that cannot answer does not hold back the others. It
// returns how many days it told.
func (s *Starter) SweepObjectionDays(ctx context.Context, grace time.Duration) (int, error) {
	before := time.Now().Add(-grace)
	if s.At != nil {
		before = s.At(before) // a business clock that runs faster than the wall still leaves grace of the wall's
	}
	// First, as it needs only PostgreSQL: days Temporal cannot be told
	// meanwhile may take the sweep's whole time.
	dropped, dropErr := s.Store.DropClosedDrafts(ctx, before, 100)
	for _, d := range dropped {
		s.Log.Warn("dropped objections never told to a process now over", "application", d.ApplicationID, "received_on", d.ReceivedOn)
	}
	days, err := s.Store.StrandedDays(ctx, before, 100)
	if err != nil {
		return 0, errors.Join(dropErr, err)
	}
	n := 0
	errs := []error{dropErr}
	for _, d := range days {
		if ctx.Err() != nil {
			break // the sweep's time is up: the rest wait for the next
		}
		err := s.tellObjectionDay(ctx, d)
		if err != nil {
			// Behind the others next time (store.StrandedDays), so that a
			// process that cannot answer does not take every sweep's time
			// — nor, with a hundred like it, every sweep's days.
			if err := s.markTried(ctx, d); err != nil {
				errs = append(errs, err)
			}
		}
		var refusal *temporal.ApplicationError
		var r workflows.Rejection
		switch {
		case errors.As(err, &refusal) && workflows.IsRejection(refusal):
			if refusal.Details(&r) == nil && r.Code == workflows.CodeOutsideNotice {
				drop := func() error { return s.Store.DropObjectionDay(ctx, d.ApplicationID, d.ReceivedOn) }
				if d.ObjectionID != "" { // the one objection, never its day's others
					drop = func() error { return s.Store.DropObjection(ctx, d.ObjectionID) }
				}
				if err := drop(); err != nil {
					errs = append(errs, err)
				}
			} else {
				s.Log.Info("objection day refused for now", "application", d.ApplicationID, "received_on", d.ReceivedOn, "refusal", r.Code)
			}
		case err != nil:
			errs = append(errs, fmt.Errorf("objections of %s received %s: %w", d.ApplicationID, d.ReceivedOn, err))
		case d.ObjectionID != "":
			// Its process answered: the day is open for it again.
			if err := s.Store.ObjectionTold(ctx, d.ObjectionID); err != nil {
				errs = append(errs, err)
			}
			n++
		default:
			n++
		}
	}
	return n, errors.Join(errs...)
}

// markTried records a day's failed telling, even when the sweep's time
// ran out during it.
func (s *Starter) markTried(ctx context.Context, d store.StrandedDay) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tellWithin)
	defer cancel()
	return s.Store.StrandedDayTried(ctx, d, time.Now())
}

// tellWithin bounds the telling of one day.
const tellWithin = 5 * time.Second

func (s *Starter) tellObjectionDay(ctx context.Context, d store.StrandedDay) error {
	ctx, cancel := context.WithTimeout(ctx, tellWithin)
	defer cancel()
	updateID := workflows.ObjectionDayUpdateID(d.ReceivedOn)
	if d.ObjectionID != "" { // as the API tells one that opens its day again
		updateID += "/" + d.ObjectionID
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.ApplicationWorkflowID(d.ApplicationID), UpdateName: workflows.UpdateObjectionDay,
		UpdateID: updateID, WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{workflows.ObjectionDayRequest{Actor: workflows.Actor{Sub: auth.SystemActor, Role: string(auth.System)},
			ReceivedOn: d.ReceivedOn, FiledOn: d.FiledOn}},
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

// Run sweeps every interval until ctx ends. A submission's process
// normally starts at once; a sweep finds one only after a failure. grace
// leaves the API the time to finish the start it began (more than its
// Temporal timeout); a start racing the API's is harmless either way, as is
// a calendar fan-out's, which is one per version.
func (s *Starter) Run(ctx context.Context, interval, grace time.Duration) {
	sweep.Every(ctx, interval, func(ctx context.Context) (int, error) {
		// The fan-out first: one call, which a backlog of starts must not
		// leave without time.
		fannedOut, fanErr := s.SweepCalendarFanout(ctx, grace)
		if fannedOut {
			s.Log.Info("started the calendar fan-out the API could not", "version", s.started)
		}
		zones, zoneErr := s.SweepBureauFanouts(ctx, grace)
		if zones > 0 {
			s.Log.Info("telling functional zones' processes their bureau", "zones", zones)
		}
		n, err := s.Sweep(ctx, grace)
		// Half of what is left at most: processes that cannot answer a
		// day's telling leave the records' tellings their time.
		daysCtx, cancel := context.WithTimeout(ctx, time.Until(deadlineOf(ctx))/2)
		told, dayErr := s.SweepObjectionDays(daysCtx, grace)
		cancel()
		if told > 0 {
			s.Log.Info("told processes the days of objections the API could not", "days", told)
		}
		// A record's Update may be sent for up to 2.5 Temporal timeouts
		// (the API's wait for a brand's starting process): three graces.
		filed, untoldErr := s.SweepUntold(ctx, 3*grace)
		if filed > 0 {
			s.Log.Info("told brands' processes of records the API could not", "records", filed)
		}
		return n, errors.Join(fanErr, zoneErr, err, dayErr, untoldErr)
	}, func(n int, err error) {
		if err != nil {
			s.Log.Warn("starting pending processes", "error", err, "started", n)
		} else if n > 0 {
			s.Log.Info("started pending application processes", "started", n)
		}
	})
}

// deadlineOf is ctx's deadline, a minute ahead when it has none.
func deadlineOf(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(time.Minute)
}
