package brandimport

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Row is one brand of the sheet, read and checked.
type Row struct {
	Line       int // its row number in the sheet
	Name       string
	UnitName   string
	USCC       string
	BrandType  string
	Category   string
	CountyCode string
	AdmittedOn calendar.Date
	// Rectification, Suspension and SuspensionCount say where it stands;
	// neither: in good standing.
	Rectification   *workflows.ImportedRectification
	Suspension      *workflows.Suspension
	SuspensionCount int
	LastEvaluation  calendar.Date
}

// ID is the brand's id: the same holder and name give the same id in every
// upload, so a sheet imported twice starts each brand's process once.
func (r Row) ID() string { return BrandID(r.USCC, r.Name) }

// BrandID derives an imported brand's id from its holder's USCC and its
// name's key (RULES §3).
func BrandID(uscc, name string) string {
	sum := sha256.Sum256([]byte("import\x00" + uscc + "\x00" + namekey.Key(name)))
	return "BI" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:12]
}

// Problem is one failing cell: the row as Excel numbers it, the column's
// header, the cell's reference and what is wrong, in Chinese.
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Cell    string `json:"cell,omitempty"`
	Message string `json:"message"`
}

// Options are the facts Parse needs from outside the sheet.
type Options struct {
	Today calendar.Date
	// KnownCounty reports whether a county code receives applications; nil:
	// the 14 divisions.
	KnownCounty func(code string) bool
	// Zones are the functional zones the administrators added (RULES §1):
	// a row may name one, as the template's list and the brands' export do.
	Zones []Zone
}

// Parse reads every row of sheet and checks it as a submission's 推荐表 is
// checked (form.Validate on the columns the sheet has), plus the sheet's own
// rules: dates, a standing that holds together, and no brand name (by its
// key) or USCC twice in the sheet. It returns the rows without problems and
// every problem, by row and column.
func Parse(sheet spreadsheet.Sheet, o Options) ([]Row, []Problem) {
	cols, problems := columns(sheet.Header)
	if len(problems) > 0 {
		return nil, problems
	}
	var rows []Row
	firstUSCC, firstName := map[string]int{}, map[string]int{}
	for _, sr := range sheet.Rows {
		p := rowParser{cols: cols, cells: sr.Cells, line: sr.Number, o: o, readDate: sheet.Date}
		r := p.row()
		p.refuseExample(r)
		if r.USCC != "" {
			if prev, dup := firstUSCC[r.USCC]; dup {
				p.fail(ColUSCC, fmt.Sprintf("与第%d行的统一社会信用代码相同：一个单位在项目库中只有一个品牌", prev))
			} else {
				firstUSCC[r.USCC] = r.Line
			}
		}
		if key := namekey.Key(r.Name); key != "" {
			if prev, dup := firstName[key]; dup {
				p.fail(ColName, fmt.Sprintf("与第%d行的品牌名称相同（按规范形式比较）", prev))
			} else {
				firstName[key] = r.Line
			}
		}
		if len(p.problems) == 0 {
			rows = append(rows, r)
		}
		problems = append(problems, p.problems...)
	}
	return rows, problems
}

// columns finds each column by its header (the template's or the export's,
// headerAliases). Problems of row 1: a required column missing, a column
// twice, and an unknown header that may say where a brand stands — left
// unread, it would make a suspended brand one in good standing. Other
// unknown columns, a bureau's own notes, are not read.
func columns(h []string) (map[string]int, []Problem) {
	cols := map[string]int{}
	var problems []Problem
	for i, v := range h {
		col := columnOf(v)
		prev, twice := cols[col]
		switch {
		case col == "" && mayCarryStanding(v):
			problems = append(problems, headerProblem(i, v, fmt.Sprintf("无法识别的列“%s”：它可能记载品牌的状态，不能略过。请把表头改为导入模板中的一项（%s），或删除这一列",
				v, strings.Join(standingHeaders(), "、"))))
		case col == "":
		case twice:
			problems = append(problems, headerProblem(i, v, fmt.Sprintf("与%s列重复：每一项只能有一列", columnName(prev))))
		default:
			cols[col] = i
		}
	}
	for i, f := range Fields() {
		if _, ok := cols[f.Header]; !ok && i < 7 { // name … admitted on: the columns every row needs
			problems = append(problems, Problem{Row: 1, Column: f.Header, Message: "缺少这一列：请使用导入模板（GET /api/v1/brands/import-template.xlsx）"})
		}
	}
	return cols, problems
}

// standingHeaders are the template's headers after the seven every row
// needs: where a brand stands.
func standingHeaders() []string {
	var headers []string
	for _, f := range Fields()[7:] {
		headers = append(headers, f.Header)
	}
	return headers
}

func headerProblem(i int, header, msg string) Problem {
	return Problem{Row: 1, Column: header, Cell: columnName(i) + "1", Message: msg}
}

// columnName is the letters of the column at index i (0: A).
func columnName(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// rowParser reads one row, collecting its problems.
type rowParser struct {
	cols     map[string]int
	cells    []string
	line     int
	o        Options
	problems []Problem
	readDate func(string) (time.Time, bool) // by the workbook's date system
}

func (p *rowParser) get(col string) string {
	if i, ok := p.cols[col]; ok && i < len(p.cells) {
		return p.cells[i]
	}
	return ""
}

func (p *rowParser) fail(col, msg string) {
	cell := ""
	if i, ok := p.cols[col]; ok {
		cell, _ = excelize.CoordinatesToCellName(i+1, p.line)
	}
	p.problems = append(p.problems, Problem{Row: p.line, Column: col, Cell: cell, Message: msg})
}

// formColumns map the 推荐表's field names to the sheet's columns.
var formColumns = map[string]string{"brand_name": ColName, "unit_name": ColUnit, "uscc": ColUSCC,
	"brand_type": ColType, "category": ColCategory, "county_code": ColCounty}

func (p *rowParser) row() Row {
	r := Row{Line: p.line, Name: p.get(ColName), UnitName: p.get(ColUnit), USCC: p.get(ColUSCC),
		BrandType: brandTypeWords.code(p.get(ColType)), Category: categoryWords.code(p.get(ColCategory)),
		CountyCode: countyCode(p.get(ColCounty), p.o.Zones)}
	// The same rules as a submission (RULES §2), on the columns the sheet has.
	a := form.Application{BrandName: r.Name, UnitName: r.UnitName, USCC: r.USCC, BrandType: r.BrandType,
		Category: r.Category, CountyCode: r.CountyCode}
	form.Normalize(&a)
	r.Name, r.UnitName, r.USCC = a.BrandName, a.UnitName, a.USCC
	for _, e := range form.Validate(a, form.Options{Today: p.o.Today.String(), KnownCounty: p.o.KnownCounty}) {
		if col, ok := formColumns[e.Field]; ok {
			p.fail(col, e.Message+choicesHint(e.Field, a))
		}
	}
	r.AdmittedOn = p.date(ColAdmitted, true)
	if !r.AdmittedOn.IsZero() && r.AdmittedOn.After(p.o.Today) {
		p.fail(ColAdmitted, fmt.Sprintf("入库日期%s不能晚于导入当天（%s）", r.AdmittedOn, p.o.Today))
	}
	r.LastEvaluation = p.date(ColLastEvaluation, false)
	if !r.LastEvaluation.IsZero() && (r.LastEvaluation.After(p.o.Today) || r.LastEvaluation.Before(r.AdmittedOn)) {
		p.fail(ColLastEvaluation, "最近一次评估日期须在入库日期与导入当天之间")
	}
	p.standing(&r)
	return r
}

// choicesHint lists what a refused type or category could have been: the
// form's message names only the value typed.
func choicesHint(field string, a form.Application) string {
	switch {
	case field == "brand_type" && a.BrandType != "":
		return "，可选：" + strings.Join(brandTypeLabels(), "、")
	case field == "category" && a.Category != "":
		return "，可选：" + strings.Join(categoryLabels(), "、")
	}
	return ""
}

const exampleRowMessage = "示例行，请删除后再导入"

// refuseExample fails the template's example row, found by its name (by
// key) or its USCC: a row with one of them overwritten is still the
// example, and a bureau that forgot to delete it would list it publicly as
// a brand.
func (p *rowParser) refuseExample(r Row) {
	switch {
	case r.Name != "" && namekey.Key(r.Name) == namekey.Key(exampleName):
		p.fail(ColName, exampleRowMessage)
	case r.USCC == exampleUSCC:
		p.fail(ColUSCC, exampleRowMessage)
	}
}

// standing reads the status and what it needs (RULES §4).
func (p *rowParser) standing(r *Row) {
	status := statusWords.code(p.get(ColStatus))
	switch status {
	case "", workflows.BrandStatusActive:
		for _, col := range []string{ColLevel, ColReason, ColOrdered, ColDue, ColSuspendedFrom, ColSuspendedUntil} {
			if p.get(col) != "" {
				p.fail(col, "当前状态为“正常”时不填此列")
			}
		}
	case workflows.BrandStatusRectifying:
		p.rectification(r)
	case workflows.BrandStatusSuspended:
		p.suspension(r)
	case workflows.BrandStatusRemoved:
		p.fail(ColStatus, "已移出的品牌不在项目库中，不导入")
	default:
		p.fail(ColStatus, fmt.Sprintf("“%s”不是可选项：%s", status, strings.Join(statusLabels, "、")))
	}
	p.suspensionCount(r)
}

// suspensionCount reads 累计暂停次数 on any row: a brand restored before
// the import has had its suspensions too, and they count toward the third
// (第十五条（四）4). Suspended now, the count includes this one.
// A suspension running past its first year has been renewed, and a
// renewal counts as one more suspension (RULES §4): it counts two.
func (p *rowParser) suspensionCount(r *Row) {
	least, empty := 0, 0
	renewed := false
	if s := r.Suspension; s != nil {
		least, empty = 1, 1
		if renewed = !s.StartedOn.IsZero() && !s.Until.IsZero() && s.Until.After(calendar.AddYears(s.StartedOn, 1)); renewed {
			least, empty = 2, 2
		}
	}
	r.SuspensionCount = empty
	v := p.get(ColSuspensionCount)
	if v == "" {
		return
	}
	n, err := strconv.Atoi(v)
	switch {
	case renewed && (err != nil || n != 2):
		p.fail(ColSuspensionCount, fmt.Sprintf("暂停起始于%s、截止于%s，已延长一次：延长计为一次暂停，累计暂停次数须为2（第十五条（四））",
			r.Suspension.StartedOn, r.Suspension.Until))
	case err != nil || n < least || n > 2:
		p.fail(ColSuspensionCount, fmt.Sprintf("累计暂停次数须为%d至2（%s第三次暂停即提请移出，第十五条（四））", least,
			map[bool]string{true: "含本次暂停；", false: "以往已恢复的暂停；"}[r.Suspension != nil]))
	default:
		r.SuspensionCount = n
	}
}

func (p *rowParser) rectification(r *Row) {
	// A suspension ends the order it punishes (RULES §4): a row with both
	// says two things, and neither is read without a word.
	for _, col := range []string{ColSuspendedFrom, ColSuspendedUntil} {
		if p.get(col) != "" {
			p.fail(col, "当前状态为“整改中”时不填此列（暂停标识使用的品牌请填“暂停标识使用”）")
		}
	}
	rect := &workflows.ImportedRectification{}
	switch levelWords.code(p.get(ColLevel)) {
	case "1":
		rect.Level = 1
	case "2":
		rect.Level = 2
	case "":
		p.fail(ColLevel, "整改中须填写整改级别：一级或二级")
	default:
		p.fail(ColLevel, "整改级别须为一级或二级（三级即暂停，请填当前状态“暂停标识使用”）")
	}
	reason := p.get(ColReason)
	for _, code := range workflows.RectificationReasons() {
		if fold(reason) == fold(code) || fold(reason) == fold(workflows.FindingReasonLabel(code)) {
			rect.Reason = code
		}
	}
	switch {
	case reason == "":
		p.fail(ColReason, "整改中须填写整改事由")
	case rect.Reason == "":
		p.fail(ColReason, fmt.Sprintf("“%s”不是可选的整改事由", reason))
	case rect.Level != 0 && workflows.FindingLevel(rect.Reason) > rect.Level && rect.Reason != "evaluation_findings":
		p.fail(ColReason, fmt.Sprintf("“%s”是二级整改的事由，整改级别应为二级", reason))
	}
	rect.OrderedOn = p.date(ColOrdered, false)
	if rect.OrderedOn.IsZero() {
		rect.OrderedOn = p.o.Today
	} else if rect.OrderedOn.After(p.o.Today) || rect.OrderedOn.Before(r.AdmittedOn) {
		p.fail(ColOrdered, "整改下达日期须在入库日期与导入当天之间")
	}
	rect.Due = p.date(ColDue, rect.Level == 1)
	switch {
	case rect.Due.IsZero():
	case rect.Due.Before(p.o.Today):
		p.fail(ColDue, fmt.Sprintf("整改期限%s已过：逾期未整改的品牌请按升级后的状态填写", rect.Due))
	case rect.Level == 1 && rect.Due.After(calendar.AddMonths(rect.OrderedOn, 1).AddDays(holidayMove)):
		// 第十五条（一）: a month from the order, its last day moved past a
		// holiday at most (RULES §5, 民法典第二百零三条).
		p.fail(ColDue, fmt.Sprintf("一级整改限期一个月（第十五条（一））：下达于%s的整改，期限不晚于%s（遇节假日顺延）",
			rect.OrderedOn, calendar.AddMonths(rect.OrderedOn, 1)))
	case rect.Level == 2 && rect.Due.After(calendar.AddMonths(p.o.Today, 3).AddDays(holidayMove)):
		// 第十五条（二）: three months from the interview, which was held by
		// the import's day at the latest.
		p.fail(ColDue, fmt.Sprintf("二级整改限期三个月（第十五条（二））：期限为约谈后三个月的最后一天，约谈不晚于导入当天，期限不晚于%s（遇节假日顺延）",
			calendar.AddMonths(p.o.Today, 3)))
	}
	r.Rectification = rect
}

func (p *rowParser) suspension(r *Row) {
	from, until := p.date(ColSuspendedFrom, true), p.date(ColSuspendedUntil, true)
	if !from.IsZero() && from.After(p.o.Today) {
		p.fail(ColSuspendedFrom, "暂停起始日不能晚于导入当天")
	}
	if !from.IsZero() && from.Before(r.AdmittedOn) {
		p.fail(ColSuspendedFrom, "暂停起始日须在入库日期与导入当天之间")
	}
	switch {
	case until.IsZero():
	case until.Before(p.o.Today):
		p.fail(ColSuspendedUntil, fmt.Sprintf("暂停截止日%s已过：已恢复标识使用权的品牌请填“正常”", until))
	case until == p.o.Today:
		// Its renewal would be due the day before its last day (RULES §4):
		// overdue the moment it came in.
		p.fail(ColSuspendedUntil, fmt.Sprintf("暂停于导入当天（%s）届满，已来不及决定是否延长：请于次日按“正常”导入，并在累计暂停次数中计入本次（第十五条（四））", until))
	case !from.IsZero() && !from.Before(until):
		p.fail(ColSuspendedUntil, "暂停截止日须晚于起始日")
	case !from.IsZero() && until.After(calendar.AddYears(from, 2)):
		// 第十五条（三）: a year, and one more when the city renews it.
		p.fail(ColSuspendedUntil, fmt.Sprintf("暂停期限为一年，延长一次再一年（第十五条（三））：起始于%s的暂停，截止日不晚于%s",
			from, calendar.AddYears(from, 2)))
	}
	r.Suspension = &workflows.Suspension{StartedOn: from, Until: until}
	for _, col := range []string{ColLevel, ColReason, ColOrdered, ColDue} {
		if p.get(col) != "" {
			p.fail(col, "暂停期间没有进行中的整改（暂停结束整改），不填此列")
		}
	}
}

// holidayMove bounds how far 民法典第二百零三条 moves a period's last day past
// a holiday: the longest, National Day's eight days, and a weekend after.
const holidayMove = 10

// countyCode reads the county column: a county's name or code, or a
// functional zone's name or code — typed in any width (API.md: full-width
// digits are the same code).
func countyCode(typed string, zones []Zone) string {
	if c := countyWords.code(typed); c != typed {
		return c
	}
	for _, z := range zones {
		if fold(z.Name) == fold(typed) {
			return z.Code
		}
	}
	if f := fold(typed); len(f) == 6 && strings.Trim(f, "0123456789") == "" {
		return f
	}
	return typed
}

// date reads a date column.
func (p *rowParser) date(col string, required bool) calendar.Date {
	v := p.get(col)
	if v == "" {
		if required {
			p.fail(col, "请填写"+col)
		}
		return calendar.Date{}
	}
	t, ok := p.readDate(v)
	if !ok {
		p.fail(col, fmt.Sprintf("“%s”不是有效日期，请填写如 2021-03-15", v))
		return calendar.Date{}
	}
	d := calendar.DateOf(t)
	if d.String() < form.EarliestRegistration {
		p.fail(col, fmt.Sprintf("日期%s早于%s", d, form.EarliestRegistration))
		return calendar.Date{}
	}
	return d
}

// Locate fills the Cell of each problem that names a column of header but
// no cell (the library's checks name the column only).
func Locate(header []string, problems []Problem) {
	at := map[string]int{}
	for i, h := range header {
		if _, twice := at[locateKey(h)]; !twice { // the first, as columns reads it
			at[locateKey(h)] = i
		}
	}
	for i, p := range problems {
		if j, ok := at[locateKey(p.Column)]; ok && p.Cell == "" && p.Row > 0 {
			problems[i].Cell, _ = excelize.CoordinatesToCellName(j+1, p.Row)
		}
	}
}

// locateKey names a header for Locate: the column it is read as (状态 is
// 当前状态), or for a column not read, its own key.
func locateKey(header string) string {
	if col := columnOf(header); col != "" {
		return col
	}
	return headerKey(header)
}
