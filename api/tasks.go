package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

type taskList struct {
	Items []store.Task `json:"items" doc:"本页的记录"`
	Next  *string      `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
	Total int          `json:"total" doc:"符合筛选条件的待办事项总数（不受 limit 限制）"`
}

// listTasks is the caller's work queue, soonest due first: a county
// officer's county, the city's, an expert's assignments, a holder's own,
// and for a supervisor everything overdue (unless overdue=false is asked).
func (s *Server) listTasks(c *gin.Context) {
	f, ok := s.taskFilter(c)
	if !ok {
		return
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fail(c, errInvalid("查询参数有误", FieldError{Field: "limit", Message: "须为1至1000之间的整数"}))
			return
		}
		f.Limit = n
	}
	tasks, next, err := s.Store.TaskPage(c, f, c.Query("cursor"))
	if err != nil {
		fail(c, err)
		return
	}
	total, err := s.Store.CountTasks(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	s.provisionalCheck(c).settleTasks(tasks)
	c.JSON(http.StatusOK, taskList{Items: tasks, Next: nextCursor(next), Total: total})
}

// taskStages are the values of the work queue's ?stage: a task about an
// application is in its application's stage (RULES §3), one about a brand
// in its brand's status (RULES §4); the two vocabularies share no value.
var taskStages = append(slices.Clone(applicationStages), brandStatuses...)

// taskFilter reads the filters of GET /api/v1/tasks (and its export) for
// the caller's own queue; it answers 422 itself and returns false.
func (s *Server) taskFilter(c *gin.Context) (store.TaskFilter, bool) {
	p := principal(c)
	f := store.TaskFilter{Audience: string(p.Role), Now: s.now(), Kind: c.Query("kind"), Stage: c.Query("stage")}
	switch p.Role {
	case auth.CountyOfficer:
		county, ok := s.officerCounty(c, c.Query("county"), "待办")
		if !ok {
			return f, false
		}
		f.County = p.County // its county's tasks and its functional zones' (RULES §1)
		if county != p.County {
			f.Place = county // one of those zones
		}
	case auth.Expert:
		f.Assignee = p.Sub
	case auth.Applicant:
		f.Assignee = p.USCC
	case auth.Supervisor:
		f.All = true
		yes := true
		f.Overdue = &yes
		f.Place = c.Query("county")
	case auth.CityOfficer:
		f.Place = c.Query("county")
	}
	var fields fieldCheck
	s.county(c, &fields, f.Place)
	// A keyed kind (objection_ruling:<id>) is checked by its kind, which
	// must be one that is keyed.
	if kind, id, keyed := strings.Cut(f.Kind, ":"); f.Kind != "" && (kind == "" || keyed && (id == "" || !slices.Contains(workflows.KeyedTaskKinds, kind))) {
		fields.add("kind", "须为待办类型代码，或带编号的 objection_ruling、objection_day、rectification、change、report_triage、evaluation_assessment")
	} else {
		fields.oneOf("kind", kind, workflows.TaskKinds)
	}
	if fields.oneOf("stage", f.Stage, taskStages); fields.failed(c, "查询参数有误") {
		return f, false
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fail(c, errInvalid("查询参数有误", FieldError{Field: "overdue", Message: "须为 true 或 false"}))
			return f, false
		}
		f.Overdue = &b
	}
	return f, true
}

func inboxFilter(p auth.Principal) store.InboxFilter {
	f := store.InboxFilter{Sub: p.Sub, Audience: string(p.Role)}
	switch p.Role {
	case auth.CountyOfficer:
		f.County = p.County
	case auth.Applicant:
		f.USCC = p.USCC
	}
	return f
}

type inboxList struct {
	Items []store.InboxItem `json:"items" doc:"本页的记录"`
	Next  *string           `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// listInbox is the caller's in-app inbox: reminders, escalations and
// decisions addressed to its role (and county or holder).
func (s *Server) listInbox(c *gin.Context) {
	f := inboxFilter(principal(c))
	f.UnreadOnly = c.Query("unread") == "true"
	var fields fieldCheck
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.Inbox(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inboxList{Items: items, Next: nextCursor(next)})
}

func (s *Server) markRead(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, errNotFound("没有这条消息"))
		return
	}
	if err := s.Store.MarkRead(c, inboxFilter(principal(c)), id, s.now()); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inboxReadView{ID: id, Read: true})
}

// inboxReadView answers a message marked read.
type inboxReadView struct {
	ID   int64 `json:"id" doc:"消息编号"`
	Read bool  `json:"read" doc:"已读：总为 true"`
}

// workers are the roles with a work queue; an admin keeps the calendar and
// the accounts and has none (API.md "Who may do what").
var workers = []auth.Role{auth.Applicant, auth.CountyOfficer, auth.CityOfficer, auth.Expert, auth.Supervisor}

// workRoutes are the work queue and the inbox.
func (s *Server) workRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/tasks", Roles: workers, Query: []string{"overdue", "kind", "county", "stage", "cursor", "limit"},
		Summary: "The caller's work queue, soonest due first", Result: taskList{}}, s.listTasks)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/inbox", Roles: workers, Query: []string{"unread", "cursor", "limit"},
		Summary: "The caller's in-app inbox", Result: inboxList{}}, s.listInbox)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/inbox/{id}/read", Summary: "Mark a message read", OwnState: true, Result: inboxReadView{}}, s.markRead)
}
