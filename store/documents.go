package store

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// What the printed documents (internal/paper) read besides the views.

// ReviewOpinion is the latest 初审 or 复审 decision recorded on an
// application: its action (county_review.approve …) and its note.
type ReviewOpinion struct {
	Action, Note string
	At           time.Time
}

// ReviewOpinions reads the latest 初审 and 复审 decisions of an application's
// form as it stands; a zero ReviewOpinion where none was made. An objection
// upheld after the 复审 (第十三条) is the city's last word: it stands in the
// city's place. A decision
// before the last resubmission was on the form returned, not on this one:
// the printed 附件1 the holder signs leaves its box empty until the county
// decides again.
func (s *Store) ReviewOpinions(ctx context.Context, appID string) (county, city ReviewOpinion, err error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT DISTINCT ON (split_part(action, '.', 1)) action, note, at FROM application_events
		WHERE application_id = $1 AND action IN ('county_review.approve', 'county_review.reject', 'county_review.return',
		      'city_review.approve', 'city_review.reject', 'objection.upheld')
		  AND id > coalesce((SELECT max(id) FROM application_events WHERE application_id = $1 AND action = 'resubmitted'), 0)
		ORDER BY split_part(action, '.', 1), id DESC`, appID)
	ops, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ReviewOpinion])
	for _, o := range ops {
		if strings.HasPrefix(o.Action, "county_review.") {
			county = o
		} else {
			city = o
		}
	}
	return county, city, err
}

// RemovalRecord is what 附件3 shows of a brand's removal: the situations
// ticked, the county's report and the city's decision.
type RemovalRecord struct {
	Reasons     []string
	Description string
	ReportedAt  *time.Time // nil when the process proposed it (third suspension, evaluation)
	Decision    string     // "" while undecided
	Decided     bool
	Removed     bool
}

// BrandRemoval reads the brand's latest removal proposal: reported by its
// county (removal.reported, note "codes：description"), by an evaluation,
// or the process's own (a third suspension, which records no event of its
// own), with the reasons the city has before it — those of the removal
// matter while it waits, those it decided on once decided, a county's
// report and the process's proposal joined as one (RULES §4); ErrNotFound
// when the brand has never been proposed for removal.
func (s *Store) BrandRemoval(ctx context.Context, brandID string) (RemovalRecord, error) {
	var r RemovalRecord
	var matters []byte
	var status string
	var banReason *string
	err := s.pool.QueryRow(ctx, `SELECT status, open_matters,
		       (SELECT reason FROM bans WHERE brand_id = b.id ORDER BY id DESC LIMIT 1)
		FROM brands b WHERE id = $1`, brandID).Scan(&status, &matters, &banReason)
	if err != nil {
		return r, notFound(err)
	}
	rows, _ := s.pool.Query(ctx, `SELECT action, note, at FROM brand_events WHERE brand_id = $1
		AND action IN ('removal.reported', 'removal.decided', 'removal.declined', 'evaluation.removal_proposed') ORDER BY id`, brandID)
	events, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ReviewOpinion])
	if err != nil {
		return r, err
	}
	declined := false // the last decision declined the removal
	for _, e := range events {
		switch e.Action {
		case "removal.reported":
			at := e.At
			codes, desc, _ := strings.Cut(e.Note, "：")
			r = RemovalRecord{Reasons: strings.Split(codes, ","), Description: desc, ReportedAt: &at}
		case "evaluation.removal_proposed":
			r = RemovalRecord{Reasons: []string{"no_longer_eligible"}, Description: e.Note}
		case "removal.decided", "removal.declined":
			if r.Decided { // decided twice with no report between: the second proposal was the process's own
				r = RemovalRecord{}
			}
			r.Decision, r.Decided, declined = "同意移出。"+e.Note, true, e.Action == "removal.declined"
			if declined {
				r.Decision = "不予移出。" + e.Note
			}
		}
	}
	switch {
	case waitingRemoval(matters) != nil:
		if r.Decided { // a new proposal since the last decision: the process's own
			r = RemovalRecord{}
		}
		r.Reasons = waitingRemoval(matters)
	case status == "removed" && banReason != nil && *banReason != "":
		r.Reasons = strings.Split(*banReason, ",") // what the city removed it for
	case declined:
		if reasons, err := s.declinedRemovalReasons(ctx, brandID); err != nil {
			return r, err
		} else if reasons != nil {
			r.Reasons = reasons
		}
	}
	r.Removed = status == "removed"
	if len(r.Reasons) == 0 {
		return r, ErrNotFound
	}
	return r, nil
}

// waitingRemoval is the reasons of the removal matter among the brand's
// open matters (records.OpenMatter), nil when none waits.
func waitingRemoval(matters []byte) []string {
	var ms []struct{ Kind, Reason string }
	if json.Unmarshal(matters, &ms) != nil {
		return nil
	}
	for _, m := range ms {
		if m.Kind == proposedRemoval && m.Reason != "" {
			return strings.Split(m.Reason, ",")
		}
	}
	return nil
}

// declinedRemovalReasons is what the brand's latest declined removal was
// proposed for: the removal matter in its standing as the last step before
// the decision left it (each step's audit row keeps the standing); nil when
// no step kept one (a process from before the open matters).
func (s *Store) declinedRemovalReasons(ctx context.Context, brandID string) ([]string, error) {
	var matters []byte
	err := s.pool.QueryRow(ctx, `SELECT after->'standing'->'open_matters' FROM audit_log
		WHERE object_type = 'brand' AND object_id = $1 AND after ? 'standing'
		  AND id < (SELECT max(id) FROM audit_log WHERE object_type = 'brand' AND object_id = $1 AND action = 'brand.removal.declined')
		ORDER BY id DESC LIMIT 1`, brandID).Scan(&matters)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return waitingRemoval(matters), err
}

// Listed is a brand on a published list (公示, 入库名单).
type Listed struct {
	ID, BrandName, UnitName, CountyCode, Category, BrandType string
	On                                                       string // the notice's period (YYYY-MM-DD至YYYY-MM-DD) or the admission date
	// Status is the brand's status on the 入库名单 ("" on a 公示): a
	// suspended brand may not use the logo (第十五条（三）), and the list
	// says so.
	Status string
	// Imported marks a brand admitted before the system and entered from
	// the bureau's old list (no application): it went through no
	// 推荐、初审、复审和公示 recorded here.
	Imported bool
}

// NoticeList is the applications in 公示, of one round or all, and the
// period they span (the earliest start and the latest end, YYYY-MM-DD).
func (s *Store) NoticeList(ctx context.Context, roundID string) (list []Listed, start, end string, err error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT id, brand_name, unit_name, county_code, category, brand_type,
		       to_char(notice_start, 'YYYY-MM-DD'), to_char(notice_end, 'YYYY-MM-DD')
		FROM applications WHERE stage = 'public_notice' AND notice_start IS NOT NULL AND ($1 = '' OR round_id = $1)
		ORDER BY notice_end, id`, roundID)
	var l Listed
	var from, to string
	_, err = pgx.ForEachRow(rows, []any{&l.ID, &l.BrandName, &l.UnitName, &l.CountyCode, &l.Category, &l.BrandType, &from, &to}, func() error {
		l.On = from + "至" + to
		list = append(list, l)
		if start == "" || from < start {
			start = from
		}
		end = max(end, to)
		return nil
	})
	return list, start, end, err
}

// AdmittedList is the brands in the library (every status but removed),
// admitted through one round or all, in the order they were admitted.
func (s *Store) AdmittedList(ctx context.Context, roundID string) ([]Listed, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT b.id, b.name, b.unit_name, b.county_code, b.category, b.brand_type, to_char(b.admitted_on, 'YYYY-MM-DD'),
		       b.status, b.application_id IS NULL
		FROM brands b LEFT JOIN applications a ON a.id = b.application_id
		WHERE b.status <> 'removed' AND ($1 = '' OR a.round_id = $1)
		ORDER BY b.admitted_on, b.name, b.id`, roundID)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Listed])
}

// countyNamesSQL reads the name of every 初审 unit: the 14 counties and
// the functional zones added to review_units since (RULES §1), inactive
// ones too, for a zone's brands outlive its being served.
const countyNamesSQL = `SELECT county_code, name FROM review_units ORDER BY county_code`

// CountyNames names every 初审 unit by its code, functional zones included:
// what a print looks a county up in (paper.CountyNames), where the 14
// counties alone would leave a zone's brands without a place.
func (s *Store) CountyNames(ctx context.Context) (map[string]string, error) {
	rows, _ := s.pool.Query(ctx, countyNamesSQL)
	names := map[string]string{}
	var code, name string
	_, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error {
		names[code] = name
		return nil
	})
	return names, err
}

// GetAnnouncement reads one published decision.
func (s *Store) GetAnnouncement(ctx context.Context, id string) (Announcement, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return Announcement{}, ErrNotFound
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT id, brand_id, kind, brand_name, unit_name, county_code, category, to_char(decided_on, 'YYYY-MM-DD'),
		       to_char(effective_until, 'YYYY-MM-DD'), summary, published_at
		FROM announcements WHERE id = $1`, n)
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Announcement])
	return a, notFound(err)
}
