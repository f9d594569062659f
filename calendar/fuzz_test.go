package calendar_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// FuzzAddWorkdays checks, for any date in 2015..2035 (official and computed
// years) and n in [-400, 400], that WorkdaysBetween inverts AddWorkdays, that
// the result of a non-zero count is a working day, and that counting back
// from it returns to a working-day start.
func FuzzAddWorkdays(f *testing.F) {
	f.Add(0, 1)
	f.Add(3921, 5)     // 2025-09-26, before 国庆
	f.Add(4061, 10)    // 2026-02-13
	f.Add(4379, 10)    // 2026-12-28, into computed 2027
	f.Add(7000, 400)   // into 2034
	f.Add(-12, -400)   // wraps to 2035
	f.Add(1855, 10001) // folded into range
	c := calendar.Default()
	first, last := day("2015-01-01"), day("2035-12-31")
	span, err := c.WorkdaysBetween(first, last) // any number; only used to fail fast on setup errors
	if err != nil || span <= 0 {
		f.Fatalf("WorkdaysBetween(%s, %s) = %d, %v", first, last, span, err)
	}
	const days = 7670 // 2015-01-01..2035-12-31
	f.Fuzz(func(t *testing.T, offset, n int) {
		d := first.AddDays(mod(offset, days))
		n = mod(n, 801) - 400
		x, err := c.AddWorkdays(d, n)
		if err != nil {
			t.Fatalf("AddWorkdays(%s, %d) error: %v", d, n, err)
		}
		got, err := c.WorkdaysBetween(d, x)
		if err != nil || got != n {
			t.Fatalf("WorkdaysBetween(%s, %s) = %d, %v; want %d (AddWorkdays(%s, %d) = %s)", d, x, got, err, n, d, n, x)
		}
		if n == 0 {
			if x != d {
				t.Fatalf("AddWorkdays(%s, 0) = %s", d, x)
			}
			return
		}
		if !c.IsWorkday(x) {
			t.Fatalf("AddWorkdays(%s, %d) = %s, not a working day", d, n, x)
		}
		if c.IsWorkday(d) {
			if back, err := c.AddWorkdays(x, -n); err != nil || back != d {
				t.Fatalf("AddWorkdays(%s, %d) = %s, %v; want back to %s", x, -n, back, err, d)
			}
		}
	})
}

func mod(a, b int) int {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

var sink calendar.Date

func BenchmarkAdd10WorkdaysEveryDayOfYear(b *testing.B) {
	c := calendar.Default()
	year := dayList("2026-01-01..2026-12-31")
	for b.Loop() {
		for _, d := range year {
			x, err := c.AddWorkdays(d, 10)
			if err != nil {
				b.Fatal(err)
			}
			sink = x
		}
	}
}

func BenchmarkAdd1000Workdays(b *testing.B) {
	c := calendar.Default()
	from := day("2025-01-01")
	for b.Loop() {
		x, err := c.AddWorkdays(from, 1000)
		if err != nil {
			b.Fatal(err)
		}
		sink = x
	}
}
