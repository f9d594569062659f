package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/store"
)

// csrfField is the hidden field every form carries.
const csrfField = "csrf"

// loginCookie is the signed double-submit cookie of the sign-in forms,
// which are posted before there is a session to hold a token.
const loginCookie = "lb_login"

// loginCookieAge is how long a signed-out form stays good after its page
// was last shown: each page renews it, so a person who spends the working
// day writing an objection with its evidence (5,000 characters each) still
// has a form that is accepted — an hour refused such a form, and what was
// typed with it. The cookie binds only the form's token.
const loginCookieAge = 24 * 3600

// signedOutBodyLimit bounds what a POST without a session may send: its
// forms (sign-in, registration, an objection, a report) are text. The
// check comes before the form is parsed, so no stranger makes the server
// read an upload-sized body only to refuse it.
const signedOutBodyLimit = 1 << 20

// csrfToken is the token a form rendered for this request carries: the
// session's own (a synchronizer token) or, before sign-in, one derived
// from the login cookie with the server's secret.
func (cs *Console) csrfToken(c *gin.Context) string {
	if s := session(c); s != nil {
		return s.CSRFToken
	}
	nonce, err := c.Cookie(loginCookie)
	if err != nil || nonce == "" {
		nonce = newToken()
		c.Request.AddCookie(&http.Cookie{Name: loginCookie, Value: nonce}) // for a second form on this page
	}
	if _, renewed := c.Get(loginCookie); !renewed {
		cs.setCookie(c, loginCookie, nonce, loginCookieAge)
		c.Set(loginCookie, true)
	}
	return cs.loginToken(nonce)
}

func (cs *Console) loginToken(nonce string) string {
	m := hmac.New(sha256.New, cs.Secret)
	m.Write([]byte("console-login-csrf\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses, with a 403 page, any POST whose csrf field is not the
// token of csrfToken.
func (cs *Console) checkCSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodPost {
			c.Next()
			return
		}
		want := ""
		s := session(c)
		if s != nil {
			want = s.CSRFToken
		} else if nonce, err := c.Cookie(loginCookie); err == nil && nonce != "" {
			want = cs.loginToken(nonce)
		}
		if s == nil || s.Stage != store.SessionFull {
			// Not yet signed in (a second factor, an e-mail to confirm):
			// its forms are text, whatever path they are sent to.
			if c.Request.ContentLength > signedOutBodyLimit {
				cs.errorPage(c, http.StatusRequestEntityTooLarge, "提交的内容过大",
					"未登录时提交的表单不能超过 1 MB。上传材料请先登录。")
				return
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, signedOutBodyLimit)
		} else if cs.spool != nil {
			// An upload is read here, for its csrf field, into a temporary
			// file: it takes its room from the API's budget first, as the
			// API's own routes do.
			release, ok := cs.spool(c)
			if !ok {
				c.Header("Retry-After", "10")
				cs.errorPage(c, http.StatusServiceUnavailable, "暂时无法接收文件", api.SpoolFullMessage+"。")
				return
			}
			defer release()
		}
		// The form's files are removed when the request ends, whichever
		// request value holds them: the server removes only those of the
		// request it made, and the budget's room is carried in a copy.
		defer func() {
			if f := c.Request.MultipartForm; f != nil {
				f.RemoveAll()
			}
		}()
		got := ""
		if want != "" { // nothing to compare with: refused without reading the body
			got = c.PostForm(csrfField)
		}
		if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			if s == nil && cs.sessionEnded(c) {
				return
			}
			cs.errorPage(c, http.StatusForbidden, "请求未通过安全校验",
				"该表单缺少有效的安全校验码（CSRF 令牌），可能是页面已过期或您已重新登录。为保护您的账户，本次提交未被处理。请返回上一页，刷新后重新提交。")
			return
		}
		lineBreaksToLF(c.Request.PostForm)
		c.Next()
	}
}

// lineBreaksToLF makes each value's line breaks "\n": a form sent by the
// browser itself (no script) sends a textarea's as "\r\n", and the API
// refuses a carriage return as a control character — two paragraphs of a
// development plan would be refused for a character the holder cannot see.
func lineBreaksToLF(values url.Values) {
	for _, vs := range values {
		for i, v := range vs {
			if strings.Contains(v, "\r") {
				vs[i] = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
			}
		}
	}
}

// sessionEnded answers a form sent with the cookie of a session that has
// ended (left idle past LB_SESSION_IDLE, or past its absolute end) — not
// a forged request, which carries none: signing out of it is done already,
// and anything else is refused saying why, with the page above the form
// (or the form's own) kept to land on after signing in again. It reports whether it answered.
func (cs *Console) sessionEnded(c *gin.Context) bool {
	if id, err := c.Cookie(sessionCookie); err != nil || id == "" || signedOutForm(c.Request.URL.Path) {
		return false
	}
	cs.setCookie(c, sessionCookie, "", -1)
	if c.Request.URL.Path == "/logout" {
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return true
	}
	if p, ok := returnPath(cs.pageAt(c.Request.URL.EscapedPath())); ok && p != "/" {
		cs.setCookie(c, askedCookie, url.QueryEscape(p), 600)
	}
	cs.errorPage(c, http.StatusUnauthorized, "登录已超时",
		"您长时间未操作，登录已失效，本次提交未被处理。请重新登录后再办理（登录后将回到原页面），已填写的内容需要重新填写。")
	return true
}

// signedOutForm reports whether path is a form sent without signing in —
// the public's objections and reports, registration, the sign-in itself —
// whose refusal never says to sign in again, whatever cookie came with it.
// (The second factor and the e-mail's confirmation are sent with a session
// of their own: an ended one is said so.)
func signedOutForm(path string) bool {
	return strings.HasPrefix(path, "/public/") || path == "/register" || path == "/login"
}
