package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/store"
)

// expertsView is the expert pool (专家智库): its members and, for the city
// officer, the form that adds one.
type expertsView struct {
	Items      []store.Expert
	Form       *decisionForm
	Categories []option
	Counties   []option
	Done       string
}

// expertsPage lists the pool (GET /api/v1/experts).
// cityExpertCode is the county code of an expert of the city (API.md: 市级
// 专家填 530100), named so in the form and the list.
const (
	cityExpertCode = "530100"
	cityExpertName = "市级（不回避任何县）"
)

func (cs *Console) expertsPage(c *gin.Context) {
	done := map[string]string{"added": "专家已加入专家智库。", "deactivated": "专家已停用，不再被抽取。"}[c.Query("done")]
	cs.showExperts(c, http.StatusOK, newDecisionForm("expert", "/experts"), done)
}

func (cs *Console) showExperts(c *gin.Context, status int, f *decisionForm, done string) {
	v := expertsView{Form: f, Done: done}
	for _, cat := range form.Categories {
		v.Categories = append(v.Categories, option{string(cat), cat.Label()})
	}
	v.Counties = expertCounties()
	var list apiList[store.Expert]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/experts?limit=200", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	cs.render(c, status, "experts", "专家智库", v)
}

// addExpert adds a member (POST /api/v1/experts).
func (cs *Console) addExpert(c *gin.Context) {
	f := newDecisionForm("expert", "/experts")
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, k := range []string{"id", "name", "county_code", "affiliation_uscc"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	specialties := c.PostFormArray("specialties")
	f.Values["specialties"] = strings.Join(specialties, ",")
	body := map[string]any{"id": f.Values["id"], "name": f.Values["name"], "county_code": f.Values["county_code"],
		"affiliation_uscc": f.Values["affiliation_uscc"], "specialties": specialties}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/experts", body, f.IdempotencyKey, nil)
	if e, refused := err.(*APIError); refused && (e.Status == http.StatusUnprocessableEntity || e.Status == http.StatusConflict && !e.InFlight()) {
		f.Errors, f.Message = map[string]string{}, e.Message
		for k, m := range e.Fields {
			if strings.HasPrefix(k, "specialties[") {
				k = "specialties"
			}
			f.Errors[k] = m
		}
		f.IdempotencyKey = newToken()
		cs.showExperts(c, e.Status, f, "")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/experts?done=added")
}

// deactivateExpert takes a member out of the draws (PATCH /api/v1/experts/
// {id} active=false); the opinions given stay.
func (cs *Console) deactivateExpert(c *gin.Context) {
	if err := cs.callAPI(c, http.MethodPatch, "/api/v1/experts/"+url.PathEscape(c.Param("eid")), map[string]any{"active": false}, "", nil); err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/experts?done=deactivated")
}

// Chosen reports whether a specialty was ticked in the posted form.
func (v expertsView) Chosen(code string) bool {
	for _, s := range strings.Split(v.Form.Values["specialties"], ",") {
		if s == code {
			return true
		}
	}
	return false
}

// expertCounties are where an expert may be from: a county bureau's (not a
// zone's), whose applications the expert is kept from, or the city itself,
// kept from none.
func expertCounties() []option {
	var out []option
	for _, co := range form.Counties() {
		out = append(out, option{co.Code, co.Name})
	}
	return append(out, option{cityExpertCode, cityExpertName})
}
