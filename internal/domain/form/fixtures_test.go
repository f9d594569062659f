package form_test

import (
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// today is the business date the tests validate on.
const today = "2026-09-28"

var onDate = form.Options{Today: today}

// regionalForm is a complete, valid form for a regional brand (第八条) that meets every
// numeric criterion: the rose growers of 安宁市, carried by their industry association.
func regionalForm() form.Application {
	return form.Application{
		BrandName:               "安宁玫瑰",
		BrandType:               "regional",
		Category:                "planting_breeding",
		CountyCode:              "530181",
		ContactName:             "李玫",
		ContactPhone:            "13888123456",
		UnitName:                "安宁市玫瑰产业协会",
		LegalRepresentative:     "张云华",
		UnitAddress:             "云南省昆明市安宁市八街街道玫瑰小镇1号",
		RegistrationPlace:       "云南省昆明市安宁市",
		USCC:                    "51530181MJ0000001U",
		RegisteredOn:            "2012-05-18",
		RegisteredCapitalWan:    new(3.0),
		LaborIncomeWan:          new(18500.5),
		WorkerAnnualIncomeWan:   new(4.86),
		DirectEmployees:         new(int64(3200)),
		DrivenEmployment:        new(int64(12000)),
		DirectPovertyAlleviated: new(int64(260)),
		DrivenPovertyAlleviated: new(int64(940)),
		AssociatedEnterprises:   new(int64(46)),
		TraineesTwoYears:        new(int64(5400)),
		HasPatentOrStandard:     new(true),
		PatentsStandards:        []string{"食用玫瑰种植技术规程（团体标准）"},
		Honours:                 []string{"云南省劳务品牌（2024）", "昆明市巾帼示范基地"},
		DevelopmentPlan: "安宁八街种植食用玫瑰已有三十余年，协会组织花农统一技术规程、统一收购，" +
			"现有种植户三千余户。今后三年将扩大标准化基地，培训采摘与加工技能人才，打造安宁玫瑰劳务品牌。",
		TypicalPersons:      "王秀英，协会创办人，带领本村花农发展食用玫瑰种植，培训花农上千人次。",
		Commitment:          new(true),
		Trademark:           &form.Trademark{Registered: new(true), RegistrationNo: "38123456"},
		IndustryAssociation: "安宁市玫瑰产业协会",
	}
}

// enterpriseForm is a complete, valid form for an enterprise brand (第九条) that meets every
// criterion: a Sani embroidery company of 石林彝族自治县, an intangible-heritage (非遗) enterprise.
func enterpriseForm() form.Application {
	return form.Application{
		BrandName:               "石林撒尼刺绣",
		BrandType:               "enterprise",
		Category:                "culture_tourism_crafts",
		CountyCode:              "530126",
		ContactName:             "毕阿诗",
		ContactPhone:            "0871-67712345",
		UnitName:                "石林阿诗玛刺绣文化有限公司",
		LegalRepresentative:     "昂黑妹",
		UnitAddress:             "云南省昆明市石林彝族自治县鹿阜街道文化路8号",
		RegistrationPlace:       "云南省昆明市石林彝族自治县",
		USCC:                    "91530126MA6K00001Q",
		RegisteredOn:            "2016-03-09",
		RegisteredCapitalWan:    new(500.0),
		LaborIncomeWan:          new(1260.0),
		WorkerAnnualIncomeWan:   new(3.6),
		IndustryScaleWan:        new(3100.25),
		DirectEmployees:         new(int64(420)),
		DrivenEmployment:        new(int64(2300)),
		DirectPovertyAlleviated: new(int64(85)),
		DrivenPovertyAlleviated: new(int64(310)),
		AssociatedEnterprises:   new(int64(12)),
		TraineesTwoYears:        new(int64(860)),
		HasPatentOrStandard:     new(true),
		PatentsStandards:        []string{"撒尼刺绣技艺规范（企业标准）", "一种刺绣绷架（实用新型专利）"},
		Honours:                 []string{"国家级非物质文化遗产生产性保护示范基地"},
		DevelopmentPlan:         "以撒尼刺绣非遗技艺为核心，建设绣娘培训基地，发展订单式居家就业，三年内带动绣娘三千人。",
		Commitment:              new(true),
		Trademark:               &form.Trademark{Registered: new(true), RegistrationNo: "20456789"},
		FixedPremises:           new(true),
		StandardsLed:            new(true),
		IntangibleHeritage:      new(true),
		FollowUpService:         "建立绣娘档案，定期回访，提供技能提升、订单对接与劳动权益维护服务。",
	}
}

// chars returns n copies of a Chinese character: lengths are counted in characters, not bytes.
func chars(n int) string { return strings.Repeat("花", n) }

// fields lists the Field of each error, in order.
func fields(errs []form.FieldError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return out
}
