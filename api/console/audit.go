package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// The audit log page (issue 15 item 3; 等保 2.0 安全审计): the trail, newest
// first, filtered by who, what and which object, and the check of its hash
// chain on request — for admins and supervisors, as the API allows.

func (cs *Console) mountAudit(in *gin.RouterGroup) {
	in.GET("/audit", cs.auditPage)
}

type auditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Role       string    `json:"role"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Hash       string    `json:"hash"`
}

type auditCheckView struct {
	Checked  int64  `json:"checked"`
	Intact   bool   `json:"intact"`
	BrokenAt *int64 `json:"broken_at"`
	Reason   string `json:"reason"`
}

type auditView struct {
	Filter url.Values
	Items  []auditEntry
	Next   string // the next page's address, "" on the last
	Check  *auditCheckView
}

// auditFilters are the page's filters, passed on to GET /api/v1/audit.
var auditFilters = []string{"actor", "action", "object_type", "object_id"}

// auditPage lists the trail (GET /api/v1/audit) and, with ?verify=1,
// checks its chain (GET /api/v1/audit/verify).
func (cs *Console) auditPage(c *gin.Context) {
	v := auditView{Filter: url.Values{}}
	q := url.Values{}
	for _, k := range auditFilters {
		if val := strings.TrimSpace(c.Query(k)); val != "" {
			v.Filter.Set(k, val)
			q.Set(k, val)
		}
	}
	if cur := c.Query("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	var list apiList[auditEntry]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/audit?"+q.Encode(), nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	if list.Next != nil {
		next := url.Values{}
		for k, vals := range v.Filter {
			next[k] = vals
		}
		next.Set("cursor", *list.Next)
		v.Next = "/audit?" + next.Encode()
	}
	if c.Query("verify") == "1" {
		v.Check = &auditCheckView{}
		if err := cs.callAPI(c, http.MethodGet, "/api/v1/audit/verify", nil, "", v.Check); err != nil {
			cs.fail(c, err)
			return
		}
	}
	cs.render(c, http.StatusOK, "audit", "审计日志", v)
}

// auditActionLabel names an audit action in Chinese where the console
// knows it; others show as recorded.
func auditActionLabel(action string) string {
	labels := map[string]string{
		"account.create": "创建账户", "account.password": "重设密码", "account.disable": "停用账户", "account.enable": "启用账户",
		"account.totp_enrol": "绑定动态口令", "account.totp_reset": "重置动态口令", "account.unlock": "解除锁定", "account.role": "变更角色",
		"console.sign_in": "登录", "console.sign_in_failed": "登录失败", "console.locked": "账户被锁定", "console.sign_out": "退出登录",
		"calendar.load_year": "加载全年放假安排", "calendar.county_off_day": "添加地方假日",
		"calendar.county_off_day_removed": "删除地方假日",
		"account.password_reset":          "重置为临时密码", "account.register": "持有单位自行注册", "account.confirmation_sent": "发送确认邮件",
		"account.confirm": "确认电子邮箱", "account.registration_lapsed": "删除逾期未确认的注册",
		"account.uscc_moved": "账户随信用代码变更", "account.uscc_unbound": "解除账户与原信用代码的绑定",
		"application.submit": "提交申请", "application.attach": "上传附件", "application.detach": "撤回附件", "round.create": "创建申报批次",
		"application.signed_form": "上传签字件（附件1）", "brand.signed_form": "上传签字件（附件2、附件3）",
		"review_unit.saved": "设置初审单位", "import.brands": "导入劳务品牌", "import.brands_refused": "导入表被拒收", "export.applications": "导出申请",
		"export.brands": "导出劳务品牌", "export.tasks": "导出待办", "export.statistics": "导出统计表",
		"export.yearly-report": "导出年度统计报告", "expert.create": "添加专家", "expert.update": "修改专家信息",
		"token.revoke": "吊销访问令牌",
	}
	if l, ok := labels[action]; ok {
		return l
	}
	// A process's step is audited under its object's kind: brand.finding.level1.
	for _, kind := range []string{"brand.", "application."} {
		if step, ok := strings.CutPrefix(action, kind); ok {
			return historyLabel(step)
		}
	}
	return historyLabel(action)
}

// auditObjectLabel names the kind of thing an audit row is about; a kind
// not listed shows as stored.
func auditObjectLabel(kind string) string {
	labels := map[string]string{"account": "账户", "application": "申请", "brand": "劳务品牌", "calendar_county": "地方假日",
		"calendar_year": "全年放假安排", "expert": "专家", "export": "导出", "import": "导入", "objection": "异议",
		"review_unit": "初审单位", "round": "申报批次", "token_subject": "访问令牌"}
	if l, ok := labels[kind]; ok {
		return l
	}
	return kind
}

func init() {
	funcs["auditAction"] = auditActionLabel
	funcs["auditObject"] = auditObjectLabel
}
