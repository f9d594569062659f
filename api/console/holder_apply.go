package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// applyView is the holder's 推荐表 (issue 16 item 2): the form by 附件1's
// sections, the values typed (from the server-side draft), the API's
// message by each field, and the eligibility checklist as typed.
type applyView struct {
	Sections []applySection
	Values   map[string]string
	Errors   map[string]string
	Message  string
	Checks   []checkView
	SavedAt  string // when the draft was last saved, as a person reads it
	// DraftMessage says why the draft was not saved.
	DraftMessage string
	// Review: the values are shown for a last check, not edited.
	Review         bool
	ReviewSections []formSection
	IdempotencyKey string
	// Returned is the application being corrected after 退回补充, with the
	// officer's opinion shown beside the form.
	Returned *returnedApp
	Action   string // where the form posts
	// Rounds are the rounds open today when more than one is (第十条): a
	// new application says which it is for.
	Rounds []option
	// Blocked says why the API would refuse a new application whatever the
	// form holds — shown instead of the form, not after forty fields.
	Blocked *blocked
	// NoRound says that no round is open today: the draft can be prepared
	// and submitted once one opens (第十条).
	NoRound string
	// Earlier is the holder's last application that ended without
	// admission (rejected, or withdrawn when its supplement lapsed), whose
	// form filled this one: the holder checks and corrects, not retypes.
	Earlier *store.ApplicationSummary
}

// blocked is why a holder cannot submit a new application, and where to go.
type blocked struct {
	Why  string
	Link *link
}

// link is an address and the words that lead to it.
type link struct{ Href, Label string }

// newApplicationBlocked is what stops a new application from this holder
// before its form is read (the API's own checks, in its order): a five-year
// ban on its code (第十五条（四）), a brand of its in the library or an
// application of its in progress (RULES §3, one brand per holder).
func (cs *Console) newApplicationBlocked(c *gin.Context, uscc string) (*blocked, error) {
	today := calendar.DateOf(cs.Config.Clock.Now()).String()
	ban, err := cs.Store.FindBan(c, "", uscc, today)
	if err != nil {
		return nil, err
	}
	if ban != nil {
		return &blocked{Why: "本单位的劳务品牌已被移出项目库，" + ban.Until + "（含当日）前不得再次申报（第十五条（四））。"}, nil
	}
	brandID, err := cs.Store.HolderBrandInLibrary(c, uscc)
	if err != nil {
		return nil, err
	}
	if brandID != "" {
		return &blocked{Why: "本单位已有劳务品牌在项目库中（编号 " + brandID + "），不能再申报新的劳务品牌。单位或品牌的信息有变化的，请在品牌页面办理变更登记（附件2）。",
			Link: &link{"/brands/" + url.PathEscape(brandID), "查看本单位的劳务品牌"}}, nil
	}
	appID, err := cs.Store.HolderOpenApplication(c, uscc)
	if err != nil {
		return nil, err
	}
	if appID != "" {
		return &blocked{Why: "本单位已有正在办理的申请（编号 " + appID + "），办结前不能再提交新的推荐表。",
			Link: &link{"/applications/" + url.PathEscape(appID), "查看正在办理的申请"}}, nil
	}
	return nil, nil
}

// roundChoice is the open rounds a new application chooses between: none
// when one or none is open (the API takes the one, or refuses).
func (cs *Console) roundChoice(c *gin.Context, id string) []option {
	if id != "" { // a resubmission stays in its round
		return nil
	}
	open, err := cs.Store.OpenRounds(c, calendar.DateOf(cs.Config.Clock.Now()).String())
	if err != nil || len(open) < 2 {
		return nil // the API answers for the one round, or says what is wrong
	}
	var out []option
	for _, r := range open {
		out = append(out, option{r.ID, fmt.Sprintf("%s（%s 至 %s）", r.Name, r.OpensOn, r.ClosesOn)})
	}
	return out
}

type returnedApp struct {
	ID, BrandName, Opinion, By, Due string
	At                              time.Time
}

// Err and Val are a field's message and value, for the templates.
func (v applyView) Err(name string) string { return v.Errors[name] }
func (v applyView) Val(name string) string { return v.Values[name] }

// mountHolder registers the holder's pages; only a holder (role
// applicant) opens them.
func (cs *Console) mountHolder(in gin.IRoutes) {
	in.GET("/holder/applications", cs.holderOnly, cs.holderApplications)
	in.GET("/holder/apply", cs.holderOnly, cs.applyPage)
	in.POST("/holder/apply", cs.holderOnly, cs.applyPost)
	in.POST("/holder/apply/draft", cs.holderOnly, cs.saveDraft)
	in.GET("/holder/applications/:id/resubmit", cs.holderOnly, cs.applyPage)
	in.POST("/holder/applications/:id/resubmit", cs.holderOnly, cs.applyPost)
	in.POST("/holder/applications/:id/resubmit/draft", cs.holderOnly, cs.saveDraft)
	cs.mountHolderFiles(in)
}

func (cs *Console) holderOnly(c *gin.Context) {
	if auth.Role(session(c).Account.Role) != auth.Applicant {
		cs.errorPage(c, http.StatusForbidden, "无权访问", "此页面供品牌持有单位使用。")
	}
}

// applyTarget is what the form is for: a new 推荐表 (id "") or the
// returned application id. For a returned one it reads the application
// through the API (the holder's own, and returned) for its opinion.
func (cs *Console) applyTarget(c *gin.Context) (id string, ret *returnedApp, app *store.ApplicationView, ok bool) {
	id = c.Param("id")
	if id == "" {
		return "", nil, nil, true
	}
	var a store.ApplicationView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(id), nil, "", &a); err != nil {
		cs.fail(c, err)
		return "", nil, nil, false
	}
	id = a.ID // the draft's key is the application's own ID, whatever the address spelled
	if a.Stage != "returned" && c.Request.Method == http.MethodGet {
		// An old link (the 退回补充 message, a bookmark) to a form already
		// resubmitted, or withdrawn: the application's page says where it is.
		c.Redirect(http.StatusSeeOther, "/applications/"+url.PathEscape(a.ID)+"?done=not_returned")
		return "", nil, nil, false
	}
	if a.Stage != "returned" && c.PostForm("step") != "submit" {
		cs.errorPage(c, http.StatusConflict, "无法重新提交", "该申请当前为“"+workflows.StageLabel(a.Stage)+"”阶段，只有被退回补充材料的申请才能修改后重新提交。")
		return "", nil, nil, false
	}
	// 确认提交 goes to the API whatever the stage: sent again under its key
	// (a retry after an answer lost, a double click) it gets the first
	// answer — resubmitted —, and any other the API's refusal.
	ret = &returnedApp{ID: a.ID, BrandName: a.BrandName}
	for _, h := range a.History { // the latest return's opinion
		if h.Action == "county_review.return" {
			ret.Opinion, ret.By, ret.At = h.Note, roleLabel(h.Role), h.At
		}
	}
	var deadlines []calendarDeadline
	_ = decodeDeadlines(a.Deadlines, &deadlines)
	for _, d := range deadlines {
		if d.Kind == "resubmission" {
			ret.Due = d.Due.String()
		}
	}
	return id, ret, &a, true
}

// applyPage shows the form with the holder's draft, or for a returned
// application its current form when no correction is saved yet.
func (cs *Console) applyPage(c *gin.Context) {
	id, ret, app, ok := cs.applyTarget(c)
	if !ok {
		return
	}
	acct := session(c).Account
	v := applyView{Sections: cs.applySectionsFor(c, id != ""), Values: map[string]string{}, Errors: map[string]string{}, Returned: ret, IdempotencyKey: newToken(), Action: applyAction(id)}
	if id == "" {
		var err error
		if v.Blocked, err = cs.newApplicationBlocked(c, acct.USCC); err != nil {
			cs.fail(c, err)
			return
		}
		if v.Blocked != nil {
			cs.render(c, http.StatusOK, "holder_apply", applyTitle(ret), v)
			return
		}
		if open, err := cs.Store.OpenRounds(c, calendar.DateOf(cs.Config.Clock.Now()).String()); err == nil && len(open) == 0 {
			v.NoRound = "当前没有开放的申报批次：可以先填写，内容自动保存为草稿，批次开放后再提交（第十条）。"
		}
	}
	d, err := cs.Store.Draft(c, acct.USCC, id)
	switch {
	case err == nil:
		v.Values, v.SavedAt = d.Fields, d.UpdatedAt.In(shanghai).Format("2006-01-02 15:04")
	case errors.Is(err, store.ErrNotFound):
		if app == nil && c.Query("blank") == "" {
			app, v.Earlier = cs.earlierApplication(c)
		}
		if app != nil {
			v.Values = formValuesOf(app.Form)
			if v.Earlier != nil {
				delete(v.Values, "commitment") // promised anew for this 推荐表, not carried over
			}
		} else if r, err := cs.Store.HolderRegistrationOf(c, acct.USCC); err == nil {
			v.Values = map[string]string{"unit_name": r.UnitName, "contact_name": r.ContactName, "contact_phone": r.ContactPhone}
		}
	default:
		cs.fail(c, err)
		return
	}
	if v.Values == nil {
		v.Values = map[string]string{}
	}
	v.Values["uscc"] = acct.USCC
	if app != nil && v.Earlier == nil { // a resubmission stays with its county (RULES §3), whatever a draft of it holds
		v.Values["county_code"] = app.CountyCode
	}
	v.Checks = eligibilityOf(v.Values)
	v.Rounds = cs.roundChoice(c, id)
	cs.render(c, http.StatusOK, "holder_apply", applyTitle(ret), v)
}

// earlierApplication is the holder's latest application that ended without
// admission, read through the API with its form; nil when there is none
// (or it cannot be read: the form starts blank, as before).
func (cs *Console) earlierApplication(c *gin.Context) (*store.ApplicationView, *store.ApplicationSummary) {
	var list apiList[store.ApplicationSummary]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/holder/applications?limit=20", nil, "", &list); err != nil {
		cs.Log.Warn("console: the holder's earlier applications", "error", err)
		return nil, nil
	}
	for _, a := range list.Items {
		if a.Stage != workflows.StageRejected && a.Stage != workflows.StageWithdrawn {
			continue
		}
		var app store.ApplicationView
		if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(a.ID), nil, "", &app); err != nil || app.Form == nil {
			return nil, nil
		}
		return &app, &a
	}
	return nil, nil
}

func applyAction(id string) string {
	if id == "" {
		return "/holder/apply"
	}
	return "/holder/applications/" + url.PathEscape(id) + "/resubmit"
}

func applyTitle(ret *returnedApp) string {
	if ret != nil {
		return "修改后重新提交推荐表"
	}
	return "填写推荐表"
}

// postedNames are the fields a posted form is read for: the 推荐表's, and
// the round chosen when more than one is open.
var postedNames = slices.Concat(applyFieldNames, []string{"round_id"})

// postedValueMax bounds a posted field: no text field of 附件1 is longer
// (typical_persons, 2,000). A list (honours, patents_standards) is one line
// an entry, up to form.ListItemsMax of form.ListItemMax characters: it is
// read to twice that, so that a list too long is refused by its count, not
// cut without a word.
const (
	postedValueMax = 4000
	postedListMax  = 2 * form.ListItemsMax * (form.ListItemMax + 1)
)

// postedValues reads the form's fields as posted, bounded (postedValueMax,
// postedListMax) so that a draft stays small.
func postedValues(c *gin.Context, uscc string) map[string]string {
	out := map[string]string{}
	for _, name := range postedNames {
		// A draft keeps text as typed; bytes no text has (NUL, invalid
		// UTF-8) are dropped here, and the API names any other bad character.
		v := strings.ReplaceAll(strings.ToValidUTF8(c.PostForm(name), ""), "\x00", "")
		limit := postedValueMax
		if f, ok := applyFieldByName(name); ok && f.Kind == kindLines {
			limit = postedListMax
		}
		if utf8.RuneCountInString(v) > limit {
			v = string([]rune(v)[:limit])
		}
		if v != "" {
			out[name] = v
		}
	}
	out["uscc"] = uscc
	return out
}

// saveDraft keeps the form as typed (the page posts it as the holder
// types, and before leaving) and answers the checklist for those values.
func (cs *Console) saveDraft(c *gin.Context) {
	acct := session(c).Account
	values := postedValues(c, acct.USCC)
	now := time.Now()
	draftKey := ""
	if id := c.Param("id"); id != "" {
		// A correction is kept only for the holder's own returned application.
		var a store.ApplicationView
		err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(id), nil, "", &a)
		var refused *APIError
		aboutTheApplication := err == nil ||
			errors.As(err, &refused) && refused.Status < 500 && refused.Status != http.StatusTooManyRequests
		switch {
		case !aboutTheApplication: // the read failed: the holder may try again
			cs.Log.Error("console: save draft", "uscc", acct.USCC, "application", id, "error", err)
			cs.partial(c, http.StatusServiceUnavailable, "holder_apply", "checklist", applyView{Values: values, Checks: eligibilityOf(values),
				DraftMessage: "草稿暂未保存，请稍后再试。"})
			return
		case err != nil || a.Stage != workflows.StageReturned:
			cs.partial(c, http.StatusConflict, "holder_apply", "checklist", applyView{Values: values, Checks: eligibilityOf(values),
				DraftMessage: "该申请当前不能修改，草稿未保存。"})
			return
		}
		draftKey = a.ID
		values["county_code"] = a.CountyCode // as the page shows it: not the holder's to change
	}
	// Kept under the application's own ID (the API read it): an address
	// spelled otherwise (A1%3Fn reads A1) adds no draft of its own.
	err := cs.Store.SaveDraft(c, store.ApplicationDraft{USCC: acct.USCC, ApplicationID: draftKey, Fields: values, UpdatedAt: now, UpdatedBy: acct.Username})
	v := applyView{Values: values, Checks: eligibilityOf(values)}
	status := http.StatusOK
	switch {
	case errors.Is(err, store.ErrDraftTooLarge):
		v.DraftMessage, status = "草稿内容过长，未能保存，请精简后再试。", http.StatusUnprocessableEntity
	case err != nil:
		cs.Log.Error("console: save draft", "uscc", acct.USCC, "error", err)
		v.DraftMessage, status = "草稿暂未保存，请稍后再试。", http.StatusServiceUnavailable
	default:
		v.SavedAt = now.In(shanghai).Format("15:04:05")
	}
	cs.partial(c, status, "holder_apply", "checklist", v)
}

// applyPost is the form's buttons: 核对 (the review page), 返回修改, and
// 确认提交, which sends the 推荐表 to the API (submission, or resubmission
// of a returned application) with the review page's idempotency key.
func (cs *Console) applyPost(c *gin.Context) {
	id, ret, returned, ok := cs.applyTarget(c)
	if !ok {
		return
	}
	acct := session(c).Account
	values := postedValues(c, acct.USCC)
	if returned != nil { // a resubmission stays with its county (RULES §3)
		values["county_code"] = returned.CountyCode
	}
	v := applyView{Sections: cs.applySectionsFor(c, id != ""), Values: values, Errors: map[string]string{}, Returned: ret, Action: applyAction(id), IdempotencyKey: c.PostForm("idempotency_key")}
	if len(v.IdempotencyKey) == 0 || len(v.IdempotencyKey) > 100 {
		v.IdempotencyKey = newToken()
	}
	v.Checks = eligibilityOf(values)
	v.Rounds = cs.roundChoice(c, id)
	step := c.PostForm("step")
	// 确认提交 sends what the review page showed, which its own step kept
	// as the draft. Kept again here, a double click's second request could
	// put the draft back after the first, submitted, had deleted it.
	if step != "submit" {
		now := time.Now()
		switch err := cs.Store.SaveDraft(c, store.ApplicationDraft{USCC: acct.USCC, ApplicationID: id, Fields: values, UpdatedAt: now, UpdatedBy: acct.Username}); {
		case errors.Is(err, store.ErrDraftTooLarge):
			v.DraftMessage = "草稿内容过长，未能保存，请精简后再试。"
		case err != nil:
			cs.fail(c, err)
			return
		default: // the page says so, as the autosave's answer does
			v.SavedAt = now.In(shanghai).Format("15:04:05")
		}
	}
	body, errs := applicationBody(values)
	if r := values["round_id"]; r != "" && id == "" {
		body["round_id"] = r
	}
	switch step {
	case "review":
		if len(errs) > 0 {
			v.Errors, v.Message = errs, "部分内容无法识别，请按提示修改。"
			cs.render(c, http.StatusUnprocessableEntity, "holder_apply", applyTitle(ret), v)
			return
		}
		v.Review = true
		v.ReviewSections = formSections(body)
		cs.render(c, http.StatusOK, "holder_apply", "核对推荐表", v)
		return
	case "submit":
	default: // 返回修改
		cs.render(c, http.StatusOK, "holder_apply", applyTitle(ret), v)
		return
	}
	if len(errs) > 0 {
		v.Errors, v.Message = errs, "部分内容无法识别，请按提示修改。"
		v.SavedAt = cs.draftSavedAt(c, acct.USCC, id, values)
		cs.render(c, http.StatusUnprocessableEntity, "holder_apply", applyTitle(ret), v)
		return
	}
	var app store.ApplicationView
	path := "/api/v1/applications"
	if id != "" {
		path += "/" + url.PathEscape(id) + "/resubmit"
	}
	err := cs.callAPI(c, http.MethodPost, path, body, v.IdempotencyKey, &app)
	var refused *APIError
	if errors.As(err, &refused) && refused.Status < 500 && !refused.InFlight() {
		placed, unplaced := placeErrors(refused.Fields)
		maps.Copy(v.Errors, placed)
		v.Message = refused.Message
		if len(placed) > 0 {
			v.Message += "（" + strconv.Itoa(len(placed)) + "栏有误，已在各栏下方标出）"
		}
		if len(unplaced) > 0 {
			v.Message += "：" + strings.Join(unplaced, "；")
		}
		v.IdempotencyKey = newToken() // the corrected form is a new request
		v.SavedAt = cs.draftSavedAt(c, acct.USCC, id, values)
		cs.render(c, refused.Status, "holder_apply", applyTitle(ret), v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	// As the call itself, this goes on when the browser has hung up: a draft
	// left behind would offer the submitted form again.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c), callTokenTTL)
	defer cancel()
	if err := cs.Store.DeleteDraft(ctx, acct.USCC, id); err != nil {
		cs.Log.Warn("console: delete draft", "uscc", acct.USCC, "error", err)
	}
	done := "submitted"
	if id != "" {
		done = "resubmitted"
	}
	c.Redirect(http.StatusSeeOther, "/applications/"+app.ID+"?done="+done)
}

// draftSavedAt is when the holder's draft was kept with values, for the
// page to say so: "" when the draft holds something else (the review
// step's saving failed), there is none, or it cannot be read now.
func (cs *Console) draftSavedAt(c *gin.Context, uscc, applicationID string, values map[string]string) string {
	d, err := cs.Store.Draft(c, uscc, applicationID)
	if err != nil || !maps.Equal(d.Fields, values) {
		return ""
	}
	return d.UpdatedAt.In(shanghai).Format("15:04:05")
}

// partial answers one named template of a page without the layout: the
// part of a page htmx replaces.
func (cs *Console) partial(c *gin.Context, status int, page, name string, data any) {
	t := cs.pages.byName[page]
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := t.ExecuteTemplate(c.Writer, name, data); err != nil {
		cs.Log.Error("render console partial", "page", page, "partial", name, "error", err)
	}
	c.Abort()
}

func jsonRoundTrip(in any, out any) (bool, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, out)
}

// holderNav are the holder's pages in the header.
func holderNav(role auth.Role) []navItem {
	if role != auth.Applicant {
		return nil
	}
	return []navItem{{"我的申请", "/holder/applications"}, {"填写推荐表", "/holder/apply"}, {"我的品牌", "/brands"}}
}
