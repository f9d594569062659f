package calendar

import "fmt"

// MaxWorkdays bounds n in AddWorkdays: no legal period here is longer, and the
// bound keeps a mistaken input from walking for centuries.
const MaxWorkdays = 10000

// MaxDays bounds the number of dates Days returns (about ten years).
const MaxDays = 3660

// checkDate reports an error when d is not a real day or lies outside
// MinYear..MaxYear.
func checkDate(what string, d Date) error {
	if !d.Valid() {
		return fmt.Errorf("calendar: %s %s is not a real day", what, d)
	}
	if d.Year < MinYear || d.Year > MaxYear {
		return fmt.Errorf("calendar: %s %s is outside %d..%d", what, d, MinYear, MaxYear)
	}
	return nil
}

// NextWorkday returns d itself when d is a working day, else the first
// working day after d.
func (c *Calendar) NextWorkday(d Date) Date {
	for !c.IsWorkday(d) {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the day on which n working days after from have been
// counted. 民法典第二百零一条: a period counted in days starts on the day after
// from, so the first counted day is from+1 and from itself never counts. A
// negative n counts backwards, the first counted day being the day before
// from; n == 0 returns from.
//
// It returns an error when |n| > MaxWorkdays, when from is not a real day,
// or when the count leaves MinYear..MaxYear.
func (c *Calendar) AddWorkdays(from Date, n int) (Date, error) {
	if err := checkDate("from", from); err != nil {
		return Date{}, err
	}
	if n > MaxWorkdays || n < -MaxWorkdays {
		return Date{}, fmt.Errorf("calendar: add %d working days to %s: more than %d", n, from, MaxWorkdays)
	}
	step, left := 1, n
	if n < 0 {
		step, left = -1, -n
	}
	d := from
	for left > 0 {
		d = d.AddDays(step)
		if d.Year < MinYear || d.Year > MaxYear {
			return Date{}, fmt.Errorf("calendar: add %d working days to %s: leaves %d..%d", n, from, MinYear, MaxYear)
		}
		if c.IsWorkday(d) {
			left--
		}
	}
	return d, nil
}

// WorkdaysBetween counts the working days in (from, to] when to is after
// from, and returns minus the working days in [to, from) when to is before
// from, so that AddWorkdays(from, n) == x implies WorkdaysBetween(from, x)
// == n for every n.
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) {
	if err := checkDate("from", from); err != nil {
		return 0, err
	}
	if err := checkDate("to", to); err != nil {
		return 0, err
	}
	sign, first, last := 1, from.AddDays(1), to
	if to.Before(from) {
		sign, first, last = -1, to, from.AddDays(-1)
	}
	n := 0
	for d := first; !d.After(last); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n, nil
}

// DayInfo describes one date of the calendar.
type DayInfo struct {
	Date    Date   `json:"date"`
	Workday bool   `json:"workday"`
	Name    string `json:"name,omitempty"` // holiday (block) name of a day off, e.g. "春节", else ""
	// Adjusted is true for a Saturday or Sunday that is a working day (调休上班).
	Adjusted    bool `json:"adjusted,omitempty"`
	Provisional bool `json:"provisional"` // the year has no official schedule
}

// Days describes every date from from to to, both included. It returns an
// error when to is before from, when the range is longer than MaxDays, or
// when it leaves MinYear..MaxYear.
func (c *Calendar) Days(from, to Date) ([]DayInfo, error) {
	if err := checkDate("from", from); err != nil {
		return nil, err
	}
	if err := checkDate("to", to); err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, fmt.Errorf("calendar: days from %s to %s: to is before from", from, to)
	}
	if n := to.noon().Sub(from.noon()).Hours()/24 + 1; n > MaxDays {
		return nil, fmt.Errorf("calendar: days from %s to %s: %.0f days, more than %d", from, to, n, MaxDays)
	}
	var out []DayInfo
	for d := from; !d.After(to); d = d.AddDays(1) {
		out = append(out, c.dayInfo(d))
	}
	return out, nil
}

func (c *Calendar) dayInfo(d Date) DayInfo {
	info := DayInfo{Date: d, Provisional: c.Provisional(d.Year)}
	bc := c.active.year(d.Year).bc
	t := d.noon()
	info.Workday = bc.IsWorkday(t)
	if _, off, h := bc.IsHoliday(t); off && h != nil {
		info.Name = h.Name
	}
	info.Adjusted = info.Workday && d.isWeekend()
	return info
}
