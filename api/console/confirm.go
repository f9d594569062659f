package console

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/email"
	"github.com/kunming-hrss/laborbrand/store"
)

// A holder's e-mail confirmation (issue 16 item 1). With an SMTP relay
// configured (LB_SMTP_*), a holder that registers with an e-mail address
// is mailed a link and cannot sign in until it opens it: its correct
// password leads to the confirmation page only (session stage
// sessionConfirm), where it may correct the address and have the link sent
// again. Why a link and not a short code: 32 random bytes cannot be
// guessed, so nothing needs counting attempts, and a link opened on
// another device (the mail read on a phone) works as well; the database
// keeps only its hash, as it does session ids. The link opens a page whose
// button confirms, so a mail scanner following links spends nothing.
// Phone confirmation needs an SMS gateway, which the system does not have.

// sessionConfirm is the stage of a session whose password was right but
// whose holder has not confirmed its e-mail address.
const sessionConfirm = "confirm"

// confirmView is the confirmation pages.
type confirmView struct {
	Username, Address string
	Values, Errors    map[string]string // the address field
	Message, Notice   string
	Token             string // the link's page: the token its button posts
	Confirmed         bool
	Hours             int
}

func (cs *Console) mountConfirm(pages gin.IRoutes) {
	pages.GET("/register/confirm", cs.confirmPage)
	pages.POST("/register/confirm", cs.resendConfirmation)
	pages.GET("/register/confirm/:token", cs.confirmLinkPage)
	pages.POST("/register/confirm/:token", cs.confirm)
}

// errMailNotSent: the relay did not take the confirmation mail.
var errMailNotSent = errors.New("confirmation mail not sent")

// sendConfirmation records a new link for the holder (within the limit;
// *store.ConfirmationRefused beyond) and mails it to address. A relay that
// fails is logged and answered errMailNotSent: the link is recorded, the
// holder may have it sent again after the gap.
func (cs *Console) sendConfirmation(c *gin.Context, username string, r store.HolderRegistration, address string) error {
	token, now := newToken(), time.Now()
	by := store.AccountChange{At: now, Actor: username, Role: "applicant"}
	if err := cs.Store.NewConfirmation(c, r.USCC, address, token, cs.Config.ConfirmFor, cs.Config.ConfirmLimit, by); err != nil {
		return err
	}
	link := strings.TrimRight(cs.Config.PublicURL, "/") + "/register/confirm/" + token
	// The registrant's own words (the unit's name) stay out of a mail the
	// bureau sends to an address anyone may type: only what the system
	// checked — the USCC, the user name's letters — and its own text.
	body := fmt.Sprintf("您好：\r\n\r\n统一社会信用代码为 %s 的单位在昆明市市级劳务品牌项目库注册了账户 %s。"+
		"请在%d小时内打开以下链接，确认本电子邮箱，确认后即可登录：\r\n\r\n%s\r\n\r\n如非贵单位注册，请忽略本邮件，账户不会启用。\r\n",
		r.USCC, username, int(cs.Config.ConfirmFor.Hours()), link)
	ctx, cancel := context.WithTimeout(c, email.Timeout)
	defer cancel()
	err := cs.Config.Mail.Send(ctx, email.Mail{To: []string{address}, Subject: "【昆明市劳务品牌项目库】请确认电子邮箱",
		Body: body, Date: now, ID: "confirm." + newToken()[:16]})
	if err != nil {
		cs.Log.Error("console: confirmation mail", "uscc", r.USCC, "error", redactAddress(err.Error(), address))
		return errMailNotSent
	}
	return nil
}

func redactAddress(s, address string) string { return strings.ReplaceAll(s, address, "<address>") }

// refusedMessage says when a confirmation may be sent again.
func refusedMessage(r *store.ConfirmationRefused) string {
	if r.Daily {
		return fmt.Sprintf("今天发送确认邮件的次数已用完，请于 %s 后再试，或联系市级工作专班。", time.Now().Add(r.Wait).In(shanghai).Format("01-02 15:04"))
	}
	return fmt.Sprintf("确认邮件刚刚发送过，请于 %d 秒后再试。", int(math.Ceil(r.Wait.Seconds())))
}

// pendingSession is the request's session at the confirmation stage with
// its registration, or false after sending the browser on.
func (cs *Console) pendingSession(c *gin.Context) (*store.Session, store.HolderRegistration, bool) {
	s := session(c)
	if s == nil || s.Stage != sessionConfirm {
		c.Redirect(http.StatusSeeOther, "/login")
		return nil, store.HolderRegistration{}, false
	}
	r, pending, err := cs.Store.PendingConfirmation(c, s.Account.ID)
	if err != nil {
		cs.fail(c, err)
		return nil, r, false
	}
	if !pending { // confirmed meanwhile (the link opened elsewhere)
		c.Redirect(http.StatusSeeOther, "/login?confirmed=1")
		return nil, r, false
	}
	return s, r, true
}

func (cs *Console) confirmPage(c *gin.Context) {
	s, r, ok := cs.pendingSession(c)
	if !ok {
		return
	}
	cs.renderConfirm(c, http.StatusOK, confirmView{Username: s.Account.Username, Address: r.ContactEmail,
		Errors: map[string]string{}, Hours: int(cs.Config.ConfirmFor.Hours())})
}

// resendConfirmation mails a new link, to a corrected address when one is
// given, within the limit.
func (cs *Console) resendConfirmation(c *gin.Context) {
	s, r, ok := cs.pendingSession(c)
	if !ok {
		return
	}
	v := confirmView{Username: s.Account.Username, Address: strings.TrimSpace(c.PostForm("contact_email")), Errors: map[string]string{},
		Hours: int(cs.Config.ConfirmFor.Hours())}
	if !plainAddress(v.Address) {
		v.Errors["contact_email"] = "电子邮箱格式有误"
		v.Message = "请填写正确的电子邮箱。"
		cs.renderConfirm(c, http.StatusUnprocessableEntity, v)
		return
	}
	if cs.Config.Mail == nil { // the relay was removed since: nothing to confirm by
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	var refused *store.ConfirmationRefused
	switch err := cs.sendConfirmation(c, s.Account.Username, r, v.Address); {
	case errors.As(err, &refused):
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(refused.Wait.Seconds()))))
		v.Message = refusedMessage(refused)
		cs.renderConfirm(c, http.StatusTooManyRequests, v)
	case errors.Is(err, errMailNotSent):
		v.Message = "确认邮件暂未能发出，请稍后再试。"
		cs.renderConfirm(c, http.StatusServiceUnavailable, v)
	case err != nil:
		cs.fail(c, err)
	default:
		v.Notice = "确认邮件已重新发送至 " + v.Address + "，请查收。"
		cs.renderConfirm(c, http.StatusOK, v)
	}
}

// renderConfirm shows the confirmation page with v's address in its field.
func (cs *Console) renderConfirm(c *gin.Context, status int, v confirmView) {
	v.Values = map[string]string{"contact_email": v.Address}
	cs.render(c, status, "confirm", "确认电子邮箱", v)
}

// confirmLinkPage is where the mailed link lands: a button, so that only a
// person's click confirms.
func (cs *Console) confirmLinkPage(c *gin.Context) {
	cs.render(c, http.StatusOK, "confirm", "确认电子邮箱", confirmView{Token: c.Param("token")})
}

func (cs *Console) confirm(c *gin.Context) {
	token := c.Param("token")
	username, err := cs.Store.ConfirmHolder(c, token, time.Now())
	if errors.Is(err, store.ErrNotFound) {
		cs.errorPage(c, http.StatusGone, "确认链接无效",
			"该确认链接无效、已使用或已过期。请用注册的用户名和密码登录，在确认页面重新发送确认邮件。")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "confirm", "电子邮箱已确认", confirmView{Confirmed: true, Username: username})
}
