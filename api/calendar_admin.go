package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Calendar administration (issue 15 item 4): the days of a month as the
// calendar in force counts them, and — before a year is loaded — every
// open deadline the load would move, and to what.

func (s *Server) calendarAdminRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/calendar/days", Query: []string{"from", "to", "county"},
		Summary: "Each day from one date to another as the calendar in force counts it: working day, holiday, 调休, county day off, provisional",
		Result:  calendarDays{}}, s.calendarDayList)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/calendar/years/{year}/preview", Roles: []auth.Role{auth.Admin},
		Summary: "What loading a year's schedule would change: every open deadline that would move, and to what; nothing is stored",
		Body:    calendarYearRequest{}, Result: calendarPreview{}}, s.previewCalendarYear)
}

// maxCalendarDays bounds one GET /api/v1/calendar/days: a few months.
const maxCalendarDays = 100

type calendarDay struct {
	Date        string `json:"date" format:"date" doc:"日期"`
	Weekday     int    `json:"weekday" doc:"星期几：1 星期一 … 7 星期日"`
	Workday     bool   `json:"workday" doc:"是工作日"`
	Name        string `json:"name" doc:"放假日的节日名称（县（市、区）地方假日为其名称）；工作日为空"`
	Adjusted    bool   `json:"adjusted" doc:"调休上班的周末"`
	CountyOff   bool   `json:"county_off" doc:"所选县（市、区）的地方假日"`
	Provisional bool   `json:"provisional" doc:"该年尚无正式安排，按法定节日推算"`
}

type calendarYearStatus struct {
	Year        int    `json:"year" doc:"年份"`
	Provisional bool   `json:"provisional" doc:"尚无正式安排，按法定节日推算"`
	Notice      string `json:"notice" doc:"所依据的国务院办公厅通知；暂定的为空"`
}

type calendarDays struct {
	County          string               `json:"county" doc:"县（市、区）代码；空为全市日历"`
	CalendarVersion int                  `json:"calendar_version" doc:"日历版本"`
	Years           []calendarYearStatus `json:"years" doc:"所涉年份及其安排是否正式"`
	Days            []calendarDay        `json:"days" doc:"逐日"`
}

// calendarDayList answers GET /api/v1/calendar/days.
func (s *Server) calendarDayList(c *gin.Context) {
	var fields []FieldError
	from, err := calendar.ParseDate(c.Query("from"))
	if err != nil {
		fields = append(fields, FieldError{Field: "from", Message: "须为日期 YYYY-MM-DD"})
	}
	to, err := calendar.ParseDate(c.Query("to"))
	if err != nil {
		fields = append(fields, FieldError{Field: "to", Message: "须为日期 YYYY-MM-DD"})
	} else if len(fields) == 0 && (to.Before(from) || to.Start().Sub(from.Start()).Hours()/24 >= maxCalendarDays) {
		fields = append(fields, FieldError{Field: "to", Message: fmt.Sprintf("须不早于 from，且与 from 相隔不超过 %d 天", maxCalendarDays)})
	}
	county := c.Query("county")
	if county != "" {
		if known, err := s.Store.RegisteredUnit(c, county); err != nil {
			fail(c, err)
			return
		} else if !known {
			fields = append(fields, FieldError{Field: "county", Message: "不是已登记的县（市、区）代码"})
		}
	}
	if len(fields) > 0 {
		fail(c, errInvalid("查询参数有误", fields...))
		return
	}
	cal, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	cityDays, err := cal.Days(from, to)
	if err != nil {
		fail(c, errInvalid("无法计算", FieldError{Field: "from", Message: "日期超出日历支持的年份"}))
		return
	}
	days := cityDays
	if county != "" {
		days, _ = cal.ForCounty(county).Days(from, to)
	}
	local, err := s.Store.CountyDays(c, county, from, to)
	if err != nil {
		fail(c, err)
		return
	}
	out := calendarDays{County: county, CalendarVersion: cal.Version(), Years: []calendarYearStatus{}, Days: []calendarDay{}}
	for y := from.Year; y <= to.Year; y++ {
		st := calendarYearStatus{Year: y, Provisional: cal.Provisional(y)}
		if sch, ok := cal.Schedule(y); ok {
			st.Notice = sch.Notice
		}
		out.Years = append(out.Years, st)
	}
	for i, d := range days {
		wd := int(d.Date.Weekday())
		if wd == 0 {
			wd = 7
		}
		day := calendarDay{Date: d.Date.String(), Weekday: wd, Workday: d.Workday, Name: d.Name, Adjusted: d.Adjusted, Provisional: d.Provisional}
		// A county's own day off is marked whenever it has one on record —
		// one entered on a day the city is off too is the county's to see,
		// and to take back if entered by mistake.
		for _, l := range local {
			if county != "" && l.Day == d.Date {
				day.CountyOff = true
				if cityDays[i].Workday {
					day.Name = l.Name
				} else {
					day.Name = strings.TrimPrefix(day.Name+"、"+l.Name, "、")
				}
			}
		}
		out.Days = append(out.Days, day)
	}
	c.JSON(http.StatusOK, out)
}

// deadlineMove is one open deadline a load would move.
type deadlineMove struct {
	ObjectType     string `json:"object_type" enum:"object_type" doc:"application 申请，brand 品牌"`
	ObjectID       string `json:"object_id" doc:"申请或品牌编号"`
	BrandName      string `json:"brand_name" doc:"品牌名称"`
	CountyCode     string `json:"county_code" doc:"县（市、区）代码"`
	Key            string `json:"key" doc:"期限在流程中的键"`
	Label          string `json:"label" doc:"期限的中文名称"`
	Due            string `json:"due" format:"date" doc:"现在的最后一日"`
	NewDue         string `json:"new_due" format:"date" doc:"加载后的最后一日"`
	NewProvisional bool   `json:"new_provisional" doc:"加载后仍按暂定日历计算（涉及其他尚未公布的年份）"`
}

// unexplainedDeadline is an open deadline whose rule could not be read, so
// the preview cannot say whether it moves.
type unexplainedDeadline struct {
	ObjectType string `json:"object_type" enum:"object_type" doc:"application 申请，brand 品牌"`
	ObjectID   string `json:"object_id" doc:"申请或品牌编号"`
	Key        string `json:"key" doc:"期限在流程中的键；整个流程无法查询时为空"`
	Reason     string `json:"reason" doc:"原因"`
}

type calendarPreview struct {
	Year            int                   `json:"year" doc:"年份"`
	CalendarVersion int                   `json:"calendar_version" doc:"现行日历版本"`
	Examined        int                   `json:"examined" doc:"检查的正在计时的期限数"`
	Moves           []deadlineMove        `json:"moves" doc:"加载后最后一日会改变的期限，最早的在前"`
	Unexplained     []unexplainedDeadline `json:"unexplained" doc:"无法判断的期限（规则无法读取）"`
}

// previewCalendarYear answers POST /api/v1/calendar/years/{year}/preview:
// the body of the load, checked as the load checks it; every open deadline
// counted again on the calendar as it would be, nothing stored or sent.
func (s *Server) previewCalendarYear(c *gin.Context) {
	sch, _, ok := scheduleRequest(c, LoadableYears.First, LoadableYears.Last) // the load's own bounds
	if !ok {
		return
	}
	year := sch.Year
	cur, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	next, err := s.Store.CalendarWith(c, sch)
	if err != nil {
		fail(c, err)
		return
	}
	since := previewSince(year, s.Config.Brand.RenewalLeadDays)
	out := calendarPreview{Year: year, CalendarVersion: cur.Version(), Moves: []deadlineMove{}, Unexplained: []unexplainedDeadline{}}
	if err := s.previewApplications(c, cur, next, since, &out); err != nil {
		fail(c, err)
		return
	}
	if err := s.previewBrands(c, next, since, &out); err != nil {
		fail(c, err)
		return
	}
	slices.SortStableFunc(out.Moves, func(a, b deadlineMove) int { return strings.Compare(a.Due, b.Due) })
	c.JSON(http.StatusOK, out)
}

// previewSince is the earliest last day a load of year's schedule can move.
// Days of the year move deadlines counted into or across it — from the
// late December days its notice may give — and a count backwards
// (workdays_before: the renewal window, leadDays working days before a
// suspension's end in the year) reaches before it by its working days: at
// most half as many days again, and a week of holidays.
func previewSince(year, leadDays int) calendar.Date {
	return calendar.NewDate(year-1, 11, 1).AddDays(-(leadDays*3/2 + 7))
}

func (s *Server) previewApplications(c *gin.Context, cur, next *calendar.Calendar, since calendar.Date, out *calendarPreview) error {
	apps, err := s.Store.OpenApplicationDeadlines(c, since)
	if err != nil {
		return err
	}
	now := s.now()
	for _, f := range apps {
		for _, d := range f.Deadlines {
			// A lapsed deadline is never moved: its process has acted on it.
			if d.Due.Before(since) || !d.DueAt.After(now) {
				continue
			}
			out.Examined++
			r, _, ok := explainedRule(cur, f, d, s.Config.Admission)
			if !ok {
				out.Unexplained = append(out.Unexplained, unexplainedDeadline{ObjectType: "application", ObjectID: f.ID, Key: d.Kind,
					Reason: "无法从办理记录还原其计算规则"})
				continue
			}
			m, moves, err := moveOf(next, r, d, now)
			if err != nil {
				out.Unexplained = append(out.Unexplained, uncounted("application", f.ID, d.Kind))
			} else if moves {
				m.ObjectType, m.ObjectID, m.BrandName, m.CountyCode = "application", f.ID, f.BrandName, f.County
				out.Moves = append(out.Moves, m)
			}
		}
	}
	return nil
}

// previewConcurrency bounds the brand processes queried at once.
const previewConcurrency = 8

// previewBrands counts again the rules each brand's last step wrote; a
// brand whose last step was written before rules were kept is asked for
// them (its state query keeps them), a few at a time.
func (s *Server) previewBrands(c *gin.Context, next *calendar.Calendar, since calendar.Date, out *calendarPreview) error {
	brands, err := s.Store.BrandsWithDeadlines(c, since)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, previewConcurrency)
	now := s.now()
	for _, b := range brands {
		if b.Rules != nil { // kept with its last step: no need to ask the process
			mu.Lock()
			for _, r := range b.Rules {
				if r.Due.Before(since) || !r.Due.End().After(now) { // lapsed: never moved
					continue
				}
				out.Examined++
				d := calendar.Deadline{Kind: r.Key, Due: r.Due}
				m, moves, err := moveOf(next, r.Rule, d, now)
				if err != nil {
					out.Unexplained = append(out.Unexplained, uncounted("brand", b.ID, r.Key))
				} else if moves {
					m.ObjectType, m.ObjectID, m.BrandName, m.CountyCode = "brand", b.ID, b.Name, b.County
					out.Moves = append(out.Moves, m)
				}
			}
			mu.Unlock()
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			st, err := s.brandState(c, b.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				out.Unexplained = append(out.Unexplained, unexplainedDeadline{ObjectType: "brand", ObjectID: b.ID, Reason: "无法查询品牌流程：" + err.Error()})
				return
			}
			for _, d := range st.Deadlines.Items {
				// Ran out, its timer perhaps not yet fired: never moved.
				if d.Expired || d.Value().Due.Before(since) || !d.Value().DueAt.After(now) {
					continue
				}
				out.Examined++
				m, moves, err := moveOf(next, d.Rule, d.Value(), now)
				if err != nil {
					out.Unexplained = append(out.Unexplained, uncounted("brand", b.ID, d.Value().Kind))
				} else if moves {
					m.ObjectType, m.ObjectID, m.BrandName, m.CountyCode = "brand", b.ID, b.Name, b.County
					out.Moves = append(out.Moves, m)
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

// brandState queries a brand's process; a process that no longer runs
// has no deadline.
func (s *Server) brandState(c *gin.Context, id string) (workflows.BrandState, error) {
	var st workflows.BrandState
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.Config.TemporalTimeout)
	defer cancel()
	v, err := s.Temporal.QueryWorkflow(ctx, workflows.BrandWorkflowID(id), "", workflows.QueryState)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, v.Get(&st)
}

// moveOf counts r on next; it reports a move when the last day differs
// from the process's value d and the process would move it (a day moved
// earlier to a day already over at now stays: workflows.KeepsDay).
//
// A rule the new calendar cannot count is not "no move": the fan-out tells
// its process (activities.RecomputeRules), so the preview lists it as
// unexplained, with the reason.
func moveOf(next *calendar.Calendar, r deadline.Rule, d calendar.Deadline, now time.Time) (deadlineMove, bool, error) {
	s, err := deadline.Compute(next, r)
	if err != nil {
		return deadlineMove{}, false, err
	}
	if s.Deadline.Due == d.Due || workflows.KeepsDay(d.Kind, d, s.Deadline, now) {
		return deadlineMove{}, false, nil
	}
	return deadlineMove{Key: d.Kind, Label: workflows.DeadlineKindLabel(d.Kind), Due: d.Due.String(), NewDue: s.Deadline.Due.String(),
		NewProvisional: s.Deadline.Provisional}, true, nil
}

// uncounted is a deadline the new calendar cannot count, as the preview
// lists it.
func uncounted(objectType, id, key string) unexplainedDeadline {
	return unexplainedDeadline{ObjectType: objectType, ObjectID: id, Key: key, Reason: "按新日历无法计算（超出日历可计算的年份）；加载后由其流程自行处理"}
}
