package store

import (
	"context"
	"fmt"
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

// SaveExpert inserts or replaces an expert, with its audit row.
func (s *Store) SaveExpert(ctx context.Context, e Expert, actor, role string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var before *Expert
		rows, _ := tx.Query(ctx, `SELECT `+expertCols+` FROM experts WHERE id = $1 FOR UPDATE`, e.ID)
		if old, err := pgx.CollectExactlyOneRow(rows, scanExpert); err == nil {
			before = &old
			e.CreatedAt = old.CreatedAt
		} else if err != pgx.ErrNoRows {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO experts (id, name, specialties, county_code, affiliation_uscc, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET name = $2, specialties = $3, county_code = $4, affiliation_uscc = $5, active = $6, updated_at = $8`,
			e.ID, e.Name, e.Specialties, e.CountyCode, e.AffiliationUSCC, e.Active, e.CreatedAt, e.UpdatedAt)
		if err != nil {
			return fmt.Errorf("save expert %s: %w", e.ID, err)
		}
		action := "expert.create"
		if before != nil {
			action = "expert.update"
		}
		return AppendAudit(ctx, tx, AuditEntry{At: e.UpdatedAt, Actor: actor, Role: role, Action: action,
			ObjectType: "expert", ObjectID: e.ID, Before: before, After: e})
	})
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
