package console

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// loginView is what the sign-in pages show.
type loginView struct {
	Username    string
	LockAfter   int
	Error       string
	Invalid     bool // the error is the fields': marked on both, as it does not say which
	Notice      string
	DevAccounts []DevAccount
}

// newLoginView is the sign-in pages' view for username, with the lock-out's
// count the page states.
func (cs *Console) newLoginView(username string) loginView {
	return loginView{Username: username, DevAccounts: cs.Config.DevAccounts, LockAfter: cs.Config.LockAfter}
}

func (cs *Console) loginPage(c *gin.Context) {
	v := cs.newLoginView("")
	if c.Query("bye") != "" {
		v.Notice = "您已安全退出。"
	}
	if c.Query("confirmed") != "" {
		v.Notice = "电子邮箱已确认，请登录。"
	}
	if c.Query("password") == "changed" {
		v.Notice = "密码已修改，所有会话已退出，请用新密码登录。"
	}
	cs.render(c, http.StatusOK, "login", "登录", v)
}

// signIn checks the user name and password (GB/T 22239-2019 8.1.4.1):
// limited per client address, refused while the account is locked, and
// counted towards the lock-out when wrong; each outcome is audited.
func (cs *Console) signIn(c *gin.Context) {
	username := strings.TrimSpace(c.PostForm("username"))
	password := c.PostForm("password")
	v := cs.newLoginView(username)
	now := time.Now()
	if ok, wait := cs.login.Allow(c.ClientIP(), now); !ok {
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		v.Error = fmt.Sprintf("登录尝试过于频繁，请 %d 分钟后再试。", int(math.Ceil(wait.Minutes())))
		cs.render(c, http.StatusTooManyRequests, "login", "登录", v)
		return
	}
	// A name that is not text (a NUL, bytes not UTF-8) names no account:
	// PostgreSQL would refuse it with an error that is not the client's.
	if username == "" || password == "" || len(username) > 64 || len(password) > 4*account.MaxPasswordLength || api.TextProblem(username, false) != "" {
		v.Error, v.Invalid = "请输入用户名和密码。", true
		cs.render(c, http.StatusUnprocessableEntity, "login", "登录", v)
		return
	}
	by := store.AccountChange{At: now, Actor: username, Role: "public"}
	a, err := cs.Store.AccountByUsername(c, username)
	if errors.Is(err, store.ErrNotFound) {
		by.Actor = cs.unknownName(username)
		cs.refuseStranger(c, v, by, by.Actor, password, "unknown_user")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	by.Actor, by.Role = a.Username, a.Role // as registered, whatever the case typed
	if a.Disabled {                        // refused as an unknown name is; the account itself is never counted
		cs.refuseStranger(c, v, by, cs.unknownName(a.Username), password, "disabled")
		return
	}
	try, ok := cs.tryAt(c, v, a, by)
	if !ok {
		return
	}
	ok, err = account.CheckPassword(a.PasswordHash, password)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if !ok {
		cs.countFailure(c, v, a, "wrong_password", try, by)
		return
	}
	if try.device != nil {
		try.device.passed()
	} else if err := cs.Store.SignInTryPassed(context.WithoutCancel(c), a.ID); err != nil {
		cs.fail(c, err)
		return
	}
	if auth.Role(a.Role) == auth.Applicant && cs.Config.Mail != nil {
		// A holder whose e-mail is not confirmed reaches the confirmation
		// page only (confirm.go). Without a relay there is nothing to
		// confirm by, and the account works as one registered then.
		if _, pending, err := cs.Store.PendingConfirmation(c, a.ID); err != nil {
			cs.fail(c, err)
			return
		} else if pending {
			if err := cs.startSession(c, a, sessionConfirm); err != nil {
				cs.fail(c, err)
				return
			}
			c.Redirect(http.StatusSeeOther, "/register/confirm")
			return
		}
	}
	stage := store.SessionFull
	switch {
	case a.TOTPEnrolled:
		stage = store.SessionSecondFactor
	case cs.needsSecondFactor(a):
		stage = store.SessionEnrol
		// A new secret for each sign-in that is to enrol: one shown to an
		// earlier sign-in (whoever else knew an administrator's temporary
		// password, say) is never the one its holder binds.
		if _, err := cs.pendingSecret(c, a, true); err != nil {
			cs.fail(c, err)
			return
		}
	}
	if err := cs.startSession(c, a, stage); err != nil {
		cs.fail(c, err)
		return
	}
	switch stage {
	case store.SessionSecondFactor:
		c.Redirect(http.StatusSeeOther, "/login/totp")
	case store.SessionEnrol:
		c.Redirect(http.StatusSeeOther, "/account/totp")
	default:
		c.Redirect(http.StatusSeeOther, cs.landing(c, a.Role))
	}
}

// unknownName is how the audit trail names a user name no account has:
// not as typed — a person who typed a password into it would leave the
// password there — but by a keyed fingerprint, the same for the same name
// in any case, so that repeated tries at one name can be told apart.
func (cs *Console) unknownName(typed string) string {
	m := hmac.New(sha256.New, cs.Secret)
	m.Write([]byte("console-unknown-user\x00" + strings.ToLower(typed)))
	return "unknown:" + hex.EncodeToString(m.Sum(nil))[:12]
}

// badCredentials is the one message for an unknown name, a wrong password
// and a disabled account: the page does not tell which names exist.
const badCredentials = "用户名或密码错误。"

// badCredentialsMessage is badCredentials with the lock-out rule, the same
// for every name: a count of the tries left would be shown only for names
// that exist.
func (cs *Console) badCredentialsMessage() string {
	return badCredentials + fmt.Sprintf("连续失败 %d 次，账户将被锁定 %d 分钟。", cs.Config.LockAfter, int(cs.Config.LockFor.Minutes()))
}

// refuseStranger refuses a try at a name no account answers to, or at a
// disabled account, as a wrong password is refused: after the same work,
// and counted towards the same lock-out by the name's fingerprint (key),
// so that neither the answer, nor the answer to the sixth try, tells which
// names exist.
func (cs *Console) refuseStranger(c *gin.Context, v loginView, by store.AccountChange, key, password, reason string) {
	until, counted, err := cs.Store.StrangerSignInFailed(context.WithoutCancel(c), key, reason, cs.Config.LockAfter, cs.Config.LockFor, by)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if counted { // an account's password is checked unless it was locked already
		account.SpendCheckTime(password)
	}
	if until != nil {
		// As an account's lock ends a session waiting for its code.
		if !cs.endSignIn(c, by.At, false) {
			return
		}
		v.Error = lockedMessage(*until)
		cs.render(c, http.StatusForbidden, "login", "登录", v)
		return
	}
	v.Error, v.Invalid = cs.badCredentialsMessage(), true
	cs.render(c, http.StatusUnauthorized, "login", "登录", v)
}

func (cs *Console) refuseLocked(c *gin.Context, v loginView, by store.AccountChange, until time.Time) {
	if err := cs.Store.AuditSignInRefused(c, by.Actor, "locked", by); err != nil {
		cs.fail(c, err)
		return
	}
	v.Error = lockedMessage(until)
	cs.render(c, http.StatusForbidden, "login", "登录", v)
}

// signInTry is a try at an account's password or code: numbered n by the
// account's lock-out, or made from a known device (device.go), whose own
// limit counts it instead.
type signInTry struct {
	n      int
	device *deviceTry
}

// tryAt counts a try at a's password or code before it is checked: on a
// known device against the device's limit, which the account's lock-out
// does not stop; elsewhere against the account's (claimTry). false: refused
// and answered.
func (cs *Console) tryAt(c *gin.Context, v loginView, a store.Account, by store.AccountChange) (signInTry, bool) {
	if device, known := cs.knownDevice(c, a); known {
		try, until, ok := cs.devices.claim(device, by.At)
		if !ok {
			cs.refuseDevice(c, v, by, false, fmt.Sprintf("本设备登录失败次数过多，请于 %s 后再试。", lockEnd(until, by.At)))
			return signInTry{}, false
		}
		return signInTry{device: &try}, true
	}
	n, ok := cs.claimTry(c, v, a, by)
	return signInTry{n: n}, ok
}

// refuseDevice answers a try from a known device whose budget is spent: the
// session ends (signedIn: a full one too), the refusal is audited, and the
// sign-in page says why.
func (cs *Console) refuseDevice(c *gin.Context, v loginView, by store.AccountChange, signedIn bool, why string) {
	if !cs.endSignIn(c, by.At, signedIn) {
		return
	}
	if err := cs.Store.AuditSignInRefused(context.WithoutCancel(c), by.Actor, "device_limited", by); err != nil {
		cs.fail(c, err)
		return
	}
	v.Error = why
	cs.render(c, http.StatusForbidden, "login", "登录", v)
}

// claimTry counts a try at a's password or code before it is checked
// (store.ClaimSignInTry); a locked account is refused on the sign-in page,
// a session waiting for its code ending, and false returned. The try is
// counted, and later settled, whether or not the client stays to hear.
func (cs *Console) claimTry(c *gin.Context, v loginView, a store.Account, by store.AccountChange) (int, bool) {
	try, err := cs.Store.ClaimSignInTry(context.WithoutCancel(c), a.ID, cs.Config.LockAfter, cs.Config.LockFor, by)
	var locked *store.LockedError
	switch {
	case errors.As(err, &locked):
		if !cs.endSignIn(c, by.At, false) {
			return 0, false
		}
		cs.refuseLocked(c, v, by, locked.Until)
		return 0, false
	case err != nil:
		cs.fail(c, err)
		return 0, false
	}
	return try, true
}

// endSignIn ends the request's session — one waiting for its code, or,
// signedIn, one signed in whose account a lock ends — and forgets it, so
// that the sign-in page shown next carries a form a signed-out person can
// send; false when it has answered a failure itself.
func (cs *Console) endSignIn(c *gin.Context, at time.Time, signedIn bool) bool {
	id, err := c.Cookie(sessionCookie)
	if s := session(c); err != nil || s == nil || s.Stage == store.SessionFull && !signedIn {
		return true
	}
	if err := cs.Store.EndSession(c, id, at, nil); err != nil {
		cs.fail(c, err)
		return false
	}
	cs.setCookie(c, sessionCookie, "", -1)
	c.Set(sessionKey, (*store.Session)(nil))
	return true
}

func lockedMessage(until time.Time) string {
	return fmt.Sprintf("该账户因连续登录失败已被锁定，请于 %s 后再试，或联系系统管理员解锁。", lockEnd(until, time.Now()))
}

// lockEnd says when a lock ends: its time on the day it is set, with the
// date when it ends on another day (LB_LOGIN_LOCK_FOR may be a day or more).
func lockEnd(until, now time.Time) string {
	until, now = until.In(shanghai), now.In(shanghai)
	if until.Format(time.DateOnly) == now.Format(time.DateOnly) {
		return until.Format("15:04")
	}
	return until.Format("2006年1月2日 15:04")
}

// countFailure records a wrong password or code, try, towards the
// lock-out: the account's, or a known device's own (audited all the same).
func (cs *Console) countFailure(c *gin.Context, v loginView, a store.Account, reason string, try signInTry, by store.AccountChange) {
	page, title := "login", "登录"
	if reason == "wrong_code" {
		page, title = "totp", "动态口令"
	}
	if try.device != nil { // its token stays spent
		if err := cs.Store.AuditSignInRefused(context.WithoutCancel(c), a.Username, reason+"_known_device", by); err != nil {
			cs.fail(c, err)
			return
		}
		v.Error, v.Invalid = cs.badCredentialsMessage(), true
		if reason == "wrong_code" {
			v.Error = "动态口令不正确或已使用，请输入验证器中当前显示的6位数字。"
		}
		cs.render(c, http.StatusUnauthorized, page, title, v)
		return
	}
	locked, err := cs.Store.SignInFailed(context.WithoutCancel(c), a, reason, try.n, cs.Config.LockAfter, cs.Config.LockFor, by)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if locked {
		if !cs.endSignIn(c, time.Now(), false) {
			return
		}
		v.Error = lockedMessage(by.At.Add(cs.Config.LockFor))
		cs.render(c, http.StatusForbidden, "login", "登录", v)
		return
	}
	v.Error, v.Invalid = cs.badCredentialsMessage(), true
	// Past the password, the person has shown the account is theirs: the
	// tries left are theirs to know.
	if reason == "wrong_code" {
		v.Error = "动态口令不正确或已使用，请输入验证器中当前显示的6位数字。"
		if left := cs.Config.LockAfter - try.n; left > 0 && left <= 3 {
			v.Error += fmt.Sprintf("再失败 %d 次，账户将被锁定 %d 分钟。", left, int(cs.Config.LockFor.Minutes()))
		}
	}
	cs.render(c, http.StatusUnauthorized, page, title, v)
}

// badCodeForm answers a dynamic code that is not six digits.
const badCodeForm = "请输入验证器中当前显示的6位数字（可含空格）。"

func (cs *Console) secondFactorPage(c *gin.Context) {
	if s := session(c); s == nil || s.Stage != store.SessionSecondFactor {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	cs.render(c, http.StatusOK, "totp", "动态口令", cs.newLoginView(""))
}

// secondFactor checks the TOTP code of a session that passed its password;
// a right code signs in (a new session id), a wrong one counts towards the
// lock-out like a wrong password.
func (cs *Console) secondFactor(c *gin.Context) {
	s := session(c)
	if s == nil || s.Stage != store.SessionSecondFactor {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	a := s.Account
	by := store.AccountChange{At: time.Now(), Actor: a.Username, Role: a.Role}
	code, wellFormed := account.TOTPCodeOf(c.PostForm("code"))
	if !wellFormed { // a slip of form, not a wrong code: not counted
		v := cs.newLoginView(a.Username)
		v.Error, v.Invalid = badCodeForm, true
		cs.render(c, http.StatusUnprocessableEntity, "totp", "动态口令", v)
		return
	}
	// Locked since its password passed (by failures elsewhere), no code is
	// checked and the session ends (a code not of six digits, above, is
	// asked again before this: it is checked against nothing).
	try, ok := cs.tryAt(c, cs.newLoginView(a.Username), a, by)
	if !ok {
		return
	}
	secret, err := cs.totpSecret(a)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if ok, step := account.CheckTOTP(secret, code, by.At); ok {
		fresh, err := cs.Store.UseTOTPStep(context.WithoutCancel(c), a.ID, step)
		if err != nil {
			cs.fail(c, err)
			return
		}
		if fresh {
			if try.device != nil {
				try.device.passed()
			}
			if err := cs.startSession(c, a, store.SessionFull); err != nil {
				cs.fail(c, err)
				return
			}
			c.Redirect(http.StatusSeeOther, cs.landing(c, a.Role))
			return
		}
	}
	cs.countFailure(c, cs.newLoginView(a.Username), a, "wrong_code", try, by)
}

// signOut ends the session (audited) and forgets the cookie.
func (cs *Console) signOut(c *gin.Context) {
	if s := session(c); s != nil {
		id, _ := c.Cookie(sessionCookie)
		by := store.AccountChange{At: time.Now(), Actor: s.Account.Username, Role: s.Account.Role}
		if err := cs.Store.EndSession(c, id, by.At, &by); err != nil {
			cs.fail(c, err)
			return
		}
	}
	cs.setCookie(c, sessionCookie, "", -1)
	cs.setCookie(c, askedCookie, "", -1) // the next person to sign in here starts at home
	c.Redirect(http.StatusSeeOther, "/login?bye=1")
}
