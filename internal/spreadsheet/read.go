package spreadsheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ErrNotWorkbook: the upload is not an .xlsx workbook excelize can open.
var ErrNotWorkbook = errors.New("not an .xlsx workbook")

// ErrEncrypted: the workbook is protected by a password to open it (an
// encrypted package in an OLE compound file), which government files often
// are; ErrLegacyXLS: an Excel 97–2003 .xls, an OLE compound file too.
// ErrUnzipsTooLarge: the zip inflates beyond maxUnzipped. Each is refused
// with what to do about it, not as "not a workbook".
var (
	ErrEncrypted      = errors.New("the workbook is encrypted")
	ErrLegacyXLS      = errors.New("an .xls workbook (Excel 97–2003)")
	ErrUnzipsTooLarge = errors.New("the workbook unzips beyond its limit")
)

// oleSignature opens every OLE compound file; encryptedPackage is the name
// of the stream an encrypted workbook keeps itself in (MS-OFFCRYPTO), in the
// UTF-16 of the file's directory.
var (
	oleSignature     = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	encryptedPackage = utf16le("EncryptedPackage")
)

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// maxUnzipped bounds what an uploaded workbook may unzip to. The import
// takes at most 20,000 rows in an upload of at most 20 MB; such a sheet is
// about 2 MB zipped and at most some 30 MB unzipped (16 short columns of
// XML, which compress about tenfold). 64 MB holds twice that, or a picture
// pasted in (pictures do not compress); a zip that inflates to more is no
// sheet the import would read, and is refused rather than unzipped.
const maxUnzipped = 64 << 20

// maxXMLInMemory: a worksheet or string table unzipping to more is read
// through a temporary file instead of memory (excelize's own default).
const maxXMLInMemory = 16 << 20

// maxSharedStrings bounds the shared-string table, which excelize decodes
// into memory whole whatever maxXMLInMemory says: 20,000 rows of 16 text
// cells are under 16 MB of it, while 64 MB of empty entries would be some
// 13 million structures — a gigabyte — from a zip of 100 KB.
const maxSharedStrings = 24 << 20

// maxSharedStringCount bounds the table's entries too: each is decoded into
// a structure of some 64 bytes, so 24 MB of empty entries (`<si/>`, five
// bytes) would still be 4.8 million of them — 300 MB — from a zip of tens of
// KB. A million (some 64 MB) is three times what 20,000 rows of 16 text
// cells could share, other sheets' text beside them.
const maxSharedStringCount = 1 << 20

// maxWideRows bounds the rows with a cell right of the header, empty of
// data or not: excelize reads a row at its last cell's width (column XFD:
// 16,384 cells, some milliseconds) before the cells beyond the header are
// dropped, so a sheet of such rows costs minutes whatever its data.
func maxWideRows(maxRows int) int { return maxRows + 1000 }

// ErrWideRows: too many rows have cells right of the header.
var ErrWideRows = errors.New("表头右侧有内容的行过多")

// MaxColumns bounds the header row. Every data row is held at the header's
// width, so one stray value far to the right of the header (column XFD is
// the 16,384th) would otherwise make each of 20,000 rows 16,384 cells wide:
// gigabytes. The widest sheet read here has 16 columns.
const MaxColumns = 64

// ErrHeaderTooWide: the header row has a value beyond MaxColumns.
var ErrHeaderTooWide = errors.New("表头行列数过多")

// ErrTooManyRows: the sheet has more data rows than the reader accepts.
var ErrTooManyRows = errors.New("too many rows")

// MaxCellRunes bounds one cell: the widest value the import reads is a
// unit's name (some fifty characters), and a remark column of a bureau's own
// rarely holds more than a few lines. A shared string is stored once and
// handed out as a fresh copy for each cell that names it, so without it a
// workbook of 200 KB — one string of 100 KB named by every cell — would
// read into gigabytes.
const MaxCellRunes = 1000

// maxSheetText bounds the text kept of a whole sheet: 20,000 rows of 16
// ordinary cells are about 10 MB of it.
const maxSheetText = 48 << 20

// ErrCellTooLong: a cell holds more than MaxCellRunes characters, or the
// sheet more text than maxSheetText; the message says where.
var ErrCellTooLong = errors.New("单元格内容过长")

// Sheet is one sheet of a workbook as text: its header row and the rows
// below it, each with its row number in the sheet (2 for the first row
// under the header). Rows with no value at all are left out.
type Sheet struct {
	Name   string // the sheet's name, as its tab shows it
	Header []string
	Rows   []Row
	// Date1904: the workbook counts its dates from 1904 (Excel for Mac's
	// old default), so a date cell's serial number reads 1,462 days later.
	Date1904 bool
}

// Row is one data row.
type Row struct {
	Number int      // the row's number in the sheet, as Excel shows it
	Cells  []string // trimmed, one per header column ("" when empty)
}

// Read reads the first visible sheet of the workbook in r, at most maxRows
// data rows. Cells come as stored, not as displayed: a date cell is its
// serial number (ParseDate reads both).
func Read(r io.Reader, maxRows int) (Sheet, error) {
	return ReadNamed(r, "", maxRows)
}

// ReadNamed is Read of the sheet called name when the workbook has one (a
// template's sheet pasted into a bureau's own workbook, behind a sheet of
// notes or an old list), else of its first visible sheet — never a hidden
// one, which the person uploading it does not see.
func ReadNamed(r io.Reader, name string, maxRows int) (Sheet, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Sheet{}, err
	}
	if err := checkPackage(raw); err != nil {
		return Sheet{}, err
	}
	// An upload is untrusted: a small zip may inflate to gigabytes, and
	// excelize's own limit is 16 GB.
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxXMLInMemory})
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer f.Close()
	var s Sheet
	if s.Name = sheetToRead(f, name); s.Name == "" {
		return Sheet{}, ErrNotWorkbook
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.Date1904 = *props.Date1904
	}
	rows, err := f.Rows(s.Name)
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer rows.Close()
	wide, text := 0, 0
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return s, fmt.Errorf("%w: row %d: %v", ErrNotWorkbook, n, err)
		}
		if n == 1 {
			if s.Header, err = readHeader(cells); err != nil {
				return s, err
			}
			continue
		}
		// A value right of the header's last column belongs to no column.
		if len(cells) > len(s.Header) {
			if wide++; wide > maxWideRows(maxRows) {
				return s, fmt.Errorf("%w：自第%d行起仍有表头右侧的单元格（超过%d行）。请删除表头右侧多余的列，或使用导入模板", ErrWideRows, n, maxWideRows(maxRows))
			}
		}
		cells = trimmed(cells[:min(len(cells), len(s.Header))])
		for i, c := range cells {
			if len(c) > MaxCellRunes && utf8.RuneCountInString(c) > MaxCellRunes {
				col, _ := excelize.ColumnNumberToName(i + 1)
				return s, fmt.Errorf("%w：第%d行%s列（%s）有%d字，每个单元格最多%d字。请删减该单元格的内容后再上传",
					ErrCellTooLong, n, col, s.Header[i], utf8.RuneCountInString(c), MaxCellRunes)
			}
			if text += len(c); text > maxSheetText {
				return s, fmt.Errorf("%w：至第%d行，表格的文字已超过%d MB。请删去导入不需要的列，或分表上传", ErrCellTooLong, n, maxSheetText>>20)
			}
		}
		if strings.Join(cells, "") == "" {
			continue
		}
		if len(s.Rows) == maxRows {
			return s, ErrTooManyRows
		}
		row := make([]string, len(s.Header))
		copy(row, cells)
		s.Rows = append(s.Rows, Row{Number: n, Cells: row})
	}
	return s, rows.Error()
}

// sheetToRead is the sheet called name, when it is visible (a hidden old
// list keeps its name when the template is pasted beside it as "劳务品牌 (2)"),
// else the first visible one; "" when the workbook has none.
func sheetToRead(f *excelize.File, name string) string {
	sheets := f.GetSheetList()
	if name != "" && slices.Contains(sheets, name) {
		if visible, err := f.GetSheetVisible(name); err == nil && visible {
			return name
		}
	}
	for _, sh := range sheets {
		if visible, err := f.GetSheetVisible(sh); err == nil && visible {
			return sh
		}
	}
	return ""
}

// checkPackage refuses, before excelize reads it, a file that is an OLE
// compound file (an encrypted workbook or an .xls), a zip that inflates
// beyond maxUnzipped, and a shared-string table beyond maxSharedStrings. What
// is no zip at all is left to excelize, which says so.
func checkPackage(raw []byte) error {
	if bytes.HasPrefix(raw, oleSignature) {
		if bytes.Contains(raw, encryptedPackage) {
			return ErrEncrypted
		}
		return ErrLegacyXLS
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return ErrUnzipsTooLarge
		}
		// Named as excelize finds it: any case, either slash.
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), "xl/sharedStrings.xml") {
			if f.UncompressedSize64 > maxSharedStrings {
				return ErrUnzipsTooLarge
			}
			if err := checkSharedStrings(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkSharedStrings refuses a table of more than maxSharedStringCount
// entries, and a shared string longer than a cell may hold
// (MaxCellRunes): excelize hands out a copy of it for every cell naming it
// — the header's, and those right of it, before any is checked —, so one
// string of megabytes named by a row of 16,384 cells would read into
// hundreds of gigabytes from a zip of kilobytes.
func checkSharedStrings(f *zip.File) error {
	r, err := f.Open()
	if err != nil {
		return nil // left to excelize, which says what is wrong
	}
	defer r.Close()
	d := xml.NewDecoder(io.LimitReader(r, maxSharedStrings))
	runes, phonetic, entries := 0, 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// Excel writes UTF-8: another encoding declared, or XML this
			// decoder cannot read, would be read by excelize unchecked.
			return fmt.Errorf("%w: shared strings: %v", ErrNotWorkbook, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				runes = 0
				if entries++; entries > maxSharedStringCount {
					return ErrUnzipsTooLarge
				}
			case "rPh": // a reading guide, which excelize leaves out of the cell
				phonetic++
			}
		case xml.EndElement:
			if t.Name.Local == "rPh" {
				phonetic--
			}
		case xml.CharData:
			if phonetic > 0 {
				continue
			}
			if runes += utf8.RuneCount(t); runes > MaxCellRunes {
				return fmt.Errorf("%w：工作簿中有超过%d字的单元格（每个单元格最多%d字；导入只读“劳务品牌”工作表，没有这张表时读第一张可见的工作表；其他工作表中的长文字也会使上传失败）。请删减该单元格，或删去导入不需要的工作表后再上传",
					ErrCellTooLong, MaxCellRunes, MaxCellRunes)
			}
		}
	}
}

// readHeader is the header row without its trailing empty cells (a cell
// formatted but left empty is still a cell to excelize), refused when wider
// than MaxColumns.
func readHeader(cells []string) ([]string, error) {
	cells = trimmed(cells)
	width := len(cells)
	for width > 0 && cells[width-1] == "" {
		width--
	}
	if width > MaxColumns {
		last, _ := excelize.ColumnNumberToName(width)
		return nil, fmt.Errorf("%w：第1行最右一个有内容的单元格在%s列（第%d列），表头最多%d列。请删除表头右侧多余的内容，或使用导入模板",
			ErrHeaderTooWide, last, width, MaxColumns)
	}
	for i, c := range cells[:width] { // a header is a cell too: a message repeats it
		if len(c) > MaxCellRunes && utf8.RuneCountInString(c) > MaxCellRunes {
			col, _ := excelize.ColumnNumberToName(i + 1)
			return nil, fmt.Errorf("%w：第1行%s列的表头有%d字，每个单元格最多%d字。请使用导入模板的表头",
				ErrCellTooLong, col, utf8.RuneCountInString(c), MaxCellRunes)
		}
	}
	return cells[:width], nil
}

// trimmed trims each cell in place.
func trimmed(cells []string) []string {
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// Date reads a date cell of the sheet (ParseDate), a serial number by the
// workbook's date system.
func (s Sheet) Date(v string) (time.Time, bool) { return parseDate(v, s.Date1904) }

// ParseDate reads a date cell: an Excel serial number (a date-formatted
// cell read raw) or text typed as 2021-03-15, 2021/3/15, 2021.3.15 or
// 2021年3月15日. It returns the day at UTC midnight. A serial number is
// counted from 1900; Sheet.Date reads one by its workbook's system.
func ParseDate(s string) (time.Time, bool) { return parseDate(s, false) }

func parseDate(s string, date1904 bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		// 1 is 1900-01-01; 2958465 is 9999-12-31. Only whole days are dates here.
		if !(f >= 1 && f <= 2958465) { // NaN, which ParseFloat reads, compares false either way
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, date1904)
		if err != nil {
			return time.Time{}, false
		}
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	}
	norm := strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	t, err := time.Parse("2006-1-2", norm)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
