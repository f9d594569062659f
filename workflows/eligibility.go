package workflows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// UnmetCriterion is an admission criterion of 第八条/第九条 that the
// application's current form does not meet, as the API reads it from the
// stored checklist and hands it over with an approval.
type UnmetCriterion struct {
	Criterion string `json:"criterion"`
	// Relaxable is true where the scheme lets a reviewer relax the
	// criterion: the trainees of a 非遗 enterprise (第九条（五）).
	Relaxable bool `json:"relaxable,omitempty"`
}

// Relaxation is a reviewer's relaxation of an unmet criterion, with its
// reason; it is recorded with the approval and audited.
type Relaxation struct {
	Criterion string `json:"criterion" doc:"条件代码（eligibility 中的 criterion）"`
	Reason    string `json:"reason" doc:"放宽的理由"`
}

// eligibilityGate refuses an approval while a criterion is not met
// (第十一条 "筛选出符合条件的", RULES §2 the gate): the county and the city
// may pass on only brands that meet the criteria, except where the reviewer
// relaxes a relaxable one with a reason. Return and reject stay open.
func eligibilityGate(decision ReviewDecision, unmet []UnmetCriterion, relaxations []Relaxation) error {
	for i, r := range relaxations {
		field := fmt.Sprintf("relaxations[%d]", i)
		u := slices.IndexFunc(unmet, func(u UnmetCriterion) bool { return u.Criterion == r.Criterion })
		switch {
		case u < 0 || !unmet[u].Relaxable:
			return invalid("放宽标准无效", RejectedField{Field: field + ".criterion", Message: "只有未达到且可放宽的条件（非遗企业近两年培训人次，第九条（五））才能放宽"})
		case strings.TrimSpace(r.Reason) == "":
			return invalid("请填写放宽理由", RejectedField{Field: field + ".reason", Message: "放宽标准须写明理由"})
		}
	}
	if decision != Approve {
		return nil
	}
	var blocking []string
	for _, u := range unmet {
		relaxed := slices.ContainsFunc(relaxations, func(r Relaxation) bool { return r.Criterion == u.Criterion })
		if !relaxed {
			blocking = append(blocking, u.Criterion)
		}
	}
	if len(blocking) == 0 {
		return nil
	}
	return reject(RejectInvalid, Rejection{Code: "eligibility_not_met",
		Message: "申请未达到入库条件，不能审核通过（第十一条：筛选出符合条件的劳务品牌）；可退回补充或不予通过",
		Details: map[string]any{"criteria": blocking}})
}

// noteJudgement records in a review's step what the reviewer judged: the
// relaxations granted, and on an approval the criteria that are the
// reviewer's judgement, which the approval confirms (RULES §2) — in the
// history line and in the audit row.
func noteJudgement(step *records.Step, decision ReviewDecision, relaxations []Relaxation, judged []string) {
	audit := map[string]any{}
	if len(relaxations) > 0 && decision == Approve { // a return or a rejection grants none
		audit["relaxations"] = relaxations
	}
	if decision == Approve && len(judged) > 0 {
		titles := make([]string, len(judged))
		for i, c := range judged {
			titles[i] = form.CriterionTitle(c)
		}
		step.Note += "；经审核确认：" + strings.Join(titles, "、")
		audit["confirmed"] = judged
	}
	if len(audit) > 0 {
		step.Audit = audit
	}
}

// relaxationNote records the relaxations an approval granted, by the
// criterion's title, for its history line; a return or a rejection grants
// none, whatever it was sent with.
func relaxationNote(decision ReviewDecision, relaxations []Relaxation) string {
	if decision != Approve {
		return ""
	}
	var b strings.Builder
	for _, r := range relaxations {
		fmt.Fprintf(&b, "；放宽“%s”：%s", form.CriterionTitle(r.Criterion), strings.TrimSpace(r.Reason))
	}
	return b.String()
}
