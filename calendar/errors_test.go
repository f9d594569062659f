package calendar_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func TestAddWorkdaysErrors(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name string
		from calendar.Date
		n    int
		want string // part of the error message
	}{
		{"more than 10000 working days", day("2026-01-01"), 10001, "10001"},
		{"more than 10000 working days back", day("2026-01-01"), -10001, "-10001"},
		{"from before 1900", day("1899-12-31"), 1, "1899-12-31"},
		{"count leaves 2200", day("2200-12-30"), 5, "leaves"},
		{"from is not a real day", calendar.Date{Year: 2026, Month: 2, Day: 30}, 1, "2026-02-30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AddWorkdays(tt.from, tt.n)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("AddWorkdays(%s, %d) error = %v, want one naming %q", tt.from, tt.n, err, tt.want)
			}
		})
	}
	if _, err := c.AddWorkdays(day("2026-01-01"), 10000); err != nil {
		t.Errorf("AddWorkdays(2026-01-01, 10000) error: %v", err)
	}
}

func TestParseDateErrors(t *testing.T) {
	for _, s := range []string{"2026-2-30", "2026-02-30", "2026-13-01", "2026-00-10", "2025-02-29",
		" 2026-01-01", "2026-01-01T00:00:00Z", "2026/01/01", "", "20260101", "２０２６-01-01", "+026-01-01"} {
		t.Run("strict YYYY-MM-DD: "+s, func(t *testing.T) {
			_, err := calendar.ParseDate(s)
			if err == nil || !strings.Contains(err.Error(), `"`+s+`"`) {
				t.Errorf("ParseDate(%q) error = %v, want one quoting the value", s, err)
			}
		})
	}
}

func TestDaysErrors(t *testing.T) {
	c := calendar.Default()
	if _, err := c.Days(day("2026-01-02"), day("2026-01-01")); err == nil {
		t.Error("Days with to before from: no error")
	}
	if _, err := c.Days(day("2020-01-01"), day("2030-01-10")); err == nil {
		t.Error("Days over more than 3660 days: no error")
	}
	if days, err := c.Days(day("2020-01-01"), day("2030-01-07")); err != nil || len(days) != 3660 {
		t.Errorf("Days over 3660 days = %d days, %v", len(days), err)
	}
}

func TestScheduleValidateListsEveryProblem(t *testing.T) {
	s := calendar.Schedule{
		Year: 2027,
		Off:  []calendar.Date{day("2027-02-06"), day("2027-02-06"), day("2028-01-01"), day("2027-05-01")},
		Work: []calendar.Date{day("2027-05-01"), day("2027-02-08")},
	}
	err := s.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	for _, want := range []string{
		"no notice",
		"Off 2027-02-06 is listed twice",
		"Off 2028-01-01 is outside 2027",
		"2027-05-01 is in both Off and Work",
		"Work 2027-02-08 is a Monday",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v; missing %q", err, want)
		}
	}
	if _, err := calendar.New(1, []calendar.Schedule{s}); err == nil {
		t.Error("New with an invalid schedule: no error")
	}
	if err := (calendar.Schedule{Year: 1899, Notice: "x"}).Validate(); err == nil {
		t.Error("Validate of year 1899: no error")
	}
}

func TestDeadlineErrors(t *testing.T) {
	c := calendar.Default()
	if _, err := c.MonthsDeadline("rectify", day("2026-01-01"), 0); err == nil {
		t.Error("MonthsDeadline with 0 months: no error")
	}
	if _, err := c.YearsDeadline("ban", day("2199-06-01"), 5); err == nil {
		t.Error("YearsDeadline past 2200: no error")
	}
}
