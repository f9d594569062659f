package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The maintenance deletes (README, "Nothing grows without bound"). Each
// deletes at most limit rows per call, oldest first, so that one statement
// never holds its locks for long; the caller calls again until fewer than
// limit come back. Each is idempotent: a second call with the same cutoff
// finds nothing more to delete.

// PurgeIdempotencyKeys deletes up to limit idempotency keys claimed before
// before, with their stored answers — in flight or answered: a key in
// flight that long was abandoned (its lease is minutes).
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM idempotency_keys WHERE ctid IN (
			SELECT ctid FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys before %s: %w", before.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}

// PruneOutbox deletes up to limit outbox messages dated before before and
// written (reached the outbox, wall clock) before writtenBefore that are
// settled — every delivery confirmed, or none asked for — with their read
// marks and delivery logs. A message whose delivery never confirmed goes
// once it is older than unconfirmedBefore too, by which time its delivery
// has given up. A message dated long before it was written (a lapse's,
// dated by its deadline; a brought-over application's) is kept for the
// retention from its writing. Escalations stay: the statistics count an
// office's missed deadlines from them, for every year (a few per late
// matter, as the records grow). It returns the number of messages deleted.
func (s *Store) PruneOutbox(ctx context.Context, before, unconfirmedBefore, writtenBefore time.Time, limit int) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `
		WITH settled AS (
			SELECT o.id FROM outbox o
			WHERE o.created_at < $1 AND coalesce(o.written_at, o.created_at) < $4 AND o.kind <> 'escalation'
			  AND (o.created_at < $2 OR NOT EXISTS (
			       SELECT 1 FROM deliveries d WHERE d.message_id = o.id AND d.delivered_at IS NULL AND d.given_up_at IS NULL))
			ORDER BY o.created_at LIMIT $3), -- oldest first, along outbox_prunable
		reads AS (DELETE FROM inbox_reads WHERE message_id IN (SELECT id FROM settled)),
		logs AS (DELETE FROM deliveries WHERE message_id IN (SELECT id FROM settled)),
		gone AS (DELETE FROM outbox WHERE id IN (SELECT id FROM settled) RETURNING 1)
		SELECT count(*) FROM gone`, before, unconfirmedBefore, limit, writtenBefore).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("prune outbox before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// TableSize is one table's row count and size on disk, its indexes and
// TOAST included.
type TableSize struct {
	Table string
	Rows  int64
	Bytes int64
}

// TableSizes measures the tables named (the measuring tools; exact counts,
// so not for hot paths).
func (s *Store) TableSizes(ctx context.Context, tables ...string) ([]TableSize, error) {
	out := make([]TableSize, 0, len(tables))
	for _, t := range tables {
		ts := TableSize{Table: t}
		err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()+`), pg_total_relation_size($1::regclass)`, t).
			Scan(&ts.Rows, &ts.Bytes)
		if err != nil {
			return nil, fmt.Errorf("size of %s: %w", t, err)
		}
		out = append(out, ts)
	}
	return out, nil
}

// PruneConsoleSessions deletes up to limit console sessions closed —
// signed out (revoked_at) or expired (expires_at), whichever came first —
// before before. A session left idle ends at its absolute expiry at the
// latest (LB_SESSION_MAX), so it is pruned from then on.
func (s *Store) PruneConsoleSessions(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM console_sessions WHERE id_hash IN (
			SELECT id_hash FROM console_sessions WHERE least(revoked_at, expires_at) < $1
			ORDER BY least(revoked_at, expires_at) LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("prune console sessions before %s: %w", before.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}

// UploadKept is how long an unfinished upload is kept untouched: a holder
// whose line broke resumes it within a week, one who walked away has it
// forgotten (the console, and the maintenance after it).
const UploadKept = 7 * 24 * time.Hour

// DraftKept is how long a holder's draft of a new application stays
// untouched before the maintenance forgets it: a round a year, so a year.
const DraftKept = 365 * 24 * time.Hour

// PruneDrafts deletes up to limit drafts no one will send: a correction's
// whose application is no longer returned (resubmitted another way, or
// withdrawn when its wait ran out), and any untouched since before. A
// draft holds the holder's contact person and phone.
func (s *Store) PruneDrafts(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM application_drafts WHERE (uscc, application_id) IN (
			SELECT d.uscc, d.application_id FROM application_drafts d
			WHERE d.updated_at < $1 OR d.application_id <> '' AND NOT EXISTS (
				SELECT 1 FROM applications a WHERE a.id = d.application_id AND a.stage = 'returned')
			LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("prune drafts: %w", err)
	}
	return tag.RowsAffected(), nil
}

// PruneStaleUploads deletes up to limit unfinished uploads untouched since
// before, with their pieces: up to 200 MB each, so limit is small. The
// console forgets a holder's stale uploads when that holder starts another;
// this forgets those of holders who never come back.
func (s *Store) PruneStaleUploads(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM attachment_uploads WHERE id IN (
			SELECT id FROM attachment_uploads WHERE updated_at < $1 ORDER BY updated_at LIMIT $2)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("prune uploads untouched since %s: %w", before.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}
