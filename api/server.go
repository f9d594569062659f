// Package api is laborbrand's HTTP API (API.md): it authenticates callers,
// validates requests, applies decisions to the running workflows through the
// Temporal client and reads records from the store.
package api

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/singleflight"

	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Config holds the API's settings (LB_* variables, see README).
type Config struct {
	// MaxBodyBytes limits a JSON request body (413 beyond).
	MaxBodyBytes int64
	// SpoolBytes bounds the bytes request bodies hold in temporary files at
	// once (spoolBudget); 0: DefaultSpoolBytes.
	SpoolBytes int64
	// TemporalTimeout bounds every call into Temporal; an Update that no
	// worker answers within it is a 503, never a hung request.
	TemporalTimeout time.Duration
	// TokenMaxTTL is the longest a bearer token may be valid (exp − iat);
	// 0: auth.DefaultMaxTTL.
	TokenMaxTTL time.Duration
	// RevocationsFor is how long the revoked token subjects read from the
	// database are used before they are read again (tokenRevocations); 0:
	// DefaultRevocationsFor.
	RevocationsFor time.Duration
	// PublicBaseURL is how links in messages and feeds address this API.
	PublicBaseURL string
	// MetricsToken, when set, is the bearer token /metrics asks of its
	// scraper (metrics.Guarded).
	MetricsToken string
	// TaskQueue is where new workflows are started.
	TaskQueue string
	// Admission is the period policy new applications start with (RULES §3).
	Admission workflows.AdmissionPolicy
	// Brand is the policy an admitted brand's process starts with (RULES §4).
	Brand workflows.BrandPolicy
	// Public bounds the public POSTs: objections and reports (RULES §3).
	Public PublicLimits
	// PDFFont and PDFLatinFont are the font files of the printed documents
	// (LB_PDF_FONT, LB_PDF_LATIN_FONT); empty: internal/paper's defaults.
	PDFFont, PDFLatinFont string
	// StatisticsFor is how long the figures of a (year, county) are served
	// as computed (figuresCache) before they are computed again; 0: every
	// request computes them.
	StatisticsFor time.Duration
}

// DefaultConfig is the configuration when no LB_* variable is set.
var DefaultConfig = Config{MaxBodyBytes: 1 << 20, TemporalTimeout: 10 * time.Second, PublicBaseURL: "http://127.0.0.1:8080", TaskQueue: workflows.TaskQueue,
	Admission:     workflows.DefaultAdmissionPolicy,
	Brand:         workflows.DefaultBrandPolicy,
	Public:        DefaultPublicLimits,
	StatisticsFor: time.Minute}

// Server is the HTTP API with its dependencies.
type Server struct {
	Temporal client.Client
	Store    *store.Store
	Clock    clock.Clock
	Secret   []byte
	Log      *slog.Logger
	Config   Config
	Registry *prometheus.Registry // where HTTP metrics are registered; /metrics serves it
	// Calendars serves the business calendar in force (embedded + loaded years).
	Calendars *store.Calendars
	// Writes makes the writes a decision leaves to its caller
	// (worker.DecisionWriter), before the API answers: the decision is on
	// record when the officer is told. Required where decisions are taken.
	Writes DecisionWriter

	// Pages, when set, are the HTML pages served beside the API at / (the
	// console, api/console): mounted on the same engine, so a page can send
	// its requests through the API in-process; they are not in /openapi.json.
	Pages Pages

	spec   *openAPI
	public *publicGate
	// sheetReading admits one uploaded sheet at a time to be read: a
	// workbook unzips to as much as 64 MB and its rows to more (import's
	// dry runs take no lock of the library, and still read).
	sheetReading chan struct{}
	// stopping is set by Drain: /readyz answers 503 from then on.
	stopping atomic.Bool
	// notReady is whether /readyz last found a dependency down.
	notReady atomic.Bool
	// spool is the room on disk large bodies wait in.
	spool *spoolBudget
	// paper prints the documents; nil with paperErr when its fonts are
	// missing, which the PDF endpoints then report.
	paper    *paper.Fonts
	paperErr error
	// figuresCache keeps the statistics for Config.StatisticsFor.
	figuresCache figuresCache
	// prints keeps the public PDFs by what they print.
	prints pdfPrinter
	// revocations keeps the revoked token subjects.
	revocations tokenRevocations
	// auditVerifying runs one verification of the audit trail at a time.
	auditVerifying singleflight.Group
}

// DecisionWriter makes a decision's writes (workflows.DecisionResult.Writes).
type DecisionWriter interface {
	Write(ctx context.Context, ws []records.Write) error
}

// Pages is a set of HTML pages mounted beside the JSON API.
type Pages interface {
	// Mount registers the pages' routes on the API's engine (which is the
	// http.Handler they call the API through); spool takes, for a form the
	// pages read themselves, its room on disk from the API's budget.
	Mount(r *gin.Engine, spool SpoolRoom)
	// NotFound answers a path that is neither the API's nor a page's.
	NotFound(c *gin.Context)
	// MethodNotAllowed answers a page's address asked with a method it
	// does not take.
	MethodNotAllowed(c *gin.Context)
	// Refuse answers a request to a page that the API's own checks refused
	// before any route — an address that is not text, a body too large, a
	// panic — with the pages' error page of status, heading and message.
	Refuse(c *gin.Context, status int, heading, message string)
}

// pageAnswer is how a page's request the API refused before any route is
// answered to a person.
type pageAnswer struct {
	status           int
	heading, message string
}

// refuse answers a request the API's own checks refused before any route:
// on a page's path with the pages' error page, else with the API's err.
func (s *Server) refuse(c *gin.Context, err error, page pageAnswer) {
	if s.Pages != nil && !isAPIPath(c.Request.URL.Path) {
		s.Pages.Refuse(c, page.status, page.heading, page.message)
		return
	}
	fail(c, err)
}

// starter starts application processes on the configured task queue.
func (s *Server) starter() *starter.Starter {
	return &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.Config.TaskQueue, Log: s.Log}
}

// Handler builds the router with every route of API.md.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Config.TaskQueue == "" {
		s.Config = DefaultConfig
	}
	if s.Calendars == nil {
		s.Calendars = &store.Calendars{Store: s.Store}
	}
	if s.Registry == nil {
		s.Registry = prometheus.NewRegistry()
	}
	r := gin.New()
	// X-Forwarded-For names the client only when a trusted proxy sent it.
	if err := r.SetTrustedProxies(s.Config.Public.TrustedProxies); err != nil {
		panic(fmt.Sprintf("LB_TRUSTED_PROXIES: %v", err)) // config.Parse checked them
	}
	s.public = newPublicGate(s.Config.Public)
	s.spool = newSpoolBudget(cmp.Or(s.Config.SpoolBytes, DefaultSpoolBytes), s.Registry)
	s.sheetReading = make(chan struct{}, 1)
	// A file beyond 1 MiB of a multipart form waits on disk, not in memory
	// (gin's default keeps 32 MiB of each form in memory).
	r.MaxMultipartMemory = 1 << 20
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(s.securityHeaders(), s.recoverJSON(), s.requestLog(), s.httpMetrics(), s.limitBody(), s.cleanRequest())
	r.NoRoute(func(c *gin.Context) {
		if s.Pages != nil && !isAPIPath(c.Request.URL.Path) {
			s.Pages.NotFound(c)
			return
		}
		fail(c, errNotFound("没有这个接口"))
	})
	r.NoMethod(func(c *gin.Context) {
		if s.Pages != nil && !isAPIPath(c.Request.URL.Path) {
			s.Pages.MethodNotAllowed(c)
			return
		}
		fail(c, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "该接口不支持此请求方法"})
	})

	s.paper, s.paperErr = paper.LoadFonts(s.Config.PDFFont, s.Config.PDFLatinFont)
	if s.paperErr != nil {
		s.Log.Error("the printed documents (PDF) are unavailable until their fonts are installed", "error", s.paperErr)
	}
	s.spec = newOpenAPI(s.Config.PublicBaseURL)
	s.routes(r)
	if s.Pages != nil {
		s.Pages.Mount(r, s.takeSpoolRoom)
	}
	return r
}

// isAPIPath reports whether path belongs to the JSON API (its answers are
// JSON, a page's are HTML).
func isAPIPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/openapi.json" || path == "/metrics" || path == "/healthz" || path == "/readyz"
}

// temporalCtx bounds a call into Temporal by the configured timeout.
func (s *Server) temporalCtx(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), s.Config.TemporalTimeout)
}

// now is the business time of this request.
func (s *Server) now() time.Time { return s.Clock.Now() }

// principal is the authenticated caller (set by the auth middleware).
func principal(c *gin.Context) auth.Principal {
	p, _ := c.Get(principalKey)
	if pr, ok := p.(auth.Principal); ok {
		return pr
	}
	return auth.Principal{Sub: "public", Role: auth.Public}
}
