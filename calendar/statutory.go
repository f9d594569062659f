package calendar

import (
	"slices"
	"strings"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// Holiday names as 全国年节及纪念日放假办法 第二条 gives them.
const (
	HolidayNewYear        = "元旦"
	HolidaySpringFestival = "春节"
	HolidayQingming       = "清明节"
	HolidayLabourDay      = "劳动节"
	HolidayDragonBoat     = "端午节"
	HolidayNationalDay    = "国庆节"
	HolidayMidAutumn      = "中秋节"
	HolidayLocal          = "地方假日" // a county's extra off day (第四条)
	// unnamedOff names an official off day that no statutory holiday falls in.
	unnamedOff = "放假"
)

// namedDay is a day off together with the name of its holiday block.
type namedDay struct {
	date Date
	name string
}

// statutoryDays returns the days off of 全国年节及纪念日放假办法 第二条
// (2024 revision, in force from 2025-01-01) in year, sorted by date; a day
// that is two holidays at once appears twice, 国庆节 first.
//
// 第二条: 元旦 1 day (01-01); 春节 4 days (农历除夕, 正月初一至初三); 清明节
// 1 day (the day of the 清明 solar term); 劳动节 2 days (05-01, 05-02); 端午节
// 1 day (五月初五); 中秋节 1 day (八月十五); 国庆节 3 days (10-01..10-03).
func statutoryDays(year int) []namedDay {
	chuyi := lunarDate(year, 1, 1)
	days := []namedDay{
		{NewDate(year, time.January, 1), HolidayNewYear},
		// 除夕 is the last day of the lunar year, the 29th or the 30th of
		// 腊月, so it is found as the day before 正月初一.
		{chuyi.AddDays(-1), HolidaySpringFestival},
		{chuyi, HolidaySpringFestival},
		{chuyi.AddDays(1), HolidaySpringFestival},
		{chuyi.AddDays(2), HolidaySpringFestival},
		{qingmingDay(year), HolidayQingming},
		{NewDate(year, time.May, 1), HolidayLabourDay},
		{NewDate(year, time.May, 2), HolidayLabourDay},
		{lunarDate(year, 5, 5), HolidayDragonBoat},
		{NewDate(year, time.October, 1), HolidayNationalDay},
		{NewDate(year, time.October, 2), HolidayNationalDay},
		{NewDate(year, time.October, 3), HolidayNationalDay},
		{lunarDate(year, 8, 15), HolidayMidAutumn},
	}
	slices.SortStableFunc(days, func(a, b namedDay) int { return a.date.Compare(b.date) })
	return days
}

// lunarDate returns the Gregorian date of day d of (non-leap) month m of the
// lunar year that begins in Gregorian year y.
func lunarDate(y, m, d int) Date {
	s := lunar.NewLunarFromYmd(y, m, d).GetSolar()
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}

// qingmingDay returns the date, in China Standard Time, of the 清明 solar
// term of year y (04-04 or 04-05 in these centuries).
func qingmingDay(y int) Date {
	s := lunar.NewLunarFromSolar(lunar.NewSolarFromYmd(y, 4, 15)).GetJieQiTable()["清明"]
	return Date{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}
}

// computedOffDays returns the days off of a year that has no official
// schedule: the statutory days of 第二条 plus the make-up days of 第六条.
//
// 第六条: a holiday of all citizens that falls on a Saturday or Sunday is made
// up on working days. Consecutive statutory days form one block (中秋节 next
// to 国庆节 merges with it); for each block, one make-up day is appended per
// statutory day that gave no weekday off, on the first weekdays after the
// block that are neither statutory days nor earlier make-up days. A
// statutory day that gave no weekday off is one on a weekend, or one that
// coincides with another holiday (中秋节 on 10-01..10-03): the State
// Council's practice (2020 notice: 国庆节与中秋节重合则放假4天) gives that
// day back too.
func computedOffDays(year int) []namedDay {
	days := statutoryDays(year)
	statutory := make(map[Date]bool, len(days))
	for _, d := range days {
		statutory[d.date] = true
	}
	taken := make(map[Date]bool)
	var out []namedDay
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && !days[j].date.After(days[j-1].date.AddDays(1)) {
			j++
		}
		block := days[i:j]
		name := joinNames(block)
		owed := 0
		for k, d := range block {
			if k > 0 && d.date == block[k-1].date {
				owed++ // two holidays on one day
				continue
			}
			if d.date.isWeekend() {
				owed++
			}
			out = append(out, namedDay{d.date, name})
		}
		for d := block[len(block)-1].date; owed > 0; {
			d = d.AddDays(1)
			if d.isWeekend() || statutory[d] || taken[d] {
				continue
			}
			taken[d] = true
			out = append(out, namedDay{d, name})
			owed--
		}
		i = j
	}
	return out
}

// officialOffDays names the off days of an official schedule: consecutive
// days form a block, named after the statutory holidays that fall in it
// ("国庆节、中秋节"), or unnamedOff when none does.
func officialOffDays(s Schedule) []namedDay {
	off := slices.Clone(s.Off)
	slices.SortFunc(off, Date.Compare)
	off = slices.Compact(off)
	stat := statutoryDays(s.Year)
	var out []namedDay
	for i := 0; i < len(off); {
		j := i + 1
		for j < len(off) && off[j] == off[j-1].AddDays(1) {
			j++
		}
		var inside []namedDay
		for _, d := range stat {
			if !d.date.Before(off[i]) && !d.date.After(off[j-1]) {
				inside = append(inside, d)
			}
		}
		name := joinNames(inside)
		if name == "" {
			name = unnamedOff
		}
		for _, d := range off[i:j] {
			out = append(out, namedDay{d, name})
		}
		i = j
	}
	return out
}

// joinNames joins the distinct holiday names of days in order: "国庆节、中秋节".
func joinNames(days []namedDay) string {
	var names []string
	for _, d := range days {
		if !slices.Contains(names, d.name) {
			names = append(names, d.name)
		}
	}
	return strings.Join(names, "、")
}
