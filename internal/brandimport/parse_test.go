package brandimport_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var today = day("2026-11-30")

// sheetOf builds an upload the way a bureau's clerk fills the template: the
// template's header, then rows of text typed into its cells.
func sheetOf(t *testing.T, rows ...[]string) spreadsheet.Sheet {
	t.Helper()
	var tpl bytes.Buffer
	if err := brandimport.Template(&tpl, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.RemoveRow(brandimport.SheetName, 2); err != nil { // the example row
		t.Fatal(err)
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if err := f.SetCellStr(brandimport.SheetName, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	s, err := spreadsheet.Read(&out, brandimport.MaxRows)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func row(name, uscc, status string, rest ...string) []string {
	r := []string{name, "某某协会", uscc, "区域公用劳务品牌", "种植养殖类", "安宁市", "2023-05-10", status}
	return append(r, rest...)
}

// Issue 14: the dry run names every failing cell by row and column, with the
// submission's own rules (RULES §2) and the sheet's (RULES §4 standing).
func TestDecision_Import_EveryRowsErrorsByRowAndColumn(t *testing.T) {
	s := sheetOf(t,
		row("安宁玫瑰", "91530181MA6N8XKQX0", "正常"),
		row("安宁 玫瑰", "91530181MA6N8XKQX1", "正常"),       // same name key as row 2; bad check character
		row("嵩明蔬菜", "91530181MA6N8XKQX0", "整改中", "三级"), // same USCC as row 2; level 3; no reason
		[]string{"宜良花卉", "宜良协会", "91530125MA6N8XKQXW", "区域", "花卉类", "火星县", "2027-01-01"},
		row("石林刺绣", "91530126MA6N8XKQXB", "暂停标识使用", "", "", "", "", "2026-01-01", "2026-10-01"),
	)
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	if len(rows) != 1 || rows[0].Name != "安宁玫瑰" {
		t.Errorf("valid rows %+v, want only 安宁玫瑰", rows)
	}
	want := map[[2]any]bool{
		{3, brandimport.ColName}: true, {3, brandimport.ColUSCC}: true,
		{4, brandimport.ColUSCC}: true, {4, brandimport.ColLevel}: true, {4, brandimport.ColReason}: true,
		{5, brandimport.ColType}: true, {5, brandimport.ColCategory}: true, {5, brandimport.ColCounty}: true, {5, brandimport.ColAdmitted}: true,
		{6, brandimport.ColSuspendedUntil}: true,
	}
	got := map[[2]any]bool{}
	for _, p := range problems {
		got[[2]any{p.Row, p.Column}] = true
		if p.Message == "" || p.Cell == "" {
			t.Errorf("problem without message or cell: %+v", p)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("no problem at row %v, column %v; got %+v", k[0], k[1], problems)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("unexpected problem at row %v, column %v: %+v", k[0], k[1], problems)
		}
	}
}

// RULES §4: a standing brought over keeps its own dates; the next
// evaluation is an anniversary of the admission after the import day.
func TestDecision_Import_StandingAndNextEvaluation(t *testing.T) {
	s := sheetOf(t,
		row("安宁玫瑰", "91530181MA6N8XKQX0", "整改中", "一级", "不规范使用劳务品牌标识", "2026-11-20", "2026-12-21"),
		row("石林刺绣", "91530126MA6N8XKQXB", "暂停标识使用", "", "", "", "", "2026-06-01", "2027-05-31", "2"),
		row("呈贡菜农", "91530114MA6N8XKQXY", "整改中", "二级", "重大信息变更未申请变更登记"),
	)
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	rect := rows[0].Rectification
	if rect == nil || rect.Level != 1 || rect.Reason != "logo_misuse" || rect.OrderedOn != day("2026-11-20") || rect.Due != day("2026-12-21") {
		t.Errorf("level-1 order %+v", rect)
	}
	if sp := rows[1].Suspension; sp == nil || sp.Until != day("2027-05-31") || rows[1].SuspensionCount != 2 {
		t.Errorf("suspension %+v ×%d", sp, rows[1].SuspensionCount)
	}
	if r := rows[2].Rectification; r == nil || r.Level != 2 || !r.Due.IsZero() || r.OrderedOn != today {
		t.Errorf("level-2 order awaiting its interview %+v", r)
	}
	in := rows[0].Input(clock.Clock{Scale: 1}, workflows.DefaultBrandPolicy, today)
	if !in.Imported || in.BrandID != brandimport.BrandID("91530181MA6N8XKQX0", "安宁 玫瑰") || in.Standing.NextEvaluation != day("2027-05-10") {
		t.Errorf("input %+v standing %+v", in, in.Standing)
	}
	for _, c := range []struct{ admitted, last, want string }{
		{"2023-05-10", "", "2027-05-10"},
		{"2025-12-01", "", "2027-12-01"},
		{"2024-11-30", "", "2026-11-30"}, // the anniversary is the import day: the window opens now
		{"2024-11-30", "2026-11-30", "2028-11-30"},
	} {
		var last calendar.Date
		if c.last != "" {
			last = day(c.last)
		}
		if got := brandimport.NextEvaluation(day(c.admitted), last, today, 2); got != day(c.want) {
			t.Errorf("admitted %s, last %q: next evaluation %s, want %s", c.admitted, c.last, got, c.want)
		}
	}
}

// problemsAt is where problems are, by row and column.
func problemsAt(problems []brandimport.Problem) map[[2]any]bool {
	at := map[[2]any]bool{}
	for _, p := range problems {
		at[[2]any{p.Row, p.Column}] = true
	}
	return at
}

func sameKeys(a, b map[[2]any]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// Issue 14: the template's example row, left in by a bureau that forgot to
// delete it, is refused as such, not imported as a real, publicly listed
// brand; with its name or its USCC overwritten it is still the example.
func TestDecision_Import_TemplateExampleRowIsRefused(t *testing.T) {
	var tpl bytes.Buffer
	if err := brandimport.Template(&tpl, nil); err != nil {
		t.Fatal(err)
	}
	s, err := spreadsheet.Read(&tpl, brandimport.MaxRows)
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	if len(rows) != 0 || len(problems) != 1 || problems[0].Row != 2 || problems[0].Message != "示例行，请删除后再导入" {
		t.Errorf("the template as downloaded: rows %+v, problems %+v", rows, problems)
	}
	s = sheetOf(t,
		row("安宁玫瑰（示例，请删除）", "91530181MA6N8XKQX0", "正常"), // the example's name, a real USCC
		row("安宁玫瑰", "91350100m000100y43", "正常"),         // a real name, the example's USCC (as typed)
		row("嵩明蔬菜", "91530126MA6N8XKQXB", "正常"),
	)
	rows, problems = brandimport.Parse(s, brandimport.Options{Today: today})
	if len(rows) != 1 || rows[0].Name != "嵩明蔬菜" {
		t.Errorf("valid rows %+v, want only 嵩明蔬菜", rows)
	}
	want := map[[2]any]bool{{2, brandimport.ColName}: true, {3, brandimport.ColUSCC}: true}
	if !sameKeys(problemsAt(problems), want) {
		t.Errorf("problems %+v, want the example refused at row 2 (name) and row 3 (USCC)", problems)
	}
	for _, p := range problems {
		if p.Message != "示例行，请删除后再导入" {
			t.Errorf("row %d: %q", p.Row, p.Message)
		}
	}
}

// exportColumns are the columns of the API's brand export (GET
// /api/v1/brands.xlsx, api/exports.go), in its order.
var exportColumns = []spreadsheet.Column{
	{Header: "品牌编号"}, {Header: "品牌名称"}, {Header: "持有单位"}, {Header: "统一社会信用代码"}, {Header: "品牌类型"},
	{Header: "所属类别"}, {Header: "所在县（市、区）"}, {Header: "入库日期", Kind: spreadsheet.Date}, {Header: "状态"},
	{Header: "整改级别"}, {Header: "整改期限", Kind: spreadsheet.Date}, {Header: "暂停至", Kind: spreadsheet.Date},
	{Header: "待决事项"}, {Header: "下次综合评估", Kind: spreadsheet.Date},
}

// writtenSheet writes rows under cols as the API's exports do and reads
// the workbook back as the import does.
func writtenSheet(t *testing.T, cols []spreadsheet.Column, rows ...[]any) spreadsheet.Sheet {
	t.Helper()
	w, err := spreadsheet.New(brandimport.SheetName, cols)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, r := range rows {
		if err := w.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := spreadsheet.Read(&buf, brandimport.MaxRows)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// exported is a row of the brand export: id, name, holder, USCC, type,
// category, county, admitted on, status, level, due, suspended until,
// pending decision, next evaluation.
func exported(name, code, status, level, due, until string) []any {
	return []any{"BI" + code[:12], name, "某某协会", code, "区域公用劳务品牌", "种植养殖类", "安宁市", "2023-05-10",
		status, level, due, until, "", "2027-05-10"}
}

// Issue 14 (export, then import): the export's headers (状态, 暂停至) and
// values (1级) read as the import's own, so a suspended brand is not read
// back as one in good standing; what the export lacks (暂停起始日, 整改事由)
// is asked for, and a removed brand is refused as removed.
func TestDecision_Import_ExportedSheetKeepsItsStanding(t *testing.T) {
	brands := [][]any{
		exported("安宁玫瑰", "91530181MA6N8XKQX0", "正常", "", "", ""),
		exported("石林刺绣", "91530126MA6N8XKQXB", "暂停标识使用", "", "", "2027-05-31"),
		exported("呈贡菜农", "91530114MA6N8XKQXY", "整改中", "1级", "2026-12-21", ""),
		exported("宜良花卉", "91530125MA6N8XKQXW", "已移出", "", "", ""),
	}
	rows, problems := brandimport.Parse(writtenSheet(t, exportColumns, brands...), brandimport.Options{Today: today})
	want := map[[2]any]bool{{3, brandimport.ColSuspendedFrom}: true, {4, brandimport.ColReason}: true, {5, brandimport.ColStatus}: true}
	if len(rows) != 1 || rows[0].Name != "安宁玫瑰" || !sameKeys(problemsAt(problems), want) {
		t.Errorf("the export as it is: rows %+v, problems %+v", rows, problems)
	}

	// The officer adds what the export lacks.
	completed := append(append([]spreadsheet.Column{}, exportColumns...), spreadsheet.Column{Header: brandimport.ColSuspendedFrom, Kind: spreadsheet.Date},
		spreadsheet.Column{Header: brandimport.ColReason})
	for i, extra := range [][]any{{"", ""}, {"2026-06-01", ""}, {"", "不规范使用劳务品牌标识"}, {"", ""}} {
		brands[i] = append(brands[i], extra...)
	}
	rows, problems = brandimport.Parse(writtenSheet(t, completed, brands...), brandimport.Options{Today: today})
	if want := map[[2]any]bool{{5, brandimport.ColStatus}: true}; len(rows) != 3 || !sameKeys(problemsAt(problems), want) {
		t.Fatalf("the export completed: rows %+v, problems %+v", rows, problems)
	}
	if sp := rows[1].Suspension; sp == nil || sp.StartedOn != day("2026-06-01") || sp.Until != day("2027-05-31") {
		t.Errorf("suspended brand read as %+v", rows[1])
	}
	if rc := rows[2].Rectification; rc == nil || rc.Level != 1 || rc.Due != day("2026-12-21") {
		t.Errorf("1级 rectifying brand read as %+v", rows[2])
	}
	if rows[0].Suspension != nil || rows[0].Rectification != nil {
		t.Errorf("brand in good standing read as %+v", rows[0])
	}
}

// Issue 14: a header the import does not know that may say where a brand
// stands is refused, not left unread (an unread status is 正常); so is a
// column given twice. Other unknown columns (a bureau's notes) are not read.
func TestDecision_Import_UnknownStandingHeaderIsRefused(t *testing.T) {
	base := []spreadsheet.Column{{Header: brandimport.ColName}, {Header: brandimport.ColUnit}, {Header: brandimport.ColUSCC},
		{Header: brandimport.ColType}, {Header: brandimport.ColCategory}, {Header: brandimport.ColCounty},
		{Header: brandimport.ColAdmitted, Kind: spreadsheet.Date}}
	brand := []any{"石林刺绣", "某某协会", "91530126MA6N8XKQXB", "区域公用劳务品牌", "种植养殖类", "安宁市", "2023-05-10"}
	for _, c := range []struct {
		extra  []string
		values []any
		refuse string // the header refused, "" for none
	}{
		{[]string{"品牌状态"}, []any{"暂停标识使用"}, "品牌状态"},
		{[]string{"暂停截至"}, []any{"2027-05-31"}, "暂停截至"},
		{[]string{"当前状态", "状态"}, []any{"正常", "暂停标识使用"}, "状态"},
		{[]string{"备注"}, []any{"老品牌"}, ""},
	} {
		cols := append([]spreadsheet.Column{}, base...)
		for _, h := range c.extra {
			cols = append(cols, spreadsheet.Column{Header: h})
		}
		rows, problems := brandimport.Parse(writtenSheet(t, cols, append(append([]any{}, brand...), c.values...)), brandimport.Options{Today: today})
		switch {
		case c.refuse == "" && (len(rows) != 1 || len(problems) != 0):
			t.Errorf("headers %v: rows %+v, problems %+v", c.extra, rows, problems)
		case c.refuse != "" && (len(rows) != 0 || len(problems) != 1 || problems[0].Row != 1 || problems[0].Column != c.refuse || problems[0].Cell == ""):
			t.Errorf("headers %v: rows %+v, problems %+v, want %s refused", c.extra, rows, problems, c.refuse)
		}
	}
}

// validUSCC is a USCC with a right check character (GB 32100), one per n.
func validUSCC(t *testing.T, n int) string {
	t.Helper()
	prefix := fmt.Sprintf("91530181MA6N%04dX", n)
	c, err := uscc.CheckCharacter(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + string(c)
}

// Issue 14: a label is read as the clerk means it — full-width digits and
// brackets, spaces anywhere, the scheme's other words for a category
// (新业态类, 新兴产业类), the public list's short brand types (区域公用,
// 企业), the export's 1级 — and a value of no list is still refused, a
// refused category with the options listed.
func TestDecision_Import_LabelsAreReadAsMeant(t *testing.T) {
	const typeCol, categoryCol, countyCol = 3, 4, 5
	accepted := []struct {
		column      int
		typed, want string
	}{
		{typeCol, "区域公用", "regional"}, {typeCol, "企业", "enterprise"}, {typeCol, "企业 劳务品牌", "enterprise"},
		{typeCol, "enterprise", "enterprise"},
		{categoryCol, "新业态类", "emerging"}, {categoryCol, "新兴产业类", "emerging"},
		{categoryCol, "新兴产业类(新业态类)", "emerging"}, {categoryCol, "新兴产业类 （新业态类）", "emerging"},
		{countyCol, "５３０１０２", "530102"}, {countyCol, "五华 区", "530102"}, {countyCol, "五华", "530102"},
	}
	var sheet [][]string
	for i, c := range accepted {
		r := []string{fmt.Sprintf("标签品牌%d", i+1), "某某协会", validUSCC(t, i+1), "区域公用劳务品牌", "种植养殖类", "安宁市", "2023-05-10", "正常"}
		r[c.column] = c.typed
		sheet = append(sheet, r)
	}
	n := len(sheet)
	sheet = append(sheet,
		row("标签品牌一级", validUSCC(t, n+1), "整改中", "１级", "不规范使用劳务品牌标识", "", "2026-12-21"),
		row("标签品牌二级", validUSCC(t, n+2), "整改中", "2级", "重大信息变更未申请变更登记"),
		row("标签品牌暂停", validUSCC(t, n+3), " 暂停 标识使用", "", "", "", "", "2026-06-01", "2027-05-31"),
	)
	rows, problems := brandimport.Parse(sheetOf(t, sheet...), brandimport.Options{Today: today})
	if len(problems) > 0 || len(rows) != len(sheet) {
		t.Fatalf("%d of %d rows, problems %+v", len(rows), len(sheet), problems)
	}
	for i, c := range accepted {
		r := rows[i]
		if got := map[int]string{typeCol: r.BrandType, categoryCol: r.Category, countyCol: r.CountyCode}[c.column]; got != c.want {
			t.Errorf("%q read as %q, want %q", c.typed, got, c.want)
		}
	}
	if rc := rows[n].Rectification; rc == nil || rc.Level != 1 {
		t.Errorf("１级 read as %+v", rc)
	}
	if rc := rows[n+1].Rectification; rc == nil || rc.Level != 2 {
		t.Errorf("2级 read as %+v", rc)
	}
	if rows[n+2].Suspension == nil {
		t.Errorf("“ 暂停 标识使用” read as %+v", rows[n+2])
	}

	refused := []struct {
		cells  []string
		column string
	}{
		{row("拒收品牌甲", validUSCC(t, 101), "正常"), brandimport.ColType},
		{row("拒收品牌乙", validUSCC(t, 102), "正常"), brandimport.ColCategory},
		{row("拒收品牌丙", validUSCC(t, 103), "正常"), brandimport.ColCounty},
		{row("拒收品牌丁", validUSCC(t, 104), "暂停中"), brandimport.ColStatus},
		{row("拒收品牌戊", validUSCC(t, 105), "整改中", "三级", "不规范使用劳务品牌标识", "", "2026-12-21"), brandimport.ColLevel},
	}
	refused[0].cells[typeCol] = "区域"
	refused[1].cells[categoryCol] = "新兴类"
	refused[2].cells[countyCol] = "火星县"
	sheet = nil
	want := map[[2]any]bool{}
	for i, c := range refused {
		sheet = append(sheet, c.cells)
		want[[2]any{i + 2, c.column}] = true
	}
	rows, problems = brandimport.Parse(sheetOf(t, sheet...), brandimport.Options{Today: today})
	if len(rows) != 0 || !sameKeys(problemsAt(problems), want) {
		t.Errorf("unknown values: rows %+v, problems %+v", rows, problems)
	}
	for _, p := range problems {
		if p.Column == brandimport.ColCategory && !strings.Contains(p.Message, "可选：种植养殖类、") {
			t.Errorf("the category's refusal lists no options: %q", p.Message)
		}
	}
}

// 第十五条（四）4 (the third suspension proposes removal): a brand restored
// before the import brings its earlier suspensions on any row, 0 to 2; a
// suspended one counts this one too, 1 to 2. A count the row cannot have is
// refused by its cell, never left unread.
func TestDecision_Import_SuspensionsBeforeTheImportCountOnEveryRow(t *testing.T) {
	s := sheetOf(t,
		row("安宁玫瑰", "91530181MA6N8XKQX0", "正常", "", "", "", "", "", "", "2"),
		row("呈贡菜农", "91530114MA6N8XKQXY", "整改中", "二级", "重大信息变更未申请变更登记", "", "", "", "", "1"),
		row("宜良花卉", "91530125MA6N8XKQXW", "正常"),
	)
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	for i, want := range []int{2, 1, 0} {
		if rows[i].SuspensionCount != want {
			t.Errorf("%s: %d suspensions before, want %d", rows[i].Name, rows[i].SuspensionCount, want)
		}
		if in := rows[i].Input(clock.Clock{Scale: 1}, workflows.DefaultBrandPolicy, today); in.Standing.SuspensionCount != want {
			t.Errorf("%s: the process is given %d, want %d", rows[i].Name, in.Standing.SuspensionCount, want)
		}
	}
	_, problems = brandimport.Parse(sheetOf(t,
		row("安宁玫瑰", "91530181MA6N8XKQX0", "正常", "", "", "", "", "", "", "3"),
		row("石林刺绣", "91530126MA6N8XKQXB", "暂停标识使用", "", "", "", "", "2026-06-01", "2027-05-31", "0"),
	), brandimport.Options{Today: today})
	if want := map[[2]any]bool{{2, brandimport.ColSuspensionCount}: true, {3, brandimport.ColSuspensionCount}: true}; !sameKeys(problemsAt(problems), want) {
		t.Errorf("problems %+v, want 累计暂停次数 on rows 2 and 3", problems)
	}
}

// 第十五条（一）（三） and RULES §4 (brands admitted before the system): a
// standing brought over keeps the scheme's periods — a level-1 order's due
// day at most a month after its order (its last day moved past a holiday),
// a suspension at most a year and its one renewal, begun after the
// admission, and not ending on the import day itself (its renewal would be
// due the day before: overdue as it came in). A functional zone (RULES §1)
// is read by its code in any width, or by its name.
func TestDecision_Import_StandingsKeepTheSchemesPeriods(t *testing.T) {
	zone := []string{"高新纺织", "某某协会", validUSCC(t, 9), "区域公用劳务品牌", "种植养殖类", "５３０１７１", "2023-05-10", "正常"}
	named := []string{"高新电子", "某某协会", validUSCC(t, 8), "区域公用劳务品牌", "种植养殖类", " 昆明高新区 ", "2023-05-10", "正常"}
	s := sheetOf(t,
		row("安宁玫瑰", validUSCC(t, 1), "整改中", "一级", "不规范使用劳务品牌标识", "2026-11-20", "2026-12-30"),
		row("晋宁花卉", validUSCC(t, 2), "整改中", "一级", "不规范使用劳务品牌标识", "2026-11-20", "2027-01-05"),
		row("石林刺绣", validUSCC(t, 3), "暂停标识使用", "", "", "", "", "2026-06-01", "2028-06-01", "2"),
		row("宜良烤鸭", validUSCC(t, 4), "暂停标识使用", "", "", "", "", "2026-06-01", "2028-06-02", "2"),
		row("嵩明蔬菜", validUSCC(t, 5), "暂停标识使用", "", "", "", "", "2025-12-01", today.String()),
		[]string{"富民杨梅", "某某协会", validUSCC(t, 6), "区域公用劳务品牌", "种植养殖类", "安宁市", "2026-01-10", "暂停标识使用", "", "", "", "",
			"2025-12-01", "2026-12-01"},
		zone, named,
	)
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today,
		KnownCounty: func(c string) bool { return c == "530171" || c == "530181" }, Zones: []brandimport.Zone{{Code: "530171", Name: "昆明高新区"}}})
	want := map[[2]any]bool{
		{3, brandimport.ColDue}:            true, // 2027-01-05: beyond a month and a holiday's move
		{5, brandimport.ColSuspendedUntil}: true, // beyond two years
		{6, brandimport.ColSuspendedUntil}: true, // ends on the import day
		{7, brandimport.ColSuspendedFrom}:  true, // begun before the admission
	}
	if got := problemsAt(problems); !sameKeys(got, want) {
		t.Errorf("problems at %v, want %v: %+v", got, want, problems)
	}
	names := map[string]string{}
	for _, r := range rows {
		names[r.Name] = r.CountyCode
	}
	if len(rows) != 4 || names["安宁玫瑰"] == "" || names["石林刺绣"] == "" || names["高新纺织"] != "530171" || names["高新电子"] != "530171" {
		t.Errorf("valid rows %v, want 安宁玫瑰, 石林刺绣, and 高新纺织 and 高新电子 in 530171", names)
	}
}

// The workbook's date system: a sheet saved with 1904 dates (Excel for
// Mac's old default) has its date cells read as the clerk sees them, not
// four years and a day early.
func TestDecision_Import_DatesOfA1904Workbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	date1904 := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	f.SetCellStr(sheet, "A1", "入库日期")
	// 2023-05-10 in the 1904 system (45056 in the 1900 one).
	f.SetCellValue(sheet, "A2", 45056-1462)
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	s, err := spreadsheet.Read(&out, 10)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := s.Date(s.Rows[0].Cells[0])
	if !ok || calendar.DateOf(d) != day("2023-05-10") {
		t.Errorf("a 1904 workbook's date cell %q read as %v (%v), want 2023-05-10", s.Rows[0].Cells[0], d, ok)
	}
}

// 第十五条（二）（三）（四） and RULES §4 (a renewal counts as one more
// suspension): a level-2 order's due day is the last of three months from
// its interview, held by the import's day at the latest — a far later day
// would keep the brand rectifying and never climbing; a suspension running
// past its first year has been renewed, so it counts two: left empty it is
// read as 2, and 1 is refused — counted once, its process would take the
// next suspension as the second, never proposing the removal.
func TestDecision_Import_ALevel2DayAndARenewedSuspensionKeepTheLadder(t *testing.T) {
	s := sheetOf(t,
		row("安宁玫瑰", validUSCC(t, 1), "整改中", "二级", "重大信息变更未申请变更登记", "2026-10-20", calendar.AddMonths(today, 3).String()),
		row("晋宁花卉", validUSCC(t, 2), "整改中", "二级", "重大信息变更未申请变更登记", "2026-10-20", "9999-12-31"),
		row("石林刺绣", validUSCC(t, 3), "暂停标识使用", "", "", "", "", "2025-06-01", "2027-06-01"),
		row("宜良烤鸭", validUSCC(t, 4), "暂停标识使用", "", "", "", "", "2025-06-01", "2027-06-01", "1"),
		row("嵩明蔬菜", validUSCC(t, 5), "暂停标识使用", "", "", "", "", "2026-06-01", "2027-06-01"),
	)
	rows, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	want := map[[2]any]bool{
		{3, brandimport.ColDue}:             true, // 9999-12-31
		{5, brandimport.ColSuspensionCount}: true, // renewed, counted once
	}
	if got := problemsAt(problems); !sameKeys(got, want) {
		t.Errorf("problems at %v, want %v: %+v", got, want, problems)
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Name] = r.SuspensionCount
	}
	if len(rows) != 3 || counts["石林刺绣"] != 2 || counts["嵩明蔬菜"] != 1 {
		t.Errorf("valid rows' suspension counts %v, want 安宁玫瑰 0, 石林刺绣 2 (renewed), 嵩明蔬菜 1", counts)
	}
}

// RULES §4 (a brand's standing as the sheet gives it): a cell that
// contradicts the row's status is refused by its cell, not dropped without
// a word — an order's day on a brand in good standing or suspended, a
// suspension's days on a brand under an order (a suspension ends the order
// it punishes).
func TestDecision_Import_ACellThatContradictsTheStatusIsRefused(t *testing.T) {
	s := sheetOf(t,
		row("富民杨梅", validUSCC(t, 6), "正常", "", "", "2026-10-20"),
		row("禄劝土鸡", validUSCC(t, 7), "整改中", "一级", "不规范使用劳务品牌标识", "2026-11-20", "2026-12-18", "2026-06-01", "2027-05-31"),
		// A suspension ended the order it punishes: no order's day either.
		row("寻甸牛干巴", validUSCC(t, 8), "暂停标识使用", "", "", "2026-05-20", "", "2026-06-01", "2027-05-31"),
	)
	_, problems := brandimport.Parse(s, brandimport.Options{Today: today})
	want := map[[2]any]bool{
		{2, brandimport.ColOrdered}:        true,
		{3, brandimport.ColSuspendedFrom}:  true,
		{3, brandimport.ColSuspendedUntil}: true,
		{4, brandimport.ColOrdered}:        true,
	}
	if got := problemsAt(problems); !sameKeys(got, want) {
		t.Errorf("problems at %v, want %v: %+v", got, want, problems)
	}
}

// RULES §1 (a county or zone chosen by name, or typed as its code): the
// template's lists and date cells warn, never stop — Excel would otherwise
// refuse in the sheet a code, or another spelling, that the import reads —
// and a row with its county typed as a code imports.
func TestRULES1_TheTemplateWarnsButTakesACodeTyped(t *testing.T) {
	var tpl bytes.Buffer
	if err := brandimport.Template(&tpl, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations(brandimport.SheetName)
	if err != nil || len(dvs) == 0 {
		t.Fatalf("the template's validations: %d, %v", len(dvs), err)
	}
	for _, dv := range dvs {
		if dv.ErrorStyle == nil || *dv.ErrorStyle != "warning" {
			style := "stop"
			if dv.ErrorStyle != nil {
				style = *dv.ErrorStyle
			}
			t.Errorf("the validation of %s is a %s, want a warning", dv.Sqref, style)
		}
	}
	r := row("安宁玫瑰", "91530181MA6N8XKQX0", "正常")
	r[5] = "530181"
	rows, problems := brandimport.Parse(sheetOf(t, r), brandimport.Options{Today: today})
	if len(rows) != 1 || rows[0].CountyCode != "530181" || len(problems) != 0 {
		t.Errorf("a county typed as its code: rows %+v, problems %+v", rows, problems)
	}
}
