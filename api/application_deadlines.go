package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// An application's process answers its deadlines' values but not their
// rules (its state query predates them). Steps written since migration
// 00029 carry the rules (deadline_rules); for the others the rules are few
// and fixed by RULES §3, so the API recovers each from the deadline's key,
// the admission policy and the facts on record — the day of the step that
// entered the stage, the objections' days of receipt — and checks the
// recovered rule against the value the process computed: a rule that does
// not give the same day on the same calendar is not shown as the reason.

// Deadline keys of the application's process (workflows/application_stages.go).
const (
	appKeyCountyReview  = "county_review"
	appKeyCityReview    = "city_review"
	appKeyResubmission  = "resubmission"
	appKeyNotice        = "public_notice"
	appKeyObjection     = "objection_ruling:"
	appKeyObjectionDay  = "objection_day:"
	actionProcessOpened = "county_review.opened"
)

// applicationRule recovers the rule d was counted by (RULES §3): 初审 and
// 复审 ServiceDays working days from the day the stage was entered (a
// process started late counts the 初审 from the submission), the
// resubmission wait ReturnWaitDays, the 公示 NoticeDays, an objection's
// ruling ObjectionRulingDays working days from its receipt.
func applicationRule(f store.AppDeadlineFacts, d calendar.Deadline, p workflows.AdmissionPolicy) (deadline.Rule, bool) {
	r := deadline.Rule{Kind: d.Kind, Period: deadline.Workdays, County: f.County, Alerts: p.Alerts}
	entered := func() (calendar.Date, bool) {
		if f.EnteredAt == nil {
			return calendar.Date{}, false
		}
		return calendar.DateOf(*f.EnteredAt), true
	}
	var ok bool
	switch {
	case d.Kind == appKeyCountyReview:
		r.N = p.ServiceDays
		if r.From, ok = entered(); ok && f.EnteredAction == actionProcessOpened {
			if submitted := calendar.DateOf(f.SubmittedAt); submitted.Before(r.From) {
				r.From = submitted
			}
		}
	case d.Kind == appKeyCityReview:
		r.N = p.ServiceDays
		r.From, ok = entered()
	case d.Kind == appKeyResubmission:
		r.N = p.ReturnWaitDays
		r.Alerts = deadline.AlertPolicy{LeadDays: p.Alerts.LeadDays}
		r.From, ok = entered()
	case d.Kind == appKeyNotice:
		r.N, r.Period, r.Alerts = p.NoticeDays, deadline.Notice, deadline.AlertPolicy{}
		if !p.NoticeFromPublication {
			r.Period = deadline.NoticeNextDay
		}
		r.From, ok = entered()
	case strings.HasPrefix(d.Kind, appKeyObjectionDay):
		r.N = p.ObjectionRulingDays
		from, err := calendar.ParseDate(strings.TrimPrefix(d.Kind, appKeyObjectionDay))
		r.From, ok = from, err == nil
	case strings.HasPrefix(d.Kind, appKeyObjection):
		r.N = p.ObjectionRulingDays
		r.From, ok = f.ObjectionsReceived[strings.TrimPrefix(d.Kind, appKeyObjection)]
	}
	return r, ok
}

// keptRule is the rule of key as the process's last step wrote it
// (deadline_rules), when it was written with one.
func keptRule(rules []records.DeadlineRule, key string) (deadline.Rule, bool) {
	for _, r := range rules {
		if r.Key == key {
			return r.Rule, true
		}
	}
	return deadline.Rule{}, false
}

// explainedRule takes d's kept rule or recovers it, and explains it on cal; ok is false when
// no rule is known for d, or when the recovered rule does not give d's day
// on the calendar version d was computed with.
func explainedRule(cal *calendar.Calendar, f store.AppDeadlineFacts, d calendar.Deadline, p workflows.AdmissionPolicy) (deadline.Rule, deadline.Explanation, bool) {
	r, ok := keptRule(f.Rules, d.Kind)
	if !ok {
		r, ok = applicationRule(f, d, p)
	}
	if !ok {
		return r, deadline.Explanation{}, false
	}
	e, err := deadline.Explain(cal, r)
	if err != nil || (d.CalendarVersion == cal.Version() && e.Due != d.Due) {
		return r, deadline.Explanation{}, false
	}
	return r, e, true
}

// applicationDeadline is one of an application's running deadlines, with
// how it was computed.
type applicationDeadline struct {
	Key         string           `json:"key" doc:"期限在流程中的键，如 county_review、objection_day:2026-10-09"`
	Label       string           `json:"label" doc:"期限的中文名称"`
	Due         string           `json:"due" format:"date" doc:"流程记录的期限最后一日"`
	Provisional bool             `json:"provisional" doc:"按暂定日历计算"`
	Explanation *explanationView `json:"explanation" doc:"计算过程；无法从办理记录还原时为 null"`
}

type applicationDeadlines struct {
	Items []applicationDeadline `json:"items" doc:"正在计时的期限，最早到期的在前"`
}

// applicationDeadlineList answers GET /api/v1/applications/{id}/deadlines.
func (s *Server) applicationDeadlineList(c *gin.Context) {
	if _, ok := s.application(c); !ok {
		return
	}
	f, err := s.Store.ApplicationDeadlineFacts(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	cal, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	out := applicationDeadlines{Items: []applicationDeadline{}}
	settled := s.provisionalCheck(c)
	for _, d := range f.Deadlines {
		item := applicationDeadline{Key: d.Kind, Label: workflows.DeadlineKindLabel(d.Kind), Due: d.Due.String(), Provisional: d.Provisional}
		settled.settleDay(item.Due, &item.Provisional)
		if _, e, ok := explainedRule(cal, f, d, s.Config.Admission); ok {
			v := explanationOf(e)
			item.Explanation = &v
		}
		out.Items = append(out.Items, item)
	}
	slices.SortStableFunc(out.Items, func(a, b applicationDeadline) int { return strings.Compare(a.Due, b.Due) })
	c.JSON(http.StatusOK, out)
}
