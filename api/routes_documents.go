package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// pdfNotes is what OpenAPI says of every printed document.
const pdfNotes = "Answers application/pdf (A4, Chinese in an embedded font subset). 503 pdf_font_missing when the server's " +
	"CJK font (LB_PDF_FONT) is not installed."

// pdf is the media type of the printed documents; fontMissing their 503.
const pdf = "application/pdf"

var fontMissing = map[int][]string{http.StatusServiceUnavailable: {"pdf_font_missing"}}

// documentRoutes are the printed documents: the scheme's forms, filled from
// the records, for those who may read the record; the public notice, the
// admitted list and the announcements for anyone.
func (s *Server) documentRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}/form.pdf", Roles: readers,
		Summary: "附件1 推荐表 filled from the application's current form, with the 初审/复审 opinions recorded; signature, seal and dates left for ink",
		Notes:   pdfNotes, Produces: pdf, Codes: fontMissing}, s.applicationPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/changes/{cid}/form.pdf", Roles: brandReaders,
		Summary: "附件2 变更登记表 filled from a change request (old and new values) and its opinions", Notes: pdfNotes, Produces: pdf, Codes: fontMissing}, s.changePDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/removal-report.pdf", Roles: brandReaders,
		Summary: "附件3 移出情况表 filled from the brand's latest removal proposal (the county's report or the process's own) and the city's decision",
		Notes:   pdfNotes + " 404 when the brand was never proposed for removal.", Produces: pdf, Codes: fontMissing}, s.removalPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/notices.pdf", Public: true, Query: []string{"round"},
		Summary: "The 公示 notice (第十三条): the applications now in public notice, of one round or all, the period and how to object",
		Notes:   pdfNotes, Produces: pdf, Codes: fontMissing}, s.noticePDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/admitted-list.pdf", Public: true, Query: []string{"round"},
		Summary: "The 入库名单 (第十四条): the brands in the library (not removed), admitted through one round or all", Notes: pdfNotes, Produces: pdf, Codes: fontMissing}, s.admittedPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/announcements/{id}/announcement.pdf", Public: true,
		Summary: "One published suspension, renewal, restoration or removal decision (第十五条（五）) as a notice", Notes: pdfNotes, Produces: pdf, Codes: fontMissing}, s.announcementPDF)
}
