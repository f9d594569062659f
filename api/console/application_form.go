package console

import (
	"encoding/json"
	"regexp"
	"strconv"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// formSection is one part of the 推荐表 as the page shows it: rows in
// 附件1's order, each labelled as the form labels it (form.FieldLabel).
type formSection struct {
	Title string
	Rows  []formRow
}

type formRow struct {
	Label, Value string
	Long         bool // a paragraph (plans, persons) rather than a value
	List         []string
}

// attachment1 is 附件1's rows, in its order (internal/paper prints the
// same), then its annex page with the facts 第八条/第九条 need.
var attachment1 = []struct {
	title  string
	fields []string
}{
	{"品牌与联系人", []string{"brand_name", "contact_name", "contact_phone"}},
	{"实施单位", []string{"unit_name", "legal_representative", "unit_address", "uscc", "registered_on", "registration_place", "registered_capital_wan"}},
	{"类别与所在地", []string{"brand_type", "category", "county_code"}},
	{"经济收入与就业", []string{"labor_income_wan", "worker_annual_income_wan", "direct_employees", "driven_employment",
		"direct_poverty_alleviated", "driven_poverty_alleviated", "associated_enterprises", "trainees_two_years"}},
	{"专利、标准与荣誉", []string{"has_patent_or_standard", "patents_standards", "honours"}},
	{"品牌建设", []string{"development_plan", "typical_persons", "commitment"}},
	{"附页：入库条件相关情况（第八条、第九条）", []string{"trademark", "industry_association", "industry_scale_wan", "fixed_premises",
		"standards_led", "intangible_heritage", "follow_up_service"}},
}

// formSections lays out the application's current form (the API's form
// object) by 附件1's sections. Rows the viewer may not read (an expert
// does not see the contact person) are left out, as the API leaves them.
func formSections(raw map[string]any) []formSection {
	if raw == nil {
		return nil
	}
	b, _ := json.Marshal(raw)
	var a form.Application
	_ = json.Unmarshal(b, &a)
	var out []formSection
	for _, s := range attachment1 {
		sec := formSection{Title: s.title}
		for _, f := range s.fields {
			if _, given := raw[f]; !given && (f == "contact_name" || f == "contact_phone") {
				continue
			}
			sec.Rows = append(sec.Rows, formRowOf(a, f))
		}
		out = append(out, sec)
	}
	return out
}

func formRowOf(a form.Application, field string) formRow {
	r := formRow{Label: form.FieldLabel(field)}
	switch field {
	case "brand_name":
		r.Value = a.BrandName
	case "contact_name":
		r.Value = a.ContactName
	case "contact_phone":
		r.Value = a.ContactPhone
	case "unit_name":
		r.Value = a.UnitName
	case "legal_representative":
		r.Value = a.LegalRepresentative
	case "unit_address":
		r.Value = a.UnitAddress
	case "uscc":
		r.Value = a.USCC
	case "registered_on":
		r.Value = a.RegisteredOn
	case "registration_place":
		r.Value = a.RegistrationPlace
	case "registered_capital_wan":
		r.Value = wanText(a.RegisteredCapitalWan)
	case "brand_type":
		r.Value = form.BrandType(a.BrandType).Label()
	case "category":
		r.Value = form.Category(a.Category).Label()
	case "county_code":
		r.Value = countyName(a.CountyCode)
	case "labor_income_wan":
		r.Value = wanText(a.LaborIncomeWan)
	case "worker_annual_income_wan":
		r.Value = wanText(a.WorkerAnnualIncomeWan)
	case "industry_scale_wan":
		r.Value = wanText(a.IndustryScaleWan)
	case "direct_employees":
		r.Value = countText(a.DirectEmployees, "人")
	case "driven_employment":
		r.Value = countText(a.DrivenEmployment, "人")
	case "direct_poverty_alleviated":
		r.Value = countText(a.DirectPovertyAlleviated, "人")
	case "driven_poverty_alleviated":
		r.Value = countText(a.DrivenPovertyAlleviated, "人")
	case "associated_enterprises":
		r.Value = countText(a.AssociatedEnterprises, "个")
	case "trainees_two_years":
		r.Value = countText(a.TraineesTwoYears, "人次")
	case "has_patent_or_standard":
		r.Value = yesNoText(a.HasPatentOrStandard)
	case "patents_standards":
		r.List = a.PatentsStandards
	case "honours":
		r.List = a.Honours
	case "development_plan":
		r.Value, r.Long = a.DevelopmentPlan, true
	case "typical_persons":
		r.Value, r.Long = a.TypicalPersons, true
	case "commitment":
		if a.Commitment != nil && *a.Commitment {
			r.Value = "本人承诺，申报表所填内容真实、准确。（已在线勾选承诺）"
		}
	case "trademark":
		if t := a.Trademark; t != nil {
			r.Value = trademarkText(*t)
		}
	case "industry_association":
		r.Value = a.IndustryAssociation
	case "fixed_premises":
		r.Value = yesNoText(a.FixedPremises)
	case "standards_led":
		r.Value = yesNoText(a.StandardsLed)
	case "intangible_heritage":
		r.Value = yesNoText(a.IntangibleHeritage)
	case "follow_up_service":
		r.Value, r.Long = a.FollowUpService, true
	}
	return r
}

func wanText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64) + " 万元"
}

func countText(v *int64, unit string) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(*v, 10) + " " + unit
}

// trademarkText is the 商标（标识） row: whether it is registered, and under
// which number.
func trademarkText(t form.Trademark) string {
	switch {
	case t.Registered == nil:
		return ""
	case !*t.Registered:
		return "未注册"
	case t.RegistrationNo != "":
		return "已注册，注册号 " + t.RegistrationNo
	}
	return "已注册"
}

func yesNoText(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "是"
	}
	return "否"
}

// checkView is one line of the eligibility checklist (第八条/第九条).
type checkView struct {
	form.Check
	Article string // the article the note cites, e.g. 第八条（二）
}

// checklist reads the stored checklist; each note ends with its article.
func checklist(raw []byte) []checkView {
	var checks []form.Check
	if len(raw) == 0 || json.Unmarshal(raw, &checks) != nil {
		return nil
	}
	out := make([]checkView, len(checks))
	for i, c := range checks {
		out[i] = checkView{Check: c, Article: articleOf(c.Note)}
	}
	return out
}

// articlePattern is an article as a checklist note cites it: 第八条（二）.
var articlePattern = regexp.MustCompile(`第[一二三四五六七八九十]+条(（[一二三四五六七八九十]+）)?`)

// articleOf finds the article a checklist note cites.
func articleOf(note string) string { return articlePattern.FindString(note) }

// checkResultLabel names a checklist result.
func checkResultLabel(result string) string {
	switch result {
	case form.ResultMet:
		return "符合"
	case form.ResultNotMet:
		return "未达到"
	case form.ResultReviewer:
		return "由评审人员判断"
	}
	return result
}

// attachmentKindLabel names an attachment's kind (第十条's materials).
func attachmentKindLabel(kind string) string {
	return map[string]string{"overview": "品牌概况", "picture": "图片", "video": "视频", "licence": "营业执照等证照", "other": "其他材料"}[kind]
}

// sizeText is a file size as a person reads it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}
