// Package brandimport brings a library kept before the system over (issue
// 14): the bureau's sheet of brands admitted earlier — its columns, the
// template to fill in, each row read and checked by the 推荐表's own rules —
// and the brand process each row starts, at the point of its life the sheet
// gives. The API's import and `dev --demo` start imported brands through
// Start alike.
package brandimport

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

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
func Fields(zones ...Zone) []spreadsheet.Field {
	types, categories := brandTypeLabels(), categoryLabels()
	var counties, reasons []string
	for _, c := range form.Counties() {
		counties = append(counties, c.Name)
	}
	for _, z := range zones {
		counties = append(counties, z.Name)
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
		{Column: spreadsheet.Column{Header: ColCounty, Width: 20, Kind: text}, Note: "必填。推荐的县（市、区）或功能区，从下拉列表选择", Choices: counties},
		{Column: spreadsheet.Column{Header: ColAdmitted, Width: 13, Kind: date}, Note: "必填。入库日期，不晚于导入当天；两年一次的综合评估从此日起算"},
		{Column: spreadsheet.Column{Header: ColStatus, Width: 14, Kind: text}, Note: "选填，默认“正常”。整改中：填写整改级别、事由和期限；暂停标识使用：填写暂停起止日。已移出的品牌不导入", Choices: statusLabels},
		{Column: spreadsheet.Column{Header: ColLevel, Width: 10, Kind: text}, Note: "整改中必填：一级（一个月整改）或二级（约谈后三个月整改）", Choices: levelLabels},
		{Column: spreadsheet.Column{Header: ColReason, Width: 28, Kind: text}, Note: "整改中必填：整改的事由（第十五条（一）（二））", Choices: reasons},
		{Column: spreadsheet.Column{Header: ColOrdered, Width: 14, Kind: date}, Note: "整改中选填：整改通知下达（二级：约谈）日期，默认导入当天"},
		{Column: spreadsheet.Column{Header: ColDue, Width: 13, Kind: date}, Note: "一级整改必填：整改期限的最后一天，不早于导入当天。二级整改：约谈后三个月期限的最后一天；尚未约谈的留空，导入后由县级人社部门约谈"},
		{Column: spreadsheet.Column{Header: ColSuspendedFrom, Width: 13, Kind: date}, Note: "暂停标识使用必填：暂停起始日"},
		{Column: spreadsheet.Column{Header: ColSuspendedUntil, Width: 13, Kind: date}, Note: "暂停标识使用必填：暂停的最后一天，不早于导入当天"},
		{Column: spreadsheet.Column{Header: ColSuspensionCount, Width: 13, Kind: number}, Note: "选填：累计暂停次数。暂停标识使用的填含本次在内的次数，1或2，默认1；正常或整改中的填以往已恢复的暂停次数，0至2，默认0（第三次暂停即提请移出）"},
		{Column: spreadsheet.Column{Header: ColLastEvaluation, Width: 16, Kind: date}, Note: "选填：最近一次两年综合评估的日期。下次评估为入库日期之后、此日与导入当天之后的第一个入库周年日"},
	}
}

func brandTypeLabels() []string {
	return []string{form.Regional.Label(), form.Enterprise.Label()}
}

func categoryLabels() []string {
	var labels []string
	for _, c := range form.Categories {
		labels = append(labels, c.Label())
	}
	return labels
}

// headerAliases are the headers the API's brand export (GET
// /api/v1/brands.xlsx) gives the import's columns (its 整改级别 and 整改期限
// are the import's own), so that an exported sheet read back keeps each
// brand's standing: unread, its 状态 made every brand one in good standing.
var headerAliases = map[string]string{
	"状态":  ColStatus,
	"暂停至": ColSuspendedUntil,
}

// columnByHeader finds a column by its header's key: the template's headers
// and their aliases.
var columnByHeader = func() map[string]string {
	m := map[string]string{}
	for _, f := range Fields() {
		m[headerKey(f.Header)] = f.Header
	}
	for alias, col := range headerAliases {
		m[headerKey(alias)] = col
	}
	return m
}()

// columnOf is the column a header cell names, "" for none.
func columnOf(header string) string { return columnByHeader[headerKey(header)] }

// Reads reports whether the import reads the column a header cell names:
// a bureau's own columns (备注) are carried in its sheet and never read.
func Reads(header string) bool { return columnOf(header) != "" }

// standingWords mark a header that may say where a brand stands. Such a
// header the import does not know is refused, not left unread: an unread
// status makes a suspended brand one in good standing. (Words as wide as 级别
// or 期限 would refuse a bureau's own columns, such as 品牌级别.)
var standingWords = []string{"状态", "整改", "暂停", "移出"}

// mayCarryStanding reports whether an unknown header may say where a brand
// stands.
func mayCarryStanding(header string) bool {
	key := headerKey(header)
	for _, w := range standingWords {
		if strings.Contains(key, w) {
			return true
		}
	}
	return false
}

// headerKey normalises a header cell: width, spaces and an asterisk marking
// a required column do not matter.
func headerKey(s string) string {
	return strings.ReplaceAll(fold(s), "*", "")
}

// fold is the form in which typed words are compared. NFKC makes full-width
// digits, letters and brackets ASCII (５３０１０２, （）), every space goes,
// inside too (五华 区), with the invisible characters pasted text carries,
// and Latin letters are lower-cased (codes typed as Regional).
func fold(s string) string {
	return strings.ToLower(strings.Map(dropInvisible, norm.NFKC.String(s)))
}

func dropInvisible(r rune) rune {
	if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

// vocabulary maps each word a cell of a closed list may hold, folded, to
// its code.
type vocabulary map[string]string

// newVocabulary takes each code with its words (the code is one of them).
// A word of two codes would be read by map order: a mistake in the lists
// below, caught as the package loads.
func newVocabulary(words map[string][]string) vocabulary {
	v := vocabulary{}
	for code, ws := range words {
		for _, w := range append([]string{code}, ws...) {
			key := fold(w)
			if other, ok := v[key]; ok && other != code {
				panic(fmt.Sprintf("brandimport: “%s” names both %s and %s", w, other, code))
			}
			v[key] = code
		}
	}
	return v
}

// code is the code of the word typed. A word of no code comes back as
// typed, so that the check refusing it names what the clerk wrote.
func (v vocabulary) code(typed string) string {
	if c, ok := v[fold(typed)]; ok {
		return c
	}
	return typed
}

// brandTypeWords: the form's labels and the short forms the public list
// prints (internal/paper/public.go).
var brandTypeWords = newVocabulary(map[string][]string{
	string(form.Regional):   {form.Regional.Label(), "区域公用", "区域公用品牌"},
	string(form.Enterprise): {form.Enterprise.Label(), "企业", "企业品牌"},
})

// categoryWords: the form's labels, and each half of the seventh's, as
// 第六条 (新兴产业类) and 附件1 (新业态类) print it (RULES §2).
var categoryWords = func() vocabulary {
	words := map[string][]string{}
	for _, c := range form.Categories {
		words[string(c)] = []string{c.Label()}
	}
	emerging, other := string(form.CategoryEmerging), string(form.CategoryOther)
	words[emerging] = append(words[emerging], "新兴产业类", "新业态类")
	words[other] = append(words[other], "其它")
	return newVocabulary(words)
}()

// countyWords: each division's code, name and short name (安宁).
var countyWords = func() vocabulary {
	words := map[string][]string{}
	for _, c := range form.Counties() {
		words[c.Code] = []string{c.Name, c.ShortName()}
	}
	return newVocabulary(words)
}()

// statusWords: the labels the template offers and the export writes (the
// same, workflows.BrandStatusLabel), removed included so that it is refused
// by name.
var statusWords = func() vocabulary {
	words := map[string][]string{}
	for _, s := range []string{workflows.BrandStatusActive, workflows.BrandStatusRectifying,
		workflows.BrandStatusSuspended, workflows.BrandStatusRemoved} {
		words[s] = []string{workflows.BrandStatusLabel(s)}
	}
	return newVocabulary(words)
}()

// levelWords: the template's 一级/二级 and the export's 1级/2级.
var levelWords = newVocabulary(map[string][]string{
	"1": {levelLabels[0], "1级"},
	"2": {levelLabels[1], "2级"},
})
