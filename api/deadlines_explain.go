package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Deadlines explain themselves (issue 15 item 4): how a due day was computed
// — the start day, the counting rule and its article, each day counted or
// skipped and why, provisional or official — on the calendar in force.

func (s *Server) explainRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/calendar/explain", Query: []string{"kind", "from", "period", "n", "county"},
		Summary: "How a deadline rule is computed: start, counting rule and article, each day counted or skipped and why", Result: explanationView{}}, s.explainRule)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/deadlines", Roles: brandReaders,
		Summary: "A brand's running deadlines with the rules its process keeps, each explained on the calendar in force", Result: brandDeadlines{}}, s.brandDeadlineList)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}/deadlines", Roles: readers,
		Summary: "An application's running deadlines, each with the rule recovered from its record and explained on the calendar in force", Result: applicationDeadlines{}}, s.applicationDeadlineList)
}

// explainablePeriods are the rules a caller may ask to explain.
var explainablePeriods = []deadline.Period{deadline.Workdays, deadline.Months, deadline.Years, deadline.SanctionTerm,
	deadline.OnDate, deadline.WorkdaysBefore, deadline.Notice, deadline.NoticeNextDay}

// explainRule answers GET /api/v1/calendar/explain: any rule, explained on
// the calendar in force (a county's overlay with county=).
func (s *Server) explainRule(c *gin.Context) {
	var fields []FieldError
	r := deadline.Rule{Kind: c.Query("kind"), Period: deadline.Period(c.Query("period")), County: c.Query("county")}
	from, err := calendar.ParseDate(c.Query("from"))
	if err != nil {
		fields = append(fields, FieldError{Field: "from", Message: "须为日期 YYYY-MM-DD"})
	}
	r.From = from
	if !slices.Contains(explainablePeriods, r.Period) {
		fields = append(fields, FieldError{Field: "period", Message: "须为 workdays、months、years、sanction_term、on_date、workdays_before、notice、notice_next_day 之一"})
	}
	n, err := strconv.Atoi(c.DefaultQuery("n", "0"))
	if err != nil || n < 0 || n > 1000 {
		fields = append(fields, FieldError{Field: "n", Message: "须为 0–1000 的整数"})
	}
	r.N = n
	if !s.queryChecked(c, fields, r.County) {
		return
	}
	cal, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	e, err := deadline.Explain(cal, r)
	if err != nil {
		fail(c, errInvalid("无法计算", FieldError{Field: "n", Message: "该规则无法计算：" + err.Error()}))
		return
	}
	c.JSON(http.StatusOK, explanationOf(e))
}

// brandDeadline is one of a brand's running deadlines, explained.
type brandDeadline struct {
	Key         string          `json:"key" doc:"期限在流程中的键，如 rectification、change:CH1"`
	Label       string          `json:"label" doc:"期限的中文名称"`
	Action      string          `json:"action,omitempty" doc:"须办理的事项"`
	Due         string          `json:"due" format:"date" doc:"期限的最后一日，即流程所用的日子"`
	Provisional bool            `json:"provisional" doc:"按暂定日历计算"`
	Explanation explanationView `json:"explanation" doc:"按现行日历的计算过程；已届满的期限不随日历调整，其 due 可能与本项的 due 不同"`
}

type brandDeadlines struct {
	Items []brandDeadline `json:"items" doc:"正在计时的期限，最早到期的在前"`
}

// brandDeadlineList answers GET /api/v1/brands/{id}/deadlines: the rules
// the brand's process keeps for its running deadlines (its state query),
// each explained on the calendar in force.
func (s *Server) brandDeadlineList(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	v, err := s.Temporal.QueryWorkflow(ctx, workflows.BrandWorkflowID(ref.ID), "", workflows.QueryState)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		c.JSON(http.StatusOK, brandDeadlines{Items: []brandDeadline{}})
		return
	}
	if err != nil {
		fail(c, fmt.Errorf("query brand %s: %w", ref.ID, err))
		return
	}
	var st workflows.BrandState
	if err := v.Get(&st); err != nil {
		fail(c, fmt.Errorf("decode brand %s state: %w", ref.ID, err))
		return
	}
	cal, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	out := brandDeadlines{Items: []brandDeadline{}}
	settled := s.provisionalCheck(c)
	forHolder := principal(c).Role == auth.Applicant
	for _, d := range st.Deadlines.Items {
		if forHolder && strings.HasPrefix(d.Key, workflows.MatterReportTriage) {
			continue // reports in triage are not the holder's to know (RULES §6: reporters are protected)
		}
		e, err := deadline.Explain(cal, d.Rule)
		if err != nil {
			continue // a rule the process could not compute either
		}
		// The day is the process's own: a lapsed deadline is never moved by
		// a later calendar, which the explanation is counted on.
		v := d.Value()
		item := brandDeadline{Key: d.Key, Label: workflows.DeadlineKindLabel(d.Key), Action: d.Action,
			Due: v.Due.String(), Provisional: v.Provisional, Explanation: explanationOf(e)}
		settled.settleDay(item.Due, &item.Provisional)
		out.Items = append(out.Items, item)
	}
	slices.SortStableFunc(out.Items, func(a, b brandDeadline) int { return strings.Compare(a.Due, b.Due) })
	c.JSON(http.StatusOK, out)
}

// explanationView is deadline.Explanation on the wire: dates as
// YYYY-MM-DD (API.md § Conventions).
type explanationView struct {
	Rule             ruleView  `json:"rule" doc:"计算规则"`
	Counting         string    `json:"counting" doc:"计算方式的中文说明"`
	Article          string    `json:"article" doc:"依据的条款"`
	Start            string    `json:"start" format:"date" doc:"第一个计入的日子（按月、年计算的为起算日）"`
	Nominal          string    `json:"nominal" format:"date" doc:"按月、年推算出的最后一日（顺延前）；其他规则同 due"`
	Due              string    `json:"due" format:"date" doc:"期限的最后一日"`
	DueAt            time.Time `json:"due_at" doc:"期限届满的时刻（次日 00:00，+08:00）"`
	Provisional      bool      `json:"provisional" doc:"按暂定日历计算：所涉年份的节假日安排尚未公布"`
	ProvisionalYears []int     `json:"provisional_years" doc:"尚无正式安排（按法定节日推算）的年份"`
	CalendarVersion  int       `json:"calendar_version" doc:"计算所用的日历版本"`
	Days             []dayView `json:"days" doc:"逐日说明：计入的工作日与跳过的日子（按月、年计算的，只列顺延的日子）"`
}

type ruleView struct {
	Kind   string `json:"kind" doc:"期限的类型"`
	From   string `json:"from" format:"date" doc:"起算日"`
	Period string `json:"period" doc:"计算方式：workdays 工作日，months 月，years 年，sanction_term 处罚期间，on_date 固定日期，workdays_before 之前若干工作日，notice、notice_next_day 公示期"`
	N      int    `json:"n" doc:"数量"`
	County string `json:"county" doc:"县（市、区）日历；空为全市日历"`
}

type dayView struct {
	Date    string `json:"date" format:"date" doc:"日期"`
	Weekday string `json:"weekday" doc:"星期"`
	Counted int    `json:"counted" doc:"计入的第几个工作日；0 为不计入"`
	Reason  string `json:"reason" doc:"跳过的原因（周末、节假日名称、县（市、区）地方假日）或“调休上班”；平常的工作日为空"`
}

func explanationOf(e deadline.Explanation) explanationView {
	v := explanationView{Rule: ruleView{Kind: e.Rule.Kind, From: e.Rule.From.String(), Period: string(e.Rule.Period), N: e.Rule.N, County: e.Rule.County},
		Counting: e.Counting, Article: e.Article, Start: e.Start.String(), Nominal: e.Nominal.String(), Due: e.Due.String(),
		DueAt: e.DueAt, Provisional: e.Provisional, ProvisionalYears: e.ProvisionalYears, CalendarVersion: e.CalendarVersion, Days: []dayView{}}
	if v.ProvisionalYears == nil {
		v.ProvisionalYears = []int{}
	}
	for _, d := range e.Days {
		v.Days = append(v.Days, dayView{Date: d.Date.String(), Weekday: d.Weekday, Counted: d.Counted, Reason: d.Reason})
	}
	return v
}
