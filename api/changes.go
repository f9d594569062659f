package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// changeList answers GET /api/v1/changes: the change requests (附件2)
// across brands, for the officers who give their opinions and the
// supervisors who watch; a county officer sees its county's.
type changeList struct {
	Items []store.ChangeListed `json:"items" doc:"本页的记录，最新的在前"`
	Next  *string              `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

func (s *Server) changeRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/changes", Roles: []auth.Role{auth.CountyOfficer, auth.CityOfficer, auth.Supervisor},
		Query:   []string{"status", "county", "cursor", "limit"},
		Summary: "Change requests (附件2) across brands, newest first (a county officer: its county's)", Result: changeList{}}, s.listChanges)
}

func (s *Server) listChanges(c *gin.Context) {
	p := principal(c)
	f := store.ChangeFilter{Status: c.Query("status"), County: c.Query("county")}
	if p.Role == auth.CountyOfficer {
		var ok bool
		if f.County, ok = s.officerCounty(c, f.County, "变更申请"); !ok {
			return
		}
	}
	var fields fieldCheck
	fields.oneOf("status", f.Status, changeStatuses)
	s.county(c, &fields, f.County)
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.ListChanges(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, changeList{Items: items, Next: nextCursor(next)})
}
