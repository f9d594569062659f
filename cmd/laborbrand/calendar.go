package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
)

const calendarUsage = `usage:
  laborbrand calendar add-workdays FROM N
  laborbrand calendar days FROM TO
  laborbrand calendar period FROM --months N [--act]`

// runCalendar answers date questions with the embedded calendar. The
// question is read whole before the calendar: used wrongly, the command
// says so (exit 2) before any database is opened.
func runCalendar(cfg config.Config, args []string) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Println(calendarUsage)
		return flag.ErrHelp
	}
	ask, err := calendarQuestion(args)
	if err != nil {
		return err
	}
	cal, err := runtimeCalendar(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	return ask(cal)
}

// isHelp reports whether arg asks for a command's usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// calendarQuestion reads a calendar command's arguments into the question
// it asks of the calendar in force.
func calendarQuestion(args []string) (func(*calendar.Calendar) error, error) {
	usage := usageError{errors.New(calendarUsage)}
	if len(args) == 0 {
		return nil, usage
	}
	switch args[0] {
	case "add-workdays":
		if len(args) != 3 {
			return nil, usage
		}
		from, err := calendar.ParseDate(args[1])
		if err != nil {
			return nil, usageError{err}
		}
		n, err := strconv.Atoi(args[2])
		if err != nil {
			return nil, usageError{fmt.Errorf("N=%q: not an integer", args[2])}
		}
		return func(cal *calendar.Calendar) error {
			d, err := cal.AddWorkdays(from, n)
			if err == nil {
				fmt.Println(d)
			}
			return err
		}, nil
	case "days":
		if len(args) != 3 {
			return nil, usage
		}
		from, err := calendar.ParseDate(args[1])
		if err != nil {
			return nil, usageError{err}
		}
		to, err := calendar.ParseDate(args[2])
		if err != nil {
			return nil, usageError{err}
		}
		return func(cal *calendar.Calendar) error {
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
			return nil
		}, nil
	case "period":
		return periodQuestion(args[1:])
	default:
		return nil, usage
	}
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

// periodQuestion reads `calendar period FROM --months N [--act]`.
func periodQuestion(args []string) (func(*calendar.Calendar) error, error) {
	fs := flag.NewFlagSet("calendar period", flag.ContinueOnError)
	months := fs.Int("months", 0, "period length in months")
	act := fs.Bool("act", false, "a deadline to act: a last day that is not a working day moves to the next working day")
	if len(args) == 0 || isHelp(args[0]) {
		if len(args) > 0 {
			fs.Usage()
			return nil, flag.ErrHelp
		}
		return nil, usageError{errors.New(calendarUsage)}
	}
	from, err := calendar.ParseDate(args[0])
	if err != nil {
		return nil, usageError{err}
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err}
	}
	if *months <= 0 {
		return nil, usageError{errors.New("--months must be a positive number")}
	}
	return func(cal *calendar.Calendar) error {
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
	}, nil
}
