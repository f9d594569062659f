package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
)

const calendarUsage = `usage:
  laborbrand calendar add-workdays FROM N
  laborbrand calendar days FROM TO
  laborbrand calendar period FROM --months N [--act]`

// runCalendar answers date questions with the embedded calendar.
func runCalendar(cfg config.Config, args []string) error {
	// Used wrongly, it says so before any database is opened.
	if len(args) == 0 || !slices.Contains([]string{"add-workdays", "days", "period"}, args[0]) ||
		args[0] != "period" && len(args) != 3 {
		return usageError{errors.New(calendarUsage)}
	}
	cal, err := runtimeCalendar(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	switch args[0] {
	case "add-workdays":
		if len(args) != 3 {
			return usageError{errors.New(calendarUsage)}
		}
		from, err := calendar.ParseDate(args[1])
		if err != nil {
			return usageError{err}
		}
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return usageError{fmt.Errorf("N=%q: not an integer", args[2])}
		}
		d, err := cal.AddWorkdays(from, n)
		if err != nil {
			return err
		}
		fmt.Println(d)
	case "days":
		if len(args) != 3 {
			return usageError{errors.New(calendarUsage)}
		}
		from, err := calendar.ParseDate(args[1])
		if err != nil {
			return usageError{err}
		}
		to, err := calendar.ParseDate(args[2])
		if err != nil {
			return usageError{err}
		}
		days, err := cal.Days(from, to)
		if err != nil {
			return err
		}
		for _, d := range days {
			kind := "off"
			if d.Workday {
				kind = "workday"
			}
			fmt.Printf("%s\t%s\n", d.Date, kind)
		}
	case "period":
		return runPeriod(cal, args[1:])
	default:
		return usageError{errors.New(calendarUsage)}
	}
	return nil
}

// runtimeCalendar is the calendar in force: with a database (DATABASE_URL),
// the embedded schedules plus the years an admin loaded; otherwise the
// embedded ones.
func runtimeCalendar(url string) (*calendar.Calendar, error) {
	if url == "" {
		return calendar.Default(), nil
	}
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return (&store.Calendars{Store: s}).Current(ctx)
}

func runPeriod(cal *calendar.Calendar, args []string) error {
	if len(args) == 0 {
		return usageError{errors.New(calendarUsage)}
	}
	from, err := calendar.ParseDate(args[0])
	if err != nil {
		return usageError{err}
	}
	fs := flag.NewFlagSet("calendar period", flag.ContinueOnError)
	months := fs.Int("months", 0, "period length in months")
	act := fs.Bool("act", false, "a deadline to act: a last day that is not a working day moves to the next working day")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if *months <= 0 {
		return usageError{errors.New("--months must be a positive number")}
	}
	if !*act {
		fmt.Println(calendar.AddMonths(from, *months))
		return nil
	}
	d, err := cal.MonthsDeadline("period", from, *months)
	if err != nil {
		return err
	}
	fmt.Println(d.Due)
	return nil
}
