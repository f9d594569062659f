package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/internal/stats"
	"github.com/kunming-hrss/laborbrand/store"
)

// statisticsNotes is what OpenAPI says of the figures' scope.
const statisticsNotes = "A county officer reads its own county's figures (?county= another: 403). ?county= narrows the others' to a " +
	"county; ?year= narrows the flows (applications, decisions, objections, deadlines, days per stage) to a year, while the brands " +
	"are counted as they stand now. An unknown county or a year outside 2000–this year: 422."

// statisticsRoutes are the library's figures, their charts and the yearly
// report.
func (s *Server) statisticsRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/statistics", Roles: statisticsReaders, Query: []string{"county", "year"},
		Summary: "The library's figures: brands by county × category × status, the 第十五条 ladder, applications by round and stage, " +
			"初审/复审 pass rates, objections and their outcomes, deadlines met and missed per office, days per stage (median, p90)",
		Result: store.Statistics{}, Notes: statisticsNotes}, s.getStatistics)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/statistics/charts/{chart}", Roles: statisticsReaders, Query: []string{"county", "year"},
		Summary: "One chart of the figures as SVG (image/svg+xml, no script): {chart} is " + strings.Join(stats.Names, ".svg, ") + ".svg",
		Notes:   statisticsNotes, Produces: "image/svg+xml"}, s.statisticsChart)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/statistics/yearly-report.pdf", Roles: statisticsReaders, Query: []string{"county", "year"},
		Summary: "The city bureau's yearly report (PDF): the headline figures, the brands by county and status, every chart; ?year= defaults to this year",
		Notes:   statisticsNotes + " " + pdfNotes, Produces: pdf, Codes: fontMissing}, s.yearlyReport)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/statistics.xlsx", Roles: statisticsReaders, Query: []string{"county", "year"},
		Summary: "The figures of GET /api/v1/statistics as an Excel workbook, a sheet per table (scope and period as dates, headline figures, " +
			"brands by county and status, by county × category × status, the ladder, applications, pass rates, objections, deadlines, days per stage); audited",
		Notes: statisticsNotes, Produces: spreadsheet.ContentType}, s.exportStatistics)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/statistics/yearly-report.xlsx", Roles: statisticsReaders, Query: []string{"county", "year"},
		Summary: "The city bureau's yearly report as an Excel workbook: the sheets of /api/v1/statistics.xlsx for a year (?year= defaults to this year); audited",
		Notes:   statisticsNotes, Produces: spreadsheet.ContentType}, s.yearlyReportSheet)
}
