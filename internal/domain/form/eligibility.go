package form

import (
	"fmt"
	"strings"
)

// Check is one line of the eligibility checklist shown to every reviewer.
type Check struct {
	Criterion string `json:"criterion"` // one of the Criterion… codes
	Result    string `json:"result"`    // ResultMet, ResultNotMet or ResultReviewer
	Note      string `json:"note"`      // in Chinese: the value given and the threshold
	// Relaxable marks an unmet criterion a reviewer may relax with a reason
	// (第九条（五）: the trainees of a 非遗 enterprise).
	Relaxable bool `json:"relaxable,omitempty"`
}

// Results of a Check. An unmet criterion does not block submission (RULES §2 Decision).
const (
	ResultMet      = "met"
	ResultNotMet   = "not_met"
	ResultReviewer = "reviewer" // a reviewer's judgement, or a relaxation only a reviewer may grant
)

// Criteria of 第八条 (regional) and 第九条 (enterprise).
const (
	CriterionDistinctNameReputation = "distinct_name_reputation" // 第八条（一）, 第九条（二）
	CriterionDirectEmployees        = "direct_employees"         // 第八条（二）
	CriterionDrivenEmployment       = "driven_employment"        // 第八条（二）
	CriterionIndustryAssociation    = "industry_association"     // 第八条（三）
	CriterionTrainedWorkforce       = "trained_workforce"        // 第八条（四）
	CriterionFixedPremises          = "fixed_premises"           // 第九条（一）
	CriterionIndustryScale          = "industry_scale"           // 第九条（三）
	CriterionLaborIncome            = "labor_income"             // 第九条（三）
	CriterionStandardsLed           = "standards_led"            // 第九条（四）
	CriterionTraineesTwoYears       = "trainees_two_years"       // 第九条（五）
	CriterionFollowUpService        = "follow_up_service"        // 第九条（六）
)

// criterionTitles name the criteria as a reviewer reads them.
var criterionTitles = map[string]string{
	CriterionDistinctNameReputation: "品牌名称、商标与市场认可度",
	CriterionDirectEmployees:        "直接从业人员",
	CriterionDrivenEmployment:       "带动就业人员",
	CriterionIndustryAssociation:    "行业协会载体",
	CriterionTrainedWorkforce:       "从业人员技能与资质",
	CriterionFixedPremises:          "固定经营场所",
	CriterionIndustryScale:          "年经济规模",
	CriterionLaborIncome:            "劳务经济收入",
	CriterionStandardsLed:           "标准引领",
	CriterionTraineesTwoYears:       "近两年培训人员",
	CriterionFollowUpService:        "跟踪服务",
}

// CriterionTitle is a criterion's name in Chinese; the code itself when it
// is not one of the Criterion… codes.
func CriterionTitle(code string) string {
	if t, ok := criterionTitles[code]; ok {
		return t
	}
	return code
}

// Thresholds of 第八条（二）, 第九条（三） and 第九条（五）. 民法典第一千二百五十九条: 以上 includes the
// number itself, 超过 excludes it.
const (
	RegionalDirectEmployeesOver  = 1000 // 直接从业人员超过1000人
	RegionalDrivenEmploymentOver = 2500 // 带动就业人员超过2500人
	EnterpriseIndustryScaleMin   = 2500 // 年经济规模在2500万元以上
	EnterpriseLaborIncomeMin     = 1000 // 劳务经济收入在1000万元以上
	EnterpriseTraineesOver       = 500  // 近两年培训人员数量超过500人
)

// Eligibility evaluates the admission criteria for the form's brand type: 第八条 for a regional
// brand, 第九条 for an enterprise brand, in the order of RULES §2's table. It works on any
// form, valid or not (a missing figure is not met); for an unknown brand type it returns nil.
func Eligibility(a Application) []Check {
	switch BrandType(strings.TrimSpace(a.BrandType)) {
	case Regional:
		return []Check{
			distinctName(a, "第八条（一）"),
			over(CriterionDirectEmployees, "直接从业人员", a.DirectEmployees, RegionalDirectEmployeesOver, "人", "第八条（二）"),
			over(CriterionDrivenEmployment, "带动就业人员", a.DrivenEmployment, RegionalDrivenEmploymentOver, "人", "第八条（二）"),
			industryAssociation(a.IndustryAssociation),
			trainedWorkforce(a.TraineesTwoYears),
		}
	case Enterprise:
		return []Check{
			distinctName(a, "第九条（二）"),
			yes(CriterionFixedPremises, "固定经营活动场所", a.FixedPremises, "第九条（一）"),
			atLeastWan(CriterionIndustryScale, "产业年经济规模", a.IndustryScaleWan, EnterpriseIndustryScaleMin, "第九条（三）"),
			atLeastWan(CriterionLaborIncome, "劳务经济收入", a.LaborIncomeWan, EnterpriseLaborIncomeMin, "第九条（三）"),
			yes(CriterionStandardsLed, "牵头或参与制定行业标准", a.StandardsLed, "第九条（四）"),
			trainees(a.TraineesTwoYears, a.IntangibleHeritage),
			present(CriterionFollowUpService, "劳务跟踪服务", a.FollowUpService, "第九条（六）"),
		}
	}
	return nil
}

// distinctName: a distinct name or trademark and a good reputation are the reviewer's judgement;
// the note gives the trademark and any NameWarnings to judge by.
func distinctName(a Application, article string) Check {
	var b strings.Builder
	fmt.Fprintf(&b, "品牌名称、商标等区别性标识及知名度由评审人员判断（%s）", article)
	switch t := a.Trademark; {
	case t == nil || t.Registered == nil:
		b.WriteString("；未填写商标情况")
	case *t.Registered:
		fmt.Fprintf(&b, "；商标已注册，注册号%s", strings.TrimSpace(t.RegistrationNo))
	default:
		b.WriteString("；商标未注册")
	}
	for _, w := range NameWarnings(a.BrandName) {
		b.WriteString("；" + w)
	}
	return Check{Criterion: CriterionDistinctNameReputation, Result: ResultReviewer, Note: b.String()}
}

// over: 超过 — the count must exceed the threshold; the threshold itself is not met.
func over(criterion, label string, n *int64, threshold int64, unit, article string) Check {
	c := Check{Criterion: criterion, Result: ResultNotMet}
	if n == nil {
		c.Note = fmt.Sprintf("未填写%s人数，须超过%d%s（%s）", label, threshold, unit, article)
		return c
	}
	if *n > threshold {
		c.Result = ResultMet
	}
	c.Note = fmt.Sprintf("%s%d%s，须超过%d%s（%s）", label, *n, unit, threshold, unit, article)
	return c
}

// atLeastWan: 以上 — the amount in 万元 must reach the threshold; the threshold itself is met.
func atLeastWan(criterion, label string, wan *float64, threshold float64, article string) Check {
	c := Check{Criterion: criterion, Result: ResultNotMet}
	if wan == nil {
		c.Note = fmt.Sprintf("未填写%s，须在%s万元以上（%s）", label, formatWan(threshold), article)
		return c
	}
	if *wan >= threshold {
		c.Result = ResultMet
	}
	c.Note = fmt.Sprintf("%s%s万元，须在%s万元以上（%s）", label, formatWan(*wan), formatWan(threshold), article)
	return c
}

func yes(criterion, label string, p *bool, article string) Check {
	switch {
	case p == nil:
		return Check{Criterion: criterion, Result: ResultNotMet, Note: fmt.Sprintf("未填写是否具有%s（%s）", label, article)}
	case *p:
		return Check{Criterion: criterion, Result: ResultMet, Note: fmt.Sprintf("具有%s（%s）", label, article)}
	}
	return Check{Criterion: criterion, Result: ResultNotMet, Note: fmt.Sprintf("不具有%s（%s）", label, article)}
}

func present(criterion, label, text, article string) Check {
	if strings.TrimSpace(text) == "" {
		return Check{Criterion: criterion, Result: ResultNotMet, Note: fmt.Sprintf("未填写%s（%s）", label, article)}
	}
	return Check{Criterion: criterion, Result: ResultMet, Note: fmt.Sprintf("已填写%s（%s）", label, article)}
}

// industryAssociation: 第八条（三） — a regional brand is carried by an industry association.
func industryAssociation(name string) Check {
	name = strings.TrimSpace(name)
	if name == "" {
		return Check{Criterion: CriterionIndustryAssociation, Result: ResultNotMet, Note: "未填写行业协会载体（第八条（三））"}
	}
	return Check{Criterion: CriterionIndustryAssociation, Result: ResultMet, Note: fmt.Sprintf("行业协会载体：%s（第八条（三））", name)}
}

// trainedWorkforce: 第八条（四） — whether the workforce is trained and qualified is the
// reviewer's judgement; the note gives the training figure to judge by.
func trainedWorkforce(trainees *int64) Check {
	note := "从业人员技能培训与资质情况由评审人员判断（第八条（四））"
	if trainees != nil {
		note += fmt.Sprintf("；近两年培训%d人次", *trainees)
	}
	return Check{Criterion: CriterionTrainedWorkforce, Result: ResultReviewer, Note: note}
}

// trainees: 第九条（五） — more than 500 trainees in two years; for an intangible-cultural-heritage
// (非遗) enterprise the standard "may be relaxed": the figure stays unmet, and a reviewer who
// approves must relax it with a reason (RULES §2 the gate).
func trainees(n *int64, intangibleHeritage *bool) Check {
	c := over(CriterionTraineesTwoYears, "近两年培训", n, EnterpriseTraineesOver, "人次", "第九条（五）")
	if c.Result == ResultNotMet && intangibleHeritage != nil && *intangibleHeritage {
		c.Relaxable = true
		c.Note += "；非物质文化遗产类企业可适当放宽标准，审核通过时须写明放宽理由"
	}
	return c
}
