package calendar_test

import (
	"sync"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func TestCountyOverlay(t *testing.T) {
	city := calendar.Default()
	// 全国年节及纪念日放假办法 第四条: a local off day for 530126 only.
	withLocal := city.WithCountyOffDays("530126", dayList("2026-03-03", "2026-02-28"))
	tests := []struct {
		name   string
		c      *calendar.Calendar
		from   string
		n      int
		want   string
		county string
	}{
		{"第四条: the county's local off day is skipped in that county", withLocal.ForCounty("530126"), "2026-03-02", 1, "2026-03-04", "530126"},
		{"第四条: another county keeps the city calendar", withLocal.ForCounty("530128"), "2026-03-02", 1, "2026-03-03", "530128"},
		{"第四条: the city calendar ignores county overlays", withLocal, "2026-03-02", 1, "2026-03-03", ""},
		{"the calendar WithCountyOffDays was called on is unchanged", city.ForCounty("530126"), "2026-03-02", 1, "2026-03-03", "530126"},
		{"a local off day on an adjusted working Saturday makes it a day off", withLocal.ForCounty("530126"), "2026-02-27", 1, "2026-03-02", "530126"},
		{"the city still works that Saturday", withLocal, "2026-02-27", 1, "2026-02-28", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.AddWorkdays(day(tt.from), tt.n)
			if err != nil || got != day(tt.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
			}
			if tt.c.County() != tt.county {
				t.Errorf("County() = %q, want %q", tt.c.County(), tt.county)
			}
		})
	}

	days, err := withLocal.ForCounty("530126").Days(day("2026-03-03"), day("2026-03-03"))
	if err != nil || days[0].Workday || days[0].Name != calendar.HolidayLocal {
		t.Errorf("Days(2026-03-03) in 530126 = %+v, %v; want a day off named %s", days, err, calendar.HolidayLocal)
	}
	if got := withLocal.CountyOffDays("530126"); len(got) != 2 || got[0] != day("2026-02-28") {
		t.Errorf("CountyOffDays(530126) = %v, want [2026-02-28 2026-03-03]", got)
	}
	removed := withLocal.WithCountyOffDays("530126", nil).ForCounty("530126")
	if !removed.IsWorkday(day("2026-03-03")) {
		t.Error("an empty overlay did not remove the county's off days")
	}
}

func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	c, err := calendar.New(3, calendar.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithCountyOffDays("530126", dayList("2030-03-05"))
	var wg sync.WaitGroup
	results := make([]calendar.Date, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			view := c
			if i%2 == 1 {
				view = c.ForCounty("530126")
			}
			d, err := view.AddWorkdays(day("2029-12-20"), 300)
			if err != nil {
				t.Error(err)
			}
			results[i] = d
		}()
	}
	wg.Wait()
	for i := 2; i < len(results); i++ {
		if results[i] != results[i%2] {
			t.Errorf("goroutine %d got %s, goroutine %d got %s", i, results[i], i%2, results[i%2])
		}
	}
}
