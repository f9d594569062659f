package api

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
)

// RULES §3 (no control characters in what the system keeps): a cell the
// import reads is refused for a line break, as any text is; a bureau's own
// column the import never reads (备注, a line typed with Alt+Enter) refuses
// nothing — it was refusing the whole row.
func TestOnlyTheColumnsTheImportReadsAreCheckedForControlCharacters(t *testing.T) {
	sheet := spreadsheet.Sheet{Header: []string{brandimport.ColName, brandimport.ColUnit, "备注"},
		Rows: []spreadsheet.Row{
			{Number: 2, Cells: []string{"安宁玫瑰", "安宁市玫瑰产业协会", "第一行\n第二行"}},
			{Number: 3, Cells: []string{"宜良\n花卉", "宜良协会", ""}},
		}}
	problems := uncleanCells(sheet)
	if len(problems) != 1 || problems[0].Row != 3 || problems[0].Column != brandimport.ColName {
		t.Errorf("problems %+v, want only row 3's 品牌名称", problems)
	}
}
