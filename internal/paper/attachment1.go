package paper

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// Recommendation is 附件1, 昆明市市级劳务品牌培育入库推荐表, filled from an
// application's current form.
type Recommendation struct {
	ApplicationID string
	Form          form.Application
	CountyName    string
	// CountyOpinion and CityOpinion are the 初审 and 复审 opinions as
	// recorded, "" while there is none; the seal and date stay for ink.
	CountyOpinion, CityOpinion string
	// Revision is the 推荐表's version printed (第N版), so that a signed
	// scan says which one its signer signed; 0 prints none.
	Revision int
	Printed  time.Time
}

// schemeCategories are 附件1's boxes of 所属类别, in its order and words.
var schemeCategories = []struct {
	code  form.Category
	label string
}{
	{form.CategoryPlantingBreeding, "种植养殖类"}, {form.CategoryManufacturing, "制造类"},
	{form.CategoryConstruction, "建筑类"}, {form.CategoryAccommodationCatering, "住宿餐饮类"},
	{form.CategoryResidentServices, "居民服务类"}, {form.CategoryCultureTourismCrafts, "文旅手工艺类"},
	{form.CategoryEmerging, "新业态类"}, {form.CategoryOther, "其他"},
}

// The commitment and the blocks 附件1 leaves for ink, in its words.
const (
	commitmentText = "本人承诺，申报表所填内容真实、准确。"
	commitmentSign = "承诺人（机构法人代表）签字：　　　　　　　　　　\n年　　月　　日（盖章）"
	sealDate       = "年　　月　　日（盖章）"
)

// 附件1's columns: label, value, label, value.
const (
	c1 = 34.0
	c2 = 53.0
	c3 = 34.0
)

// RecommendationPDF prints 附件1 with the rows, labels and order of the
// scheme, then, on an annex page (the form's 另附页), the facts the criteria
// of 第八条/第九条 need that the form has no row for.
func (f *Fonts) RecommendationPDF(r Recommendation) ([]byte, error) {
	a := r.Form
	d := f.newDoc("昆明市市级劳务品牌培育入库推荐表 "+a.BrandName, r.Printed)
	d.corner("附件1")
	d.heading("昆明市市级劳务品牌培育入库推荐表", 16)
	d.size = 9
	id := r.ApplicationID
	if r.Revision > 0 {
		id += fmt.Sprintf("（推荐表第%d版）", r.Revision)
	}
	d.paragraph("申报编号："+id+"　　所在县（市、区）："+r.CountyName+"　　打印日期："+day(r.Printed), true)
	d.size = bodySize
	d.space(1)

	d.row(label(c1, "劳务品牌名称"), value(0, a.BrandName))
	d.row(label(c1, "劳务品牌联系人"), value(c2, a.ContactName), label(c3, "联系方式"), value(0, a.ContactPhone))
	d.row(label(c1, "实施单位（公司）"), value(c2, a.UnitName), label(c3, "法人或负责人"), value(0, a.LegalRepresentative))
	d.row(label(c1, "单位（公司）地址"), value(0, a.UnitAddress))
	d.row(label(c1, "统一社会信用代码"), value(c2, a.USCC), label(c3, "注册时间"), value(0, a.RegisteredOn))
	d.row(label(c1, "注册地"), value(c2, a.RegistrationPlace), label(c3, "注册资金"), value(0, wan(a.RegisteredCapitalWan)))
	d.row(label(c1, "申报类别"), value(0, tick(a.BrandType == string(form.Regional))+" 区域公用劳务品牌　　　"+
		tick(a.BrandType == string(form.Enterprise))+" 企业劳务品牌"))
	var cats []string
	for _, c := range schemeCategories {
		cats = append(cats, tick(a.Category == string(c.code))+" "+c.label)
	}
	d.row(label(c1, "所属类别"), value(0, strings.Join(cats[:4], "　　")+"\n"+strings.Join(cats[4:], "　　")))
	d.row(label(c1, "劳务经济收入"), value(c2, wan(a.LaborIncomeWan)), label(c3, "从业人员务工年收入"), value(0, wan(a.WorkerAnnualIncomeWan)))
	d.row(label(c1, "直接从业人数"), value(c2, count(a.DirectEmployees, "人")), label(c3, "带动就业人数"), value(0, count(a.DrivenEmployment, "人")))
	d.row(label(c1, "直接从业脱贫人数"), value(c2, count(a.DirectPovertyAlleviated, "人")), label(c3, "带动脱贫就业人数"), value(0, count(a.DrivenPovertyAlleviated, "人")))
	d.row(label(c1, "直接关联企业数"), value(c2, count(a.AssociatedEnterprises, "个")), label(c3, "近两年培训人数"), value(0, count(a.TraineesTwoYears, "人次")))
	n := int64(len(a.PatentsStandards))
	d.row(label(c1, "是否申请专利或\n出台品牌标准"), value(c2, yesNo(a.HasPatentOrStandard)), label(c3, "专利或标准\n名称（可另附）"),
		value(0, count(&n, "个")+numbered(a.PatentsStandards)))
	d.row(label(c1, "所获荣誉"), value(0, "（按含金量高低排序）"+numbered(a.Honours)))
	d.row(label(c1, "品牌建设及发展规划简介"), value(0, a.DevelopmentPlan))
	d.row(label(c1, "典型人物及\n简要事迹"), value(0, a.TypicalPersons))
	d.row(label(c1, "申报单位\n承诺"), cell{text: commitmentText + "\n" + yesNoCommitment(a.Commitment), sign: commitmentSign, ink: 1})
	d.row(label(c1, "县（市）区\n人社部门意见"), cell{text: r.CountyOpinion, sign: sealDate, ink: 2})
	d.row(label(c1, "市人社部门意见"), cell{text: r.CityOpinion, sign: sealDate, ink: 2})

	d.newPage()
	d.corner("附件1 附页")
	d.heading("入库条件相关情况（第八条、第九条）", 13)
	d.row(label(50, "商标是否已注册"), value(0, trademark(a.Trademark)))
	d.row(label(50, "行业协会载体"), value(0, a.IndustryAssociation))
	d.row(label(50, "产业年经济规模"), value(0, wan(a.IndustryScaleWan)))
	d.row(label(50, "是否有固定经营活动场所"), value(0, yesNo(a.FixedPremises)))
	d.row(label(50, "是否牵头或参与制定行业标准"), value(0, yesNo(a.StandardsLed)))
	d.row(label(50, "是否非物质文化遗产类企业"), value(0, yesNo(a.IntangibleHeritage)))
	d.row(label(50, "劳务跟踪服务情况"), value(0, a.FollowUpService))
	return d.bytes()
}

// tick is a ticked or an empty box.
func tick(on bool) string {
	if on {
		return "☑"
	}
	return "☐"
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "是"
	}
	return "否"
}

func yesNoCommitment(b *bool) string {
	if b != nil && *b {
		return "（已在线勾选承诺）"
	}
	return ""
}

func trademark(t *form.Trademark) string {
	if t == nil || t.Registered == nil {
		return ""
	}
	if !*t.Registered {
		return "否"
	}
	if t.RegistrationNo != "" {
		return "是（注册号 " + t.RegistrationNo + "）"
	}
	return "是"
}

// wan is an amount in 万元 as the form prints it.
func wan(v *float64) string {
	if v == nil {
		return "（万元）"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64) + "（万元）"
}

func count(v *int64, unit string) string {
	if v == nil {
		return "（" + unit + "）"
	}
	return strconv.FormatInt(*v, 10) + "（" + unit + "）"
}

// numbered lists entries one a line, numbered.
func numbered(list []string) string {
	var b strings.Builder
	for i, s := range list {
		b.WriteString("\n" + strconv.Itoa(i+1) + ". " + s)
	}
	return b.String()
}

// day is a date as a person reads it (Asia/Shanghai).
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format("2006年1月2日")
}
