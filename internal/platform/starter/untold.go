package starter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// SweepUntold tells processes of the records holders filed (change
// requests, development reports) and of the city's rulings on objections
// that the API stored at least grace ago and
// could not tell — Temporal unreachable, the API stopped between the two —
// by the Update stored with each, sent again under its own ID: one the
// process took before is answered as applied, never taken twice. A record
// the process refuses is removed with its Update, as the API removes one;
// one whose brand is removed is left as the removal closed it (a change
// request stored after the removal is closed as it would have been). Any
// other failure — a process ended otherwise, one never started — leaves it
// for the next sweep, behind the others. Each
// call is bounded, so that one process that cannot answer does not hold
// back the others. It returns how many it told.
func (s *Starter) SweepUntold(ctx context.Context, grace time.Duration) (int, error) {
	untold, err := s.Store.UntoldUpdates(ctx, grace, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, u := range untold {
		if ctx.Err() != nil {
			break // the sweep's time is up: the rest wait for the next
		}
		err := s.tell(ctx, u)
		var refusal *temporal.ApplicationError
		switch {
		case err == nil:
			err = s.Store.Told(ctx, u.UpdateID)
			n++
		case errors.As(err, &refusal) && workflows.IsRejection(refusal) && u.RecordKind == store.UntoldRuling:
			// The application left the notice and its objections (another
			// ruling rejected it): the ruling stands, nothing to tell.
			s.Log.Info("a ruling its process no longer takes", "objection", u.RecordID, "workflow", u.WorkflowID, "refusal", refusal.Error())
			err = s.Store.Told(ctx, u.UpdateID)
		case errors.As(err, &refusal) && workflows.IsRejection(refusal):
			s.Log.Info("a filed record its process refused is removed", "record", u.RecordKind, "id", u.RecordID, "workflow", u.WorkflowID)
			err = s.Store.DropRefused(ctx, u)
		case update.Completed(err) && u.RecordKind == store.UntoldRuling:
			// An application's process ends only once its notice and
			// objections are over: nothing to tell.
			s.Log.Warn("a ruling told to an application's process that has ended", "objection", u.RecordID, "workflow", u.WorkflowID)
			err = s.Store.Told(ctx, u.UpdateID)
		case update.Completed(err):
			// A removal closed every matter: nothing to tell. A process
			// ended otherwise (terminated, failed) is an operator's matter:
			// asked again after the others, as one not heard.
			removed, rerr := s.Store.ToldRemovedBrand(ctx, u)
			if rerr != nil || removed {
				err = rerr
				break
			}
			err = errors.Join(fmt.Errorf("the process %s ended and its brand is not removed: %w", u.WorkflowID, err), s.triedToTell(ctx, u.UpdateID))
		default:
			// Not heard (Temporal unreachable, a process not started, a
			// failure of its handler): asked again after the others.
			err = errors.Join(fmt.Errorf("not told to %s: %w", u.WorkflowID, err), s.triedToTell(ctx, u.UpdateID))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", u.RecordKind, u.RecordID, err))
		}
	}
	return n, errors.Join(errs...)
}

// tell sends u's Update within tellWithin and makes the writes its
// process left to its caller, as the API does: noted as sent first, so
// that writes this sweep fails to make are settled by the writes sweep
// (settler), which a retry answered as applied — no writes in its result —
// leaves them to.
func (s *Starter) tell(ctx context.Context, u store.UntoldUpdate) error {
	ctx, cancel := context.WithTimeout(ctx, tellWithin)
	defer cancel()
	if err := s.Store.NoteDecisionSent(ctx, u.UpdateID, u.WorkflowID); err != nil {
		return err
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: u.WorkflowID, UpdateName: u.UpdateName,
		UpdateID: u.UpdateID, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{u.Args}})
	var raw json.RawMessage
	if err == nil {
		err = h.Get(ctx, &raw)
	}
	if err != nil {
		if update.Answered(err) {
			err = errors.Join(err, s.Store.ForgetDecisionSent(ctx, u.UpdateID))
		}
		return err
	}
	if ws := records.WritesOf(raw); len(ws) > 0 {
		if s.Writes == nil {
			return nil // the writes sweep has the process make them
		}
		if err := s.Writes.Write(ctx, ws); err != nil {
			return fmt.Errorf("writes of %s: %w", u.UpdateID, err)
		}
	}
	return s.Store.ForgetDecisionSent(ctx, u.UpdateID)
}

// triedToTell puts the Update behind the others even when the telling took
// the sweep's time to its end: written under a deadline of its own, or the
// row stays first and every sweep spends its time on it again.
func (s *Starter) triedToTell(ctx context.Context, updateID string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return s.Store.TriedToTell(ctx, updateID)
}
