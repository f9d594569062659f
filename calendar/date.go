package calendar

import (
	"cmp"
	"fmt"
	"time"
	_ "time/tzdata" // Asia/Shanghai must resolve on hosts without system tzdata.
)

// Shanghai is the Asia/Shanghai time zone in which every date a person sees is
// read (RULES §5). It is embedded with the binary through time/tzdata.
var Shanghai = mustLoadLocation("Asia/Shanghai")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load time zone %s: %v", name, err))
	}
	return loc
}

// Date is a civil date in China, without time of day or zone. The zero Date
// means "no date".
//
// Date marshals to and from text as "YYYY-MM-DD", so in JSON it is a string;
// the zero Date is the empty string.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalised as time.Date normalises it:
// NewDate(2026, time.February, 30) is 2026-03-02.
func NewDate(y int, m time.Month, d int) Date {
	return dateOfTime(time.Date(y, m, d, 12, 0, 0, 0, time.UTC))
}

// ParseDate parses s, which must be exactly "YYYY-MM-DD" with a day that
// exists in that month; it never normalises ("2026-02-30" is an error).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("calendar: parse date %q: want YYYY-MM-DD", s)
	}
	y, okY := atoi(s[0:4])
	m, okM := atoi(s[5:7])
	d, okD := atoi(s[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("calendar: parse date %q: want YYYY-MM-DD", s)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("calendar: parse date %q: no month %d", s, m)
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("calendar: parse date %q: %s %d has no day %d", s, time.Month(m), y, d)
	}
	return Date{y, time.Month(m), d}, nil
}

// atoi reads a string of ASCII digits only (no sign, no spaces).
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the date of the instant t in Asia/Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

func dateOfTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// daysIn reports the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// String returns the date as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Valid reports whether d is a real day of the Gregorian calendar, that is,
// whether NewDate would leave it unchanged.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// noon is d at 12:00 UTC: a time whose calendar fields are d in every
// computation here, far from any zone or DST edge.
func (d Date) noon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// Start returns 00:00 of d in Asia/Shanghai.
func (d Date) Start() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Shanghai)
}

// End returns 24:00 of d in Asia/Shanghai, which is 00:00 of the next day:
// the instant at which a period whose last day is d has run out
// (民法典第二百零三条: the last day ends at 24:00).
func (d Date) End() time.Time {
	return d.AddDays(1).Start()
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date {
	return NewDate(d.Year, d.Month, d.Day+n)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return d.noon().Weekday()
}

// isWeekend reports whether d is a Saturday or Sunday.
func (d Date) isWeekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Compare returns -1 when d is before o, +1 when after, and 0 when equal.
func (d Date) Compare(o Date) int {
	return cmp.Or(cmp.Compare(d.Year, o.Year), cmp.Compare(d.Month, o.Month), cmp.Compare(d.Day, o.Day))
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText implements encoding.TextMarshaler: "YYYY-MM-DD", or "" for the
// zero Date.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseDate; "" gives
// the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
