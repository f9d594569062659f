// Package deadline computes a process's deadlines from the rules of RULES §5:
// a rule (what is counted, from which day, how) and the business calendar in
// force give a schedule (the last day, the instant it ends, and the moments
// to remind before it and escalate after it). It is pure: the calendar is an
// argument, so the same rule on the same calendar always gives the same
// schedule, and a workflow can keep the rule to recompute it.
package deadline

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Period is how a deadline is counted from its start date (RULES §5).
type Period string

// The periods of RULES §5.
const (
	Workdays     Period = "workdays"      // N working days after From (民法典第二百零一条)
	Months       Period = "months"        // N months to act: a non-working last day moves on
	Years        Period = "years"         // N years to act: a non-working last day moves on
	SanctionTerm Period = "sanction_term" // N months of a sanction: never moves
	OnDate       Period = "on_date"       // a fixed last day (From itself)
	// WorkdaysBefore is a deadline N working days before From (e.g. a
	// renewal decided 20 working days before a suspension ends).
	WorkdaysBefore Period = "workdays_before"
	// Notice is a public notice of N working days published on From
	// (第十三条); NoticeNextDay starts counting the day after publication.
	Notice        Period = "notice"
	NoticeNextDay Period = "notice_next_day"
)

// Rule says how to compute one deadline; it is kept by the workflow
// so the deadline can be recomputed when the calendar changes.
type Rule struct {
	Kind   string        `json:"kind"`
	From   calendar.Date `json:"from"`
	Period Period        `json:"period"`
	N      int           `json:"n"`
	County string        `json:"county,omitempty"` // county calendar overlay, if any
	Alerts AlertPolicy   `json:"alerts"`
}

// AlertPolicy says when to remind before a deadline and escalate after it.
type AlertPolicy struct {
	// LeadDays are reminders, in working days before the due day (0: on it).
	LeadDays []int `json:"lead_days,omitempty"`
	// EscalateEvery repeats the escalation every so many working days after
	// the first one at the deadline's end; EscalateMax caps how many are sent.
	EscalateEvery int `json:"escalate_every,omitempty"`
	EscalateMax   int `json:"escalate_max,omitempty"`
}

// Alert kinds.
const (
	AlertReminder   = "reminder"
	AlertDue        = "due"
	AlertEscalation = "escalation"
)

// Alert is one moment a deadline needs attention.
type Alert struct {
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`  // business instant
	Seq  int       `json:"seq"` // stable number within the deadline, for delivery IDs
	Lead int       `json:"lead,omitempty"`
}

// Schedule is a computed deadline with its alerts in time order. The first
// AlertDue alert is the deadline's end.
type Schedule struct {
	Deadline calendar.Deadline `json:"deadline"`
	// Start is the first day of a period that has one (a notice's day 1).
	Start  calendar.Date `json:"start,omitempty"`
	Alerts []Alert       `json:"alerts"`
}

// reminderHour is when a reminder is sent on its working day (Asia/Shanghai).
const reminderHour = 9

// Compute computes the schedule of rule r on calendar cal.
func Compute(cal *calendar.Calendar, r Rule) (Schedule, error) {
	if r.County != "" {
		cal = cal.ForCounty(r.County)
	}
	var d calendar.Deadline
	var err error
	switch r.Period {
	case Workdays:
		d, err = cal.WorkdaysDeadline(r.Kind, r.From, r.N)
	case Months:
		d, err = cal.MonthsDeadline(r.Kind, r.From, r.N)
	case Years:
		d, err = cal.YearsDeadline(r.Kind, r.From, r.N)
	case SanctionTerm:
		d = cal.SanctionEnd(r.Kind, r.From, r.N)
	case OnDate:
		d = fixedDeadline(cal, r.Kind, r.From, r.From)
	case WorkdaysBefore:
		var due calendar.Date
		if due, err = cal.AddWorkdays(r.From, -r.N); err == nil {
			d = fixedDeadline(cal, r.Kind, due, r.From)
			d.Due, d.DueAt = due, due.End()
		}
	case Notice, NoticeNextDay:
		return noticeSchedule(cal, r)
	default:
		err = fmt.Errorf("unknown period %q", r.Period)
	}
	if err != nil {
		return Schedule{}, temporal.NewNonRetryableApplicationError(fmt.Sprintf("deadline %s: %v", r.Kind, err), "BadDeadline", err)
	}
	s := Schedule{Deadline: d}
	seq := 0
	for _, lead := range r.Alerts.LeadDays {
		day, err := cal.AddWorkdays(d.Due, -lead)
		if err != nil || lead < 0 {
			continue
		}
		at := time.Date(day.Year, day.Month, day.Day, reminderHour, 0, 0, 0, calendar.Shanghai)
		s.Alerts = append(s.Alerts, Alert{Kind: AlertReminder, At: at, Seq: seq, Lead: lead})
		seq++
	}
	s.Alerts = append(s.Alerts, Alert{Kind: AlertDue, At: d.DueAt, Seq: seq})
	seq++
	for i := 0; i < r.Alerts.EscalateMax; i++ {
		at := d.DueAt
		if i > 0 {
			day, err := cal.AddWorkdays(d.Due, i*r.Alerts.EscalateEvery)
			if err != nil {
				break
			}
			at = day.End()
		}
		s.Alerts = append(s.Alerts, Alert{Kind: AlertEscalation, At: at, Seq: seq})
		seq++
	}
	// Stable: the due alert stays before an escalation at the same instant.
	slices.SortStableFunc(s.Alerts, func(a, b Alert) int { return a.At.Compare(b.At) })
	return s, nil
}

// noticeSchedule computes a public notice (RULES §3 Decision): it starts on
// the publication day when that is a working day (else the next working day)
// and that day counts as day 1; or, by configuration, on the working day
// after publication. It ends at 24:00 of the Nth working day.
func noticeSchedule(cal *calendar.Calendar, r Rule) (Schedule, error) {
	start := cal.NextWorkday(r.From)
	if r.Period == NoticeNextDay {
		var err error
		if start, err = cal.AddWorkdays(r.From, 1); err != nil {
			return Schedule{}, err
		}
	}
	due := start
	if r.N > 1 {
		var err error
		if due, err = cal.AddWorkdays(start, r.N-1); err != nil {
			return Schedule{}, err
		}
	}
	d := fixedDeadline(cal, r.Kind, r.From, due)
	return Schedule{Deadline: d, Start: start, Alerts: []Alert{{Kind: AlertDue, At: d.DueAt}}}, nil
}

// fixedDeadline is a deadline whose last day is known, provisional when the
// span waits for a year's schedule (calendar.ProvisionalSpan).
func fixedDeadline(cal *calendar.Calendar, kind string, from, due calendar.Date) calendar.Deadline {
	return calendar.Deadline{Kind: kind, Due: due, DueAt: due.End(), Provisional: cal.ProvisionalSpan(from, due), CalendarVersion: cal.Version()}
}
