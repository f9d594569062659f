package calendar_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// The 2027 days off computed by hand from 全国年节及纪念日放假办法 (2024
// revision) 第二条 and 第六条, with the 2027 lunar dates: 除夕 Friday 02-05,
// 初一 Saturday 02-06; 清明 Monday 04-05; 端午 Wednesday 06-09; 中秋
// Wednesday 09-15.
var computed2027Off = []string{
	"2027-01-01",             // 元旦, Friday
	"2027-02-05..2027-02-10", // 除夕..初三 (Sat, Sun inside) + make-ups Tue 02-09, Wed 02-10
	"2027-04-05",             // 清明
	"2027-05-01..2027-05-04", // 05-01 Sat, 05-02 Sun + make-ups Mon 05-03, Tue 05-04
	"2027-06-09",             // 端午
	"2027-09-15",             // 中秋
	"2027-10-01..2027-10-05", // 10-02 Sat, 10-03 Sun + make-ups Mon 10-04, Tue 10-05
}

func TestComputedYearClassifiesEveryDay(t *testing.T) {
	c := calendar.Default()
	off := expand(computed2027Off...)
	for d := day("2027-01-01"); d.Year == 2027; d = d.AddDays(1) {
		want := isWeekday(d) && !off[d] // no adjusted working weekends in a computed year
		if got := c.IsWorkday(d); got != want {
			t.Errorf("IsWorkday(%s, %s) = %v, want %v", d, d.Weekday(), got, want)
		}
	}
	if !c.Provisional(2027) {
		t.Error("Provisional(2027) = false, want true")
	}
}

func TestComputedHolidaysAndMakeUps(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name    string
		from    string
		to      string
		off     []string // days off in from..to
		holiday string   // their name
	}{
		{"第二条: 春节 is 除夕 + 初一..初三; 第六条: Sat and Sun made up after it",
			"2027-02-04", "2027-02-11", []string{"2027-02-05..2027-02-10"}, "春节"},
		{"第六条: 清明 on Saturday is made up on Monday", "2031-04-04", "2031-04-08",
			[]string{"2031-04-05", "2031-04-06", "2031-04-07"}, "清明节"},
		{"第六条: 端午 on Saturday is made up on Monday", "2029-06-15", "2029-06-19",
			[]string{"2029-06-16", "2029-06-17", "2029-06-18"}, "端午节"},
		{"第六条: 端午 on Sunday is made up on Monday", "2028-05-26", "2028-05-30",
			[]string{"2028-05-27", "2028-05-28", "2028-05-29"}, "端午节"},
		{"第六条: 中秋 on Saturday is made up on Monday", "2029-09-21", "2029-09-25",
			[]string{"2029-09-22", "2029-09-23", "2029-09-24"}, "中秋节"},
		{"第六条: 元旦 on Saturday is made up on Monday", "2027-12-31", "2028-01-04",
			[]string{"2028-01-01", "2028-01-02", "2028-01-03"}, "元旦"},
		{"中秋 on 10-03 coincides with 国庆: the day is given back after the block", "2028-09-29", "2028-10-06",
			[]string{"2028-09-30..2028-10-05"}, "国庆节、中秋节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := c.Days(day(tt.from), day(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			off := expand(tt.off...)
			for _, info := range days {
				if info.Workday == off[info.Date] {
					t.Errorf("%s (%s): workday = %v, want %v", info.Date, info.Date.Weekday(), info.Workday, !off[info.Date])
				}
				if !info.Provisional {
					t.Errorf("%s: not provisional", info.Date)
				}
				if tt.holiday != "" && !info.Workday && isWeekday(info.Date) && info.Name != tt.holiday {
					t.Errorf("%s: name %q, want %q", info.Date, info.Name, tt.holiday)
				}
			}
		})
	}
}

func TestDeadlinesTouchingComputedYearsAreProvisional(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name        string
		deadline    func() (calendar.Deadline, error)
		due         string
		provisional bool
	}{
		{"10 working days from 2026-12-28 cross into 2027",
			func() (calendar.Deadline, error) { return c.WorkdaysDeadline("review", day("2026-12-28"), 10) },
			"2027-01-12", true},
		{"5 working days inside 2026 are official",
			func() (calendar.Deadline, error) { return c.WorkdaysDeadline("review", day("2026-12-01"), 5) },
			"2026-12-08", false},
		{"a month from 2026-12-31 ends on Sunday 2027-01-31 and moves to Monday",
			func() (calendar.Deadline, error) { return c.MonthsDeadline("rectify", day("2026-12-31"), 1) },
			"2027-02-01", true},
		{"5 working days from 2027-02-04 skip the computed 春节",
			func() (calendar.Deadline, error) { return c.WorkdaysDeadline("review", day("2027-02-04"), 5) },
			"2027-02-17", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.deadline()
			if err != nil {
				t.Fatal(err)
			}
			if got.Due != day(tt.due) || got.Provisional != tt.provisional {
				t.Errorf("got %+v, want due %s, provisional %v", got, tt.due, tt.provisional)
			}
		})
	}
}

// official2027 is a made-up schedule standing in for the 2027 notice, which
// had not been published when this test was written.
var official2027 = calendar.Schedule{
	Year:   2027,
	Off:    dayList("2027-01-01", "2027-02-05..2027-02-12", "2027-10-01..2027-10-07"),
	Work:   dayList("2027-02-20", "2027-10-09"),
	Notice: "测试用假设的2027年通知（非真实文件）",
}

func TestOfficialScheduleReplacesComputedYear(t *testing.T) {
	c, err := calendar.New(1, append(calendar.Embedded(), official2027))
	if err != nil {
		t.Fatal(err)
	}
	if c.Provisional(2027) || c.Version() != 1 {
		t.Errorf("Provisional(2027) = %v, Version() = %d; want false, 1", c.Provisional(2027), c.Version())
	}
	tests := []struct {
		name    string
		d       string
		workday bool
	}{
		{"an off day only the notice gives", "2027-02-11", false},
		{"an adjusted working Saturday of the notice", "2027-02-20", true},
		{"a computed 第六条 make-up day that the notice does not give", "2027-05-03", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkday(day(tt.d)); got != tt.workday {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.d, got, tt.workday)
			}
		})
	}
	// 02-13 Sat, 02-14 Sun off; 02-15..02-19 count 5.
	d, err := c.WorkdaysDeadline("review", day("2027-02-04"), 5)
	if err != nil || d.Due != day("2027-02-19") || d.Provisional || d.CalendarVersion != 1 {
		t.Errorf("WorkdaysDeadline on the official 2027 = %+v, %v; want due 2027-02-19, official, version 1", d, err)
	}
	if s, ok := c.Schedule(2027); !ok || !strings.Contains(s.Notice, "2027") {
		t.Errorf("Schedule(2027) = %+v, %v", s, ok)
	}
}

func TestLaterScheduleForTheSameYearReplacesEarlier(t *testing.T) {
	revised := calendar.Embedded()[6]
	revised.Off = append(revised.Off, day("2026-12-31"))
	revised.Notice += "（测试用修订）"
	c, err := calendar.New(2, append(calendar.Embedded(), revised))
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkday(day("2026-12-31")) {
		t.Error("IsWorkday(2026-12-31) = true after a later 2026 schedule made it a day off")
	}
	if calendar.Default().IsWorkday(day("2026-12-31")) != true {
		t.Error("the default calendar changed")
	}
}
