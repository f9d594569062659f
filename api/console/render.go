package console

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

//go:embed templates
var templateFS embed.FS

var shanghai = calendar.Shanghai

// templates holds one template set per page: the base layout
// (templates/layout.html) with the page's own file, which defines
// "content".
type templates struct{ byName map[string]*template.Template }

var funcs = template.FuncMap{
	"county":    countyName,
	"stage":     workflows.StageLabel,
	"action":    historyLabel,
	"stepNote":  workflows.StepNote,
	"category":  workflows.CategoryLabel,
	"role":      roleLabel,
	"taskKind":  taskKindLabel,
	"datetime":  func(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04") },
	"hasPrefix": strings.HasPrefix,
	"pageLink":  pageLink,
	"decision":  decisionLabel,
	"decisions": func() any { return reviewDecisions },
	"weekday":   weekday,
	"ordinal":   func(i int) int { return i + 1 }, // a range's index as people count
}

// weekday is a day's weekday as an officer counts working days by it:
// "2026-12-04" → "周五"; "" for what is not a day.
func weekday(day any) string {
	d, err := calendar.ParseDate(fmt.Sprint(day))
	if err != nil {
		return ""
	}
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d.Weekday()]
}

func mustParseTemplates() *templates {
	t := &templates{byName: map[string]*template.Template{}}
	pages, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(p.Name(), ".html")
		if name == "layout" || strings.HasPrefix(name, "partial_") {
			continue
		}
		// templates/partial_*.html are partials every page may use.
		t.byName[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partial_*.html", "templates/"+p.Name()))
	}
	return t
}

// frame is what the layout shows around every page.
type frame struct {
	Title   string
	Account *store.Account // nil: not signed in
	Nav     []navItem
	Path    string
	CSRF    string
	Page    any
}

// render answers with page name (templates/<name>.html) in the layout.
func (cs *Console) render(c *gin.Context, status int, name, title string, page any) {
	cs.reviewUnits(c) // the zones' names (countyName), read again when a minute old
	f := frame{Title: title, Path: c.Request.URL.Path, CSRF: cs.csrfToken(c), Page: page}
	if s := session(c); s != nil && s.Stage == store.SessionFull {
		f.Account = &s.Account
		f.Nav = navFor(s.Account.Role)
	}
	t := cs.pages.byName[name]
	if t == nil {
		panic("no console template " + name) // a programming error
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store") // pages carry personal work and CSRF tokens
	c.Status(status)
	if err := t.Execute(c.Writer, f); err != nil {
		cs.Log.Error("render console page", "page", name, "error", err)
	}
	c.Abort()
}

type errorView struct {
	Status           int
	Heading, Message string
	Retry            *retryView // a keyed form to send again, when it may be
}

// retryView is a form's post again as it was sent: its fields, its
// idempotency key among them, to the same address. A decision the API may
// have applied before it failed is then applied once, and nothing typed is
// lost to an outage.
type retryView struct {
	Action string
	Fields []retryField
}

type retryField struct{ Name, Value string }

// retryOf is the retry of the request's form, when it is a keyed form (a
// decision, a submission: they carry an idempotency_key); nil otherwise —
// a form without a key could be applied twice, and a sign-in's password is
// never written back into a page.
func retryOf(c *gin.Context) *retryView {
	if c.Request.Method != http.MethodPost || c.PostForm("idempotency_key") == "" {
		return nil
	}
	r := &retryView{Action: c.Request.URL.RequestURI()}
	for _, name := range slices.Sorted(maps.Keys(c.Request.PostForm)) {
		if name == "csrf" { // the page's own
			continue
		}
		for _, v := range c.Request.PostForm[name] {
			r.Fields = append(r.Fields, retryField{name, v})
		}
	}
	return r
}

// errorPage answers with a Chinese error page.
func (cs *Console) errorPage(c *gin.Context, status int, heading, message string) {
	cs.render(c, status, "error", heading, errorView{Status: status, Heading: heading, Message: message})
}

// fail answers an API refusal (its status and message), the database down
// (503), or an unexpected error (500); the last two are logged.
//
// A keyed form (a decision, a submission) that failed for a passing reason
// — a 5xx, or its key still held by the same request in progress — is
// offered again as it was sent (retryOf): the retry carries the same key.
func (cs *Console) fail(c *gin.Context, err error) {
	v := errorView{Status: http.StatusInternalServerError, Heading: "系统错误",
		Message: "处理您的请求时发生错误，已记录在案。请稍后重试；如问题持续，请联系系统管理员。"}
	var e *APIError
	if errors.As(err, &e) && e.RetryAfter != "" {
		c.Header("Retry-After", e.RetryAfter) // the API's, to a browser or a script reading the page
	}
	switch {
	case errors.As(err, &e) && e.InFlight():
		v.Status, v.Heading, v.Message = e.Status, "正在办理", "同一请求已提交，仍在办理中。请稍候片刻再点击“重试”查看结果。"
		v.Retry = retryOf(c)
	case errors.As(err, &e) && e.LapsePending():
		v.Status, v.Heading, v.Message = e.Status, "暂不能办理", e.Message
		v.Retry = retryOf(c)
	case errors.As(err, &e):
		v.Status, v.Message = e.Status, e.Message
		v.Heading = map[int]string{401: "请先登录", 403: "无权访问", 404: "未找到", 409: "无法办理", 429: "请求过于频繁", 503: "服务暂不可用"}[e.Status]
		if v.Heading == "" {
			v.Heading = "无法完成"
		}
		if e.Status >= 500 && e.Status != 503 {
			cs.Log.Error("console: API answer", "path", c.Request.URL.Path, "error", err)
			v.Heading = "系统错误"
		}
		if e.Status >= 500 {
			v.Retry = retryOf(c)
		}
	default:
		cs.Log.Error("console", "path", c.Request.URL.Path, "error", err)
		if store.IsUnavailable(err) {
			v.Status, v.Heading, v.Message = http.StatusServiceUnavailable, "服务暂不可用", "数据库暂不可用，请稍后重试。"
		}
		v.Retry = retryOf(c)
	}
	cs.render(c, v.Status, "error", v.Heading, v)
}

func decodeDeadlines(raw []byte, out *[]calendar.Deadline) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// historyLabel names a history step: the processes' own names, and the
// submission the API records before a process runs.
func historyLabel(action string) string {
	if action == "submitted" {
		return "提交推荐表"
	}
	return workflows.ActionLabel(action)
}
