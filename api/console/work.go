package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// workView is the work queue page.
type workView struct {
	Tasks   []store.Task
	Total   int  // the tasks the filters select, all of them
	NoQueue bool // the role has no work queue (an admin)
	// Filters: officers and supervisors filter the queue by county, stage
	// and kind; a county officer's county is its own.
	Filters bool
	countyFilter
	Stage, Kind      string
	Stages, Statuses []option // application stages, brand statuses
	Kinds            []option
	Error            string // the API's refusal of a filter
}

// workLimit is how many tasks the page lists; "显示 N 条，共 M 条" says
// when the filters select more, and the filters narrow them.
const workLimit = 500

// The work queue's stage filter (API ?stage): the stages of an application
// with something to do, and the statuses of a brand.
var (
	workStages   = []string{workflows.StageCountyReview, workflows.StageReturned, workflows.StageCityReview, workflows.StagePublicNotice, workflows.StageObjectionReview}
	workStatuses = []string{workflows.BrandStatusActive, workflows.BrandStatusRectifying, workflows.BrandStatusSuspended}
)

// workKinds are the work queue's kind filter; a keyed kind selects its
// entries (objection_ruling:<id>, …).
var workKinds = []option{
	{"county_review", "县级初审"}, {"city_review", "市级复审"}, {"expert_opinion", "专家评审意见"},
	{"objection_ruling", "异议裁定（逐件）"}, {"objection_day", "异议裁定（按收到日）"},
	{"evaluation_assessment", "综合评估"}, {"rectification", "整改"}, {"interview", "约谈"},
	{"suspension_decision", "暂停标识使用权决定"}, {"renewal_decision", "延续暂停决定"},
	{"removal_decision", "移出项目库决定"}, {"change", "变更审核意见"}, {"report_triage", "举报核查处理"},
}

// workQueue is the signed-in person's pending actions (GET /api/v1/tasks):
// soonest due first, overdue ones in red, provisional deadlines marked;
// officers and supervisors filter it by county, stage and kind.
func (cs *Console) workQueue(c *gin.Context) {
	var v workView
	role := auth.Role(session(c).Account.Role)
	if !slices.Contains([]auth.Role{auth.Applicant, auth.CountyOfficer, auth.CityOfficer, auth.Expert, auth.Supervisor}, role) {
		v.NoQueue = true
		cs.render(c, http.StatusOK, "work", "待办事项", v)
		return
	}
	q := url.Values{"limit": {strconv.Itoa(workLimit)}}
	if v.Filters = slices.Contains([]auth.Role{auth.CountyOfficer, auth.CityOfficer, auth.Supervisor}, role); v.Filters {
		v.countyFilter, v.Stage, v.Kind = cs.countyFilterOf(c, "全市", true), c.Query("stage"), c.Query("kind")
		for _, st := range workStages {
			v.Stages = append(v.Stages, option{st, workflows.StageLabel(st)})
		}
		for _, st := range workStatuses {
			v.Statuses = append(v.Statuses, option{st, workflows.BrandStatusLabel(st)})
		}
		v.Kinds = workKinds
		for k, val := range map[string]string{"county": v.County, "stage": v.Stage, "kind": v.Kind} {
			if val != "" {
				q.Set(k, val)
			}
		}
	}
	var list struct {
		apiList[store.Task]
		Total int `json:"total"`
	}
	err := cs.callAPI(c, http.MethodGet, "/api/v1/tasks?"+q.Encode(), nil, "", &list)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		v.Error = e.Message
		for _, m := range e.Fields {
			v.Error += "：" + m
		}
		cs.render(c, http.StatusUnprocessableEntity, "work", "待办事项", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	v.Tasks, v.Total = list.Items, list.Total
	cs.render(c, http.StatusOK, "work", "待办事项", v)
}

// pageLink is where a work-queue entry opens in the console: a report to
// triage on the reports list, where its form is (the task is the brand's).
func pageLink(t store.Task) string {
	if strings.HasPrefix(t.Kind, "report_triage:") {
		return "/reports?" + url.Values{"status": {"open"}, "county": {t.PlaceCode}}.Encode()
	}
	switch t.ObjectType {
	case "application":
		return "/applications/" + t.ObjectID
	case "brand":
		return "/brands/" + t.ObjectID
	}
	return ""
}
