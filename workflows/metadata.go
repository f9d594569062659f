package workflows

import (
	"fmt"
	"strings"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// What a supervisor reads in the Temporal UI: each process's static
// summary and details (set when it starts), its current details (set at
// every step), and the summary of every timer and activity. Temporal's
// replay compares neither user metadata nor search-attribute values, so
// all of it can change without a version marker (replay_test.go checks it
// on the recorded histories). RULES §6: ids, stages, dates, brand and unit
// names and county codes only — never an opinion's or a report's text,
// never who objected, never a contact person.

// countyLabel is a county's name, or its code when unknown.
func countyLabel(code string) string {
	if n := form.CountyName(code); n != "" {
		return n
	}
	return code
}

func categoryLabel(c string) string {
	if l := form.Category(c).Label(); l != "" {
		return l
	}
	return c
}

func brandTypeLabel(t string) string {
	if l := form.BrandType(t).Label(); l != "" {
		return l
	}
	return t
}

// ApplicationSummary is an application process's static summary: the
// brand, its county and the procedure, e.g. "石林刺绣 · 石林彝族自治县 · 推荐入库".
func ApplicationSummary(in ApplicationInput) string {
	return in.BrandName + " · " + countyLabel(in.CountyCode) + " · 推荐入库"
}

// ApplicationDetails is an application process's static details (Markdown).
func ApplicationDetails(in ApplicationInput) string {
	return lines(
		"申报编号："+in.ApplicationID,
		"申报批次："+in.RoundID,
		"申报类别："+brandTypeLabel(in.BrandType),
		"品牌类别："+categoryLabel(in.Category),
		"申报单位："+in.UnitName,
		"所在县（市、区）："+countyLabel(in.CountyCode)+"（"+in.CountyCode+"）",
		"提交日期："+in.SubmittedOn.String(),
		broughtOverLine(in.BroughtOver),
	)
}

// broughtOverLine says where an application in flight was brought over.
func broughtOverLine(b *BroughtOver) string {
	if b == nil {
		return ""
	}
	return "来源：系统上线时在办的申请（转入时" + StageLabel(b.Stage) + "，" + b.Since.String() + " 起）"
}

// BrandSummary is a brand process's static summary, e.g.
// "安宁家政 · 安宁市 · 动态管理".
func BrandSummary(in BrandInput) string {
	return in.Name + " · " + countyLabel(in.CountyCode) + " · 动态管理"
}

// BrandDetails is a brand process's static details (Markdown).
func BrandDetails(in BrandInput) string {
	from := "入库申请：" + in.ApplicationID
	if in.Imported {
		from = "来源：系统上线前入库的品牌（导入）"
	}
	return lines(
		"品牌编号："+in.BrandID,
		from,
		"品牌类型："+brandTypeLabel(in.BrandType),
		"品牌类别："+categoryLabel(in.Category),
		"持有单位："+in.UnitName,
		"所在县（市、区）："+countyLabel(in.CountyCode)+"（"+in.CountyCode+"）",
		"入库日期："+in.AdmittedOn.String(),
		"首次评估："+firstEvaluation(in).String(),
	)
}

// firstEvaluation is the opening day of the brand's first window here: two
// years from its admission, or the day its import sheet gives (begin).
func firstEvaluation(in BrandInput) calendar.Date {
	if s := in.Standing; s != nil && !s.NextEvaluation.IsZero() {
		return s.NextEvaluation
	}
	return calendar.AddYears(in.AdmittedOn, in.Policy.EvaluationYears)
}

// BureauFanoutSummary is the static summary of the process that tells a
// functional zone's open processes their bureau.
func BureauFanoutSummary(r records.BureauFanout) string {
	return fmt.Sprintf("功能区 %s 由%s人社部门办理（第 %d 次保存）", r.Zone, form.CountyName(r.Bureau), r.Revision)
}

// CalendarFanoutSummary is the static summary of the process that tells
// every open process of calendar version v, e.g.
// "节假日安排生效：通知在办流程（第3版）".
func CalendarFanoutSummary(version int) string {
	return fmt.Sprintf("节假日安排生效：通知在办流程（第%d版）", version)
}

// DeliverySummary is a delivery process's static summary: which message
// it delivers to whom (by role), e.g. "送达：【提醒】… → 县（市、区）人社部门".
// Message titles name the brand, the action and the due date only.
func DeliverySummary(title, audience string) string {
	s := "送达：" + title
	if r := roleLabels[audience]; r != "" {
		s += " → " + r
	}
	return s
}

// lines joins Markdown lines as a list.
func lines(ls ...string) string {
	var b strings.Builder
	for _, l := range ls {
		if l != "" {
			b.WriteString("- " + l + "\n")
		}
	}
	return b.String()
}

// deadlineLabel names what a deadline is, for people.
func deadlineLabel(d *Deadline) string {
	key, _, _ := strings.Cut(d.Key, ":")
	switch key + ":" {
	case keyObjection, keyObjectionDay:
		return "异议裁定期限"
	case keyChange:
		return "变更审核意见期限"
	case keyReportTriage:
		return "举报核查处理期限"
	}
	switch key {
	case keyCountyReview:
		return "初审办理期限"
	case keyCityReview:
		return "复审办理期限"
	case keyResubmission:
		return "补充材料重新提交期限"
	case keyNotice:
		return "公示期满"
	case keyEvaluationWindow:
		return "两年评估开始"
	case keyEvaluationReport:
		return "发展情况报告提交期限"
	case keyEvaluationAssessment:
		return "综合评估期限"
	case keyRectification:
		if strings.Contains(d.Action, "三个月") {
			return "二级整改期限"
		}
		return "一级整改期限"
	case keyInterview:
		return "约谈期限"
	case keySuspensionDecision:
		return "暂停决定期限"
	case keyRenewalDecision:
		return "延续暂停决定期限"
	case keyRenewalWindow:
		return "延续暂停决定窗口开启"
	case keySuspensionEnd:
		return "暂停期满"
	case keyRemovalDecision:
		return "移出决定期限"
	}
	return d.Action + "期限"
}

// alertSummary is the summary of the timer that waits for alert a of d:
// "初审办理期限提醒 2026-12-04", "公示期满 2026-12-04", "一级整改期限 2027-01-04",
// "复审办理期限已过 2026-12-04 · 第1次督办".
func alertSummary(d *Deadline, a deadline.Alert) string {
	due := shownDue(d)
	switch a.Kind {
	case deadline.AlertReminder:
		return deadlineLabel(d) + "提醒 " + due
	case deadline.AlertEscalation:
		n := 0
		for _, x := range d.Schedule.Alerts {
			if x.Kind == deadline.AlertEscalation && x.Seq <= a.Seq {
				n++
			}
		}
		return fmt.Sprintf("%s已过 %s · 第%d次督办", deadlineLabel(d), due, n)
	}
	return deadlineLabel(d) + " " + due
}

// shownDue is the day a person reads beside the deadline's label: its last
// day — but the day an evaluation window opens on, which its deadline
// reaches at the end of the day before (armWindow), for "两年评估开始".
func shownDue(d *Deadline) string {
	if d.Key == keyEvaluationWindow {
		return calendar.DateOf(d.Value().DueAt).String()
	}
	return d.Value().Due.String()
}

// openLines lists the open deadlines, soonest first as tracked, for the
// current details.
func (ds *deadlines) openLines() []string {
	var out []string
	for _, d := range ds.Items {
		l := deadlineLabel(d) + " " + shownDue(d)
		if d.Expired {
			l += "（已逾期）"
		}
		if d.Value().Provisional {
			l += "（按暂定节假日计算）"
		}
		out = append(out, l)
	}
	return out
}

// roleLabels name the roles that take decisions; a person is never named.
var roleLabels = map[string]string{
	"county_officer": "县（市、区）人社部门",
	"city_officer":   "市人社局",
	"expert":         "评审专家",
	"applicant":      "申报单位",
	"supervisor":     "监督人员",
	"admin":          "系统管理员",
	"system":         "系统自动",
	"public":         "社会公众",
}

// actionLabels name the steps in Chinese; an unknown one shows its code.
var actionLabels = map[string]string{
	"county_review.opened": "进入初审", "brought_over": "在办申请转入", "county_review.approve": "初审通过", "county_review.reject": "初审不予推荐",
	"county_review.return": "退回补充", "resubmitted": "重新提交", "experts.drawn": "抽取专家", "expert.opinion": "专家评审意见",
	"site_visit": "实地核查", "city_review.approve": "复审通过，进入公示", "city_review.reject": "复审不予入库",
	"objection.received": "收到异议", "objection.ruled": "异议裁定", "objection.upheld": "异议成立",
	"objections.day_ruled": "当日异议裁定完毕", "notice.ended": "公示期满", "admitted": "入库", "withdrawn": "逾期未补充，视为撤回",
	"deadlines.recomputed": "节假日调整，期限重算", "evaluation.opened": "两年评估开始", "evaluation.reported": "提交发展情况报告",
	"evaluation.report_missed": "逾期未提交报告", "evaluation.pass": "综合评估通过", "evaluation.findings": "综合评估发现问题",
	"evaluation.removal_proposed": "综合评估建议移出", "finding.level1": "认定问题，一级整改", "finding.level2": "认定问题，二级整改（约谈）",
	"finding.level3": "认定问题，提请暂停", "rectification.confirmed": "确认整改到位", "rectification.lapsed": "整改期满未到位，升级",
	"interview.held": "约谈", "suspension.decided": "决定暂停标识使用权", "renewal.decided": "决定延续暂停",
	"suspension.declined": "决定不予暂停", "renewal.declined": "决定不再延续暂停", "renewal.window_opened": "延续暂停决定窗口开启", "suspension.ended": "暂停期满，恢复使用",
	"removal.reported": "上报移出", "removal.decided": "决定移出项目库", "removal.declined": "决定不予移出",
	"change.requested": "申请变更", "change.county_opinion": "县级变更意见", "change.city_opinion": "市级变更意见",
	"change.approved": "变更通过", "change.refused": "变更未通过", "report.dismissed": "举报不予立案", "reports.waiting": "举报待核查处理",
	"signed_form.received": "收到签字件", "attachment.removed": "撤回申报材料",
	ActionBureauChanged: "功能区办理部门调整",
}

// lastStepLine says what the last step was, who took it (by role) and when.
func lastStepLine(action, role string, at calendar.Date) string {
	l := actionLabels[action]
	if l == "" {
		l = action
	}
	r := roleLabels[role]
	if r == "" {
		r = role
	}
	return "最近一步：" + l + " · " + r + " · " + at.String()
}

// activityNames name the activities in Chinese.
var activityNames = map[string]string{
	ActivityApplyResubmission: "补充材料生效", ActivityDrawExperts: "抽取评审专家", ActivitySaveOpinion: "保存专家评审意见",
	ActivitySaveSiteVisit: "保存实地核查", ActivityAcceptObjection: "受理异议", ActivityRuleObjection: "保存异议裁定",
	ActivityAcceptObjectionDay: "受理当日异议", ActivityNotify: "发送通知", ActivitySignalOpenProcesses: "通知在办流程：节假日安排更新",
	ActivityDeliveryChannels: "查询送达渠道", ActivityDeliver: "送达", ActivityImportBrand: "导入品牌档案",
	ActivityBringOver: "转入在办申请", ActivityStepsRecorded: "核对决定是否已记录", ActivityDraftDays: "查阅已收到未受理的异议",
	ActivityStoredRevision: "查阅期限内已提交未生效的补充材料", ActivityStoredReport: "查阅期限内已提交未生效的发展情况报告",
	ActivityUnruledObjectionsOn: "查阅该日尚未裁定的异议", ActivityOldestOpenReport: "查阅最早未核查处理的举报",
}

// activitySummary is what the UI shows for an activity fn(args...): the
// step it records or the deadline it computes.
func activitySummary(fn any, args []any) string {
	name, _ := fn.(string)
	var arg any
	if len(args) > 0 {
		arg = args[0]
	}
	switch a := arg.(type) {
	case records.Step:
		return "记录：" + actionLabel(a.Action) + " → " + StageLabel(a.Stage)
	case records.BrandStep:
		return "记录：" + actionLabel(a.Action) + " → " + BrandStatusLabel(a.Standing.Status)
	case records.AdmissionRecord:
		return "入库：建立品牌档案 " + a.BrandID
	case records.BroughtOverRecord:
		return "转入：" + actionLabel(a.Step.Action) + " → " + StageLabel(a.Step.Stage)
	case records.BrandImport:
		return "导入：建立品牌档案 " + a.BrandID + "（" + a.AdmittedOn.String() + " 入库）"
	case deadline.Rule:
		if a.Period == deadline.OnDate {
			return fmt.Sprintf("计算期限：%s（%s）", ruleLabel(a), a.From)
		}
		return fmt.Sprintf("计算期限：%s（自 %s 起 %d%s）", ruleLabel(a), a.From, a.N, periodUnit(a.Period))
	}
	if n := activityNames[name]; n != "" {
		return n
	}
	return name
}

func actionLabel(action string) string { return labelOr(actionLabels, action) }

// ruleLabel names a deadline rule by its kind (the deadline's key).
func ruleLabel(r deadline.Rule) string {
	d := &Deadline{Key: r.Kind}
	if r.Kind == keyRectification && r.N >= 3 {
		d.Action = "三个月"
	}
	return strings.TrimSuffix(strings.TrimSuffix(deadlineLabel(d), "期限"), "期满")
}

func periodUnit(p deadline.Period) string {
	switch p {
	case deadline.Months, deadline.SanctionTerm:
		return "个月"
	case deadline.Years:
		return "年"
	case deadline.WorkdaysBefore:
		return "个工作日前"
	}
	return "个工作日"
}
