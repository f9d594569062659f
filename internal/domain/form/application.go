// Package form is the recommendation form (推荐表, 附件1 of the Kunming scheme): its fields, how
// they are normalised and validated before submission, and the eligibility checklist of 第八条
// (regional brands) and 第九条 (enterprise brands) that reviewers see.
//
// The package is pure: no I/O and no clock, so workflows may call it. "Today" is passed in.
package form

import (
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// BrandType is the kind of brand applied for (第七条).
type BrandType string

// The brand types of 第七条.
const (
	Regional   BrandType = "regional"   // 区域公用劳务品牌, criteria in 第八条
	Enterprise BrandType = "enterprise" // 企业劳务品牌, criteria in 第九条
)

// Label returns the type's name on the form, or "" for a value that is not a brand type.
func (t BrandType) Label() string {
	switch t {
	case Regional:
		return "区域公用劳务品牌"
	case Enterprise:
		return "企业劳务品牌"
	}
	return ""
}

// Valid reports whether t is one of the brand types of 第七条.
func (t BrandType) Valid() bool { return t.Label() != "" }

// Category is the industry a brand belongs to (第六条, 所属类别 on 附件1).
type Category string

// The categories of 第六条 and 附件1.
const (
	CategoryPlantingBreeding      Category = "planting_breeding"
	CategoryManufacturing         Category = "manufacturing"
	CategoryConstruction          Category = "construction"
	CategoryAccommodationCatering Category = "accommodation_catering"
	CategoryResidentServices      Category = "resident_services"
	CategoryCultureTourismCrafts  Category = "culture_tourism_crafts"
	CategoryEmerging              Category = "emerging"
	CategoryOther                 Category = "other"
)

// Categories lists the categories in the order of the form.
var Categories = []Category{
	CategoryPlantingBreeding, CategoryManufacturing, CategoryConstruction, CategoryAccommodationCatering,
	CategoryResidentServices, CategoryCultureTourismCrafts, CategoryEmerging, CategoryOther,
}

var categoryLabels = map[Category]string{
	CategoryPlantingBreeding:      "种植养殖类",
	CategoryManufacturing:         "制造类",
	CategoryConstruction:          "建筑类",
	CategoryAccommodationCatering: "住宿餐饮类",
	CategoryResidentServices:      "居民服务类",
	CategoryCultureTourismCrafts:  "文旅手工艺类",
	CategoryEmerging:              "新兴产业类（新业态类）",
	CategoryOther:                 "其他",
}

// Label returns the category's name on the form, or "" for a value that is not a category.
func (c Category) Label() string { return categoryLabels[c] }

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool { return c.Label() != "" }

// Trademark is the brand's trademark or logo, evidence for the distinct-name criterion
// (第八条（一）, 第九条（二）).
type Trademark struct {
	Registered     *bool  `json:"registered"`
	RegistrationNo string `json:"registration_no,omitempty"`
}

// Application is the recommendation form of 附件1, plus the facts the criteria of 第八条 and
// 第九条 need. JSON names are those of the API's "Application form" table. Numbers and
// booleans are pointers so that "not given" (nil) differs from 0 and false.
type Application struct {
	RoundID string `json:"round_id,omitempty"`

	BrandName           string `json:"brand_name"`
	BrandType           string `json:"brand_type"` // a BrandType
	Category            string `json:"category"`   // a Category
	CountyCode          string `json:"county_code"`
	ContactName         string `json:"contact_name"`
	ContactPhone        string `json:"contact_phone"`
	UnitName            string `json:"unit_name"`
	LegalRepresentative string `json:"legal_representative"`
	UnitAddress         string `json:"unit_address"`
	RegistrationPlace   string `json:"registration_place"`
	USCC                string `json:"uscc"`
	RegisteredOn        string `json:"registered_on"` // YYYY-MM-DD

	// Amounts in 万元.
	RegisteredCapitalWan  *float64 `json:"registered_capital_wan"`
	LaborIncomeWan        *float64 `json:"labor_income_wan"`
	WorkerAnnualIncomeWan *float64 `json:"worker_annual_income_wan"`
	IndustryScaleWan      *float64 `json:"industry_scale_wan"`

	// Head counts (人); trainees are counted per training (人次).
	DirectEmployees         *int64 `json:"direct_employees"`
	DrivenEmployment        *int64 `json:"driven_employment"`
	DirectPovertyAlleviated *int64 `json:"direct_poverty_alleviated"`
	DrivenPovertyAlleviated *int64 `json:"driven_poverty_alleviated"`
	AssociatedEnterprises   *int64 `json:"associated_enterprises"`
	TraineesTwoYears        *int64 `json:"trainees_two_years"`

	HasPatentOrStandard *bool    `json:"has_patent_or_standard"`
	PatentsStandards    []string `json:"patents_standards"`
	Honours             []string `json:"honours"` // most important first, as 附件1 asks
	DevelopmentPlan     string   `json:"development_plan"`
	TypicalPersons      string   `json:"typical_persons"`
	Commitment          *bool    `json:"commitment"`

	Trademark           *Trademark `json:"trademark"`
	IndustryAssociation string     `json:"industry_association"` // regional: the carrier association
	FixedPremises       *bool      `json:"fixed_premises"`       // enterprise
	StandardsLed        *bool      `json:"standards_led"`        // enterprise
	IntangibleHeritage  *bool      `json:"intangible_heritage"`  // enterprise: 非物质文化遗产类企业
	FollowUpService     string     `json:"follow_up_service"`    // enterprise

	// USCCOverrideReason lets a city officer entering the form on the holder's behalf (代录) accept
	// a code that fails the GB 32100 checksum. The override is audited by the caller.
	USCCOverrideReason string `json:"uscc_override_reason,omitempty"`
}

// Normalize tidies a as typed by a person: it trims every string, normalises the USCC
// (uscc.Normalize) and the phone's full-width digits, and drops empty entries from the lists.
// It allocates new lists and a new Trademark rather than writing through shared ones.
func Normalize(a *Application) {
	for _, p := range []*string{
		&a.RoundID, &a.BrandName, &a.BrandType, &a.Category, &a.CountyCode, &a.ContactName,
		&a.UnitName, &a.LegalRepresentative, &a.UnitAddress, &a.RegistrationPlace, &a.RegisteredOn,
		&a.DevelopmentPlan, &a.TypicalPersons, &a.IndustryAssociation, &a.FollowUpService,
		&a.USCCOverrideReason,
	} {
		*p = strings.TrimSpace(*p)
	}
	a.USCC = uscc.Normalize(a.USCC)
	a.ContactPhone = NormalizePhone(a.ContactPhone)
	a.PatentsStandards = dropEmpty(a.PatentsStandards)
	a.Honours = dropEmpty(a.Honours)
	if a.Trademark != nil {
		t := *a.Trademark
		t.RegistrationNo = strings.TrimSpace(t.RegistrationNo)
		a.Trademark = &t
	}
}

// NormalizePhone is a phone number as typed with its full-width digits and
// '-' (a Chinese input method's) made ASCII and the spaces around it trimmed,
// so that every form compares and checks it the same way.
func NormalizePhone(s string) string { return strings.TrimSpace(strings.Map(halfWidth, s)) }

// dropEmpty returns the trimmed, non-empty entries of list in order, or nil when there are none.
func dropEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// halfWidth maps full-width forms (as Chinese input methods type digits and '-') to ASCII.
func halfWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - (0xFF01 - 0x21)
	case r == 0x3000:
		return ' '
	}
	return r
}
