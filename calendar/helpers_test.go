package calendar_test

import (
	"github.com/kunming-hrss/laborbrand/calendar"
)

// day parses a date literal of a test table; a bad literal is a bug in the
// table, so it panics.
func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// expand turns "YYYY-MM-DD" and "YYYY-MM-DD..YYYY-MM-DD" (both ends included)
// into the set of days they name.
func expand(items ...string) map[calendar.Date]bool {
	set := make(map[calendar.Date]bool)
	for _, item := range items {
		first, last := item, item
		if len(item) == 22 {
			first, last = item[:10], item[12:]
		}
		for d := day(first); !d.After(day(last)); d = d.AddDays(1) {
			set[d] = true
		}
	}
	return set
}

// dayList is expand as a sorted list.
func dayList(items ...string) []calendar.Date {
	var out []calendar.Date
	for _, item := range items {
		first, last := item, item
		if len(item) == 22 {
			first, last = item[:10], item[12:]
		}
		for d := day(first); !d.After(day(last)); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	return out
}

// isWeekday reports whether d is Monday to Friday.
func isWeekday(d calendar.Date) bool {
	wd := d.Weekday()
	return wd >= 1 && wd <= 5
}
