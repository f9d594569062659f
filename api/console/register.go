package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/mail"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// registerView is the holder's self-registration form (issue 16 item 1),
// or its outcome.
type registerView struct {
	Values     map[string]string
	Errors     map[string]string
	Message    string
	Registered bool
	// NoChannel: no e-mail or SMS channel is configured to confirm the
	// contact, so the account is active at once (and the page says so).
	NoChannel bool
	// Confirming: a confirmation link was mailed to Address (MailFailed:
	// the relay did not take it); the account waits for it.
	Confirming, MailFailed bool
	// MailRefused says why no link was mailed now (the address had its
	// day's confirmation mails) and when one may be sent again.
	MailRefused string
	Address     string
	Hours       int
	// Again: the same registration sent again from the browser that made
	// it; its mail, if any, went the first time.
	Again bool
}

// holderNotSelfRegistered answers a USCC that has an account already, or
// records (an application, a brand): its accounts are opened by the city
// bureau's administrators, who check the business licence.
const holderNotSelfRegistered = "该统一社会信用代码不能自行注册（已有本单位账户，或已有申报、入库记录）。" +
	"需要账户的，请持营业执照联系昆明市人力资源和社会保障局开设。"

// Registration refused for a name taken or a code that may not register:
// one answer for both, on both fields — answered apart, a name known to be
// taken would tell a stranger whether any company's code has an account or
// records (the code is checked first), and a new code whether a name is
// taken. The holder tries another name first.
const (
	registrationRefusedCode = "用户名已被使用，或" + holderNotSelfRegistered + "请先换一个用户名再试。"
	registrationRefusedName = "用户名已被使用，或该统一社会信用代码不能自行注册：请换一个用户名再试"
)

var registerFields = []string{"uscc", "unit_name", "contact_name", "contact_phone", "contact_email", "username"}

func (cs *Console) registerPage(c *gin.Context) {
	cs.render(c, http.StatusOK, "register", "品牌持有单位注册", registerView{Values: map[string]string{}, NoChannel: cs.Config.Mail == nil})
}

// register creates a holder's account: the USCC checked (GB 32100-2015)
// and not yet registered, the contact details, the password policy of every
// account. Sign-in, lock-out and the optional TOTP are then the officers'.
func (cs *Console) register(c *gin.Context) {
	v := registerView{Values: formValues(c, registerFields...), Errors: map[string]string{}, NoChannel: cs.Config.Mail == nil}
	v.Values["uscc"] = uscc.Normalize(v.Values["uscc"])
	v.Values["contact_phone"] = form.NormalizePhone(v.Values["contact_phone"])
	password := c.PostForm("password")
	now := time.Now()
	if err := uscc.Validate(v.Values["uscc"]); err != nil {
		v.Errors["uscc"] = "统一社会信用代码有误：请核对营业执照或登记证书上的18位代码；核对无误仍提示有误的，请持营业执照联系昆明市人力资源和社会保障局开设账户"
	}
	need := func(field, label string, max int) {
		if n := utf8.RuneCountInString(v.Values[field]); n == 0 {
			v.Errors[field] = "必填：" + label
		} else if n > max {
			v.Errors[field] = label + "过长"
		} else if problem := api.TextProblem(v.Values[field], false); problem != "" {
			v.Errors[field] = label + problem
		}
	}
	need("unit_name", "单位名称", form.UnitFieldMax)
	need("contact_name", "联系人姓名", form.ContactNameMax)
	if p := v.Values["contact_phone"]; p == "" || !form.ValidPhone(p) {
		v.Errors["contact_phone"] = "联系电话应为11位手机号或带区号的固定电话，如0871-63123456"
	}
	if e := v.Values["contact_email"]; e != "" {
		if !plainAddress(e) {
			v.Errors["contact_email"] = "电子邮箱格式有误"
		}
	}
	if msg := account.UsernameProblem(v.Values["username"]); msg != "" {
		v.Errors["username"] = msg
	}
	if msg := account.CheckPolicy(v.Values["username"], password); msg != "" {
		v.Errors["password"] = msg
	} else if password != c.PostForm("password_again") {
		v.Errors["password_again"] = "两次输入的密码不一致"
	}
	if len(v.Errors) > 0 {
		v.Message = "注册信息有误，请按提示修改。"
		cs.render(c, http.StatusUnprocessableEntity, "register", "品牌持有单位注册", v)
		return
	}
	// Limited apart from sign-ins, and more tightly: each registration that
	// passes makes an account, which a script could do for every company's
	// public code (LB_REGISTER_LIMIT). Counted once the form is in order: a
	// slip of typing costs no try.
	if ok, wait := cs.registrations.Allow(c.ClientIP(), now); !ok {
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		v.Message = fmt.Sprintf("注册过于频繁，请 %d 分钟后再试。", int(math.Ceil(wait.Minutes())))
		cs.render(c, http.StatusTooManyRequests, "register", "品牌持有单位注册", v)
		return
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		cs.fail(c, err)
		return
	}
	// With a relay and an address, the address is confirmed by a mailed
	// link (confirm.go); otherwise the account is active at once.
	confirming := !v.NoChannel && v.Values["contact_email"] != ""
	reg := store.HolderRegistration{USCC: v.Values["uscc"], UnitName: v.Values["unit_name"], ContactName: v.Values["contact_name"],
		ContactPhone: v.Values["contact_phone"], ContactEmail: v.Values["contact_email"], Confirmed: !confirming}
	// With a relay, a registration of the code left unconfirmed past its
	// links' life gives way to this one (RULES §6); without one, none is
	// left unconfirmed.
	var lapsedBefore time.Time
	if cs.Config.Mail != nil {
		lapsedBefore = now.Add(-cs.Config.ConfirmFor)
	}
	_, err = cs.Store.RegisterHolder(c, store.Account{Username: v.Values["username"], PasswordHash: hash}, reg,
		store.AccountChange{At: now, Actor: v.Values["username"], Role: "public"}, lapsedBefore)
	again := errors.Is(err, store.ErrHolderRegistered) && cs.registeredJustNow(c, reg, v.Values["username"], password, now)
	if again {
		err = nil
	}
	switch {
	case errors.Is(err, store.ErrHolderRegistered), errors.Is(err, store.ErrHolderOnRecord), errors.Is(err, store.ErrAccountExists):
		v.Errors["uscc"], v.Errors["username"] = registrationRefusedCode, registrationRefusedName
	case errors.Is(err, store.ErrImportInProgress):
		// The bureau's import of admitted brands checks each code for a
		// registration before writing it: a few minutes, then this goes through.
		v.Message = "市级工作专班正在导入已入库品牌，暂不受理注册，请约一分钟后重新提交（已填写的内容保留在下方，密码需重新输入）。"
		c.Header("Retry-After", "60")
		cs.render(c, http.StatusServiceUnavailable, "register", "品牌持有单位注册", v)
		return
	case err != nil:
		cs.fail(c, err)
		return
	}
	if len(v.Errors) > 0 {
		v.Message = "注册未完成，请按提示修改。"
		cs.render(c, http.StatusConflict, "register", "品牌持有单位注册", v)
		return
	}
	done := registerView{Registered: true, NoChannel: v.NoChannel, Values: map[string]string{"username": v.Values["username"]}, Again: again}
	if !again {
		// This browser made it: sent again from here (a refresh of this
		// answer), it is answered as now (registeredJustNow).
		cs.setCookie(c, registeredCookie, cs.registeredMark(v.Values["username"]), int(registeredAgainFor.Seconds()))
	}
	if confirming {
		done.Confirming, done.Address, done.Hours = true, reg.ContactEmail, int(cs.Config.ConfirmFor.Hours())
	}
	if confirming && !again { // sent again, its link was mailed (or not) the first time
		var refused *store.ConfirmationRefused
		switch err := cs.sendConfirmation(c, v.Values["username"], reg, reg.ContactEmail); {
		case errors.Is(err, errMailNotSent):
			done.MailFailed = true
		case errors.As(err, &refused): // the address's mails for the day are used up
			done.MailRefused = refusedMessage(refused)
		case err != nil:
			cs.fail(c, err)
			return
		}
	}
	cs.render(c, http.StatusCreated, "register", "注册成功", done)
}

// registeredCookie marks the browser that just made a registration;
// registeredAgainFor, how long a sending again from it is answered so.
const (
	registeredCookie   = "lb_registered"
	registeredAgainFor = 10 * time.Minute
)

// registeredMark is registeredCookie's value for username: keyed with the
// console's secret, so no other page or person can make one.
func (cs *Console) registeredMark(username string) string {
	m := hmac.New(sha256.New, cs.Secret)
	m.Write([]byte("console-registered\x00" + username))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// registeredJustNow reports whether the registration sent is the one this
// browser just made — a refresh of its answer, a double click without
// script: its mark, and the same user name, code, unit, contact and
// password as stored, the account made minutes ago and not disabled. It is
// answered as the first was, not refused as a code registered already; any
// other registration of the code is refused. Without the mark no password
// is tried, so the form is no way to test one.
func (cs *Console) registeredJustNow(c *gin.Context, reg store.HolderRegistration, username, password string, now time.Time) bool {
	mark, err := c.Cookie(registeredCookie)
	if err != nil || !hmac.Equal([]byte(mark), []byte(cs.registeredMark(username))) {
		return false
	}
	a, err := cs.Store.AccountByUsername(c, username)
	if err != nil || a.Disabled || auth.Role(a.Role) != auth.Applicant || a.USCC != reg.USCC || now.Sub(a.CreatedAt) > registeredAgainFor {
		return false
	}
	stored, err := cs.Store.HolderRegistrationOf(c, reg.USCC)
	if err != nil || stored.UnitName != reg.UnitName || stored.ContactName != reg.ContactName ||
		stored.ContactPhone != reg.ContactPhone || stored.ContactEmail != reg.ContactEmail {
		return false
	}
	right, err := account.CheckPassword(a.PasswordHash, password) // the browser's own: no stranger tries one here
	return err == nil && right
}

// plainAddress reports whether e is a bare e-mail address, as a person
// would type it: no display name, no control or direction-changing
// characters (which net/mail lets through), at most 254 bytes.
func plainAddress(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && len(e) <= 254 && api.TextProblem(e, false) == ""
}
