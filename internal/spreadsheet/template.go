package spreadsheet

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Field is one column of a workbook people fill in: its header, a note that
// says what goes in it (shown when the header cell is pointed at, and as the
// cell's input prompt), and, for a closed vocabulary, the values a
// drop-down offers.
type Field struct {
	Column
	Note    string
	Choices []string
}

// optionsSheet holds the drop-downs' values: a list written into a formula
// is limited to 255 characters, one on a hidden sheet is not.
const optionsSheet = "选项"

// Template writes a workbook to fill in: one sheet named sheet with the
// fields' headers (frozen, noted), their drop-downs and date checks on rows
// 2 to rows+1, and example as its first row when given.
func Template(out io.Writer, sheet string, fields []Field, rows int, example []any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := templateSheet(f, sheet, fields, rows, example); err != nil {
		return fmt.Errorf("spreadsheet template: %w", err)
	}
	_, err := f.WriteTo(out)
	return err
}

func templateSheet(f *excelize.File, sheet string, fields []Field, rows int, example []any) error {
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(optionsSheet); err != nil {
		return err
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	styles := map[Kind]*excelize.Style{Text: {NumFmt: 49}, Date: {CustomNumFmt: &dateFmt}, Number: {NumFmt: 1}}
	ids := map[Kind]int{}
	for k, st := range styles {
		if ids[k], err = f.NewStyle(st); err != nil {
			return err
		}
	}
	last := rows + 1
	optionCol := 0
	for i, fd := range fields {
		col, _ := excelize.ColumnNumberToName(i + 1)
		cell := col + "1"
		if err := f.SetCellValue(sheet, cell, fd.Header); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, fd.Width); err != nil {
			return err
		}
		if id, ok := ids[fd.Kind]; ok {
			if err := f.SetColStyle(sheet, col, id); err != nil {
				return err
			}
		}
		if fd.Note != "" {
			if err := f.AddComment(sheet, excelize.Comment{Author: "laborbrand", Cell: cell, Text: fd.Note,
				Width: 320, Height: 120}); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, last))
		switch {
		case len(fd.Choices) > 0:
			optionCol++
			oc, _ := excelize.ColumnNumberToName(optionCol)
			if err := f.SetCellValue(optionsSheet, oc+"1", fd.Header); err != nil {
				return err
			}
			for j, v := range fd.Choices {
				if err := f.SetCellValue(optionsSheet, fmt.Sprintf("%s%d", oc, j+2), v); err != nil {
					return err
				}
			}
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", optionsSheet, oc, oc, len(fd.Choices)+1))
			// A warning, not a stop: the import also reads a code typed
			// (a county's, a functional zone's) and the other spellings it
			// knows, which Excel would otherwise refuse.
			dv.SetError(excelize.DataValidationErrorStyleWarning, fd.Header, "建议从下拉列表中选择；填写代码等其他写法的，导入时逐行核对")
		case fd.Kind == Date:
			if err := dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleWarning, fd.Header, "请填写日期，如 2021-03-15；其他写法导入时逐行核对")
		}
		if dv.Type != "" {
			if fd.Note != "" {
				dv.SetInput(fd.Header, truncate(fd.Note, 250))
			}
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(sheet, "A1", cellName(len(fields), 1), header); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if example != nil {
		for i, v := range example {
			v, err := cellValue(fields[i].Kind, v)
			if err != nil {
				return err
			}
			if v != nil {
				if err := f.SetCellValue(sheet, cellName(i+1, 2), v); err != nil {
					return err
				}
			}
		}
	}
	return f.SetSheetVisible(optionsSheet, false)
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// truncate keeps at most n characters: Excel limits an input prompt to 255.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
