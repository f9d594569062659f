package calendar_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Expected dates below were counted by hand from the notices (see notices in
// official_test.go), not by the code under test.
func TestAddWorkdays(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"民法典第二百零一条: first counted day is the day after", "2026-03-02", 1, "2026-03-03"},
		{"民法典第二百零一条: from a day off the count starts the next day too", "2026-10-03", 1, "2026-10-08"},
		{"n == 0 returns from", "2026-10-03", 0, "2026-10-03"},

		// 国庆 2025: 09-27 Sat off, 09-28 Sun works, 10-01..10-08 off, 10-11 Sat works.
		{"国庆 2025: 1 day from Friday lands on the adjusted working Sunday", "2025-09-26", 1, "2025-09-28"},
		{"国庆 2025: 5 days from the Friday before", "2025-09-26", 5, "2025-10-10"},
		{"国庆 2025: 10 days from the Friday before count the adjusted Saturday", "2025-09-26", 10, "2025-10-16"},

		// 春节 2026: 02-14 Sat works, 02-15..02-23 off, 02-28 Sat works.
		{"春节 2026: 1 day from 02-13 is the adjusted working Saturday", "2026-02-13", 1, "2026-02-14"},
		{"春节 2026: 5 days from 02-13", "2026-02-13", 5, "2026-02-27"},
		{"春节 2026: 10 days from 02-13 count both adjusted Saturdays", "2026-02-13", 10, "2026-03-05"},

		// 春节 2025: 01-26 Sun works, 01-28..02-04 off, 02-08 Sat works.
		{"春节 2025: 1 day from Friday is the adjusted working Sunday", "2025-01-24", 1, "2025-01-26"},
		{"春节 2025: 5 days across the festival", "2025-01-24", 5, "2025-02-07"},
		{"春节 2025: 10 days across the festival", "2025-01-24", 10, "2025-02-13"},

		// 劳动节 2024: 04-28 Sun works, 05-01..05-05 off, 05-11 Sat works.
		{"劳动节 2024: 1 day from Friday is the adjusted working Sunday", "2024-04-26", 1, "2024-04-28"},
		{"劳动节 2024: 5 days across the holiday", "2024-04-26", 5, "2024-05-07"},
		{"劳动节 2024: 10 days across the holiday and the adjusted Saturday", "2024-04-26", 10, "2024-05-13"},

		// 劳动节 2026: 05-01..05-05 off, 05-09 Sat works.
		{"劳动节 2026: 1 day from the eve", "2026-04-30", 1, "2026-05-06"},
		{"劳动节 2026: 5 days count the adjusted Saturday", "2026-04-30", 5, "2026-05-11"},
		{"劳动节 2026: 10 days", "2026-04-30", 10, "2026-05-18"},

		// 元旦 2026: 01-01..01-03 off, 01-04 Sun works; the count crosses the year.
		{"元旦 2026: 1 day from New Year's Eve is the adjusted working Sunday", "2025-12-31", 1, "2026-01-04"},
		{"元旦 2026: 5 days from New Year's Eve", "2025-12-31", 5, "2026-01-08"},
		{"元旦 2026: 10 days from New Year's Eve", "2025-12-31", 10, "2026-01-15"},

		// 中秋 and 国庆 2026: 09-20 Sun works, 09-25..09-27 and 10-01..10-07 off.
		{"国庆 2026: 1 day from Friday is the adjusted working Sunday", "2026-09-18", 1, "2026-09-20"},
		{"国庆 2026: 5 days stop before 中秋", "2026-09-18", 5, "2026-09-24"},
		{"国庆 2026: 10 days cross 中秋 and 国庆", "2026-09-18", 10, "2026-10-09"},

		{"negative n: the first counted day is the day before", "2025-10-09", -1, "2025-09-30"},
		{"negative n counts the adjusted working Sunday backwards", "2025-10-09", -5, "2025-09-25"},
		{"negative n over 春节 2026 reaches the adjusted working Saturday", "2026-02-24", -1, "2026-02-14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.AddWorkdays(day(tt.from), tt.n)
			if err != nil {
				t.Fatalf("AddWorkdays(%s, %d) error: %v", tt.from, tt.n, err)
			}
			if got != day(tt.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
			between, err := c.WorkdaysBetween(day(tt.from), got)
			if err != nil || between != tt.n {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tt.from, got, between, err, tt.n)
			}
		})
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"(from, to]: from is not counted, to is", "2026-03-02", "2026-03-06", 4},
		{"same day is zero", "2026-03-02", "2026-03-02", 0},
		{"the whole of 国庆 2026 has no working day", "2026-09-30", "2026-10-07", 0},
		{"to before from counts [to, from) negatively", "2026-03-06", "2026-03-02", -4},
		{"a week across 春节 2026 counts the adjusted Saturdays", "2026-02-13", "2026-02-28", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.WorkdaysBetween(day(tt.from), day(tt.to))
			if err != nil || got != tt.want {
				t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tt.from, tt.to, got, err, tt.want)
			}
		})
	}
}

func TestNextWorkday(t *testing.T) {
	c := calendar.Default()
	tests := []struct{ name, d, want string }{
		{"a working day is its own next working day", "2026-03-02", "2026-03-02"},
		{"an adjusted working Saturday is a working day", "2026-02-28", "2026-02-28"},
		{"from inside 国庆 2026 to the first day after it", "2026-10-01", "2026-10-08"},
		{"from an ordinary Saturday to Monday", "2026-03-07", "2026-03-09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextWorkday(day(tt.d)); got != day(tt.want) {
				t.Errorf("NextWorkday(%s) = %s, want %s", tt.d, got, tt.want)
			}
		})
	}
}
