package api

import (
	"errors"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Reports (举报, 第十五条): anyone may report a brand's violation with
// evidence; the brand's county triages it. The reporter's contact stays in
// PostgreSQL and is shown to officers only — never to the holder, and never
// to the brand's process.

type reportBody struct {
	BrandID  string `json:"brand_id" doc:"劳务品牌编号"`
	Content  string `json:"content" doc:"举报内容"`
	Evidence string `json:"evidence" doc:"证据或线索"`
	Contact  string `json:"contact" doc:"联系方式（不向品牌持有单位展示）"`
}

type reportReceipt struct {
	ID         string `json:"id" doc:"举报编号"`
	BrandID    string `json:"brand_id" doc:"劳务品牌编号"`
	ReceivedOn string `json:"received_on" format:"date" doc:"收到日期"`
}

// fileReport takes a report from the public and tells the brand's process,
// which keeps the reports waiting for triage as an open matter with its
// deadline (RULES §4). The report is on record before the process is told:
// if the signal does not get through, the process reads the reports again
// at its next run or triage, and the answer is still 201.
func (s *Server) fileReport(c *gin.Context) {
	var b reportBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	brandID := f.text("brand_id", b.BrandID, 100, "必填：被举报的劳务品牌编号")
	content := f.text("content", b.Content, 5000, "必填：举报内容，不超过5000字")
	evidence := f.text("evidence", b.Evidence, 5000, "必填：证据材料说明，不超过5000字")
	contact := f.text("contact", b.Contact, 100, "必填：举报人联系方式（不向品牌持有人公开），不超过100字")
	if f.failed(c, "举报材料有误") {
		return
	}
	// Named, with merging on, by what it says on the day it is received (the
	// public gate's filingKey, as an objection is): a report a 503 left
	// stored is the one the retry files, not a second one to triage.
	id := newID("RP")
	if k := c.GetString(filingKey); k != "" {
		id = contentID("RP", k+"|"+s.today().String())
	}
	r := store.NewReport{ID: id, BrandID: brandID, Content: content, Evidence: evidence, Contact: contact, ReceivedAt: s.now()}
	stored, err := s.Store.SaveReport(c, r)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fail(c, errInvalid("举报材料有误", FieldError{Field: "brand_id", Message: "没有这个劳务品牌"}))
		return
	case errors.Is(err, store.ErrBrandRemoved):
		fail(c, errConflict("该劳务品牌已移出项目库", map[string]any{"status": workflows.BrandStatusRemoved}))
		return
	case err != nil:
		fail(c, err)
		return
	}
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	if err := s.Temporal.SignalWorkflow(ctx, workflows.BrandWorkflowID(brandID), "", workflows.SignalReportsChanged,
		records.ReportFiled{ReportID: r.ID}); err != nil {
		s.Log.Warn("report stored, brand process not told", "report", r.ID, "brand", brandID, "error", err)
	}
	answerFiling(c, stored, reportReceipt{ID: r.ID, BrandID: brandID, ReceivedOn: s.today().String()})
}

type reportList struct {
	Items []store.Report `json:"items" doc:"本页的记录"`
	Next  *string        `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// listReports lists reports: a county officer its county's, the city and
// supervisors all.
func (s *Server) listReports(c *gin.Context) {
	p := principal(c)
	f := store.ReportFilter{Status: c.Query("status"), County: c.Query("county")}
	if p.Role == auth.CountyOfficer {
		var ok bool
		if f.County, ok = s.officerCounty(c, f.County, "举报"); !ok {
			return
		}
	}
	var fields fieldCheck
	if f.Status != "" && !slices.Contains(reportStatuses, f.Status) {
		fields.add("status", "须为 open、dismissed、finding、removal_report 或 closed")
	}
	s.county(c, &fields, f.County)
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.ListReports(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, reportList{Items: items, Next: nextCursor(next)})
}

type triageBody struct {
	Action  workflows.TriageAction `json:"action" doc:"dismiss 不予立案，finding 认定问题，removal_report 报请移出项目库（附件3，仅县级）"`
	Reason  string                 `json:"reason,omitempty" enum:"finding_reason" doc:"action 为 finding 时：问题代码"`
	Reasons []string               `json:"reasons,omitempty" enum:"removal_reason" doc:"action 为 removal_report 时：移出情形（附件3），可多项"`
	Note    string                 `json:"note" doc:"处理说明" maxLength:"5000"`
}

// triageReport is the triage of a report by its county or the city:
// dismiss it, open a finding from it, or — the county — report the brand
// for removal from it (第十五条（四）（六）). Answered with the updated brand
// view.
func (s *Server) triageReport(c *gin.Context) {
	r, ok := s.report(c)
	if !ok {
		return
	}
	p := principal(c)
	var b triageBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	note := f.text("note", b.Note, 5000, "必填：处理意见，不超过5000字")
	if len(b.Reasons) > 0 && b.Action != workflows.TriageRemovalReport {
		f.add("reasons", "仅在报请移出项目库（removal_report）时填写")
	}
	checkRemovalReasons(&f, b.Reasons)
	if f.failed(c, "举报处理有误") {
		return
	}
	if r.Status != "open" { // as the brand's process refuses it (already_triaged)
		fail(c, &Error{Status: http.StatusConflict, Code: "already_triaged", Message: "该举报已处理", Details: map[string]any{"status": r.Status}})
		return
	}
	ref, err := s.Store.GetBrandRef(c, r.BrandID)
	if err != nil {
		fail(c, err)
		return
	}
	req := workflows.ReportTriageRequest{Actor: actorOf(p), ReportID: r.ID, Action: b.Action, Note: note}
	switch b.Action {
	case workflows.TriageFinding:
		req.Reason, req.FindingID = b.Reason, s.recordID(c, "FD")
	case workflows.TriageRemovalReport:
		req.Reasons = b.Reasons
	}
	s.decideBrand(c, ref, workflows.UpdateReportTriage, req)
}
