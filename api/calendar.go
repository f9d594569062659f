package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
)

type addWorkdaysView struct {
	Date            string `json:"date" format:"date" doc:"结果日期"`
	Provisional     bool   `json:"provisional" doc:"按暂定日历计算：该年节假日安排尚未公布，公布后可能调整"`
	CalendarVersion int    `json:"calendar_version" doc:"计算所用的日历版本"`
}

// addWorkdays answers "N working days after FROM" with the calendar in force
// (民法典第二百零一条: the first counted day is the day after FROM).
func (s *Server) addWorkdays(c *gin.Context) {
	var fields []FieldError
	from, err := calendar.ParseDate(c.Query("from"))
	if err != nil {
		fields = append(fields, FieldError{Field: "from", Message: "须为日期 YYYY-MM-DD"})
	}
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil || n < -calendar.MaxWorkdays || n > calendar.MaxWorkdays {
		fields = append(fields, FieldError{Field: "n", Message: fmt.Sprintf("须为 -%d 至 %d 之间的整数", calendar.MaxWorkdays, calendar.MaxWorkdays)})
	}
	if !s.queryChecked(c, fields, c.Query("county")) {
		return
	}
	cal, err := s.Calendars.Current(c)
	if err != nil {
		fail(c, err)
		return
	}
	if county := c.Query("county"); county != "" {
		cal = cal.ForCounty(county)
	}
	d, err := cal.AddWorkdays(from, n)
	if err != nil {
		// n is bounded above: only a count leaving the calendar's years fails.
		fail(c, errInvalid("无法计算", FieldError{Field: "from", Message: fmt.Sprintf("从 %s 计 %d 个工作日超出日历可计算的年份（%d–%d 年）", from, n, calendar.MinYear, calendar.MaxYear)}))
		return
	}
	c.JSON(http.StatusOK, addWorkdaysView{Date: d.String(), Provisional: cal.ProvisionalSpan(from, d), CalendarVersion: cal.Version()})
}

type calendarYearRequest struct {
	Off    []string `json:"off" format:"date" doc:"放假日（YYYY-MM-DD）"`
	Work   []string `json:"work" format:"date" doc:"调休上班的周末"`
	Notice string   `json:"notice" doc:"国务院办公厅通知的文号或标题，不超过300字" maxLength:"300"`
}

type calendarYearView struct {
	Year            int      `json:"year" doc:"年份"`
	Off             []string `json:"off" format:"date" doc:"放假日"`
	Work            []string `json:"work" format:"date" doc:"调休上班的周末"`
	Notice          string   `json:"notice" doc:"通知"`
	CalendarVersion int      `json:"calendar_version" doc:"计算所用的日历版本"`
	Changed         bool     `json:"changed" doc:"false：与现行安排（已加载或内置）完全相同，未产生新版本、未记审计、期限不重算"`
}

// LoadableYears are the years an admin may give a calendar: a schedule, a
// county's day off, its preview. Beyond them a day moves no deadline and
// is a typing slip (0001-01-01), though each would start a revision.
var LoadableYears = struct{ First, Last int }{2000, 2200}

// putCalendarYear loads a year's official schedule (admin only). It takes
// precedence over the embedded data and advances the calendar version —
// unless it is the schedule the calendar already has for the year, which
// changes nothing.
func (s *Server) putCalendarYear(c *gin.Context) {
	sch, req, ok := scheduleRequest(c, LoadableYears.First, LoadableYears.Last)
	if !ok {
		return
	}
	year := sch.Year
	p := principal(c)
	version, changed, err := s.Store.SaveCalendarYear(c, sch, s.now(), p.Sub, string(p.Role))
	if err != nil {
		fail(c, err)
		return
	}
	if changed {
		s.afterCalendarChange(c, version)
	}
	c.JSON(http.StatusOK, calendarYearView{Year: year, Off: req.Off, Work: req.Work, Notice: sch.Notice, CalendarVersion: version, Changed: changed})
}

// scheduleRequest reads a year's schedule from the path and the body, the
// year within minYear..maxYear; false when it has answered the refusal.
func scheduleRequest(c *gin.Context, minYear, maxYear int) (calendar.Schedule, calendarYearRequest, bool) {
	var req calendarYearRequest
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < minYear || year > maxYear {
		fail(c, errInvalid("年份有误", FieldError{Field: "year", Message: fmt.Sprintf("须为 %d–%d 之间的年份", minYear, maxYear)}))
		return calendar.Schedule{}, req, false
	}
	if !bindJSON(c, &req) {
		return calendar.Schedule{}, req, false
	}
	sch, fields := parseSchedule(year, req)
	if len(fields) > 0 {
		fail(c, errInvalid("节假日安排有误", fields...))
		return sch, req, false
	}
	return sch, req, true
}

// parseSchedule checks every date of the request and the schedule as a
// whole: dates inside the year, no date both off and working.
func parseSchedule(year int, req calendarYearRequest) (calendar.Schedule, []FieldError) {
	sch := calendar.Schedule{Year: year, Notice: strings.TrimSpace(req.Notice)}
	var fields []FieldError
	switch n := utf8.RuneCountInString(sch.Notice); {
	case n == 0:
		fields = append(fields, FieldError{Field: "notice", Message: "必填：国务院办公厅通知的标题和文号"})
	case n > noticeMax:
		fields = append(fields, FieldError{Field: "notice", Message: fmt.Sprintf("不超过%d字（现%d字）：通知的标题和文号", noticeMax, n)})
	}
	if len(req.Off) == 0 {
		// Every year's notice gives days off (第二条's holidays at least): a
		// schedule without any would make them working days, and move every
		// deadline across them earlier.
		fields = append(fields, FieldError{Field: "off", Message: "必填：国务院通知所列的放假日"})
	}
	parse := func(name string, in []string) []calendar.Date {
		var out []calendar.Date
		seen := map[string]bool{}
		for i, s := range in {
			field := fmt.Sprintf("%s[%d]", name, i)
			d, err := calendar.ParseDate(s)
			switch {
			case err != nil:
				fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf("%q 不是日期：须为 YYYY-MM-DD", s)})
			case name == "work" && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday:
				fields = append(fields, FieldError{Field: field, Message: s + " 是" + weekdayNames[d.Weekday()] + "：调休上班日须为周六或周日"})
			case !sch.Covers(d):
				fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf("%s 不在 %d 年内（也不在其前一年12月24日至31日）", s, year)})
			case seen[s]:
				fields = append(fields, FieldError{Field: field, Message: s + " 重复"})
			default:
				seen[s] = true
				out = append(out, d)
			}
		}
		return out
	}
	sch.Off = parse("off", req.Off)
	sch.Work = parse("work", req.Work)
	offSet := map[calendar.Date]bool{}
	for _, d := range sch.Off {
		offSet[d] = true
	}
	for i, d := range sch.Work {
		if offSet[d] {
			fields = append(fields, FieldError{Field: fmt.Sprintf("work[%d]", i), Message: d.String() + " 不能既是放假日又是调休上班日"})
		}
	}
	if len(fields) == 0 {
		if err := sch.Validate(); err != nil {
			fields = append(fields, FieldError{Field: "work", Message: err.Error()})
		}
	}
	return sch, fields
}

// noticeMax bounds a notice's title and number (国办发明电〔2025〕7号's
// title is 40 characters).
const noticeMax = 300

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// afterCalendarChange starts the fan-out that tells open processes of the
// new calendar version; the HTTP handler only starts it.
func (s *Server) afterCalendarChange(c *gin.Context, version int) {
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	if err := s.starter().StartCalendarFanout(ctx, version); err != nil {
		// The revision is stored: the worker's starter sweep starts the
		// fan-out within seconds of Temporal's return.
		s.Log.Warn("calendar fan-out left to the starter's sweep", "version", version, "error", err)
	}
}

// countyOffDayView answers a local day off added.
type countyOffDayView struct {
	CountyCode      string `json:"county_code" doc:"县（市、区）代码"`
	Day             string `json:"day" format:"date" doc:"放假日期"`
	Name            string `json:"name" doc:"节日名称"`
	CalendarVersion int    `json:"calendar_version" doc:"日历版本：每次加载或修改日历加一，期限按新版本重算"`
	Added           bool   `json:"added" doc:"true 新增了这一天（日历版本加一）；false 这一天原已是该县的地方假日，未作改动，name 为原登记的名称"`
}

type countyOffDayBody struct {
	Day  string `json:"day" format:"date" doc:"放假日期"`
	Name string `json:"name" doc:"节日名称，不超过50字" maxLength:"50"`
}

// addCountyOffDay adds a local day off for one county (RULES §5: 少数民族节日,
// 全国年节及纪念日放假办法 第四条); its deadlines then skip that day.
func (s *Server) addCountyOffDay(c *gin.Context) {
	county := c.Param("code")
	var b countyOffDayBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	if ok, err := s.Store.RegisteredUnit(c, county); err != nil {
		fail(c, err)
		return
	} else if !ok {
		fields = append(fields, FieldError{Field: "code", Message: "不是已登记的县（市、区）代码"})
	}
	day, err := calendar.ParseDate(b.Day)
	switch {
	case err != nil:
		fields = append(fields, FieldError{Field: "day", Message: "须为日期 YYYY-MM-DD"})
	case day.Year < LoadableYears.First || day.Year > LoadableYears.Last:
		fields = append(fields, FieldError{Field: "day", Message: fmt.Sprintf("须在 %d 年至 %d 年之间", LoadableYears.First, LoadableYears.Last)})
	}
	if n := len([]rune(strings.TrimSpace(b.Name))); n == 0 || n > 50 {
		fields = append(fields, FieldError{Field: "name", Message: "必填：节日名称，不超过50字"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("地方假日有误", fields...))
		return
	}
	p := principal(c)
	kept, err := s.Store.AddCountyOffDay(c, county, day, strings.TrimSpace(b.Name), s.now(), p.Sub, string(p.Role))
	if err != nil {
		fail(c, err)
		return
	}
	if kept.Added {
		s.afterCalendarChange(c, kept.Version)
	}
	// The day as kept, with the version it came with — not a concurrent
	// revision's, nor the name typed again for a day on record.
	c.JSON(http.StatusOK, countyOffDayView{CountyCode: county, Day: day.String(), Name: kept.Name, CalendarVersion: kept.Version, Added: kept.Added})
}

// countyOffDayRemoved answers a local day off taken back.
type countyOffDayRemoved struct {
	CountyCode      string `json:"county_code" doc:"县（市、区）代码"`
	Day             string `json:"day" format:"date" doc:"撤销的地方假日"`
	CalendarVersion int    `json:"calendar_version" doc:"撤销后的日历版本"`
}

// removeCountyOffDay takes back a local day off entered by mistake: a new
// calendar version, and the fan-out moves back what it had moved.
func (s *Server) removeCountyOffDay(c *gin.Context) {
	county := c.Param("code")
	day, err := calendar.ParseDate(c.Param("day"))
	if err != nil {
		fail(c, errInvalid("地方假日有误", FieldError{Field: "day", Message: "须为日期 YYYY-MM-DD"}))
		return
	}
	if day.Year < LoadableYears.First || day.Year > LoadableYears.Last { // never added: no day to take back (and no year PostgreSQL keeps)
		fail(c, errNotFound("该县（市、区）在这一天没有地方假日"))
		return
	}
	p := principal(c)
	version, err := s.Store.RemoveCountyOffDay(c, county, day, s.now(), p.Sub, string(p.Role))
	switch {
	case errors.Is(err, store.ErrNoCountyOffDay):
		fail(c, errNotFound("该县（市、区）在这一天没有地方假日"))
		return
	case err != nil:
		fail(c, err)
		return
	}
	s.afterCalendarChange(c, version)
	c.JSON(http.StatusOK, countyOffDayRemoved{CountyCode: county, Day: day.String(), CalendarVersion: version})
}
