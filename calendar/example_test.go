package calendar_test

import (
	"fmt"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func ExampleCalendar_WorkdaysDeadline() {
	c := calendar.Default()
	order, _ := calendar.ParseDate("2025-09-26") // the Friday before 国庆 2025
	d, err := c.WorkdaysDeadline("county_review", order, 5)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Due, d.DueAt.Format("2006-01-02 15:04 -07:00"), d.Provisional)
	// Output: 2025-10-10 2025-10-11 00:00 +08:00 false
}

func ExampleCalendar_MonthsDeadline() {
	c := calendar.Default()
	order, _ := calendar.ParseDate("2026-09-01")
	d, _ := c.MonthsDeadline("rectify", order, 1) // 10-01 is 国庆, so the last day moves
	fmt.Println(calendar.AddMonths(order, 1), d.Due)
	// Output: 2026-10-01 2026-10-08
}

func ExampleCalendar_Days() {
	from, _ := calendar.ParseDate("2027-02-04")
	to, _ := calendar.ParseDate("2027-02-11")
	days, _ := calendar.Default().Days(from, to)
	for _, d := range days {
		fmt.Println(d.Date, d.Date.Weekday(), d.Workday, d.Name, d.Provisional)
	}
	// Output:
	// 2027-02-04 Thursday true  true
	// 2027-02-05 Friday false 春节 true
	// 2027-02-06 Saturday false 春节 true
	// 2027-02-07 Sunday false 春节 true
	// 2027-02-08 Monday false 春节 true
	// 2027-02-09 Tuesday false 春节 true
	// 2027-02-10 Wednesday false 春节 true
	// 2027-02-11 Thursday true  true
}
