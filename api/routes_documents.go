package api

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// pdfNotes is what OpenAPI says of every printed document.
const pdfNotes = "Answers application/pdf (A4, Chinese in an embedded font subset). 503 pdf_font_missing when the server's " +
	"CJK font (LB_PDF_FONT) is not installed."

// pdf is the media type of the printed documents; fontMissing their 503.
const pdf = "application/pdf"

var fontMissing = map[int][]string{http.StatusServiceUnavailable: {"pdf_font_missing"}}

// publicPrint are a public print's codes: each reads the records it prints
// (the whole library, for the 入库名单), so a client may ask for so many a
// minute (publicPrintLimit).
var publicPrint = map[int][]string{http.StatusServiceUnavailable: {"pdf_font_missing"}, http.StatusTooManyRequests: {"rate_limited"}}

// signedUpload is the body of a signed scan's upload: the file and the facts
// on it.
func signedUpload() *openapi3.RequestBody {
	str := func(d string) *openapi3.Schema { s := openapi3.NewStringSchema(); s.Description = d; return s }
	file := openapi3.NewStringSchema().WithFormat("binary")
	file.Description = "签字、盖章后的扫描件：PDF、JPEG 或 PNG（按内容判断），不超过 20 MB"
	date := str("签字日期，YYYY-MM-DD：不晚于今天，不早于该表的记录形成之日（附件1：2025-08-01；附件2：变更申请之日；附件3：报送移出之日）")
	date.Format = "date"
	seal := openapi3.NewStringSchema().WithEnum("true", "false")
	seal.Description = "是否已盖章"
	form := openapi3.NewObjectSchema().WithProperty("file", file).WithProperty("signer", str("签字人姓名，不超过 50 个字")).
		WithProperty("signed_on", date).WithProperty("seal_present", seal)
	form.Required = []string{"file", "signer", "signed_on", "seal_present"}
	return openapi3.NewRequestBody().WithRequired(true).WithFormDataSchema(form)
}

// signedNotes is what OpenAPI says of the signed scans.
const signedNotes = "Keeps the scan of the printed form signed, sealed and dated in ink, with who signed, the date and whether the seal " +
	"is on it as the uploader states them; the record's view lists it under signed_forms and its history has a signed_form.received line. " +
	"201 with the signed form; 422 naming each wrong field; 409 file_quota_reached when the holder has uploaded 100 scans (1 GB) to the record already (officers' scans are not counted)."

// quotaReached is the code of a file past its record's quota (RULES §3).
var quotaReached = map[int][]string{http.StatusConflict: {"file_quota_reached"}}

// documentRoutes are the printed documents: the scheme's forms, filled from
// the records, for those who may read the record; the public notice, the
// admitted list and the announcements for anyone.
func (s *Server) documentRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}/form.pdf", Roles: readers,
		Summary: "附件1 推荐表 filled from the application's current form, with the 初审/复审 opinions recorded; signature, seal and dates left for ink",
		Notes:   pdfNotes, Produces: pdf, Codes: fontMissing}, s.applicationPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/changes/{cid}/form.pdf", Roles: brandReaders,
		Summary: "附件2 登记变更表 filled from a change request (old and new values) and its opinions", Notes: pdfNotes, Produces: pdf, Codes: fontMissing}, s.changePDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/removal-report.pdf", Roles: brandReaders,
		Summary: "附件3 移出情况表 filled from the brand's latest removal proposal (the county's report or the process's own) and the city's decision",
		Notes:   pdfNotes + " 404 when the brand was never proposed for removal.", Produces: pdf, Codes: fontMissing}, s.removalPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/notices.pdf", Public: true, Query: []string{"round"},
		Summary: "The 公示 notice (第十三条): the applications now in public notice, of one round or all, the period and how to object",
		Notes:   pdfNotes, Produces: pdf, Codes: publicPrint}, s.publicPrintLimit(), s.noticePDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/admitted-list.pdf", Public: true, Query: []string{"round"},
		Summary: "The 入库名单 (第十四条): the brands in the library (not removed), admitted through one round or all", Notes: pdfNotes, Produces: pdf, Codes: publicPrint}, s.publicPrintLimit(), s.admittedPDF)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/announcements/{id}/announcement.pdf", Public: true,
		Summary: "One published suspension, renewal, restoration or removal decision (第十五条（五）) as a notice", Notes: pdfNotes, Produces: pdf, Codes: publicPrint}, s.publicPrintLimit(), s.announcementPDF)

	signers := []auth.Role{auth.Applicant, auth.CountyOfficer, auth.CityOfficer}
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/signed-forms", Roles: signers, Form: true, Upload: signedUpload(),
		Summary: "Upload the signed and sealed 附件1 (承诺人 block) of an application, with the signer, the date and whether it is sealed",
		Status:  http.StatusCreated, Result: store.SignedForm{}, Notes: signedNotes, Codes: quotaReached}, s.uploadApplicationSignedForm)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}/signed-forms/{sid}", Roles: readers,
		Summary: "Download a signed scan of an application's 附件1 (answered with the file's own media type)", Produces: "*/*"}, s.getSignedForm("application"))
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/changes/{cid}/signed-forms", Roles: signers, Form: true, Upload: signedUpload(),
		Summary: "Upload the signed and sealed 附件2 of a change request (申请人签字盖章), with the signer, the date and whether it is sealed",
		Status:  http.StatusCreated, Result: store.SignedForm{}, Notes: signedNotes, Codes: quotaReached}, s.uploadChangeSignedForm)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/removal-report/signed-forms", Roles: findingOffices, Form: true,
		Upload: signedUpload(), Summary: "Upload the signed and sealed 附件3 of a removal report, with the signer, the date and whether it is sealed",
		Status: http.StatusCreated, Result: store.SignedForm{}, Notes: signedNotes + " 404 when the brand was never proposed for removal.", Codes: quotaReached},
		s.uploadRemovalSignedForm)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}/signed-forms/{sid}", Roles: brandReaders,
		Summary: "Download a signed scan of a brand's 附件2 or 附件3 (answered with the file's own media type)", Produces: "*/*"}, s.getSignedForm("brand"))
}
