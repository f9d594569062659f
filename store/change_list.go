package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangeFilter selects change requests (附件2) across brands.
type ChangeFilter struct {
	Status string // county | city | approved | refused | closed; "" any
	County string // the brand's county; "" any
	Page
}

// ChangeListed is one change request in the officers' list.
type ChangeListed struct {
	ID          string     `json:"id" doc:"变更申请编号"`
	BrandID     string     `json:"brand_id" doc:"劳务品牌编号"`
	BrandName   string     `json:"brand_name" doc:"劳务品牌名称"`
	CountyCode  string     `json:"county_code" doc:"品牌所在县（市、区）代码"`
	Status      string     `json:"status" enum:"change_status" doc:"进度：待县级、待市级审核，已批准，不予批准，已终止（审核中品牌已移出）"`
	Major       bool       `json:"major" doc:"重大变更（名称、持有单位等）"`
	Reason      string     `json:"reason" doc:"变更理由"`
	RequestedAt time.Time  `json:"requested_at" doc:"申请时间"`
	DecidedAt   *time.Time `json:"decided_at" doc:"办结时间；未办结为 null"`
}

// ListChanges lists change requests, newest first, a page at a time.
func (s *Store) ListChanges(ctx context.Context, f ChangeFilter) ([]ChangeListed, string, error) {
	k, err := f.Page.keyset()
	if err != nil {
		return nil, "", err
	}
	args := []any{f.Status, f.County, k.fetch()}
	where := `($1 = '' OR c.status = $1) AND ($2 = '' OR b.county_code = $2 OR b.county_code IN
		(SELECT county_code FROM review_units WHERE reviewer_code = $2))` // functional zones (RULES §1)
	if k.after != nil {
		where += ` AND (c.requested_at, c.id) < ($4, $5)`
		args = append(args, k.after.at, k.after.id)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c.id, c.brand_id, b.name, b.county_code, c.status, c.major, c.reason, c.requested_at, c.decided_at
		FROM brand_changes c JOIN brands b ON b.id = c.brand_id
		WHERE `+where+` ORDER BY c.requested_at DESC, c.id DESC LIMIT $3`, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list changes: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ChangeListed])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, list, func(c ChangeListed) position { return position{c.RequestedAt, c.ID} })
	return items, next, nil
}
