package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/charts"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/stats"
	"github.com/kunming-hrss/laborbrand/store"
)

// statisticsReaders are who read the figures: the city, supervisors and
// admins the whole city's, a county officer its county's or a zone's it looks after.
var statisticsReaders = []auth.Role{auth.CityOfficer, auth.Supervisor, auth.Admin, auth.CountyOfficer}

// statisticsFilter reads ?county= and ?year= (a county officer: its own
// county, or a functional zone it looks after, RULES §1); it answers
// 403/422 itself and returns false.
func (s *Server) statisticsFilter(c *gin.Context, yearRequired bool) (store.StatisticsFilter, bool) {
	f := store.StatisticsFilter{County: c.Query("county"), Now: s.now()}
	if p := principal(c); p.Role == auth.CountyOfficer {
		county, ok := s.officerCounty(c, f.County, "统计")
		if !ok {
			return f, false
		}
		f.County = county
	}
	var fields fieldCheck
	s.county(c, &fields, f.County)
	thisYear := s.now().In(calendar.Shanghai).Year()
	if y := strings.TrimSpace(c.Query("year")); y != "" || yearRequired {
		if y == "" {
			f.Year = thisYear
		} else if n, err := strconv.Atoi(y); err != nil || n < 2000 || n > thisYear {
			fields.add("year", "须为 2000 至 "+strconv.Itoa(thisYear)+" 之间的年份")
		} else {
			f.Year = n
		}
	}
	return f, !fields.failed(c, "查询参数有误")
}

// figures reads the figures the request's filter asks for; false when it
// has answered already (a refused filter, a failed read).
func (s *Server) figures(c *gin.Context, yearRequired bool) (store.StatisticsFilter, store.Statistics, bool) {
	f, ok := s.statisticsFilter(c, yearRequired)
	if !ok {
		return f, store.Statistics{}, false
	}
	st, err := s.figuresCache.get(c, f, s.Config.StatisticsFor, time.Now(), s.Store.Statistics)
	if err != nil {
		fail(c, err)
		return f, st, false
	}
	return f, st, true
}

// getStatistics answers the library's figures.
func (s *Server) getStatistics(c *gin.Context) {
	if _, st, ok := s.figures(c, false); ok {
		c.JSON(http.StatusOK, st)
	}
}

// statisticsChart answers one chart of the figures as SVG.
func (s *Server) statisticsChart(c *gin.Context) {
	name, isSVG := strings.CutSuffix(c.Param("chart"), ".svg")
	if _, known := stats.Chart(store.Statistics{}, name); !isSVG || !known {
		fail(c, errNotFound("没有这个图表（可用："+strings.Join(stats.Names, "、")+"，加 .svg）"))
		return
	}
	_, st, ok := s.figures(c, false)
	if !ok {
		return
	}
	chart, _ := stats.Chart(st, name)
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "image/svg+xml; charset=utf-8", charts.SVG(chart))
}

// yearlyReport answers the city bureau's report of a year as PDF.
func (s *Server) yearlyReport(c *gin.Context) {
	f, st, ok := s.figures(c, true)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	report := stats.YearlyReport(st, s.now())
	pdf, err := s.prints.draw(c, func() ([]byte, error) { return fonts.ReportPDF(report) })
	sendPDF(c, "劳务品牌项目库"+strconv.Itoa(f.Year)+"年度统计报告.pdf", pdf, err, false)
}
