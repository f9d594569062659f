package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MinYear and MaxYear bound the years this package computes working days for.
// Outside them lunar dates are not checked and counting functions return an
// error.
const (
	MinYear = 1900
	MaxYear = 2200
)

// Schedule is one year's official holiday schedule, as published in the State
// Council's notice (国务院办公厅关于部分节假日安排的通知).
type Schedule struct {
	Year int
	// Off lists the official days off of the year: every day of each holiday
	// block as the notice gives it (from the first to the last day, weekends
	// inside the block included).
	Off []Date
	// Work lists the adjusted working days (调休上班) that fall on a Saturday
	// or Sunday.
	Work []Date
	// Notice is the title and document number of the notice, e.g.
	// "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）".
	Notice string
}

// Validate reports what is wrong with s, all problems in one error, or nil:
// a year outside MinYear..MaxYear, an empty Notice, a date that is not a real
// day or lies outside Year (and the last week of the December before it,
// which a notice may adjust for its 元旦), a date listed twice, a date both off and work, or a
// working day that is not a Saturday or Sunday.
func (s Schedule) Validate() error {
	var problems []string
	if s.Year < MinYear || s.Year > MaxYear {
		problems = append(problems, fmt.Sprintf("year outside %d..%d", MinYear, MaxYear))
	}
	if strings.TrimSpace(s.Notice) == "" {
		problems = append(problems, "no notice title and number")
	}
	problems = append(problems, s.checkList("Off", s.Off)...)
	problems = append(problems, s.checkList("Work", s.Work)...)
	for _, d := range s.Work {
		if d.Valid() && !d.isWeekend() {
			problems = append(problems, fmt.Sprintf("Work %s is a %s, not a weekend day", d, d.Weekday()))
		}
		if slices.Contains(s.Off, d) {
			problems = append(problems, fmt.Sprintf("%s is in both Off and Work", d))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("calendar: schedule %d: %s", s.Year, strings.Join(problems, "; "))
}

// checkList reports dates in list that are not real days, lie outside the
// schedule's year, or are listed more than once.
func (s Schedule) checkList(name string, list []Date) []string {
	var problems []string
	seen := make(map[Date]bool, len(list))
	for _, d := range list {
		switch {
		case !d.Valid():
			problems = append(problems, fmt.Sprintf("%s %s is not a real day", name, d))
		case !s.Covers(d):
			problems = append(problems, fmt.Sprintf("%s %s is outside %d and the last week of the December before", name, d, s.Year))
		case seen[d]:
			problems = append(problems, fmt.Sprintf("%s %s is listed twice", name, d))
		}
		seen[d] = true
	}
	return problems
}

// Covers reports whether the year's notice may list d: a day of its year,
// or of the last week of the December before, which a notice may adjust for
// its 元旦.
func (s Schedule) Covers(d Date) bool {
	return d.Year == s.Year || d.Year == s.Year-1 && d.Month == time.December && d.Day >= lastWeekOfDecember
}

// clone returns a copy of s that shares no slice with it.
func (s Schedule) clone() Schedule {
	s.Off = slices.Clone(s.Off)
	s.Work = slices.Clone(s.Work)
	return s
}

// Equal reports whether s and o are the same notice for the same year: the
// same title and the same days, in whatever order they were listed.
func (s Schedule) Equal(o Schedule) bool {
	return s.Year == o.Year && s.Notice == o.Notice && sameDays(s.Off, o.Off) && sameDays(s.Work, o.Work)
}

func sameDays(a, b []Date) bool {
	sorted := func(ds []Date) []Date {
		ds = slices.Clone(ds)
		slices.SortFunc(ds, Date.Compare)
		return slices.Compact(ds)
	}
	return slices.Equal(sorted(a), sorted(b))
}
