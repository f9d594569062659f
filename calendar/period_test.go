package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func TestAddMonthsAndYears(t *testing.T) {
	tests := []struct {
		name   string
		order  string
		months int
		years  int
		want   string
	}{
		{"民法典第二百零二条: the corresponding day of the final month", "2026-09-01", 1, 0, "2026-10-01"},
		{"民法典第二百零二条: no corresponding day → last day of the month", "2026-01-31", 1, 0, "2026-02-28"},
		{"民法典第二百零二条: no corresponding day in a leap February → 02-29", "2024-01-31", 1, 0, "2024-02-29"},
		{"民法典第二百零二条: 03-31 + 1 month → 04-30", "2026-03-31", 1, 0, "2026-04-30"},
		{"months carry into the next year", "2026-12-15", 1, 0, "2027-01-15"},
		{"six months from 08-31 end in February", "2026-08-31", 6, 0, "2027-02-28"},
		{"zero months is the order date", "2026-05-10", 0, 0, "2026-05-10"},
		{"民法典第二百零二条: 02-29 + 1 year → 02-28", "2024-02-29", 0, 1, "2025-02-28"},
		{"02-29 + 4 years → 02-29", "2024-02-29", 0, 4, "2028-02-29"},
		{"5-year ban", "2026-05-10", 0, 5, "2031-05-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got calendar.Date
			if tt.years != 0 {
				got = calendar.AddYears(day(tt.order), tt.years)
			} else {
				got = calendar.AddMonths(day(tt.order), tt.months)
			}
			if got != day(tt.want) {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestActDeadlines(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		from   string
		months int
		years  int
		want   string
	}{
		{"民法典第二百零三条: last day on an adjusted working Saturday does not move", "2026-01-31", 1, 0, "2026-02-28"},
		{"民法典第二百零三条: last day 10-01 moves past 国庆 to 10-08", "2026-09-01", 1, 0, "2026-10-08"},
		{"民法典第二百零三条: last day on an ordinary Saturday moves to Monday", "2026-02-07", 1, 0, "2026-03-09"},
		{"a working last day stays", "2026-03-02", 1, 0, "2026-04-02"},
		{"years: 02-29 + 1 year → 02-28, a Friday", "2024-02-29", 0, 1, "2025-02-28"},
		{"years: last day 10-01 moves to 10-08", "2025-10-01", 0, 1, "2026-10-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got calendar.Deadline
			var err error
			if tt.years != 0 {
				got, err = c.YearsDeadline("rectify", day(tt.from), tt.years)
			} else {
				got, err = c.MonthsDeadline("rectify", day(tt.from), tt.months)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Due != day(tt.want) || got.Kind != "rectify" || got.Provisional || got.CalendarVersion != 0 {
				t.Errorf("got %+v, want due %s, kind rectify, not provisional, version 0", got, tt.want)
			}
		})
	}
}

func TestSanctionEndNeverMoves(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name   string
		from   string
		months int
		want   string
	}{
		{"suspension ending on 国庆 is not moved", "2026-09-01", 1, "2026-10-01"},
		{"5-year ban ending on a Sunday is not moved", "2021-03-15", 60, "2026-03-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.SanctionEnd("suspend", day(tt.from), tt.months)
			if got.Due != day(tt.want) || !got.DueAt.Equal(day(tt.want).End()) {
				t.Errorf("SanctionEnd(%s, %d) = %+v, want due %s", tt.from, tt.months, got, tt.want)
			}
		})
	}
}

func TestDeadlineEndsAtMidnightShanghai(t *testing.T) {
	c := calendar.Default()
	d, err := c.MonthsDeadline("rectify", day("2026-09-01"), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 10, 8, 16, 0, 0, 0, time.UTC) // 2026-10-09 00:00 +08:00
	if !d.DueAt.Equal(want) || d.DueAt.Format(time.RFC3339) != "2026-10-09T00:00:00+08:00" {
		t.Errorf("DueAt = %s, want 2026-10-09T00:00:00+08:00", d.DueAt.Format(time.RFC3339))
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"kind":"rectify","due":"2026-10-08","due_at":"2026-10-09T00:00:00+08:00","provisional":false,"calendar_version":0}`
	if string(b) != wantJSON {
		t.Errorf("json = %s, want %s", b, wantJSON)
	}
}

func TestWorkdaysDeadline(t *testing.T) {
	c := calendar.Default()
	got, err := c.WorkdaysDeadline("review", day("2025-09-26"), 5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Due != day("2025-10-10") || !got.DueAt.Equal(day("2025-10-11").Start()) || got.Provisional {
		t.Errorf("WorkdaysDeadline(2025-09-26, 5) = %+v, want due 2025-10-10 ending 2025-10-11 00:00", got)
	}
	if _, err := c.WorkdaysDeadline("review", day("2025-09-26"), 0); err == nil {
		t.Error("WorkdaysDeadline with n = 0: no error")
	}
}
