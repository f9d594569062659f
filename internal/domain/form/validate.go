package form

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// FieldError is one failing field of a submitted form. Field is the JSON name (nested as
// "trademark.registered"); Message, in Chinese, names the rule and the value that broke it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Options are the facts Validate needs from outside the form.
type Options struct {
	// Today is the business date (YYYY-MM-DD, Asia/Shanghai); registered_on may not be after it.
	// When it is empty or malformed the future-date rule is not applied.
	Today string
	// KnownCounty reports whether a county code may receive applications; nil means the 14
	// divisions of Counties.
	KnownCounty func(code string) bool
	// OnBehalf is set when a city officer enters the form for the holder (代录). Only then may
	// uscc_override_reason accept a USCC that fails its checksum; format errors always block.
	OnBehalf bool
	// OverriddenUSCC is a code the city let through its checksum on this application (代录,
	// its reason on record): a resubmission keeps the code, so the holder's own is not
	// refused for the checksum, nor for carrying the reason.
	OverriddenUSCC string
}

// Limits of the form, in Unicode characters (附件1 and the API's form table).
const (
	BrandNameMin       = 2
	BrandNameMax       = 50
	UnitFieldMax       = 100 // unit_name, legal_representative, unit_address, registration_place
	DevelopmentPlanMax = 200 // 附件1: 字数200字以内
	TypicalPersonsMax  = 2000
	FollowUpServiceMax = 500
	ContactNameMax     = 50
	AssociationMax     = 100 // industry_association
	RegistrationNoMax  = 50  // trademark.registration_no
	ListItemsMax       = 50  // honours, patents_standards: entries
	ListItemMax        = 200 // honours, patents_standards: characters of one entry
)

// Bounds of the form's figures (issue 12): far above any real brand, so
// that a typo or a forged 2⁶³−1 is refused instead of ranking first.
const (
	// CountMax bounds every head count and trainees_two_years (人, 人次).
	CountMax = 10_000_000
	// WanMax bounds every amount: 1e9 万元 is ten trillion yuan.
	WanMax = 1e9
	// EarliestRegistration is the earliest registered_on: the founding of
	// the People's Republic, before which no unit now registered was.
	EarliestRegistration = "1949-10-01"
)

const (
	moneyDecimals = 2
	dateLayout    = "2006-01-02"
)

var (
	mobilePhone   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePhone = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}$`)
)

// Validate checks a form before submission and returns every failing field at once, in the
// order of the form; nil means it may be submitted. It judges a as Normalize would leave it, so
// the verdict does not depend on whether the caller normalised first (but store the normalised
// form). Unmet eligibility criteria are not errors: see Eligibility.
func Validate(a Application, o Options) []FieldError {
	Normalize(&a)
	v := &validator{known: o.KnownCounty}
	if v.known == nil {
		v.known = isKunmingCounty
	}
	t := BrandType(a.BrandType)

	v.brandName(a.BrandName)
	v.enum("brand_type", a.BrandType, t.Valid())
	v.enum("category", a.Category, Category(a.Category).Valid())
	v.county(a.CountyCode)
	v.text("contact_name", a.ContactName, true, ContactNameMax)
	v.phone(a.ContactPhone)
	for _, f := range []struct{ name, value string }{
		{"unit_name", a.UnitName}, {"legal_representative", a.LegalRepresentative},
		{"unit_address", a.UnitAddress}, {"registration_place", a.RegistrationPlace},
	} {
		v.text(f.name, f.value, true, UnitFieldMax)
	}
	keptOverride := o.OverriddenUSCC != "" && a.USCC == o.OverriddenUSCC
	v.uscc(a.USCC, o.OnBehalf && a.USCCOverrideReason != "" || keptOverride)
	v.registeredOn(a.RegisteredOn, o.Today)

	v.money("registered_capital_wan", a.RegisteredCapitalWan, true)
	v.money("labor_income_wan", a.LaborIncomeWan, true)
	v.money("worker_annual_income_wan", a.WorkerAnnualIncomeWan, true)
	v.money("industry_scale_wan", a.IndustryScaleWan, t == Enterprise)
	for _, f := range []struct {
		name  string
		value *int64
	}{
		{"direct_employees", a.DirectEmployees}, {"driven_employment", a.DrivenEmployment},
		{"direct_poverty_alleviated", a.DirectPovertyAlleviated},
		{"driven_poverty_alleviated", a.DrivenPovertyAlleviated},
		{"associated_enterprises", a.AssociatedEnterprises}, {"trainees_two_years", a.TraineesTwoYears},
	} {
		v.count(f.name, f.value)
	}
	v.flag("has_patent_or_standard", a.HasPatentOrStandard, true)
	v.list("patents_standards", a.PatentsStandards)
	v.list("honours", a.Honours)

	v.text("development_plan", a.DevelopmentPlan, true, DevelopmentPlanMax)
	v.text("typical_persons", a.TypicalPersons, false, TypicalPersonsMax)
	v.commitment(a.Commitment)
	v.trademark(a.Trademark)

	v.text("industry_association", a.IndustryAssociation, t == Regional, AssociationMax)
	v.flag("fixed_premises", a.FixedPremises, t == Enterprise)
	v.flag("standards_led", a.StandardsLed, t == Enterprise)
	v.flag("intangible_heritage", a.IntangibleHeritage, t == Enterprise)
	v.text("follow_up_service", a.FollowUpService, t == Enterprise, FollowUpServiceMax)
	if a.USCCOverrideReason != "" && !o.OnBehalf && !keptOverride {
		v.add("uscc_override_reason", "统一社会信用代码覆盖原因仅市级代录时可填写")
	}
	return v.errs
}

// validator collects the field errors of one form.
type validator struct {
	known func(string) bool
	errs  []FieldError
}

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// required reports an empty string; it returns false when it did.
func (v *validator) required(field, s string) bool {
	if s == "" {
		v.add(field, "请填写%s", FieldLabel(field))
		return false
	}
	return true
}

// text checks a free-text field's presence and its length in Unicode characters.
func (v *validator) text(field, s string, required bool, max int) {
	if s == "" {
		if required {
			v.required(field, s)
		}
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.add(field, "%s不超过%d字（当前%d字）", FieldLabel(field), max, n)
	}
}

// brandName: 2–50 characters. 第五条's "short, shows the place" is a warning (NameWarnings).
func (v *validator) brandName(s string) {
	if !v.required("brand_name", s) {
		return
	}
	if n := utf8.RuneCountInString(s); n < BrandNameMin || n > BrandNameMax {
		v.add("brand_name", "劳务品牌名称应为%d–%d字（当前%d字）", BrandNameMin, BrandNameMax, n)
	}
}

func (v *validator) enum(field, s string, valid bool) {
	if v.required(field, s) && !valid {
		v.add(field, "%s“%s”不是可选项", FieldLabel(field), s)
	}
}

func (v *validator) county(code string) {
	if v.required("county_code", code) && !v.known(code) {
		v.add("county_code", "县（市、区）代码“%s”不在受理范围内", code)
	}
}

// phone accepts a mainland mobile number (1[3-9] and 9 digits) or a landline with its area code
// (0 and 2–3 digits, an optional '-', 7–8 digits), e.g. 0871-63123456.
func (v *validator) phone(s string) {
	if v.required("contact_phone", s) && !mobilePhone.MatchString(s) && !landlinePhone.MatchString(s) {
		v.add("contact_phone", "联系方式应为11位手机号或带区号的固定电话，如0871-63123456（当前“%s”）", s)
	}
}

// uscc: a GB 32100 format error always blocks; a checksum failure blocks unless overridden on
// behalf of the holder (RULES §2).
func (v *validator) uscc(code string, overridden bool) {
	if !v.required("uscc", code) {
		return
	}
	err := uscc.Validate(code)
	switch {
	case err == nil, errors.Is(err, uscc.ErrChecksum) && overridden:
	case errors.Is(err, uscc.ErrChecksum):
		v.add("uscc", "%s；代录时如确认代码为登记机关核发，可填写覆盖原因", err)
	default:
		v.add("uscc", "%s", err)
	}
}

func (v *validator) registeredOn(s, today string) {
	if !v.required("registered_on", s) {
		return
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		v.add("registered_on", "注册时间应为有效日期，格式YYYY-MM-DD（当前“%s”）", s)
		return
	}
	if t, err := time.Parse(dateLayout, today); err == nil && d.After(t) {
		v.add("registered_on", "注册时间%s不能晚于今天（%s）", s, today)
	}
	if s < EarliestRegistration {
		v.add("registered_on", "注册时间%s不能早于%s", s, EarliestRegistration)
	}
}

// money: an amount in 万元, at least 0, with at most two decimals as typed.
func (v *validator) money(field string, p *float64, required bool) {
	switch {
	case p == nil:
		if required {
			v.add(field, "请填写%s（万元）", FieldLabel(field))
		}
	case math.IsNaN(*p) || math.IsInf(*p, 0):
		v.add(field, "%s不是有效数字", FieldLabel(field))
	case *p < 0:
		v.add(field, "%s不能为负数（当前%s）", FieldLabel(field), formatWan(*p))
	case *p > WanMax:
		v.add(field, "%s不能超过%s万元（当前%s）", FieldLabel(field), formatWan(WanMax), formatWan(*p))
	case decimals(*p) > moneyDecimals:
		v.add(field, "%s最多保留%d位小数（当前%s）", FieldLabel(field), moneyDecimals, formatWan(*p))
	}
}

// ValidWan reports whether f is an amount the form accepts: 0..WanMax 万元
// with at most two decimals. Other forms with amounts (the evaluation
// report) use it.
func ValidWan(f float64) bool {
	v := &validator{}
	v.money("", &f, true)
	return len(v.errs) == 0
}

// ValidCount reports whether n is a count the form accepts: 0..CountMax.
func ValidCount(n int64) bool { return n >= 0 && n <= CountMax }

// decimals counts the digits after the point in the shortest decimal that reads back as f,
// which for a number decoded from JSON is the number as it was typed.
func decimals(f float64) int {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	for i := range len(s) {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}

func formatWan(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (v *validator) count(field string, p *int64) {
	switch {
	case p == nil:
		v.add(field, "请填写%s", FieldLabel(field))
	case *p < 0:
		v.add(field, "%s不能为负数（当前%d）", FieldLabel(field), *p)
	case *p > CountMax:
		v.add(field, "%s不能超过%d（当前%d）", FieldLabel(field), CountMax, *p)
	}
}

// list: at most ListItemsMax entries of at most ListItemMax characters each.
func (v *validator) list(field string, items []string) {
	if len(items) > ListItemsMax {
		v.add(field, "%s最多%d项（当前%d项）", FieldLabel(field), ListItemsMax, len(items))
		return
	}
	for i, s := range items {
		if n := utf8.RuneCountInString(s); n > ListItemMax {
			v.add(fmt.Sprintf("%s[%d]", field, i), "%s每项不超过%d字（第%d项%d字）", FieldLabel(field), ListItemMax, i+1, n)
		}
	}
}

func (v *validator) flag(field string, p *bool, required bool) {
	if p == nil && required {
		v.add(field, "请选择%s（是/否）", FieldLabel(field))
	}
}

// commitment: 附件1's 申报单位承诺 must be given.
func (v *validator) commitment(p *bool) {
	if p == nil || !*p {
		v.add("commitment", "须承诺申报表所填内容真实、准确")
	}
}

func (v *validator) trademark(t *Trademark) {
	switch {
	case t == nil:
		v.add("trademark", "请填写%s情况", FieldLabel("trademark"))
	case t.Registered == nil:
		v.add("trademark.registered", "请选择商标是否已注册（是/否）")
	case *t.Registered && t.RegistrationNo == "":
		v.add("trademark.registration_no", "商标已注册时请填写注册号")
	default:
		v.text("trademark.registration_no", t.RegistrationNo, false, RegistrationNoMax)
	}
}

// ValidPhone reports whether s is a contact telephone as the form takes it:
// an 11-digit mobile number or a landline with its area code.
func ValidPhone(s string) bool { return mobilePhone.MatchString(s) || landlinePhone.MatchString(s) }
