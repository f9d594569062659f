package paper

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// BrandBasics are the rows 品牌基本情况 of 附件2 and 附件3.
type BrandBasics struct {
	BrandID, Name, UnitName string
	ContactName, Phone      string
	CountyName              string
}

// ChangeForm is 附件2, 昆明市市级劳务品牌培育入库登记变更表, filled from a
// change request and its opinions.
type ChangeForm struct {
	Brand    BrandBasics
	ChangeID string
	// Changes are the requested values, form field → new value, and
	// Before the brand's record they change (the values now in force).
	Changes, Before map[string]any
	Reason          string
	// CountyOpinion, CityOpinion are the recorded opinions, "" while none.
	CountyOpinion, CityOpinion string
	// Counties names a changed county or functional zone; nil: the 14
	// counties only.
	Counties             CountyNames
	RequestedAt, Printed time.Time
}

// ChangePDF prints 附件2 with the rows, labels and order of the scheme.
func (f *Fonts) ChangePDF(c ChangeForm) ([]byte, error) {
	d := f.newDoc("昆明市市级劳务品牌培育入库登记变更表 "+c.Brand.Name, c.Printed)
	d.corner("附件2")
	d.heading("昆明市市级劳务品牌培育入库登记变更表", 16)
	d.size = 9
	d.paragraph(fmt.Sprintf("变更申请编号：%s　　品牌编号：%s　　申请日期：%s", c.ChangeID, c.Brand.BrandID, day(c.RequestedAt)), true)
	d.size = bodySize
	d.space(1)
	basics(d, c.Brand)
	fields := make([]string, 0, len(c.Changes))
	for k := range c.Changes {
		fields = append(fields, k)
	}
	slices.SortFunc(fields, func(a, b string) int { return fieldOrder(a) - fieldOrder(b) })
	var lines []string
	for i, k := range fields {
		l := fmt.Sprintf("%d. %s：", i+1, form.FieldLabel(k))
		if old, ok := c.Before[k]; ok {
			l += "由“" + c.shown(k, old) + "”"
		}
		lines = append(lines, l+"变更为“"+c.shown(k, c.Changes[k])+"”")
	}
	d.row(label(42, "申请变更内容"), value(0, strings.Join(lines, "\n")))
	d.row(label(42, "变更理由"), value(0, c.Reason))
	d.row(label(42, "建设单位\n申请人签字盖章"), cell{sign: "申请人(法人代表)签字(盖章):　　　　　　　　　　\n年　　月　　日", ink: 1})
	d.row(label(42, "县(市、区)级\n人力资源社会保障\n部门意见"), cell{text: c.CountyOpinion, sign: "(签章)\n年　　月　　日", ink: 1})
	d.row(label(42, "州(市)级人力资\n源社会保障部门意\n见"), cell{text: c.CityOpinion, sign: "(签章)\n年　　月　　日", ink: 1})
	return d.bytes()
}

// shown is a field's value on 附件2, a functional zone named as a county is.
func (c ChangeForm) shown(field string, v any) string {
	if code, ok := v.(string); ok && field == "county_code" {
		return c.Counties.Name(code)
	}
	return FieldValue(field, v)
}

// basics draws the three rows of 品牌基本情况.
func basics(d *doc, b BrandBasics) {
	contact := strings.TrimSpace(b.ContactName + "　" + b.Phone)
	d.group(28, "品牌基本情况",
		[]cell{label(36, "品牌名称"), value(0, b.Name)},
		[]cell{label(36, "品牌建设单位"), value(0, b.UnitName)},
		[]cell{label(36, "品牌联系人及电话"), value(0, contact)})
}

// RemovalForm is 附件3, 移出昆明市市级劳务品牌目录情况表, filled from the
// county's removal report and the city's decision.
type RemovalForm struct {
	Brand BrandBasics
	// Reasons are the situations ticked (removal report codes, and
	// suspended_three_times when the third suspension proposed it).
	Reasons     []string
	Description string
	ReportedOn  time.Time
	// CountyNote is what the county office wrote with its report; Decision
	// the city's decision and its reason, "" while undecided.
	CountyNote, Decision string
	Printed              time.Time
}

// removalSituations are 附件3's boxes, in its order and words, by the code
// that ticks each.
var removalSituations = []struct{ code, text string }{
	{"dissolved_or_inactive", "破产清算、解散、注销、被吊销营业执照或两年以上不开展经营活动的。"},
	{"serious_violation", "发生严重损害消费者权益，出现重大质量问题或安全事故，严重侵犯他人知识产权，严重扰乱市场秩序或有其他严重违法行为的。"},
	{"fraud", "以欺骗或其他不正当手段通过劳务品牌认定的。"},
	{"suspended_three_times", "依据本方案被暂停使用劳务品牌标识三次以上的(含三次)。"},
	{"no_longer_eligible", "已经不符合劳务品牌认定条件的。"},
}

// RemovalPDF prints 附件3 with the rows, labels and order of the scheme.
func (f *Fonts) RemovalPDF(r RemovalForm) ([]byte, error) {
	d := f.newDoc("移出昆明市市级劳务品牌目录情况表 "+r.Brand.Name, r.Printed)
	d.corner("附件3")
	d.heading("移出昆明市市级劳务品牌目录情况表", 16)
	d.size = 9
	d.paragraph(fmt.Sprintf("品牌编号：%s　　所在县（市、区）：%s　　报送日期：%s", r.Brand.BrandID, r.Brand.CountyName, day(r.ReportedOn)), true)
	d.size = bodySize
	d.space(1)
	basics(d, r.Brand)
	var boxes []string
	for _, s := range removalSituations {
		boxes = append(boxes, tick(slices.Contains(r.Reasons, s.code))+s.text)
	}
	d.row(label(42, "列入异常名录\n原因"), value(0, strings.Join(boxes, "\n")))
	d.row(label(42, "申请移出理由"), value(0, r.Description))
	d.row(label(42, "县(市、区)人力资\n源社会保障部门\n意见"), cell{text: r.CountyNote, sign: "(签章)\n年　　月　　日", ink: 1})
	d.row(label(42, "市级人力资源社会\n保障部门意见"), cell{text: r.Decision, sign: "(签章)\n年　　月　　日", ink: 1})
	return d.bytes()
}

// fieldOrder is a field's place on 附件1 (JSON names in the form's order).
func fieldOrder(field string) int {
	i := slices.Index(formOrder, field)
	if i < 0 {
		return len(formOrder)
	}
	return i
}

var formOrder = []string{"brand_name", "contact_name", "contact_phone", "unit_name", "legal_representative", "unit_address",
	"uscc", "registered_on", "registration_place", "registered_capital_wan", "brand_type", "category", "labor_income_wan",
	"worker_annual_income_wan", "direct_employees", "driven_employment", "direct_poverty_alleviated", "driven_poverty_alleviated",
	"associated_enterprises", "trainees_two_years", "has_patent_or_standard", "patents_standards", "honours", "development_plan",
	"typical_persons", "trademark", "industry_association", "industry_scale_wan", "fixed_premises", "standards_led",
	"intangible_heritage", "follow_up_service"}

// FieldValue is a form field's value as a person reads it: labels for
// codes, 是/否 for booleans, amounts and lists written out.
func FieldValue(field string, v any) string {
	switch field {
	case "brand_type":
		return form.BrandType(fmt.Sprint(v)).Label()
	case "category":
		return form.Category(fmt.Sprint(v)).Label()
	case "county_code":
		return form.CountyName(fmt.Sprint(v))
	}
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return yesNo(&x)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if strings.HasSuffix(field, "_wan") {
			s += " 万元"
		}
		return s
	case string:
		return x
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, FieldValue("", e))
		}
		return strings.Join(parts, "；")
	case map[string]any:
		if field == "trademark" {
			var t form.Trademark
			raw, _ := json.Marshal(x)
			if json.Unmarshal(raw, &t) == nil {
				return trademark(&t)
			}
		}
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}
