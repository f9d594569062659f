package console

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The holder's own forms on its brand's page (issue 16 item 3), sent like
// the officers' decisions (brand_actions.go: a confirmation step, the
// API's field errors beside the fields, an idempotency key): the
// development report of the biennial evaluation (第十五条) while one is
// owed, and a change registration (附件2) while fewer than
// workflows.MaxOpenChanges are under review.

func init() { brandActions = append(brandActions, evaluationAction, changeAction) }

var evaluationAction = &brandAction{Slug: "evaluation", Title: "提交发展情况报告", Done: "发展情况报告已提交。", Article: "第十五条（两年一次综合评估）",
	After: "提交后由人社部门综合评估，评估结果发到“消息”；提交后不能撤回或修改。",
	Fields: []actionField{
		{Name: "period", Label: "评估周期", Kind: "text", Required: true, Hint: "已按本次评估的周期填好。"},
		{Name: "violations", Label: "周期内违法违纪行为次数", Kind: "integer", Required: true},
		{Name: "major_complaints", Label: "重大投诉次数", Kind: "integer", Required: true},
		{Name: "major_accidents", Label: "重大质量安全事故次数", Kind: "integer", Required: true},
		{Name: "direct_employees", Label: "直接从业人数", Kind: "integer", Required: true, Hint: "单位：人。"},
		{Name: "driven_employment", Label: "带动就业人数", Kind: "integer", Required: true, Hint: "单位：人。"},
		{Name: "labor_income_wan", Label: "劳务经济收入", Kind: "decimal", Required: true, Hint: "单位：万元，最多两位小数。"},
		{Name: "trainees_two_years", Label: "近两年培训人次", Kind: "integer", Required: true, Hint: "单位：人次。"},
		{Name: "summary", Label: "发展情况综述", Kind: "textarea", Required: true, Hint: "2000字以内。"},
	},
	path: func(string) string { return "/evaluations" },
	prefill: func(b store.BrandView) url.Values {
		// The period the process asks for: the holder need not work it out.
		// The window opened at the first instant of its anniversary, which
		// its history line carries (an imported brand's matter is dated by
		// the import, the line by the anniversary).
		for i := len(b.History) - 1; i >= 0; i-- {
			if h := b.History[i]; h.Action == "evaluation.opened" {
				return url.Values{"period": {workflows.EvaluationPeriod(calendar.DateOf(h.At), workflows.DefaultBrandPolicy.EvaluationYears)}}
			}
		}
		return url.Values{}
	},
	body: func(f *actionForm) any {
		b := map[string]any{"period": f.Value("period"), "summary": f.Value("summary")}
		for _, n := range []string{"violations", "major_complaints", "major_accidents", "direct_employees", "driven_employment", "trainees_two_years", "labor_income_wan"} {
			b[n] = number(f.Value(n), n == "labor_income_wan")
		}
		return b
	}}

// changeFields are the brand information a change registration may alter
// (附件2): the 推荐表's fields but the round, commitment and county.
var changeFields = []string{"brand_name", "brand_type", "unit_name", "uscc", "category", "legal_representative", "unit_address",
	"registration_place", "registered_on", "registered_capital_wan", "industry_association", "contact_name", "contact_phone"}

var changeAction = &brandAction{Slug: "change", Title: "申请变更登记（附件2）", Done: "变更登记申请（附件2）已提交。", Article: "附件2 变更登记",
	After: "提交后由所在县（市、区）和市级人社部门依次审核，审核结果发到“消息”；提交后不能撤回。",
	Fields: func() []actionField {
		var out []actionField
		for _, name := range changeFields {
			f := actionField{Name: "changes." + name, Label: "变更后的" + form.FieldLabel(name), Kind: "text", Hint: "不变更的留空。"}
			switch name {
			case "category":
				f.Kind, f.Hint = "select", "不变更的不选。"
				for _, c := range form.Categories {
					f.Options = append(f.Options, brandOption{string(c), c.Label()})
				}
			case "brand_type":
				f.Kind, f.Hint = "select", "不变更的不选。"
				for _, t := range []form.BrandType{form.Regional, form.Enterprise} {
					f.Options = append(f.Options, brandOption{string(t), t.Label()})
				}
			case "registered_on":
				f.Kind = "date"
			case "registered_capital_wan":
				f.Kind, f.Hint = "decimal", "单位：万元；不变更的留空。"
			}
			out = append(out, f)
		}
		return append(out, actionField{Name: "reason", Label: "变更理由", Kind: "textarea", Required: true,
			Hint: "品牌名称、申报类别、持有单位、统一社会信用代码、所属类别为重大信息。每项变更均经县级、市级审核。"})
	}(),
	path: func(string) string { return "/changes" },
	body: func(f *actionForm) any {
		changes := map[string]any{}
		for _, name := range changeFields {
			switch v := f.Value("changes." + name); {
			case v == "":
			case name == "registered_capital_wan":
				changes[name] = number(v, true)
			default:
				changes[name] = v
			}
		}
		return map[string]any{"changes": changes, "reason": f.Value("reason")}
	}}

// number is a typed figure as the API's JSON number, or the text itself
// when it is not one, so the API names the field.
func number(s string, decimal bool) any {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if v, ok := readNumber(s, decimal); ok {
		return v
	}
	return s
}

// readNumber reads a number as a person types it: full-width digits (a
// Chinese input method's １２００), thousands separators and spaces aside.
func readNumber(s string, decimal bool) (any, bool) {
	s = strings.NewReplacer(",", "", " ", "").Replace(width.Narrow.String(strings.TrimSpace(s)))
	if decimal {
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) // "inf" is no figure
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// numberRefusal is the message beside a figure that cannot be read.
func numberRefusal(decimal bool) string {
	if decimal {
		return "请填写数字，如 1200 或 1200.50"
	}
	return "请填写整数，如 1200"
}

// holderOffers are the holder's forms on its brand now.
func holderOffers(b store.BrandView) []offer {
	var out []offer
	if owesEvaluationReport(b) {
		out = append(out, offer{slug: "evaluation"})
	}
	underReview := 0
	for _, ch := range b.Changes {
		if ch.Status == "county" || ch.Status == "city" {
			underReview++
		}
	}
	if underReview >= workflows.MaxOpenChanges {
		return out // the process refuses one more (RULES §4)
	}
	return append(out, offer{slug: "change"})
}

// owesEvaluationReport reports whether the holder may file the window's
// development report: while its days run, and after they ran out while the
// order they gave runs (第十五条（一）: the report filed late closes it).
// That order is one of its own beside another, or the brand's only one.
func owesEvaluationReport(b store.BrandView) bool {
	for _, m := range b.OpenMatters {
		switch {
		case m.Kind == workflows.PendingEvaluationReport:
			return true
		case m.Kind == workflows.MatterRectification && m.ID != nil && workflows.MissedReportOrder(b.ID, *m.ID):
			return true
		}
	}
	r := b.Rectification
	return r != nil && r.Level == 1 && slices.ContainsFunc(b.Findings, func(f store.FindingView) bool {
		return workflows.MissedReportOrder(b.ID, f.ID) && f.OrderedOn == r.OrderedOn && f.Joined == nil
	})
}
