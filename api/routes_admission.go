package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

var (
	city       = []auth.Role{auth.CityOfficer}
	countyOnly = []auth.Role{auth.CountyOfficer}
	readers    = []auth.Role{auth.Applicant, auth.CountyOfficer, auth.CityOfficer, auth.Expert, auth.Supervisor}
	officers   = []auth.Role{auth.CountyOfficer, auth.CityOfficer, auth.Supervisor}
	submitters = []auth.Role{auth.Applicant, auth.CityOfficer}
)

type receiptView = store.ObjectionReceipt

// publicNotes is what OpenAPI says of the public POSTs (RULES §3 volume).
const publicNotes = "Rate-limited per client and per target (LB_PUBLIC_CLIENT_LIMIT, LB_PUBLIC_TARGET_LIMIT): beyond, 429 with " +
	"Retry-After and nothing stored. The same content for the same target within LB_PUBLIC_DUPLICATE_WINDOW is merged: " +
	"200 with the first receipt, nothing stored again."

// formBounds is the 推荐表's bounds as OpenAPI states them (API.md
// Application form; internal/domain/form).
var formBounds = fmt.Sprintf("Bounds: every count (direct_employees … trainees_two_years) 0–%d; every amount (*_wan) 0–%s 万元 "+
	"with at most 2 decimals; registered_on from %s to today; honours and patents_standards at most %d entries of at most %d "+
	"characters; brand_name %d–%d characters; unit fields ≤ %d, contact_name ≤ %d, development_plan ≤ %d, typical_persons ≤ %d, "+
	"follow_up_service ≤ %d characters. Text: no control characters (newline and tab only in long text), no bidi overrides, not invisible only.",
	form.CountMax, strconv.FormatFloat(form.WanMax, 'f', -1, 64), form.EarliestRegistration, form.ListItemsMax, form.ListItemMax,
	form.BrandNameMin, form.BrandNameMax, form.UnitFieldMax, form.ContactNameMax, form.DevelopmentPlanMax, form.TypicalPersonsMax,
	form.FollowUpServiceMax)

// admissionRoutes are the endpoints of 第十条–第十四条.
func (s *Server) admissionRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/rounds", Roles: city, Summary: "Open a call for applications (申报批次, 第十条)",
		Body: roundBody{}, Status: http.StatusCreated, Result: store.Round{}}, s.createRound)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/rounds", Summary: "List rounds", Result: roundList{}}, s.listRounds)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/experts", Roles: city, Summary: "Add an expert to the pool (专家智库)",
		Body: newExpertBody{}, Status: http.StatusCreated, Result: store.Expert{}}, s.createExpert)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/experts", Roles: []auth.Role{auth.CityOfficer, auth.Supervisor},
		Summary: "List the expert pool", Result: expertList{}}, s.listExperts)
	s.handle(r, op{Method: http.MethodPatch, Path: "/api/v1/experts/{id}", Roles: city, Summary: "Change an expert",
		Body: expertBody{}, Result: store.Expert{}}, s.patchExpert)

	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications", Roles: submitters,
		Summary: "Submit a 推荐表 (附件1); a city officer may enter it on the holder's behalf (代录)",
		Body:    form.Application{}, Status: http.StatusCreated, Result: store.ApplicationView{}, Notes: formBounds}, s.submitApplication)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications", Roles: officers, Query: []string{"stage", "county", "round", "cursor", "limit"},
		Summary: "List applications (a county officer: its county's)", Notes: "An unknown stage or county is a 422 naming the parameter.", Result: applicationList{}}, s.listApplications)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/holder/applications", Roles: []auth.Role{auth.Applicant}, Query: []string{"stage", "cursor", "limit"},
		Summary: "The signed-in holder's own applications (its USCC), newest first", Notes: "An unknown stage is a 422 naming the parameter.",
		Result: applicationList{}}, s.listHolderApplications)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}", Roles: readers,
		Summary: "Read one application", Result: store.ApplicationView{}}, s.getApplication)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/attachments", Roles: submitters, Form: true,
		Summary: "Upload an attachment (multipart: file, kind)", Status: http.StatusCreated, Result: store.Attachment{},
		Notes: "An application keeps at most 50 files (1 GB): the next is a 409 file_quota_reached, nothing stored.", Codes: quotaReached}, s.uploadAttachment)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications/{id}/attachments/{aid}", Roles: readers,
		Summary: "Download an attachment (answered with the file's own media type)", Produces: "*/*"}, s.getAttachment)
	s.handle(r, op{Method: http.MethodDelete, Path: "/api/v1/applications/{id}/attachments/{aid}", Roles: submitters,
		Summary: "Take back a file uploaded by mistake, while the application's files may change (before 初审's decision, or returned)",
		Notes: "The holder; a city officer only on an application it entered on the holder's behalf. 200 with the file taken off; the application's history keeps its name, " +
			"id and the first 16 hex digits of its SHA-256 (attachment.removed), and the upload's Idempotency-Key is forgotten. 404 when the application has no such file; 409 once past the stages that take files.",
		Result: store.Attachment{}, Codes: map[int][]string{http.StatusConflict: {"conflict"}}}, s.removeAttachment)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/county-review", Roles: countyOnly,
		Summary: "初审 (第十一条): approve, reject or return", Codes: map[int][]string{409: {"form_changed"}}, Body: countyReviewBody{}, Result: store.ApplicationView{}}, s.countyReview)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/resubmit", Roles: submitters,
		Summary: "Resubmit a returned application", Codes: map[int][]string{409: {"name_taken", "revision_gone", "resubmission_lapsed"}}, Body: form.Application{}, Result: store.ApplicationView{}, Notes: formBounds}, s.resubmit)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/expert-draw", Roles: city,
		Summary: "Draw experts (第十二条)", Codes: map[int][]string{409: {"no_experts_available"}}, Body: expertDrawBody{}, Result: store.ApplicationView{}}, s.expertDraw)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/expert-opinions", Roles: []auth.Role{auth.Expert},
		Summary: "A drawn expert's opinion", Body: expertOpinionBody{}, Result: store.ApplicationView{}}, s.expertOpinion)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/site-visits", Roles: city,
		Summary: "Record a site visit (实地核查)", Body: siteVisitBody{}, Result: store.ApplicationView{}}, s.siteVisit)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/city-review", Roles: city,
		Summary: "复审 (第十二条): approve or reject", Codes: map[int][]string{409: {"expert_quorum", "form_changed"}}, Body: cityReviewBody{}, Result: store.ApplicationView{}}, s.cityReview)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/public/applications/{id}/objections", Public: true,
		Summary: "File an objection during the public notice (第十三条)", Codes: map[int][]string{409: {"outside_notice_period"}}, Body: objectionBody{}, Status: http.StatusCreated, Result: receiptView{},
		Notes: publicNotes, Merges: true, Filing: "objection"}, s.publicFiling("objection", objectionTarget), s.publicObjection)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/objections", Roles: city,
		Summary: "Enter a mailed objection with its postmark date", Codes: map[int][]string{409: {"outside_notice_period", "admitted_already"}}, Body: objectionBody{}, Status: http.StatusCreated, Result: receiptView{}}, s.mailedObjection)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/applications/{id}/objections/{oid}/ruling", Roles: city,
		Summary: "Rule on an objection", Codes: map[int][]string{409: {"objection_not_accepted", "already_ruled", "unknown_objection"}}, Body: rulingBody{}, Result: store.ApplicationView{}}, s.objectionRuling)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/notices", Public: true,
		Summary: "Applications in public notice (公示), with how to object", Result: publicNoticeList{}}, s.publicNotices)
}
