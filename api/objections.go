package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

type objectionBody struct {
	Name     string `json:"name" doc:"异议人姓名或单位名称（实名）"`
	Contact  string `json:"contact" doc:"联系方式"`
	Content  string `json:"content" doc:"异议内容"`
	Evidence string `json:"evidence" doc:"证据"`
	// A mailed objection, entered by the city: its postmark decides whether
	// it was filed within the notice; its receipt by the bureau (default
	// today) starts the ruling clock (第十三条, RULES §3).
	PostmarkedOn string `json:"postmarked_on,omitempty" format:"date" doc:"邮戳日期（邮寄的异议）：决定是否在公示期内提出"`
	ReceivedOn   string `json:"received_on,omitempty" format:"date" doc:"收到日期（邮寄的异议；缺省为当日）"`
}

// dates validates the body and returns the day the objection was filed
// (which decides timeliness) and the day it was received.
func (b *objectionBody) dates(mailed bool, today calendar.Date) (filed, received calendar.Date, fields []FieldError) {
	// Stored as counted: padding around the text would pass the count and
	// fill the city's view of the application. A long text keeps its
	// leading full-width indent (the usual paragraph's 　　).
	b.Name, b.Contact = strings.TrimSpace(b.Name), strings.TrimSpace(b.Contact)
	for _, v := range []*string{&b.Content, &b.Evidence} {
		*v = strings.TrimRightFunc(strings.TrimLeft(*v, " \t\r\n"), unicode.IsSpace)
	}
	req := func(field, v string, max int, label string) {
		if n := utf8.RuneCountInString(v); strings.TrimSpace(v) == "" || n > max {
			fields = append(fields, FieldError{Field: field, Message: label})
		}
	}
	// 第十三条: objections are made in writing, with evidence, under the objector's name.
	req("name", b.Name, 100, "必填：异议人姓名或单位名称（不向申报单位公开）")
	req("contact", b.Contact, 100, "必填：联系方式（不向申报单位公开）")
	req("content", b.Content, 5000, "必填：异议内容，不超过5000字")
	req("evidence", b.Evidence, 5000, "必填：书面证据材料说明，不超过5000字")
	filed, received = today, today
	if !mailed {
		for _, f := range [...]struct{ field, value string }{{"postmarked_on", b.PostmarkedOn}, {"received_on", b.ReceivedOn}} {
			if f.value != "" {
				fields = append(fields, FieldError{Field: f.field, Message: "网上提交的异议以提交当日为收到日期，不可填写日期"})
			}
		}
		return filed, received, fields
	}
	postmark, err := calendar.ParseDate(b.PostmarkedOn)
	switch {
	case err != nil:
		fields = append(fields, FieldError{Field: "postmarked_on", Message: "必填：邮戳日期 YYYY-MM-DD"})
	case postmark.After(today):
		fields = append(fields, FieldError{Field: "postmarked_on", Message: "邮戳日期不能晚于今天"})
	default:
		filed = postmark
	}
	if b.ReceivedOn != "" {
		day, err := calendar.ParseDate(b.ReceivedOn)
		switch {
		case err != nil:
			fields = append(fields, FieldError{Field: "received_on", Message: "收到日期须为 YYYY-MM-DD，不填则为今天"})
		case day.After(today) || day.Before(filed):
			fields = append(fields, FieldError{Field: "received_on", Message: "收到日期不能早于邮戳日期，也不能晚于今天"})
		default:
			received = day
		}
	}
	return filed, received, fields
}

// fileObjection takes an objection from the public (or, mailed, entered by
// the city). Its objector's identity stays in PostgreSQL; the process hears
// only of a day's first objection, so no number of objections costs it more
// than one Update a day (RULES §3).
func (s *Server) fileObjection(c *gin.Context, mailed bool) {
	id := c.Param("id")
	stage, start, end, err := s.Store.NoticeWindow(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	var b objectionBody
	if !bindJSON(c, &b) {
		return
	}
	filed, received, fields := b.dates(mailed, s.today())
	if len(fields) > 0 {
		fail(c, errInvalid("异议材料有误", fields...))
		return
	}
	draft := s.objectionDraft(c, id, mailed, b, filed, received)
	// A mailed objection its key names, already told to the process, is
	// answered as it stands, though the application may have left the notice
	// since; one stored and not yet told goes on as a new request (the
	// checks below, then the process told).
	var day store.ObjectionDay
	found := false
	if mailed {
		var ok bool
		if found, ok = s.keyNamesRecord(c, func() error { _, _, err := s.Store.GetObjectionReceipt(c, draft.ID); return err }); !ok {
			return
		}
		if found {
			if day, ok = s.fileDraft(c, draft); !ok {
				return
			}
			// Told already, unless its day's clock may have closed under
			// it (its telling failed): then it goes on to tell it again.
			if day.Accepted && !(day.Reopens() && workflows.TakesObjections(stage)) {
				answerFromRecord(c, true, func() { s.answerObjection(c, draft.ID, true) })
				return
			}
		}
	}
	if !workflows.TakesObjections(stage) {
		if mailed && stage == workflows.StageAdmitted && workflows.ObjectionTimely(start, end, filed) {
			refuseMailAfterAdmission(c, id, stage)
			return
		}
		fail(c, errConflict("申请不在公示期，不能提出异议", map[string]any{"stage": stage}))
		return
	}
	if !workflows.ObjectionTimely(start, end, filed) {
		fail(c, &Error{Status: http.StatusConflict, Code: "outside_notice_period",
			Message: "异议须在公示期内（" + start.String() + " 至 " + end.String() + "）提出",
			Details: map[string]any{"stage": stage, "notice_start": start.String(), "notice_end": end.String()}})
		return
	}
	if !found {
		var ok bool
		if day, ok = s.fileDraft(c, draft); !ok {
			return
		}
	}
	if received.String() != day.ReceivedOn { // filed again: the day it was received on
		received, _ = calendar.ParseDate(day.ReceivedOn)
	}
	// The process hears of a day's first objection, and of one that comes
	// when every other of its day is ruled: it may have closed that day's
	// clock, which this one opens again (RULES §3: admitted only once every
	// objection is ruled). Another Update ID, as Temporal answers an ID
	// used before in the run without applying it.
	if !day.Accepted || day.Reopens() {
		ref := store.ApplicationRef{ID: id, Stage: stage}
		updateID := workflows.ObjectionDayUpdateID(received)
		if day.Accepted {
			updateID += "/" + draft.ID
		}
		err := s.updateApplicationAs(c, ref, workflows.UpdateObjectionDay, updateID,
			workflows.ObjectionDayRequest{Actor: actorOf(principal(c)), ReceivedOn: received, FiledOn: filed})
		if err != nil {
			if refused(err) && !day.Existed {
				// Nothing this request stored stays behind; one filed before
				// may have been answered with its receipt, and stays.
				s.undoRefused(c, storedRecord{"objection", draft.ID, s.Store.DropObjection})
				c.Set(filingStored, false)
			}
			fail(c, err)
			return
		}
		if day.Accepted {
			// Told; left untold (this failing), the starter's sweep tells it
			// again under the same Update ID, which changes nothing.
			if err := s.Store.ObjectionTold(c, draft.ID); err != nil {
				s.Log.Warn("objection told, not recorded so", "objection", draft.ID, "err", err)
			}
		}
	}
	// A public filing found on record is the same filing, merged; an
	// officer's entry found by its key is answered as it was.
	s.answerObjection(c, draft.ID, mailed || !day.Existed)
}

// refuseMailAfterAdmission refuses a mailed objection postmarked within
// the notice that reached the bureau after the application was admitted
// (RULES §6, mail arriving after admission): the admission stands, and
// the letter is entered as a report on the brand, which names it — the
// brand an admission creates is named after its application.
func refuseMailAfterAdmission(c *gin.Context, id, stage string) {
	fail(c, &Error{Status: http.StatusConflict, Code: "admitted_already",
		Message: "该申请已于公示期满后入库，不能再作为异议受理；邮戳在公示期内的来信，请作为对该品牌的举报登记",
		Details: map[string]any{"stage": stage, "brand_id": workflows.BrandIDFor(id)}})
}

// objectionDraft is the objection a request files. Stored before its
// process hears of its day, an objection a 503 left behind is filed again
// by the retry: the same objection, not a second one to rule on
// (store.FileObjection keeps its day of receipt). An officer's entry is
// named by its Idempotency-Key; a public filing, which has no principal to
// scope a key by, by what it says on the day it is received (the public
// gate's filingKey).
func (s *Server) objectionDraft(c *gin.Context, appID string, mailed bool, b objectionBody, filed, received calendar.Date) store.ObjectionDraft {
	via := "public"
	if mailed {
		via = "mail"
	}
	var oid string
	switch filing := c.GetString(filingKey); {
	case mailed:
		oid = s.recordID(c, "O")
	case filing != "":
		oid = contentID("O", filing+"|"+received.String())
	default: // a public filing with merging off: each one its own
		oid = newID("O")
	}
	draft := store.ObjectionDraft{ID: oid, ApplicationID: appID, Via: via, ReceivedOn: received.String(),
		Name: b.Name, Contact: b.Contact, Content: b.Content, Evidence: b.Evidence,
		CreatedAt: s.now()}
	if mailed {
		draft.PostmarkedOn, draft.ReceivedOnStated = filed.String(), b.ReceivedOn != ""
	}
	return draft
}

// fileDraft stores the objection, or finds it stored with the same content;
// ok is false when the request was answered (other content under its key,
// or a failure).
func (s *Server) fileDraft(c *gin.Context, draft store.ObjectionDraft) (store.ObjectionDay, bool) {
	day, err := s.Store.FileObjection(c, draft)
	if errors.Is(err, store.ErrObjectionRefiledOtherwise) {
		refuseOtherRecord(c)
		return day, false
	}
	if err != nil {
		fail(c, err)
		return day, false
	}
	if !day.Existed {
		c.Set(filingStored, true) // counted against the application, whatever is answered now
	}
	return day, true
}

// answerObjection answers with the objection's receipt: 201, or 200 when
// it was on record before (answerFiling).
func (s *Server) answerObjection(c *gin.Context, id string, stored bool) {
	receipt, _, err := s.Store.GetObjectionReceipt(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	answerFiling(c, stored, receipt)
}

func (s *Server) publicObjection(c *gin.Context) { s.fileObjection(c, false) }
func (s *Server) mailedObjection(c *gin.Context) { s.fileObjection(c, true) }

type rulingBody struct {
	Upheld *bool  `json:"upheld" doc:"异议是否成立"`
	Reason string `json:"reason" doc:"裁定理由"`
}

// objectionRuling is the city's ruling on one objection (第十三条). The
// ruling is recorded at once; the process is told only when it acts on it:
// an upheld objection rejects the application, and the last open objection
// of a day closes that day's ruling clock.
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
	oid := c.Param("oid")
	_, appID, err := s.Store.GetObjectionReceipt(c, oid)
	if !found(c, err, err == nil && appID == ref.ID, "该申请没有这项异议") {
		return
	}
	p := principal(c)
	byDay, err := s.Store.ObjectionByDay(c, oid)
	if err != nil {
		fail(c, err)
		return
	}
	if !byDay { // told to the process one by one, before days of receipt
		s.decide(c, ref, workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: actorOf(p),
			ObjectionID: oid, Upheld: *b.Upheld, Reason: strings.TrimSpace(b.Reason)})
		return
	}
	var telling *rulingTelling // what the process is told, stored with the ruling
	_, err = s.Store.RecordRuling(c, store.ObjectionRuling{ApplicationID: ref.ID, ObjectionID: oid, Upheld: *b.Upheld,
		Reason: strings.TrimSpace(b.Reason), At: s.now(), Actor: p.Sub, Role: string(p.Role),
		Tell: func(out store.RulingOutcome) (*store.UntoldUpdate, error) {
			telling = tellingOf(p, oid, *b.Upheld, out)
			return telling.untold(ref.ID)
		}})
	var refusedRuling *store.RulingRefused
	if errors.As(err, &refusedRuling) {
		fail(c, &Error{Status: http.StatusConflict, Code: refusedRuling.Code, Message: refusedRuling.Message,
			Details: map[string]any{"stage": refusedRuling.Stage}})
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if telling != nil {
		err := s.updateApplicationAs(c, ref, workflows.UpdateObjectionsRuled, telling.updateID, telling.request)
		if err != nil && !refused(err) {
			// The ruling is on record, and its telling: the starter's sweep
			// makes it. Said so when the process was out of reach, or the
			// officer takes the ruling for lost.
			s.Log.Warn("a ruling on record not yet told to its process; the sweep tells it", "application", ref.ID, "objection", oid, "error", err)
			if toAPIError(err).Status == http.StatusServiceUnavailable {
				err = errUnavailable("裁定已记录；办理流程暂未收到，系统将在几分钟内自动通知，无需重新裁定")
			}
			fail(c, err)
			return
		}
		s.toldAs(c, telling.updateID)
		if err != nil {
			fail(c, err)
			return
		}
	}
	s.respondApplication(c, http.StatusOK, ref.ID)
}

// rulingTelling is the Update a recorded ruling tells its process with.
type rulingTelling struct {
	updateID string
	request  workflows.ObjectionsRuledRequest
}

// tellingOf is what a ruling of objection oid means for its process, as
// recorded (out): an objection upheld rejects the application, and the
// last open objection of a day closes that day's clock; nil when the
// process has nothing to act on. An objection upheld before, whose
// telling failed, is told first — not a dismissal that could close the
// last open day and admit the application (第十三条).
func tellingOf(p auth.Principal, oid string, upheld bool, out store.RulingOutcome) *rulingTelling {
	ruled, received := oid, out.ReceivedOn
	if out.Upheld != "" && !upheld {
		ruled, received, upheld = out.Upheld, out.UpheldReceived, true
	}
	if !upheld && out.OpenThatDay > 0 {
		return nil
	}
	return &rulingTelling{updateID: "objection-ruled-" + ruled,
		request: workflows.ObjectionsRuledRequest{Actor: actorOf(p), ReceivedOn: received, ObjectionID: ruled, Upheld: upheld}}
}

// untold is t stored to be told to application appID's process.
func (t *rulingTelling) untold(appID string) (*store.UntoldUpdate, error) {
	if t == nil {
		return nil, nil
	}
	args, err := json.Marshal(t.request)
	if err != nil {
		return nil, err
	}
	return &store.UntoldUpdate{UpdateID: t.updateID, WorkflowID: workflows.ApplicationWorkflowID(appID),
		UpdateName: workflows.UpdateObjectionsRuled, Args: args}, nil
}

// publicNotices lists the applications in 公示, with how to object.
func (s *Server) publicNotices(c *gin.Context) {
	items, err := s.Store.PublicNotices(c)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]publicNoticeView, len(items))
	today := s.today().String()
	for i, n := range items {
		when := "公示期内"
		if n.NoticeStart > today { // approved on a day off: its notice begins on the next working day
			when = "公示自 " + n.NoticeStart + " 起（此前提出的不予受理），公示期内"
		}
		out[i] = publicNoticeView{PublicNotice: n,
			HowToObject: when + "，任何单位或个人均可提出异议，并提供详实的书面举证材料（写明异议人和联系方式）：POST /api/v1/public/applications/" + n.ApplicationID + "/objections",
			ObjectURL:   "/api/v1/public/applications/" + n.ApplicationID + "/objections"}
	}
	c.JSON(http.StatusOK, publicNoticeList{Items: out})
}

// publicNoticeList is every application in 公示: one page, next always null.
type publicNoticeList struct {
	Items []publicNoticeView `json:"items" doc:"本页的记录"`
	Next  *string            `json:"next" doc:"下一页的游标；已是最后一页时为 null"`
}

type publicNoticeView struct {
	store.PublicNotice
	HowToObject string `json:"how_to_object" doc:"如何提出异议（第十三条）"`
	ObjectURL   string `json:"object_url" doc:"提出异议的接口路径"`
}
