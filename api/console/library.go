package console

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/stats"
	"github.com/kunming-hrss/laborbrand/store"
)

// The library's own pages (issues 13 and 14): its figures with their
// charts, its documents and exports, and the questions a supervisor asks
// the Temporal UI. Each file comes from the API as the signed-in person
// (passThrough), so access and audit are the API's.

// mountLibrary registers the statistics, documents and supervision pages.
func (cs *Console) mountLibrary(in *gin.RouterGroup) {
	in.GET("/statistics", cs.statisticsPage)
	in.GET("/statistics/charts/:chart", cs.statisticsFile)
	in.GET("/statistics.xlsx", cs.statisticsFile)
	in.GET("/statistics/yearly-report.pdf", cs.statisticsFile)
	in.GET("/statistics/yearly-report.xlsx", cs.statisticsFile)
	in.GET("/exports/:file", cs.export)
	in.GET("/documents", cs.requireRole(documentsRoles...), cs.documentsPage)
	in.GET("/supervision", cs.requireRole(supervisionRoles...), cs.supervisionPage)
}

// The roles the documents and supervision pages are for: the navigation
// offers them to these, and the pages refuse the others (the supervision
// page names the internal Temporal UI and its queries).
var (
	documentsRoles   = []auth.Role{auth.CountyOfficer, auth.CityOfficer, auth.Supervisor}
	supervisionRoles = []auth.Role{auth.Supervisor, auth.CityOfficer, auth.Admin}
)

func init() {
	funcs["exportHref"] = exportHref
}

// libraryNav are these pages' entries a role sees.
func libraryNav(role auth.Role) []navItem {
	var items []navItem
	switch role {
	case auth.CountyOfficer, auth.CityOfficer, auth.Supervisor, auth.Admin:
		items = append(items, navItem{"统计分析", "/statistics"})
	}
	if slices.Contains(documentsRoles, role) {
		items = append(items, navItem{"文书与报表", "/documents"})
	}
	if slices.Contains(supervisionRoles, role) {
		items = append(items, navItem{"流程督查", "/supervision"})
	}
	return items
}

// statisticsView is the statistics page: the figures of a year (this year
// unless asked), of the city or a county.
type statisticsView struct {
	Year  string
	Years []string
	countyFilter
	Summary  [][2]string
	Table    []stats.CountyRow
	Statuses []string
	Charts   []chartView
	// Query is the filters, for the charts' and downloads' links: encoded
	// already, a template.URL, which the template does not encode again
	// (a string's = and & would be, and the links would lose the filters).
	Query template.URL
	Error string
	// GeneratedAt is when the figures were computed: the API serves them
	// for a minute (api.Config.StatisticsFor), a report, not a live count.
	GeneratedAt time.Time
}

type chartView struct{ Name, Title string }

// statisticsPage shows GET /api/v1/statistics with its charts.
func (cs *Console) statisticsPage(c *gin.Context) {
	thisYear := cs.Config.Clock.Now().In(shanghai).Year()
	v := statisticsView{Year: cmp.Or(strings.TrimSpace(c.Query("year")), strconv.Itoa(thisYear)), countyFilter: cs.countyFilterOf(c, "全市", false)}
	for y := thisYear; y > thisYear-6; y-- {
		v.Years = append(v.Years, strconv.Itoa(y))
	}
	for _, s := range stats.Statuses {
		v.Statuses = append(v.Statuses, stats.StatusLabel(s))
	}
	q := url.Values{"year": {v.Year}}
	if v.County != "" {
		q.Set("county", v.County)
	}
	v.Query = template.URL(q.Encode())
	var st store.Statistics
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/statistics?"+string(v.Query), nil, "", &st); err != nil {
		if e, ok := err.(*APIError); ok && e.Status == http.StatusUnprocessableEntity {
			v.Error = e.Message + "：请重新选择年度和县（市、区）。"
			cs.render(c, http.StatusUnprocessableEntity, "statistics", "统计分析", v)
			return
		}
		cs.fail(c, err)
		return
	}
	// The API's figures name a county by its code; a functional zone's
	// name is review_units' (RULES §1), which the page's table prints.
	if names, err := cs.Store.CountyNames(c); err == nil {
		st.CountyNames = names
	} else {
		cs.Log.Warn("console: county names", "error", err) // a zone shows by its code
	}
	v.GeneratedAt = st.GeneratedAt
	v.Summary = stats.YearlyReport(st, cs.Config.Clock.Now()).Summary
	v.Table = stats.CountyTable(st)
	for _, name := range stats.Names {
		chart, _ := stats.Chart(st, name)
		v.Charts = append(v.Charts, chartView{Name: name, Title: chart.Title})
	}
	cs.render(c, http.StatusOK, "statistics", "统计分析", v)
}

// statisticsFile is a chart, the figures' workbook or the yearly report
// from the API, with the page's filters; a chart shows in the page.
func (cs *Console) statisticsFile(c *gin.Context) {
	path := "/api/v1" + c.Request.URL.Path
	if q := c.Request.URL.RawQuery; q != "" {
		path += "?" + q
	}
	cs.passThrough(c, path, c.Param("chart") != "")
}

// exportFiles are the list exports (API.md "Exports and import").
var exportFiles = []string{"brands.xlsx", "applications.xlsx", "tasks.xlsx"}

// export downloads a list as a workbook with the filters it was asked with.
func (cs *Console) export(c *gin.Context) {
	file := c.Param("file")
	if !slices.Contains(exportFiles, file) {
		cs.NotFound(c)
		return
	}
	path := "/api/v1/" + file
	if q := c.Request.URL.RawQuery; q != "" {
		path += "?" + q
	}
	cs.passThrough(c, path, false)
}

// exportHref is the console's link to a list's export with the filters
// given as name, value pairs (empty values left out).
func exportHref(file string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return "/exports/" + file
	}
	return "/exports/" + file + "?" + q.Encode()
}

// documentsView is the documents page: what can be printed or downloaded,
// and where the forms of one record are.
type documentsView struct {
	Rounds        []store.Round
	Announcements []announcement
	Years         []string
	County        string // a county officer's exports are its county's
}

// documentsPage lists the round's 公示 and 入库名单, the announcements, the
// yearly reports and the exports.
func (cs *Console) documentsPage(c *gin.Context) {
	acct := session(c).Account
	role := auth.Role(acct.Role)
	var v documentsView
	if role == auth.CountyOfficer {
		v.County = acct.County
	}
	var rounds apiList[store.Round]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/rounds", nil, "", &rounds); err != nil {
		cs.fail(c, err)
		return
	}
	v.Rounds = rounds.Items
	var list apiList[announcement]
	if err := cs.callPublic(c, http.MethodGet, "/api/v1/public/announcements?limit=20", nil, &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Announcements = list.Items
	thisYear := cs.Config.Clock.Now().In(shanghai).Year()
	for y := thisYear; y > thisYear-3; y-- {
		v.Years = append(v.Years, strconv.Itoa(y))
	}
	cs.render(c, http.StatusOK, "documents", "文书与报表", v)
}

// supervisionView is the supervisor's questions, each a link into the
// Temporal UI's list of processes filtered by a visibility query.
type supervisionView struct {
	UI       string
	Groups   []queryGroup
	Counties []queryLink
}

type queryGroup struct {
	Title string
	Links []queryLink
}

type queryLink struct{ Label, Query, Href string }

// supervisionPage shows the questions README's "The questions supervisors
// ask" documents, as links built from LB_TEMPORAL_UI_URL.
func (cs *Console) supervisionPage(c *gin.Context) {
	v := supervisionView{UI: cs.Config.TemporalUI}
	if v.UI == "" {
		cs.errorPage(c, http.StatusNotFound, "未配置流程查看", "未设置 Temporal UI 的地址（LB_TEMPORAL_UI_URL），无法链接到流程列表。")
		return
	}
	now := cs.Config.Clock.Now().In(shanghai).Format("2006-01-02T15:04:05-07:00")
	link := func(label, query string) queryLink {
		return queryLink{Label: label, Query: query, Href: cs.temporalList(query)}
	}
	v.Groups = []queryGroup{
		{"办理期限", []queryLink{
			link("已逾期的流程（最近期限早于现在）", `ExecutionStatus = 'Running' AND NextDeadline < "`+now+`"`),
		}},
		{"申请（推荐入库）", []queryLink{
			link("县级初审中", "Stage = 'county_review'"),
			link("退回补充材料", "Stage = 'returned'"),
			link("市级复审中", "Stage = 'city_review'"),
			link("公示中", "Stage = 'public_notice'"),
			link("公示期满、异议待裁定", "Stage = 'objection_review'"),
		}},
		{"劳务品牌（动态管理）", []queryLink{
			link("一级整改中（责令一个月整改）", "BrandStatus = 'rectifying' AND LadderLevel = 1"),
			link("二级整改中（约谈、三个月整改）", "BrandStatus = 'rectifying' AND LadderLevel = 2"),
			link("拟暂停标识使用权、待市级决定", "OpenMatters = 'suspension_decision'"),
			link("暂停标识使用中", "BrandStatus = 'suspended'"),
			link("拟移出、待市级决定", "OpenMatters = 'removal_decision'"),
			link("发展情况报告待提交", "OpenMatters = 'evaluation_report'"),
			link("已移出", "BrandStatus = 'removed'"),
		}},
	}
	for _, county := range cs.counties(c) {
		v.Counties = append(v.Counties, link(county.Name, "CountyCode = '"+county.Code+"'"))
	}
	cs.render(c, http.StatusOK, "supervision", "流程督查", v)
}

// temporalList is the Temporal UI's list of the namespace's processes
// filtered by a visibility query.
func (cs *Console) temporalList(query string) string {
	return strings.TrimRight(cs.Config.TemporalUI, "/") + "/namespaces/" + url.PathEscape(cmp.Or(cs.Config.TemporalNamespace, "default")) +
		"/workflows?query=" + url.QueryEscape(query)
}
