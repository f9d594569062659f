// Package spreadsheet writes and reads the Excel workbooks people exchange
// with the library (issue 14): exports streamed a row at a time with a
// frozen, bold header row, columns sized for their content and dates as real
// Excel dates; and the first sheet of an uploaded workbook read back as text.
package spreadsheet

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Kind is how a column's cells are written.
type Kind int

// The kinds of cell.
const (
	Text    Kind = iota // a string, written as text (a USCC is never a number)
	Date                // a calendar day: "YYYY-MM-DD" or a time.Time, shown yyyy-mm-dd
	Instant             // a time.Time, shown yyyy-mm-dd hh:mm in Asia/Shanghai
	Number              // an int or a float
	Percent             // a fraction (0.25), shown 25.0%; nil or a nil *float64 for none
)

// Column is one column of a sheet.
type Column struct {
	Header string
	Width  float64 // in characters; a CJK character counts about two
	Kind   Kind
}

// shanghai is where every date a person sees is read (RULES §5).
var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// Writer streams the rows of a workbook's sheets: excelize's StreamWriter
// keeps the rows written in a temporary file past a few MB, not in memory.
// The finished workbook is zipped in memory before it is sent (excelize
// has no other way), about a tenth of its XML: a few MB for an export of
// the whole library, growing with it. A workbook of several sheets writes
// them one after the other (Sheet).
type Writer struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []Column
	styles map[Kind]int
	header int
	row    int // rows written to the current sheet, its header included
	rows   int // data rows of every sheet
}

// New starts a workbook whose first sheet, named sheet, has cols and their
// header row, frozen.
func New(sheet string, cols []Column) (*Writer, error) {
	f := excelize.NewFile()
	w := &Writer{f: f, styles: map[Kind]int{}}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, w.fail(err)
	}
	dateFmt, instantFmt, percentFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0.0%"
	var err error
	for kind, style := range map[Kind]*excelize.Style{
		Text:    {NumFmt: 49}, // "@": text, so Excel never turns a code into a number
		Date:    {CustomNumFmt: &dateFmt},
		Instant: {CustomNumFmt: &instantFmt},
		Number:  {NumFmt: 0},
		Percent: {CustomNumFmt: &percentFmt},
	} {
		if w.styles[kind], err = f.NewStyle(style); err != nil {
			return nil, w.fail(err)
		}
	}
	if w.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center"}}); err != nil {
		return nil, w.fail(err)
	}
	if err := w.begin(sheet, cols); err != nil {
		return nil, w.fail(err)
	}
	return w, nil
}

// Sheet finishes the sheet being written and starts another, named sheet,
// with cols and their frozen header row; the rows that follow go to it.
func (w *Writer) Sheet(sheet string, cols []Column) error {
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("spreadsheet: %w", err)
	}
	if _, err := w.f.NewSheet(sheet); err != nil {
		return fmt.Errorf("spreadsheet: %w", err)
	}
	if err := w.begin(sheet, cols); err != nil {
		return fmt.Errorf("spreadsheet: %w", err)
	}
	return nil
}

// begin opens sheet's stream with its column widths, frozen pane and header.
func (w *Writer) begin(sheet string, cols []Column) error {
	var err error
	if w.sw, err = w.f.NewStreamWriter(sheet); err != nil {
		return err
	}
	w.cols, w.row = cols, 0
	for i, c := range cols {
		if err := w.sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
	}
	if err := w.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: w.header, Value: c.Header}
	}
	return w.write(cells)
}

func (w *Writer) fail(err error) error {
	w.f.Close()
	return fmt.Errorf("spreadsheet: %w", err)
}

func (w *Writer) write(cells []any) error {
	w.row++
	ref, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(ref, cells)
}

// Row appends one row: values in column order, nil or "" for an empty cell.
// A Date column takes "YYYY-MM-DD" or a time.Time; an Instant column a
// time.Time (or a *time.Time).
func (w *Writer) Row(values ...any) error {
	if len(values) != len(w.cols) {
		return fmt.Errorf("spreadsheet: row %d has %d values for %d columns", w.row+1, len(values), len(w.cols))
	}
	cells := make([]any, len(values))
	for i, v := range values {
		kind := w.cols[i].Kind
		v, err := cellValue(kind, v)
		if err != nil {
			return fmt.Errorf("spreadsheet: row %d, %s: %w", w.row+1, w.cols[i].Header, err)
		}
		if v != nil {
			cells[i] = excelize.Cell{StyleID: w.styles[kind], Value: v}
		}
	}
	if err := w.write(cells); err != nil {
		return err
	}
	w.rows++
	return nil
}

// cellValue converts v to what excelize writes for kind; nil for an empty cell.
func cellValue(kind Kind, v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, nil
		}
		if kind == Date {
			d, err := time.Parse(time.DateOnly, x)
			if err != nil {
				return nil, fmt.Errorf("not a date: %q", x)
			}
			return d, nil // UTC midnight: the day itself, whatever the reader's zone
		}
	case *float64:
		if x == nil {
			return nil, nil
		}
		return *x, nil
	case *time.Time:
		if x == nil {
			return nil, nil
		}
		return cellValue(kind, *x)
	case time.Time:
		if x.IsZero() {
			return nil, nil
		}
		switch kind {
		case Date:
			y, m, d := x.In(shanghai).Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		case Instant:
			// excelize writes a time's wall clock in its own zone.
			return x.In(shanghai), nil
		}
	}
	return v, nil
}

// Rows is how many data rows have been written, in every sheet.
func (w *Writer) Rows() int { return w.rows }

// WriteTo finishes the workbook and writes it to out; the Writer is done.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return 0, fmt.Errorf("spreadsheet: %w", err)
	}
	return w.f.WriteTo(out)
}

// Close drops the workbook's temporary files; it may follow WriteTo.
func (w *Writer) Close() { w.f.Close() }

// ContentType is an .xlsx workbook's media type.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
