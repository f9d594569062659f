package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// TellBureau tells each open process of zone r.Zone — its open applications
// and its brands — that r.Bureau looks after it as of r.Revision (RULES §1),
// one after another: a zone has few. It lists them again until a listing
// holds none it has not told, so that a brand admitted while it ran (its
// record written after the first listing) is told too. A process that
// already knows the revision, or whose record says it is over, is passed
// over; one that cannot take it yet — not started, an application admitted
// in its process but not yet on record, a worker without the handler — fails
// the attempt, and the retry tells again from the top (a process told
// refuses the known revision, at no cost to it). It then marks the zone
// told and returns how many processes took the change in its last attempt.
func (a *Activities) TellBureau(ctx context.Context, r records.BureauFanout) (int, error) {
	change := workflows.BureauChange{Actor: workflows.Actor{Sub: auth.SystemActor, Role: string(auth.System)},
		Bureau: r.Bureau, Revision: r.Revision}
	told, done := 0, map[store.ProcessRef]bool{}
	for {
		procs, err := a.Store.OpenProcessesIn(ctx, r.Zone)
		if err != nil {
			return told, err
		}
		fresh := 0
		for _, proc := range procs {
			key := store.ProcessRef{ObjectType: proc.ObjectType, ID: proc.ID}
			if done[key] {
				continue
			}
			fresh++
			took, err := a.tellBureau(ctx, proc, change)
			if err != nil {
				return told, err
			}
			if took {
				told++
			}
			done[key] = true
			activity.RecordHeartbeat(ctx, len(done))
		}
		if fresh == 0 {
			break
		}
	}
	if err := a.Store.MarkBureauTold(ctx, r.Zone, r.Revision); err != nil {
		return told, err
	}
	activity.GetLogger(ctx).Info("bureau fan-out done", "zone", r.Zone, "bureau", r.Bureau, "revision", r.Revision, "told", told)
	return told, nil
}

// tellBureau sends the bureau Update to one process and reports whether it
// took the change; an error means it must be told again.
func (a *Activities) tellBureau(ctx context.Context, proc store.ProcessRef, change workflows.BureauChange) (bool, error) {
	id := workflows.ApplicationWorkflowID(proc.ID)
	if proc.ObjectType == "brand" {
		id = workflows.BrandWorkflowID(proc.ID)
	}
	uctx, cancel := context.WithTimeout(ctx, tellTimeout)
	defer cancel()
	h, err := update.ToRun(uctx, a.Temporal, client.UpdateWorkflowOptions{WorkflowID: id, RunID: proc.RunID,
		UpdateID: workflows.BureauUpdateID(change.Revision), UpdateName: workflows.UpdateBureau,
		Args: []any{change}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err == nil {
		err = h.Get(uctx, nil)
	}
	var known *temporal.ApplicationError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &known) && known.Type() == workflows.BureauKnownError:
		return false, nil
	}
	// Refused otherwise, or no process there: only a process whose record
	// says it is over has nothing to be told.
	over, readErr := a.Store.ProcessOver(ctx, proc.ObjectType, proc.ID)
	switch {
	case readErr != nil:
		return false, readErr
	case over:
		return false, nil
	case isNotFound(err) && (proc.RunID != "" || a.endedAbnormally(ctx, id)):
		// Its record open, its process ended all the same: one an operator
		// terminated, or one that failed. Telling it again would hold this
		// and every later revision of the zone; the operator's to restart
		// it (a process not started yet — no run on its record, none
		// Temporal knows — is told on the retry).
		activity.GetLogger(ctx).Error("a process whose record is open has ended; its new bureau is not told",
			"workflow", id, "bureau", change.Bureau, "revision", change.Revision)
		return false, nil
	}
	return false, fmt.Errorf("tell %s its bureau %s (revision %d): %w", id, change.Bureau, change.Revision, err)
}

// endedAbnormally reports whether workflow id's latest run has closed —
// terminated, failed, timed out — though its record says it is open; false
// for one never started, or when Temporal cannot say.
func (a *Activities) endedAbnormally(ctx context.Context, id string) bool {
	d, err := a.Temporal.DescribeWorkflowExecution(ctx, id, "")
	return err == nil && d.GetWorkflowExecutionInfo().GetStatus() != enums.WORKFLOW_EXECUTION_STATUS_RUNNING
}
