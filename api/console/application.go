package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// applicationView is the application page: the application as the API
// reads it, and the decision forms the signed-in role may use now.
type applicationView struct {
	App       store.ApplicationView
	Deadlines []calendar.Deadline
	Done      string // the decision just applied, for the notice
	// CountyReview is the 初审 form, when the signed-in person may take it.
	CountyReview *decisionForm
}

// decisionForm is a decision's form: the values entered, the API's field
// errors beside them, and the idempotency key this rendering carries (a
// double submit of the same form applies once).
type decisionForm struct {
	Action         string
	IdempotencyKey string
	Values         map[string]string
	Errors         map[string]string
	Message        string // the API's message when it refused
	Confirm        bool   // the confirmation step: the values are shown, not edited
}

func newDecisionForm(action string) *decisionForm {
	return &decisionForm{Action: action, IdempotencyKey: newToken(), Values: map[string]string{}, Errors: map[string]string{}}
}

// reviewDecisions are the 初审 choices (第十一条).
var reviewDecisions = []struct{ Value, Label string }{
	{string(workflows.Approve), "通过，报市级复审"}, {string(workflows.Return), "退回补充材料"}, {string(workflows.Reject), "不通过"},
}

func decisionLabel(v string) string {
	for _, d := range reviewDecisions {
		if d.Value == v {
			return d.Label
		}
	}
	return v
}

// applicationPage shows one application (GET /api/v1/applications/{id}):
// whatever the API refuses (another county's application) the page refuses
// with the API's status and message.
func (cs *Console) applicationPage(c *gin.Context) {
	v, ok := cs.loadApplication(c)
	if !ok {
		return
	}
	if c.Query("done") == "county-review" {
		v.Done = "初审决定已提交。"
	}
	if v.CountyReview != nil {
		v.CountyReview = newDecisionForm("/applications/" + v.App.ID + "/county-review")
	}
	cs.render(c, http.StatusOK, "application", v.App.BrandName, v)
}

// loadApplication reads the application through the API and marks the
// forms the signed-in role may use at its stage (the form is made by the
// caller).
func (cs *Console) loadApplication(c *gin.Context) (applicationView, bool) {
	var v applicationView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+c.Param("id"), nil, "", &v.App); err != nil {
		cs.fail(c, err)
		return v, false
	}
	_ = decodeDeadlines(v.App.Deadlines, &v.Deadlines)
	if auth.Role(session(c).Account.Role) == auth.CountyOfficer && v.App.Stage == workflows.StageCountyReview {
		v.CountyReview = &decisionForm{}
	}
	return v, true
}

// countyReview is the 初审 form's POST. Without confirm it shows the
// confirmation step; with it, it sends POST /api/v1/applications/{id}/
// county-review with the form's idempotency key, then shows the page again
// — with the API's field errors beside the fields when it refused.
func (cs *Console) countyReview(c *gin.Context) {
	v, ok := cs.loadApplication(c)
	if !ok {
		return
	}
	f := newDecisionForm("/applications/" + v.App.ID + "/county-review")
	if key := c.PostForm("idempotency_key"); key != "" && len(key) <= 100 {
		f.IdempotencyKey = key
	}
	f.Values["decision"] = c.PostForm("decision")
	f.Values["opinion"] = strings.TrimSpace(c.PostForm("opinion"))
	confirmed := c.PostForm("confirm") == "yes" && c.PostForm("edit") == ""
	if v.CountyReview == nil && !confirmed {
		cs.errorPage(c, http.StatusConflict, "无法办理", "该申请当前不在县级初审阶段，或您无权办理初审。")
		return
	}
	// A confirmed decision goes to the API even when the page no longer
	// offers it: a resubmitted form gets the first answer again (its
	// idempotency key), and anything else gets the API's refusal.
	v.CountyReview = f
	if f.Values["decision"] == "" {
		f.Errors["decision"] = "请选择初审结论"
		f.IdempotencyKey = newToken()
		cs.render(c, http.StatusUnprocessableEntity, "application", v.App.BrandName, v)
		return
	}
	if !confirmed {
		f.Confirm = c.PostForm("edit") == ""
		cs.render(c, http.StatusOK, "application", v.App.BrandName, v)
		return
	}
	body := map[string]any{"decision": f.Values["decision"], "opinion": f.Values["opinion"]}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/applications/"+v.App.ID+"/county-review", body, f.IdempotencyKey, nil)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		f.Errors, f.Message = e.Fields, e.Message
		f.IdempotencyKey = newToken() // the corrected form is a new request
		cs.render(c, http.StatusUnprocessableEntity, "application", v.App.BrandName, v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/applications/"+v.App.ID+"?done=county-review")
}
