// Package console is the web console for people (API.md "Web console"):
// server-rendered html/template pages, with their assets embedded in the
// binary, mounted on the API's own gin engine at /.
//
// The console is a client of the API, in-process: a page reads and decides
// by sending the JSON request the API documents through the same engine,
// as the signed-in person (callAPI), so authorisation, validation,
// idempotency and error answers are exactly the API's. What the console
// adds is what a browser needs: accounts and sessions (sessions.go,
// signin.go), CSRF tokens on every form (csrf.go), and the pages.
//
// How to add a page: see docs/ARCHITECTURE.md § "The web console".
package console

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/email"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Config holds the console's settings (LB_CONSOLE_*, LB_SESSION_*,
// LB_LOGIN_*; README).
type Config struct {
	// RequireTOTP makes officers, supervisors and admins enrol and use a
	// TOTP second factor (off only in `dev`).
	RequireTOTP bool
	// SecureCookies marks cookies Secure even when the request did not
	// arrive over TLS (behind a TLS-terminating proxy).
	SecureCookies bool
	// IdleTimeout ends a session not used for this long; MaxLifetime ends
	// any session this long after its sign-in.
	IdleTimeout, MaxLifetime time.Duration
	// LockAfter failed sign-ins in a row lock an account for LockFor.
	LockAfter int
	LockFor   time.Duration
	// LoginLimit bounds sign-in attempts per client address.
	LoginLimit api.Rate
	// RegisterLimit bounds holders' self-registrations per client address.
	RegisterLimit api.Rate
	// DevAccounts are listed on the login page: `dev --demo` only.
	DevAccounts []DevAccount
	// Clock is business time (overdue deadlines, today's date in forms).
	Clock clock.Clock
	// TemporalUI is the Temporal UI's address (LB_TEMPORAL_UI_URL): a
	// supervisor's page links each process there.
	TemporalUI string
	// TemporalNamespace is the namespace of the processes (LB_TEMPORAL_NAMESPACE).
	TemporalNamespace string
	// TOTPKey seals the TOTP secrets kept in the database (LB_TOTP_KEY);
	// empty, they are sealed with a key derived from the API's secret.
	TOTPKey []byte
	// Mail is the SMTP relay (LB_SMTP_*): with it, a holder registering
	// with an e-mail address confirms it by a mailed link before it signs
	// in (confirm.go); nil, no channel: accounts are active at once.
	Mail *email.Relay
	// PublicURL is the base of the links mailed (LB_PUBLIC_URL).
	PublicURL string
	// ConfirmFor is how long a mailed confirmation link is good;
	// ConfirmLimit, how often one may be mailed to a holder.
	ConfirmFor   time.Duration
	ConfirmLimit store.ConfirmationLimit
	// ObjectionRulingDays is the working days to rule on an objection the
	// processes count (LB_OBJECTION_RULING_DAYS): the forms that enter one
	// say so.
	ObjectionRulingDays int
}

// DevAccount is a demo account shown on the dev login page.
type DevAccount struct{ Username, Password, Role, Note string }

// DefaultConfig is the configuration when no setting is given.
var DefaultConfig = Config{RequireTOTP: true, IdleTimeout: 30 * time.Minute, MaxLifetime: 12 * time.Hour,
	LockAfter: 5, LockFor: 15 * time.Minute, LoginLimit: api.Rate{N: 30, Per: 10 * time.Minute},
	RegisterLimit: api.Rate{N: 10, Per: time.Hour},
	TemporalUI:    "http://127.0.0.1:8233", TemporalNamespace: "default", PublicURL: "http://127.0.0.1:8080",
	ConfirmFor: 24 * time.Hour, ConfirmLimit: store.ConfirmationLimit{Gap: time.Minute, PerDay: 5, PerAddressDay: 5},
	ObjectionRulingDays: workflows.DefaultAdmissionPolicy.ObjectionRulingDays}

// Console serves the pages. Mount it as api.Server.Pages.
type Console struct {
	Store *store.Store
	// Secret signs the short-lived bearer tokens of the console's own
	// calls into the API (the API's LB_JWT_SECRET).
	Secret []byte
	Log    *slog.Logger
	Config Config

	engine http.Handler
	// routes are the engine's, read when a page's address is asked with a
	// method it does not take (MethodNotAllowed).
	routes func() gin.RoutesInfo
	// spool takes the room on disk of a form the console reads itself.
	spool api.SpoolRoom
	units unitCache // the 初审 units, counties and zones (units.go)
	pages *templates
	login *api.Limiter
	// devices limits the failed sign-ins of known devices (device.go).
	devices *deviceTries
	// registrations limits self-registrations (register.go).
	registrations *api.Limiter
	totp          *account.SecretBox
}

// New returns a console over st, signing its API calls with secret.
func New(st *store.Store, secret []byte, log *slog.Logger, cfg Config) *Console {
	if log == nil {
		log = slog.Default()
	}
	cs := &Console{Store: st, Secret: secret, Log: log, Config: cfg, pages: mustParseTemplates(), login: api.NewLimiter(cfg.LoginLimit),
		devices: newDeviceTries(cfg.LockAfter, cfg.LockFor), registrations: api.NewLimiter(cfg.RegisterLimit)}
	key := cfg.TOTPKey
	if len(key) == 0 {
		key = secret
	}
	box, err := account.NewSecretBox(key)
	if err != nil {
		panic(fmt.Sprintf("console: TOTP key: %v", err)) // config.Parse checked LB_TOTP_KEY and LB_JWT_SECRET
	}
	cs.totp = box
	return cs
}

// totpSecret is a's TOTP secret, opened from its sealed form.
func (cs *Console) totpSecret(a store.Account) (string, error) { return cs.totp.Open(a.TOTPSecret) }

// Mount registers the console's routes on the API's engine.
func (cs *Console) Mount(r *gin.Engine, spool api.SpoolRoom) {
	cs.engine, cs.spool, cs.routes = r, spool, r.Routes
	r.GET("/assets/*file", cs.asset)
	pages := r.Group("/", cs.loadSession(), cs.checkCSRF())
	pages.GET("/", cs.home)
	pages.GET("/login", cs.loginPage)
	pages.POST("/login", cs.signIn)
	pages.GET("/login/totp", cs.secondFactorPage)
	pages.POST("/login/totp", cs.secondFactor)
	pages.GET("/account/totp", cs.enrolPage)
	pages.POST("/account/totp", cs.enrol)
	pages.GET("/account/totp/qr.png", cs.enrolQR)
	pages.POST("/logout", cs.signOut)

	pages.GET("/register", cs.registerPage)
	pages.POST("/register", cs.register)
	cs.mountConfirm(pages)
	pages.GET("/public/notices", cs.publicNotices)
	pages.GET("/public/notices/:id/objection", cs.objectionPage)
	pages.POST("/public/notices/:id/objection", cs.fileObjection)
	pages.GET("/public/brands", cs.publicBrands)
	pages.GET("/public/announcements", cs.publicAnnouncements)
	pages.GET("/public/report", cs.reportPage)
	pages.POST("/public/report", cs.fileReport)

	in := pages.Group("/", cs.requireSignIn())
	in.GET("/work", cs.workQueue)
	in.GET("/applications/:id", cs.applicationPage)
	cs.mountAdmission(in)
	cs.mountBrandPages(in)
	cs.mountLibrary(in)
	cs.mountImport(in)
	cs.mountHolder(in)
	cs.mountInbox(in)
	cs.mountCalendar(in)
	cs.mountAudit(in)
	cs.mountReports(in)
	cs.mountAccounts(in)
	cs.mountPassword(in)
	cs.mountReviewUnits(in)
	cs.mountChanges(in)
	cs.mountSignedForms(in)
}

// NotFound is the console's 404 page.
func (cs *Console) NotFound(c *gin.Context) {
	cs.errorPage(c, http.StatusNotFound, "页面不存在", "您访问的页面不存在或已被移除，请检查地址，或从导航重新进入。")
}

// Refuse answers a request to a page the API refused before any route (an
// address that is not text, a body too large, a panic) with the pages'
// error page.
func (cs *Console) Refuse(c *gin.Context, status int, heading, message string) {
	cs.errorPage(c, status, heading, message)
}

// MethodNotAllowed answers a page's address asked with a method it does
// not take. A GET of an address that only takes a form comes from the
// browser's history — htmx records a boosted form's address, and a reload
// or Back asks it again —, so it leads to the nearest page above it
// (/brands/B1/act/evaluation → /brands/B1) rather than to an error.
//
// A HEAD (a monitor, a link checker) of a page answers as its GET would,
// without the page: the engine routes no HEAD of its own.
func (cs *Console) MethodNotAllowed(c *gin.Context) {
	if m := c.Request.Method; m == http.MethodGet || m == http.MethodHead {
		path := c.Request.URL.EscapedPath()
		page := cs.pageAt(path)
		if page == path { // a HEAD: a GET would route
			c.Header("Content-Type", "text/html; charset=utf-8")
			c.Status(http.StatusOK)
			c.Abort()
			return
		}
		c.Redirect(http.StatusSeeOther, page)
		return
	}
	cs.errorPage(c, http.StatusMethodNotAllowed, "无法办理", "此页面不接受这种请求，请从导航重新进入。")
}

// doneAt ends the address a decision leads to once taken: the page opens
// at its top, where it says so — not at the form's fragment, which the
// browser keeps across a redirect that names none.
const doneAt = "#main"

// pageAt is the nearest address at or above path that a page answers
// with GET, "/" when none does.
func (cs *Console) pageAt(path string) string {
	var pages [][]string
	for _, r := range cs.routes() {
		if r.Method == http.MethodGet {
			pages = append(pages, strings.Split(strings.Trim(r.Path, "/"), "/"))
		}
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for n := len(segs); n > 0; n-- {
		for _, p := range pages {
			if routeMatches(p, segs[:n]) {
				return "/" + strings.Join(segs[:n], "/")
			}
		}
	}
	return "/"
}

// routeMatches reports whether a route's segments (":id" any one segment)
// answer the path's.
func routeMatches(route, path []string) bool {
	if len(route) != len(path) {
		return false
	}
	for i, r := range route {
		if !strings.HasPrefix(r, ":") && r != path[i] {
			return false
		}
	}
	return true
}

func (cs *Console) home(c *gin.Context) {
	if s := session(c); s != nil && s.Stage == store.SessionFull {
		c.Redirect(http.StatusSeeOther, homeOf(s.Account.Role))
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}
