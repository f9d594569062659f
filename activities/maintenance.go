package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// maintenanceBatch is how many rows one delete statement removes: small
// enough that it holds its locks for milliseconds, large enough that a
// day's rows go in a few statements.
const maintenanceBatch = 5000

// deliveryGivesUp is how long a message's delivery is retried before it
// gives up (workflows.DeliveryWorkflow's ScheduleToCloseTimeout); a
// message older than its retention by this much is pruned even when a
// delivery never confirmed.
const deliveryGivesUp = records.DeliveryRetriedFor

// PurgeIdempotencyKeys deletes the idempotency keys claimed more than
// retention ago (API.md: kept at least 24 hours; LB_IDEMPOTENCY_RETENTION).
// Keys are claimed on the wall clock, so the cutoff is wall time.
func (a *Activities) PurgeIdempotencyKeys(ctx context.Context, retention time.Duration) (int64, error) {
	before := time.Now().Add(-retention)
	return inBatches(ctx, func() (int64, error) {
		return a.Store.PurgeIdempotencyKeys(ctx, before, maintenanceBatch)
	})
}

// PruneOutbox deletes the outbox messages dated and written more than
// retention ago whose deliveries are settled (LB_OUTBOX_RETENTION), with
// their read marks and delivery logs; they leave the inbox. Messages are
// dated in business time, so that cutoff is business time; their writing is
// on the wall clock, where the retention is as long as business time lets
// it run (a dev stack's --time-scale).
func (a *Activities) PruneOutbox(ctx context.Context, retention time.Duration) (int64, error) {
	before := a.Clock.Now().Add(-retention)
	writtenBefore := time.Now().Add(-a.Clock.WallDuration(retention))
	return inBatches(ctx, func() (int64, error) {
		return a.Store.PruneOutbox(ctx, before, before.Add(-deliveryGivesUp), writtenBefore, maintenanceBatch)
	})
}

// PruneConsoleSessions deletes the console sessions closed more than
// retention ago (LB_SESSION_RETENTION), the counts of failed sign-ins in a
// row nobody added to for store.SignInCountKept, and then the console's unfinished
// uploads untouched for store.UploadKept, whose holders never came back to
// them (each up to 200 MB in the database), the drafts no one will send
// (store.PruneDrafts), and last the registrations
// never confirmed (forgetUnconfirmed). All live on the wall clock. It
// returns the sessions deleted; the rest is logged.
func (a *Activities) PruneConsoleSessions(ctx context.Context, retention time.Duration) (int64, error) {
	before := time.Now().Add(-retention)
	sessions, err := inBatches(ctx, func() (int64, error) {
		return a.Store.PruneConsoleSessions(ctx, before, maintenanceBatch)
	})
	if err != nil {
		return sessions, err
	}
	quiet := time.Now().Add(-store.SignInCountKept)
	counts, err := inBatches(ctx, func() (int64, error) {
		return a.Store.ForgetSignInFailures(ctx, quiet, maintenanceBatch)
	})
	if err != nil {
		return sessions, err
	}
	if counts > 0 && activity.IsActivity(ctx) {
		activity.GetLogger(ctx).Info("sign-in failures in a row forgotten", "accounts_and_names", counts, "untried_since", quiet)
	}
	stale := time.Now().Add(-store.UploadKept)
	uploads, err := inBatchesOf(ctx, uploadBatch, func() (int64, error) {
		return a.Store.PruneStaleUploads(ctx, stale, uploadBatch)
	})
	if uploads > 0 && activity.IsActivity(ctx) {
		activity.GetLogger(ctx).Info("unfinished uploads forgotten", "uploads", uploads, "untouched_since", stale)
	}
	if err != nil {
		return sessions, err
	}
	drafts, err := inBatches(ctx, func() (int64, error) {
		return a.Store.PruneDrafts(ctx, time.Now().Add(-store.DraftKept), maintenanceBatch)
	})
	if drafts > 0 && activity.IsActivity(ctx) {
		activity.GetLogger(ctx).Info("drafts no one will send forgotten", "drafts", drafts)
	}
	if err != nil {
		return sessions, err
	}
	return sessions, a.forgetUnconfirmed(ctx)
}

// VerifyAuditChain checks the audit trail's hash chain from its first row
// (RULES §6), as laborbrand audit verify does, and logs its head — the
// last row's id and hash, for the operations log; the run's result keeps
// it in Temporal's history, outside the registry's database. A break is
// logged as an error and fails the activity without a retry: the chain
// will not mend itself, and the failed maintenance run is what the
// supervisor sees.
func (a *Activities) VerifyAuditChain(ctx context.Context) (workflows.AuditCheck, error) {
	// The head first, as the command reads it: the rows checked next
	// include it, so the head kept is one the check covered.
	id, hash, err := a.Store.AuditHash(ctx, 0)
	if err != nil {
		return workflows.AuditCheck{}, err
	}
	rows, brk, err := a.Store.VerifyAudit(ctx)
	if err != nil {
		return workflows.AuditCheck{}, err
	}
	log := activity.GetLogger(ctx)
	if brk != nil {
		log.Error("audit chain broken", "row", brk.ID, "reason", brk.Reason, "rows_checked", rows)
		return workflows.AuditCheck{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("审计日志哈希链在第 %d 条断开：%s", brk.ID, brk.Reason), workflows.AuditChainBroken, nil, brk.ID)
	}
	log.Info("audit chain intact", "rows", rows, "head", fmt.Sprintf("%d:%s", id, hash))
	return workflows.AuditCheck{Rows: rows, HeadID: id, HeadHash: hash}, nil
}

// forgetUnconfirmed removes the self-registrations whose e-mail was never
// confirmed, a week past (store.UnconfirmedKept) with no link live — only
// with a mail relay, without which nothing is left unconfirmed (RULES §6)
// — and the confirmation links a day old and spent or expired.
func (a *Activities) forgetUnconfirmed(ctx context.Context) error {
	now := time.Now()
	if a.Channels.SMTP != nil {
		var released int64
		_, err := inBatches(ctx, func() (int64, error) {
			n, examined, err := a.Store.ReleaseLapsedRegistrations(ctx, now.Add(-store.UnconfirmedKept), now, maintenanceBatch)
			released += n
			return examined, err
		})
		if released > 0 && activity.IsActivity(ctx) {
			activity.GetLogger(ctx).Info("unconfirmed registrations released", "registrations", released)
		}
		if err != nil {
			return err
		}
	}
	_, err := inBatches(ctx, func() (int64, error) {
		return a.Store.PruneConfirmations(ctx, now.Add(-24*time.Hour), now, maintenanceBatch)
	})
	return err
}

// uploadBatch is how many unfinished uploads one statement deletes: each
// may hold 200 pieces of a megabyte.
const uploadBatch = 10

// inBatches calls batch until it deletes fewer than a batch, heartbeating
// the total after each, and returns the total. A retried attempt starts
// over from what is left: deleting is idempotent.
func inBatches(ctx context.Context, batch func() (int64, error)) (int64, error) {
	return inBatchesOf(ctx, maintenanceBatch, batch)
}

// inBatchesOf is inBatches with batches of size.
func inBatchesOf(ctx context.Context, size int64, batch func() (int64, error)) (int64, error) {
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
		if n < size || ctx.Err() != nil {
			return total, ctx.Err()
		}
	}
}
