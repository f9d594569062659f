package calendar_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// RULES §5: a year's notice may adjust the last days of the December before
// for its 元旦 — the 2019 notice (国办发明电〔2018〕15号) made Saturday
// 2018-12-29 a working day and Monday 12-30, Tuesday 12-31 days off, which the
// 2018 notice, published a year earlier, could not know. Loaded with 2019,
// those days count as the notice says, on the city calendar and a county's;
// the last week of the December before is as far back as a notice reaches.
func TestDecision_ANoticeAdjustsTheDecemberBeforeItsYear(t *testing.T) {
	y2019 := calendar.Schedule{Year: 2019, Notice: "国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号）",
		Off: dayList("2018-12-30..2019-01-01", "2019-02-04..2019-02-10", "2019-04-05..2019-04-07", "2019-05-01..2019-05-04",
			"2019-06-07..2019-06-09", "2019-09-13..2019-09-15", "2019-10-01..2019-10-07"),
		Work: dayList("2018-12-29", "2019-02-02", "2019-02-03", "2019-04-28", "2019-05-05", "2019-09-29", "2019-10-12")}
	if err := y2019.Validate(); err != nil {
		t.Fatalf("the 2019 notice as published: %v", err)
	}
	before, err := calendar.New(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, err := calendar.New(2, []calendar.Schedule{y2019})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		day           string
		before, after bool
	}{
		{"2018-12-28", true, true},   // Friday
		{"2018-12-29", false, true},  // Saturday worked for 元旦
		{"2018-12-30", false, false}, // Sunday, off either way
		{"2018-12-31", true, false},  // Monday off for 元旦
		{"2019-01-01", false, false},
		{"2019-01-02", true, true},
	} {
		if got := before.IsWorkday(day(c.day)); got != c.before {
			t.Errorf("%s before the 2019 notice: workday %v, want %v", c.day, got, c.before)
		}
		if got := after.IsWorkday(day(c.day)); got != c.after {
			t.Errorf("%s with the 2019 notice: workday %v, want %v", c.day, got, c.after)
		}
		if got := after.ForCounty("530126").IsWorkday(day(c.day)); got != c.after {
			t.Errorf("%s with the 2019 notice, 石林's calendar: workday %v, want %v", c.day, got, c.after)
		}
	}
	days, err := after.Days(day("2018-12-29"), day("2018-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if !days[0].Adjusted || days[2].Name != "元旦" {
		t.Errorf("2018-12-29 adjusted %v, 2018-12-31 named %q; want adjusted, 元旦", days[0].Adjusted, days[2].Name)
	}
	// 5 working days after Thursday 2018-12-27: 12-28, 12-29, 01-02, 01-03, 01-04.
	if due, err := after.AddWorkdays(day("2018-12-27"), 5); err != nil || due != day("2019-01-04") {
		t.Errorf("5 working days after 2018-12-27: %s %v, want 2019-01-04", due, err)
	}
	// A period ending in the last week of December waits for the next
	// year's notice, which may still move its day; one ending earlier does not.
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"2018-12-03", "2018-12-21", true}, // 2018 itself has no notice here
		{"2019-12-02", "2019-12-20", false},
		{"2019-12-02", "2019-12-27", true}, // 2020 has none
		{"2019-12-27", "2019-12-02", true}, // counted back from the last week
	} {
		if got := after.ProvisionalSpan(day(c.from), day(c.to)); got != c.want {
			t.Errorf("%s..%s provisional %v, want %v (years %v)", c.from, c.to, got, c.want, after.ProvisionalYears(day(c.from), day(c.to)))
		}
	}
	for _, before := range []string{"2018-11-30", "2018-12-23"} {
		early := y2019
		early.Off = append(dayList(before), y2019.Off...)
		if err := early.Validate(); err == nil || !strings.Contains(err.Error(), before) {
			t.Errorf("%s, before the last week of the December before: %v, want refused", before, err)
		}
	}
}
