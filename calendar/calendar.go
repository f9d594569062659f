package calendar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
)

// Calendar is the business calendar of Kunming: which days are working days
// (RULES §5). It is an immutable value, safe for concurrent use; the With
// and For methods return new calendars and leave the receiver unchanged.
// Get one from New or Default: the zero Calendar has no schedules and is not
// usable.
//
// Years with an official schedule follow it; other years between MinYear and
// MaxYear are computed from the statutory holidays and are provisional.
// Outside MinYear..MaxYear IsWorkday falls back to Monday–Friday and the
// counting methods return an error.
type Calendar struct {
	version  int
	official map[int]Schedule
	base     *yearTable
	counties map[string]*countyOverlay
	county   string     // the county this view is for, "" for the city
	active   *yearTable // base, or the county's overlay
}

// countyOverlay is one county's extra local off days and the year
// calendars that apply them on top of the city's.
type countyOverlay struct {
	days  []Date
	table *yearTable
}

// New returns a calendar with the given version (recorded on every
// Deadline, so that a deadline can be recomputed when the calendar changes)
// and official schedules. A later schedule for a year replaces an earlier
// one; years without a schedule are computed (provisional). New reports every
// invalid schedule.
func New(version int, official []Schedule) (*Calendar, error) {
	byYear := make(map[int]Schedule, len(official))
	var errs []error
	for i, s := range official {
		if err := s.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("official[%d]: %w", i, err))
			continue
		}
		byYear[s.Year] = s.clone()
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("new calendar version %d: %w", version, errors.Join(errs...))
	}
	c := &Calendar{version: version, official: byYear}
	c.base = newYearTable(func(year int) *yearCal {
		off, work := computedOffDays(year), []Date(nil)
		if s, ok := byYear[year]; ok {
			off, work = officialOffDays(s), s.Work
		}
		if next, ok := byYear[year+1]; ok {
			off, work = withLastDaysOf(year, off, work, next)
		}
		return newYearCal(year, off, work)
	})
	c.active = c.base
	return c, nil
}

// withLastDaysOf applies to year the days in it that the next year's notice
// adjusts: a notice may move the last days of the December before for its
// 元旦 (the 2019 notice, 国办发明电〔2018〕15号: 2018-12-29 worked, 12-30 and
// 12-31 off). Published later, the notice prevails over what year had for
// those days.
func withLastDaysOf(year int, off []namedDay, work []Date, next Schedule) ([]namedDay, []Date) {
	var nextOff []namedDay
	for _, d := range officialOffDays(next) {
		if d.date.Year == year {
			nextOff = append(nextOff, d)
		}
	}
	var nextWork []Date
	for _, d := range next.Work {
		if d.Year == year {
			nextWork = append(nextWork, d)
		}
	}
	if len(nextOff) == 0 && len(nextWork) == 0 {
		return off, work
	}
	off = slices.DeleteFunc(slices.Clone(off), func(d namedDay) bool {
		return slices.Contains(nextWork, d.date) || slices.ContainsFunc(nextOff, func(n namedDay) bool { return n.date == d.date })
	})
	work = slices.DeleteFunc(slices.Clone(work), func(d Date) bool {
		return slices.ContainsFunc(nextOff, func(n namedDay) bool { return n.date == d })
	})
	return append(off, nextOff...), append(work, nextWork...)
}

// defaultCalendar is built once: Default is called on hot paths, and the
// calendar, once built, never changes.
var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(0, Embedded())
	if err != nil {
		panic(err) // Embedded data is checked by the package tests.
	}
	return c
})

// Default returns the calendar of the embedded official schedules, version 0:
// New(0, Embedded()). Every call returns the same immutable calendar.
func Default() *Calendar { return defaultCalendar() }

// Version returns the version given to New.
func (c *Calendar) Version() int { return c.version }

// County returns the county code this view applies the overlay of, or "" for
// the city calendar.
func (c *Calendar) County() string { return c.county }

// Schedule returns a copy of the official schedule for year, if c has one.
func (c *Calendar) Schedule(year int) (Schedule, bool) {
	s, ok := c.official[year]
	if !ok {
		return Schedule{}, false
	}
	return s.clone(), true
}

// Provisional reports whether year has no official schedule in c, so that
// its working days are computed from the statutory holidays.
func (c *Calendar) Provisional(year int) bool {
	_, ok := c.official[year]
	return !ok
}

// ProvisionalYears lists the years whose schedule a period from from to to
// (either order) still waits for: each year it spans that has no official
// schedule, and — when it ends in the last week of December — the next year
// if that has none, as the next year's notice may adjust the days before its
// 元旦 (withLastDaysOf).
func (c *Calendar) ProvisionalYears(from, to Date) []int {
	lo, hi := min(from.Year, to.Year), max(from.Year, to.Year)
	last := to
	if from.After(to) {
		last = from
	}
	if last.Month == time.December && last.Day >= lastWeekOfDecember && hi < MaxYear {
		hi++
	}
	var out []int
	for y := max(lo, MinYear); y <= hi; y++ {
		if c.Provisional(y) {
			out = append(out, y)
		}
	}
	return out
}

// lastWeekOfDecember is the first day of December a next year's notice may
// adjust: its 调休 for 元旦 borrows a weekend at most a week before.
const lastWeekOfDecember = 24

// ProvisionalSpan reports whether a period from from to to is provisional:
// whether ProvisionalYears lists any year.
func (c *Calendar) ProvisionalSpan(from, to Date) bool { return len(c.ProvisionalYears(from, to)) > 0 }

// WithCountyOffDays returns a calendar that also knows extra local off days
// for county (a county code such as "530126"): 全国年节及纪念日放假办法 第四条
// lets the local government of an area where an ethnic minority lives give
// days off for its festivals. The overlay applies only in views returned by
// ForCounty(county). It replaces any earlier overlay for county; no days
// removes it. Dates are normalised as by NewDate; those outside
// MinYear..MaxYear are ignored.
func (c *Calendar) WithCountyOffDays(county string, days []Date) *Calendar {
	n := *c
	n.counties = maps.Clone(c.counties)
	if n.counties == nil {
		n.counties = make(map[string]*countyOverlay)
	}
	delete(n.counties, county)
	var kept []Date
	for _, d := range days {
		d = NewDate(d.Year, d.Month, d.Day)
		if d.Year >= MinYear && d.Year <= MaxYear {
			kept = append(kept, d)
		}
	}
	slices.SortFunc(kept, Date.Compare)
	kept = slices.Compact(kept)
	if len(kept) > 0 {
		n.counties[county] = newCountyOverlay(c.base, kept)
	}
	n.active = n.tableFor(n.county)
	return &n
}

func newCountyOverlay(base *yearTable, days []Date) *countyOverlay {
	return &countyOverlay{days: days, table: newYearTable(func(year int) *yearCal {
		city := base.year(year)
		off := slices.Clone(city.off)
		for _, d := range days {
			if d.Year == year && !slices.ContainsFunc(off, func(o namedDay) bool { return o.date == d }) {
				off = append(off, namedDay{d, HolidayLocal})
			}
		}
		return newYearCal(year, off, city.work)
	})}
}

// ForCounty returns the view of c for county: the city calendar plus that
// county's overlay. A county without an overlay sees the city calendar.
func (c *Calendar) ForCounty(county string) *Calendar {
	n := *c
	n.county = county
	n.active = n.tableFor(county)
	return &n
}

// CountyOffDays returns a copy of the extra local off days of county.
func (c *Calendar) CountyOffDays(county string) []Date {
	if o := c.counties[county]; o != nil {
		return slices.Clone(o.days)
	}
	return nil
}

func (c *Calendar) tableFor(county string) *yearTable {
	if o := c.counties[county]; county != "" && o != nil {
		return o.table
	}
	return c.base
}

// IsWorkday reports whether d is a working day: Monday to Friday, less the
// official (or computed) days off and the county's local off days, plus the
// adjusted working weekends (调休上班). Outside MinYear..MaxYear only the day
// of the week counts.
func (c *Calendar) IsWorkday(d Date) bool {
	t := d.noon()
	if y := t.Year(); y >= MinYear && y <= MaxYear {
		return c.active.year(y).workday[t.YearDay()-1]
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// yearCal is one year's working days as a rickar/cal BusinessCalendar: the
// days off are its holidays, and its WorkdayFunc adds the adjusted working
// weekends to Monday–Friday. workday[yearDay-1] holds bc.IsWorkday for each
// day of the year, asked once when the year is built, because counting
// periods asks it for thousands of days.
type yearCal struct {
	bc      *cal.BusinessCalendar
	off     []namedDay
	work    []Date
	workday []bool
}

func newYearCal(year int, off []namedDay, work []Date) *yearCal {
	bc := cal.NewBusinessCalendar()
	bc.Name = fmt.Sprintf("CN-53 %d", year)
	for _, d := range off {
		if d.date.Year != year {
			continue
		}
		bc.AddHoliday(&cal.Holiday{
			Name:      d.name,
			Type:      cal.ObservancePublic,
			StartYear: year,
			EndYear:   year,
			Month:     d.date.Month,
			Day:       d.date.Day,
			Func:      dayOfMonthUTC,
		})
	}
	work = slices.Clone(work)
	bc.WorkdayFunc = func(t time.Time) bool {
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return true
		}
		return slices.Contains(work, dateOfTime(t))
	}
	yc := &yearCal{bc: bc, off: off, work: work}
	for t := time.Date(year, time.January, 1, 12, 0, 0, 0, time.UTC); t.Year() == year; t = t.AddDate(0, 0, 1) {
		yc.workday = append(yc.workday, bc.IsWorkday(t))
	}
	return yc
}

// dayOfMonthUTC is cal.CalcDayOfMonth in UTC rather than time.Local, so that
// nothing here depends on the host's zone.
func dayOfMonthUTC(h *cal.Holiday, year int) time.Time {
	return time.Date(year, h.Month, h.Day, 0, 0, 0, 0, time.UTC)
}

// yearTable builds the yearCal of each year on first use, once, so that a
// calendar costs nothing for the centuries nobody asks about; it is safe for
// concurrent use.
type yearTable struct {
	build func(year int) *yearCal
	slots [MaxYear - MinYear + 1]struct {
		once sync.Once
		yc   *yearCal
	}
}

func newYearTable(build func(year int) *yearCal) *yearTable {
	return &yearTable{build: build}
}

// year returns the calendar of year, which must be in MinYear..MaxYear.
func (t *yearTable) year(year int) *yearCal {
	s := &t.slots[year-MinYear]
	s.once.Do(func() { s.yc = t.build(year) })
	return s.yc
}
