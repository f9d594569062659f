package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ClosedByRemoval is the triage note of a report a removal closed while it
// waited (a change request so closed says it by its status alone).
const ClosedByRemoval = "品牌已移出项目库，不再办理"

// ErrBrandRemoved: the brand has left the library; nothing can be filed on it.
var ErrBrandRemoved = errors.New("brand removed from the library")

// NewReport is a report (举报) from the public. Contact is the reporter's
// identity: it stays in PostgreSQL and is shown to officers only.
type NewReport struct {
	ID         string
	BrandID    string
	Content    string
	Evidence   string
	Contact    string
	ReceivedAt time.Time
}

// SaveReport stores a report under the brand's county, whose officer triages
// it. It returns ErrNotFound for an unknown brand and ErrBrandRemoved for a
// removed one; stored is false when a report of its ID was there before (the
// same filing, merged).
func (s *Store) SaveReport(ctx context.Context, r NewReport) (stored bool, err error) {
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		var county, status string
		// FOR SHARE: a removal being recorded (its step holds the brand's
		// row) is waited for, and then seen — else a report stored as it
		// commits would stay open after the removal closed the others.
		if err := tx.QueryRow(ctx, `SELECT county_code, status FROM brands WHERE id = $1 FOR SHARE`, r.BrandID).Scan(&county, &status); err != nil {
			return notFound(err)
		}
		if status == "removed" {
			return ErrBrandRemoved
		}
		tag, err := tx.Exec(ctx, `INSERT INTO reports (id, brand_id, county_code, content, evidence, contact, received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
			r.ID, r.BrandID, county, r.Content, r.Evidence, r.Contact, r.ReceivedAt)
		if err != nil {
			return fmt.Errorf("save report %s: %w", r.ID, err)
		}
		stored = tag.RowsAffected() == 1
		return nil
	})
	return stored, err
}

// Report is a report as officers see it, the reporter's contact included.
type Report struct {
	ID         string     `json:"id" doc:"举报编号"`
	BrandID    string     `json:"brand_id" doc:"劳务品牌编号"`
	BrandName  string     `json:"brand_name" doc:"劳务品牌名称"`
	CountyCode string     `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Content    string     `json:"content" doc:"内容"`
	Evidence   string     `json:"evidence" doc:"证据或线索"`
	Contact    string     `json:"contact" doc:"联系方式（不向品牌持有单位展示）"`
	Status     string     `json:"status" enum:"report_status" doc:"处理状态"` // open | dismissed | finding | removal_report | closed
	TriageNote string     `json:"triage_note" doc:"处理说明"`
	FindingID  *string    `json:"finding_id" doc:"立案认定的问题编号"`
	ReceivedAt time.Time  `json:"received_at"`
	TriagedAt  *time.Time `json:"triaged_at" doc:"处理时间"`
	TriagedBy  *string    `json:"triaged_by" doc:"处理人"`
}

const reportCols = `r.id, r.brand_id, b.name, r.county_code, r.content, r.evidence, r.contact, r.status, r.triage_note,
	r.finding_id, r.received_at, r.triaged_at, r.triaged_by`

// ReportNamedByFinding reports whether a finding on record other than
// finding (a request's retry names the one its first attempt made) names
// report id — one a finding made after its dismissal, say. Best effort: two
// findings sent at once may both find none.
func (s *Store) ReportNamedByFinding(ctx context.Context, id, finding string) (bool, error) {
	var named bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM findings WHERE report_id = $1 AND id <> $2)`, id, finding).Scan(&named)
	return named, err
}

// GetReport reads one report.
func (s *Store) GetReport(ctx context.Context, id string) (Report, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+reportCols+` FROM reports r JOIN brands b ON b.id = r.brand_id WHERE r.id = $1`, id)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Report])
	return v, notFound(err)
}

// ReportFilter narrows a report list; empty fields do not filter.
type ReportFilter struct {
	Status, County string
	Page
}

// ListReports lists reports, newest first, a page at a time, and the cursor
// of the next page.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) ([]Report, string, error) {
	k, err := f.keyset()
	if err != nil {
		return nil, "", err
	}
	args := []any{f.Status, f.County, k.fetch()}
	where := `($1 = '' OR r.status = $1) AND ($2 = '' OR r.county_code = $2 OR r.county_code IN
		(SELECT county_code FROM review_units WHERE reviewer_code = $2))` // functional zones (RULES §1)
	if k.after != nil {
		where += ` AND (r.received_at, r.id) < ($4, $5)`
		args = append(args, k.after.at, k.after.id)
	}
	rows, _ := s.pool.Query(ctx, `SELECT `+reportCols+` FROM reports r JOIN brands b ON b.id = r.brand_id
		WHERE `+where+` ORDER BY r.received_at DESC, r.id DESC LIMIT $3`, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Report])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, items, func(r Report) position { return position{r.ReceivedAt, r.ID} })
	return items, next, nil
}

// OldestOpenReport is the report on brandID received first among those
// still waiting for triage; nil when none waits.
func (s *Store) OldestOpenReport(ctx context.Context, brandID string) (*records.OpenReport, error) {
	var r records.OpenReport
	var received time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, received_at FROM reports
		WHERE brand_id = $1 AND status = 'open' ORDER BY received_at, id LIMIT 1`, brandID).Scan(&r.ID, &received)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("oldest open report of %s: %w", brandID, err)
	}
	r.ReceivedOn = calendar.DateOf(received)
	return &r, nil
}
