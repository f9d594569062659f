package api

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/store"
)

type expertBody struct {
	Name            *string   `json:"name,omitempty" doc:"姓名"`
	Specialties     *[]string `json:"specialties,omitempty" doc:"专业领域"`
	CountyCode      *string   `json:"county_code,omitempty" doc:"县（市、区）行政区划代码（初审单位）"`
	AffiliationUSCC *string   `json:"affiliation_uscc,omitempty" doc:"所在单位的统一社会信用代码（回避本单位的申请）"`
	Active          *bool     `json:"active,omitempty" doc:"在库可抽取"`
}

var expertIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// apply merges b into e and checks the result.
func (b expertBody) apply(e *store.Expert) []FieldError {
	if b.Name != nil {
		e.Name = strings.TrimSpace(*b.Name)
	}
	if b.Specialties != nil {
		e.Specialties = *b.Specialties
	}
	if b.CountyCode != nil {
		e.CountyCode = strings.TrimSpace(*b.CountyCode)
	}
	if b.AffiliationUSCC != nil {
		e.AffiliationUSCC = uscc.Normalize(*b.AffiliationUSCC)
	}
	if b.Active != nil {
		e.Active = *b.Active
	}
	var fields []FieldError
	if n := utf8.RuneCountInString(e.Name); n == 0 || n > 50 {
		fields = append(fields, FieldError{Field: "name", Message: "必填，不超过50字"})
	}
	if len(e.Specialties) == 0 {
		fields = append(fields, FieldError{Field: "specialties", Message: "至少一个专业领域（第六条品牌类别）"})
	}
	for i, sp := range e.Specialties {
		if !slices.Contains(form.Categories, form.Category(sp)) {
			fields = append(fields, FieldError{Field: "specialties[" + strconv.Itoa(i) + "]", Message: "不是有效的品牌类别：" + sp})
		}
	}
	if form.CountyName(e.CountyCode) == "" && e.CountyCode != "530100" {
		fields = append(fields, FieldError{Field: "county_code", Message: "须为昆明市县级行政区划代码（市级专家填 530100）"})
	}
	if e.AffiliationUSCC != "" && uscc.Validate(e.AffiliationUSCC) != nil {
		fields = append(fields, FieldError{Field: "affiliation_uscc", Message: "统一社会信用代码无效"})
	}
	return fields
}

// newExpertBody adds an expert: its id (generated when absent) and its
// fields, of which name, specialties and county_code are required.
type newExpertBody struct {
	ID string `json:"id,omitempty" doc:"专家编号：字母、数字、-、_，不超过40个字符；不给则自动生成"`
	expertBody
}

// createExpert adds a member to the expert pool (专家智库).
func (s *Server) createExpert(c *gin.Context) {
	var b newExpertBody
	if !bindJSON(c, &b) {
		return
	}
	e := store.Expert{ID: strings.TrimSpace(b.ID), Active: true, CreatedAt: s.now(), UpdatedAt: s.now()}
	generated := e.ID == ""
	if generated {
		e.ID = s.recordID(c, "E")
	}
	fields := b.expertBody.apply(&e)
	if !expertIDPattern.MatchString(e.ID) {
		fields = append(fields, FieldError{Field: "id", Message: "字母、数字、-、_，不超过40个字符"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("专家信息有误", fields...))
		return
	}
	p := principal(c)
	stored, err := s.Store.CreateExpert(c, e, p.Sub, string(p.Role))
	if errors.Is(err, store.ErrExpertExists) {
		switch {
		case sameExpert(stored, e):
			// This request retried after its answer was lost (or another
			// officer added the same expert): answered as it stands.
			c.JSON(http.StatusCreated, stored)
		case generated: // the number was made from this request's Idempotency-Key
			refuseOtherRecord(c)
		default:
			fail(c, errConflict("专家编号已存在", map[string]any{"id": e.ID}).on(FieldError{Field: "id", Message: "专家编号已存在"}))
		}
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, stored)
}

// sameExpert tells whether stored is the expert e describes.
func sameExpert(stored, e store.Expert) bool {
	return stored.Name == e.Name && slices.Equal(stored.Specialties, e.Specialties) && stored.CountyCode == e.CountyCode &&
		stored.AffiliationUSCC == e.AffiliationUSCC
}

// patchExpert changes an expert's record (e.g. deactivates it): the fields
// sent, over the record as it stands when it is written.
func (s *Server) patchExpert(c *gin.Context) {
	var b expertBody
	if !bindJSON(c, &b) {
		return
	}
	p := principal(c)
	e, err := s.Store.UpdateExpert(c, c.Param("id"), s.now(), func(e *store.Expert) error {
		if fields := b.apply(e); len(fields) > 0 {
			return errInvalid("专家信息有误", fields...)
		}
		return nil
	}, p.Sub, string(p.Role))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) listExperts(c *gin.Context) {
	es, err := s.Store.Experts(c)
	if err != nil {
		fail(c, err)
		return
	}
	if es == nil {
		es = []store.Expert{}
	}
	c.JSON(http.StatusOK, expertList{Items: es})
}

// expertList is the whole pool: one page, next always null.
type expertList struct {
	Items []store.Expert `json:"items" doc:"本页的记录"`
	Next  *string        `json:"next" doc:"下一页的游标；已是最后一页时为 null"`
}
