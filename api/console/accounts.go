package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
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

// Account administration (issue 15 item 2, 等保 2.0 身份鉴别): an admin lists
// the console's accounts, creates one, disables or enables it, ends a
// lock-out, resets a lost second factor and changes a role — the rules of
// `laborbrand user …`, each change audited by the store. Accounts are the
// console's own (the JSON API keeps bearer tokens), so the page writes them
// through the store as the sign-in pages do.

func (cs *Console) mountAccounts(in *gin.RouterGroup) {
	admin := in.Group("/accounts", cs.requireRole(auth.Admin))
	admin.GET("", cs.accountsPage)
	admin.POST("", cs.createAccount)
	admin.POST("/:username/:change", cs.changeAccountPage)
}

// requireRole lets only the roles given through; others see the 403 page.
func (cs *Console) requireRole(roles ...auth.Role) gin.HandlerFunc {
	var labels []string
	for _, r := range roles {
		labels = append(labels, roleLabel(string(r)))
	}
	return func(c *gin.Context) {
		if !slices.Contains(roles, auth.Role(session(c).Account.Role)) {
			cs.errorPage(c, http.StatusForbidden, "无权访问", "只有"+strings.Join(labels, "、")+"可以使用此页面。")
			return
		}
		c.Next()
	}
}

type accountRow struct {
	store.Account
	Locked bool
	Self   bool
}

type accountsView struct {
	Items []accountRow
	// Role and Name filter the list; Next is the page after this one,
	// "" on the last (accountsPage).
	Role, Name, Next string
	Form             *decisionForm // a new account
	Change           *decisionForm // a change being confirmed or corrected
	Roles            []option
	County           []option
	Done             string
	Reset            *resetDone // a password just reset, shown this once
	Subject          string     // the account of Change
}

var accountDone = map[string]string{"created": "账户已创建。", "disable": "账户已停用，其会话已结束。", "enable": "账户已启用。",
	"unlock": "已解除锁定。", "totp": "动态口令已重置，该账户下次登录时重新绑定。", "role": "角色已变更，其会话已结束。"}

func (cs *Console) accountsPage(c *gin.Context) {
	cs.showAccounts(c, http.StatusOK, newDecisionForm("account", "/accounts"), nil, "", accountDone[c.Query("done")])
}

// accountsPage is how many accounts the page lists at a time: holders
// register themselves, by the ten thousand in a province.
const accountsPage = 200

// resetDone is a password reset's answer: whose, and the temporary
// password to hand over.
type resetDone struct{ Username, Temporary string }

func (cs *Console) showAccounts(c *gin.Context, status int, f, change *decisionForm, subject, done string) {
	cs.renderAccounts(c, status, accountsView{Form: f, Change: change, Subject: subject, Done: done})
}

// renderAccounts shows the accounts page v with the accounts as they are.
func (cs *Console) renderAccounts(c *gin.Context, status int, v accountsView) {
	v.Role, v.Name = c.Query("role"), strings.TrimSpace(c.Query("name"))
	if !auth.Role(v.Role).Valid() {
		v.Role = ""
	}
	if utf8.RuneCountInString(v.Name) > 64 {
		v.Name = ""
	}
	accounts, more, err := cs.Store.AccountsPage(c, store.AccountFilter{Role: v.Role, NamePrefix: v.Name, After: c.Query("after"), Limit: accountsPage})
	if err != nil {
		cs.fail(c, err)
		return
	}
	if more {
		v.Next = "/accounts?" + url.Values{"role": {v.Role}, "name": {v.Name}, "after": {accounts[len(accounts)-1].Username}}.Encode()
	}
	if created := c.Query("created"); c.Query("done") == "created" && created != "" {
		if a, err := cs.Store.AccountByUsername(c, created); err == nil && auth.Role(a.Role) == auth.Applicant {
			same, err := cs.Store.AccountsOfUSCC(c, a.USCC)
			if err != nil {
				cs.fail(c, err)
				return
			}
			v.Done += sameUSCCNotice(same, created)
		}
	}
	me, now := session(c).Account.Username, time.Now()
	for _, a := range accounts {
		v.Items = append(v.Items, accountRow{Account: a, Locked: a.LockedUntil != nil && a.LockedUntil.After(now), Self: a.Username == me})
	}
	for _, r := range auth.Roles {
		v.Roles = append(v.Roles, option{string(r), roleLabel(string(r))})
	}
	for _, co := range form.Counties() { // bureaus, not zones
		v.County = append(v.County, option{co.Code, co.Name})
	}
	cs.render(c, status, "accounts", "账户管理", v)
}

func (cs *Console) by(c *gin.Context) store.AccountChange {
	a := session(c).Account
	return store.AccountChange{At: time.Now(), Actor: a.Username, Role: a.Role}
}

// bindingErrors checks a role against its binding as `laborbrand user add`
// does: a county officer's county, an applicant's USCC, an expert's id, and
// nothing a role does not use.
func bindingErrors(a store.Account) map[string]string {
	errs := map[string]string{}
	r := auth.Role(a.Role)
	if !r.Valid() {
		errs["role"] = "请选择角色"
		return errs
	}
	switch {
	case r == auth.CountyOfficer && form.CountyName(a.County) == "":
		errs["county"] = "县级人社部门的账户须选择县（市、区）"
	case r != auth.CountyOfficer && a.County != "":
		errs["county"] = "只有县级人社部门的账户选择县（市、区）"
	}
	switch {
	case r == auth.Applicant && uscc.Validate(a.USCC) != nil:
		errs["uscc"] = "品牌持有单位的账户须填写有效的统一社会信用代码（校验未通过、经市级说明理由代录申报的，须与其申请中的代码一致）"
	case r != auth.Applicant && a.USCC != "":
		errs["uscc"] = "只有品牌持有单位的账户填写统一社会信用代码"
	}
	switch {
	case api.TextProblem(a.ExpertID, false) != "" || len(a.ExpertID) > 64:
		errs["expert_id"] = "专家编号有误"
	case r == auth.Expert && a.ExpertID == "":
		errs["expert_id"] = "评审专家的账户须填写专家智库中的编号"
	case r != auth.Expert && a.ExpertID != "":
		errs["expert_id"] = "只有评审专家的账户填写专家编号"
	}
	return errs
}

func readAccount(c *gin.Context, f *decisionForm) store.Account {
	for _, k := range []string{"username", "role", "county", "uscc", "expert_id"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	return store.Account{Username: f.Values["username"], Role: f.Values["role"], County: f.Values["county"],
		USCC: uscc.Normalize(f.Values["uscc"]), ExpertID: f.Values["expert_id"]} // as the library keeps it: full width and lower case folded
}

// createAccount creates an account with its first password.
func (cs *Console) createAccount(c *gin.Context) {
	f := newDecisionForm("account", "/accounts")
	a := readAccount(c, f)
	f.Errors = bindingErrors(a)
	if _, bad := f.Errors["uscc"]; bad && auth.Role(a.Role) == auth.Applicant && a.USCC != "" && api.TextProblem(a.USCC, false) == "" && len(a.USCC) <= 64 {
		// RULES §2: a code the city let through its check, with its reason
		// on record, is the holder's as the library has it.
		code := uscc.Normalize(a.USCC)
		switch overridden, err := cs.Store.USCCOverridden(c, code); {
		case err != nil:
			cs.fail(c, err)
			return
		case overridden:
			a.USCC = code
			delete(f.Errors, "uscc")
		}
	}
	if msg := account.UsernameProblem(a.Username); msg != "" {
		f.Errors["username"] = msg
	}
	password := c.PostForm("password")
	if msg := account.CheckPolicy(a.Username, password); msg != "" {
		f.Errors["password"] = msg
	}
	if len(f.Errors) == 0 {
		hash, err := account.HashPassword(password)
		if err != nil {
			cs.fail(c, err)
			return
		}
		// The admin chose it and tells it: the person sets their own at
		// the first sign-in, as after a reset.
		a.PasswordHash, a.PasswordToChange = hash, true
		_, err = cs.Store.CreateAccount(c, a, cs.by(c))
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/accounts?"+url.Values{"done": {"created"}, "created": {a.Username}}.Encode())
			return
		}
		if !errors.Is(err, store.ErrAccountExists) {
			cs.fail(c, err)
			return
		}
		f.Errors["username"] = "该用户名已被使用"
	}
	f.Message = "请按提示修改后再提交"
	cs.showAccounts(c, http.StatusUnprocessableEntity, f, nil, "", "")
}

// sameUSCCNotice tells the admin who just opened the holder account created
// which other active accounts hold its USCC. A USCC is public, so anyone
// may have self-registered it before the unit did (RULES §6): the admin
// opening the unit's account at its request is the one to see it and stop
// the other. The names come from the database, never from the link.
func sameUSCCNotice(accounts []store.Account, created string) string {
	var code string
	for _, a := range accounts {
		if a.Username == created && auth.Role(a.Role) == auth.Applicant {
			code = a.USCC
		}
	}
	var others []string
	for _, a := range accounts {
		if code != "" && a.USCC == code && a.Username != created && !a.Disabled {
			others = append(others, a.Username)
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf("统一社会信用代码 %s 下另有账户：%s。如其并非该单位本人所开（他人以该代码自行注册），请停用。", code, strings.Join(others, "、"))
}

// accountChanges are the changes an admin confirms on an account.
var accountChanges = map[string]string{"disable": "停用账户", "enable": "启用账户", "unlock": "解除锁定", "totp": "重置动态口令", "role": "变更角色",
	"password": "重置密码（生成临时密码，结束其会话）"}

// changeAccountPage asks to confirm a change, then makes it (confirm=1).
// An admin never changes their own account here: locking oneself out
// needs `laborbrand user` on the server.
func (cs *Console) changeAccountPage(c *gin.Context) {
	username, change := c.Param("username"), c.Param("change")
	label, known := accountChanges[change]
	if !known {
		cs.NotFound(c)
		return
	}
	// The account the store finds under the name, compared by id: one
	// name whatever its case (RULES §6), as PostgreSQL folds it, not Go.
	if target, err := cs.Store.AccountByUsername(c, username); err == nil && target.ID == session(c).Account.ID ||
		strings.EqualFold(username, session(c).Account.Username) {
		cs.errorPage(c, http.StatusConflict, "无法办理", "不能在此变更自己的账户；请由另一位系统管理员办理，或在服务器上使用 laborbrand user。")
		return
	}
	f := newDecisionForm(change, "/accounts/"+url.PathEscape(username)+"/"+change)
	f.Summary = []summaryRow{{"账户", username}, {"变更", label}}
	var a store.Account
	if change == "role" {
		a = readAccount(c, f)
		a.Username = username
		if f.Errors = bindingErrors(a); len(f.Errors) > 0 {
			f.Message = "请按提示修改后再提交"
			cs.showAccounts(c, http.StatusUnprocessableEntity, newDecisionForm("account", "/accounts"), f, username, "")
			return
		}
		f.Summary = append(f.Summary, summaryRow{"新角色", roleLabel(a.Role) + strings.TrimSpace(" "+countyOrEmpty(a.County)+" "+a.USCC+" "+a.ExpertID)})
	}
	if c.PostForm("confirm") != "1" {
		f.Confirm = true
		cs.showAccounts(c, http.StatusOK, newDecisionForm("account", "/accounts"), f, username, "")
		return
	}
	by := cs.by(c)
	var err error
	switch change {
	case "disable":
		err = cs.Store.DisableAccount(c, username, by)
	case "enable":
		err = cs.Store.EnableAccount(c, username, by)
	case "unlock":
		err = cs.Store.UnlockAccount(c, username, by)
	case "totp":
		err = cs.Store.ResetTOTP(c, username, by)
	case "role":
		err = cs.Store.SetRole(c, a, by)
	case "password":
		cs.resetPassword(c, username, by)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		cs.errorPage(c, http.StatusNotFound, "未找到", "没有该账户。")
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/accounts?done="+change)
}

// resetPassword sets a temporary password, shown once, on this page, to
// the admin who hands it over — never in a link, a log or the audit trail
// —, and ends the account's sessions. A disabled account is enabled first.
func (cs *Console) resetPassword(c *gin.Context, username string, by store.AccountChange) {
	switch a, err := cs.Store.AccountByUsername(c, username); {
	case errors.Is(err, store.ErrNotFound):
		cs.errorPage(c, http.StatusNotFound, "未找到", "没有该账户。")
		return
	case err != nil:
		cs.fail(c, err)
		return
	case a.Disabled:
		cs.errorPage(c, http.StatusConflict, "无法办理", "该账户已停用，请先启用，再重置密码。")
		return
	}
	temporary, err := account.TemporaryPassword(username)
	if err != nil {
		cs.fail(c, err)
		return
	}
	hash, err := account.HashPassword(temporary)
	if err == nil {
		err = cs.Store.ResetPassword(c, username, hash, by)
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	cs.renderAccounts(c, http.StatusOK, accountsView{Form: newDecisionForm("account", "/accounts"), Reset: &resetDone{username, temporary}})
}

func countyOrEmpty(code string) string {
	if code == "" {
		return ""
	}
	return countyName(code)
}

func init() {
	funcs["deref"] = func(t *time.Time) time.Time { return *t }
	funcs["noErrors"] = func() map[string]string { return map[string]string{} }
}
