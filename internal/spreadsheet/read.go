package spreadsheet

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// ErrNotWorkbook: the upload is not an .xlsx workbook excelize can open.
var ErrNotWorkbook = errors.New("not an .xlsx workbook")

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

// MaxColumns bounds the header row. Every data row is held at the header's
// width, so one stray value far to the right of the header (column XFD is
// the 16,384th) would otherwise make each of 20,000 rows 16,384 cells wide:
// gigabytes. The widest sheet read here has 16 columns.
const MaxColumns = 64

// ErrHeaderTooWide: the header row has a value beyond MaxColumns.
var ErrHeaderTooWide = errors.New("表头行列数过多")

// ErrTooManyRows: the sheet has more data rows than the reader accepts.
var ErrTooManyRows = errors.New("too many rows")

// Sheet is the first sheet of a workbook as text: its header row and the
// rows below it, each with its row number in the sheet (2 for the first
// row under the header). Rows with no value at all are left out.
type Sheet struct {
	Header []string
	Rows   []Row
}

// Row is one data row.
type Row struct {
	Number int      // the row's number in the sheet, as Excel shows it
	Cells  []string // trimmed, one per header column ("" when empty)
}

// Read reads the first sheet of the workbook in r, at most maxRows data
// rows. Cells come as stored, not as displayed: a date cell is its serial
// number (ParseDate reads both).
func Read(r io.Reader, maxRows int) (Sheet, error) {
	// An upload is untrusted: a small zip may inflate to gigabytes, and
	// excelize's own limit is 16 GB.
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxXMLInMemory})
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return Sheet{}, ErrNotWorkbook
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return Sheet{}, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer rows.Close()
	var s Sheet
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
		cells = trimmed(cells[:min(len(cells), len(s.Header))])
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
	return cells[:width], nil
}

// trimmed trims each cell in place.
func trimmed(cells []string) []string {
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// ParseDate reads a date cell: an Excel serial number (a date-formatted
// cell read raw) or text typed as 2021-03-15, 2021/3/15, 2021.3.15 or
// 2021年3月15日. It returns the day at UTC midnight.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		// 1 is 1900-01-01; 2958465 is 9999-12-31. Only whole days are dates here.
		if f < 1 || f > 2958465 {
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, false)
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
