package calendar_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// FuzzMonthsDeadline checks the periods of months (民法典第二百零一条–第二百零三条)
// for any order date in MinYear..MaxYear and 1..600 months:
//   - AddMonths ends in the final month, on the order's day number or, when
//     that month is shorter, on its last day (第二百零二条);
//   - MonthsDeadline is AddMonths moved to the next working day, and no
//     further (第二百零三条): a working day, on or after AddMonths, with only
//     days of rest between; DueAt is 24:00 of that day;
//   - YearsDeadline of y years is MonthsDeadline of 12y months, and a
//     sanction's end is AddMonths, never moved;
//   - a period that leaves MinYear..MaxYear is an error, never a wrong day.
func FuzzMonthsDeadline(f *testing.F) {
	first, last := day("1900-01-01"), day("2200-12-31")
	offset := func(s string) int { return daysBetween(first, day(s)) }
	f.Add(offset("2026-01-31"), 1)  // → 02-28
	f.Add(offset("2024-01-31"), 1)  // → 02-29, leap year
	f.Add(offset("2026-09-03"), 1)  // → 10-03, moved past 国庆
	f.Add(offset("2026-12-20"), 2)  // → 2027-02-20, a computed (provisional) year
	f.Add(offset("2024-02-29"), 12) // → 2025-02-28
	f.Add(offset("2026-05-10"), 60) // a five-year ban
	f.Add(offset("2200-11-30"), 1)  // → 2200-12-30, the last computed year
	f.Add(offset("2200-12-31"), 3)  // leaves the calendar
	f.Add(-1, -1)
	c := calendar.Default()
	days := daysBetween(first, last) + 1
	f.Fuzz(func(t *testing.T, offset, months int) {
		from := first.AddDays(mod(offset, days))
		n := mod(months, 600) + 1
		end := calendar.AddMonths(from, n)
		checkFinalMonth(t, from, n, end)
		if got := c.SanctionEnd("fuzz", from, n); got.Due != end {
			t.Fatalf("SanctionEnd(%s, %d) = %s, want AddMonths = %s (a sanction's end is never moved)", from, n, got.Due, end)
		}

		d, err := c.MonthsDeadline("fuzz", from, n)
		if end.Year > calendar.MaxYear || c.NextWorkday(end).Year > calendar.MaxYear {
			if err == nil {
				t.Fatalf("MonthsDeadline(%s, %d) = %s beyond %d, want an error", from, n, d.Due, calendar.MaxYear)
			}
			return
		}
		if err != nil {
			t.Fatalf("MonthsDeadline(%s, %d): %v", from, n, err)
		}
		if d.Due.Before(end) || !c.IsWorkday(d.Due) {
			t.Fatalf("MonthsDeadline(%s, %d) = %s: want a working day on or after AddMonths = %s", from, n, d.Due, end)
		}
		for x := end; x.Before(d.Due); x = x.AddDays(1) {
			if c.IsWorkday(x) {
				t.Fatalf("MonthsDeadline(%s, %d) = %s skips the working day %s (AddMonths = %s)", from, n, d.Due, x, end)
			}
		}
		if d.Kind != "fuzz" || !d.DueAt.Equal(d.Due.End()) {
			t.Fatalf("MonthsDeadline(%s, %d) = %+v: kind or DueAt (want %s) wrong", from, n, d, d.Due.End())
		}
		if n%12 == 0 {
			y, err := c.YearsDeadline("fuzz", from, n/12)
			if err != nil || y != d {
				t.Fatalf("YearsDeadline(%s, %d) = %+v, %v; want MonthsDeadline(%d) = %+v", from, n/12, y, err, n, d)
			}
		}
	})
}

// checkFinalMonth fails t unless end is in the nth month after from's, on
// from's day number or the last day of a shorter month.
func checkFinalMonth(t *testing.T, from calendar.Date, n int, end calendar.Date) {
	t.Helper()
	monthIndex := func(d calendar.Date) int { return d.Year*12 + int(d.Month) - 1 }
	if !end.Valid() || monthIndex(end) != monthIndex(from)+n {
		t.Fatalf("AddMonths(%s, %d) = %s, not a day of the final month", from, n, end)
	}
	lastOfMonth := calendar.NewDate(end.Year, end.Month+1, 0).Day
	if want := min(from.Day, lastOfMonth); end.Day != want {
		t.Fatalf("AddMonths(%s, %d) = %s, want day %d of that month", from, n, end, want)
	}
}

// daysBetween is the number of days from a to b.
func daysBetween(a, b calendar.Date) int {
	utc := func(d calendar.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }
	return int(utc(b).Sub(utc(a)).Hours()) / 24
}
