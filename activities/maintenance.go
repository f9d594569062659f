package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
)

// maintenanceBatch is how many rows one delete statement removes: small
// enough that it holds its locks for milliseconds, large enough that a
// day's rows go in a few statements.
const maintenanceBatch = 5000

// deliveryGivesUp is how long a message's delivery is retried before it
// gives up (workflows.DeliveryWorkflow's ScheduleToCloseTimeout, 72 h); a
// message older than its retention by this much is pruned even when a
// delivery never confirmed.
const deliveryGivesUp = 72 * time.Hour

// PurgeIdempotencyKeys deletes the idempotency keys claimed more than
// retention ago (API.md: kept at least 24 hours; LB_IDEMPOTENCY_RETENTION).
// Keys are claimed on the wall clock, so the cutoff is wall time.
func (a *Activities) PurgeIdempotencyKeys(ctx context.Context, retention time.Duration) (int64, error) {
	before := time.Now().Add(-retention)
	return inBatches(ctx, func() (int64, error) {
		return a.Store.PurgeIdempotencyKeys(ctx, before, maintenanceBatch)
	})
}

// PruneOutbox deletes the outbox messages written more than retention ago
// whose deliveries are settled (LB_OUTBOX_RETENTION), with their read marks
// and delivery logs; they leave the inbox. Messages carry business time, so
// the cutoff is business time.
func (a *Activities) PruneOutbox(ctx context.Context, retention time.Duration) (int64, error) {
	before := a.Clock.Now().Add(-retention)
	return inBatches(ctx, func() (int64, error) {
		return a.Store.PruneOutbox(ctx, before, before.Add(-deliveryGivesUp), maintenanceBatch)
	})
}

// PruneConsoleSessions deletes the console sessions closed more than
// retention ago (LB_SESSION_RETENTION). Sessions live on the wall clock.
func (a *Activities) PruneConsoleSessions(ctx context.Context, retention time.Duration) (int64, error) {
	before := time.Now().Add(-retention)
	return inBatches(ctx, func() (int64, error) {
		return a.Store.PruneConsoleSessions(ctx, before, maintenanceBatch)
	})
}

// inBatches calls batch until it deletes fewer than a batch, heartbeating
// the total after each, and returns the total. A retried attempt starts
// over from what is left: deleting is idempotent.
func inBatches(ctx context.Context, batch func() (int64, error)) (int64, error) {
	var total int64
	for {
		n, err := batch()
		if err != nil {
			return total, fmt.Errorf("after %d rows: %w", total, err)
		}
		total += n
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, total)
		}
		if n < maintenanceBatch || ctx.Err() != nil {
			return total, ctx.Err()
		}
	}
}
