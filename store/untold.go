package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// UntoldUpdate is the Update that tells a process of a record — a change
// request or a development report a holder filed, a ruling on an
// objection the city made —, stored in the record's own transaction and
// removed once the process answered (Told): one left behind is a telling
// that failed — Temporal unreachable, the API stopped between the two —
// which the starter's sweep makes again under the same Update ID, so that
// a record is never stored with no process knowing it.
type UntoldUpdate struct {
	UpdateID   string
	WorkflowID string
	UpdateName string
	Args       json.RawMessage
	RecordKind string // UntoldChange, UntoldEvaluation or UntoldRuling
	RecordID   string
	// StoredAt is the database's wall clock at the storing, not the
	// business clock the record is dated by: the sweep's grace is the
	// wall's (a business clock may run ahead of it, in dev and tests).
	StoredAt time.Time
}

// The records an untold Update tells of.
const (
	UntoldChange     = "change"
	UntoldEvaluation = "evaluation"
	// UntoldRuling tells an application's process of a ruling it acts on
	// (an objection upheld, a day's last one ruled); the ruling stands
	// whatever the process answers, and is never removed.
	UntoldRuling = "ruling"
)

// untoldFor is the row that tells of record kind id with u's Update.
func untoldFor(kind, id string, u *UntoldUpdate) (*UntoldUpdate, error) {
	if u == nil {
		return nil, nil
	}
	if u.UpdateID == "" || u.WorkflowID == "" || u.UpdateName == "" || len(u.Args) == 0 {
		return nil, fmt.Errorf("untold update of %s %s: update, workflow, name and arguments are required", kind, id)
	}
	t := *u
	t.RecordKind, t.RecordID = kind, id
	return &t, nil
}

// insertUntold stores u in tx (a retried request's row is kept as it was).
func insertUntold(ctx context.Context, tx pgx.Tx, u *UntoldUpdate) error {
	if u == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (update_id) DO NOTHING`,
		u.UpdateID, u.WorkflowID, u.UpdateName, u.Args, u.RecordKind, u.RecordID)
	return err
}

// Told forgets the untold Update updateID: its process answered it.
func (s *Store) Told(ctx context.Context, updateID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM untold_updates WHERE update_id = $1`, updateID)
	return err
}

// UntoldUpdates are the Updates not yet told that were stored, or last
// tried, at least grace ago by the database's clock, the longest waiting
// first, at most limit.
func (s *Store) UntoldUpdates(ctx context.Context, grace time.Duration, limit int) ([]UntoldUpdate, error) {
	rows, _ := s.pool.Query(ctx, `SELECT update_id, workflow_id, update_name, args, record_kind, record_id, stored_at
		FROM untold_updates WHERE coalesce(tried_at, stored_at) < now() - make_interval(secs => $1)
		ORDER BY coalesce(tried_at, stored_at), update_id LIMIT $2`, grace.Seconds(), limit)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[UntoldUpdate])
}

// TriedToTell puts the untold Update updateID, which could not be told
// now, behind the others for the sweep's next turns.
func (s *Store) TriedToTell(ctx context.Context, updateID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE untold_updates SET tried_at = now() WHERE update_id = $1`, updateID)
	return err
}

// DropRefused removes a record its process refused together with the
// Update that told it, in one transaction: nothing is left half-written.
// A record with an opinion or an assessment is never removed.
func (s *Store) DropRefused(ctx context.Context, u UntoldUpdate) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return deleteRecord(ctx, tx, u.RecordKind, u.RecordID) })
}

// ToldRemovedBrand settles u when its brand is removed: a change request
// still open (stored after the removal closed the others, the API stopping
// before it could undo it) is closed as the removal closes one, and u is
// forgotten; a report stays, never assessed. It reports false, changing
// nothing, when the brand is not removed — its process ended otherwise
// (terminated, failed), an operator's matter.
func (s *Store) ToldRemovedBrand(ctx context.Context, u UntoldUpdate) (removed bool, err error) {
	table := map[string]string{UntoldChange: "brand_changes", UntoldEvaluation: "evaluations"}[u.RecordKind]
	if table == "" {
		return false, errors.New("unknown record kind " + u.RecordKind)
	}
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT b.status = 'removed' FROM `+table+` r JOIN brands b ON b.id = r.brand_id WHERE r.id = $1`,
			u.RecordID).Scan(&removed)
		if errors.Is(err, pgx.ErrNoRows) { // the record is gone: nothing left to tell
			removed = true
			err = nil
		}
		if err != nil || !removed {
			return err
		}
		if u.RecordKind == UntoldChange {
			if _, err := tx.Exec(ctx, `UPDATE brand_changes c SET status = 'closed', decided_at = now(), `+keepRecordValues+`
				WHERE id = $1 AND status IN ('county', 'city')`, u.RecordID); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM untold_updates WHERE update_id = $1`, u.UpdateID)
		return err
	})
	return removed, err
}

// deleteRecord removes a filed record no process took (the API's
// undoRefused and the sweep's DropRefused).
func deleteRecord(ctx context.Context, tx pgx.Tx, kind, id string) error {
	var err error
	switch kind {
	case UntoldChange:
		// Never one with an opinion, or one a removal closed on record.
		_, err = tx.Exec(ctx, `DELETE FROM brand_changes WHERE id = $1 AND status = 'county' AND county_opinion IS NULL AND city_opinion IS NULL`, id)
	case UntoldEvaluation:
		_, err = tx.Exec(ctx, `DELETE FROM evaluations WHERE id = $1 AND outcome IS NULL`, id)
	case UntoldRuling: // a ruling stands: only its telling goes
	default:
		err = errors.New("unknown record kind " + kind)
	}
	if err == nil {
		_, err = tx.Exec(ctx, `DELETE FROM untold_updates WHERE record_kind = $1 AND record_id = $2`, kind, id)
	}
	return err
}
