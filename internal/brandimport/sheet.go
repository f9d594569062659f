// Package brandimport brings a library kept before the system over (issue
// 14): the bureau's sheet of brands admitted earlier — its columns, the
// template to fill in, each row read and checked by the 推荐表's own rules —
// and the brand process each row starts, at the point of its life the sheet
// gives. The API's import and `dev --demo` start imported brands through
// Start alike.
package brandimport

import (
	"strings"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// SheetName is the template's sheet.
const SheetName = "劳务品牌"

// MaxRows bounds one upload.
const MaxRows = 20000

// The columns, in the template's order.
const (
	ColName            = "品牌名称"
	ColUnit            = "持有单位"
	ColUSCC            = "统一社会信用代码"
	ColType            = "品牌类型"
	ColCategory        = "所属类别"
	ColCounty          = "所在县（市、区）"
	ColAdmitted        = "入库日期"
	ColStatus          = "当前状态"
	ColLevel           = "整改级别"
	ColReason          = "整改事由"
	ColOrdered         = "整改下达日期"
	ColDue             = "整改期限"
	ColSuspendedFrom   = "暂停起始日"
	ColSuspendedUntil  = "暂停截止日"
	ColSuspensionCount = "累计暂停次数"
	ColLastEvaluation  = "最近一次评估日期"
)

// Status labels of the sheet: a brand in the library is one of these (a
// removed brand has left it and is not imported).
var statusLabels = []string{workflows.BrandStatusLabel(workflows.BrandStatusActive),
	workflows.BrandStatusLabel(workflows.BrandStatusRectifying), workflows.BrandStatusLabel(workflows.BrandStatusSuspended)}

var levelLabels = []string{"一级", "二级"}

// Fields are the sheet's columns with their notes and drop-downs.
func Fields() []spreadsheet.Field {
	var types, categories, counties, reasons []string
	for _, t := range []form.BrandType{form.Regional, form.Enterprise} {
		types = append(types, t.Label())
	}
	for _, c := range form.Categories {
		categories = append(categories, c.Label())
	}
	for _, c := range form.Counties() {
		counties = append(counties, c.Name)
	}
	for _, r := range workflows.RectificationReasons() {
		reasons = append(reasons, workflows.FindingReasonLabel(r))
	}
	text, date, number := spreadsheet.Text, spreadsheet.Date, spreadsheet.Number
	return []spreadsheet.Field{
		{Column: spreadsheet.Column{Header: ColName, Width: 24, Kind: text}, Note: "必填。2–50字；与项目库中的品牌、正在办理的申请按规范形式比较（全角、大小写、空格、形近字母不计），不得重名"},
		{Column: spreadsheet.Column{Header: ColUnit, Width: 30, Kind: text}, Note: "必填。实施（持有）单位名称，不超过100字"},
		{Column: spreadsheet.Column{Header: ColUSCC, Width: 22, Kind: text}, Note: "必填。18位统一社会信用代码（GB 32100），校验位须正确；一个单位在项目库中只有一个品牌"},
		{Column: spreadsheet.Column{Header: ColType, Width: 18, Kind: text}, Note: "必填。从下拉列表选择", Choices: types},
		{Column: spreadsheet.Column{Header: ColCategory, Width: 20, Kind: text}, Note: "必填。从下拉列表选择（第六条）", Choices: categories},
		{Column: spreadsheet.Column{Header: ColCounty, Width: 20, Kind: text}, Note: "必填。推荐的县（市、区），从下拉列表选择", Choices: counties},
		{Column: spreadsheet.Column{Header: ColAdmitted, Width: 13, Kind: date}, Note: "必填。入库日期，不晚于导入当天；两年一次的综合评估从此日起算"},
		{Column: spreadsheet.Column{Header: ColStatus, Width: 14, Kind: text}, Note: "选填，默认“正常”。整改中：填写整改级别、事由和期限；暂停标识使用：填写暂停起止日。已移出的品牌不导入", Choices: statusLabels},
		{Column: spreadsheet.Column{Header: ColLevel, Width: 10, Kind: text}, Note: "整改中必填：一级（一个月整改）或二级（约谈后三个月整改）", Choices: levelLabels},
		{Column: spreadsheet.Column{Header: ColReason, Width: 28, Kind: text}, Note: "整改中必填：整改的事由（第十五条（一）（二））", Choices: reasons},
		{Column: spreadsheet.Column{Header: ColOrdered, Width: 14, Kind: date}, Note: "整改中选填：整改通知下达（二级：约谈）日期，默认导入当天"},
		{Column: spreadsheet.Column{Header: ColDue, Width: 13, Kind: date}, Note: "一级整改必填：整改期限的最后一天，不早于导入当天。二级整改：约谈后三个月期限的最后一天；尚未约谈的留空，导入后由县级人社部门约谈"},
		{Column: spreadsheet.Column{Header: ColSuspendedFrom, Width: 13, Kind: date}, Note: "暂停标识使用必填：暂停起始日"},
		{Column: spreadsheet.Column{Header: ColSuspendedUntil, Width: 13, Kind: date}, Note: "暂停标识使用必填：暂停的最后一天，不早于导入当天"},
		{Column: spreadsheet.Column{Header: ColSuspensionCount, Width: 13, Kind: number}, Note: "暂停标识使用选填：含本次在内累计暂停次数，1或2（第三次暂停即提请移出），默认1"},
		{Column: spreadsheet.Column{Header: ColLastEvaluation, Width: 16, Kind: date}, Note: "选填：最近一次两年综合评估的日期。下次评估为入库日期之后、此日与导入当天之后的第一个入库周年日"},
	}
}

// header normalises a header cell: spaces, an asterisk marking a required
// column, and full-width brackets typed as half-width do not matter.
func headerKey(s string) string {
	s = strings.NewReplacer(" ", "", "\u3000", "", "*", "", "＊", "", "(", "（", ")", "）").Replace(s)
	return strings.TrimSpace(s)
}
