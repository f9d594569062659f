package workflows

import (
	"slices"
	"strings"
)

// The vocabularies of the scheme: the values that decisions, stages and
// statuses take, in the API, in search attributes and in the records. Each
// is a constant here and nowhere else.

// Stages of an application (RULES §3; API and search attribute values).
const (
	StageCountyReview    = "county_review"
	StageReturned        = "returned"
	StageCityReview      = "city_review"
	StagePublicNotice    = "public_notice"
	StageObjectionReview = "objection_review"
	StageAdmitted        = "admitted"
	StageRejected        = "rejected"
	StageWithdrawn       = "withdrawn"
)

// IsFinalStage reports whether an application in stage s is closed.
func IsFinalStage(s string) bool {
	return s == StageAdmitted || s == StageRejected || s == StageWithdrawn
}

// Brand statuses (RULES §4; API and search attribute values).
const (
	BrandStatusActive     = "active"
	BrandStatusRectifying = "rectifying"
	BrandStatusSuspended  = "suspended"
	BrandStatusRemoved    = "removed"
)

// Pending decision kinds (API.md brand view, pending_decision.kind).
const (
	PendingInterview            = "interview"
	PendingSuspension           = "suspension"
	PendingSuspensionRenewal    = "suspension_renewal"
	PendingRemoval              = "removal"
	PendingEvaluationReport     = "evaluation_report"
	PendingEvaluationAssessment = "evaluation_assessment"
)

// MatterReportTriage is the open matter of the reports (举报) waiting for
// the county's triage (RULES §4); a matter, never a pending decision.
const MatterReportTriage = "report_triage"

// MatterRectification is the open matter of a rectification order: the
// brand's (no id), or one of its own beside it (its finding's id).
const MatterRectification = "rectification"

// ReviewDecision is a 初审 (第十一条) or 复审 (第十二条) decision.
type ReviewDecision string

// The review decisions. Return (退回补充) is the county's only.
const (
	Approve ReviewDecision = "approve"
	Reject  ReviewDecision = "reject"
	Return  ReviewDecision = "return"
)

// AssessmentOutcome is the city's 综合评估 of an evaluation report (第十五条).
type AssessmentOutcome string

// The assessment outcomes.
const (
	OutcomePass            AssessmentOutcome = "pass"
	OutcomeFindings        AssessmentOutcome = "findings"         // opens a level-1 rectification
	OutcomeRemovalProposed AssessmentOutcome = "removal_proposed" // no longer meets the criteria
)

// TriageAction is what the county, or the city, does with a report (举报).
type TriageAction string

// The triage actions.
const (
	TriageDismiss       TriageAction = "dismiss"        // 不予立案
	TriageFinding       TriageAction = "finding"        // 认定问题: opens a finding
	TriageRemovalReport TriageAction = "removal_report" // 报请移出: the county's removal report (附件3) from it
)

// TriageActions are the triage actions in the order a form offers them.
var TriageActions = []TriageAction{TriageDismiss, TriageFinding, TriageRemovalReport}

// Finding reason codes (API.md) and their level (第十五条（一）–（三）).
var findingLevels = map[string]int{
	"late_information":         1,
	"basic_info_not_updated":   1,
	"logo_misuse":              1,
	"unauthorized_plaque":      1,
	"abnormal_operations_list": 1,
	"major_info_not_reported":  2,
	"rectification_inadequate": 2,
	"serious_dishonesty_list":  3,
	// RULES §4: 整改措施不力 during a level-2 order lets the county propose
	// suspension before the three months end.
	measuresInadequate: 3,
	// RULES §4 Decision: a biennial assessment with findings opens level 1.
	evaluationFindings: 1,
}

// FindingLevel is the level of a finding reason code, 0 when unknown.
func FindingLevel(reason string) int { return findingLevels[reason] }

// Removal report reason codes (附件3).
var RemovalReasons = []string{"dissolved_or_inactive", "serious_violation", "fraud", "no_longer_eligible"}

// removalReasonLabels are 附件3's situations.
var removalReasonLabels = map[string]string{
	"dissolved_or_inactive": "破产清算、解散、注销、被吊销营业执照或两年以上不开展经营活动",
	"serious_violation":     "发生严重损害消费者权益、出现重大质量问题或安全事故、严重侵犯他人知识产权、严重扰乱市场秩序或其他严重违法行为",
	"fraud":                 "以欺骗或其他不正当手段通过劳务品牌认定",
	"no_longer_eligible":    "已经不符合劳务品牌认定条件",
}

// RemovalReasonLabel is a removal reason's Chinese name (附件3), or the code
// when it has none.
func RemovalReasonLabel(reason string) string { return labelOr(removalReasonLabels, reason) }

// The reasons a process itself proposes a decision on, beside officers'
// findings and reported situations (a proposal's open_matters reasons).
const (
	ReasonLevel2Lapsed        = "level2_lapsed"         // 第十五条（三）: the interview's three months ran out
	ReasonSuspendedThreeTimes = "suspended_three_times" // 第十五条（四）4: the third suspension
)

var processReasonLabels = map[string]string{
	ReasonLevel2Lapsed:        "约谈整改期满仍未整改到位（第十五条（三））",
	ReasonSuspendedThreeTimes: "被暂停使用劳务品牌标识三次以上（含三次）（第十五条（四））",
}

// ProposalReasonLabel is the Chinese name of a reason a proposal of kind
// (PendingSuspension, PendingRemoval) rests on: a finding's, a reported
// situation's (附件3), or one the process proposed on by itself.
func ProposalReasonLabel(kind, reason string) string {
	if l, ok := processReasonLabels[reason]; ok {
		return l
	}
	if kind == PendingRemoval {
		return RemovalReasonLabel(reason)
	}
	return FindingReasonLabel(reason)
}

// labelOr is code's Chinese name in labels, or the code when it has none.
func labelOr(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

// evaluationFindings is the reason an assessment with findings gives; only
// an assessment opens it, never an officer's finding.
const evaluationFindings = "evaluation_findings"

// officerFindingReasons are the reason codes an officer may give, in the
// order of 第十五条（一）–（三）.
var officerFindingReasons = []string{"late_information", "basic_info_not_updated", "logo_misuse", "unauthorized_plaque",
	"abnormal_operations_list", "major_info_not_reported", "rectification_inadequate", "serious_dishonesty_list",
	measuresInadequate}

// measuresInadequate is 整改措施不力: only during a level-2 rectification.
const measuresInadequate = MeasuresInadequate

// rectificationInadequate is a level-1 order not rectified (第十五条（二）1):
// only while one runs; its lapse gives it by itself.
const rectificationInadequate = RectificationInadequate

// The ladder's own reasons, for pages that offer what the process takes.
const (
	MeasuresInadequate      = "rectification_measures_inadequate"
	RectificationInadequate = "rectification_inadequate"
)

// officerFindingReason refuses a reason code an officer may not give.
func officerFindingReason(reason string) error {
	if !slices.Contains(officerFindingReasons, reason) {
		return invalid("问题类型无效", RejectedField{Field: "reason", Message: "须为问题代码之一：" + strings.Join(officerFindingReasons, "、")})
	}
	return nil
}

// OfficerFindingReasons lists the reason codes an officer may give a
// finding, in the order of 第十五条（一）–（三） (the API's vocabulary).
func OfficerFindingReasons() []string { return slices.Clone(officerFindingReasons) }

// FindingReasons lists every reason code a recorded finding may carry: an
// officer's, and the one an assessment with findings opens.
func FindingReasons() []string { return append(OfficerFindingReasons(), evaluationFindings) }

// PendingKinds lists the kinds of a brand's pending decision.
func PendingKinds() []string {
	return []string{PendingInterview, PendingSuspension, PendingSuspensionRenewal, PendingRemoval,
		PendingEvaluationReport, PendingEvaluationAssessment}
}

// findingReasonLabels name the finding reasons as 第十五条 words them.
var findingReasonLabels = map[string]string{
	"late_information":         "未按时提供相关信息",
	"basic_info_not_updated":   "基本信息变更未及时登记",
	"logo_misuse":              "不规范使用劳务品牌标识",
	"unauthorized_plaque":      "擅自制作、变造劳务品牌牌匾",
	"abnormal_operations_list": "被列入经营异常名录",
	"major_info_not_reported":  "重大信息变更未申请变更登记",
	"rectification_inadequate": "一级整改期满未整改到位",
	"serious_dishonesty_list":  "被列入严重违法失信名单",
	measuresInadequate:         "约谈整改期间整改措施不力",
	evaluationFindings:         "综合评估发现问题",
}

// FindingReasonLabel is a finding reason's Chinese name, or the code when
// it has none.
func FindingReasonLabel(reason string) string { return labelOr(findingReasonLabels, reason) }

// RectificationReasons are the reasons of a level-1 or level-2 order, in
// the order of 第十五条（一）–（二）.
func RectificationReasons() []string {
	var out []string
	for _, r := range officerFindingReasons {
		if l := FindingLevel(r); l == 1 || l == 2 {
			out = append(out, r)
		}
	}
	return append(out, evaluationFindings)
}
