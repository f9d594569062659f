package api

import (
	"fmt"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
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
