package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// The holder's requests: biennial evaluation reports (第十五条) and change
// registrations (附件2). The API stores each row, with the Update that
// tells the brand's process the row's id (untold.go), before it tells it,
// and deletes a row the process refused.

// NewEvaluation is an evaluation report as the holder filed it.
type NewEvaluation struct {
	ID      string
	BrandID string
	Period  string
	Report  any // the figures and summary, kept here only
	FiledAt time.Time
	// Tell, when set, is the Update that tells the brand's process of the
	// report, stored with it until the process answers (UntoldUpdate).
	Tell *UntoldUpdate
}

// SaveEvaluation stores an evaluation report. created is false when a row
// with its id exists already (a retried request), which is then left as is.
func (s *Store) SaveEvaluation(ctx context.Context, e NewEvaluation) (created bool, err error) {
	report, err := json.Marshal(e.Report)
	if err != nil {
		return false, fmt.Errorf("evaluation %s: %w", e.ID, err)
	}
	tell, err := untoldFor(UntoldEvaluation, e.ID, e.Tell)
	if err != nil {
		return false, err
	}
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO evaluations (id, brand_id, period, report, filed_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, e.ID, e.BrandID, e.Period, report, e.FiledAt)
		if err != nil {
			return err
		}
		created = tag.RowsAffected() == 1
		return insertUntold(ctx, tx, tell)
	})
	if err != nil {
		return false, fmt.Errorf("save evaluation %s: %w", e.ID, err)
	}
	return created, nil
}

// StoredReport is the development report of q's brand and period stored
// before q.Before and never told to its process — its Update still
// untold — or none (records.StoredReport).
func (s *Store) StoredReport(ctx context.Context, q records.StoredReportQuery) (records.StoredReport, error) {
	var r records.StoredReport
	var args []byte
	err := s.pool.QueryRow(ctx, `SELECT e.id, u.update_id, u.args, e.filed_at FROM evaluations e
		JOIN untold_updates u ON u.record_kind = $4 AND u.record_id = e.id
		WHERE e.brand_id = $1 AND e.period = $2 AND e.filed_at < $3 AND e.outcome IS NULL
		ORDER BY e.filed_at, e.id LIMIT 1`, q.BrandID, q.Period, q.Before, UntoldEvaluation).Scan(&r.ReportID, &r.UpdateID, &args, &r.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return records.StoredReport{}, nil
	}
	if err != nil {
		return r, fmt.Errorf("stored report of %s: %w", q.BrandID, err)
	}
	var told struct {
		Actor struct {
			Sub  string `json:"sub"`
			Role string `json:"role"`
		} `json:"actor"`
	}
	if err := json.Unmarshal(args, &told); err != nil {
		return r, fmt.Errorf("stored report %s: %w", r.ReportID, err)
	}
	r.By, r.Role = told.Actor.Sub, told.Actor.Role
	return r, nil
}

// DeleteEvaluation removes a report the process refused (never an assessed
// one), and the Update stored to tell of it.
func (s *Store) DeleteEvaluation(ctx context.Context, id string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return deleteRecord(ctx, tx, UntoldEvaluation, id) })
}

// EvaluationView is an evaluation report with its assessment, if made.
type EvaluationView struct {
	ID         string          `json:"id" doc:"编号"`
	BrandID    string          `json:"brand_id" doc:"劳务品牌编号"`
	Period     string          `json:"period" doc:"评估周期，如 2026-2028"`
	Report     json.RawMessage `json:"report" doc:"报告的数字与综述（EvaluationRequest 的字段）"`
	FiledAt    time.Time       `json:"filed_at" doc:"提交时间"`
	Outcome    *string         `json:"outcome" enum:"assessment_outcome" doc:"综合评估结论"`
	Opinion    *string         `json:"opinion" doc:"评估意见"`
	AssessedAt *time.Time      `json:"assessed_at" doc:"评估时间"`
}

const evaluationCols = `id, brand_id, period, report, filed_at, outcome, opinion, assessed_at`

// GetEvaluation reads one evaluation report.
func (s *Store) GetEvaluation(ctx context.Context, id string) (EvaluationView, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+evaluationCols+` FROM evaluations WHERE id = $1`, id)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[EvaluationView])
	return v, notFound(err)
}

// brandEvaluationsSQL lists a brand's evaluation reports, oldest first.
const brandEvaluationsSQL = `SELECT ` + evaluationCols + ` FROM evaluations WHERE brand_id = $1 ORDER BY filed_at, id`

// NewChange is a change registration (附件2) as the holder requested it.
type NewChange struct {
	ID          string
	BrandID     string
	Changes     map[string]any // field → new value, as validated
	Reason      string
	Major       bool // RULES §4: brand name, holder, USCC, brand type or category
	RequestedAt time.Time
	RequestedBy string
	// Tell, when set, is the Update that tells the brand's process of the
	// request, stored with it until the process answers (UntoldUpdate).
	Tell *UntoldUpdate
}

// SaveChange stores a change request; created is false when a row with its
// id exists already (a retried request).
func (s *Store) SaveChange(ctx context.Context, c NewChange) (created bool, err error) {
	changes, err := json.Marshal(c.Changes)
	if err != nil {
		return false, fmt.Errorf("change %s: %w", c.ID, err)
	}
	tell, err := untoldFor(UntoldChange, c.ID, c.Tell)
	if err != nil {
		return false, err
	}
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO brand_changes (id, brand_id, changes, reason, major, requested_at, requested_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
			c.ID, c.BrandID, changes, c.Reason, c.Major, c.RequestedAt, c.RequestedBy)
		if err != nil {
			return err
		}
		created = tag.RowsAffected() == 1
		return insertUntold(ctx, tx, tell)
	})
	if err != nil {
		return false, fmt.Errorf("save change %s: %w", c.ID, err)
	}
	return created, nil
}

// DeleteChange removes a change request the process refused (never one
// that has an opinion), and the Update stored to tell of it.
func (s *Store) DeleteChange(ctx context.Context, id string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return deleteRecord(ctx, tx, UntoldChange, id) })
}

// ChangeView is a change request with its opinions.
type ChangeView struct {
	ID            string          `json:"id" doc:"编号"`
	BrandID       string          `json:"brand_id" doc:"劳务品牌编号"`
	Changes       json.RawMessage `json:"changes" doc:"变更的字段及新值（推荐表的字段）"`
	Reason        string          `json:"reason" doc:"变更理由"`
	Major         bool            `json:"major" doc:"重大变更（品牌名称、持有单位、统一社会信用代码、品牌类型或类别，RULES §4）；每项变更均经县级、市级审核"`
	Status        string          `json:"status" enum:"change_status" doc:"待县级（county）或市级（city）审核，或已批准（approved）、不予批准（refused）、已终止（closed：审核中品牌已移出项目库）"` // county | city | approved | refused | closed
	CountyOpinion *string         `json:"county_opinion" doc:"县级意见"`
	CityOpinion   *string         `json:"city_opinion" doc:"市级意见"`
	RequestedAt   time.Time       `json:"requested_at" doc:"申请时间"`
	DecidedAt     *time.Time      `json:"decided_at" doc:"决定时间"`
	Replaced      *map[string]any `json:"replaced" doc:"决定时（批准、不予批准或终止）品牌记录中所变更各项的原值（批准时即被替换的原值），记录中原先没有的项不列出；审核中的，或 2026-12 之前决定的，为 null"`
}

const changeCols = `id, brand_id, changes, reason, major, status, county_opinion, city_opinion, requested_at, decided_at, replaced`

// GetChange reads one change request.
func (s *Store) GetChange(ctx context.Context, id string) (ChangeView, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+changeCols+` FROM brand_changes WHERE id = $1`, id)
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[ChangeView])
	return v, notFound(err)
}

// brandChangesSQL lists a brand's change requests, oldest first.
const brandChangesSQL = `SELECT ` + changeCols + ` FROM brand_changes WHERE brand_id = $1 ORDER BY requested_at, id`

// BrandForm is the brand's current record: the 推荐表 (附件1) it was admitted
// with and every approved change (附件2) over it — the base a
// change request is validated against.
func (s *Store) BrandForm(ctx context.Context, brandID string) (map[string]any, error) {
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT coalesce(b.current_form, a.form) FROM brands b LEFT JOIN applications a ON a.id = b.application_id WHERE b.id = $1`,
		brandID).Scan(&raw)
	if err != nil {
		return nil, notFound(err)
	}
	var form map[string]any
	if err := json.Unmarshal(raw, &form); err != nil {
		return nil, fmt.Errorf("form of brand %s: %w", brandID, err)
	}
	return form, nil
}

// ReplacedSince is, for each field of fields that an approved change decided
// after change id replaced, the value it replaced: what the record held for
// that field when id was decided. A field no later change touched is left
// out (the record in force holds it still).
func (s *Store) ReplacedSince(ctx context.Context, id string, fields []string) (map[string]string, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT DISTINCT ON (k) k, coalesce(c.replaced ->> k, '')
		FROM brand_changes d JOIN brand_changes c ON c.brand_id = d.brand_id, unnest($2::text[]) k
		WHERE d.id = $1 AND d.decided_at IS NOT NULL AND c.status = 'approved' AND c.replaced ? k
		  AND (c.decided_at, c.id) > (d.decided_at, d.id)
		ORDER BY k, c.decided_at, c.id`, id, fields)
	out := map[string]string{}
	var k, v string
	_, err := pgx.ForEachRow(rows, []any{&k, &v}, func() error { out[k] = v; return nil })
	return out, err
}
