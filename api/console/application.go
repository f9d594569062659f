package console

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// applicationView is the application page: the application as the API
// reads it, laid out for reading, and the decision forms the signed-in
// role may use now.
type applicationView struct {
	App      store.ApplicationView
	Sections []formSection
	Checks   []checkView
	// NameWarnings are the similar names of existing brands (第十条).
	NameWarnings []string
	Deadlines    []deadlineView
	Done         string // the decision just applied, for the notice
	// Forms are the decisions offered now, by name (decisions.go): only
	// those the signed-in role may take at the application's stage.
	Forms map[string]*decisionForm
	// Relaxable are the unmet criteria a reviewer may relax (第九条（五）).
	Relaxable []checkView
	// RulingDays is the time to rule on an objection (第十三条), as configured.
	RulingDays int
	// Temporal is the process in the Temporal UI (supervisors only).
	Temporal string
	Role     auth.Role
}

// deadlineView is a running deadline, overdue when its last day has
// passed in business time.
type deadlineView struct {
	calendar.Deadline
	Overdue bool
	// Explained is how it was computed, when the page shows that.
	Explained *explained
}

type calendarDeadline = calendar.Deadline

// deadlineViews marks the deadlines whose last day has passed in business
// time.
func (cs *Console) deadlineViews(ds []calendar.Deadline) []deadlineView {
	today := calendar.DateOf(cs.Config.Clock.Now())
	out := make([]deadlineView, len(ds))
	for i, d := range ds {
		out[i] = deadlineView{Deadline: d, Overdue: d.Due.Compare(today) < 0}
	}
	return out
}

// decisionForm is a decision's form: the values entered, the API's field
// errors beside them, and the idempotency key this rendering carries (a
// double submit of the same form applies once).
type decisionForm struct {
	Name           string
	Action         string
	IdempotencyKey string
	Values         map[string]string
	Errors         map[string]string
	Message        string // the API's message when it refused
	Confirm        bool   // the confirmation step: the values are shown, not edited
	Summary        []summaryRow
	Objection      *store.ObjectionOnApp // a ruling's objection
}

type summaryRow struct{ Label, Value string }

func newDecisionForm(name, action string) *decisionForm {
	return &decisionForm{Name: name, Action: action, IdempotencyKey: newToken(), Values: map[string]string{}, Errors: map[string]string{}}
}

// Err is a field's error, for the templates.
func (f *decisionForm) Err(field string) string { return f.Errors[field] }

// List is a field of several values (kept joined by commas), for the
// templates; Has reports whether v is among them.
func (f *decisionForm) List(field string) []string {
	if f.Values[field] == "" {
		return nil
	}
	return strings.Split(f.Values[field], ",")
}
func (f *decisionForm) Has(field, v string) bool { return slices.Contains(f.List(field), v) }

// Val is a field's value, for the templates.
func (f *decisionForm) Val(field string) string { return f.Values[field] }

// reviewDecisions are the 初审 choices (第十一条).
var reviewDecisions = []struct{ Value, Label string }{
	{string(workflows.Approve), "通过，报市级复审"}, {string(workflows.Return), "退回补充材料"}, {string(workflows.Reject), "不通过"},
}

// cityDecisions are the 复审 choices (第十二条).
var cityDecisions = []struct{ Value, Label string }{
	{string(workflows.Approve), "通过，进入公示"}, {string(workflows.Reject), "不予入库"},
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
	if d := decisionNamed(c.Query("done")); d != nil {
		v.Done = d.done
	} else if v.Role == auth.Applicant {
		v.Done = holderDone(c.Query("done"))
	}
	cs.render(c, http.StatusOK, "application", v.App.BrandName, v)
}

// loadApplication reads the application through the API and makes a fresh
// form for each decision the signed-in role may take at its stage; the
// API still decides.
func (cs *Console) loadApplication(c *gin.Context) (applicationView, bool) {
	var v applicationView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(c.Param("id")), nil, "", &v.App); err != nil {
		cs.fail(c, err)
		return v, false
	}
	acct := session(c).Account
	v.Role = auth.Role(acct.Role)
	v.RulingDays = cs.Config.ObjectionRulingDays
	v.Sections = formSections(v.App.Form)
	v.Checks = checklist(v.App.Eligibility)
	_ = json.Unmarshal(v.App.NameWarnings, &v.NameWarnings)
	for _, ch := range v.Checks {
		if ch.Relaxable {
			v.Relaxable = append(v.Relaxable, ch)
		}
	}
	var deadlines []calendar.Deadline
	_ = decodeDeadlines(v.App.Deadlines, &deadlines)
	v.Deadlines = cs.deadlineViews(deadlines)
	cs.explainApplicationDeadlines(c, v.App.ID, v.Deadlines)
	if v.Role == auth.Supervisor && cs.Config.TemporalUI != "" {
		v.Temporal = strings.TrimRight(cs.Config.TemporalUI, "/") + "/namespaces/" + cmp.Or(cs.Config.TemporalNamespace, "default") + "/workflows/" + workflows.ApplicationWorkflowID(v.App.ID)
	}
	v.Forms = map[string]*decisionForm{}
	base := "/applications/" + v.App.ID + "/"
	for _, d := range decisions {
		if d.offered(&v, principalOf(acct)) {
			v.Forms[d.name] = newDecisionForm(d.name, base+d.name)
		}
	}
	v.addRulings(base)
	return v, true
}

// addRulings adds the city's ruling forms of the objections waiting for
// one (第十三条): in the notice and its review only — on an application
// rejected by one upheld, the others are left unruled, and the process
// would refuse a ruling.
func (v *applicationView) addRulings(base string) {
	if v.Role != auth.CityOfficer || !workflows.TakesObjections(v.App.Stage) {
		return
	}
	for i := range v.App.Objections {
		if o := &v.App.Objections[i]; o.Ruling == nil && !o.Accepting {
			f := newDecisionForm(rulingName(o.ID), base+"objections/"+o.ID+"/ruling")
			f.Objection = o
			v.Forms[f.Name] = f
		}
	}
}

// Closed reports whether the application has reached its end: an
// objection left unruled then (another upheld rejected it) is not waiting.
func (v applicationView) Closed() bool { return workflows.IsFinalStage(v.App.Stage) }

// OpenRulings are the ruling forms, in the order of the objections.
func (v applicationView) OpenRulings() []*decisionForm {
	var out []*decisionForm
	for _, o := range v.App.Objections {
		if f := v.Forms[rulingName(o.ID)]; f != nil {
			out = append(out, f)
		}
	}
	return out
}

// Drawn reports whether expert id was drawn for the application.
func (v applicationView) Drawn(id string) bool {
	return slices.ContainsFunc(v.App.Experts, func(e store.ExpertOnApp) bool { return e.ID == id })
}

func rulingName(objectionID string) string { return "ruling-" + objectionID }

// decide is the POST of every decision form. Without confirm it shows the
// confirmation step; with it, it sends the decision's API request with the
// form's idempotency key, then redirects to the page — or shows the form
// again with the API's field errors beside the fields when it refused.
func (cs *Console) decide(c *gin.Context) {
	name := c.Param("decision")
	if oid := c.Param("oid"); oid != "" {
		name = "ruling"
	}
	d := decisionNamed(name)
	if d == nil {
		cs.NotFound(c)
		return
	}
	v, ok := cs.loadApplication(c)
	if !ok {
		return
	}
	key, action, apiPath := d.name, "/applications/"+v.App.ID+"/"+d.name, d.name
	if d.name == "ruling" {
		oid := c.Param("oid")
		key, action, apiPath = rulingName(oid), "/applications/"+v.App.ID+"/objections/"+oid+"/ruling", "objections/"+oid+"/ruling"
	}
	offered := v.Forms[key]
	f := newDecisionForm(key, action)
	if offered != nil {
		f.Objection = offered.Objection
	}
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, field := range d.fieldsOf(&v) {
		f.Values[field] = strings.TrimSpace(c.PostForm(field))
	}
	confirmed := c.PostForm("confirm") == "yes" && c.PostForm("edit") == ""
	notOffered := func() {
		cs.errorPage(c, http.StatusConflict, "无法办理", "该申请当前不在可办理此事项的阶段，或您无权办理。")
	}
	if offered == nil && !confirmed {
		notOffered()
		return
	}
	// A confirmed decision goes to the API even when the page no longer
	// offers it: a resubmitted form gets the first answer again (its
	// idempotency key), and anything else gets the API's refusal.
	v.Forms[key] = f
	body, errs := d.body(f.Values, &v)
	if len(errs) > 0 {
		if offered == nil { // a form the page no longer offers is not drawn again
			notOffered()
			return
		}
		f.Errors = errs
		f.IdempotencyKey = newToken()
		cs.render(c, http.StatusUnprocessableEntity, "application", v.App.BrandName, v)
		return
	}
	if !confirmed {
		f.Confirm = c.PostForm("edit") == ""
		f.Summary = d.summary(f.Values, &v)
		if d.name == "objections" && f.Values["received_on"] == "" {
			// The API takes the day it is told as the day of receipt.
			for i, row := range f.Summary {
				if row.Label == d.labels["received_on"] {
					f.Summary[i].Value = "今天（" + calendar.DateOf(cs.Config.Clock.Now()).String() + "）"
				}
			}
		}
		cs.render(c, http.StatusOK, "application", v.App.BrandName, v)
		return
	}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/applications/"+v.App.ID+"/"+apiPath, body, f.IdempotencyKey, nil)
	if e, refused := err.(*APIError); refused && offered != nil && (e.Status == http.StatusUnprocessableEntity || e.Status == http.StatusConflict && !e.InFlight()) {
		f.Errors, f.Message = d.fieldErrors(e.Fields, f.Values, &v), e.Message
		f.IdempotencyKey = newToken() // the corrected form is a new request
		cs.render(c, e.Status, "application", v.App.BrandName, v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/applications/"+v.App.ID+"?done="+d.name+doneAt)
}
