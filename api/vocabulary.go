package api

import (
	"maps"
	"reflect"
	"slices"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The vocabularies the API takes and answers, by the name a field's
// `enum:"…"` tag gives (openapi_schema.go). Each list is read from the Go
// definition that validation uses, so /openapi.json cannot promise a value
// the API refuses, nor forget one it accepts.

// Report statuses (举报): open until the county, or the city, triages it.
const (
	reportOpen          = "open"
	reportDismissed     = "dismissed"
	reportFinding       = "finding"
	reportRemovalReport = "removal_report"
	reportClosed        = "closed" // open when the brand was removed (RULES §4)
)

var reportStatuses = []string{reportOpen, reportDismissed, reportFinding, reportRemovalReport, reportClosed}

// brandStatuses are the values of a brand's status and of ?status (RULES §4).
var brandStatuses = []string{workflows.BrandStatusActive, workflows.BrandStatusRectifying,
	workflows.BrandStatusSuspended, workflows.BrandStatusRemoved}

// changeStatuses are a change request's steps (附件2): the county's
// opinion, the city's, then its outcome (store.DecideChange) — or closed,
// open when the brand was removed (RULES §4).
var changeStatuses = []string{"county", "city", "approved", "refused", "closed"}

// vocabulary is one list of values, a named schema of its own.
type vocabulary struct {
	schema string // its component schema: one Go type in the generated client
	doc    string
	values []string
}

var vocabularies = map[string]vocabulary{
	"stage":              {"Stage", "申请所处阶段（RULES §3）：初审、退回补充、复审、公示、异议复核、已入库、未通过、已撤回。", applicationStages},
	"task_stage":         {"TaskStage", "待办事项所涉对象的阶段：申请的事项按申请所处阶段（RULES §3），品牌的事项按品牌状态（RULES §4）。", taskStages},
	"brand_status":       {"BrandStatus", "品牌状态（RULES §4）：active 正常，rectifying 整改中，suspended 暂停标识使用，removed 已移出。", brandStatuses},
	"report_status":      {"ReportStatus", "举报的处理状态：待处理、不予立案、已认定问题、已报请移出，或 closed 已终止（待处理时品牌已移出项目库）。", reportStatuses},
	"category":           {"Category", "所属类别（第六条、附件1）。", texts(form.Categories)},
	"brand_type":         {"BrandType", "品牌类型（第七条）：regional 区域公用劳务品牌，enterprise 企业劳务品牌。", texts([]form.BrandType{form.Regional, form.Enterprise})},
	"role":               {"Role", "令牌可带的角色（RULES §1）。", texts(auth.Roles)},
	"actor_role":         {"ActorRole", "办理人的角色：令牌的角色，或 public（公众）、system（流程自身）。", append(texts(auth.Roles), string(auth.Public), string(auth.System))},
	"county_decision":    {"CountyDecision", "初审决定（第十一条）：approve 通过，reject 不予推荐，return 退回补充。", texts([]workflows.ReviewDecision{workflows.Approve, workflows.Reject, workflows.Return})},
	"city_decision":      {"CityDecision", "复审决定（第十二条）：approve 通过（进入公示），reject 不予入库。", texts([]workflows.ReviewDecision{workflows.Approve, workflows.Reject})},
	"assessment_outcome": {"AssessmentOutcome", "综合评估结论（第十五条）：pass 通过，findings 有问题（一级整改），removal_proposed 建议移出。", texts([]workflows.AssessmentOutcome{workflows.OutcomePass, workflows.OutcomeFindings, workflows.OutcomeRemovalProposed})},
	"triage_action":      {"TriageAction", "举报处理：dismiss 不予立案，finding 认定问题，removal_report 报请移出项目库（附件3，县级）。", texts(workflows.TriageActions)},
	"finding_reason":     {"FindingReason", "工作人员可认定的问题代码（第十五条（一）–（三））；级别由代码决定。", workflows.OfficerFindingReasons()},
	"any_finding_reason": {"RecordedFindingReason", "已认定问题的代码：工作人员认定的，或综合评估有问题（evaluation_findings）。", workflows.FindingReasons()},
	"finding_joined":     {"FindingJoined", "问题所并入的处理（RULES §4）：rectification 进行中的整改，suspension 暂停处理，suspension_proposal 理由相同、待市级决定的暂停提请。", []string{records.FindingJoinedRectification, records.FindingJoinedSuspension, records.FindingJoinedProposal}},
	"removal_reason":     {"RemovalReason", "移出理由（附件3）。", workflows.RemovalReasons},
	"pending_decision":   {"PendingDecisionKind", "品牌待作出的决定。", workflows.PendingKinds()},
	"matter_kind":        {"MatterKind", "品牌同时在办的事项类型（RULES §4）：整改、约谈、暂停、延续暂停、移出、评估报告、综合评估、变更登记、举报核查。", workflows.MatterKinds()},
	"announcement_kind":  {"AnnouncementKind", "公告的决定类型：暂停、延长暂停、恢复、移出。", slices.Sorted(maps.Keys(announcementKinds))},
	"change_status":      {"ChangeStatus", "变更登记申请的进度：待县级（county）、待市级（city）审核，已批准（approved），不予批准（refused），或已终止（closed：审核中品牌已移出项目库）。", changeStatuses},
	"attachment_kind":    {"AttachmentKind", "材料类型（第十条）。", slices.Sorted(maps.Keys(attachmentKinds))},
	"objection_via":      {"ObjectionVia", "异议的提出方式（第十三条）：public 网上提出，mail 邮寄（由市级工作专班录入）。", []string{"public", "mail"}},
	"review_unit_kind":   {"ReviewUnitKind", "初审单位的类型（RULES §1）：county 县（市、区），zone 功能区。", []string{"county", "zone"}},
	"object_type":        {"ObjectType", "期限所属的对象：application 申请，brand 品牌。", []string{"application", "brand"}},
}

// typeVocabularies gives the vocabulary of a Go type wherever a field has it.
var typeVocabularies = map[reflect.Type]string{
	reflect.TypeFor[workflows.AssessmentOutcome](): "assessment_outcome",
	reflect.TypeFor[workflows.TriageAction]():      "triage_action",
	reflect.TypeFor[form.Category]():               "category",
	reflect.TypeFor[form.BrandType]():              "brand_type",
	reflect.TypeFor[auth.Role]():                   "role",
}

func texts[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
