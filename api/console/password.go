package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/store"
)

// A person changes their own password (GB/T 22239-2019 8.1.4.1 a: 口令
// 定期更换) with the one in force: a session left open on a shared desk
// does not change it. A wrong one counts towards the lock-out as at sign-in.
// The change ends every session of the account, this one too: the person
// signs in again with the new password. A temporary password an admin set
// (store.ResetPassword) brings every page here until it is changed.

// passwordPath is the change-password page.
const passwordPath = "/account/password"

// passwordView is the change-password page.
type passwordView struct {
	Errors    map[string]string
	MinLength int
	Temporary bool // the password in force is an admin's temporary one
}

func newPasswordView(c *gin.Context) passwordView {
	return passwordView{Errors: map[string]string{}, MinLength: account.MinPasswordLength,
		Temporary: session(c).Account.PasswordToChange}
}

func (cs *Console) mountPassword(in *gin.RouterGroup) {
	in.GET(passwordPath, cs.passwordPage)
	in.POST(passwordPath, cs.changePassword)
}

func (cs *Console) passwordPage(c *gin.Context) {
	cs.render(c, http.StatusOK, "password", "修改密码", newPasswordView(c))
}

func (cs *Console) changePassword(c *gin.Context) {
	a := session(c).Account
	v := newPasswordView(c)
	current, fresh, again := c.PostForm("current"), c.PostForm("password"), c.PostForm("password_again")
	switch {
	case current == "" || len(current) > 4*account.MaxPasswordLength:
		v.Errors["current"] = "请输入当前密码"
	case fresh == current:
		v.Errors["password"] = "新密码不能与当前密码相同"
	case fresh != again:
		v.Errors["password_again"] = "两次输入的新密码不一致"
	}
	if msg := account.CheckPolicy(a.Username, fresh); msg != "" && v.Errors["password"] == "" {
		v.Errors["password"] = msg
	}
	if len(v.Errors) > 0 {
		cs.render(c, http.StatusUnprocessableEntity, "password", "修改密码", v)
		return
	}
	by := store.AccountChange{At: time.Now(), Actor: a.Username, Role: a.Role}
	ctx := context.WithoutCancel(c) // a try counted is settled, whether or not the client stays
	if msg, status, answered := cs.checkCurrentPassword(c, a, current, by); answered {
		return
	} else if msg != "" {
		v.Errors["current"] = msg
		cs.render(c, status, "password", "修改密码", v)
		return
	}
	hash, err := account.HashPassword(fresh)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if err := cs.Store.SetPassword(ctx, a.Username, hash, by); err != nil { // ends every session, this one too
		cs.fail(c, err)
		return
	}
	cs.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/login?password=changed")
}

// lockedOut ends the session of an account locked (as at sign-in, the
// password is asked again after the lock) and says until when.
func (cs *Console) lockedOut(c *gin.Context, a store.Account, by store.AccountChange, until time.Time) {
	if !cs.endSignIn(c, by.At, true) {
		return
	}
	cs.refuseLocked(c, cs.newLoginView(a.Username), by, until)
}

// checkCurrentPassword checks the password the holder of a signed-in
// session typed to change its own credentials (its password, its
// authenticator): a session left open on a shared desk changes nothing
// without it. Counted as a sign-in try, a wrong one toward the lock-out. It
// answers the field's message and status, "" when right; answered, that it
// has answered the request itself (locked out by this try, a failure).
func (cs *Console) checkCurrentPassword(c *gin.Context, a store.Account, current string, by store.AccountChange) (msg string, status int, answered bool) {
	if current == "" || len(current) > 4*account.MaxPasswordLength {
		return "请输入当前密码", http.StatusUnprocessableEntity, false
	}
	ctx := context.WithoutCancel(c) // a try counted is settled, whether or not the client stays
	if device, known := cs.knownDevice(c, a); known {
		return cs.checkOnKnownDevice(c, a, device, current, by)
	}
	try, err := cs.Store.ClaimSignInTry(ctx, a.ID, cs.Config.LockAfter, cs.Config.LockFor, by)
	var lock *store.LockedError
	switch {
	case errors.As(err, &lock): // locked by tries elsewhere: this session stays
		return fmt.Sprintf("该账户因连续输入有误已被锁定，请于 %s 后再试", lockEnd(lock.Until, by.At)), http.StatusForbidden, false
	case err != nil:
		cs.fail(c, err)
		return "", 0, true
	}
	right, err := account.CheckPassword(a.PasswordHash, current)
	if err != nil {
		cs.fail(c, err)
		return "", 0, true
	}
	if right {
		// The try passed: taken back, or a right password typed before a
		// wrong code, five times, would lock the account.
		if err := cs.Store.SignInTryPassed(ctx, a.ID); err != nil {
			cs.fail(c, err)
			return "", 0, true
		}
		return "", 0, false
	}
	locked, err := cs.Store.SignInFailed(ctx, a, "wrong_password", try, cs.Config.LockAfter, cs.Config.LockFor, by)
	switch {
	case err != nil:
		cs.fail(c, err)
		return "", 0, true
	case locked:
		cs.lockedOut(c, a, by, by.At.Add(cs.Config.LockFor))
		return "", 0, true
	}
	return "当前密码不正确", http.StatusUnprocessableEntity, false
}

// checkOnKnownDevice is checkCurrentPassword on the known device the
// session signed in on (device.go): a stranger's lock on the account does
// not stop its owner changing the password it guesses at; the device's own
// budget does — a try taken before the check, given back when right — and,
// spent, ends the session as a lock would (whoever found it open at a
// shared desk guesses no further).
func (cs *Console) checkOnKnownDevice(c *gin.Context, a store.Account, device, current string, by store.AccountChange) (msg string, status int, answered bool) {
	try, until, ok := cs.devices.claim(device, by.At)
	if !ok {
		cs.refuseDevice(c, cs.newLoginView(a.Username), by, true, fmt.Sprintf("本设备输入有误次数过多，已退出登录，请于 %s 后再登录。", lockEnd(until, by.At)))
		return "", 0, true
	}
	right, err := account.CheckPassword(a.PasswordHash, current)
	if err != nil {
		cs.fail(c, err)
		return "", 0, true
	}
	if right {
		try.passed()
		return "", 0, false
	}
	if err := cs.Store.AuditSignInRefused(context.WithoutCancel(c), a.Username, "wrong_password_known_device", by); err != nil {
		cs.fail(c, err)
		return "", 0, true
	}
	return "当前密码不正确", http.StatusUnprocessableEntity, false
}
