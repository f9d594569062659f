package api

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/store"
)

// importers may bring a library kept before the system over (API.md).
var importers = []auth.Role{auth.Admin, auth.CityOfficer}

// sheetRoutes are the Excel exports and the import of brands admitted
// before the system (issue 14).
func (s *Server) sheetRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands.xlsx", Roles: brandReaders, Query: []string{"status", "county", "category", "name"},
		Summary:  "The brand list as an Excel workbook: the filters and access of GET /api/v1/brands, every page; audited (RULES §6)",
		Produces: spreadsheet.ContentType}, s.exportBrands)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/applications.xlsx", Roles: officers, Query: []string{"stage", "county", "round"},
		Summary:  "The application list with stages and deadlines as an Excel workbook: the filters and access of GET /api/v1/applications; audited",
		Produces: spreadsheet.ContentType}, s.exportApplications)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/tasks.xlsx", Roles: workers, Query: []string{"overdue", "kind", "county", "stage"},
		Summary:  "The caller's work queue as an Excel workbook: the filters of GET /api/v1/tasks, the whole queue; audited",
		Produces: spreadsheet.ContentType}, s.exportTasks)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/import-template.xlsx", Roles: importers,
		Summary:  "The workbook to fill in for POST /api/v1/brands/import: headers with notes, drop-downs for type, category, county, status, level and reason",
		Produces: spreadsheet.ContentType}, s.importTemplate)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/brands/import", Roles: importers, Form: true, Upload: sheetUpload(), Query: []string{"dry_run"},
		Summary: "Import brands admitted before the system from the template's sheet (multipart file); dry_run=true only checks",
		Notes: "Every row is checked as a submission is (推荐表 rules, USCC check character, name key, ban list, one brand per holder, " +
			"no name or USCC twice in the sheet); errors come by row and column. Valid rows are imported, each starting its own brand process " +
			"at the standing the sheet gives; a brand's id derives from its USCC and name, so the same sheet twice imports nothing twice. " +
			"Rows are checked and started 16 at a time; the answer counts what was done and waits up to 60 s for the records. " +
			"One import runs at a time: another one meanwhile is a 409 with Retry-After (a dry run is not held).",
		Codes:  map[int][]string{http.StatusConflict: {"conflict"}},
		Result: importResult{Errors: []brandimport.Problem{}, Brands: []importedBrand{}}}, s.importBrands)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/brands/import/progress", Roles: importers, Query: []string{"sheet"},
		Summary: "How far an import of a sheet has come, while POST /api/v1/brands/import runs: rows checked, processes started, records written",
		Notes: "The sheet is named by the SHA-256 of the uploaded file, which a client knows before its POST answers: it polls this " +
			"alongside the POST (every second or so). The latest run of the sheet answers, dry run or import; done is true once the POST " +
			"has answered. Progress is kept in PostgreSQL, so any replica answers; a run not updated for a week is forgotten (404).",
		Codes: map[int][]string{http.StatusNotFound: {"not_found"}}, Result: store.ImportProgress{}}, s.importProgress)
}

// sheetUpload is the import's body: the filled-in template.
func sheetUpload() *openapi3.RequestBody {
	file := openapi3.NewStringSchema().WithFormat("binary")
	file.Description = "填好的导入模板（.xlsx）"
	form := openapi3.NewObjectSchema().WithProperty("file", file)
	form.Required = []string{"file"}
	return openapi3.NewRequestBody().WithRequired(true).WithFormDataSchema(form)
}
