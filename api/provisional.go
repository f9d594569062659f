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
// force: a recorded provisional deadline still is only while a year from
// today to its due day has no official schedule.

// provisionalCheck settles recorded provisional flags on one calendar.
type provisionalCheck struct {
	cal   *calendar.Calendar
	today calendar.Date
}

func (s *Server) provisionalCheck(ctx context.Context) (provisionalCheck, error) {
	cal, err := s.Calendars.Current(ctx)
	return provisionalCheck{cal: cal, today: s.today()}, err
}

// still reports whether a deadline due on due, recorded as provisional,
// still is.
func (p provisionalCheck) still(due calendar.Date) bool {
	for y := min(p.today.Year, due.Year); y <= due.Year; y++ {
		if p.cal.Provisional(y) {
			return true
		}
	}
	return false
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
	if len(raw) == 0 || json.Unmarshal(raw, &list) != nil {
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
func (s *Server) settleSummaries(ctx context.Context, items []store.ApplicationSummary) error {
	p, err := s.provisionalCheck(ctx)
	if err != nil {
		return err
	}
	for i := range items {
		items[i].Deadlines = p.settleList(items[i].Deadlines)
	}
	return nil
}

func (p provisionalCheck) settleBrand(v *store.BrandView) {
	for i := range v.Deadlines {
		p.settleDay(v.Deadlines[i].Due, &v.Deadlines[i].Provisional)
	}
}
