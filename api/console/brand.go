package console

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// brandView is the brand page: the brand as the API reads it, its running
// deadlines with how each was computed, and the decision forms the
// signed-in role may use now (brand_actions.go).
type brandView struct {
	Brand     store.BrandView
	Deadlines map[string]explained // by the deadline's kind (its key before ":")
	Forms     []*actionForm
	Done      string
	Officer   bool // reports and the 附件3 link are for officers
	// Scoped: a county officer, whose lists are its own county's (and its
	// functional zones') already, so links to them name no county.
	Scoped     bool
	ReadOnly   bool // a supervisor: no forms, a link to the process instead
	ProcessURL string
	// Signer: the holder or an officer who may upload the signed 附件2 of
	// a change (and, an officer, 附件3) — not a supervisor.
	Signer          bool
	RemovalProposed bool // a 附件3 exists to print and sign
}

// explained is one running deadline with its explanation (GET /api/v1/
// brands/{id}/deadlines).
type explained struct {
	Key         string      `json:"key"`
	Label       string      `json:"label"`
	Action      string      `json:"action"`
	Due         string      `json:"due"`
	Provisional bool        `json:"provisional"`
	Explanation explanation `json:"explanation"`
}

type explanation struct {
	Rule struct {
		Kind, From, Period, County string
		N                          int
	} `json:"rule"`
	Counting         string `json:"counting"`
	Article          string `json:"article"`
	Start            string `json:"start"`
	Nominal          string `json:"nominal"`
	Due              string `json:"due"`
	Provisional      bool   `json:"provisional"`
	ProvisionalYears []int  `json:"provisional_years"`
	CalendarVersion  int    `json:"calendar_version"`
	Days             []struct {
		Date, Weekday, Reason string
		Counted               int
	} `json:"days"`
}

// brandPage shows one brand (GET /api/v1/brands/{id}).
func (cs *Console) brandPage(c *gin.Context) {
	v, ok := cs.loadBrand(c)
	if !ok {
		return
	}
	if done := c.Query("done"); done != "" {
		if a := actionBySlug(done); a != nil {
			v.Done = cmp.Or(a.Done, a.Title+"已提交。")
		}
	}
	cs.render(c, http.StatusOK, "brand", v.Brand.Name, v)
}

// loadBrand reads the brand and its explained deadlines through the API and
// makes the forms the signed-in role may use on it now.
func (cs *Console) loadBrand(c *gin.Context) (brandView, bool) {
	var v brandView
	id := c.Param("id")
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/brands/"+url.PathEscape(id), nil, "", &v.Brand); err != nil {
		cs.fail(c, err)
		return v, false
	}
	var ds apiList[explained]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/brands/"+url.PathEscape(id)+"/deadlines", nil, "", &ds); err != nil {
		cs.Log.Warn("console: brand deadlines", "brand", id, "error", err) // the page stands without them
	}
	v.Deadlines = map[string]explained{}
	for _, d := range ds.Items {
		v.Deadlines[d.Key] = d
		if kind, _, found := strings.Cut(d.Key, ":"); found {
			if _, ok := v.Deadlines[kind]; !ok {
				v.Deadlines[kind] = d
			}
		}
	}
	role := auth.Role(session(c).Account.Role)
	v.Officer = role == auth.CountyOfficer || role == auth.CityOfficer || role == auth.Supervisor
	v.Scoped = role == auth.CountyOfficer
	v.ReadOnly = role == auth.Supervisor
	v.Signer = role == auth.Applicant || role == auth.CountyOfficer || role == auth.CityOfficer
	v.RemovalProposed = removalProposed(v.Brand)
	if v.ReadOnly && cs.Config.TemporalUI != "" {
		v.ProcessURL = strings.TrimRight(cs.Config.TemporalUI, "/") + "/namespaces/" + url.PathEscape(cmp.Or(cs.Config.TemporalNamespace, "default")) +
			"/workflows/" + url.PathEscape(workflows.BrandWorkflowID(v.Brand.ID))
	}
	v.Forms = offeredForms(role, v.Brand, calendar.DateOf(cs.Config.Clock.Now()))
	return v, true
}

// MatterDeadline finds the explained deadline of an open matter; id is
// nil for a matter of which there is only ever one.
func (v brandView) MatterDeadline(kind string, id *string) *explained {
	keys := []string{kind}
	if id != nil {
		keys = []string{kind + ":" + *id, kind}
	}
	switch kind {
	case workflows.PendingSuspension:
		keys = append(keys, "suspension_decision")
	case workflows.PendingSuspensionRenewal:
		keys = append(keys, "renewal_decision")
	case workflows.PendingRemoval:
		keys = append(keys, "removal_decision")
	}
	for _, k := range keys {
		if d, ok := v.Deadlines[k]; ok {
			return &d
		}
	}
	for k, d := range v.Deadlines {
		if strings.HasPrefix(k, kind) {
			return &d
		}
	}
	return nil
}

// brandsView is the brand list with its filters.
type brandsView struct {
	Items []store.BrandSummary
	countyFilter
	Status, Category     string
	Next, Prev           string
	Statuses, Categories []string
	// Holder: the signed-in holder's own brands (the API lists no other),
	// shown as its list, not as the officers' filtered library.
	Holder bool
}

// brandList is GET /api/v1/brands with the page's filters and paging.
func (cs *Console) brandList(c *gin.Context) {
	v := brandsView{countyFilter: cs.countyFilterOf(c, "全部", true), Status: c.Query("status"), Category: c.Query("category"),
		Statuses:   []string{workflows.BrandStatusActive, workflows.BrandStatusRectifying, workflows.BrandStatusSuspended, workflows.BrandStatusRemoved},
		Categories: categoryCodes()}
	q := url.Values{"limit": {"50"}}
	for k, val := range map[string]string{"status": v.Status, "county": v.County, "category": v.Category, "cursor": c.Query("cursor")} {
		if val != "" {
			q.Set(k, val)
		}
	}
	var list apiList[store.BrandSummary]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/brands?"+q.Encode(), nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	if list.Next != nil {
		q.Set("cursor", *list.Next)
		q.Del("limit")
		v.Next = "/brands?" + q.Encode()
	}
	if c.Query("cursor") != "" {
		v.Prev = "/brands?" + url.Values{"status": {v.Status}, "county": {v.County}, "category": {v.Category}}.Encode()
	}
	if v.Holder = auth.Role(session(c).Account.Role) == auth.Applicant; v.Holder {
		cs.render(c, http.StatusOK, "brands", "我的品牌", v)
		return
	}
	cs.render(c, http.StatusOK, "brands", "劳务品牌", v)
}

func categoryCodes() []string {
	var out []string
	for _, c := range form.Categories {
		out = append(out, string(c))
	}
	return out
}
