package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

type objectionBody struct {
	Name       string `json:"name"`
	Contact    string `json:"contact"`
	Content    string `json:"content"`
	Evidence   string `json:"evidence"`
	ReceivedOn string `json:"received_on,omitempty"` // mailed objections: the postmark date
}

func (b *objectionBody) validate(mailed bool, today calendar.Date) (calendar.Date, []FieldError) {
	var fields []FieldError
	req := func(field, v string, max int, label string) {
		if n := utf8.RuneCountInString(strings.TrimSpace(v)); n == 0 || n > max {
			fields = append(fields, FieldError{Field: field, Message: label})
		}
	}
	// 第十三条: objections are made in writing, with evidence, under the objector's name.
	req("name", b.Name, 100, "必填：异议人姓名或单位名称（不向申报单位公开）")
	req("contact", b.Contact, 100, "必填：联系方式（不向申报单位公开）")
	req("content", b.Content, 5000, "必填：异议内容，不超过5000字")
	req("evidence", b.Evidence, 5000, "必填：书面证据材料说明，不超过5000字")
	received := today
	if mailed {
		d, err := calendar.ParseDate(b.ReceivedOn)
		switch {
		case err != nil:
			fields = append(fields, FieldError{Field: "received_on", Message: "必填：邮戳日期 YYYY-MM-DD"})
		case d.After(today):
			fields = append(fields, FieldError{Field: "received_on", Message: "邮戳日期不能晚于今天"})
		default:
			received = d
		}
	} else if b.ReceivedOn != "" {
		fields = append(fields, FieldError{Field: "received_on", Message: "网上提交的异议以提交当日为收到日期，不可填写"})
	}
	return received, fields
}

// fileObjection takes an objection from the public (or, mailed, entered by
// the city): the objector's identity is stored in PostgreSQL only; the
// process is told the objection's id and receipt date.
func (s *Server) fileObjection(c *gin.Context, mailed bool) {
	id := c.Param("id")
	ref, err := s.Store.GetApplicationRef(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	var b objectionBody
	if !bindJSON(c, &b) {
		return
	}
	received, fields := b.validate(mailed, s.today())
	if len(fields) > 0 {
		fail(c, errInvalid("异议材料有误", fields...))
		return
	}
	via := "public"
	if mailed {
		via = "mail"
	}
	draft := store.ObjectionDraft{ID: newID("O"), ApplicationID: id, Via: via, ReceivedOn: received.String(),
		Name: strings.TrimSpace(b.Name), Contact: strings.TrimSpace(b.Contact), Content: b.Content, Evidence: b.Evidence, CreatedAt: s.now()}
	if err := s.Store.SaveObjectionDraft(c, draft); err != nil {
		fail(c, err)
		return
	}
	p := principal(c)
	err = s.updateApplication(c, ref, workflows.UpdateObjection, workflows.ObjectionRequest{
		Actor: actorOf(p), ObjectionID: draft.ID, ReceivedOn: received, Via: via})
	if err != nil {
		// Refused (e.g. outside the notice): nothing stays behind.
		s.Store.DeleteObjectionDraft(c, draft.ID)
		fail(c, err)
		return
	}
	receipt, _, err := s.Store.GetObjectionReceipt(c, draft.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, receipt)
}

func (s *Server) publicObjection(c *gin.Context) { s.fileObjection(c, false) }
func (s *Server) mailedObjection(c *gin.Context) { s.fileObjection(c, true) }

type rulingBody struct {
	Upheld *bool  `json:"upheld"`
	Reason string `json:"reason"`
}

// objectionRuling is the city's ruling on one objection (第十三条).
func (s *Server) objectionRuling(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b rulingBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	if b.Upheld == nil {
		fields = append(fields, FieldError{Field: "upheld", Message: "必填：异议是否成立"})
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Reason)); n == 0 || n > 5000 {
		fields = append(fields, FieldError{Field: "reason", Message: "必填：裁定理由，不超过5000字"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("裁定有误", fields...))
		return
	}
	_, appID, err := s.Store.GetObjectionReceipt(c, c.Param("oid"))
	if err != nil || appID != ref.ID {
		fail(c, errNotFound("该申请没有这项异议"))
		return
	}
	s.decide(c, ref, workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: actorOf(principal(c)),
		ObjectionID: c.Param("oid"), Upheld: *b.Upheld, Reason: strings.TrimSpace(b.Reason)})
}

// publicNotices lists the applications in 公示, with how to object.
func (s *Server) publicNotices(c *gin.Context) {
	items, err := s.Store.PublicNotices(c)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]publicNoticeView, len(items))
	for i, n := range items {
		out[i] = publicNoticeView{PublicNotice: n,
			HowToObject: "公示期内，任何单位或个人可实名提出书面异议并附证据：POST /api/v1/public/applications/" + n.ApplicationID + "/objections",
			ObjectURL:   "/api/v1/public/applications/" + n.ApplicationID + "/objections"}
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": nil})
}

type publicNoticeView struct {
	store.PublicNotice
	HowToObject string `json:"how_to_object"`
	ObjectURL   string `json:"object_url"`
}
