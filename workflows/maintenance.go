package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// MaintenanceInput is how long kept rows live; the maintenance schedule
// starts each run with the retentions the worker was configured with.
type MaintenanceInput struct {
	IdempotencyRetention time.Duration `json:"idempotency_retention"`
	OutboxRetention      time.Duration `json:"outbox_retention"`
	SessionRetention     time.Duration `json:"session_retention"`
}

// MaintenanceResult is how many rows one run deleted.
type MaintenanceResult struct {
	IdempotencyKeys int64 `json:"idempotency_keys"`
	OutboxMessages  int64 `json:"outbox_messages"`
	ConsoleSessions int64 `json:"console_sessions"`
}

// maintenanceActivity is how a prune runs: each batch of deletes
// heartbeats, so a worker that dies mid-prune is noticed within a minute
// and the prune retried elsewhere; a database outage is retried for up to
// an hour, backing off to five minutes, and then the run fails — the next
// run of the schedule (LB_MAINTENANCE_EVERY later) starts over, and nothing
// is lost by waiting.
var maintenanceActivity = workflow.ActivityOptions{
	StartToCloseTimeout:    10 * time.Minute,
	HeartbeatTimeout:       time.Minute,
	ScheduleToCloseTimeout: time.Hour,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2,
		MaximumInterval: 5 * time.Minute},
}

// MaintenanceWorkflow deletes what has outlived its retention: idempotency
// keys, settled outbox messages, closed console sessions. The three prunes
// run side by side and independently — one that fails does not keep the
// others from their work — and the run fails if any did.
func MaintenanceWorkflow(ctx workflow.Context, in MaintenanceInput) (MaintenanceResult, error) {
	var res MaintenanceResult
	prunes := []struct {
		activity  string
		retention time.Duration
		summary   string
		deleted   *int64
	}{
		{ActivityPurgeIdempotencyKeys, in.IdempotencyRetention, "清理：幂等键", &res.IdempotencyKeys},
		{ActivityPruneOutbox, in.OutboxRetention, "清理：已送达消息", &res.OutboxMessages},
		{ActivityPruneConsoleSessions, in.SessionRetention, "清理：已结束的会话", &res.ConsoleSessions},
	}
	futures := make([]workflow.Future, len(prunes))
	for i, p := range prunes {
		opts := maintenanceActivity
		opts.Summary = fmt.Sprintf("%s（保留 %s）", p.summary, p.retention)
		futures[i] = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), p.activity, p.retention)
	}
	var errs []error
	for i, f := range futures {
		if err := f.Get(ctx, prunes[i].deleted); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", prunes[i].activity, err))
		}
	}
	return res, errors.Join(errs...)
}
