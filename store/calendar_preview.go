package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// CalendarWith builds the calendar as it would be if sch were loaded now,
// without storing anything: the preview of a load (issue 15 item 4).
func (s *Store) CalendarWith(ctx context.Context, sch calendar.Schedule) (*calendar.Calendar, error) {
	cal, _, err := s.loadCalendar(ctx, sch)
	return cal, err
}

// LoadedYear is one year whose official schedule an admin loaded.
type LoadedYear struct {
	Year     int
	Notice   string
	Version  int
	LoadedAt time.Time
	LoadedBy string
}

// LoadedYears lists the loaded official schedules, by year.
func (s *Store) LoadedYears(ctx context.Context) ([]LoadedYear, error) {
	rows, _ := s.pool.Query(ctx, `SELECT year, notice, version, loaded_at, loaded_by FROM calendar_years ORDER BY year`)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[LoadedYear])
}

// CountyDay is a county's local day off with its festival's name.
type CountyDay struct {
	County string
	Day    calendar.Date
	Name   string
}

// CountyDays lists the local days off from from to to (both included), of
// one county or, with county "", of every county.
func (s *Store) CountyDays(ctx context.Context, county string, from, to calendar.Date) ([]CountyDay, error) {
	rows, err := s.pool.Query(ctx, `SELECT county_code, day, name FROM calendar_county_days
		WHERE ($1 = '' OR county_code = $1) AND day BETWEEN $2 AND $3 ORDER BY day, county_code`, county, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("county days: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CountyDay, error) {
		var d CountyDay
		var day time.Time
		err := r.Scan(&d.County, &day, &d.Name)
		d.Day = calendar.NewDate(day.Date())
		return d, err
	})
}

// AppDeadlineFacts is what the store knows of an open application's
// deadlines: the values its process last recorded, and the facts each was
// counted from — the day of the step that entered the current stage, the
// submission, the objections' days of receipt.
type AppDeadlineFacts struct {
	ID, BrandName, County, Stage string
	SubmittedAt                  time.Time
	Deadlines                    []calendar.Deadline
	// EnteredAt and EnteredAction are the time and action of the last step
	// that changed the stage (county_review.*, city_review.*, resubmitted).
	EnteredAt     *time.Time
	EnteredAction string
	// ObjectionsReceived maps each open objection to its day of receipt.
	ObjectionsReceived map[string]calendar.Date
	// Rules are the rules the last step wrote (deadline_rules); nil when
	// it was written before rules were kept.
	Rules []records.DeadlineRule
}

// openAppFacts selects the facts; $1 is the id of one application, or empty
// for every open one with a deadline due on or after $2.
const openAppFacts = `
	SELECT a.id, a.brand_name, a.county_code, a.stage, a.submitted_at, a.deadlines, e.at, coalesce(e.action, ''),
	       coalesce((SELECT jsonb_object_agg(o.id, to_char(o.received_on, 'YYYY-MM-DD')) FROM objections o
	                 WHERE o.application_id = a.id AND o.status = 'open'), '{}'), a.deadline_rules
	FROM applications a
	LEFT JOIN LATERAL (SELECT at, action FROM application_events ev WHERE ev.application_id = a.id
	      AND (ev.action LIKE 'county_review.%' OR ev.action LIKE 'city_review.%' OR ev.action = 'resubmitted')
	      ORDER BY ev.id DESC LIMIT 1) e ON true
	WHERE ($1 = '' AND a.stage NOT IN ('admitted', 'rejected', 'withdrawn')
	       AND EXISTS (SELECT 1 FROM jsonb_array_elements(a.deadlines) d WHERE d->>'due' >= $2))
	   OR a.id = $1
	ORDER BY a.id`

// ApplicationDeadlineFacts reads the deadline facts of one application.
func (s *Store) ApplicationDeadlineFacts(ctx context.Context, id string) (AppDeadlineFacts, error) {
	facts, err := s.appFacts(ctx, id, "")
	if err != nil {
		return AppDeadlineFacts{}, err
	}
	if len(facts) == 0 {
		return AppDeadlineFacts{}, ErrNotFound
	}
	return facts[0], nil
}

// OpenApplicationDeadlines reads the deadline facts of every open
// application with a deadline due on or after since.
func (s *Store) OpenApplicationDeadlines(ctx context.Context, since calendar.Date) ([]AppDeadlineFacts, error) {
	return s.appFacts(ctx, "", since.String())
}

func (s *Store) appFacts(ctx context.Context, id, since string) ([]AppDeadlineFacts, error) {
	rows, err := s.pool.Query(ctx, openAppFacts, id, since)
	if err != nil {
		return nil, fmt.Errorf("application deadline facts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AppDeadlineFacts, error) {
		var f AppDeadlineFacts
		var deadlines, objections, rules []byte
		if err := r.Scan(&f.ID, &f.BrandName, &f.County, &f.Stage, &f.SubmittedAt, &deadlines, &f.EnteredAt, &f.EnteredAction, &objections, &rules); err != nil {
			return f, err
		}
		if err := unmarshalRules(rules, &f.Rules); err != nil {
			return f, fmt.Errorf("deadline rules of %s: %w", f.ID, err)
		}
		if err := json.Unmarshal(deadlines, &f.Deadlines); err != nil {
			return f, fmt.Errorf("deadlines of %s: %w", f.ID, err)
		}
		return f, json.Unmarshal(objections, &f.ObjectionsReceived)
	})
}

// BrandDeadlineRef is a brand whose process keeps a deadline that a
// calendar change may move.
type BrandDeadlineRef struct {
	ID, Name, County string
	// Rules are the rules its last step wrote; nil when it was written
	// before rules were kept (then only its process knows them).
	Rules []records.DeadlineRule
}

// BrandsWithDeadlines lists the brands not removed with a deadline due on or
// after since that counts days (not the fixed evaluation window).
func (s *Store) BrandsWithDeadlines(ctx context.Context, since calendar.Date) ([]BrandDeadlineRef, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, county_code, deadline_rules FROM brands b WHERE status <> 'removed'
		AND EXISTS (SELECT 1 FROM jsonb_array_elements(b.deadlines) d WHERE d->>'kind' <> 'evaluation_window' AND d->>'due' >= $1)
		ORDER BY id`, since.String())
	if err != nil {
		return nil, fmt.Errorf("brands with deadlines: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (BrandDeadlineRef, error) {
		var b BrandDeadlineRef
		var rules []byte
		if err := r.Scan(&b.ID, &b.Name, &b.County, &rules); err != nil {
			return b, err
		}
		return b, unmarshalRules(rules, &b.Rules)
	})
}

// unmarshalRules reads a deadline_rules value: NULL stays nil.
func unmarshalRules(raw []byte, out *[]records.DeadlineRule) error {
	if raw == nil {
		return nil
	}
	*out = []records.DeadlineRule{}
	return json.Unmarshal(raw, out)
}
