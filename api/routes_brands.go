package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

var (
	brandReaders   = []auth.Role{auth.Applicant, auth.CountyOfficer, auth.CityOfficer, auth.Supervisor}
	findingOffices = []auth.Role{auth.CountyOfficer, auth.CityOfficer}
	holderOnly     = []auth.Role{auth.Applicant}
)

// lapseCodes are a brand decision's 409 codes: codes, and lapse_pending —
// an officer's decision that reaches the process while it takes a lapse
// that ran out (workflows: lapse-before-decision).
func lapseCodes(codes ...string) map[int][]string {
	return map[int][]string{http.StatusConflict: append(codes, lapsePending)}
}

// brandRoutes are the endpoints of an admitted brand's life (第十五条):
// reading, the officers' decisions, the holder's requests, reports and the
// public announcements.
func (s *Server) brandRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands", Roles: brandReaders, Query: []string{"status", "county", "category", "name", "cursor", "limit"},
		Summary: "List brands (a county officer: its county's; a holder: its own)", Result: brandList{}}, s.listBrands)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/{id}", Roles: brandReaders,
		Summary: "Read one brand (a holder never sees anything tied to reports)", Result: store.BrandView{}}, s.getBrand)

	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/findings", Roles: findingOffices,
		Summary: "Record a finding (第十五条（一）–（三）); its level follows from the reason code", Codes: lapseCodes(), Body: findingBody{}, Result: store.BrandView{}}, s.finding)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/rectification/confirm", Roles: countyOnly,
		Summary: "Confirm rectification (第十五条（一）（二）): the brand's order, or with finding_id an order of its own running beside it; the brand is active again when none is left", Codes: lapseCodes(), Body: noteBody{}, Result: store.BrandView{}}, s.confirmRectification)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/interview", Roles: countyOnly,
		Summary: "Record the interview (约谈, 第十五条（二）); the 3-month window starts on held_on", Codes: lapseCodes(), Body: interviewBody{}, Result: store.BrandView{}}, s.interview)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/suspension-decision", Roles: city,
		Summary: "Decide a proposed suspension or its renewal (第十五条（三）)", Codes: lapseCodes("renewal_window_not_open", "suspension_ended"), Body: suspensionBody{ProvinceReport: &provinceReportBody{}}, Result: store.BrandView{}}, s.suspensionDecision)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/removal-report", Roles: countyOnly,
		Summary: "Report a brand for removal (附件3; reasons dissolved_or_inactive, serious_violation, fraud, no_longer_eligible)",
		Codes:   lapseCodes(), Body: removalReportBody{}, Result: store.BrandView{}}, s.removalReport)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/removal-decision", Roles: city,
		Summary: "Decide a proposed removal (第十五条（四）); removal bans the name and USCC for five years", Codes: lapseCodes(), Body: removalDecisionBody{}, Result: store.BrandView{}}, s.removalDecision)

	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/evaluations", Roles: holderOnly,
		Summary: "File the biennial status report (第十五条); 201 with the report (its id for the assessment) and the updated brand under \"brand\"",
		Codes:   map[int][]string{409: {"no_open_evaluation"}}, Body: evaluationBody{}, Status: http.StatusCreated, Result: evaluationCreated{}}, s.fileEvaluation)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/evaluations/{eid}/assessment", Roles: city,
		Summary: "Assess an evaluation report: pass, findings or removal_proposed", Codes: lapseCodes("no_report_to_assess"), Body: assessmentBody{}, Result: store.BrandView{}}, s.assessment)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/changes", Roles: holderOnly,
		Summary: "Request a change registration (附件2): {\"changes\": {form field: new value}, \"reason\"}; brand_name, unit_name, uscc, brand_type and category are major; 201 with the request and the updated brand under \"brand\"",
		Codes:   map[int][]string{409: {"too_many_open_changes"}},
		Body:    changeBody{}, Status: http.StatusCreated, Result: changeCreated{}}, s.requestChange)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/{id}/changes/{cid}/opinion", Roles: findingOffices,
		Summary: "Opinion on a change request: a county officer gives the county step, the city the city step", Codes: lapseCodes("no_such_change", "wrong_step"), Body: changeOpinionBody{}, Result: store.BrandView{}}, s.changeOpinion)

	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/public/reports", Public: true,
		Summary: "Report a brand (举报); the contact is never shown to the brand's holder", Body: reportBody{}, Status: http.StatusCreated, Result: reportReceipt{},
		Notes: publicNotes, Merges: true, Filing: "report"}, s.publicFiling("report", reportTarget), s.fileReport)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/reports", Roles: officers, Query: []string{"status", "county", "cursor", "limit"},
		Summary: "List reports (a county officer: its county's)", Result: reportList{}}, s.listReports)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/reports/{id}/triage", Roles: findingOffices,
		Summary: "Triage a report (its county, or the city): dismiss, open a finding (reason: a finding reason code), or — the county — report the brand for removal (removal_report, reasons: 附件3 codes); answers with the brand view", Codes: lapseCodes("already_triaged"), Body: triageBody{}, Result: store.BrandView{}}, s.triageReport)

	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/announcements", Public: true, Query: []string{"kind", "brand_id", "cursor", "limit"},
		Summary: "Published suspension, renewal, restoration and removal decisions, newest first", Result: announcementList{}}, s.listAnnouncements)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/announcements.atom", Public: true, Query: []string{"kind"},
		Summary: "The announcements as an Atom 1.0 feed (application/atom+xml), the 50 newest", Produces: "application/atom+xml"}, s.announcementsFeed)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/public/brands", Public: true, Query: []string{"status", "county", "category", "name", "cursor", "limit"},
		Summary: "The catalog of brands in the library (removed brands only with status=removed)", Result: catalogList{},
		Notes: "A search by name is limited per client (120 a minute; 429 with Retry-After beyond).",
		Codes: map[int][]string{http.StatusTooManyRequests: {"rate_limited"}}}, s.publicSearchLimit(), s.publicCatalog)
}
