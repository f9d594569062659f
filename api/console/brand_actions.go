package console

import (
	"maps"
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

// The brand's decisions (第十五条, API.md "who may do what"): each a form of
// its own, offered only to the role that takes it and only while the brand's
// open matters call for it; the API decides again when it is sent.

// brandAction is one decision a page can send.
type brandAction struct {
	Slug, Title, Article string
	// Done is the page's notice once it is taken; Title + "已提交" when empty.
	Done string
	// After says what follows the sending, on the confirmation step; a
	// decision's that it takes effect at once when empty.
	After  string
	Fields []actionField
	// path is the API path under /api/v1/brands/{id}; target is the
	// evaluation or change the decision is about, when there is one.
	path func(target string) string
	body func(f *actionForm) any
	// prefill, when set, is what the form starts with on b's page.
	prefill func(b store.BrandView) url.Values
}

// actionField is a form field; Name is the API's JSON field name (nested
// ones dotted), so the API's field errors land beside it.
type actionField struct {
	Name, Label, Kind, Hint string // Kind: radio, checkboxes, select, textarea, date, integer, decimal, text
	Options                 []brandOption
	Required                bool
}

type brandOption struct{ Value, Label string }

// actionForm is one rendering of a decision's form.
type actionForm struct {
	*brandAction
	Target, TargetLabel string
	IdempotencyKey      string
	Values              url.Values
	Errors              map[string]string
	Message             string
	Confirm             bool
	// Only, when set, are the choices of a field the brand's standing
	// leaves open (a finding's reasons): the others the process refuses.
	Only map[string][]string
}

// OptionsOf are a field's choices as this form offers them.
func (f *actionForm) OptionsOf(field actionField) []brandOption {
	only, ok := f.Only[field.Name]
	if !ok {
		return field.Options
	}
	return slices.DeleteFunc(slices.Clone(field.Options), func(o brandOption) bool { return !slices.Contains(only, o.Value) })
}

// Value is a field's (first) value; Chosen reports whether a checkbox or
// radio value is among the field's values.
func (f *actionForm) Value(name string) string { return f.Values.Get(name) }
func (f *actionForm) Chosen(name, v string) bool {
	return slices.Contains(f.Values[name], v)
}

// Shown is a field's value as the confirmation step shows it: the brandOption's
// label for a choice.
func (f *actionForm) Shown(field actionField) string {
	var out []string
	for _, v := range f.Values[field.Name] {
		label := v
		for _, o := range field.Options {
			if o.Value == v {
				label = o.Label
			}
		}
		if strings.TrimSpace(label) != "" {
			out = append(out, label)
		}
	}
	if len(out) == 0 {
		return "（未填写）"
	}
	return strings.Join(out, "；")
}

func brandYesNo(yes, no string) []brandOption { return []brandOption{{"true", yes}, {"false", no}} }

func findingOptions() []brandOption {
	var out []brandOption
	for _, r := range workflows.OfficerFindingReasons() {
		out = append(out, brandOption{r, workflows.FindingReasonLabel(r) + "（" + levelName(workflows.FindingLevel(r)) + "）"})
	}
	return out
}

func levelName(l int) string {
	return map[int]string{1: "一级整改", 2: "二级：约谈整改", 3: "三级：暂停标识使用权"}[l]
}

func removalOptions() []brandOption {
	var out []brandOption
	for _, r := range workflows.RemovalReasons {
		out = append(out, brandOption{r, workflows.RemovalReasonLabel(r)})
	}
	return out
}

func boolOf(v string) *bool {
	switch v {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	return nil
}

var brandActions = []*brandAction{
	{Slug: "finding", Title: "问题认定", Article: "第十五条（一）–（三）",
		Fields: []actionField{
			{Name: "reason", Label: "问题类型", Kind: "select", Options: findingOptions(), Required: true, Hint: "整改级别由问题类型决定。"},
			{Name: "description", Label: "问题描述", Kind: "textarea", Required: true},
		},
		path: func(string) string { return "/findings" },
		body: func(f *actionForm) any {
			return map[string]any{"reason": f.Value("reason"), "description": f.Value("description")}
		}},
	{Slug: "rectification-confirm", Title: "确认整改到位", Done: "整改到位已确认。", Article: "第十五条（一）（二）",
		Fields: []actionField{{Name: "note", Label: "核查说明", Kind: "textarea", Required: true}},
		path:   func(string) string { return "/rectification/confirm" },
		body: func(f *actionForm) any {
			if f.Target != "" { // an order of its own, by its finding
				return map[string]any{"note": f.Value("note"), "finding_id": f.Target}
			}
			return map[string]any{"note": f.Value("note")}
		}},
	{Slug: "interview", Title: "约谈记录", Article: "第十五条（二）",
		Fields: []actionField{
			{Name: "held_on", Label: "约谈日期", Kind: "date", Required: true, Hint: "三个月整改期自约谈之日起算。"},
			{Name: "note", Label: "约谈记录", Kind: "textarea", Required: true},
		},
		path: func(string) string { return "/interview" },
		body: func(f *actionForm) any { return map[string]any{"held_on": f.Value("held_on"), "note": f.Value("note")} }},
	{Slug: "removal-report", Title: "报请移出项目库（附件3）", Done: "移出项目库的报请（附件3）已提交。", Article: "第十五条（四）",
		Fields: []actionField{
			{Name: "reasons", Label: "移出情形（可多选）", Kind: "checkboxes", Options: removalOptions(), Required: true},
			{Name: "description", Label: "情况说明", Kind: "textarea", Required: true},
		},
		path: func(string) string { return "/removal-report" },
		body: func(f *actionForm) any {
			return map[string]any{"reasons": f.Values["reasons"], "description": f.Value("description")}
		}},
	{Slug: "suspension-decision", Title: "暂停标识使用权决定", Article: "第十五条（三）",
		Fields: []actionField{
			{Name: "suspend", Label: "决定", Kind: "radio", Options: brandYesNo("暂停（或延续暂停）劳务品牌标识使用权一年", "不予暂停"), Required: true},
			{Name: "reason", Label: "决定理由", Kind: "textarea", Required: true},
			{Name: "province_report.reported_on", Label: "上报省级日期", Kind: "date", Hint: "县（市、区）人社部门已就暂停上报省级人社部门的，填写上报日期和文号（第十五条（三））。"},
			{Name: "province_report.doc_no", Label: "上报文号", Kind: "text"},
		},
		path: func(string) string { return "/suspension-decision" },
		body: func(f *actionForm) any {
			b := map[string]any{"suspend": boolOf(f.Value("suspend")), "reason": f.Value("reason")}
			if f.Value("province_report.reported_on") != "" || f.Value("province_report.doc_no") != "" {
				b["province_report"] = map[string]string{"reported_on": f.Value("province_report.reported_on"), "doc_no": f.Value("province_report.doc_no")}
			}
			return b
		}},
	{Slug: "removal-decision", Title: "移出项目库决定", Article: "第十五条（四）",
		Fields: []actionField{
			{Name: "remove", Label: "决定", Kind: "radio", Options: brandYesNo("移出项目库（五年内不得再次申报）", "不予移出"), Required: true},
			{Name: "reason", Label: "决定理由", Kind: "textarea", Required: true},
		},
		path: func(string) string { return "/removal-decision" },
		body: func(f *actionForm) any {
			return map[string]any{"remove": boolOf(f.Value("remove")), "reason": f.Value("reason")}
		}},
	{Slug: "assessment", Title: "综合评估", Article: "第十五条",
		Fields: []actionField{
			{Name: "outcome", Label: "评估结论", Kind: "radio", Required: true, Options: []brandOption{
				{string(workflows.OutcomePass), "通过"}, {string(workflows.OutcomeFindings), "发现问题，责令整改（一级）"}, {string(workflows.OutcomeRemovalProposed), "建议移出项目库"}},
				Hint: "品牌已在整改或暂停中的，发现的问题并入正在进行的整改或暂停处理，不另行下达整改。"},
			{Name: "opinion", Label: "评估意见", Kind: "textarea", Hint: "发现问题或建议移出的，须写明意见。"},
		},
		path: func(eid string) string { return "/evaluations/" + url.PathEscape(eid) + "/assessment" },
		body: func(f *actionForm) any {
			return map[string]any{"outcome": f.Value("outcome"), "opinion": f.Value("opinion")}
		}},
	{Slug: "change-opinion", Title: "变更登记审核意见", Article: "附件2 变更登记",
		Fields: []actionField{
			{Name: "approve", Label: "意见", Kind: "radio", Options: brandYesNo("同意", "不同意"), Required: true},
			{Name: "opinion", Label: "审核意见", Kind: "textarea", Required: true},
		},
		path: func(cid string) string { return "/changes/" + url.PathEscape(cid) + "/opinion" },
		body: func(f *actionForm) any {
			return map[string]any{"approve": boolOf(f.Value("approve")), "opinion": f.Value("opinion")}
		}},
}

// ownOrderReason names the problem an order of its own was given for, from
// the brand's findings.
func ownOrderReason(b store.BrandView, findingID string) string {
	for _, f := range b.Findings {
		if f.ID == findingID {
			return "（" + workflows.FindingReasonLabel(f.Reason) + "）"
		}
	}
	return ""
}

func actionBySlug(slug string) *brandAction {
	for _, a := range brandActions {
		if a.Slug == slug {
			return a
		}
	}
	return nil
}

// unplacedErrors are the API's field errors that name no field of a's form
// (a change request with no change names "changes"), said after the
// form's message rather than lost: "：必填：至少一项变更内容".
func unplacedErrors(a *brandAction, fields map[string]string) string {
	var out string
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !slices.ContainsFunc(a.Fields, func(f actionField) bool { return f.Name == name }) {
			out += "：" + fields[name]
		}
	}
	return out
}

// offer is one form a role may use now: the action and its target, and
// for a finding the reasons open.
type offer struct {
	slug, target, label string
	reasons             []string
}

// findingOffer is the finding form with the reasons the brand's standing
// leaves open (the process's rules, as the brand view shows them: RULES §4
// open matters), or none when every reason would be refused.
func findingOffer(b store.BrandView) []offer {
	if reasons := findingReasonsOpen(b); len(reasons) > 0 {
		return []offer{{slug: "finding", reasons: reasons}}
	}
	return nil
}

// findingReasonsOpen are the reasons a finding may name on b now: not a
// level-1 reason while an order runs or the brand is suspended, nor a
// level-2 one while suspended or at level 2 already, nor a level-3 one
// while suspended unless a suspension proposal waits (its reason joins
// it), nor one that proposal names already; 整改措施不力 only at level 2 once the interview is recorded, 一级整改
// 不到位 only while a level-1 order runs.
func findingReasonsOpen(b store.BrandView) []string {
	open := map[string]bool{}
	ownOrders := false
	var proposed []string // the reasons a waiting suspension proposal names
	for _, m := range b.OpenMatters {
		open[m.Kind] = true
		ownOrders = ownOrders || m.Kind == workflows.MatterRectification && m.ID != nil
		if m.Kind == workflows.PendingSuspension {
			proposed = m.Reasons
		}
	}
	suspended := b.Status == workflows.BrandStatusSuspended
	level := 0
	if b.Rectification != nil {
		level = b.Rectification.Level
	}
	var out []string
	for _, r := range workflows.OfficerFindingReasons() {
		l := workflows.FindingLevel(r)
		switch {
		case r == workflows.MeasuresInadequate && (level != 2 || open[workflows.PendingInterview]),
			r == workflows.RectificationInadequate && level != 1 && !ownOrders,
			l == 1 && (level > 0 || suspended),
			l == 2 && (suspended || level == 2),
			l == 3 && suspended && !open[workflows.PendingSuspension],
			l == 3 && slices.Contains(proposed, r): // the same proposal again
			continue
		}
		out = append(out, r)
	}
	return out
}

// offers are the decisions role may take on b today (API.md "who may do
// what", the brand's open matters): a form the process would refuse now is
// not offered.
func offers(role auth.Role, b store.BrandView, today calendar.Date) []offer {
	if b.Status == workflows.BrandStatusRemoved {
		return nil
	}
	open := map[string]bool{}
	for _, m := range b.OpenMatters {
		open[m.Kind] = true
	}
	var out []offer
	switch role {
	case auth.Applicant:
		out = holderOffers(b)
	case auth.CountyOfficer:
		out = append(out, findingOffer(b)...)
		// 第十五条（一）（二）: confirmed within the rectification's period —
		// not at level 2 before the interview opens it, nor once it has
		// lapsed to the city's suspension decision (Due is null then).
		if b.Rectification != nil && b.Rectification.Due != nil {
			out = append(out, offer{slug: "rectification-confirm"})
		}
		// An order of its own beside the brand's (RULES §4): confirmed by
		// its finding — but not one for a missed report, which the report
		// closes.
		for _, m := range b.OpenMatters {
			if m.Kind == workflows.MatterRectification && m.ID != nil && !workflows.MissedReportOrder(b.ID, *m.ID) {
				out = append(out, offer{slug: "rectification-confirm", target: *m.ID, label: "另立的整改 " + *m.ID + ownOrderReason(b, *m.ID)})
			}
		}
		if open[workflows.PendingInterview] {
			out = append(out, offer{slug: "interview"})
		}
		// RULES §4: a report while a removal waits joins it with the
		// reasons it adds (one adding none is refused).
		if open[workflows.PendingRemoval] {
			out = append(out, offer{slug: "removal-report", label: "补报新的情形（已有移出提请待市级决定，新情形并入该提请）"})
		} else {
			out = append(out, offer{slug: "removal-report"})
		}
		for _, ch := range b.Changes {
			if ch.Status == "county" {
				out = append(out, offer{slug: "change-opinion", target: ch.ID, label: "变更申请 " + ch.ID + "（县级）"})
			}
		}
	case auth.CityOfficer:
		out = append(out, findingOffer(b)...)
		if open[workflows.PendingSuspension] || open[workflows.PendingSuspensionRenewal] && renewalWindowOpen(b, today) {
			out = append(out, offer{slug: "suspension-decision"})
		}
		if open[workflows.PendingRemoval] {
			out = append(out, offer{slug: "removal-decision"})
		}
		for _, e := range b.Evaluations {
			if e.Outcome == nil {
				out = append(out, offer{slug: "assessment", target: e.ID, label: "评估报告 " + e.Period})
			}
		}
		for _, ch := range b.Changes {
			if ch.Status == "city" {
				out = append(out, offer{slug: "change-opinion", target: ch.ID, label: "变更申请 " + ch.ID + "（市级）"})
			}
		}
	}
	return out
}

// renewalWindowOpen: RULES §4, a renewal is decided from its window's
// first day, which the process keeps as a deadline until that day is over.
func renewalWindowOpen(b store.BrandView, today calendar.Date) bool {
	for _, d := range b.Deadlines {
		if d.Kind == workflows.DeadlineRenewalWindow {
			return d.Due <= today.String() // both YYYY-MM-DD
		}
	}
	return true
}

func offeredForms(role auth.Role, b store.BrandView, today calendar.Date) []*actionForm {
	var forms []*actionForm
	for _, o := range offers(role, b, today) {
		f := &actionForm{brandAction: actionBySlug(o.slug), Target: o.target, TargetLabel: o.label,
			IdempotencyKey: newToken(), Values: url.Values{}, Errors: map[string]string{}}
		if o.reasons != nil {
			f.Only = map[string][]string{"reason": o.reasons}
		}
		if f.prefill != nil {
			f.Values = f.prefill(b)
		}
		forms = append(forms, f)
	}
	return forms
}

// brandDecision is every decision form's POST: without confirm it shows
// the confirmation step; confirmed, it sends the API request with the
// form's idempotency key and shows the page again — with the API's field
// errors beside the fields when it refused.
func (cs *Console) brandDecision(c *gin.Context) {
	a := actionBySlug(c.Param("action"))
	if a == nil {
		cs.NotFound(c)
		return
	}
	v, ok := cs.loadBrand(c)
	if !ok {
		return
	}
	_ = c.Request.ParseForm()
	f := &actionForm{brandAction: a, Target: c.PostForm("target"), IdempotencyKey: c.PostForm("idempotency_key"), Values: url.Values{}, Errors: map[string]string{}}
	if f.IdempotencyKey == "" || len(f.IdempotencyKey) > 100 {
		f.IdempotencyKey = newToken()
	}
	for _, field := range a.Fields {
		for _, val := range c.Request.PostForm[field.Name] {
			f.Values.Add(field.Name, strings.TrimSpace(val))
		}
	}
	confirmed := c.PostForm("confirm") == "yes" && c.PostForm("edit") == ""
	// Put this rendering in place of the offered one. When the page no
	// longer offers it, a confirmed form still goes to the API, which
	// answers as it did the first time (its idempotency key), or refuses;
	// the form itself is not drawn again.
	offered := false
	for i, o := range v.Forms {
		if o.Slug == a.Slug && o.Target == f.Target {
			f.TargetLabel, f.Only = o.TargetLabel, o.Only
			v.Forms[i], offered = f, true
		}
	}
	notOffered := func() {
		cs.errorPage(c, http.StatusConflict, "无法办理", "该劳务品牌当前没有需要您办理的“"+a.Title+"”，或您无权办理。")
	}
	if !offered && !confirmed {
		notOffered()
		return
	}
	for _, field := range a.Fields {
		decimal := field.Kind == "decimal"
		switch v := f.Value(field.Name); {
		case field.Required && (len(f.Values[field.Name]) == 0 || v == ""):
			f.Errors[field.Name] = "必填：" + field.Label
		case v != "" && (decimal || field.Kind == "integer"):
			if _, ok := readNumber(v, decimal); !ok { // every figure said at once, not the API's first
				f.Errors[field.Name] = numberRefusal(decimal)
			}
		}
	}
	if len(f.Errors) > 0 && !offered {
		notOffered()
		return
	}
	if len(f.Errors) > 0 {
		f.IdempotencyKey = newToken()
		cs.render(c, http.StatusUnprocessableEntity, "brand", v.Brand.Name, v)
		return
	}
	if !confirmed {
		f.Confirm = c.PostForm("edit") == ""
		cs.render(c, http.StatusOK, "brand", v.Brand.Name, v)
		return
	}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/brands/"+url.PathEscape(v.Brand.ID)+a.path(f.Target), a.body(f), f.IdempotencyKey, nil)
	if e, refused := err.(*APIError); refused && offered && (e.Status == http.StatusUnprocessableEntity || e.Status == http.StatusConflict && !e.InFlight()) {
		f.Errors, f.Message = e.Fields, e.Message+unplacedErrors(a, e.Fields)
		f.IdempotencyKey = newToken() // the corrected form is a new request
		cs.render(c, e.Status, "brand", v.Brand.Name, v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/brands/"+url.PathEscape(v.Brand.ID)+"?done="+a.Slug+doneAt)
}

// mountBrandPages registers the brand pages on the signed-in group.
func (cs *Console) mountBrandPages(in gin.IRoutes) {
	in.GET("/brands", cs.brandList)
	in.GET("/brands/:id", cs.brandPage)
	in.POST("/brands/:id/act/:action", cs.brandDecision)
	in.GET("/brands/:id/removal-report.pdf", cs.brandDocument)
	in.GET("/brands/:id/changes/:cid/form.pdf", cs.brandDocument)
}
