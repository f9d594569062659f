package console

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// applicationsView is the applications list: a page of the API's list with
// the filters that made it.
type applicationsView struct {
	Items []applicationRow
	countyFilter
	Stage, Round string
	Stages       []option
	Rounds       []option
	Next         string // the next page's link, "" on the last
	Error        string // the API's refusal of a filter
}

type option struct{ Value, Label string }

type applicationRow struct {
	store.ApplicationSummary
	Deadlines []deadlineView
}

// pageSize is how many applications one page lists.
const pageSize = 50

var listStages = []string{workflows.StageCountyReview, workflows.StageReturned, workflows.StageCityReview, workflows.StagePublicNotice,
	workflows.StageObjectionReview, workflows.StageAdmitted, workflows.StageRejected, workflows.StageWithdrawn}

// applicationsPage lists applications (GET /api/v1/applications) for
// officers and supervisors, filtered by stage, county and round, a page at
// a time.
func (cs *Console) applicationsPage(c *gin.Context) {
	v := applicationsView{countyFilter: cs.countyFilterOf(c, "全市", true), Stage: c.Query("stage"), Round: c.Query("round")}
	for _, st := range listStages {
		v.Stages = append(v.Stages, option{st, workflows.StageLabel(st)})
	}
	var rounds apiList[store.Round]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/rounds?limit=100", nil, "", &rounds); err != nil {
		cs.Log.Warn("console: rounds for the filter", "error", err)
	}
	for _, r := range rounds.Items {
		v.Rounds = append(v.Rounds, option{r.ID, r.Name})
	}
	if v.Round != "" && !slices.ContainsFunc(v.Rounds, func(o option) bool { return o.Value == v.Round }) {
		// The round filtering the list stays chosen, by its id, when its
		// name could not be read: resubmitting the filters keeps it.
		v.Rounds = append(v.Rounds, option{v.Round, v.Round})
	}
	q := url.Values{"limit": {"50"}}
	for k, val := range map[string]string{"stage": v.Stage, "county": v.County, "round": v.Round, "cursor": c.Query("cursor")} {
		if val != "" {
			q.Set(k, val)
		}
	}
	var list apiList[store.ApplicationSummary]
	err := cs.callAPI(c, http.MethodGet, "/api/v1/applications?"+q.Encode(), nil, "", &list)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		v.Error = e.Message
		for _, m := range e.Fields {
			v.Error += "：" + m
		}
		cs.render(c, http.StatusUnprocessableEntity, "applications", "申请列表", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	for _, a := range list.Items {
		row := applicationRow{ApplicationSummary: a}
		var ds []calendarDeadline
		_ = decodeDeadlines(a.Deadlines, &ds)
		row.Deadlines = cs.deadlineViews(ds)
		v.Items = append(v.Items, row)
	}
	if list.Next != nil {
		q.Set("cursor", *list.Next)
		q.Del("limit")
		v.Next = "/applications?" + q.Encode()
	}
	cs.render(c, http.StatusOK, "applications", "申请列表", v)
}
