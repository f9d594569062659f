package calendar_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// notices lists, from the text of each year's State Council notice, its days
// off and its adjusted working days (调休上班), written out independently of
// the package's embedded data.
var notices = []struct {
	year   int
	number string
	off    []string
	work   []string
}{
	{2020, "国办发明电〔2019〕16号",
		// 春节 01-24..01-30, extended to 02-02 by 国办发明电〔2020〕1号.
		[]string{"2020-01-01", "2020-01-24..2020-02-02", "2020-04-04..2020-04-06", "2020-05-01..2020-05-05",
			"2020-06-25..2020-06-27", "2020-10-01..2020-10-08"},
		[]string{"2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"}},
	{2021, "国办发明电〔2020〕27号",
		[]string{"2021-01-01..2021-01-03", "2021-02-11..2021-02-17", "2021-04-03..2021-04-05",
			"2021-05-01..2021-05-05", "2021-06-12..2021-06-14", "2021-09-19..2021-09-21", "2021-10-01..2021-10-07"},
		[]string{"2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"}},
	{2022, "国办发明电〔2021〕11号",
		[]string{"2022-01-01..2022-01-03", "2022-01-31..2022-02-06", "2022-04-03..2022-04-05",
			"2022-04-30..2022-05-04", "2022-06-03..2022-06-05", "2022-09-10..2022-09-12", "2022-10-01..2022-10-07"},
		[]string{"2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09"}},
	{2023, "国办发明电〔2022〕16号",
		// 元旦 is 2022-12-31..2023-01-02; only the 2023 days belong here.
		[]string{"2023-01-01..2023-01-02", "2023-01-21..2023-01-27", "2023-04-05", "2023-04-29..2023-05-03",
			"2023-06-22..2023-06-24", "2023-09-29..2023-10-06"},
		[]string{"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08"}},
	{2024, "国办发明电〔2023〕7号",
		[]string{"2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06", "2024-05-01..2024-05-05",
			"2024-06-10", "2024-09-15..2024-09-17", "2024-10-01..2024-10-07"},
		[]string{"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
			"2024-10-12"}},
	{2025, "国办发明电〔2024〕12号",
		[]string{"2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
			"2025-05-31..2025-06-02", "2025-10-01..2025-10-08"},
		[]string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}},
	{2026, "国办发明电〔2025〕7号",
		[]string{"2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06",
			"2026-05-01..2026-05-05", "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07"},
		[]string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}},
}

func TestOfficialScheduleClassifiesEveryDay(t *testing.T) {
	c := calendar.Default()
	for _, n := range notices {
		t.Run(n.number, func(t *testing.T) {
			off, work := expand(n.off...), expand(n.work...)
			for d := range work {
				if isWeekday(d) {
					t.Fatalf("test table: adjusted working day %s is a %s", d, d.Weekday())
				}
			}
			for d := calendar.NewDate(n.year, 1, 1); d.Year == n.year; d = d.AddDays(1) {
				want := (isWeekday(d) && !off[d]) || work[d]
				if got := c.IsWorkday(d); got != want {
					t.Errorf("IsWorkday(%s, %s) = %v, want %v", d, d.Weekday(), got, want)
				}
			}
			if c.Provisional(n.year) {
				t.Errorf("Provisional(%d) = true, want false", n.year)
			}
		})
	}
}

func TestEmbeddedSchedulesCiteTheirNotices(t *testing.T) {
	embedded := calendar.Embedded()
	if len(embedded) != len(notices) {
		t.Fatalf("Embedded() has %d schedules, want %d", len(embedded), len(notices))
	}
	for i, s := range embedded {
		if err := s.Validate(); err != nil {
			t.Errorf("Embedded()[%d].Validate() = %v", i, err)
		}
		n := notices[i]
		if s.Year != n.year || !strings.Contains(s.Notice, n.number) ||
			!strings.Contains(s.Notice, "国务院办公厅关于") {
			t.Errorf("Embedded()[%d] = year %d, notice %q; want year %d citing %s", i, s.Year, s.Notice, n.year, n.number)
		}
	}
	if !strings.Contains(embedded[0].Notice, "国办发明电〔2020〕1号") {
		t.Errorf("2020 notice %q does not cite the Spring Festival extension", embedded[0].Notice)
	}
}

func TestEmbeddedReturnsFreshSlices(t *testing.T) {
	a := calendar.Embedded()
	a[6].Off[0] = day("2026-07-01")
	if b := calendar.Embedded(); b[6].Off[0] != day("2026-01-01") {
		t.Errorf("changing one Embedded() result changed the next: %s", b[6].Off[0])
	}
}

func TestYearsOutsideTheNoticesAreProvisional(t *testing.T) {
	c := calendar.Default()
	for _, year := range []int{1900, 2019, 2027, 2200} {
		if !c.Provisional(year) {
			t.Errorf("Provisional(%d) = false, want true", year)
		}
	}
}

func TestDaysNamesOfficialBlocks(t *testing.T) {
	c := calendar.Default()
	tests := []struct {
		name, date, want  string
		workday, adjusted bool
	}{
		{"春节 block from 除夕", "2025-01-28", "春节", false, false},
		{"春节 block extended by 国办发明电〔2020〕1号", "2020-02-02", "春节", false, false},
		{"a day inside a block named after both holidays", "2025-10-06", "国庆节、中秋节", false, false},
		{"中秋 before 国庆 in 2023", "2023-09-29", "中秋节、国庆节", false, false},
		{"清明 block", "2026-04-06", "清明节", false, false},
		{"adjusted working Saturday has no name", "2026-02-28", "", true, true},
		{"ordinary Sunday", "2026-03-01", "", false, false},
		{"ordinary Monday", "2026-03-02", "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := c.Days(day(tt.date), day(tt.date))
			if err != nil || len(days) != 1 {
				t.Fatalf("Days(%s, %s) = %v, %v", tt.date, tt.date, days, err)
			}
			got := days[0]
			if got.Name != tt.want || got.Workday != tt.workday || got.Adjusted != tt.adjusted || got.Provisional {
				t.Errorf("Days(%s) = %+v, want name %q, workday %v, adjusted %v, not provisional",
					tt.date, got, tt.want, tt.workday, tt.adjusted)
			}
		})
	}
}
