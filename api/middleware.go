package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

const principalKey = "principal"

// recoverJSON turns a panic into a logged 500 in the error format.
func (s *Server) recoverJSON() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				s.Log.Error("panic", "path", c.Request.URL.Path, "panic", v, "stack", string(debug.Stack()))
				if c.Writer.Written() { // a page half sent: nothing more can be said
					c.Abort()
					return
				}
				s.refuse(c, fmt.Errorf("panic: %v", v), pageAnswer{http.StatusInternalServerError,
					"系统错误", "处理您的请求时发生错误，已记录在案。请稍后重试；如问题持续，请联系系统管理员。"})
			}
		}()
		c.Next()
	}
}

// contentSecurityPolicy suits the server-rendered console: its own
// scripts, styles and images only, no inline script, never framed, forms
// posted only to itself.
const contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// securityHeaders sets the headers every answer carries (issue 12): a
// browser may not sniff a type, frame the page or leak the URL to another
// site; over TLS it is told to come back over TLS only.
func (s *Server) securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if c.Request.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		c.Next()
	}
}

// requestLog writes one structured line per request (wall-clock time).
func (s *Server) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := slog.LevelInfo
		// A client that hung up ended its request (a county line dropped
		// during an upload): what failed with it is not the server's, and
		// must not page an operator as an outage would.
		gone := errors.Is(c.Request.Context().Err(), context.Canceled)
		if c.Writer.Status() >= 500 && !gone {
			level = slog.LevelError
		}
		path := c.Request.URL.Path
		if c.Param("token") != "" { // a secret in the path (an e-mail's confirmation link): its route says enough
			path = c.FullPath()
		}
		attrs := []any{"method", c.Request.Method, "route", c.FullPath(), "path", path,
			"status", c.Writer.Status(), "duration_ms", time.Since(start).Milliseconds(), "sub", principal(c).Sub}
		if gone {
			attrs = append(attrs, "client_gone", true)
		}
		if len(c.Errors) > 0 {
			attrs = append(attrs, "error", c.Errors.String())
		}
		s.Log.Log(c.Request.Context(), level, "http", attrs...)
	}
}

// httpMetrics counts requests and their latency per route for /metrics.
func (s *Server) httpMetrics() gin.HandlerFunc {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "laborbrand_http_requests_total", Help: "HTTP requests by route and status.",
	}, []string{"method", "route", "status"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "laborbrand_http_request_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.ExponentialBuckets(0.002, 2, 14),
	}, []string{"method", "route"})
	s.Registry.MustRegister(requests, latency)
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
		latency.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
	}
}

// limitBody refuses bodies over the configured size with 413. Uploads have
// their own, larger limit on their routes (and a little more for the form
// around the file); the message gives the limit a person is told of.
func (s *Server) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		stated := s.Config.MaxBodyBytes
		switch {
		case strings.HasSuffix(c.Request.URL.Path, "/attachments"):
			stated = maxUploadBytes
		case strings.HasSuffix(c.Request.URL.Path, "/signed-forms"): // a scan and its facts (signedScan)
			stated = signedScanLimit
		case c.Request.URL.Path == "/api/v1/brands/import", c.Request.URL.Path == "/import": // the console's import page too
			stated = importMaxBytes
		}
		limit := stated
		if stated != s.Config.MaxBodyBytes {
			limit += 1 << 20 // the multipart form's own fields and framing
		}
		c.Set(statedLimitKey, stated)
		c.Set(bodyLimitKey, limit)
		if c.Request.ContentLength > limit {
			e := errTooLarge(stated)
			advice := "。请删减后重新提交。"
			if stated == s.Config.MaxBodyBytes { // a form's: its files go on the materials page
				advice = "。请删减后重新提交；附件请在材料页逐个上传。"
			}
			s.refuse(c, e, pageAnswer{e.Status, "提交的内容过大", e.Message + advice})
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		if stated == s.Config.MaxBodyBytes && c.Request.ContentLength != 0 {
			s.boundBodyRead(c)
		}
		c.Next()
	}
}

// boundBodyRead reads a small body in smallBodyWait at most: the server's
// read timeout is sized for a 200 MB video on a slow county line, and a
// client sending a form a byte at a time would hold its connection that
// long. net/http lifts the deadline itself once the body is read, when it
// starts watching the connection for the client going away — which is
// why a request without a body gets none: that watch has begun, and a
// deadline passing there would cancel the request. (In-process calls from
// the console have no connection: not supported, and nothing to bound.)
func (s *Server) boundBodyRead(c *gin.Context) {
	if err := http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(smallBodyWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.Log.Warn("read deadline", "path", c.Request.URL.Path, "error", err)
	}
}

// smallBodyWait bounds the read of a request within the JSON and form body
// limit: a 960 KiB piece of a resumable upload at 64 kbit/s takes two
// minutes. A var, for a test to shorten.
var smallBodyWait = 2 * time.Minute

// statedLimitKey holds the body limit limitBody tells the client of;
// bodyLimitKey the limit it enforces, the form's room included.
const (
	statedLimitKey = "body-limit"
	bodyLimitKey   = "body-limit-enforced"
)

// errTooLargeFor refuses c's body as over the limit limitBody stated for it.
func errTooLargeFor(c *gin.Context, read *http.MaxBytesError) *Error {
	if stated := c.GetInt64(statedLimitKey); stated > 0 {
		return errTooLarge(stated)
	}
	return errTooLarge(read.Limit)
}

func errTooLarge(limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
		Message: fmt.Sprintf("请求内容过大（上限 %s）", sizeLimitText(limit))}
}

// sizeLimitText is a limit as a person reads it: 20 MB, 64 KB, 1000 字节.
func sizeLimitText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// isTooLarge reports whether err came from reading past the body limit.
func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// authenticate requires a valid bearer token and, when roles are given, one
// of those roles.
func (s *Server) authenticate(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(token) == "" {
			fail(c, errUnauthorized("缺少访问令牌（Authorization: Bearer …）"))
			return
		}
		p, err := auth.Parse(s.Secret, strings.TrimSpace(token), s.Config.TokenMaxTTL)
		if err != nil {
			fail(c, errUnauthorized("访问令牌无效或已过期："+err.Error()))
			return
		}
		switch revoked, err := s.revoked(c, p); {
		case err != nil:
			fail(c, err)
			return
		case revoked:
			fail(c, errUnauthorized("访问令牌已被吊销，请向系统管理员申请新的令牌"))
			return
		}
		c.Set(principalKey, p)
		if len(roles) > 0 && !hasRole(p, roles) {
			fail(c, errForbidden(fmt.Sprintf("角色 %s 无权执行此操作", p.Role)))
			return
		}
		c.Next()
	}
}

func hasRole(p auth.Principal, roles []auth.Role) bool { return slices.Contains(roles, p.Role) }
