package brandimport_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
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
	if err := brandimport.Template(&tpl); err != nil {
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
		row("安宁玫瑰", "91350100M000100Y43", "正常"),
		row("安宁 玫瑰", "91350100M000100Y44", "正常"),       // same name key as row 2; bad check character
		row("嵩明蔬菜", "91350100M000100Y43", "整改中", "三级"), // same USCC as row 2; level 3; no reason
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
		row("安宁玫瑰", "91350100M000100Y43", "整改中", "一级", "不规范使用劳务品牌标识", "2026-11-20", "2026-12-21"),
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
	if !in.Imported || in.BrandID != brandimport.BrandID("91350100M000100Y43", "安宁 玫瑰") || in.Standing.NextEvaluation != day("2027-05-10") {
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
