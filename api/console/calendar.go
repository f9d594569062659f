package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// Calendar administration (issue 15 item 4, RULES §5): a month of the
// business calendar as deadlines count it, and for an admin the load of a
// year's schedule — previewed first, with every open deadline it would
// move — and a county's local day off.

func (cs *Console) mountCalendar(in *gin.RouterGroup) {
	in.GET("/calendar", cs.calendarPage)
	in.POST("/calendar/preview", cs.previewYear)
	in.POST("/calendar/load", cs.loadYear)
	in.POST("/calendar/county-days", cs.addCountyDay)
	in.POST("/calendar/county-days/remove", cs.removeCountyDay)
}

// gridDay is one cell of the month grid.
type gridDay struct {
	Day                                     int
	Date, Name                              string
	Workday, Adjusted, CountyOff, Provision bool
	Today                                   bool
}

type yearStatus struct {
	Year        int    `json:"year"`
	Provisional bool   `json:"provisional"`
	Notice      string `json:"notice"`
}

// calendarView is the calendar page.
type calendarView struct {
	Month, Title, Prev, Next string
	County                   string
	Counties                 []option
	Years                    []yearStatus
	Version                  int
	Weeks                    [][]*gridDay
	Admin                    bool
	Load                     *decisionForm // the year's schedule to preview
	Preview                  *yearPreview  // shown with the confirmation step
	CountyDay                *decisionForm
	Done                     string
}

// yearPreview is POST /api/v1/calendar/years/{year}/preview's answer.
type yearPreview struct {
	Year            int `json:"year"`
	CalendarVersion int `json:"calendar_version"`
	Examined        int `json:"examined"`
	Moves           []struct {
		ObjectType     string `json:"object_type"`
		ObjectID       string `json:"object_id"`
		BrandName      string `json:"brand_name"`
		CountyCode     string `json:"county_code"`
		Key            string `json:"key"`
		Label          string `json:"label"`
		Due            string `json:"due"`
		NewDue         string `json:"new_due"`
		NewProvisional bool   `json:"new_provisional"`
	} `json:"moves"`
	Unexplained []struct {
		ObjectType string `json:"object_type"`
		ObjectID   string `json:"object_id"`
		Key        string `json:"key"`
		Reason     string `json:"reason"`
	} `json:"unexplained"`
}

var monthPattern = regexp.MustCompile(`^(\d{4})-(\d{2})$`)

// calendarPage shows a month (?month=YYYY-MM, default this month) for the
// city or one county (?county=).
func (cs *Console) calendarPage(c *gin.Context) {
	done := ""
	if y, err := strconv.Atoi(c.Query("loaded")); err == nil && y >= api.LoadableYears.First && y <= api.LoadableYears.Last { // a year, nothing else is said
		done = fmt.Sprintf("%d 年的放假安排已加载；正在计时的期限将按新日历重算。", y)
		if c.Query("same") == "1" {
			done = fmt.Sprintf("%d 年的放假安排与现行安排完全相同，未作改动，期限不变。", y)
		}
	} else if c.Query("added") == "1" {
		done = "地方假日已添加；该县（市、区）的期限将按新日历重算。"
	} else if c.Query("added") == "0" {
		done = "该县（市、区）这一天已是地方假日，未作改动（名称仍为原登记的名称）。"
	} else if c.Query("removed") == "1" {
		done = "地方假日已撤销；该县（市、区）的期限将按新日历重算。"
	}
	county, chosen := c.GetQuery("county")
	if acct := session(c).Account; !chosen && acct.Role == string(auth.CountyOfficer) {
		county = acct.County // the days its own deadlines count, local days off included
	}
	cs.showCalendar(c, http.StatusOK, c.Query("month"), county, cs.newLoadForm(), nil, newDecisionForm("county-day", "/calendar/county-days"), done)
}

func (cs *Console) newLoadForm() *decisionForm {
	f := newDecisionForm("load", "/calendar/preview")
	f.Values["year"] = strconv.Itoa(calendar.DateOf(cs.Config.Clock.Now()).Year + 1)
	return f
}

func (cs *Console) showCalendar(c *gin.Context, status int, month, county string, load *decisionForm, preview *yearPreview, countyDay *decisionForm, done string) {
	today := calendar.DateOf(cs.Config.Clock.Now())
	first := calendar.NewDate(today.Year, today.Month, 1)
	if m := monthPattern.FindStringSubmatch(month); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if y >= calendar.MinYear && y <= calendar.MaxYear && mo >= 1 && mo <= 12 {
			first = calendar.NewDate(y, time.Month(mo), 1)
		}
	}
	last := calendar.NewDate(first.Year, first.Month+1, 0)
	v := calendarView{Month: monthKey(first), Title: fmt.Sprintf("%d年%d月", first.Year, first.Month),
		Prev: monthKey(first.AddDays(-1)), Next: monthKey(last.AddDays(1)), County: county,
		Admin: session(c).Account.Role == string(auth.Admin), Load: load, Preview: preview, CountyDay: countyDay, Done: done}
	for _, co := range form.Counties() { // bureaus, not zones
		v.Counties = append(v.Counties, option{co.Code, co.Name})
	}
	var days struct {
		CalendarVersion int          `json:"calendar_version"`
		Years           []yearStatus `json:"years"`
		Days            []struct {
			Date, Name                     string
			Weekday                        int
			Workday, Adjusted, Provisional bool
			CountyOff                      bool `json:"county_off"`
		} `json:"days"`
	}
	q := url.Values{"from": {first.String()}, "to": {last.String()}}
	if county != "" {
		q.Set("county", county)
	}
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/calendar/days?"+q.Encode(), nil, "", &days); err != nil {
		cs.fail(c, err)
		return
	}
	v.Version, v.Years = days.CalendarVersion, days.Years
	var week []*gridDay
	for i, d := range days.Days {
		if i == 0 {
			week = make([]*gridDay, d.Weekday-1) // blank cells before the 1st
		}
		day, _ := calendar.ParseDate(d.Date)
		week = append(week, &gridDay{Day: day.Day, Date: d.Date, Name: d.Name, Workday: d.Workday, Adjusted: d.Adjusted,
			CountyOff: d.CountyOff, Provision: d.Provisional, Today: day == today})
		if len(week) == 7 {
			v.Weeks, week = append(v.Weeks, week), nil
		}
	}
	if len(week) > 0 {
		v.Weeks = append(v.Weeks, append(week, make([]*gridDay, 7-len(week))...))
	}
	cs.render(c, status, "calendar", "工作日历", v)
}

// inlineDates shows a list of dates typed one per line on one wrapping line.
func inlineDates(s string) string { return strings.ReplaceAll(s, "\n", "、") }

func init() { funcs["inlineDates"] = inlineDates }

func monthKey(d calendar.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, d.Month) }

// previewYear checks the year's schedule and lists what loading it would
// move (POST /api/v1/calendar/years/{year}/preview); the page then asks
// for confirmation.
func (cs *Console) previewYear(c *gin.Context) {
	f, year, body, ok := cs.readLoadForm(c, "/calendar/preview")
	if !ok {
		return
	}
	var p yearPreview
	err := cs.callAPI(c, http.MethodPost, "/api/v1/calendar/years/"+strconv.Itoa(year)+"/preview", body, "", &p)
	if cs.refusedLoad(c, err, f) {
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	f.Confirm, f.Action = true, "/calendar/load"
	cs.showCalendar(c, http.StatusOK, fmt.Sprintf("%04d-01", year), "", f, &p, newDecisionForm("county-day", "/calendar/county-days"), "")
}

// loadYear loads the confirmed schedule (PUT /api/v1/calendar/years/{year})
// with the form's idempotency key: a double submit loads it once.
func (cs *Console) loadYear(c *gin.Context) {
	f, year, body, ok := cs.readLoadForm(c, "/calendar/preview")
	if !ok {
		return
	}
	var loaded struct {
		Changed *bool `json:"changed"` // absent from an answer kept from before it was said: a change
	}
	err := cs.callAPI(c, http.MethodPut, "/api/v1/calendar/years/"+strconv.Itoa(year), body, f.IdempotencyKey, &loaded)
	if cs.refusedLoad(c, err, f) {
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	same := ""
	if loaded.Changed != nil && !*loaded.Changed {
		same = "&same=1"
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/calendar?month=%04d-01&loaded=%d%s", year, year, same))
}

// readLoadForm reads the year's schedule as typed: dates one per line or
// separated by spaces, commas or 、, and ranges 2027-02-05..2027-02-11 or
// 2027-02-05至2027-02-11. A value that is no date goes to the API as it
// is, so that its field message is the API's.
func (cs *Console) readLoadForm(c *gin.Context, action string) (*decisionForm, int, map[string]any, bool) {
	f := newDecisionForm("load", action)
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, k := range []string{"year", "notice", "off", "work"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	year, err := strconv.Atoi(f.Values["year"])
	if err != nil || year < api.LoadableYears.First || year > api.LoadableYears.Last {
		f.Errors["year"] = fmt.Sprintf("请填写 %d–%d 之间的年份", api.LoadableYears.First, api.LoadableYears.Last)
		f.Message = "放假安排有误，请按提示修改"
		cs.showCalendar(c, http.StatusUnprocessableEntity, "", "", f, nil, newDecisionForm("county-day", "/calendar/county-days"), "")
		return f, 0, nil, false
	}
	off, work := dateList(f.Values["off"]), dateList(f.Values["work"])
	f.Values["off"], f.Values["work"] = strings.Join(off, "\n"), strings.Join(work, "\n")
	return f, year, map[string]any{"notice": f.Values["notice"], "off": off, "work": work}, true
}

// refusedLoad shows the API's field errors on the load form (off[3] on the
// off field); it reports whether err was such a refusal.
func (cs *Console) refusedLoad(c *gin.Context, err error, f *decisionForm) bool {
	e, refused := err.(*APIError)
	if !refused || e.Status != http.StatusUnprocessableEntity {
		return false
	}
	for field, msg := range e.Fields {
		name, _, _ := strings.Cut(field, "[")
		if name == "code" {
			name = "year"
		}
		if f.Errors[name] != "" {
			msg = f.Errors[name] + "；" + msg
		}
		f.Errors[name] = msg
	}
	f.Message, f.Confirm, f.Action = e.Message, false, "/calendar/preview"
	f.IdempotencyKey = newToken()
	cs.showCalendar(c, http.StatusUnprocessableEntity, "", "", f, nil, newDecisionForm("county-day", "/calendar/county-days"), "")
	return true
}

var dateSeparators = regexp.MustCompile(`[\s,，、;；]+`)

// dateList splits a typed list of dates and expands its ranges.
func dateList(s string) []string {
	out := []string{}
	for _, tok := range dateSeparators.Split(strings.TrimSpace(s), -1) {
		if tok == "" {
			continue
		}
		from, to, isRange := strings.Cut(strings.ReplaceAll(tok, "至", ".."), "..")
		a, errA := calendar.ParseDate(from)
		b, errB := calendar.ParseDate(to)
		if !isRange || errA != nil || errB != nil || b.Before(a) || b.After(a.AddDays(60)) {
			out = append(out, tok)
			continue
		}
		for d := a; !d.After(b); d = d.AddDays(1) {
			out = append(out, d.String())
		}
	}
	return out
}

// addCountyDay adds a county's local day off (POST /api/v1/calendar/
// counties/{code}/off-days).
func (cs *Console) addCountyDay(c *gin.Context) {
	f := newDecisionForm("county-day", "/calendar/county-days")
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, k := range []string{"county_code", "day", "name"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	code := f.Values["county_code"]
	if code == "" {
		code = "-" // the API names the missing county
	}
	body := map[string]any{"day": f.Values["day"], "name": f.Values["name"]}
	var kept struct {
		Added bool `json:"added"`
	}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/calendar/counties/"+url.PathEscape(code)+"/off-days", body, f.IdempotencyKey, &kept)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		for field, msg := range e.Fields {
			if field == "code" {
				field = "county_code"
			}
			f.Errors[field] = msg
		}
		f.Message, f.IdempotencyKey = e.Message, newToken()
		// The calendar the admin was adding to: the county's, at the day's month.
		month, county := "", ""
		if day, err := calendar.ParseDate(f.Values["day"]); err == nil {
			month = monthKey(day)
		}
		if form.CountyName(f.Values["county_code"]) != "" {
			county = f.Values["county_code"]
		}
		cs.showCalendar(c, http.StatusUnprocessableEntity, month, county, cs.newLoadForm(), nil, f, "")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	day, _ := calendar.ParseDate(f.Values["day"])
	said := "&added=1"
	if !kept.Added {
		said = "&added=0" // on record already: nothing changed
	}
	c.Redirect(http.StatusSeeOther, "/calendar?month="+monthKey(day)+"&county="+url.QueryEscape(f.Values["county_code"])+said)
}

// countyCodePattern is a county's or a functional zone's code.
var countyCodePattern = regexp.MustCompile(`^\d{6}$`)

// removeCountyDay takes back a county's local day off entered by mistake
// (DELETE /api/v1/calendar/counties/{code}/off-days/{day}), then shows the
// county's month again.
func (cs *Console) removeCountyDay(c *gin.Context) {
	county, day := c.PostForm("county_code"), c.PostForm("day")
	d, err := calendar.ParseDate(day)
	if err != nil || !countyCodePattern.MatchString(county) { // a zone's code too: the API knows the units
		cs.errorPage(c, http.StatusUnprocessableEntity, "无法撤销", "请从该县（市、区）的日历上选择要撤销的地方假日。")
		return
	}
	err = cs.callAPI(c, http.MethodDelete, "/api/v1/calendar/counties/"+url.PathEscape(county)+"/off-days/"+d.String(), nil, "", nil)
	var refused *APIError
	if err != nil && !(errors.As(err, &refused) && refused.Status == http.StatusNotFound) { // gone already: a second click, another admin
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/calendar?"+url.Values{"month": {monthKey(d)}, "county": {county}, "removed": {"1"}}.Encode())
}
