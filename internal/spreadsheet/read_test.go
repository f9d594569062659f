package spreadsheet_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
)

// A workbook written by the Writer reads back: the header, the rows by
// their sheet numbers, dates as serial numbers that ParseDate reads.
func TestWrittenWorkbookReadsBack(t *testing.T) {
	w, err := spreadsheet.New("表", []spreadsheet.Column{{Header: "名称", Width: 10}, {Header: "日期", Width: 12, Kind: spreadsheet.Date},
		{Header: "数量", Width: 6, Kind: spreadsheet.Number}})
	if err != nil {
		t.Fatal(err)
	}
	w.Row("安宁玫瑰", "2026-11-30", 3)
	w.Row("", nil, nil) // empty rows are left out when read
	w.Row("石林刺绣", time.Date(2027, 5, 31, 23, 0, 0, 0, time.UTC), 0)
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	book := buf.Bytes()
	s, err := spreadsheet.Read(bytes.NewReader(book), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Header) != 3 || s.Header[1] != "日期" || len(s.Rows) != 2 || s.Rows[1].Number != 4 {
		t.Fatalf("read back %+v", s)
	}
	for i, want := range []string{"2026-11-30", "2027-06-01"} { // 23:00 UTC is the next day in Shanghai
		d, ok := spreadsheet.ParseDate(s.Rows[i].Cells[1])
		if !ok || d.Format(time.DateOnly) != want {
			t.Errorf("row %d date %q → %v, want %s", i, s.Rows[i].Cells[1], d, want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"2021-03-15", "2021-03-15"}, {"2021/3/5", "2021-03-05"}, {"2021年3月15日", "2021-03-15"}, {"2021.3.15", "2021-03-15"},
		{"44270", "2021-03-15"}, {"三月", ""}, {"-1", ""}, {"NaN", ""}, {"+Inf", ""},
	} {
		d, ok := spreadsheet.ParseDate(c.in)
		if got := map[bool]string{true: d.Format(time.DateOnly), false: ""}[ok]; got != c.want {
			t.Errorf("ParseDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if _, err := spreadsheet.Read(bytes.NewReader(book), 1); !errors.Is(err, spreadsheet.ErrTooManyRows) {
		t.Errorf("a row limit of 1: %v", err)
	}
}

// An upload that is not a workbook, or one that unzips to far more than a
// sheet could hold, is refused, never read into memory.
func TestReadRefusesWhatIsNoWorkbook(t *testing.T) {
	if _, err := spreadsheet.Read(bytes.NewReader([]byte("name,uscc\n")), 10); !errors.Is(err, spreadsheet.ErrNotWorkbook) {
		t.Errorf("CSV: %v", err)
	}
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	f, _ := zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range 300 { // 300 MB of zeros: a few hundred KB zipped
		f.Write(zeros)
	}
	zw.Close()
	if _, err := spreadsheet.Read(bytes.NewReader(bomb.Bytes()), 10); !errors.Is(err, spreadsheet.ErrUnzipsTooLarge) {
		t.Errorf("a zip that inflates to 300 MB: %v", err)
	}
	// A shared-string table excelize would decode into memory whole.
	var strs bytes.Buffer
	zw = zip.NewWriter(&strs)
	f, _ = zw.Create("xl/sharedStrings.xml")
	for range 25 {
		f.Write(zeros)
	}
	zw.Close()
	if _, err := spreadsheet.Read(bytes.NewReader(strs.Bytes()), 10); !errors.Is(err, spreadsheet.ErrUnzipsTooLarge) {
		t.Errorf("a shared-string table of 25 MB: %v", err)
	}
	// Under 24 MB, but of empty entries: millions of structures decoded.
	strs.Reset()
	zw = zip.NewWriter(&strs)
	f, _ = zw.Create("xl/sharedStrings.xml")
	f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><sst>`))
	f.Write(bytes.Repeat([]byte("<si/>"), 2_000_000))
	f.Write([]byte(`</sst>`))
	zw.Close()
	if _, err := spreadsheet.Read(bytes.NewReader(strs.Bytes()), 10); !errors.Is(err, spreadsheet.ErrUnzipsTooLarge) {
		t.Errorf("a shared-string table of two million empty entries (10 MB): %v", err)
	}
	// A shared-string table declaring another encoding than Excel's UTF-8
	// is not read past the check: excelize would read it unchecked.
	strs.Reset()
	zw = zip.NewWriter(&strs)
	f, _ = zw.Create("xl/sharedStrings.xml")
	f.Write([]byte(`<?xml version="1.0" encoding="us-ascii"?><sst><si><t>` + strings.Repeat("x", 5000) + `</t></si></sst>`))
	zw.Close()
	if _, err := spreadsheet.Read(bytes.NewReader(strs.Bytes()), 10); !errors.Is(err, spreadsheet.ErrNotWorkbook) {
		t.Errorf("a shared-string table in us-ascii: %v, want refused", err)
	}
}

// A workbook protected by a password and an Excel 97–2003 .xls — both OLE
// compound files — are told apart from what is no workbook, so the clerk
// is told what to do with each.
func TestReadNamesEncryptedAndLegacyWorkbooks(t *testing.T) {
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 504)...)
	var name []byte
	for _, r := range "EncryptedPackage" {
		name = append(name, byte(r), 0)
	}
	encrypted := append(append(append([]byte{}, ole...), name...), make([]byte, 512)...)
	if _, err := spreadsheet.Read(bytes.NewReader(encrypted), 10); !errors.Is(err, spreadsheet.ErrEncrypted) {
		t.Errorf("an encrypted workbook: %v", err)
	}
	if _, err := spreadsheet.Read(bytes.NewReader(ole), 10); !errors.Is(err, spreadsheet.ErrLegacyXLS) {
		t.Errorf("an .xls: %v", err)
	}
}

// A row whose only value is right of the header is read at that value's
// width (column XFD: 16,384 cells) before it is found empty: such rows are
// bounded too, and a sheet of them refused, saying where, rather than read
// row after row for minutes. (Column Z here: the count is the same, the
// test's time is not.)
func TestReadBoundsTheRowsItReads(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellStr("Sheet1", "A1", "名称")
	for r := 2; r <= 1100; r++ {
		f.SetCellStr("Sheet1", fmt.Sprintf("Z%d", r), "x")
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := spreadsheet.Read(bytes.NewReader(buf.Bytes()), 1); !errors.Is(err, spreadsheet.ErrWideRows) || !strings.Contains(err.Error(), "第1003行") {
		t.Errorf("1,099 rows with a value only right of the header, at most 1 data row: %v", err)
	}
	// Empty rows below the data — a stray format far down — are no such rows.
	f.SetCellStr("Sheet1", "A2", "安宁玫瑰")
	for r := 2; r <= 1100; r++ {
		f.SetCellValue("Sheet1", fmt.Sprintf("Z%d", r), nil)
	}
	f.SetRowHeight("Sheet1", 60000, 30)
	buf.Reset()
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if s, err := spreadsheet.Read(bytes.NewReader(buf.Bytes()), 1); err != nil || len(s.Rows) != 1 {
		t.Errorf("one row of data and a formatted row 60,000: %d rows, %v", len(s.Rows), err)
	}
}

// The header bounds every row's width: one value far right of the header
// (XFD is column 16,384) is refused with a message saying where it is,
// before any row is held at that width; blanks right of the header do not
// widen it, and a data row's cells beyond the header are not read.
func TestReadBoundsTheHeaderWidth(t *testing.T) {
	book := func(cells map[string]string) []byte {
		f := excelize.NewFile()
		defer f.Close()
		for cell, v := range cells {
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	wide := book(map[string]string{"A1": "名称", "B1": "日期", "XFD1": "备注", "A2": "安宁玫瑰", "A3": "石林刺绣"})
	s, err := spreadsheet.Read(bytes.NewReader(wide), 10)
	if !errors.Is(err, spreadsheet.ErrHeaderTooWide) || !strings.Contains(err.Error(), "XFD列") || len(s.Rows) != 0 {
		t.Errorf("a header with a value in XFD1: %v, %d rows read", err, len(s.Rows))
	}
	blankRight := book(map[string]string{"A1": "名称", "B1": "日期", "XFD1": "  ", "A2": "安宁玫瑰", "XFD2": "多余", "XFD3": "只有多余"})
	s, err = spreadsheet.Read(bytes.NewReader(blankRight), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Header) != 2 || len(s.Rows) != 1 || len(s.Rows[0].Cells) != 2 || s.Rows[0].Cells[0] != "安宁玫瑰" {
		t.Errorf("a blank far right of the header: header %q, rows %+v", s.Header, s.Rows)
	}
}

// A workbook of several sheets: each has its own frozen header, rows go to
// the sheet begun last, a rate shows as a percentage (none: an empty cell),
// and Rows counts every sheet's rows.
func TestWorkbookOfSeveralSheets(t *testing.T) {
	w, err := spreadsheet.New("甲", []spreadsheet.Column{{Header: "名称", Width: 10}})
	if err != nil {
		t.Fatal(err)
	}
	w.Row("安宁玫瑰")
	if err := w.Sheet("乙", []spreadsheet.Column{{Header: "审核", Width: 10}, {Header: "通过率", Width: 8, Kind: spreadsheet.Percent}}); err != nil {
		t.Fatal(err)
	}
	rate := 0.875
	w.Row("初审", &rate)
	w.Row("复审", (*float64)(nil))
	if w.Rows() != 3 {
		t.Errorf("Rows() = %d, want 3", w.Rows())
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sheet, want := range map[string]string{"甲": "名称|安宁玫瑰", "乙": "审核,通过率|初审,87.5%|复审"} {
		rows, _ := f.GetRows(sheet)
		var got []string
		for _, r := range rows {
			got = append(got, strings.Join(r, ","))
		}
		if strings.Join(got, "|") != want {
			t.Errorf("sheet %s: %q, want %q", sheet, strings.Join(got, "|"), want)
		}
		if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("sheet %s: header not frozen: %+v", sheet, panes)
		}
	}
}

// Hostile input on the import (RULES §3 "bounded"): Excel keeps a repeated
// text once and excelize hands out a copy of it for every cell that names
// it, so a workbook of a few hundred KB — one long string named by every
// cell of 20,000 rows, or by a row of 16,384 — would read into gigabytes.
// A shared string over MaxCellRunes characters refuses the workbook before
// excelize reads a row; a cell written in place (an inline string) over it
// refuses the sheet at its row and column, before the next row is read.
func TestReadRefusesACellTooLongBeforeReadingOn(t *testing.T) {
	long := strings.Repeat("长", spreadsheet.MaxCellRunes+1)
	f := excelize.NewFile()
	for col := 1; col <= 16; col++ {
		name, _ := excelize.CoordinatesToCellName(col, 1)
		f.SetCellStr("Sheet1", name, fmt.Sprintf("列%d", col))
	}
	f.SetCellStr("Sheet1", "A2", "安宁玫瑰")
	for row := 3; row <= 2000; row++ {
		for col := 1; col <= 16; col++ {
			name, _ := excelize.CoordinatesToCellName(col, row)
			f.SetCellStr("Sheet1", name, long)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := spreadsheet.Read(bytes.NewReader(buf.Bytes()), 20000)
	if !errors.Is(err, spreadsheet.ErrCellTooLong) || !strings.Contains(err.Error(), "超过1000字") {
		t.Errorf("a sheet whose cells name a shared string of %d characters: %v, want refused", len([]rune(long)), err)
	}

	// Written in place, by a stream writer: the cell is named.
	_, err = spreadsheet.Read(bytes.NewReader(writtenInPlace(t, []any{"品牌名称", "备注"}, []any{"安宁玫瑰", "短"}, []any{"宜良花卉", long})), 10)
	if !errors.Is(err, spreadsheet.ErrCellTooLong) || !strings.Contains(err.Error(), "第3行B列（备注）有1001字") {
		t.Errorf("a cell of %d characters written in place: %v, want refused at row 3, column B", len([]rune(long)), err)
	}

	// A header written in place is a cell too: refused, named, not repeated.
	_, err = spreadsheet.Read(bytes.NewReader(writtenInPlace(t, []any{"品牌名称", long + "状态"}, []any{"安宁玫瑰", "正常"})), 10)
	if !errors.Is(err, spreadsheet.ErrCellTooLong) || !strings.Contains(err.Error(), "第1行B列的表头有1003字") || strings.Contains(err.Error(), long) {
		t.Errorf("a header of %d characters written in place: %.200v, want refused at column B without repeating it", len([]rune(long))+2, err)
	}

	// At the limit, a cell is read.
	f = excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "备注")
	f.SetCellStr("Sheet1", "A2", long[:len(long)-len("长")])
	buf.Reset()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if s, err := spreadsheet.Read(bytes.NewReader(buf.Bytes()), 10); err != nil || len(s.Rows) != 1 {
		t.Errorf("a cell of %d characters: %v, want read", spreadsheet.MaxCellRunes, err)
	}
}

// Issue 14 (Excel in) and RULES §1: a bureau that pastes the template's
// sheet into its own workbook, behind a sheet of notes or an old list, has
// the template's sheet read, by its name; a workbook without it has its
// first visible sheet read — never a hidden one, which the person
// uploading it does not see.
func TestReadNamedReadsTheTemplatesSheetOrTheFirstVisible(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "旧表")
	f.SetCellStr("旧表", "A1", "旧表头")
	f.SetCellStr("旧表", "A2", "旧数据")
	for _, name := range []string{"说明", "劳务品牌"} {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellStr("说明", "A1", "填表说明")
	f.SetCellStr("说明", "A2", "请在“劳务品牌”表中填写")
	f.SetCellStr("劳务品牌", "A1", "劳务品牌名称")
	f.SetCellStr("劳务品牌", "A2", "石林撒尼刺绣")
	notes, _ := f.GetSheetIndex("说明")
	f.SetActiveSheet(notes) // the active sheet cannot be hidden
	if err := f.SetSheetVisible("旧表", false); err != nil {
		t.Fatal(err)
	}
	var wb bytes.Buffer
	if _, err := f.WriteTo(&wb); err != nil {
		t.Fatal(err)
	}
	s, err := spreadsheet.ReadNamed(bytes.NewReader(wb.Bytes()), "劳务品牌", 10)
	if err != nil || s.Name != "劳务品牌" || len(s.Rows) != 1 || s.Rows[0].Cells[0] != "石林撒尼刺绣" {
		t.Errorf("by name: sheet %q, rows %+v, %v; want 劳务品牌's one row", s.Name, s.Rows, err)
	}
	s, err = spreadsheet.ReadNamed(bytes.NewReader(wb.Bytes()), "其他", 10)
	if err != nil || s.Name != "说明" || s.Header[0] != "填表说明" {
		t.Errorf("no sheet of that name: sheet %q, header %v, %v; want the first visible, 说明", s.Name, s.Header, err)
	}
	// An old list of that name, hidden, and the template pasted beside it
	// (Excel names it "劳务品牌 (2)"): the hidden one is not read.
	if err := f.SetSheetName("劳务品牌", "劳务品牌 (2)"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetName("旧表", "劳务品牌"); err != nil {
		t.Fatal(err)
	}
	if err := f.DeleteSheet("说明"); err != nil {
		t.Fatal(err)
	}
	wb.Reset()
	if _, err := f.WriteTo(&wb); err != nil {
		t.Fatal(err)
	}
	s, err = spreadsheet.ReadNamed(bytes.NewReader(wb.Bytes()), "劳务品牌", 10)
	if err != nil || s.Name != "劳务品牌 (2)" || len(s.Rows) != 1 || s.Rows[0].Cells[0] != "石林撒尼刺绣" {
		t.Errorf("the named sheet hidden: sheet %q, rows %+v, %v; want the first visible, 劳务品牌 (2)", s.Name, s.Rows, err)
	}
}

// writtenInPlace is a workbook whose rows a stream writer wrote, each cell's
// text in the sheet itself rather than shared.
func writtenInPlace(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		sw.SetRow(cell, r)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
