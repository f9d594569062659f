package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Statistics are the library's figures (GET /api/v1/statistics), computed
// by PostgreSQL from the records in one read-only snapshot. The brands'
// figures are their state now; the flows — applications, decisions,
// objections, deadlines, days per stage — are those of the period.
type Statistics struct {
	County string `json:"county"` // "" for the whole city
	Year   int    `json:"year"`   // 0: every year
	// From and To bound the period (YYYY-MM-DD, To included), or are "".
	From, To string      `json:"-"`
	Brands   []BrandCell `json:"brands"`
	// BrandsTotal counts every brand on record, removed ones included; the
	// brands in the library now (现有) are the others (stats.InLibrary).
	BrandsTotal  int               `json:"brands_total"`
	AdmittedIn   int               `json:"admitted_in_period"`
	Ladder       []LadderCount     `json:"ladder"`
	Applications []ApplicationCell `json:"applications"`
	Reviews      []ReviewCount     `json:"reviews"`
	Objections   []ObjectionCount  `json:"objections"`
	Deadlines    []OfficeDeadlines `json:"deadlines"`
	StageDays    []StageDays       `json:"stage_days"`
	GeneratedAt  time.Time         `json:"generated_at"`
	// CountyNames names the 初审 units by code (review_units), functional
	// zones included, so that the prints of the figures name and count a
	// zone's brands. Left out of the JSON: the API's schema is unchanged,
	// and a reader of it falls back to the 14 counties.
	CountyNames map[string]string `json:"-"`
}

// BrandCell counts the brands of one county, category and status.
type BrandCell struct {
	CountyCode string `json:"county_code"`
	Category   string `json:"category"`
	Status     string `json:"status"`
	Count      int    `json:"count"`
}

// LadderCount counts the brands on one rung of 第十五条's ladder: active,
// level_1 (a month to rectify), level_2 (interview, three months),
// suspended, removed.
type LadderCount struct {
	Level string `json:"level"`
	Count int    `json:"count"`
}

// ApplicationCell counts a round's applications in one stage.
type ApplicationCell struct {
	RoundID   string `json:"round_id"`
	RoundName string `json:"round_name"`
	Stage     string `json:"stage"`
	Count     int    `json:"count"`
}

// ReviewCount is one review's decisions (初审 county_review, 复审
// city_review) and its pass rate: approvals over approvals and rejections
// (a return is not a verdict: the application comes back).
type ReviewCount struct {
	Review   string   `json:"review"`
	Approved int      `json:"approved"`
	Rejected int      `json:"rejected"`
	Returned int      `json:"returned"`
	PassRate *float64 `json:"pass_rate"` // null before any verdict
}

// ObjectionCount counts objections by how they came (public | mail) and
// where they stand (open | upheld | dismissed).
type ObjectionCount struct {
	Via    string `json:"via"`
	Status string `json:"status"`
	Count  int    `json:"count"`
}

// OfficeDeadlines is one office's officer deadlines: a county bureau (its
// county code) or the city ("city"). Decided counts its decisions; Missed
// the deadlines that passed undecided (each escalated once at least), of
// which OverdueNow are still open; Met the decisions made in time.
type OfficeDeadlines struct {
	Office     string   `json:"office"`
	Decided    int      `json:"decided"`
	Met        int      `json:"met"`
	Missed     int      `json:"missed"`
	OverdueNow int      `json:"overdue_now"`
	MetRate    *float64 `json:"met_rate"` // met / (met + missed); null with neither
}

// StageDays is how long applications stayed in a stage, in calendar days,
// over the stays that ended: public_notice runs from the 复审 approval to
// admission or rejection, objection review included.
type StageDays struct {
	Stage  string  `json:"stage"`
	Stays  int     `json:"stays"`
	Median float64 `json:"median_days"`
	P90    float64 `json:"p90_days"`
}

// StatisticsFilter narrows the figures to a county and the flows to a year.
type StatisticsFilter struct {
	County string
	Year   int
	Now    time.Time // what "overdue now" is measured against
}

// officeDecisions are the events that conclude an officer's deadline, and
// whose office — the county's or the city's — it was. A change's opinion is
// the office's that gave it (the county's approval goes on to the city; a
// refusal, by either, and the city's approval end it); a report's triage
// concludes the county's deadline, whoever took it (a brand's process arms
// it for the county alone). matter is the kind of deadline each concludes,
// as an escalation's key names it (the workflows' deadline keys). The objections of one
// day share one ruling deadline (RULES §3), as do days off whose deadline
// falls on one day: their rulings conclude it once, on the last ruling,
// however many objections it had.
const officeDecisions = `
	SELECT a.county_code, e.action LIKE 'county_review.%' AS county, e.at, 'application' AS object_type, e.application_id AS object_id,
	       split_part(e.action, '.', 1) AS matter
	FROM application_events e JOIN applications a ON a.id = e.application_id
	WHERE e.action IN ('county_review.approve', 'county_review.reject', 'county_review.return', 'city_review.approve',
	                   'city_review.reject')
	UNION ALL
	SELECT a.county_code, false, max(o.ruled_at), 'application', o.application_id, 'objection'
	FROM objections o JOIN applications a ON a.id = o.application_id
	WHERE o.ruled_at IS NOT NULL GROUP BY o.application_id, coalesce(o.ruling_due, o.received_on), a.county_code
	UNION ALL
	SELECT b.county_code, e.action = 'interview.held' OR e.action LIKE 'change.%' AND e.role = 'county_officer', e.at, 'brand', e.brand_id,
	       CASE split_part(e.action, '.', 1) WHEN 'interview' THEN 'interview' WHEN 'change' THEN 'change'
	            WHEN 'evaluation' THEN 'evaluation_assessment' ELSE split_part(e.action, '.', 1) || '_decision' END
	FROM brand_events e JOIN brands b ON b.id = e.brand_id
	WHERE e.action IN ('interview.held', 'change.county_opinion', 'change.approved', 'change.refused', 'suspension.decided',
	                   'suspension.declined', 'renewal.decided', 'renewal.declined', 'removal.decided', 'removal.declined',
	                   'evaluation.pass', 'evaluation.findings', 'evaluation.removal_proposed')
	UNION ALL
	SELECT b.county_code, true, r.triaged_at, 'brand', r.brand_id, 'report_triage'
	FROM reports r JOIN brands b ON b.id = r.brand_id
	WHERE r.status IN ('dismissed', 'finding', 'removal_report')`

// escalatedMatter is the kind of deadline an escalation in the outbox is
// of: its dedupe key is "{workflow ID}/{deadline key}/{due}/{seq}/{audience}"
// and a deadline key "kind" or "kind:id" (an objection's, by day or by
// objection, is "objection"); "" for a key not of that form, which is
// matched with any decision on its application or brand.
const escalatedMatter = `(CASE WHEN split_part(split_part(dedupe_key, '/', 2), ':', 1) LIKE 'objection_%' THEN 'objection'
	ELSE split_part(split_part(dedupe_key, '/', 2), ':', 1) END)`

// The stage each application event moves to (” ends the application). An
// upheld objection rejects the application (第十三条): its ruling ends the
// notice — objection.upheld, or a ruling recorded before that step was.
const stageSpans = `
	SELECT e.application_id, e.id, e.at, CASE
	         WHEN e.action IN ('county_review.opened', 'resubmitted') THEN 'county_review'
	         WHEN e.action = 'county_review.approve' THEN 'city_review'
	         WHEN e.action = 'county_review.return' THEN 'returned'
	         WHEN e.action = 'city_review.approve' THEN 'public_notice'
	         ELSE '' END AS stage
	FROM application_events e JOIN applications a ON a.id = e.application_id
	WHERE (e.action IN ('county_review.opened', 'resubmitted', 'county_review.approve', 'county_review.return',
	                    'county_review.reject', 'city_review.approve', 'city_review.reject', 'admitted', 'withdrawn',
	                    'objection.upheld')
	       OR e.action = 'objection.ruled' AND e.note LIKE '异议成立%')
	  AND ($1 = '' OR a.county_code = $1)`

// Statistics computes the figures.
func (s *Store) Statistics(ctx context.Context, f StatisticsFilter) (Statistics, error) {
	// Every list is [] when empty, never null (API.md lists; /openapi.json).
	st := Statistics{County: f.County, Year: f.Year, GeneratedAt: f.Now, Brands: []BrandCell{}, Ladder: []LadderCount{},
		Applications: []ApplicationCell{}, Reviews: []ReviewCount{}, Objections: []ObjectionCount{}, Deadlines: []OfficeDeadlines{},
		StageDays: []StageDays{}, CountyNames: map[string]string{}}
	// The period as instants in Asia/Shanghai; every year when Year is 0.
	from, to := time.Date(1949, 10, 1, 0, 0, 0, 0, calendar.Shanghai), time.Date(9999, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
	if f.Year != 0 {
		from, to = time.Date(f.Year, 1, 1, 0, 0, 0, 0, calendar.Shanghai), time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
		st.From, st.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	c := f.County
	fromDay, toDay := from.Format(time.DateOnly), to.Format(time.DateOnly) // for date columns; toDay excluded
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return st, err
	}
	defer tx.Rollback(ctx)
	q := func(what string, sql string, args []any, each func(pgx.CollectableRow) error) {
		if err != nil {
			return
		}
		rows, _ := tx.Query(ctx, sql, args...)
		_, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct{}, error) { return struct{}{}, each(r) })
		if err != nil {
			err = fmt.Errorf("statistics, %s: %w", what, err)
		}
	}
	q("brands", `SELECT county_code, category, status, count(*) FROM brands WHERE $1 = '' OR county_code = $1
		GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, []any{c}, func(r pgx.CollectableRow) error {
		var b BrandCell
		err := r.Scan(&b.CountyCode, &b.Category, &b.Status, &b.Count)
		st.Brands, st.BrandsTotal = append(st.Brands, b), st.BrandsTotal+b.Count
		return err
	})
	q("county names", countyNamesSQL, nil, func(r pgx.CollectableRow) error {
		var code, name string
		err := r.Scan(&code, &name)
		st.CountyNames[code] = name
		return err
	})
	q("admitted", `SELECT count(*) FROM brands WHERE ($1 = '' OR county_code = $1) AND admitted_on >= $2::date AND admitted_on < $3::date`,
		[]any{c, fromDay, toDay}, func(r pgx.CollectableRow) error { return r.Scan(&st.AdmittedIn) })
	q("ladder", `SELECT CASE status WHEN 'rectifying' THEN 'level_' || coalesce(rectification->>'level', '1') ELSE status END, count(*)
		FROM brands WHERE $1 = '' OR county_code = $1 GROUP BY 1`, []any{c}, func(r pgx.CollectableRow) error {
		var l LadderCount
		err := r.Scan(&l.Level, &l.Count)
		st.Ladder = append(st.Ladder, l)
		return err
	})
	q("applications", `SELECT a.round_id, coalesce(r.name, ''), a.stage, count(*) FROM applications a LEFT JOIN rounds r ON r.id = a.round_id
		WHERE ($1 = '' OR a.county_code = $1) AND a.submitted_at >= $2 AND a.submitted_at < $3
		GROUP BY 1, 2, 3 ORDER BY min(a.submitted_at), 1, 3`, []any{c, from, to}, func(r pgx.CollectableRow) error {
		var a ApplicationCell
		err := r.Scan(&a.RoundID, &a.RoundName, &a.Stage, &a.Count)
		st.Applications = append(st.Applications, a)
		return err
	})
	reviews := map[string]*ReviewCount{"county_review": {Review: "county_review"}, "city_review": {Review: "city_review"}}
	q("reviews", `SELECT split_part(e.action, '.', 1), split_part(e.action, '.', 2), count(*)
		FROM application_events e JOIN applications a ON a.id = e.application_id
		WHERE e.action IN ('county_review.approve', 'county_review.reject', 'county_review.return', 'city_review.approve', 'city_review.reject')
		  AND ($1 = '' OR a.county_code = $1) AND e.at >= $2 AND e.at < $3 GROUP BY 1, 2`, []any{c, from, to}, func(r pgx.CollectableRow) error {
		var review, decision string
		var n int
		err := r.Scan(&review, &decision, &n)
		switch decision {
		case "approve":
			reviews[review].Approved = n
		case "reject":
			reviews[review].Rejected = n
		case "return":
			reviews[review].Returned = n
		}
		return err
	})
	for _, k := range []string{"county_review", "city_review"} {
		r := reviews[k]
		r.PassRate = ratio(r.Approved, r.Approved+r.Rejected)
		st.Reviews = append(st.Reviews, *r)
	}
	q("objections", `SELECT o.via, o.status, count(*) FROM objections o JOIN applications a ON a.id = o.application_id
		WHERE o.status <> 'draft' AND ($1 = '' OR a.county_code = $1) AND o.created_at >= $2 AND o.created_at < $3
		GROUP BY 1, 2 ORDER BY 1, 2`, []any{c, from, to}, func(r pgx.CollectableRow) error {
		var o ObjectionCount
		err := r.Scan(&o.Via, &o.Status, &o.Count)
		st.Objections = append(st.Objections, o)
		return err
	})
	// An office's deadlines: its decisions, the deadlines escalated (each
	// once, by object and due day; a holder's own are not an office's) and
	// the tasks overdue now. A county's office is a bureau: a functional
	// zone's decisions count for the bureau that reviews it, as its
	// escalations and tasks do (RULES §1); ?county= selects by where the
	// application or brand is, as every other figure does.
	q("deadlines", `
		WITH decisions AS NOT MATERIALIZED (`+officeDecisions+`),
		decided AS (
			SELECT CASE WHEN county THEN coalesce(u.reviewer_code, d.county_code) ELSE 'city' END AS office, count(*) AS n
			FROM decisions d LEFT JOIN review_units u ON u.county_code = d.county_code
			WHERE ($1 = '' OR d.county_code = $1) AND at >= $2 AND at < $3 GROUP BY 1),
		escalated AS (
			SELECT CASE WHEN bool_or(audience = 'county_officer') THEN max(county_code) ELSE 'city' END AS office,
			       bool_or(audience = 'county_officer') AS county, object_type, object_id, due, matter
			FROM (SELECT *, `+escalatedMatter+` AS matter FROM outbox) o
			WHERE kind = 'escalation' AND ($1 = '' OR coalesce(`+objectPlace("o")+`, county_code) = $1)
			GROUP BY object_type, object_id, due, matter HAVING NOT bool_or(audience = 'applicant')),
		missed AS (
			SELECT office, count(*) AS n FROM escalated WHERE due >= $5::date AND due < $6::date GROUP BY 1),
		late AS (
			SELECT office, count(*) AS n FROM (
				SELECT e.office, min(d.at) AS at
				FROM escalated e JOIN decisions d ON d.object_type = e.object_type AND d.object_id = e.object_id
				  AND d.county = e.county AND d.at >= (e.due + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
				  AND (e.matter = '' OR d.matter = e.matter)
				GROUP BY e.office, e.object_type, e.object_id, e.due, e.matter) l
			WHERE at >= $2 AND at < $3 GROUP BY 1),
		overdue AS (
			SELECT CASE audience WHEN 'county_officer' THEN county_code ELSE 'city' END AS office,
			       count(DISTINCT (object_type, object_id, kind)) AS n
			FROM tasks WHERE audience IN ('county_officer', 'city_officer') AND due_at < $4 AND ($1 = '' OR `+taskPlace+` = $1)
			  AND due >= $5::date AND due < $6::date GROUP BY 1)
		SELECT office, coalesce(decided.n, 0), coalesce(late.n, 0), coalesce(missed.n, 0), coalesce(overdue.n, 0)
		FROM decided FULL JOIN missed USING (office) FULL JOIN late USING (office) FULL JOIN overdue USING (office)
		ORDER BY office = 'city' DESC, office`,
		[]any{c, from, to, f.Now, fromDay, toDay}, func(r pgx.CollectableRow) error {
			var o OfficeDeadlines
			var late int
			err := r.Scan(&o.Office, &o.Decided, &late, &o.Missed, &o.OverdueNow)
			// A decision is late when it concludes a deadline escalated before
			// it (its object's first decision by that office after the last
			// day): counted in the year it was made, as decisions are, however
			// far the deadline lies behind.
			o.Met = max(o.Decided-late, 0)
			o.MetRate = ratio(o.Met, o.Met+o.Missed)
			st.Deadlines = append(st.Deadlines, o)
			return err
		})
	q("stage days", `
		WITH moves AS (`+stageSpans+`),
		stays AS (
			SELECT stage, at, extract(epoch FROM lead(at) OVER (PARTITION BY application_id ORDER BY at, id) - at) / 86400 AS days FROM moves)
		SELECT stage, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
		FROM stays WHERE stage <> '' AND days IS NOT NULL AND at >= $2 AND at < $3
		GROUP BY 1 ORDER BY array_position(ARRAY['county_review', 'returned', 'city_review', 'public_notice'], stage)`,
		[]any{c, from, to}, func(r pgx.CollectableRow) error {
			var d StageDays
			err := r.Scan(&d.Stage, &d.Stays, &d.Median, &d.P90)
			st.StageDays = append(st.StageDays, d)
			return err
		})
	if err != nil {
		return st, err
	}
	return st, tx.Commit(ctx)
}

func ratio(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}
