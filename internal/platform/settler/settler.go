// Package settler settles the decisions whose caller stopped before it
// wrote them. A process leaves a decision's writes to its caller, the API,
// which notes the decision before it sends it and forgets the note once the
// writes are made; the process itself makes them only when it needs them.
// The settler's sweep finds a note the API left behind (it stopped, or the
// database failed it, between the process's answer and the writes) and has
// the process make the writes now, so that no decision stays off the record
// until the process's next step.
package settler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/internal/platform/sweep"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Settler sweeps the decisions sent and not written.
type Settler struct {
	Temporal client.Client
	Store    *store.Store
	// Writes makes a decision's writes from its outcome when its process's
	// run has ended and cannot make them (worker.DecisionWriter).
	Writes Writer
	Log    *slog.Logger
}

// Writer makes the writes a decision left to its caller.
type Writer interface {
	Write(ctx context.Context, ws []records.Write) error
}

// settleWithin bounds the settling of one decision, so that a process that
// cannot answer — its worker gone, a write retried through an outage —
// does not hold back the sweep's others.
const settleWithin = 5 * time.Second

// Sweep settles the decisions noted at least grace ago and not forgotten;
// it returns how many it settled. One it cannot settle yet goes to the back
// of the line, noted afresh, and waits the grace again.
func (s *Settler) Sweep(ctx context.Context, grace time.Duration) (int, error) {
	unwritten, err := s.Store.DecisionsUnwritten(ctx, grace, 100)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error // one process that does not answer does not hold back the others
	for _, d := range unwritten {
		if ctx.Err() != nil {
			break // the sweep's time is up: the rest wait for the next
		}
		settleCtx, cancel := context.WithTimeout(ctx, settleWithin)
		err := s.settle(settleCtx, d)
		cancel()
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() == nil {
				if err := s.Store.PostponeDecisionSent(ctx, d.UpdateID); err != nil {
					errs = append(errs, err)
				}
			}
			continue
		}
		if err := s.Store.ForgetDecisionSent(ctx, d.UpdateID); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// settle waits for the decision's own outcome, then has its process make
// the writes its callers left and waits until they are on record. Not
// before: a settling that overtook a decision still under way (its process
// busy with a step of its own, or its worker down) would find nothing to
// write and be forgotten, and the decision, applied after, would stay off
// the record until its process next needed it. A decision refused, or that
// never reached its process, has nothing to write. A run that has ended
// cannot make them: one that ended as it should made them before, one
// terminated or failed may not have, and the sweep makes them from the
// decision's outcome (they are keyed by their step, so they land once).
func (s *Settler) settle(ctx context.Context, d store.SentDecision) error {
	decision := s.Temporal.GetWorkflowUpdateHandle(client.GetWorkflowUpdateHandleOptions{
		WorkflowID: d.WorkflowID, UpdateID: d.UpdateID})
	var outcome json.RawMessage
	if err := decision.Get(ctx, &outcome); err != nil {
		if update.Answered(err) {
			return nil
		}
		return fmt.Errorf("the outcome of decision %s on %s: %w", d.UpdateID, d.WorkflowID, err)
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: d.WorkflowID, UpdateName: workflows.UpdateSettleWrites,
		// One settling per decision and run: a sweep that tries again
		// waits for the same.
		UpdateID:     "settle-" + d.UpdateID,
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil && update.Closed(err) {
		return s.writeFromOutcome(ctx, d, outcome)
	}
	if err != nil {
		return fmt.Errorf("settle the writes of decision %s on %s: %w", d.UpdateID, d.WorkflowID, err)
	}
	return nil
}

// writeFromOutcome makes the writes of a decision whose run has ended.
func (s *Settler) writeFromOutcome(ctx context.Context, d store.SentDecision, outcome json.RawMessage) error {
	writes := records.WritesOf(outcome)
	if len(writes) == 0 {
		return nil
	}
	if s.Writes == nil {
		return fmt.Errorf("decision %s on %s, whose run has ended: no writer for its writes", d.UpdateID, d.WorkflowID)
	}
	if err := s.Writes.Write(ctx, writes); err != nil {
		return fmt.Errorf("the writes of decision %s on %s, whose run has ended: %w", d.UpdateID, d.WorkflowID, err)
	}
	return nil
}

// Run sweeps every interval until ctx ends. grace leaves the API the time
// to finish the decision it sent: more than its Temporal timeout and the
// writes after it.
func (s *Settler) Run(ctx context.Context, interval, grace time.Duration) {
	sweep.Every(ctx, interval, func(ctx context.Context) (int, error) { return s.Sweep(ctx, grace) }, func(n int, err error) {
		if err != nil {
			s.Log.Warn("settling decisions sent and not written", "error", err, "settled", n)
		} else if n > 0 {
			s.Log.Info("settled decisions sent and not written", "settled", n)
		}
	})
}
