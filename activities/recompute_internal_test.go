package activities

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// RULES §5 (a revision never ends a period already over): the fan-out tells
// a process of a day the revised calendar moves, but not of one the process
// keeps — moved earlier, to a day already over — which it would only be
// told again at every revision.
func TestTheFanOutDoesNotTellADayTheProcessKeeps(t *testing.T) {
	cal := calendar.Default() // 20 working days after 2026-03-02: 03-30
	rule := deadline.Rule{Kind: "county_review", From: calendar.NewDate(2026, time.March, 2), Period: deadline.Workdays, N: 20}
	onRecord := []records.DeadlineRule{{Key: "county_review", Rule: rule, Due: calendar.NewDate(2026, time.March, 31), CalendarVersion: -1}}
	shanghai := func(day, hour int) time.Time {
		return time.Date(2026, time.March, day, hour, 0, 0, 0, calendar.Shanghai)
	}
	if _, moves := RecomputeRules(cal, cal.Version(), onRecord, shanghai(30, 10)); !moves {
		t.Error("on 03-30 the day moves to 03-30, not yet over: the process is to be told")
	}
	if _, moves := RecomputeRules(cal, cal.Version(), onRecord, shanghai(31, 10)); moves {
		t.Error("on 03-31 the day would move to 03-30, over: the process keeps 03-31 and is not told")
	}
	if _, moves := RecomputeRules(cal, cal.Version(), onRecord, time.Time{}); !moves {
		t.Error("with no instant every day that differs is a move")
	}
}
