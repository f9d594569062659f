package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ReviewUnit is a 初审 unit (RULES §1): one of the 14 counties, reviewed by
// its own bureau, or a functional zone pointed at a county's bureau.
type ReviewUnit struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	ReviewerCode string `json:"reviewer_code"`
	Active       bool   `json:"active"`
	// Revision counts the unit's saves; a zone's processes are told their
	// bureau as of it.
	Revision int `json:"revision"`
	// ToldRevision is the newest revision all its open processes were told.
	ToldRevision int `json:"told_revision"`
}

// Told reports whether the zone's open processes were all told its newest
// revision.
func (u ReviewUnit) Told() bool { return u.ToldRevision >= u.Revision }

const reviewUnitCols = `county_code, name, reviewer_code, active, revision, told_revision`

func scanReviewUnit(r pgx.CollectableRow) (ReviewUnit, error) {
	var u ReviewUnit
	err := r.Scan(&u.Code, &u.Name, &u.ReviewerCode, &u.Active, &u.Revision, &u.ToldRevision)
	return u, err
}

// ReviewUnits lists every 初审 unit by code.
func (s *Store) ReviewUnits(ctx context.Context) ([]ReviewUnit, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+reviewUnitCols+` FROM review_units ORDER BY county_code`)
	return pgx.CollectRows(rows, scanReviewUnit)
}

// SaveReviewUnit adds the functional zone u, or saves it again (its name,
// its bureau, whether it takes applications), counting one more revision,
// with the audit row. The caller has checked that u is not a county. While
// an import of brands holds the library it returns ErrImportInProgress.
func (s *Store) SaveReviewUnit(ctx context.Context, u ReviewUnit, at time.Time, actor, role string) (ReviewUnit, error) {
	var saved ReviewUnit
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// Not while an import starts brands: it read the zone's bureau for
		// them, and their records may not be written yet for the telling
		// to find.
		var free bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1)`, int64(libraryLockKey)).Scan(&free); err != nil {
			return err
		}
		if !free {
			return ErrImportInProgress
		}
		rows, _ := tx.Query(ctx, `
			INSERT INTO review_units (county_code, name, reviewer_code, active, revision, saved_at) VALUES ($1, $2, $3, $4, 1, now())
			ON CONFLICT (county_code) DO UPDATE
			   SET name = EXCLUDED.name, reviewer_code = EXCLUDED.reviewer_code, active = EXCLUDED.active,
			       revision = review_units.revision + 1, saved_at = now()
			RETURNING `+reviewUnitCols, u.Code, u.Name, u.ReviewerCode, u.Active)
		var err error
		if saved, err = pgx.CollectExactlyOneRow(rows, scanReviewUnit); err != nil {
			return fmt.Errorf("save review unit %s: %w", u.Code, err)
		}
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "review_unit.saved",
			ObjectType: "review_unit", ObjectID: u.Code, After: saved})
	})
	return saved, err
}

// ReviewUnitsUntold lists the zones saved at least grace ago whose open
// processes have not all been told their newest revision.
func (s *Store) ReviewUnitsUntold(ctx context.Context, grace time.Duration) ([]ReviewUnit, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+reviewUnitCols+` FROM review_units
		WHERE revision > told_revision AND saved_at <= now() - make_interval(secs => $1) ORDER BY county_code`, grace.Seconds())
	return pgx.CollectRows(rows, scanReviewUnit)
}

// MarkBureauTold notes that every open process of zone was told its
// revision (a newer one stays to tell).
func (s *Store) MarkBureauTold(ctx context.Context, zone string, revision int) error {
	_, err := s.pool.Exec(ctx, `UPDATE review_units SET told_revision = greatest(told_revision, $2) WHERE county_code = $1`, zone, revision)
	return err
}

// ProcessRef is an open process: an application or a brand, by its record's
// id, with the run that wrote its last step ("" if unknown).
type ProcessRef struct {
	ObjectType string
	ID         string
	RunID      string
}

// OpenProcessesIn lists the open applications and the brands of county
// (a functional zone's code), applications first, each by id. A removed
// brand is listed too: its process may still run out its waiting period.
func (s *Store) OpenProcessesIn(ctx context.Context, county string) ([]ProcessRef, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT 'application', id, coalesce(run_id, '') FROM applications
		 WHERE county_code = $1 AND stage NOT IN ('admitted', 'rejected', 'withdrawn')
		UNION ALL
		SELECT 'brand', id, coalesce(run_id, '') FROM brands WHERE county_code = $1
		ORDER BY 1, 2`, county)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProcessRef, error) {
		var p ProcessRef
		err := r.Scan(&p.ObjectType, &p.ID, &p.RunID)
		return p, err
	})
}

// ProcessOver reports whether the record of a process says it has nothing
// more to decide: an application admitted, rejected or withdrawn, a brand
// removed, or no such record.
func (s *Store) ProcessOver(ctx context.Context, objectType, id string) (bool, error) {
	query := `SELECT NOT EXISTS (SELECT 1 FROM applications WHERE id = $1 AND stage NOT IN ('admitted', 'rejected', 'withdrawn'))`
	if objectType == "brand" {
		query = `SELECT NOT EXISTS (SELECT 1 FROM brands WHERE id = $1 AND status <> 'removed')`
	}
	var over bool
	err := s.pool.QueryRow(ctx, query, id).Scan(&over)
	return over, err
}
