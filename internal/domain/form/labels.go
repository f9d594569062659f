package form

// fieldLabels are the fields' names as printed on 附件1 (or, for the fields 附件1 lacks, as the
// criteria of 第八条/第九条 word them), keyed by JSON name.
var fieldLabels = map[string]string{
	"round_id":                  "申报批次",
	"brand_name":                "劳务品牌名称",
	"brand_type":                "申报类别",
	"category":                  "所属类别",
	"county_code":               "所在县（市、区）",
	"contact_name":              "劳务品牌联系人",
	"contact_phone":             "联系方式",
	"unit_name":                 "实施单位（公司）",
	"legal_representative":      "法人或负责人",
	"unit_address":              "单位（公司）地址",
	"registration_place":        "注册地",
	"uscc":                      "统一社会信用代码",
	"registered_on":             "注册时间",
	"registered_capital_wan":    "注册资金",
	"labor_income_wan":          "劳务经济收入",
	"worker_annual_income_wan":  "从业人员务工年收入",
	"industry_scale_wan":        "产业年经济规模",
	"direct_employees":          "直接从业人数",
	"driven_employment":         "带动就业人数",
	"direct_poverty_alleviated": "直接从业脱贫人数",
	"driven_poverty_alleviated": "带动脱贫就业人数",
	"associated_enterprises":    "直接关联企业数",
	"trainees_two_years":        "近两年培训人数",
	"has_patent_or_standard":    "是否申请专利或出台品牌标准",
	"patents_standards":         "专利或标准名称",
	"honours":                   "所获荣誉",
	"development_plan":          "品牌建设及发展规划简介",
	"typical_persons":           "典型人物及简要事迹",
	"commitment":                "申报单位承诺",
	"trademark":                 "商标（标识）",
	"trademark.registered":      "商标是否已注册",
	"trademark.registration_no": "商标注册号",
	"industry_association":      "行业协会载体",
	"fixed_premises":            "是否有固定经营活动场所",
	"standards_led":             "是否牵头或参与制定行业标准",
	"intangible_heritage":       "是否非物质文化遗产类企业",
	"follow_up_service":         "劳务跟踪服务情况",
	"uscc_override_reason":      "统一社会信用代码覆盖原因",
}

// FieldLabel returns the Chinese label of a form field given by its JSON name, or the name
// itself when the form has no such field.
func FieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return field
}
