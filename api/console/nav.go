package console

import (
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// navItem is one entry of the header's navigation.
type navItem struct{ Label, Href string }

// navFor is the navigation a role sees. A new page adds its entry here for
// the roles that may open it.
func navFor(role string) []navItem {
	items := []navItem{{"待办事项", "/work"}}
	switch auth.Role(role) {
	case auth.CountyOfficer, auth.CityOfficer, auth.Supervisor:
		items = append(items, navItem{"劳务品牌", "/brands"})
	}
	items = append(items, admissionNav(auth.Role(role))...)
	items = append(items, libraryNav(auth.Role(role))...)
	items = append(items, importNav(auth.Role(role))...)
	items = append(items, holderNav(auth.Role(role))...)
	if auth.Role(role) != auth.Admin {
		items = append(items, navItem{"消息", "/inbox"})
	}
	switch auth.Role(role) {
	case auth.CountyOfficer, auth.CityOfficer, auth.Supervisor, auth.Admin:
		items = append(items, navItem{"工作日历", "/calendar"})
	}
	switch auth.Role(role) {
	case auth.CountyOfficer, auth.CityOfficer, auth.Supervisor:
		items = append(items, navItem{"举报", "/reports"}, navItem{"变更登记", "/changes"})
	}
	switch auth.Role(role) {
	case auth.Supervisor, auth.Admin:
		items = append(items, navItem{"审计日志", "/audit"})
	}
	if auth.Role(role) == auth.Admin {
		items = append(items, navItem{"账户管理", "/accounts"}, navItem{"初审单位", "/review-units"})
	}
	return items
}

// homeOf is where a role lands after signing in: its first entry.
func homeOf(role string) string { return navFor(role)[0].Href }

// roleLabel is a role's Chinese name (RULES §1).
func roleLabel(role string) string {
	switch auth.Role(role) {
	case auth.Applicant:
		return "品牌持有单位"
	case auth.CountyOfficer:
		return "县（市、区）人社部门"
	case auth.CityOfficer:
		return "市级工作专班"
	case auth.Expert:
		return "评审专家"
	case auth.Supervisor:
		return "监督人员"
	case auth.Admin:
		return "系统管理员"
	case auth.System:
		return "系统自动"
	case auth.Public:
		return "公众"
	}
	return role
}

// taskKindLabel names a work-queue entry's kind (its deadline's key).
func taskKindLabel(kind string) string {
	labels := map[string]string{
		"county_review": "县级初审", "city_review": "市级复审", "resubmission": "补充材料重新提交", "expert_opinion": "专家评审意见",
		"evaluation_report": "提交发展情况报告", "evaluation_assessment": "综合评估", "rectification": "整改",
		"interview": "约谈", "suspension_decision": "暂停标识使用权决定", "renewal_decision": "延续暂停决定",
		"removal_decision": "移出项目库决定",
	}
	for prefix, label := range map[string]string{"objection_ruling:": "异议裁定", "objection_day:": "异议裁定", "change:": "变更审核意见", "report_triage:": "举报核查处理"} {
		if len(kind) > len(prefix) && kind[:len(prefix)] == prefix {
			return label
		}
	}
	if l, ok := labels[kind]; ok {
		return l
	}
	// A keyed entry of a kind that can be open more than once at a time
	// (a late-information order, an assessment set aside): its kind's name.
	if base, _, keyed := strings.Cut(kind, ":"); keyed {
		if l, ok := labels[base]; ok {
			return l
		}
	}
	return kind
}
