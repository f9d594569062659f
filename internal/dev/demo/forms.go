// Package demo holds realistic sample data — 推荐表 forms of brands from
// several Kunming counties and an expert pool — used by `laborbrand dev
// --demo` and by tests that drive the API as an outside client would.
package demo

import (
	"encoding/json"
	"fmt"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// Form is a 推荐表 as a client sends it (API.md "Application form").
type Form map[string]any

// With returns a copy of f with the given fields replaced (nil deletes).
func (f Form) With(kv ...any) Form {
	out := Form{}
	for k, v := range f {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// Rose is the rose growers' association brand of 安宁市 (530181), a regional
// brand (第八条) that meets every numeric criterion.
func Rose() Form {
	return Form{
		"brand_name": "安宁玫瑰", "brand_type": "regional", "category": "planting_breeding", "county_code": "530181",
		"contact_name": "李玫", "contact_phone": "13888123456", "unit_name": "安宁市玫瑰产业协会",
		"legal_representative": "张云华", "unit_address": "云南省昆明市安宁市八街街道玫瑰小镇1号",
		"registration_place": "云南省昆明市安宁市", "uscc": "51530181MJ0000001U", "registered_on": "2012-05-18",
		"registered_capital_wan": 3.0, "labor_income_wan": 18500.5, "worker_annual_income_wan": 4.86,
		"direct_employees": 3200, "driven_employment": 12000, "direct_poverty_alleviated": 260,
		"driven_poverty_alleviated": 940, "associated_enterprises": 46, "trainees_two_years": 5400,
		"has_patent_or_standard": true, "patents_standards": []string{"食用玫瑰种植技术规程（团体标准）"},
		"honours":          []string{"云南省劳务品牌（2024）", "昆明市巾帼示范基地"},
		"development_plan": "安宁八街种植食用玫瑰已有三十余年，协会组织花农统一技术规程、统一收购，现有种植户三千余户。今后三年将扩大标准化基地，培训采摘与加工技能人才。",
		"typical_persons":  "王秀英，协会创办人，带领本村花农发展食用玫瑰种植，培训花农上千人次。",
		"commitment":       true, "trademark": map[string]any{"registered": true, "registration_no": "38123456"},
		"industry_association": "安宁市玫瑰产业协会",
	}
}

// Embroidery is a Sani embroidery company of 石林彝族自治县 (530126), an
// enterprise brand (第九条) and an intangible-heritage (非遗) enterprise.
func Embroidery() Form {
	return Form{
		"brand_name": "石林撒尼刺绣", "brand_type": "enterprise", "category": "culture_tourism_crafts", "county_code": "530126",
		"contact_name": "毕阿诗", "contact_phone": "0871-67712345", "unit_name": "石林阿诗玛刺绣文化有限公司",
		"legal_representative": "昂黑妹", "unit_address": "云南省昆明市石林彝族自治县鹿阜街道文化路8号",
		"registration_place": "云南省昆明市石林彝族自治县", "uscc": "91530126MA6K00001Q", "registered_on": "2016-03-09",
		"registered_capital_wan": 500.0, "labor_income_wan": 1260.0, "worker_annual_income_wan": 3.6,
		"industry_scale_wan": 3100.25, "direct_employees": 420, "driven_employment": 2300, "direct_poverty_alleviated": 85,
		"driven_poverty_alleviated": 310, "associated_enterprises": 12, "trainees_two_years": 460,
		"has_patent_or_standard": true, "patents_standards": []string{"撒尼刺绣技艺规范（企业标准）"},
		"honours":          []string{"国家级非物质文化遗产生产性保护示范基地"},
		"development_plan": "以撒尼刺绣非遗技艺为核心，建设绣娘培训基地，发展订单式居家就业，三年内带动绣娘三千人。",
		"commitment":       true, "trademark": map[string]any{"registered": true, "registration_no": "27654321"},
		"fixed_premises": true, "standards_led": true, "intangible_heritage": true,
		"follow_up_service": "为结业绣娘提供订单对接、技术回访和产品代销服务。",
	}
}

// Relaxations are what an officer approving f must relax (RULES §2 the
// gate): the trainees of a 非遗 enterprise with 500 or fewer (第九条（五）).
func (f Form) Relaxations() *[]client.Relaxation {
	n, _ := f["trainees_two_years"].(int)
	if heritage, _ := f["intangible_heritage"].(bool); !heritage || f["brand_type"] != "enterprise" || n > 500 {
		return nil
	}
	return &[]client.Relaxation{{Criterion: "trainees_two_years", Reason: "国家级非遗刺绣技艺传承，绣娘以居家订单培训为主，适当放宽培训人次标准"}}
}

// Typed is f as the API client's 推荐表: what the generated client sends.
func (f Form) Typed() (client.ApplicationForm, error) {
	var typed client.ApplicationForm
	raw, err := json.Marshal(f)
	if err == nil {
		err = json.Unmarshal(raw, &typed)
	}
	if err != nil {
		return typed, fmt.Errorf("demo form %v: %w", f["brand_name"], err)
	}
	return typed, nil
}

// Expert is a member of the sample expert pool.
type Expert struct {
	ID, Name, County string
	Specialties      []string
}

// Experts is a sample pool of a dozen experts across counties and fields.
func Experts() []Expert {
	return []Expert{
		{"EXP01", "杨建华", "530102", []string{"planting_breeding", "emerging"}},
		{"EXP02", "赵丽萍", "530103", []string{"planting_breeding", "accommodation_catering"}},
		{"EXP03", "李志强", "530111", []string{"manufacturing", "construction"}},
		{"EXP04", "陈晓燕", "530112", []string{"culture_tourism_crafts", "resident_services"}},
		{"EXP05", "普文忠", "530126", []string{"culture_tourism_crafts", "planting_breeding"}},
		{"EXP06", "马德明", "530129", []string{"planting_breeding", "other"}},
		{"EXP07", "周云", "530114", []string{"construction", "manufacturing"}},
		{"EXP08", "刘佳", "530115", []string{"emerging", "resident_services"}},
		{"EXP09", "何春兰", "530125", []string{"planting_breeding", "culture_tourism_crafts"}},
		{"EXP10", "段光辉", "530127", []string{"accommodation_catering", "culture_tourism_crafts"}},
		{"EXP11", "施宏", "530181", []string{"planting_breeding", "manufacturing"}},
		{"EXP12", "罗美琳", "530124", []string{"resident_services", "planting_breeding"}},
	}
}

// Scenario is a demo application and how far the demo takes it.
type Scenario struct {
	Form  Form
	Stage string // county_review | returned | city_review | public_notice | rejected, or one of the Via stages
}

// How the demo takes an application to the stages that follow 公示. Each is
// a real step of the process, taken in seconds; what needs the notice
// period's working days to pass is left to business time (README "Demo").
const (
	// ViaObjectionUpheld: in 公示, a mailed objection the city upholds —
	// rejected (第十三条).
	ViaObjectionUpheld = "objection_upheld"
	// ViaObjectionDismissed: in 公示, a mailed objection the city dismisses;
	// admitted when the notice period ends.
	ViaObjectionDismissed = "objection_dismissed"
)

// Scenarios are the demo applications of several counties at different stages.
func Scenarios() []Scenario {
	rose := Rose()
	return []Scenario{
		{Form: rose, Stage: "public_notice"},
		{Form: Embroidery(), Stage: "city_review"},
		{Form: rose.With("brand_name", "呈贡斗南花卉园艺师", "county_code", "530114", "unit_name", "昆明市呈贡区斗南花卉产业协会",
			"uscc", USCC("5153011400000002"), "industry_association", "昆明市呈贡区斗南花卉产业协会",
			"contact_name", "杨花", "contact_phone", "13577001122"), Stage: "county_review"},
		{Form: Embroidery().With("brand_name", "宜良烤鸭师傅", "category", "accommodation_catering", "county_code", "530125",
			"unit_name", "宜良狗街烤鸭餐饮管理有限公司", "uscc", USCC("9153012500000003"), "intangible_heritage", false,
			"trainees_two_years", 780, "contact_name", "刘师傅", "contact_phone", "0871-67511234"), Stage: "returned"},
		{Form: rose.With("brand_name", "东川面条工匠", "category", "manufacturing", "county_code", "530113",
			"unit_name", "昆明市东川区面条产业协会", "uscc", USCC("5153011300000004"), "industry_association", "昆明市东川区面条产业协会",
			"direct_employees", 1000, "contact_name", "张面", "contact_phone", "13700112233"), Stage: "county_review"},
		// 复审 not approved: the experts did not recommend it.
		{Form: Embroidery().With("brand_name", "盘龙茶艺师", "category", "resident_services", "county_code", "530103",
			"unit_name", "昆明盘龙茶文化服务有限公司", "uscc", USCC("9153010300000005"), "intangible_heritage", false, "trainees_two_years", 780,
			"contact_name", "普茶", "contact_phone", "13888002233"), Stage: "rejected"},
		{Form: rose.With("brand_name", "富民杨梅果农", "county_code", "530124", "unit_name", "富民县杨梅种植协会",
			"uscc", USCC("5153012400000006"), "industry_association", "富民县杨梅种植协会",
			"contact_name", "李果", "contact_phone", "13529001122"), Stage: ViaObjectionUpheld},
		{Form: rose.With("brand_name", "嵩明花卉园丁", "county_code", "530127", "unit_name", "嵩明县花卉产业协会",
			"uscc", USCC("5153012700000007"), "industry_association", "嵩明县花卉产业协会",
			"contact_name", "段花", "contact_phone", "13759003344"), Stage: ViaObjectionDismissed},
	}
}

// USCC completes a 16-character prefix to a valid 18-character USCC (GB
// 32100-2015) with a fixed 17th character and the check character.
func USCC(prefix16 string) string {
	body := prefix16 + "X"
	c, err := uscc.CheckCharacter(body)
	if err != nil {
		panic(err)
	}
	return body + string(c)
}
