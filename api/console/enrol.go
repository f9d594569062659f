package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
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
	// Confirm asks a signed-in session for the account's password before
	// any secret is shown (confirmEnrol); CurrentError is its message.
	Confirm      bool
	CurrentError string
	// Proof carries the password's check to the code's (enrolProof).
	Proof string
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
// and as text for manual entry — and asks for the first code. At a
// sign-in's enrolment stage, its password just typed, the secret is shown
// at once; a signed-in session is asked the account's password first
// (confirmEnrol): whoever finds it open on a shared desk would otherwise
// copy the secret its holder is about to bind, and hold the second factor.
func (cs *Console) enrolPage(c *gin.Context) {
	s := enrolling(c)
	if s == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	if s.Stage == store.SessionFull {
		cs.render(c, http.StatusOK, "enrol", "绑定动态口令", enrolView{Confirm: true})
		return
	}
	secret, err := cs.pendingSecret(c, s.Account, false)
	if err != nil {
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "enrol", "绑定动态口令", cs.enrolView(s, secret, ""))
}

// pendingSecret is the secret the account is to bind: the one it was
// given, or — when it has none, or fresh — a new one in its place.
func (cs *Console) pendingSecret(c *gin.Context, a store.Account, fresh bool) (string, error) {
	if !fresh {
		if secret, err := cs.totpSecret(a); err != nil || secret != "" {
			return secret, err
		}
	}
	secret, _, err := account.NewTOTPSecret(a.Username)
	if err != nil {
		return "", err
	}
	sealed, err := cs.totp.Seal(secret)
	if err != nil {
		return "", err
	}
	asking, _ := c.Cookie(sessionCookie) // at sign-in, the session it replaces
	return secret, cs.Store.SetTOTPSecret(c, a.ID, sealed, asking, time.Now())
}

func (cs *Console) enrolView(s *store.Session, secret, proof string) enrolView {
	return enrolView{URI: account.TOTPURI(s.Account.Username, secret), Secret: groupsOf4(secret), Required: s.Stage == store.SessionEnrol,
		Proof: proof}
}

func groupsOf4(s string) string {
	var parts []string
	for len(s) > 4 {
		parts, s = append(parts, s[:4]), s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

// enrolQR is the QR code of the secret being enrolled (an image of the
// site, as the content security policy admits no data: URIs). A signed-in
// session's is shown only with the proof of its password's check, as the
// page's secret is.
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
	if s.Stage == store.SessionFull && !cs.enrolProofHolds(c, secret, c.Query("proof"), time.Now()) {
		cs.NotFound(c)
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
// the enrolment stage it completes the sign-in (a new session id). A
// signed-in session's first post is its password (confirmEnrol), its
// second the code, with the proof of the first.
func (cs *Console) enrol(c *gin.Context) {
	s := enrolling(c)
	if s == nil {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	now := time.Now()
	if s.Stage == store.SessionFull && c.PostForm("proof") == "" {
		cs.confirmEnrol(c, s, now)
		return
	}
	a := s.Account
	if a.TOTPSecret == "" {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	secret, err := cs.totpSecret(a)
	if err != nil {
		cs.fail(c, err)
		return
	}
	proof := c.PostForm("proof")
	if s.Stage == store.SessionFull && !cs.enrolProofHolds(c, secret, proof, now) {
		cs.render(c, http.StatusUnprocessableEntity, "enrol", "绑定动态口令",
			enrolView{Confirm: true, CurrentError: "确认已超时或已失效，请重新输入当前密码，再扫描新的二维码。"})
		return
	}
	code, wellFormed := account.TOTPCodeOf(c.PostForm("code"))
	if !wellFormed {
		v := cs.enrolView(s, secret, proof)
		v.Error = badCodeForm
		cs.render(c, http.StatusUnprocessableEntity, "enrol", "绑定动态口令", v)
		return
	}
	ok, step := account.CheckTOTP(secret, code, now)
	if !ok {
		v := cs.enrolView(s, secret, proof)
		v.Error = "动态口令不正确，请输入验证器中当前显示的6位数字。"
		cs.render(c, http.StatusUnprocessableEntity, "enrol", "绑定动态口令", v)
		return
	}
	err = cs.Store.EnrolTOTP(c, a.Username, a.TOTPSecret, step, store.AccountChange{At: now, Actor: a.Username, Role: a.Role})
	if errors.Is(err, store.ErrTOTPSecretReplaced) {
		// Another page began a binding of its own since this one's code
		// was checked: its secret, not this page's, is the one to finish.
		cs.secretReplaced(c, s)
		return
	}
	if err != nil {
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

// secretReplaced answers a code whose secret another page replaced: a
// signed-in session begins again with its password; the enrolment stage is
// shown the secret now stored.
func (cs *Console) secretReplaced(c *gin.Context, s *store.Session) {
	const replaced = "另一页面已开始新的绑定，本页的二维码已失效"
	if s.Stage == store.SessionFull {
		cs.render(c, http.StatusConflict, "enrol", "绑定动态口令", enrolView{Confirm: true,
			CurrentError: replaced + "：请重新输入当前密码，再扫描新的二维码。"})
		return
	}
	a, err := cs.Store.AccountByUsername(c, s.Account.Username)
	if err != nil {
		cs.fail(c, err)
		return
	}
	secret, err := cs.totpSecret(a)
	if err != nil {
		cs.fail(c, err)
		return
	}
	v := cs.enrolView(s, secret, "")
	v.Error = replaced + "：请扫描下方新的二维码，输入验证器中显示的6位数字。"
	cs.render(c, http.StatusConflict, "enrol", "绑定动态口令", v)
}

// confirmEnrol is a signed-in session's first step of a binding: the
// account's password (counted toward the lock-out when wrong), then a
// secret made for this binding alone — any left from an earlier one is
// replaced —, shown with the proof that carries the check to the code.
func (cs *Console) confirmEnrol(c *gin.Context, s *store.Session, now time.Time) {
	a := s.Account
	by := store.AccountChange{At: now, Actor: a.Username, Role: a.Role}
	if msg, status, answered := cs.checkCurrentPassword(c, a, c.PostForm("current"), by); answered {
		return
	} else if msg != "" {
		cs.render(c, status, "enrol", "绑定动态口令", enrolView{Confirm: true, CurrentError: msg})
		return
	}
	secret, err := cs.pendingSecret(c, a, true)
	if err != nil {
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "enrol", "绑定动态口令", cs.enrolView(s, secret, cs.enrolProof(c, secret, now)))
}

// enrolProofFor is how long a password checked for a binding stands.
const enrolProofFor = 10 * time.Minute

// enrolProof ties a binding's code to the password checked for it: this
// session, this secret, at this time — signed, so that it cannot be made
// without the check.
func (cs *Console) enrolProof(c *gin.Context, secret string, at time.Time) string {
	id, _ := c.Cookie(sessionCookie)
	stamp := strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, cs.Secret)
	m.Write([]byte("totp-enrol\x00" + id + "\x00" + secret + "\x00" + stamp))
	return stamp + "." + hex.EncodeToString(m.Sum(nil))
}

// enrolProofHolds reports whether proof is enrolProof's for this session
// and secret, made within enrolProofFor.
func (cs *Console) enrolProofHolds(c *gin.Context, secret, proof string, now time.Time) bool {
	stamp, _, _ := strings.Cut(proof, ".")
	unix, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return false
	}
	at := time.Unix(unix, 0)
	if now.Sub(at) > enrolProofFor || at.After(now.Add(time.Minute)) {
		return false
	}
	return hmac.Equal([]byte(proof), []byte(cs.enrolProof(c, secret, at)))
}
