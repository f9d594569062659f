package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Report triage (举报, 第十五条（六）): the officers' list of reports by
// status and county; the county officer of the brand's county, or the
// city, dismisses a report or opens a finding from it, through a
// confirmation step.

func (cs *Console) mountReports(in *gin.RouterGroup) {
	in.GET("/reports", cs.reportsPage)
	in.POST("/reports/:rid/triage", cs.triage)
}

type reportsView struct {
	Status, County string
	AllCounties    string // the county filter's first choice
	Counties       []option
	Items          []store.Report
	Next           string
	Forms          map[string]*decisionForm // by report id: the triage, for the county officer or the city
	Reasons        []option
	// RemovalReasons are the 附件3 boxes, offered to the county officer
	// alone: the removal report is the county's to the city.
	RemovalReasons []option
	Done           string // the triage just taken: a workflows.TriageAction
}

func (cs *Console) reportsPage(c *gin.Context) {
	done := c.Query("done")
	if !slices.Contains(workflows.TriageActions, workflows.TriageAction(done)) {
		done = ""
	}
	cs.showReports(c, http.StatusOK, "", nil, done)
}

// listFilters are the reports list's filters and page in c's query, which
// a triage form carries in its action so that its answer shows the same
// page (and on it the report being triaged).
func listFilters(c *gin.Context) url.Values {
	q := url.Values{}
	for _, k := range []string{"status", "county", "cursor"} {
		if val := c.Query(k); val != "" {
			q.Set(k, val)
		}
	}
	return q
}

// triageAction is the triage form's action for report id on the list
// page of filters.
func triageAction(id string, filters url.Values) string {
	action := "/reports/" + url.PathEscape(id) + "/triage"
	if len(filters) > 0 {
		action += "?" + filters.Encode()
	}
	return action
}

// showReports lists the reports (GET /api/v1/reports); f is the triage
// form of report rid being answered, if any.
func (cs *Console) showReports(c *gin.Context, status int, rid string, f *decisionForm, done string) {
	role := auth.Role(session(c).Account.Role)
	v := reportsView{Status: c.DefaultQuery("status", "open"), County: c.Query("county"), Forms: map[string]*decisionForm{}, Done: done}
	v.AllCounties, v.Counties = cs.listCounties(c)
	for _, r := range workflows.OfficerFindingReasons() {
		v.Reasons = append(v.Reasons, option{r, workflows.FindingReasonLabel(r)})
	}
	if role == auth.CountyOfficer {
		for _, r := range workflows.RemovalReasons {
			v.RemovalReasons = append(v.RemovalReasons, option{r, workflows.RemovalReasonLabel(r)})
		}
	}
	q := url.Values{"limit": {"100"}}
	if v.Status != "all" {
		q.Set("status", v.Status)
	}
	for _, k := range []string{"county", "cursor"} {
		if val := c.Query(k); val != "" {
			q.Set(k, val)
		}
	}
	var list apiList[store.Report]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/reports?"+q.Encode(), nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	if list.Next != nil {
		q.Set("cursor", *list.Next)
		q.Del("limit")
		if v.Status == "all" {
			q.Set("status", "all")
		}
		v.Next = "/reports?" + q.Encode()
	}
	if role == auth.CountyOfficer || role == auth.CityOfficer {
		filters := listFilters(c)
		for _, r := range v.Items {
			if r.Status == "open" {
				v.Forms[r.ID] = newDecisionForm("triage", triageAction(r.ID, filters))
			}
		}
	}
	if f != nil {
		v.Forms[rid] = f
	}
	cs.render(c, status, "reports", "举报处理", v)
}

// triage takes the triage (POST /api/v1/reports/{id}/triage), the county's or the city's:
// the first post shows what will be decided, the confirmed one decides,
// once under its idempotency key.
func (cs *Console) triage(c *gin.Context) {
	id := c.Param("rid")
	f := newDecisionForm("triage", triageAction(id, listFilters(c)))
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, k := range []string{"action", "reason", "note"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	// The 附件3 boxes ticked, kept joined: a form value is one string.
	reasons := slices.DeleteFunc(c.PostFormArray("reasons"), func(r string) bool { return !slices.Contains(workflows.RemovalReasons, r) })
	f.Values["reasons"] = strings.Join(reasons, ",")
	switch f.Values["action"] {
	case string(workflows.TriageDismiss):
		f.Values["reason"], f.Values["reasons"] = "", ""
	case string(workflows.TriageFinding):
		f.Values["reasons"] = ""
		if f.Values["reason"] == "" {
			f.Errors["reason"] = "认定问题时须选择问题"
		}
	case string(workflows.TriageRemovalReport):
		f.Values["reason"] = ""
		if len(reasons) == 0 {
			f.Errors["reasons"] = "报请移出时须选择移出情形（可多选）"
		}
	default:
		f.Errors["action"] = "必选：不予立案或认定问题"
		if session(c).Account.Role == string(auth.CountyOfficer) { // the county's report to the city, 附件3
			f.Errors["action"] = "必选：不予立案、认定问题或报请移出项目库"
		}
	}
	if f.Values["note"] == "" {
		f.Errors["note"] = "必填：处理意见"
	}
	if len(f.Errors) > 0 {
		f.Message = "请按提示修改后再提交"
		cs.showReports(c, http.StatusUnprocessableEntity, id, f, "")
		return
	}
	if c.PostForm("edit") != "" { // 返回修改: the form again, as typed
		cs.showReports(c, http.StatusOK, id, f, "")
		return
	}
	if c.PostForm("confirm") != "1" {
		f.Confirm = true
		f.Summary = []summaryRow{{"处理", triageLabel(f.Values["action"])}, {"处理意见", f.Values["note"]}}
		if f.Values["reason"] != "" {
			f.Summary = append(f.Summary, summaryRow{"问题", workflows.FindingReasonLabel(f.Values["reason"])})
		}
		if len(reasons) > 0 {
			var labels []string
			for _, r := range reasons {
				labels = append(labels, workflows.RemovalReasonLabel(r))
			}
			f.Summary = append(f.Summary, summaryRow{"移出情形", strings.Join(labels, "；")})
		}
		cs.showReports(c, http.StatusOK, id, f, "")
		return
	}
	body := map[string]any{"action": f.Values["action"], "note": f.Values["note"]}
	if f.Values["reason"] != "" {
		body["reason"] = f.Values["reason"]
	}
	if len(reasons) > 0 && f.Values["action"] == string(workflows.TriageRemovalReport) {
		body["reasons"] = reasons
	}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/reports/"+url.PathEscape(id)+"/triage", body, f.IdempotencyKey, nil)
	// A report triaged meanwhile (409 already_triaged) is no longer open,
	// so its form is not drawn: the refusal is the page, as is a request
	// still holding its key (409 with Retry-After: sent again under it from
	// there). The brand's standing refusing the decision is shown on the form.
	if e, refused := err.(*APIError); refused && (e.Status == http.StatusUnprocessableEntity ||
		e.Status == http.StatusConflict && e.Code == "conflict" && !e.InFlight()) {
		f.Errors, f.Message = e.Fields, e.Message
		f.IdempotencyKey = newToken()
		cs.showReports(c, e.Status, id, f, "")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	// The list the officer works down, as it was (a triaged report leaves
	// the open ones), and what was done.
	back := listFilters(c)
	back.Set("done", f.Values["action"])
	c.Redirect(http.StatusSeeOther, "/reports?"+back.Encode()+doneAt)
}

// triageLabel is a triage action's name on the page.
func triageLabel(action string) string {
	return map[string]string{"dismiss": "不予立案", "finding": "认定问题", "removal_report": "报请移出项目库（附件3）"}[action]
}
