package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// listHolderApplications is a holder's own applications (the token's
// USCC), newest first: each with its stage and running deadlines, for the
// holder's pages; one application's history is GET /applications/{id}.
func (s *Server) listHolderApplications(c *gin.Context) {
	f := store.ApplicationFilter{Stage: c.Query("stage"), USCC: principal(c).USCC}
	var fields fieldCheck
	fields.oneOf("stage", f.Stage, applicationStages)
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.ListApplications(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	s.settleSummaries(c, items)
	c.JSON(http.StatusOK, applicationList{Items: items, Next: nextCursor(next)})
}
