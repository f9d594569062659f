package api

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The Excel exports (issue 14): each is its JSON list — the same filters,
// the same access, the same store query, read a page at a time to the end —
// as a workbook with Chinese headers and labels, real dates and a frozen
// header row, streamed row by row (spreadsheet.Writer). Every export is
// written to the audit trail before it is sent (RULES §6).

var brandColumns = []spreadsheet.Column{
	{Header: "品牌编号", Width: 18}, {Header: "品牌名称", Width: 24}, {Header: "持有单位", Width: 30},
	{Header: "统一社会信用代码", Width: 22}, {Header: "品牌类型", Width: 18}, {Header: "所属类别", Width: 20},
	{Header: "所在县（市、区）", Width: 20}, {Header: "入库日期", Width: 12, Kind: spreadsheet.Date},
	{Header: "状态", Width: 14}, {Header: "整改级别", Width: 10}, {Header: "整改期限", Width: 12, Kind: spreadsheet.Date},
	{Header: "暂停至", Width: 12, Kind: spreadsheet.Date}, {Header: "待决事项", Width: 28},
	{Header: "下次综合评估", Width: 13, Kind: spreadsheet.Date},
}

// exportBrands answers GET /api/v1/brands.xlsx.
func (s *Server) exportBrands(c *gin.Context) {
	f, ok := s.brandScope(c)
	if !ok {
		return
	}
	var fields fieldCheck
	if s.checkBrandFilter(c, &fields, f); fields.failed(c, "查询参数有误") {
		return
	}
	counties, ok := s.countyNames(c)
	if !ok {
		return
	}
	w, err := spreadsheet.New("劳务品牌", brandColumns)
	if err != nil {
		fail(c, err)
		return
	}
	defer w.Close() // drops its temporary files, also after a failed page
	for page := (store.Page{Limit: store.MaxPageLimit}); ; {
		f.Page = page
		items, next, err := s.Store.ListBrands(c, f)
		if err != nil {
			fail(c, err)
			return
		}
		for _, b := range items {
			level := ""
			if b.RectificationLevel != nil {
				level = fmt.Sprintf("%d级", *b.RectificationLevel)
			}
			pending := ""
			if b.PendingDecision != nil {
				pending = workflows.PendingLabel(*b.PendingDecision)
			}
			if err := w.Row(b.ID, b.Name, b.UnitName, b.USCC, typeLabel(b.BrandType), categoryLabel(b.Category),
				counties.Name(b.CountyCode), b.AdmittedOn, workflows.BrandStatusLabel(b.Status), level,
				deref(b.RectificationDue), deref(b.SuspendedUntil), pending, deref(b.NextEvaluationDue)); err != nil {
				fail(c, err)
				return
			}
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	s.sendWorkbook(c, w, "brands", "劳务品牌", map[string]string{"status": f.Status, "county": cmp.Or(f.County, f.LooksAfter), "category": f.Category,
		"uscc": f.USCC, "name": f.Name})
}

var applicationColumns = []spreadsheet.Column{
	{Header: "申请编号", Width: 18}, {Header: "品牌名称", Width: 24}, {Header: "申报单位", Width: 30},
	{Header: "品牌类型", Width: 18}, {Header: "所属类别", Width: 20}, {Header: "所在县（市、区）", Width: 20},
	{Header: "申报批次", Width: 14}, {Header: "阶段", Width: 12},
	{Header: "提交时间", Width: 17, Kind: spreadsheet.Instant},
	{Header: "最近期限事项", Width: 18}, {Header: "最近期限", Width: 12, Kind: spreadsheet.Date},
	{Header: "是否逾期", Width: 10}, {Header: "全部期限", Width: 48},
}

// exportApplications answers GET /api/v1/applications.xlsx: each
// application with its stage and its open deadlines, the soonest in a
// column of its own.
func (s *Server) exportApplications(c *gin.Context) {
	f, ok := s.applicationScope(c)
	if !ok {
		return
	}
	var fields fieldCheck
	if s.checkApplicationFilter(c, &fields, f); fields.failed(c, "查询参数有误") {
		return
	}
	counties, ok := s.countyNames(c)
	if !ok {
		return
	}
	rounds, err := s.Store.Rounds(c) // a handful a year: named as officers know them
	if err != nil {
		fail(c, err)
		return
	}
	roundNames := make(map[string]string, len(rounds))
	for _, r := range rounds {
		roundNames[r.ID] = r.Name
	}
	w, err := spreadsheet.New("申请", applicationColumns)
	if err != nil {
		fail(c, err)
		return
	}
	defer w.Close() // drops its temporary files, also after a failed page
	now := s.now()
	for page := (store.Page{Limit: store.MaxPageLimit}); ; {
		f.Page = page
		items, next, err := s.Store.ListApplications(c, f)
		if err != nil {
			fail(c, err)
			return
		}
		for _, a := range items {
			var ds []calendar.Deadline
			_ = json.Unmarshal(a.Deadlines, &ds) // a stored list we wrote; an empty cell if not
			var soonest *calendar.Deadline
			all := make([]string, 0, len(ds))
			for i, d := range ds {
				if soonest == nil || d.DueAt.Before(soonest.DueAt) {
					soonest = &ds[i]
				}
				all = append(all, workflows.DeadlineKindLabel(d.Kind)+" "+d.Due.String())
			}
			kind, due, overdue := "", "", ""
			if soonest != nil {
				kind, due, overdue = workflows.DeadlineKindLabel(soonest.Kind), soonest.Due.String(), yesNo(!now.Before(soonest.DueAt))
			}
			if err := w.Row(a.ID, a.BrandName, a.UnitName, typeLabel(a.BrandType), categoryLabel(a.Category),
				counties.Name(a.CountyCode), cmp.Or(roundNames[a.RoundID], a.RoundID), workflows.StageLabel(a.Stage), a.SubmittedAt, kind, due, overdue,
				strings.Join(all, "；")); err != nil {
				fail(c, err)
				return
			}
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	s.sendWorkbook(c, w, "applications", "申请", map[string]string{"stage": f.Stage, "county": f.County, "round": f.Round})
}

var taskColumns = []spreadsheet.Column{
	{Header: "待办事项", Width: 20}, {Header: "对象", Width: 8}, {Header: "对象编号", Width: 18},
	{Header: "品牌名称", Width: 24}, {Header: "所在县（市、区）", Width: 20}, {Header: "办理方", Width: 16},
	{Header: "期限", Width: 12, Kind: spreadsheet.Date}, {Header: "期限截止时间", Width: 17, Kind: spreadsheet.Instant},
	{Header: "临时期限", Width: 10}, {Header: "是否逾期", Width: 10},
}

// exportTasks answers GET /api/v1/tasks.xlsx: the caller's whole work
// queue, soonest due first.
func (s *Server) exportTasks(c *gin.Context) {
	f, ok := s.taskFilter(c)
	if !ok {
		return
	}
	counties, ok := s.countyNames(c)
	if !ok {
		return
	}
	w, err := spreadsheet.New("待办", taskColumns)
	if err != nil {
		fail(c, err)
		return
	}
	defer w.Close() // drops its temporary files, also after a failed page
	p := s.provisionalCheck(c)
	f.Limit = 1000
	for {
		tasks, err := s.Store.Tasks(c, f)
		if err != nil {
			fail(c, err)
			return
		}
		p.settleTasks(tasks)
		for _, t := range tasks {
			object := "申请"
			if t.ObjectType == "brand" {
				object = "品牌"
			}
			if err := w.Row(workflows.DeadlineKindLabel(t.Kind), object, t.ObjectID, t.BrandName, counties.Name(t.PlaceCode),
				roleLabel(t.Audience), t.Due, t.DueAt, yesNo(t.Provisional), yesNo(t.Overdue)); err != nil {
				fail(c, err)
				return
			}
		}
		if len(tasks) < f.Limit {
			break
		}
		f.After = &tasks[len(tasks)-1]
	}
	overdue := ""
	if f.Overdue != nil {
		overdue = fmt.Sprint(*f.Overdue)
	}
	s.sendWorkbook(c, w, "tasks", "待办", map[string]string{"kind": f.Kind, "stage": f.Stage, "county": cmp.Or(f.Place, f.County), "overdue": overdue})
}

// sendWorkbook records the export in the audit trail, then streams the
// workbook to the client; when the audit row cannot be written, nothing is
// sent. filters must name every filter the list applied (RULES §6: which
// filters), so that the audit says which rows left.
func (s *Server) sendWorkbook(c *gin.Context, w *spreadsheet.Writer, name, title string, filters map[string]string) {
	p := principal(c)
	for k, v := range filters {
		if v == "" {
			delete(filters, k)
		}
	}
	if err := s.Store.Audit(c, store.AuditEntry{At: s.now(), Actor: p.Sub, Role: string(p.Role), Action: "export." + name,
		ObjectType: "export", ObjectID: name + ".xlsx", After: map[string]any{"filters": filters, "rows": w.Rows()}}); err != nil {
		fail(c, err)
		return
	}
	file := fmt.Sprintf("%s-%s.xlsx", title, calendar.DateOf(s.now()))
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"; filename*=UTF-8''%s`, name, url.PathEscape(file)))
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", spreadsheet.ContentType)
	c.Status(http.StatusOK)
	if _, err := w.WriteTo(c.Writer); err != nil {
		s.Log.Warn("export interrupted", "export", name, "error", err) // the status is sent; the client sees a broken file
	}
}

func typeLabel(t string) string     { return orCode(form.BrandType(t).Label(), t) }
func categoryLabel(c string) string { return orCode(form.Category(c).Label(), c) }

// countyNames are the names the exports and the prints give a county or a
// functional zone (review_units, RULES §1), where the 14 counties alone
// would leave a zone as its code; on failure it answers the request itself.
func (s *Server) countyNames(c *gin.Context) (paper.CountyNames, bool) {
	names, err := s.Store.CountyNames(c)
	if err != nil {
		fail(c, err)
		return nil, false
	}
	return names, true
}

func orCode(label, code string) string {
	if label == "" {
		return code
	}
	return label
}

// roleLabel names who acts on a work-queue entry.
func roleLabel(role string) string {
	switch auth.Role(role) {
	case auth.Applicant:
		return "持有（申报）单位"
	case auth.CountyOfficer:
		return "县级人社部门"
	case auth.CityOfficer:
		return "市级人社部门"
	case auth.Expert:
		return "评审专家"
	case auth.Supervisor:
		return "督办"
	}
	return role
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
