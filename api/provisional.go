package api

import (
	"context"
	"encoding/json"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
)

// A deadline is recorded as provisional (暂定) when a year it spans had no
// official schedule when it was computed (RULES §5). When that schedule is
// loaded, the revision's fan-out tells every process whose due day moves;
// a process whose day stands is left alone, and its records keep the flag
// until its next step. So what is shown is settled here, on the calendar in
// force once its fan-out is done: a recorded provisional deadline still is
// only while the span from today to its due day waits for a year's schedule
// (calendar.ProvisionalSpan).

// provisionalCheck settles recorded provisional flags on one calendar; with
// none (a revision still being told, or the calendar unreadable) it shows
// the flags as recorded.
type provisionalCheck struct {
	cal   *calendar.Calendar
	today calendar.Date
}

func (s *Server) provisionalCheck(ctx context.Context) provisionalCheck {
	p := provisionalCheck{today: s.today()}
	cal, err := s.Calendars.Current(ctx)
	if err != nil {
		s.Log.Warn("provisional deadlines shown as recorded: calendar unreadable", "error", err)
		return p
	}
	if told, err := s.Store.CalendarFannedOut(ctx); err != nil || !told {
		return p // the revision's fan-out may yet move a recorded day
	}
	p.cal = cal
	return p
}

// still reports whether a deadline due on due, recorded as provisional,
// still is.
func (p provisionalCheck) still(due calendar.Date) bool {
	if p.cal == nil {
		return true
	}
	from := p.today
	if due.Before(from) {
		from = due
	}
	return p.cal.ProvisionalSpan(from, due)
}

// settleDay settles the flag of a deadline recorded with due (YYYY-MM-DD).
func (p provisionalCheck) settleDay(due string, provisional *bool) {
	if !*provisional {
		return
	}
	if d, err := calendar.ParseDate(due); err == nil && !p.still(d) {
		*provisional = false
	}
}

// settleList settles a recorded list of deadlines (calendar.Deadline as
// JSON); a list it cannot read, or in which nothing changes, is returned
// as it is.
func (p provisionalCheck) settleList(raw json.RawMessage) json.RawMessage {
	var list []map[string]any
	if p.cal == nil || len(raw) == 0 || json.Unmarshal(raw, &list) != nil {
		return raw
	}
	changed := false
	for _, d := range list {
		provisional, _ := d["provisional"].(bool)
		due, _ := d["due"].(string)
		if provisional {
			p.settleDay(due, &provisional)
			if !provisional {
				d["provisional"], changed = false, true
			}
		}
	}
	if !changed {
		return raw
	}
	out, err := json.Marshal(list)
	if err != nil {
		return raw
	}
	return out
}

func (p provisionalCheck) settleTasks(tasks []store.Task) {
	for i := range tasks {
		p.settleDay(tasks[i].Due, &tasks[i].Provisional)
	}
}

// settleSummaries settles the deadlines of a page of applications.
func (s *Server) settleSummaries(ctx context.Context, items []store.ApplicationSummary) {
	p := s.provisionalCheck(ctx)
	for i := range items {
		items[i].Deadlines = p.settleList(items[i].Deadlines)
	}
}

func (p provisionalCheck) settleBrand(v *store.BrandView) {
	for i := range v.Deadlines {
		p.settleDay(v.Deadlines[i].Due, &v.Deadlines[i].Provisional)
	}
}
