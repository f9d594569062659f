package console

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// sessionCookie carries the session id; the database keeps only its hash.
const sessionCookie = "lb_session"

const sessionKey = "console.session"

// newToken is 32 random bytes, URL-safe: session ids and CSRF tokens.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// loadSession puts the request's live session, if any, in the context.
func (cs *Console) loadSession() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := c.Cookie(sessionCookie)
		if err == nil && id != "" {
			s, err := cs.Store.SessionByID(c, id, time.Now(), cs.Config.IdleTimeout)
			switch {
			case err == nil:
				c.Set(sessionKey, &s)
				c.Set(sessionReadKey, time.Now())
			case !errors.Is(err, store.ErrNotFound):
				cs.Log.Error("console session", "error", err)
				cs.errorPage(c, http.StatusServiceUnavailable, "服务暂不可用", "数据库暂不可用，请稍后重试。")
				return
			}
		}
		c.Next()
	}
}

// sessionReadKey holds when the request's session was read.
const sessionReadKey = "console.session_read"

// sessionStale is how old a request's reading of its session may be when it
// acts through the API: an upload read for minutes must not act for an
// account disabled, or a session ended, meanwhile.
const sessionStale = 5 * time.Second

// principalNow is who the request acts as when it calls the API: its
// session's principal, read again when the request began long ago — a
// session ended or an account disabled or re-bound since is refused (401),
// not acted for with what it was.
func (cs *Console) principalNow(c *gin.Context) (auth.Principal, error) {
	s := session(c)
	if s == nil {
		return auth.Principal{}, &APIError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "请先登录"}
	}
	// Read when the request began (loadSession) — or put there by a test.
	v, known := c.Get(sessionReadKey)
	read, _ := v.(time.Time)
	if !known || time.Since(read) < sessionStale {
		return principalOf(s.Account), nil
	}
	id, _ := c.Cookie(sessionCookie)
	// Idle counted from when the request was read: a person whose upload
	// took half an hour was not idle meanwhile.
	fresh, err := cs.Store.SessionByID(context.WithoutCancel(c), id, time.Now(), cs.Config.IdleTimeout+time.Since(read))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return auth.Principal{}, &APIError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "会话已结束（已退出，或账户已被停用），请重新登录"}
	case err != nil:
		return auth.Principal{}, err
	}
	return principalOf(fresh.Account), nil
}

// session is the request's live session (any stage), nil when none.
func session(c *gin.Context) *store.Session {
	if v, ok := c.Get(sessionKey); ok {
		return v.(*store.Session)
	}
	return nil
}

// requireSignIn lets only a signed-in session (second factor done) through;
// others go to the step they are at.
func (cs *Console) requireSignIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		s := session(c)
		switch {
		case s == nil:
			cs.rememberAsked(c)
			c.Redirect(http.StatusSeeOther, "/login")
		case s.Stage == store.SessionSecondFactor:
			c.Redirect(http.StatusSeeOther, "/login/totp")
		case s.Stage == store.SessionEnrol:
			c.Redirect(http.StatusSeeOther, "/account/totp")
		case s.Stage == sessionConfirm:
			c.Redirect(http.StatusSeeOther, "/register/confirm")
		case s.Account.PasswordToChange && c.FullPath() != passwordPath:
			// An admin's temporary password: replaced by the person's own
			// before anything else is done with it.
			c.Redirect(http.StatusSeeOther, passwordPath)
		default:
			c.Next()
			return
		}
		c.Abort()
	}
}

// askedCookie keeps the page a person opened before signing in (a link from
// a mail, or a bookmark), so that signing in ends there and not at the
// role's home.
const askedCookie = "lb_asked"

// rememberAsked keeps a page opened in the browser (a GET asking for HTML,
// not a script's fetch) for after the sign-in, ten minutes at most.
func (cs *Console) rememberAsked(c *gin.Context) {
	if c.Request.Method != http.MethodGet || !strings.Contains(c.GetHeader("Accept"), "text/html") {
		return
	}
	if p, ok := returnPath(c.Request.URL.RequestURI()); ok {
		cs.setCookie(c, askedCookie, url.QueryEscape(p), 600)
	}
}

// landing is where a session that has just become full goes: the page kept
// by rememberAsked, once, else the role's home.
func (cs *Console) landing(c *gin.Context, role string) string {
	kept, err := c.Cookie(askedCookie)
	if err != nil {
		return homeOf(role)
	}
	cs.setCookie(c, askedCookie, "", -1)
	if p, err := url.QueryUnescape(kept); err == nil {
		if p, ok := returnPath(p); ok && !signInStep(p) {
			return p
		}
	}
	return homeOf(role)
}

// signInStep reports whether p is a step of signing in (a form the session
// timed out on): landing there signed in would show the sign-in page again,
// as if it had failed.
func signInStep(p string) bool {
	path, _, _ := strings.Cut(p, "?")
	return path == "/login" || strings.HasPrefix(path, "/login/") || path == "/logout" ||
		path == "/register" || strings.HasPrefix(path, "/register/")
}

// returnPath accepts only a path of this site: one leading slash, no
// scheme or host, nothing a browser would read as another site's address.
func returnPath(p string) (string, bool) {
	if len(p) > 1024 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\x00\r\n\t") {
		return "", false
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return "", false
	}
	return p, true
}

// startSession gives the browser a new session at stage (rotating any it
// had: a sign-in step never keeps an id chosen before it).
func (cs *Console) startSession(c *gin.Context, a store.Account, stage string) error {
	old, _ := c.Cookie(sessionCookie)
	id, now := newToken(), time.Now()
	// Started whether or not the client stays: a full session settles the
	// sign-in's counted tries (store.ClaimSignInTry).
	if err := cs.Store.NewSession(context.WithoutCancel(c), id, old, a.ID, stage, newToken(), now, now.Add(cs.Config.MaxLifetime)); err != nil {
		return err
	}
	cs.setCookie(c, sessionCookie, id, int(cs.Config.MaxLifetime.Seconds()))
	if stage == store.SessionFull {
		cs.rememberDevice(c, a)
	}
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure over TLS (or when configured). Lax, not Strict: a link to a page
// from an e-mail or the Temporal UI must arrive signed in.
func (cs *Console) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: cs.Config.SecureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// principalOf is who an account is to the API: its user name (an expert:
// its id in the pool, which the API's expert routes match) with its role
// and bindings.
func principalOf(a store.Account) auth.Principal {
	sub := a.Username
	if auth.Role(a.Role) == auth.Expert && a.ExpertID != "" {
		sub = a.ExpertID
	}
	return auth.Principal{Sub: sub, Role: auth.Role(a.Role), County: a.County, USCC: a.USCC}
}

// needsSecondFactor: an account with TOTP enrolled always uses it;
// officers, supervisors and admins must have it where the config says so.
func (cs *Console) needsSecondFactor(a store.Account) bool {
	if a.TOTPEnrolled {
		return true
	}
	switch auth.Role(a.Role) {
	case auth.CountyOfficer, auth.CityOfficer, auth.Supervisor, auth.Admin:
		return cs.Config.RequireTOTP
	}
	return false
}
