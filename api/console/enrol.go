package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/store"
)

// enrolView is the TOTP enrolment page.
type enrolView struct {
	URI, Secret, Error string
	Required           bool
	// CurrentError is the current password's message: a signed-in
	// session binds an authenticator only with it (checkCurrentPassword).
	CurrentError string
}

// enrolling returns the session that may enrol: one at the enrolment stage
// (the password passed, the second factor is required) or a signed-in one
// without TOTP yet — not while its password is one an admin chose, which
// its holder replaces first: whoever else knows it would bind their own
// authenticator to the account.
func enrolling(c *gin.Context) *store.Session {
	s := session(c)
	if s == nil || s.Account.TOTPEnrolled || (s.Stage != store.SessionEnrol && s.Stage != store.SessionFull) ||
		s.Stage == store.SessionFull && s.Account.PasswordToChange {
		return nil
	}
	return s
}

// enrolPage shows the secret to enrol — as a QR code of its otpauth:// URI
// and as text for manual entry — and asks for the first code.
func (cs *Console) enrolPage(c *gin.Context) {
	s := enrolling(c)
	if s == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	secret, err := cs.totpSecret(s.Account)
	if err == nil && secret == "" {
		var sealed string
		if secret, _, err = account.NewTOTPSecret(s.Account.Username); err == nil {
			if sealed, err = cs.totp.Seal(secret); err == nil {
				err = cs.Store.SetTOTPSecret(c, s.Account.ID, sealed)
			}
		}
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "enrol", "绑定动态口令", cs.enrolView(s, secret))
}

func (cs *Console) enrolView(s *store.Session, secret string) enrolView {
	return enrolView{URI: account.TOTPURI(s.Account.Username, secret), Secret: groupsOf4(secret), Required: s.Stage == store.SessionEnrol}
}

func groupsOf4(s string) string {
	var parts []string
	for len(s) > 4 {
		parts, s = append(parts, s[:4]), s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// enrolQR is the QR code of the secret being enrolled (an image of the
// site, as the content security policy admits no data: URIs).
func (cs *Console) enrolQR(c *gin.Context) {
	s := enrolling(c)
	if s == nil || s.Account.TOTPSecret == "" {
		cs.NotFound(c)
		return
	}
	secret, err := cs.totpSecret(s.Account)
	if err != nil {
		cs.fail(c, err)
		return
	}
	png, err := account.TOTPQRCode(account.TOTPURI(s.Account.Username, secret), 240)
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", png)
}

// enrol puts the secret in force once the first code from it is right; at
// the enrolment stage it completes the sign-in (a new session id).
func (cs *Console) enrol(c *gin.Context) {
	s := enrolling(c)
	if s == nil || s.Account.TOTPSecret == "" {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	a := s.Account
	now := time.Now()
	secret, err := cs.totpSecret(a)
	if err != nil {
		cs.fail(c, err)
		return
	}
	code, wellFormed := account.TOTPCodeOf(c.PostForm("code"))
	if !wellFormed { // told before the password is tried, which it would count
		v := cs.enrolView(s, secret)
		v.Error = badCodeForm
		cs.render(c, http.StatusUnprocessableEntity, "enrol", "绑定动态口令", v)
		return
	}
	if s.Stage == store.SessionFull {
		// Not at the first sign-in, whose password was just typed: whoever
		// finds the session open would bind their own authenticator, and
		// the holder could no longer sign in.
		by := store.AccountChange{At: now, Actor: a.Username, Role: a.Role}
		if msg, status, answered := cs.checkCurrentPassword(c, a, c.PostForm("current"), by); answered {
			return
		} else if msg != "" {
			v := cs.enrolView(s, secret)
			v.CurrentError = msg
			cs.render(c, status, "enrol", "绑定动态口令", v)
			return
		}
	}
	ok, step := account.CheckTOTP(secret, code, now)
	if !ok {
		v := cs.enrolView(s, secret)
		v.Error = "动态口令不正确，请输入验证器中当前显示的6位数字。"
		cs.render(c, http.StatusUnprocessableEntity, "enrol", "绑定动态口令", v)
		return
	}
	if err := cs.Store.EnrolTOTP(c, a.Username, step, store.AccountChange{At: now, Actor: a.Username, Role: a.Role}); err != nil {
		cs.fail(c, err)
		return
	}
	if s.Stage == store.SessionEnrol {
		if err := cs.startSession(c, a, store.SessionFull); err != nil {
			cs.fail(c, err)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, cs.landing(c, a.Role))
}
