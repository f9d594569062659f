package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/metrics"
)

// maxUploadBytes limits one attachment (a video may be large).
const maxUploadBytes = 200 << 20

// routes registers every endpoint; each is documented in /openapi.json by
// the same call.
func (s *Server) routes(r *gin.Engine) {
	s.handle(r, op{Method: http.MethodGet, Path: "/healthz", Public: true, Summary: "Liveness", Result: healthView{}}, s.healthz)
	s.handle(r, op{Method: http.MethodGet, Path: "/readyz", Public: true, Summary: "Readiness: Temporal and PostgreSQL reachable", Result: readyView{},
		Query: []string{"temporal"}, AlsoStatus: http.StatusServiceUnavailable,
		Notes: "Not ready: 503 with the same body. With ?temporal=optional, Temporal is checked and reported but does not make the replica unready: " +
			"the probe a load balancer uses, so that submissions are still taken (and started once Temporal is back) while Temporal is down."}, s.readyz)
	s.handle(r, op{Method: http.MethodGet, Path: "/openapi.json", Public: true, Summary: "This document", Produces: "application/json"}, s.serveOpenAPI)
	s.docsRoutes(r)
	s.handle(r, op{Method: http.MethodGet, Path: "/metrics", Public: true, Summary: "Prometheus metrics (HTTP and Temporal SDK)", Produces: "text/plain", ID: "getMetrics",
		Notes: "With LB_METRICS_TOKEN set, answered only to Authorization: Bearer <token>; others get a 401."},
		gin.WrapH(metrics.Guarded(s.Config.MetricsToken, promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{}))))
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/clock", Public: true,
		Summary: "The business clock (API.md § Time scale)", Result: clockView{}}, s.getClock)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/calendar/add-workdays", Query: []string{"from", "n", "county"},
		Summary: "N working days after a date (民法典第二百零一条)", Result: addWorkdaysView{}}, s.addWorkdays)
	s.handle(r, op{Method: http.MethodPut, Path: "/api/v1/calendar/years/{year}", Roles: []auth.Role{auth.Admin},
		Summary: "Load a year's official holiday schedule", Body: calendarYearRequest{}, Result: calendarYearView{}}, s.putCalendarYear)
	s.explainRoutes(r)
	s.calendarAdminRoutes(r)
	s.auditRoutes(r)
	s.changeRoutes(r)
	s.admissionRoutes(r)
	s.workRoutes(r)
	s.brandRoutes(r)
	s.documentRoutes(r)
	s.sheetRoutes(r)
	s.statisticsRoutes(r)
	s.reviewUnitRoutes(r)
	s.handle(r, op{Method: http.MethodPost, Path: "/api/v1/calendar/counties/{code}/off-days", Roles: []auth.Role{auth.Admin},
		Summary: "Add a county's local day off (RULES §5)", Body: countyOffDayBody{}, Result: countyOffDayView{}}, s.addCountyOffDay)
	s.handle(r, op{Method: http.MethodDelete, Path: "/api/v1/calendar/counties/{code}/off-days/{day}", Roles: []auth.Role{auth.Admin},
		Summary: "Take back a county's local day off entered by mistake (RULES §5): deadlines counted across it move back, but for a running one whose new last day is already over",
		Codes:   map[int][]string{http.StatusNotFound: {"not_found"}}, Result: countyOffDayRemoved{}}, s.removeCountyOffDay)
}

// healthView answers GET /healthz.
type healthView struct {
	Status string `json:"status" doc:"总为 live：进程在运行"`
}

// readyView answers GET /readyz.
type readyView struct {
	Ready  bool              `json:"ready" doc:"工作流服务与数据库都可用"`
	Checks map[string]string `json:"checks" doc:"postgresql、temporal 各自的检查结果：ok 或 unavailable（错误详情只写入日志）；进程正在停止时另有 shutdown: stopping"`
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, healthView{Status: "live"}) }

// Drain makes /readyz answer 503 while the server still serves: a stopping
// replica is taken out of its load balancer before it closes its listener,
// so no request is sent to a port that refuses it.
func (s *Server) Drain() { s.stopping.Store(true) }

// readyz answers 200 only when Temporal and PostgreSQL both answer and the
// server is not stopping. With ?temporal=optional Temporal is reported, not
// required: a Temporal outage takes every replica's check down at once, and
// a load balancer that then sent nobody anywhere would refuse the
// submissions the API stores and starts later (docs/RELIABILITY.md).
func (s *Server) readyz(c *gin.Context) {
	temporalRequired := c.Query("temporal") != "optional"
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	checks := map[string]string{}
	ready := true
	if s.stopping.Load() {
		checks["shutdown"], ready = "stopping", false
	}
	// Anyone may ask: a check that fails says so, and its error — which
	// names hosts, ports, the database and its user — goes to the log.
	var errs []any
	check := func(name string, err error, required bool) {
		if err != nil {
			checks[name], ready = "unavailable", ready && !required
			errs = append(errs, name, err.Error())
			return
		}
		checks[name] = "ok"
	}
	check("postgresql", s.Store.Ping(ctx), true)
	_, err := s.Temporal.CheckHealth(ctx, nil)
	check("temporal", err, temporalRequired)
	// Said once as it goes down (a probe asks every few seconds), and again
	// at debug level while it stays so.
	if wasDown := s.notReady.Swap(len(errs) > 0); len(errs) > 0 && !wasDown {
		s.Log.Warn("not ready", errs...)
	} else if len(errs) > 0 {
		s.Log.Debug("still not ready", errs...)
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	c.JSON(status, readyView{Ready: ready, Checks: checks})
}
