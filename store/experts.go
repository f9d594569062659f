package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
)

// Expert is a member of the expert pool (专家智库).
type Expert struct {
	ID              string    `json:"id" doc:"专家编号"`
	Name            string    `json:"name" doc:"姓名"`
	Specialties     []string  `json:"specialties" doc:"专业领域"`
	CountyCode      string    `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	AffiliationUSCC string    `json:"affiliation_uscc" doc:"所在单位的统一社会信用代码（回避本单位的申请）"`
	Active          bool      `json:"active" doc:"在库可抽取"`
	CreatedAt       time.Time `json:"created_at" doc:"创建时间"`
	UpdatedAt       time.Time `json:"updated_at" doc:"最后更新时间"`
}

const expertCols = `id, name, specialties, county_code, affiliation_uscc, active, created_at, updated_at`

func scanExpert(r pgx.CollectableRow) (Expert, error) {
	var e Expert
	err := r.Scan(&e.ID, &e.Name, &e.Specialties, &e.CountyCode, &e.AffiliationUSCC, &e.Active, &e.CreatedAt, &e.UpdatedAt)
	return e, err
}

// ErrExpertExists answers the addition of a number the pool already holds.
var ErrExpertExists = errors.New("expert number taken")

// CreateExpert adds e, with its audit row, under a number the pool does not
// hold yet; a number taken (two officers adding one number at once: one is
// added) answers the expert stored under it and ErrExpertExists.
func (s *Store) CreateExpert(ctx context.Context, e Expert, actor, role string) (Expert, error) {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO experts (id, name, specialties, county_code, affiliation_uscc, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
			e.ID, e.Name, e.Specialties, e.CountyCode, e.AffiliationUSCC, e.Active, e.CreatedAt, e.UpdatedAt)
		if err != nil {
			return fmt.Errorf("add expert %s: %w", e.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrExpertExists
		}
		return AppendAudit(ctx, tx, AuditEntry{At: e.UpdatedAt, Actor: actor, Role: role, Action: "expert.create",
			ObjectType: "expert", ObjectID: e.ID, After: e})
	})
	if errors.Is(err, ErrExpertExists) {
		stored, readErr := s.GetExpert(ctx, e.ID)
		if readErr != nil {
			return Expert{}, readErr
		}
		return stored, err
	}
	return e, err
}

// UpdateExpert changes expert id as change says, with its audit row. change
// sees the record under its row's lock, so that what another officer
// changed meanwhile (a deactivation) is not written back over; an error
// from change leaves the record as it was and is answered.
func (s *Store) UpdateExpert(ctx context.Context, id string, at time.Time, change func(*Expert) error, actor, role string) (Expert, error) {
	var after Expert
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+expertCols+` FROM experts WHERE id = $1 FOR UPDATE`, id)
		before, err := pgx.CollectExactlyOneRow(rows, scanExpert)
		if err != nil {
			return notFound(err)
		}
		after = before
		after.Specialties = slices.Clone(before.Specialties)
		if err := change(&after); err != nil {
			return err
		}
		after.ID, after.CreatedAt, after.UpdatedAt = before.ID, before.CreatedAt, at
		if _, err := tx.Exec(ctx, `
			UPDATE experts SET name = $2, specialties = $3, county_code = $4, affiliation_uscc = $5, active = $6, updated_at = $7
			WHERE id = $1`,
			id, after.Name, after.Specialties, after.CountyCode, after.AffiliationUSCC, after.Active, after.UpdatedAt); err != nil {
			return fmt.Errorf("update expert %s: %w", id, err)
		}
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "expert.update",
			ObjectType: "expert", ObjectID: id, Before: before, After: after})
	})
	return after, err
}

// GetExpert reads one expert.
func (s *Store) GetExpert(ctx context.Context, id string) (Expert, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+expertCols+` FROM experts WHERE id = $1`, id)
	e, err := pgx.CollectExactlyOneRow(rows, scanExpert)
	return e, notFound(err)
}

// Experts lists the pool, by id.
func (s *Store) Experts(ctx context.Context) ([]Expert, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+expertCols+` FROM experts ORDER BY id`)
	return pgx.CollectRows(rows, scanExpert)
}

// ExpertPool is the pool as the draw sees it.
func (s *Store) ExpertPool(ctx context.Context) ([]expertdraw.Expert, error) {
	all, err := s.Experts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]expertdraw.Expert, len(all))
	for i, e := range all {
		out[i] = expertdraw.Expert{ID: e.ID, Specialties: e.Specialties, CountyCode: e.CountyCode,
			AffiliationUSCC: e.AffiliationUSCC, Active: e.Active}
	}
	return out, nil
}
