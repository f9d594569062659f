package main

import (
	"fmt"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func d(s string) calendar.Date { x, err := calendar.ParseDate(s); if err != nil { panic(err) }; return x }

func main() {
	c := calendar.Default()
	for _, s := range []string{"2026-09-01", "2026-01-31", "2026-04-03", "2026-05-19", "2026-03-31", "2026-05-09", "2026-07-10", "2026-07-01", "2026-12-15", "2026-03-19", "2026-03-11"} {
		m, _ := c.MonthsDeadline("m", d(s), 1)
		m3, _ := c.MonthsDeadline("m", d(s), 3)
		fmt.Println("1m", s, m.Due, m.Provisional, "3m", m3.Due)
	}
	for _, s := range []string{"2026-02-28", "2026-03-02", "2026-03-16", "2026-06-22", "2026-01-26", "2026-03-09", "2026-04-07", "2026-03-04", "2026-06-10", "2026-06-15", "2026-07-01", "2026-06-09", "2028-03-02", "2027-01-18", "2026-03-10"} {
		w10, _ := c.AddWorkdays(d(s), 10)
		w20, _ := c.AddWorkdays(d(s), 20)
		fmt.Println("wd", s, d(s).Weekday(), "+10", w10, "+20", w20)
	}
	for _, s := range []string{"2027-02-05", "2028-02-05"} {
		b, _ := c.AddWorkdays(d(s), -20)
		fmt.Println("-20", s, b, d(s).Weekday(), c.IsWorkday(d(s)))
	}
	for y := 2027; y <= 2028; y++ {
		ds, _ := c.Days(calendar.NewDate(y, 1, 1), calendar.NewDate(y, 12, 31))
		for _, x := range ds {
			if !x.Workday && x.Date.Weekday() != 0 && x.Date.Weekday() != 6 {
				fmt.Print(x.Date, " ")
			}
		}
		fmt.Println()
	}
	fmt.Println(d("2031-03-16").Weekday(), d("2027-01-15").Weekday(), d("2028-03-02").Weekday())
}
