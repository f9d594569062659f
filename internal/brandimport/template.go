package brandimport

import (
	"io"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// templateRows is how many rows the template's drop-downs and date checks
// cover: every data row an upload may have.
const templateRows = MaxRows

// The template's example row names its brand and holder with these; Parse
// refuses a row with either. The USCC is RULES §2's example of GB 32100, a
// Fuzhou code (3501) that no Kunming holder has.
const (
	exampleName = "安宁玫瑰（示例，请删除）"
	exampleUSCC = "91350100M000100Y43"
)

// Zone is a functional zone the administrators added beside the 14
// counties (RULES §1); its brands are imported under it.
type Zone struct{ Code, Name string }

// Template writes the workbook to fill in: the columns with their notes,
// drop-downs (the counties' and zones') and date checks, and one example
// row to overwrite.
func Template(out io.Writer, zones []Zone) error {
	example := []any{exampleName, "安宁市玫瑰产业协会", exampleUSCC, form.Regional.Label(),
		form.CategoryPlantingBreeding.Label(), form.CountyName("530181"), "2024-06-18",
		workflows.BrandStatusLabel(workflows.BrandStatusActive), nil, nil, nil, nil, nil, nil, nil, nil}
	return spreadsheet.Template(out, SheetName, Fields(zones...), templateRows, example)
}

// WriteSheet writes rows as a filled-in sheet, as a bureau would upload it
// (the measuring tools and the tests build their uploads with it).
func WriteSheet(out io.Writer, rows []Row) error {
	fields := Fields()
	cols := make([]spreadsheet.Column, len(fields))
	for i, f := range fields {
		cols[i] = f.Column
	}
	w, err := spreadsheet.New(SheetName, cols)
	if err != nil {
		return err
	}
	for _, r := range rows {
		vals := make([]any, len(cols))
		vals[0], vals[1], vals[2] = r.Name, r.UnitName, r.USCC
		vals[3], vals[4], vals[5] = form.BrandType(r.BrandType).Label(), form.Category(r.Category).Label(), form.CountyName(r.CountyCode)
		vals[6], vals[7] = date(r.AdmittedOn), workflows.BrandStatusLabel(workflows.BrandStatusActive)
		if rc := r.Rectification; rc != nil {
			vals[7], vals[8] = workflows.BrandStatusLabel(workflows.BrandStatusRectifying), levelLabels[rc.Level-1]
			vals[9], vals[10], vals[11] = workflows.FindingReasonLabel(rc.Reason), date(rc.OrderedOn), date(rc.Due)
		}
		if s := r.Suspension; s != nil {
			vals[7], vals[12], vals[13], vals[14] = workflows.BrandStatusLabel(workflows.BrandStatusSuspended),
				date(s.StartedOn), date(s.Until), max(r.SuspensionCount, 1)
		}
		vals[15] = date(r.LastEvaluation)
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	_, err = w.WriteTo(out)
	return err
}

// date is a date column's value: "" for none.
func date(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}
