package console

import (
	"errors"
	"fmt"
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
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The public pages (issue 16 item 4) need no sign-in. They read only the
// API's /api/v1/public/ paths, as an anonymous client (callPublic), so
// they can show nothing the API does not publish: no objector, reporter,
// contact person or telephone (RULES §6). A form's answer shows back only
// its receipt — never the name or contact the person typed.

// noticeView is one application in 公示 as the public page shows it.
type noticeView struct {
	store.PublicNotice
	DaysLeft int  // calendar days left, today and the last day included
	NotYet   bool // published on a day off: the notice begins on a later working day
}

// noticeOn is n as it stands on today.
func noticeOn(n store.PublicNotice, today calendar.Date) noticeView {
	return noticeView{PublicNotice: n, DaysLeft: daysLeft(today, n.NoticeEnd), NotYet: today.String() < n.NoticeStart}
}

type noticesView struct {
	Today   string
	Notices []noticeView
}

// publicToday is the business date (the API's clock), so days left agree
// with the API's own idea of "within the notice".
func (cs *Console) publicToday(c *gin.Context) (calendar.Date, error) {
	var clk struct {
		Today string `json:"today"`
	}
	if err := cs.callPublic(c, http.MethodGet, "/api/v1/clock", nil, &clk); err != nil {
		return calendar.Date{}, err
	}
	return calendar.ParseDate(clk.Today)
}

// daysLeft counts the days from today to the last day, both included.
func daysLeft(today calendar.Date, last string) int {
	end, err := calendar.ParseDate(last)
	if err != nil {
		return 0
	}
	n := int(end.Start().Sub(today.Start()).Round(24*time.Hour)/(24*time.Hour)) + 1
	return max(n, 0)
}

func (cs *Console) publicNotices(c *gin.Context) {
	today, err := cs.publicToday(c)
	if err != nil {
		cs.fail(c, err)
		return
	}
	var list apiList[store.PublicNotice]
	if err := cs.callPublic(c, http.MethodGet, "/api/v1/public/notices", nil, &list); err != nil {
		cs.fail(c, err)
		return
	}
	v := noticesView{Today: today.String()}
	for _, n := range list.Items {
		v.Notices = append(v.Notices, noticeOn(n, today))
	}
	cs.render(c, http.StatusOK, "public_notices", "公示", v)
}

// objectionView is the objection form of one application in 公示, or its
// receipt once filed.
type objectionView struct {
	Notice  noticeView
	Values  map[string]string
	Errors  map[string]string
	Message string
	Receipt *store.ObjectionReceipt
}

// noticeOf finds an application in the current 公示; ok is false (and the
// page answered) when it is not in it. An objection being sent (typed, nil
// for the page's first view) comes back as typed when the notice cannot be
// read just now, rather than as an error page that loses it.
func (cs *Console) noticeOf(c *gin.Context, typed *objectionView) (noticeView, bool) {
	today, err := cs.publicToday(c)
	var list apiList[store.PublicNotice]
	if err == nil {
		err = cs.callPublic(c, http.MethodGet, "/api/v1/public/notices", nil, &list)
	}
	if err != nil {
		if _, e := publicFailure(err); e == nil && typed != nil {
			cs.Log.Warn("console: a public objection's notice not read", "application", c.Param("id"), "error", err)
			typed.Notice = noticeView{PublicNotice: store.PublicNotice{ApplicationID: c.Param("id")}}
			typed.Message = objectionNotTaken
			cs.render(c, http.StatusServiceUnavailable, "public_objection", "提出异议", *typed)
			return noticeView{}, false
		}
		cs.fail(c, err)
		return noticeView{}, false
	}
	for _, n := range list.Items {
		if n.ApplicationID != c.Param("id") {
			continue
		}
		v := noticeOn(n, today)
		if v.NotYet { // 第十三条: objections are taken within the notice
			cs.errorPage(c, http.StatusConflict, "公示尚未开始", "该申请的公示自 "+n.NoticeStart+" 起，届时可提出异议。")
			return noticeView{}, false
		}
		if v.DaysLeft < 1 {
			// Its process has yet to close the notice; the API refuses
			// objections from the day after its last (第十三条).
			cs.errorPage(c, http.StatusConflict, "公示期已结束", "该申请的公示期已于 "+n.NoticeEnd+" 结束，不能再提出异议。")
			return noticeView{}, false
		}
		return v, true
	}
	cs.errorPage(c, http.StatusNotFound, "不在公示期", "该申请目前不在公示期内，不能提出异议。请从公示列表进入。")
	return noticeView{}, false
}

func (cs *Console) objectionPage(c *gin.Context) {
	n, ok := cs.noticeOf(c, nil)
	if !ok {
		return
	}
	cs.render(c, http.StatusOK, "public_objection", "对“"+n.BrandName+"”提出异议", objectionView{Notice: n, Values: map[string]string{}})
}

// objectionFields are the objection form's fields, the API's names.
var objectionFields = []string{"name", "contact", "content", "evidence"}

// objectionNotTaken tells a member of the public that an objection was not
// taken for a passing reason, and what to do.
const objectionNotTaken = "暂时无法提交，请稍后再次提交。您填写的内容仍在下面；当日再次提交的相同内容只算一次。"

func (cs *Console) fileObjection(c *gin.Context) {
	v := objectionView{Values: formValues(c, objectionFields...)}
	n, ok := cs.noticeOf(c, &v)
	if !ok {
		return
	}
	v.Notice = n
	var receipt store.ObjectionReceipt
	err := cs.callPublic(c, http.MethodPost, "/api/v1/public/applications/"+url.PathEscape(n.ApplicationID)+"/objections", v.Values, &receipt)
	if err != nil {
		status, e := publicFailure(err)
		if e == nil {
			// Sent again, it is the same objection as one the failure may
			// have left stored (RULES §3: the same content, the same day).
			cs.Log.Warn("console: a public objection not taken", "application", n.ApplicationID, "error", err)
			v.Message = objectionNotTaken
		} else {
			v.Errors, v.Message = e.Fields, e.Message
		}
		cs.render(c, status, "public_objection", "对“"+n.BrandName+"”提出异议", v)
		return
	}
	// The receipt alone: what the person typed is not shown back.
	cs.render(c, http.StatusCreated, "public_objection", "异议已收到", objectionView{Notice: n, Receipt: &receipt})
}

// publicFailure is the status of a public form's failed filing, and the
// API's refusal when it is one to correct (a 4xx); nil for a failure a retry
// may mend (a 5xx, or no answer), after which the form comes back as typed
// rather than as an error page that loses it.
func publicFailure(err error) (int, *APIError) {
	var e *APIError
	switch {
	case !errors.As(err, &e):
		return http.StatusServiceUnavailable, nil
	case e.Status >= 500:
		return e.Status, nil
	}
	return e.Status, e
}

// formValues reads the named fields of a posted form, trimmed.
func formValues(c *gin.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, name := range names {
		out[name] = strings.TrimSpace(c.PostForm(name))
	}
	return out
}

// catalogEntry is one brand of the public catalogue (API.md: id, name,
// county, category, status).
type catalogEntry struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CountyCode string `json:"county_code"`
	Category   string `json:"category"`
	BrandType  string `json:"brand_type"`
	UnitName   string `json:"unit_name"`
	Status     string `json:"status"`
	AdmittedOn string `json:"admitted_on"`
}

type catalogView struct {
	Query                      map[string]string
	Brands                     []catalogEntry
	NextHref                   string // the next page, when there is one
	Message                    string
	Errors                     map[string]string
	Counties, Categories, Stat []option
}

// reportBrands are the brands the report form offers: one page of the
// catalogue found by name (the catalogue's 举报 link carries the brand's
// name), never the whole library. A search the API turned away for its
// client's limit offers none, and says why (limited).
func (cs *Console) reportBrands(c *gin.Context, name string) (brands []catalogEntry, limited string, err error) {
	q := url.Values{"limit": {strconv.Itoa(catalogPage)}}
	if name != "" {
		q.Set("name", name)
	}
	var page apiList[catalogEntry]
	err = cs.callPublic(c, http.MethodGet, "/api/v1/public/brands?"+q.Encode(), nil, &page)
	var refused *APIError
	switch {
	case errors.As(err, &refused) && refused.Status == http.StatusTooManyRequests:
		return nil, refused.Message, nil
	case errors.As(err, &refused) && refused.Status < 500:
		return nil, "", nil // a name too long finds nothing to choose
	}
	return page.Items, "", err
}

// publicBrands is the catalogue, a page at a time: name, county, category
// and status are the API's own filters, so a search reads one page of the
// library, never all of it.
func (cs *Console) publicBrands(c *gin.Context) {
	v := catalogView{Query: map[string]string{}}
	q := url.Values{}
	for _, k := range []string{"name", "county", "category", "status", "cursor"} {
		if val := strings.TrimSpace(c.Query(k)); val != "" {
			q.Set(k, val)
			v.Query[k] = val
		}
	}
	q.Set("limit", strconv.Itoa(catalogPage))
	var page apiList[catalogEntry]
	err := cs.callPublic(c, http.MethodGet, "/api/v1/public/brands?"+q.Encode(), nil, &page)
	var refused *APIError
	switch {
	case errors.As(err, &refused) && refused.Status < 500:
		v.Message, v.Errors = refused.Message, refused.Fields
	case err != nil:
		cs.fail(c, err)
		return
	default:
		v.Brands = page.Items
		if page.Next != nil && *page.Next != "" {
			q.Set("cursor", *page.Next)
			q.Del("limit")
			v.NextHref = "/public/brands?" + q.Encode()
		}
	}
	for _, co := range cs.counties(c) {
		v.Counties = append(v.Counties, option{co.Code, co.Name})
	}
	for _, ca := range form.Categories {
		v.Categories = append(v.Categories, option{string(ca), ca.Label()})
	}
	for _, s := range []string{workflows.BrandStatusActive, workflows.BrandStatusRectifying, workflows.BrandStatusSuspended, workflows.BrandStatusRemoved} {
		v.Stat = append(v.Stat, option{s, workflows.BrandStatusLabel(s)})
	}
	status := http.StatusOK
	if refused != nil {
		status = refused.Status
	}
	cs.render(c, status, "public_brands", "劳务品牌目录", v)
}

// catalogPage is how many brands one page of the catalogue shows.
const catalogPage = 50

// announcement is one decision made public (suspension, renewal,
// restoration, removal).
type announcement struct {
	ID             int64   `json:"id"`
	BrandID        string  `json:"brand_id"`
	BrandName      string  `json:"brand_name"`
	UnitName       string  `json:"unit_name"`
	KindLabel      string  `json:"kind_label"`
	CountyName     string  `json:"county_name"`
	CategoryLabel  string  `json:"category_label"`
	DecidedOn      string  `json:"decided_on"`
	EffectiveUntil *string `json:"effective_until"`
	Kind           string  `json:"kind"`
	UntilLabel     string  `json:"until_label"`
	Summary        string  `json:"summary"`
}

// announcementsView is a page of the published decisions, newest first:
// every one of them reachable (RULES §4 publication), a page at a time.
type announcementsView struct {
	Items []announcement
	Older bool   // this page is not the newest
	Next  string // the page of older decisions, "" on the last
}

func (cs *Console) publicAnnouncements(c *gin.Context) {
	q := url.Values{"limit": {"100"}}
	cursor := c.Query("cursor")
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	var list apiList[announcement]
	if err := cs.callPublic(c, http.MethodGet, "/api/v1/public/announcements?"+q.Encode(), nil, &list); err != nil {
		cs.fail(c, err)
		return
	}
	v := announcementsView{Items: list.Items, Older: cursor != ""}
	if list.Next != nil {
		v.Next = "/public/announcements?" + url.Values{"cursor": {*list.Next}}.Encode()
	}
	cs.render(c, http.StatusOK, "public_announcements", "公告", v)
}

// reportView is the report (举报) form, or its receipt.
type reportView struct {
	Brands  []catalogEntry
	Name    string // the name the brands were found by
	Values  map[string]string
	Errors  map[string]string
	Message string
	// ChosenUnlisted: the brand the link or the form chose is not among
	// Brands (a library of more than a page); it stays chosen all the same.
	ChosenUnlisted bool
	Receipt        *struct {
		ID         string `json:"id"`
		ReceivedOn string `json:"received_on"`
	}
}

// The report's content as the API bounds it (第十五条（六）), and the
// misuser's name the console puts before it on a line of its own.
const (
	reportContentMax = 5000
	misuserMax       = 100
	misuserLine      = "涉嫌冒用品牌标识的单位或个人："
)

// reportFields are the report form's fields; misuser (a party misusing a
// brand's logo) is the console's own, folded into the report's content.
var reportFields = []string{"brand_id", "misuser", "content", "evidence", "contact"}

// reportNotTaken tells a member of the public that a report was not taken
// for a passing reason, and what to do.
const reportNotTaken = "暂时无法提交，请稍后再次提交。您填写的内容仍在下面。"

func (cs *Console) reportPage(c *gin.Context) {
	name := strings.TrimSpace(c.Query("name"))
	brands, limited, err := cs.reportBrands(c, name)
	if err != nil {
		cs.fail(c, err)
		return
	}
	v := reportView{Brands: brands, Name: name, Message: limited, Values: map[string]string{"brand_id": c.Query("brand")}}
	v.ChosenUnlisted = chosenUnlisted(v)
	cs.render(c, http.StatusOK, "public_report", "举报", v)
}

// chosenUnlisted reports whether v's chosen brand is not among its brands,
// and so is kept beside them — named as the link's choice, never by text
// the address carries (?brand=系统维护，请致电…), and only when that
// looks like an id.
func chosenUnlisted(v reportView) bool {
	chosen := v.Values["brand_id"]
	return chosen != "" && looksLikeID(chosen) && !slices.ContainsFunc(v.Brands, func(b catalogEntry) bool { return b.ID == chosen })
}

// looksLikeID reports whether s could be a record's id: letters, digits
// and dashes, at most 64.
func looksLikeID(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func (cs *Console) fileReport(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("name"))
	v := reportView{Name: name, Values: formValues(c, reportFields...)}
	brands, limited, err := cs.reportBrands(c, name)
	v.Message = limited
	if err != nil {
		if _, e := publicFailure(err); e == nil {
			// The report comes back as typed, its brand chosen still.
			v.ChosenUnlisted = chosenUnlisted(v)
			cs.Log.Warn("console: a public report's brands not read", "error", err)
			v.Message = reportNotTaken
			cs.render(c, http.StatusServiceUnavailable, "public_report", "举报", v)
			return
		}
		cs.fail(c, err)
		return
	}
	v.Brands = brands
	v.ChosenUnlisted = chosenUnlisted(v)
	content := v.Values["content"]
	if m := v.Values["misuser"]; m != "" && content != "" {
		content = misuserLine + m + "\n" + content
	}
	// The misuser goes into the content the API bounds: said here, beside
	// the fields typed, not as content "over 5000" when it was not.
	if n := utf8.RuneCountInString(v.Values["misuser"]); n > misuserMax {
		v.Errors = map[string]string{"misuser": fmt.Sprintf("不超过%d字", misuserMax)}
	} else if over := utf8.RuneCountInString(content) - reportContentMax; over > 0 && v.Values["misuser"] != "" {
		v.Errors = map[string]string{"content": fmt.Sprintf("举报内容连同冒用者名称不超过%d字，请精简约%d字", reportContentMax, over)}
	}
	if len(v.Errors) > 0 {
		v.Message = "举报内容有误，请按提示修改。"
		cs.render(c, http.StatusUnprocessableEntity, "public_report", "举报", v)
		return
	}
	body := map[string]string{"brand_id": v.Values["brand_id"], "content": content, "evidence": v.Values["evidence"], "contact": v.Values["contact"]}
	var receipt struct {
		ID         string `json:"id"`
		ReceivedOn string `json:"received_on"`
	}
	if err := cs.callPublic(c, http.MethodPost, "/api/v1/public/reports", body, &receipt); err != nil {
		status, e := publicFailure(err)
		if e == nil {
			cs.Log.Warn("console: a public report not taken", "error", err)
			v.Message = reportNotTaken
		} else {
			v.Errors, v.Message = e.Fields, e.Message
		}
		cs.render(c, status, "public_report", "举报", v)
		return
	}
	cs.render(c, http.StatusCreated, "public_report", "举报已收到", reportView{Receipt: &receipt})
}
