package paper_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the README's pictures of a printed form to docs/screenshots")

func ptr[T any](v T) *T { return &v }

// sample is a complete enterprise 推荐表.
func sample() form.Application {
	return form.Application{
		BrandName: "石林撒尼刺绣", BrandType: "enterprise", Category: "culture_tourism_crafts", CountyCode: "530126",
		ContactName: "李秀英", ContactPhone: "13987654321", UnitName: "石林阿诗玛绣娘服饰有限公司", LegalRepresentative: "毕春梅",
		UnitAddress: "云南省昆明市石林彝族自治县鹿阜街道阿诗玛大道88号", RegistrationPlace: "石林彝族自治县",
		USCC: "91530126MA6K8XQ12N", RegisteredOn: "2016-03-18",
		RegisteredCapitalWan: ptr(500.0), LaborIncomeWan: ptr(3280.5), WorkerAnnualIncomeWan: ptr(4.8), IndustryScaleWan: ptr(6200.0),
		DirectEmployees: ptr(int64(1260)), DrivenEmployment: ptr(int64(3400)), DirectPovertyAlleviated: ptr(int64(312)),
		DrivenPovertyAlleviated: ptr(int64(845)), AssociatedEnterprises: ptr(int64(27)), TraineesTwoYears: ptr(int64(1830)),
		HasPatentOrStandard: ptr(true), PatentsStandards: []string{"撒尼刺绣技艺团体标准 T/KMXH 003-2023", "一种刺绣绷架 ZL202120345678.9"},
		Honours:         []string{"云南省非物质文化遗产生产性保护基地", "昆明市就业扶贫车间"},
		DevelopmentPlan: "以撒尼刺绣为核心，三年内建成10个绣娘工坊，带动5000名妇女居家就业。",
		TypicalPersons:  strings.Repeat("毕春梅，撒尼刺绣省级传承人，从艺三十年，培养绣娘两千余人。", 40),
		Commitment:      ptr(true), Trademark: &form.Trademark{Registered: ptr(true), RegistrationNo: "第38215566号"},
		FixedPremises: ptr(true), StandardsLed: ptr(true), IntangibleHeritage: ptr(true), FollowUpService: "建立绣娘档案，定期回访。",
	}
}

var printed = time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestRecommendationPDFCarriesTheRecord(t *testing.T) {
	f := papertest.Fonts(t)
	a := sample()
	pdf, err := f.RecommendationPDF(paper.Recommendation{ApplicationID: "A20261130X", Form: a, CountyName: "石林彝族自治县",
		CountyOpinion: "材料齐全，同意推荐。", Printed: printed})
	if err != nil {
		t.Fatal(err)
	}
	papertest.Contains(t, pdf, "附件1", "昆明市市级劳务品牌培育入库推荐表", "劳务品牌名称", a.BrandName, a.ContactName, a.ContactPhone, a.UnitName,
		a.LegalRepresentative, a.UnitAddress, a.USCC, a.RegisteredOn, "500（万元）", "3280.5（万元）", "1260（人）", "3400（人）",
		"1830（人次）", "☑ 企业劳务品牌", "☐ 区域公用劳务品牌", "☑ 文旅手工艺类", a.PatentsStandards[0], a.Honours[1], a.DevelopmentPlan,
		"本人承诺，申报表所填内容真实、准确。", "承诺人（机构法人代表）签字：", "材料齐全，同意推荐。", "市人社部门意见",
		"第38215566号", a.FollowUpService)
	papertest.NotBlank(t, pdf)
	if *updateScreenshots {
		papertest.WritePage(t, pdf, 1, 80, "../../docs/screenshots/paper-attachment1.png")
	}
}
