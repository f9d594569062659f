package api

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// A list answers a page at a time (API.md): ?limit=1..200 rows (absent: 50)
// and ?cursor= the next of the previous page. A bad limit is one of the
// request's failing fields; a cursor we never gave out is store.ErrBadCursor,
// which fail answers as a 422 on the field cursor.

// page reads a list's cursor and limit query parameters.
func (f *fieldCheck) page(c *gin.Context) store.Page {
	return store.Page{Cursor: c.Query("cursor"), Limit: f.limit(c)}
}

// limit reads the limit query parameter; 0 when absent or bad.
func (f *fieldCheck) limit(c *gin.Context) int {
	l := c.Query("limit")
	if l == "" {
		return 0
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > store.MaxPageLimit {
		f.add("limit", fmt.Sprintf("须为1至%d之间的整数", store.MaxPageLimit))
		return 0
	}
	return n
}

// nextCursor is a page's next: null after the last page.
func nextCursor(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}

// Filters on a list (issue 12): a value outside the parameter's vocabulary
// is a 422 naming the parameter, not an empty list that looks like an answer.

// applicationStages are the values of ?stage (RULES §3).
var applicationStages = []string{workflows.StageCountyReview, workflows.StageReturned, workflows.StageCityReview,
	workflows.StagePublicNotice, workflows.StageObjectionReview, workflows.StageAdmitted, workflows.StageRejected,
	workflows.StageWithdrawn}

// oneOf requires the query parameter name, when given, to be one of values.
func (f *fieldCheck) oneOf(name, v string, values []string) {
	if v != "" && !slices.Contains(values, v) {
		f.add(name, "须为 "+strings.Join(values, "、")+" 之一")
	}
}

// category requires ?category, when given, to be a category code.
func (f *fieldCheck) category(v string) {
	if v != "" && !form.Category(v).Valid() {
		f.add("category", "须为类别代码之一（API.md Vocabularies）")
	}
}

// county requires ?county, when given, to be a 初审 unit. A failed read of
// the units leaves the request unanswerable (503), not an empty list.
// queryChecked answers 422 with fields and an unknown county (with the
// others, every failing field at once) and reports whether none failed: a
// county's calendar asked by a code nobody has is not the city's.
func (s *Server) queryChecked(c *gin.Context, fields []FieldError, county string) bool {
	var f fieldCheck
	for _, e := range fields {
		f.add(e.Field, e.Message)
	}
	s.county(c, &f, county)
	return !f.failed(c, "查询参数有误")
}

func (s *Server) county(c *gin.Context, f *fieldCheck, code string) {
	if code == "" {
		return
	}
	switch ok, err := s.Store.RegisteredUnit(c, code); { // a zone that takes no applications still has brands
	case err != nil:
		f.unavailable = err
	case !ok:
		f.add("county", "没有这个县（市、区）代码")
	}
}
