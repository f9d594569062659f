package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// TellBureau tells each open process of zone r.Zone — its open applications
// and its brands — that r.Bureau looks after it as of r.Revision (RULES §1),
// one after another: a zone has few. A process that has ended, already
// knows the revision (or a newer one) or refuses it (an application since
// decided) is passed over; any other failure fails the attempt, and the
// retry resumes after the last process told (its heartbeat). It returns how
// many processes took the change.
func (a *Activities) TellBureau(ctx context.Context, r records.BureauFanout) (int, error) {
	var p bureauProgress
	if activity.HasHeartbeatDetails(ctx) {
		_ = activity.GetHeartbeatDetails(ctx, &p)
	}
	procs, err := a.Store.OpenProcessesIn(ctx, r.Zone)
	if err != nil {
		return p.Told, err
	}
	change := workflows.BureauChange{Actor: workflows.Actor{Sub: auth.SystemActor, Role: string(auth.System)},
		Bureau: r.Bureau, Revision: r.Revision}
	for _, proc := range procs[min(p.Done, len(procs)):] {
		id := workflows.ApplicationWorkflowID(proc.ID)
		if proc.ObjectType == "brand" {
			id = workflows.BrandWorkflowID(proc.ID)
		}
		uctx, cancel := context.WithTimeout(ctx, tellTimeout)
		h, err := update.ToRun(uctx, a.Temporal, client.UpdateWorkflowOptions{WorkflowID: id, RunID: proc.RunID,
			UpdateID: workflows.BureauUpdateID(r.Revision), UpdateName: workflows.UpdateBureau,
			Args: []any{change}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			err = h.Get(uctx, nil)
		}
		cancel()
		var refused *temporal.ApplicationError
		switch {
		case err == nil:
			p.Told++
		case update.Closed(err), errors.As(err, &refused):
			// ended, known, or refused for good: nothing to tell
		default:
			return p.Told, fmt.Errorf("tell %s its bureau %s (revision %d): %w", id, r.Bureau, r.Revision, err)
		}
		p.Done++
		activity.RecordHeartbeat(ctx, p)
	}
	if err := a.Store.MarkBureauTold(ctx, r.Zone, r.Revision); err != nil {
		return p.Told, err
	}
	activity.GetLogger(ctx).Info("bureau fan-out done", "zone", r.Zone, "bureau", r.Bureau, "revision", r.Revision, "told", p.Told)
	return p.Told, nil
}

// bureauProgress is TellBureau's heartbeat: processes done, in the order
// the store lists them (a process added since shifts it; told twice, it
// refuses the known revision).
type bureauProgress struct {
	Done int `json:"done"`
	Told int `json:"told"`
}
