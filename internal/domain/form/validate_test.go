package form_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// TestValidateAccepts: complete forms and the edges each rule still allows pass without error.
func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		base   func() form.Application
		change func(*form.Application)
		opts   form.Options
	}{
		{"附件1: a complete regional form", regionalForm, nil, onDate},
		{"附件1: a complete enterprise form", enterpriseForm, nil, onDate},
		{"regional: industry_scale_wan, fixed premises, standards, 非遗 and follow-up are optional", regionalForm, func(a *form.Application) {
			a.IndustryScaleWan, a.FixedPremises, a.StandardsLed, a.IntangibleHeritage, a.FollowUpService = nil, nil, nil, nil, ""
		}, onDate},
		{"enterprise: industry_association is optional", enterpriseForm, func(a *form.Application) { a.IndustryAssociation = "" }, onDate},
		{"brand_name of exactly 2 characters", regionalForm, func(a *form.Application) { a.BrandName = "安宁" }, onDate},
		{"brand_name of exactly 50 characters", regionalForm, func(a *form.Application) { a.BrandName = chars(50) }, onDate},
		{"附件1: development_plan of exactly 200 characters", regionalForm, func(a *form.Application) { a.DevelopmentPlan = chars(200) }, onDate},
		{"unit_name of exactly 100 characters", regionalForm, func(a *form.Application) { a.UnitName = chars(100) }, onDate},
		{"typical_persons is optional", regionalForm, func(a *form.Application) { a.TypicalPersons = "" }, onDate},
		{"typical_persons of exactly 2000 characters", regionalForm, func(a *form.Application) { a.TypicalPersons = chars(2000) }, onDate},
		{"follow_up_service of exactly 500 characters", enterpriseForm, func(a *form.Application) { a.FollowUpService = chars(500) }, onDate},
		{"phone: a landline with area code and hyphen", regionalForm, func(a *form.Application) { a.ContactPhone = "0871-63123456" }, onDate},
		{"phone: a landline without hyphen", regionalForm, func(a *form.Application) { a.ContactPhone = "087163123456" }, onDate},
		{"phone: a two-digit area code and 7 digits", regionalForm, func(a *form.Application) { a.ContactPhone = "010-1234567" }, onDate},
		{"phone: full-width digits typed by an input method", regionalForm, func(a *form.Application) { a.ContactPhone = "０８７１－６３１２３４５６" }, onDate},
		{"registered_on equal to today", regionalForm, func(a *form.Application) { a.RegisteredOn = today }, onDate},
		{"registered_on on 29 February of a leap year", regionalForm, func(a *form.Application) { a.RegisteredOn = "2024-02-29" }, onDate},
		{"without Today the future-date rule is not applied", regionalForm, func(a *form.Application) { a.RegisteredOn = "2030-01-01" }, form.Options{}},
		{"money: zero and two decimals", regionalForm, func(a *form.Application) { a.RegisteredCapitalWan, a.WorkerAnnualIncomeWan = new(0.0), new(0.29) }, onDate},
		{"counts: zero is a valid count", regionalForm, func(a *form.Application) {
			a.DirectPovertyAlleviated, a.AssociatedEnterprises = new(int64(0)), new(int64(0))
		}, onDate},
		{"has_patent_or_standard false needs no names", regionalForm, func(a *form.Application) { a.HasPatentOrStandard, a.PatentsStandards = new(false), nil }, onDate},
		{"trademark not registered needs no registration_no", regionalForm, func(a *form.Application) { a.Trademark = &form.Trademark{Registered: new(false)} }, onDate},
		{"uscc: lower case and full width are normalised", regionalForm, func(a *form.Application) { a.USCC = "５１５３０１８１mj0000001u" }, onDate},
		{"strings are judged trimmed", regionalForm, func(a *form.Application) { a.BrandName, a.UnitName = "\u3000安宁玫瑰 ", " "+chars(100)+" " }, onDate},
		{"issue 12 bounds: the largest count, amount and list, the earliest registration", enterpriseForm, func(a *form.Application) {
			a.TraineesTwoYears, a.LaborIncomeWan, a.RegisteredOn = new(int64(form.CountMax)), new(form.WanMax), form.EarliestRegistration
			a.Honours, a.PatentsStandards = repeat(chars(200), 50), repeat(chars(200), 50)
		}, onDate},
		{"KnownCounty may admit a functional zone", regionalForm, func(a *form.Application) { a.CountyCode = "530199" },
			form.Options{Today: today, KnownCounty: func(c string) bool { return c == "530199" }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.base()
			if tt.change != nil {
				tt.change(&a)
			}
			if errs := form.Validate(a, tt.opts); len(errs) != 0 {
				t.Errorf("Validate = %v, want no errors", errs)
			}
		})
	}
}

// TestValidateRejects: each rule, failing alone, gives exactly one error on its field.
func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name    string
		base    func() form.Application
		change  func(*form.Application)
		field   string
		message string // substring of the message
	}{
		{"brand_name is required", regionalForm, func(a *form.Application) { a.BrandName = "" }, "brand_name", "请填写劳务品牌名称"},
		{"brand_name of spaces only is missing", regionalForm, func(a *form.Application) { a.BrandName = " \u3000 " }, "brand_name", "请填写"},
		{"brand_name of 1 character is too short", regionalForm, func(a *form.Application) { a.BrandName = "玫" }, "brand_name", "2–50字（当前1字）"},
		{"brand_name of 51 characters is too long", regionalForm, func(a *form.Application) { a.BrandName = chars(51) }, "brand_name", "当前51字"},
		{"第七条: brand_type is required", regionalForm, func(a *form.Application) { a.BrandType = "" }, "brand_type", "请填写申报类别"},
		{"第七条: brand_type must be regional or enterprise", regionalForm, func(a *form.Application) { a.BrandType = "county" }, "brand_type", "“county”不是可选项"},
		{"第六条: category is required", regionalForm, func(a *form.Application) { a.Category = "" }, "category", "请填写所属类别"},
		{"第六条: category must be a code", regionalForm, func(a *form.Application) { a.Category = "种植养殖类" }, "category", "不是可选项"},
		{"county_code is required", regionalForm, func(a *form.Application) { a.CountyCode = "" }, "county_code", "请填写"},
		{"county_code must be one of the 14 (昆明市 itself is not)", regionalForm, func(a *form.Application) { a.CountyCode = "530100" }, "county_code", "“530100”不在受理范围内"},
		{"contact_name is required", regionalForm, func(a *form.Application) { a.ContactName = "" }, "contact_name", "请填写劳务品牌联系人"},
		{"contact_phone is required", regionalForm, func(a *form.Application) { a.ContactPhone = "" }, "contact_phone", "请填写联系方式"},
		{"phone: a mobile has 11 digits", regionalForm, func(a *form.Application) { a.ContactPhone = "1388812345" }, "contact_phone", "11位手机号"},
		{"phone: a mobile's second digit is 3–9", regionalForm, func(a *form.Application) { a.ContactPhone = "12888123456" }, "contact_phone", "当前“12888123456”"},
		{"phone: a landline needs its area code", regionalForm, func(a *form.Application) { a.ContactPhone = "63123456" }, "contact_phone", "区号"},
		{"phone: a landline has at most 8 digits", regionalForm, func(a *form.Application) { a.ContactPhone = "0871-631234567" }, "contact_phone", "区号"},
		{"phone: a country prefix is not accepted", regionalForm, func(a *form.Application) { a.ContactPhone = "+8613888123456" }, "contact_phone", "区号"},
		{"unit_name is required", regionalForm, func(a *form.Application) { a.UnitName = "" }, "unit_name", "请填写实施单位（公司）"},
		{"unit_name at most 100 characters", regionalForm, func(a *form.Application) { a.UnitName = chars(101) }, "unit_name", "不超过100字（当前101字）"},
		{"legal_representative is required", regionalForm, func(a *form.Application) { a.LegalRepresentative = "" }, "legal_representative", "请填写法人或负责人"},
		{"legal_representative at most 100 characters", regionalForm, func(a *form.Application) { a.LegalRepresentative = chars(101) }, "legal_representative", "当前101字"},
		{"unit_address is required", regionalForm, func(a *form.Application) { a.UnitAddress = "" }, "unit_address", "请填写"},
		{"unit_address at most 100 characters", regionalForm, func(a *form.Application) { a.UnitAddress = chars(101) }, "unit_address", "当前101字"},
		{"registration_place is required", regionalForm, func(a *form.Application) { a.RegistrationPlace = "" }, "registration_place", "请填写注册地"},
		{"registration_place at most 100 characters", regionalForm, func(a *form.Application) { a.RegistrationPlace = chars(101) }, "registration_place", "当前101字"},
		{"uscc is required", regionalForm, func(a *form.Application) { a.USCC = "" }, "uscc", "请填写统一社会信用代码"},
		{"GB 32100: uscc has 18 characters", regionalForm, func(a *form.Application) { a.USCC = "51530181MJ0000001" }, "uscc", "应为18位（当前17位）"},
		{"GB 32100: O is not 0, the position is named", regionalForm, func(a *form.Application) { a.USCC = "51530181MJOOOOOO1U" }, "uscc", "第11位“O”"},
		{"GB 32100: a checksum failure blocks the applicant", regionalForm, func(a *form.Application) { a.USCC = "51530181MJ0000001R" }, "uscc", "校验位不符"},
		{"registered_on is required", regionalForm, func(a *form.Application) { a.RegisteredOn = "" }, "registered_on", "请填写注册时间"},
		{"registered_on must be a real date", regionalForm, func(a *form.Application) { a.RegisteredOn = "2023-02-29" }, "registered_on", "有效日期"},
		{"registered_on must be YYYY-MM-DD", regionalForm, func(a *form.Application) { a.RegisteredOn = "2012/05/18" }, "registered_on", "YYYY-MM-DD"},
		{"registered_on must not be after today", regionalForm, func(a *form.Application) { a.RegisteredOn = "2026-09-29" }, "registered_on", "不能晚于今天（2026-09-28）"},
		{"registered_capital_wan is required", regionalForm, func(a *form.Application) { a.RegisteredCapitalWan = nil }, "registered_capital_wan", "请填写注册资金（万元）"},
		{"labor_income_wan is required", regionalForm, func(a *form.Application) { a.LaborIncomeWan = nil }, "labor_income_wan", "请填写劳务经济收入"},
		{"labor_income_wan must not be negative", regionalForm, func(a *form.Application) { a.LaborIncomeWan = new(-0.01) }, "labor_income_wan", "不能为负数（当前-0.01）"},
		{"worker_annual_income_wan is required", regionalForm, func(a *form.Application) { a.WorkerAnnualIncomeWan = nil }, "worker_annual_income_wan", "请填写"},
		{"worker_annual_income_wan at most 2 decimals", regionalForm, func(a *form.Application) { a.WorkerAnnualIncomeWan = new(4.865) }, "worker_annual_income_wan", "最多保留2位小数（当前4.865）"},
		{"enterprise: industry_scale_wan is required", enterpriseForm, func(a *form.Application) { a.IndustryScaleWan = nil }, "industry_scale_wan", "请填写产业年经济规模"},
		{"regional: an optional industry_scale_wan is still checked", regionalForm, func(a *form.Application) { a.IndustryScaleWan = new(-5.0) }, "industry_scale_wan", "不能为负数"},
		{"direct_employees is required", regionalForm, func(a *form.Application) { a.DirectEmployees = nil }, "direct_employees", "请填写直接从业人数"},
		{"driven_employment is required", regionalForm, func(a *form.Application) { a.DrivenEmployment = nil }, "driven_employment", "请填写带动就业人数"},
		{"direct_poverty_alleviated is required", regionalForm, func(a *form.Application) { a.DirectPovertyAlleviated = nil }, "direct_poverty_alleviated", "请填写"},
		{"driven_poverty_alleviated must not be negative", regionalForm, func(a *form.Application) { a.DrivenPovertyAlleviated = new(int64(-1)) }, "driven_poverty_alleviated", "不能为负数（当前-1）"},
		{"associated_enterprises is required", regionalForm, func(a *form.Application) { a.AssociatedEnterprises = nil }, "associated_enterprises", "请填写"},
		{"trainees_two_years is required", enterpriseForm, func(a *form.Application) { a.TraineesTwoYears = nil }, "trainees_two_years", "请填写近两年培训人数"},
		{"has_patent_or_standard is required", regionalForm, func(a *form.Application) { a.HasPatentOrStandard = nil }, "has_patent_or_standard", "请选择是否申请专利或出台品牌标准"},
		{"附件1: development_plan is required", regionalForm, func(a *form.Application) { a.DevelopmentPlan = "" }, "development_plan", "请填写"},
		{"附件1: development_plan of 201 characters is too long", regionalForm, func(a *form.Application) { a.DevelopmentPlan = chars(201) }, "development_plan", "品牌建设及发展规划简介不超过200字（当前201字）"},
		{"typical_persons at most 2000 characters", regionalForm, func(a *form.Application) { a.TypicalPersons = chars(2001) }, "typical_persons", "当前2001字"},
		{"附件1: commitment is required", regionalForm, func(a *form.Application) { a.Commitment = nil }, "commitment", "须承诺"},
		{"附件1: commitment must be true", regionalForm, func(a *form.Application) { a.Commitment = new(false) }, "commitment", "须承诺"},
		{"trademark is required", regionalForm, func(a *form.Application) { a.Trademark = nil }, "trademark", "商标"},
		{"trademark.registered is required", regionalForm, func(a *form.Application) { a.Trademark = &form.Trademark{RegistrationNo: "1"} }, "trademark.registered", "是否已注册"},
		{"a registered trademark needs its registration_no", regionalForm, func(a *form.Application) { a.Trademark.RegistrationNo = " " }, "trademark.registration_no", "注册号"},
		{"第八条（三）: regional needs industry_association", regionalForm, func(a *form.Application) { a.IndustryAssociation = "" }, "industry_association", "请填写行业协会载体"},
		{"第九条（一）: enterprise needs fixed_premises", enterpriseForm, func(a *form.Application) { a.FixedPremises = nil }, "fixed_premises", "请选择"},
		{"第九条（四）: enterprise needs standards_led", enterpriseForm, func(a *form.Application) { a.StandardsLed = nil }, "standards_led", "请选择"},
		{"第九条（五）: enterprise needs intangible_heritage", enterpriseForm, func(a *form.Application) { a.IntangibleHeritage = nil }, "intangible_heritage", "非物质文化遗产"},
		{"第九条（六）: enterprise needs follow_up_service", enterpriseForm, func(a *form.Application) { a.FollowUpService = "" }, "follow_up_service", "请填写劳务跟踪服务情况"},
		{"follow_up_service at most 500 characters, also when optional", regionalForm, func(a *form.Application) { a.FollowUpService = chars(501) }, "follow_up_service", "当前501字"},
		{"issue 12: trainees_two_years of 2⁶³−1 is refused", enterpriseForm, func(a *form.Application) { a.TraineesTwoYears = new(int64(1<<63 - 1)) }, "trainees_two_years", "不能超过10000000"},
		{"issue 12: a count over 10,000,000", regionalForm, func(a *form.Application) { a.DirectEmployees = new(int64(10_000_001)) }, "direct_employees", "不能超过10000000（当前10000001）"},
		{"issue 12: labor_income_wan of 1e300 is refused", regionalForm, func(a *form.Application) { a.LaborIncomeWan = new(1e300) }, "labor_income_wan", "不能超过1000000000万元"},
		{"issue 12: an amount just over 1e9 万元", regionalForm, func(a *form.Application) { a.RegisteredCapitalWan = new(1e9 + 0.01) }, "registered_capital_wan", "不能超过"},
		{"issue 12: registered_on 0001-01-01 is refused", regionalForm, func(a *form.Application) { a.RegisteredOn = "0001-01-01" }, "registered_on", "不能早于1949-10-01"},
		{"issue 12: registered_on the day before 1949-10-01", regionalForm, func(a *form.Application) { a.RegisteredOn = "1949-09-30" }, "registered_on", "不能早于1949-10-01"},
		{"issue 12: 51 honours are too many", regionalForm, func(a *form.Application) { a.Honours = repeat("荣誉", 51) }, "honours", "最多50项（当前51项）"},
		{"issue 12: 10,000 honours are too many", regionalForm, func(a *form.Application) { a.Honours = repeat("荣誉", 10000) }, "honours", "最多50项"},
		{"issue 12: an honour of 201 characters", regionalForm, func(a *form.Application) { a.Honours = []string{"省级", chars(201)} }, "honours[1]", "每项不超过200字（第2项201字）"},
		{"issue 12: 51 patents or standards are too many", regionalForm, func(a *form.Application) { a.PatentsStandards = repeat("标准", 51) }, "patents_standards", "最多50项"},
		{"contact_name at most 50 characters", regionalForm, func(a *form.Application) { a.ContactName = chars(51) }, "contact_name", "当前51字"},
		{"industry_association at most 100 characters", regionalForm, func(a *form.Application) { a.IndustryAssociation = chars(101) }, "industry_association", "当前101字"},
		{"trademark.registration_no at most 50 characters", regionalForm, func(a *form.Application) { a.Trademark.RegistrationNo = chars(51) }, "trademark.registration_no", "当前51字"},
		{"uscc_override_reason only on behalf, even with a valid code", regionalForm, func(a *form.Application) { a.USCCOverrideReason = "登记证书如此" }, "uscc_override_reason", "仅市级代录时可填写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.base()
			tt.change(&a)
			errs := form.Validate(a, onDate)
			if len(errs) != 1 || errs[0].Field != tt.field {
				t.Fatalf("Validate = %v, want exactly one error on %s", errs, tt.field)
			}
			if !strings.Contains(errs[0].Message, tt.message) {
				t.Errorf("message %q does not contain %q", errs[0].Message, tt.message)
			}
		})
	}
}

// RULES §2 Decision — override: a checksum failure may be overridden with a reason only when a
// city officer enters the form on the holder's behalf (代录); format errors always block.
func TestDecision_USCCOverride_OnlyOnBehalfWithAReason(t *testing.T) {
	const badChecksum, badFormat = "51530181MJ0000001R", "51530181MJ000000IU"
	tests := []struct {
		name       string
		code       string
		reason     string
		onBehalf   bool
		wantFields []string
		overridden string // the code the city let through on this application
	}{
		{"applicant: a checksum failure blocks", badChecksum, "", false, []string{"uscc"}, ""},
		{"applicant: a reason does not override, and is itself refused", badChecksum, "登记证书如此", false, []string{"uscc", "uscc_override_reason"}, ""},
		{"代录: without a reason the checksum failure still blocks", badChecksum, "", true, []string{"uscc"}, ""},
		{"代录: a reason overrides the checksum failure", badChecksum, "营业执照原件核对无误，代码如此", true, nil, ""},
		{"代录: a reason does not override a format error", badFormat, "营业执照原件核对无误", true, []string{"uscc"}, ""},
		{"代录: a reason of spaces only is no reason", badChecksum, "  ", true, []string{"uscc"}, ""},
		{"代录: a reason with a valid code is harmless", "51530181MJ0000001U", "多余说明", true, nil, ""},
		// The holder resubmitting a 代录 returned to it keeps the code the city let through.
		{"applicant resubmitting: the code let through stays through", badChecksum, "", false, nil, badChecksum},
		{"applicant resubmitting: with its reason carried", badChecksum, "登记证书如此", false, nil, badChecksum},
		{"applicant resubmitting: another failing code is refused", "51530181MJ0000002R", "", false, []string{"uscc"}, badChecksum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := regionalForm()
			a.USCC, a.USCCOverrideReason = tt.code, tt.reason
			errs := form.Validate(a, form.Options{Today: today, OnBehalf: tt.onBehalf, OverriddenUSCC: tt.overridden})
			if got := fields(errs); !slices.Equal(got, tt.wantFields) {
				t.Errorf("fields = %v (%v), want %v", got, errs, tt.wantFields)
			}
		})
	}
}

// TestValidateReportsEveryField: API Conventions — 422 lists every failing field at once, in form order.
func TestValidateReportsEveryField(t *testing.T) {
	common := []string{
		"brand_name", "brand_type", "category", "county_code", "contact_name", "contact_phone",
		"unit_name", "legal_representative", "unit_address", "registration_place", "uscc", "registered_on",
		"registered_capital_wan", "labor_income_wan", "worker_annual_income_wan",
	}
	counts := []string{
		"direct_employees", "driven_employment", "direct_poverty_alleviated", "driven_poverty_alleviated",
		"associated_enterprises", "trainees_two_years", "has_patent_or_standard", "development_plan",
		"commitment", "trademark",
	}
	t.Run("an empty form lists every required field", func(t *testing.T) {
		want := slices.Concat(common, counts)
		if got := fields(form.Validate(form.Application{}, onDate)); !slices.Equal(got, want) {
			t.Errorf("fields = %v\nwant     %v", got, want)
		}
	})
	t.Run("an empty enterprise form also lists the 第九条 fields", func(t *testing.T) {
		want := slices.Concat(
			[]string{"brand_name"}, common[2:], []string{"industry_scale_wan"}, counts,
			[]string{"fixed_premises", "standards_led", "intangible_heritage", "follow_up_service"})
		got := fields(form.Validate(form.Application{BrandType: "enterprise"}, onDate))
		if !slices.Equal(got, want) {
			t.Errorf("fields = %v\nwant     %v", got, want)
		}
	})
	t.Run("several broken fields of a filled form are all reported", func(t *testing.T) {
		a := regionalForm()
		a.BrandName = "玫"
		a.ContactPhone = "12345"
		a.USCC = "51530181MJ0000001R"
		a.LaborIncomeWan = new(1.001)
		a.DevelopmentPlan = chars(215)
		a.Trademark.Registered = nil
		a.IndustryAssociation = ""
		a.USCCOverrideReason = "x"
		want := []string{"brand_name", "contact_phone", "uscc", "labor_income_wan", "development_plan",
			"trademark.registered", "industry_association", "uscc_override_reason"}
		errs := form.Validate(a, onDate)
		if got := fields(errs); !slices.Equal(got, want) {
			t.Errorf("fields = %v, want %v", got, want)
		}
		for _, e := range errs {
			if e.Field == "development_plan" && e.Message != "品牌建设及发展规划简介不超过200字（当前215字）" {
				t.Errorf("development_plan message = %q", e.Message)
			}
		}
	})
}

// TestValidateDoesNotChangeItsInput: Validate normalises a copy, never the caller's form.
func TestValidateDoesNotChangeItsInput(t *testing.T) {
	a := regionalForm()
	a.BrandName = " 安宁玫瑰 "
	a.Honours = []string{"", "云南省劳务品牌"}
	a.Trademark.RegistrationNo = " 38123456 "
	form.Validate(a, onDate)
	if a.BrandName != " 安宁玫瑰 " || a.Honours[0] != "" || a.Trademark.RegistrationNo != " 38123456 " {
		t.Errorf("Validate changed its input: %q %q %q", a.BrandName, a.Honours, a.Trademark.RegistrationNo)
	}
}

// repeat is n copies of s.
func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
