package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// MaintenanceInput is how long kept rows live; the maintenance schedule
// starts each run with the retentions the worker was configured with.
type MaintenanceInput struct {
	IdempotencyRetention time.Duration `json:"idempotency_retention"`
	OutboxRetention      time.Duration `json:"outbox_retention"`
	SessionRetention     time.Duration `json:"session_retention"`
	// Every is the schedule's interval: the run whose interval holds
	// 03:00 checks the audit chain. Zero (a schedule written before the
	// worker knew it) checks nothing.
	Every time.Duration `json:"every,omitempty"`
}

// MaintenanceResult is how many rows one run deleted.
type MaintenanceResult struct {
	IdempotencyKeys int64 `json:"idempotency_keys"`
	OutboxMessages  int64 `json:"outbox_messages"`
	ConsoleSessions int64 `json:"console_sessions"`
	// Audit is the night's check of the audit chain; nil in other runs.
	Audit *AuditCheck `json:"audit,omitempty"`
}

// AuditCheck is what a check of the audit trail's hash chain found intact:
// the rows it read and the head (the last row's id and hash) to write down
// outside the database, for laborbrand audit verify --head.
type AuditCheck struct {
	Rows     int64  `json:"rows"`
	HeadID   int64  `json:"head_id"`
	HeadHash string `json:"head_hash"`
}

// AuditChainBroken is the type of the error a broken audit chain fails its
// check with; its detail is the first row that breaks it.
const AuditChainBroken = "AuditChainBroken"

// auditCheckActivity reads the whole audit log in one query: half an hour
// covers millions of rows. A database outage is retried as the prunes'
// are; a broken chain is not retried at all.
var auditCheckActivity = workflow.ActivityOptions{
	StartToCloseTimeout:    30 * time.Minute,
	ScheduleToCloseTimeout: time.Hour,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2,
		MaximumInterval: 5 * time.Minute, NonRetryableErrorTypes: []string{AuditChainBroken}},
	Summary: "核验：审计日志哈希链",
}

// scheduledStartTime is the search attribute a schedule starts its runs
// with: the instant the run was scheduled for.
var scheduledStartTime = temporal.NewSearchAttributeKeyTime("TemporalScheduledStartTime")

// scheduledAt is the instant the schedule started the run for — a run
// started late (a worker away at 03:00) is still that night's — or, for a
// run started by hand, its start. It is in the run's first event: the same
// on replay.
func scheduledAt(ctx workflow.Context) time.Time {
	if t, ok := workflow.GetTypedSearchAttributes(ctx).GetTime(scheduledStartTime); ok {
		return t
	}
	return workflow.Now(ctx)
}

// auditCheckHour is the hour of the night (Asia/Shanghai) the audit chain
// is checked in: no office is open.
const auditCheckHour = 3

// checksAuditChain reports whether the run started at now, every interval,
// is the one whose interval holds the night's check hour: the first run at
// or after it.
func checksAuditChain(now time.Time, every time.Duration) bool {
	if every <= 0 {
		return false
	}
	local := now.In(calendar.Shanghai)
	check := time.Date(local.Year(), local.Month(), local.Day(), auditCheckHour, 0, 0, 0, calendar.Shanghai)
	if local.Before(check) {
		check = check.AddDate(0, 0, -1)
	}
	return every >= 24*time.Hour || local.Sub(check) < every
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
// keys, settled outbox messages, closed console sessions; once a night it
// also checks the audit chain. The prunes and the check run side by side
// and independently — one that fails does not keep the others from their
// work — and the run fails if any did.
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
	var audit workflow.Future
	if workflow.GetVersion(ctx, changeAuditCheckedNightly, workflow.DefaultVersion, 1) == 1 &&
		checksAuditChain(scheduledAt(ctx), in.Every) {
		audit = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, auditCheckActivity), ActivityVerifyAuditChain)
	}
	var errs []error
	for i, f := range futures {
		if err := f.Get(ctx, prunes[i].deleted); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", prunes[i].activity, err))
		}
	}
	if audit != nil {
		var check AuditCheck
		if err := audit.Get(ctx, &check); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ActivityVerifyAuditChain, err))
		} else {
			res.Audit = &check
		}
	}
	return res, errors.Join(errs...)
}
