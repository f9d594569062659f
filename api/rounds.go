package api

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
)

type roundBody struct {
	Name     string `json:"name" doc:"批次名称，不超过100字" maxLength:"100"`
	OpensOn  string `json:"opens_on" format:"date" doc:"申报开始日"`
	ClosesOn string `json:"closes_on" format:"date" doc:"申报截止日（含当日）"`
}

// createRound opens a call for applications (第十条).
func (s *Server) createRound(c *gin.Context) {
	var b roundBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Name)); n == 0 || n > 100 {
		fields = append(fields, FieldError{Field: "name", Message: "必填，不超过100字"})
	}
	opens, ok1 := roundDate(b.OpensOn, "opens_on", &fields)
	closes, ok2 := roundDate(b.ClosesOn, "closes_on", &fields)
	if ok1 && ok2 && closes.Before(opens) {
		fields = append(fields, FieldError{Field: "closes_on", Message: "截止日期不能早于开始日期"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("申报批次有误", fields...))
		return
	}
	p := principal(c)
	want := store.Round{ID: s.recordID(c, "R"), Name: strings.TrimSpace(b.Name), OpensOn: opens.String(), ClosesOn: closes.String(), CreatedAt: s.now()}
	r, err := s.Store.CreateRound(c, want, p.Sub, string(p.Role))
	if err != nil {
		fail(c, err)
		return
	}
	if r.Name != want.Name || r.OpensOn != want.OpensOn || r.ClosesOn != want.ClosesOn {
		refuseOtherRecord(c)
		return
	}
	c.JSON(http.StatusCreated, r)
}

// roundDate reads a round's date, within the years a calendar is given for
// (LoadableYears): beyond them no deadline can be counted, and PostgreSQL
// has no year 0. A refusal is added to fields.
func roundDate(v, field string, fields *[]FieldError) (calendar.Date, bool) {
	d, err := calendar.ParseDate(v)
	switch {
	case err != nil:
		*fields = append(*fields, FieldError{Field: field, Message: fmt.Sprintf("%q 不是日期：须为 YYYY-MM-DD", v)})
	case d.Year < LoadableYears.First || d.Year > LoadableYears.Last:
		*fields = append(*fields, FieldError{Field: field, Message: fmt.Sprintf("%s 不在 %d–%d 年之间", v, LoadableYears.First, LoadableYears.Last)})
	default:
		return d, true
	}
	return d, false
}

func (s *Server) listRounds(c *gin.Context) {
	rs, err := s.Store.Rounds(c)
	if err != nil {
		fail(c, err)
		return
	}
	if rs == nil {
		rs = []store.Round{}
	}
	c.JSON(http.StatusOK, roundList{Items: rs})
}

// roundList is every round: one page, next always null (a handful a year).
type roundList struct {
	Items []store.Round `json:"items" doc:"本页的记录"`
	Next  *string       `json:"next" doc:"下一页的游标；已是最后一页时为 null"`
}
