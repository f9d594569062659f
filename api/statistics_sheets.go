package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/stats"
)

// exportStatistics answers GET /api/v1/statistics.xlsx: the figures of GET
// /api/v1/statistics, with its filters, as a workbook of a sheet per table;
// audited as every export is.
func (s *Server) exportStatistics(c *gin.Context) {
	s.statisticsWorkbook(c, false, "statistics", "劳务品牌统计")
}

// yearlyReportSheet answers GET /api/v1/statistics/yearly-report.xlsx: the
// yearly report's figures (the year defaults to this year) as a workbook.
func (s *Server) yearlyReportSheet(c *gin.Context) {
	s.statisticsWorkbook(c, true, "yearly-report", "劳务品牌项目库年度统计报告")
}

func (s *Server) statisticsWorkbook(c *gin.Context, yearRequired bool, name, title string) {
	f, st, ok := s.figures(c, yearRequired)
	if !ok {
		return
	}
	w, err := stats.Workbook(st, s.now())
	if err != nil {
		fail(c, err)
		return
	}
	defer w.Close()
	year := ""
	if f.Year != 0 {
		year = strconv.Itoa(f.Year)
		title += "-" + year + "年"
	}
	s.sendWorkbook(c, w, name, title, map[string]string{"county": f.County, "year": year})
}
