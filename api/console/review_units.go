package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// The 初审 units (RULES §1): the admin sees the 14 counties and the
// functional zones, adds a zone and points one at another county bureau
// (PUT /api/v1/review-units/{code}); the zone's open applications and brands
// follow, which the page shows as told or still being told.

func (cs *Console) mountReviewUnits(in *gin.RouterGroup) {
	admin := in.Group("/review-units", cs.requireRole(auth.Admin))
	admin.GET("", cs.reviewUnitsPage)
	admin.POST("", cs.saveReviewUnit)
}

// reviewUnit is GET /api/v1/review-units' item.
type reviewUnit struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	ReviewerCode string `json:"reviewer_code"`
	ReviewerName string `json:"reviewer_name"`
	Active       bool   `json:"active"`
	Revision     int    `json:"revision"`
	Told         bool   `json:"told"`
}

type reviewUnitsView struct {
	Counties, Zones []reviewUnit
	Bureaus         []option
	Form            *decisionForm
	Done            string
}

func (cs *Console) reviewUnitsPage(c *gin.Context) {
	f := newDecisionForm("review-unit", "/review-units")
	f.Values["active"] = "1"
	if code := c.Query("edit"); code != "" { // a zone's row opens the form filled with it
		f.Values["code"] = code
	}
	cs.showReviewUnits(c, http.StatusOK, f, c.Query("saved"))
}

func (cs *Console) showReviewUnits(c *gin.Context, status int, f *decisionForm, saved string) {
	var list apiList[reviewUnit]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/review-units", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v := reviewUnitsView{Form: f}
	for _, u := range list.Items {
		if u.Kind == "county" {
			v.Counties = append(v.Counties, u)
			continue
		}
		v.Zones = append(v.Zones, u)
		if u.Code == f.Values["code"] && f.Values["name"] == "" && status == http.StatusOK {
			f.Values["name"], f.Values["reviewer_code"] = u.Name, u.ReviewerCode
			f.Values["active"] = map[bool]string{true: "1", false: ""}[u.Active]
		}
		if u.Code == saved {
			v.Done = "已保存“" + u.Name + "”：由" + u.ReviewerName + "人社部门办理。"
			if !u.Told {
				v.Done += "其在办的申请和品牌正在改由该部门办理；稍后刷新本页，“在办事项”显示“已由该部门办理”即已完成。"
			}
		}
	}
	for _, co := range form.Counties() {
		v.Bureaus = append(v.Bureaus, option{co.Code, co.Name})
	}
	cs.render(c, status, "review_units", "初审单位", v)
}

// saveReviewUnit saves the zone as typed; the API's field errors come back
// beside the fields.
func (cs *Console) saveReviewUnit(c *gin.Context) {
	f := newDecisionForm("review-unit", "/review-units")
	for _, k := range []string{"code", "name", "reviewer_code", "active"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	code := f.Values["code"]
	if code == "" {
		code = "-" // the API names the missing code
	}
	body := map[string]any{"name": f.Values["name"], "reviewer_code": f.Values["reviewer_code"], "active": f.Values["active"] != ""}
	err := cs.callAPI(c, http.MethodPut, "/api/v1/review-units/"+url.PathEscape(code), body, "", nil)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		f.Errors, f.Message = e.Fields, e.Message
		cs.showReviewUnits(c, http.StatusUnprocessableEntity, f, "")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	cs.forgetUnits() // named and offered on the next page
	c.Redirect(http.StatusSeeOther, "/review-units?saved="+url.QueryEscape(code))
}
