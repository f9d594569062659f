package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// SaveCalendarYear stores an official schedule, replacing an earlier load of
// the same year, under the next calendar version; it returns that version
// and true. A schedule the calendar already has for the year — the same
// notice and days, loaded or embedded — changes nothing: no version, no
// audit row, no process told; it returns the version in force and false.
func (s *Store) SaveCalendarYear(ctx context.Context, sch calendar.Schedule, at time.Time, actor, role string) (version int, changed bool, err error) {
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		// The version's row first: its lock orders revisions, so the year
		// read below sees any load of the same year before this one.
		if err := tx.QueryRow(ctx, `SELECT version FROM calendar_version FOR UPDATE`).Scan(&version); err != nil {
			return fmt.Errorf("lock calendar version: %w", err)
		}
		var before *calendar.Schedule
		var old calendar.Schedule
		var off, work []time.Time
		err := tx.QueryRow(ctx, `SELECT off_days, work_days, notice FROM calendar_years WHERE year = $1`, sch.Year).
			Scan(&off, &work, &old.Notice)
		switch {
		case err == nil:
			old.Year, old.Off, old.Work = sch.Year, toDates(off), toDates(work)
			before = &old
		case err != pgx.ErrNoRows:
			return err
		default:
			// The embedded schedule is what the load replaces.
			if embedded, ok := calendar.Default().Schedule(sch.Year); ok {
				before = &embedded
			}
		}
		if before != nil && before.Equal(sch) {
			return nil
		}
		if version, err = nextCalendarVersion(ctx, tx); err != nil {
			return err
		}
		changed = true
		_, err = tx.Exec(ctx, `
			INSERT INTO calendar_years (year, off_days, work_days, notice, version, loaded_at, loaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (year) DO UPDATE SET off_days = $2, work_days = $3, notice = $4, version = $5, loaded_at = $6, loaded_by = $7`,
			sch.Year, dateStrings(sch.Off), dateStrings(sch.Work), sch.Notice, version, at, actor)
		if err != nil {
			return fmt.Errorf("save calendar year %d: %w", sch.Year, err)
		}
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "calendar.load_year",
			ObjectType: "calendar_year", ObjectID: fmt.Sprint(sch.Year), Before: before,
			After: map[string]any{"schedule": sch, "calendar_version": version}})
	})
	if err != nil {
		return 0, false, err
	}
	return version, changed, nil
}

// nextCalendarVersion advances the calendar version in tx, the revision's
// transaction, and returns it. The row stays locked until tx ends, so
// revisions commit in the order of their versions.
func nextCalendarVersion(ctx context.Context, tx pgx.Tx) (int, error) {
	var version int
	err := tx.QueryRow(ctx, `UPDATE calendar_version SET version = version + 1, changed_at = now() RETURNING version`).Scan(&version)
	if err != nil {
		return 0, fmt.Errorf("advance calendar version: %w", err)
	}
	return version, nil
}

// loadCalendar builds the runtime calendar: embedded schedules, overridden by
// the loaded ones, then by extra (a load being previewed), plus county
// overlays. It reads in one snapshot, so the version it answers is the one
// of the schedules and overlays it read.
func (s *Store) loadCalendar(ctx context.Context, extra ...calendar.Schedule) (cal *calendar.Calendar, version int, err error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, fmt.Errorf("load calendar: %w", err)
	}
	defer tx.Rollback(ctx) // read only: nothing to commit
	if err := tx.QueryRow(ctx, `SELECT version FROM calendar_version`).Scan(&version); err != nil {
		return nil, 0, fmt.Errorf("read calendar version: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT year, off_days, work_days, notice, version FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, 0, fmt.Errorf("load calendar years: %w", err)
	}
	schedules := calendar.Embedded()
	for rows.Next() {
		var sch calendar.Schedule
		var v int
		var off, work []time.Time
		if err := rows.Scan(&sch.Year, &off, &work, &sch.Notice, &v); err != nil {
			rows.Close()
			return nil, 0, err
		}
		sch.Off, sch.Work = toDates(off), toDates(work)
		schedules = append(schedules, sch)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	schedules = append(schedules, extra...)
	cal, err = calendar.New(version, schedules)
	if err != nil {
		return nil, 0, fmt.Errorf("build calendar version %d: %w", version, err)
	}
	overlays, err := tx.Query(ctx, `SELECT county_code, array_agg(day ORDER BY day) FROM calendar_county_days GROUP BY county_code ORDER BY county_code`)
	if err != nil {
		return nil, 0, fmt.Errorf("load county calendars: %w", err)
	}
	defer overlays.Close()
	for overlays.Next() {
		var county string
		var days []time.Time
		if err := overlays.Scan(&county, &days); err != nil {
			return nil, 0, err
		}
		cal = cal.WithCountyOffDays(county, toDates(days))
	}
	return cal, version, overlays.Err()
}

// CountyOffDay is a county's local day off as the store keeps it.
type CountyOffDay struct {
	Name string // as kept: a day on record keeps its first name
	// Version is the calendar version the day came with: the new one this
	// call made, or — a day on record already — the version then current.
	Version int
	Added   bool // false: the county had the day already
}

// AddCountyOffDay adds a local off day for one county (RULES §5). A day
// the county has already changes nothing: no new version, no audit row;
// it answers the day as kept.
func (s *Store) AddCountyOffDay(ctx context.Context, county string, day calendar.Date, name string, at time.Time, actor, role string) (CountyOffDay, error) {
	var d CountyOffDay
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		d = CountyOffDay{Name: name}
		tag, err := tx.Exec(ctx, `INSERT INTO calendar_county_days (county_code, day, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			county, day.String(), name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			// On record — unless a removal committed between the two
			// statements, when the day is added after all (a second try).
			err := tx.QueryRow(ctx, `SELECT d.name, v.version FROM calendar_county_days d, calendar_version v
				WHERE d.county_code = $1 AND d.day = $2`, county, day.String()).Scan(&d.Name, &d.Version)
			if !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO calendar_county_days (county_code, day, name) VALUES ($1, $2, $3)`,
				county, day.String(), name); err != nil {
				return err
			}
		}
		// A county overlay changes deadlines as a new schedule does: bump the version.
		if d.Version, err = nextCalendarVersion(ctx, tx); err != nil {
			return err
		}
		d.Added = true
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "calendar.county_off_day",
			ObjectType: "calendar_county", ObjectID: county, After: map[string]string{"day": day.String(), "name": name}})
	})
	return d, err
}

// ErrNoCountyOffDay: the county has no local day off on that day.
var ErrNoCountyOffDay = errors.New("no such county day off")

// RemoveCountyOffDay takes back a county's local day off entered by
// mistake: deadlines counted across it move back, as an added one moved
// them (a new calendar version; the fan-out tells the processes).
// It returns the calendar version the removal made.
func (s *Store) RemoveCountyOffDay(ctx context.Context, county string, day calendar.Date, at time.Time, actor, role string) (int, error) {
	var version int
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM calendar_county_days WHERE county_code = $1 AND day = $2 RETURNING name`,
			county, day.String()).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoCountyOffDay
		}
		if err != nil {
			return err
		}
		if version, err = nextCalendarVersion(ctx, tx); err != nil {
			return err
		}
		return AppendAudit(ctx, tx, AuditEntry{At: at, Actor: actor, Role: role, Action: "calendar.county_off_day_removed",
			ObjectType: "calendar_county", ObjectID: county, Before: map[string]string{"day": day.String(), "name": name}})
	})
	return version, err
}

// Calendars serves the current runtime calendar, rebuilt only when a load
// changed it. Safe for concurrent use.
type Calendars struct {
	Store *Store

	mu  sync.Mutex
	cal *calendar.Calendar
}

// Current returns the calendar in force now.
func (c *Calendars) Current(ctx context.Context) (*calendar.Calendar, error) {
	version, err := c.Store.CalendarVersion(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil && version == c.cal.Version() {
		return c.cal, nil
	}
	cal, _, err := c.Store.loadCalendar(ctx)
	if err != nil {
		return nil, err
	}
	c.cal = cal
	return cal, nil
}

// MarkCalendarFannedOut notes that version's fan-out has told every
// process it moves.
func (s *Store) MarkCalendarFannedOut(ctx context.Context, version int) error {
	_, err := s.pool.Exec(ctx, `UPDATE calendar_version SET fanned_out = greatest(fanned_out, $1)`, version)
	return err
}

// CalendarFannedOut reports whether the calendar version in force has been
// told to every process it moves.
func (s *Store) CalendarFannedOut(ctx context.Context) (bool, error) {
	var done bool
	err := s.pool.QueryRow(ctx, `SELECT fanned_out >= version FROM calendar_version`).Scan(&done)
	return done, err
}

// CalendarVersionAge is the committed calendar version and how long ago its
// revision was stored (by the database's clock).
func (s *Store) CalendarVersionAge(ctx context.Context) (version int, age time.Duration, err error) {
	var seconds float64
	err = s.pool.QueryRow(ctx, `SELECT version, extract(epoch FROM now() - changed_at)::float8 FROM calendar_version`).Scan(&version, &seconds)
	if err != nil {
		return 0, 0, fmt.Errorf("read calendar version: %w", err)
	}
	return version, time.Duration(seconds * float64(time.Second)), nil
}

// CalendarVersion is the version of the runtime calendar, as committed: it
// advances with every schedule load and county overlay change (0: embedded
// data only).
func (s *Store) CalendarVersion(ctx context.Context) (int, error) {
	var version int
	if err := s.pool.QueryRow(ctx, `SELECT version FROM calendar_version`).Scan(&version); err != nil {
		return 0, fmt.Errorf("read calendar version: %w", err)
	}
	return version, nil
}

func dateStrings(ds []calendar.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func toDates(ts []time.Time) []calendar.Date {
	out := make([]calendar.Date, len(ts))
	for i, t := range ts {
		out[i] = calendar.NewDate(t.Date())
	}
	return out
}
