package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Announcement is a published decision on a brand — suspension, renewal,
// restoration or removal (第十五条: 向社会公布). It carries brand, unit,
// county, category and dates only, never personal data (RULES §6).
type Announcement struct {
	ID             int64     `json:"id" doc:"公告编号"`
	BrandID        string    `json:"brand_id" doc:"劳务品牌编号"`
	Kind           string    `json:"kind" enum:"announcement_kind" doc:"决定类型"` // suspension | renewal | restoration | removal
	BrandName      string    `json:"brand_name" doc:"劳务品牌名称"`
	UnitName       string    `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	CountyCode     string    `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Category       string    `json:"category" enum:"category" doc:"所属类别（第六条）"`
	DecidedOn      string    `json:"decided_on" format:"date" doc:"决定日期"`
	EffectiveUntil *string   `json:"effective_until" format:"date" doc:"暂停、再次暂停：暂停的截止日期（含当日）；移出：五年内不得再次申请的截止日期；恢复：null"`
	Summary        string    `json:"summary" doc:"公告内容"`
	PublishedAt    time.Time `json:"published_at" doc:"发布时间"`
}

// AnnouncementFilter narrows the list; empty fields do not filter.
type AnnouncementFilter struct {
	Kind, BrandID string
	Page
}

// ListAnnouncements lists announcements, newest first, a page at a time, and
// the cursor of the next page.
func (s *Store) ListAnnouncements(ctx context.Context, f AnnouncementFilter) ([]Announcement, string, error) {
	k, err := f.keyset()
	if err != nil {
		return nil, "", err
	}
	args := []any{f.Kind, f.BrandID, k.fetch()}
	where := `($1 = '' OR kind = $1) AND ($2 = '' OR brand_id = $2)`
	if k.after != nil {
		id, err := strconv.ParseInt(k.after.id, 10, 64)
		if err != nil {
			return nil, "", ErrBadCursor
		}
		where += ` AND (published_at, id) < ($4, $5)`
		args = append(args, k.after.at, id)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT id, brand_id, kind, brand_name, unit_name, county_code, category, to_char(decided_on, 'YYYY-MM-DD'),
		       to_char(effective_until, 'YYYY-MM-DD'), summary, published_at
		FROM announcements WHERE `+where+` ORDER BY published_at DESC, id DESC LIMIT $3`, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Announcement])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, items, func(a Announcement) position {
		return position{a.PublishedAt, strconv.FormatInt(a.ID, 10)}
	})
	return items, next, nil
}
