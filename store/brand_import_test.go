package store_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Issue 14 (Excel in): an import's answer counts a brand as recorded only
// once its process's first step is — the admission, written with the
// standing the sheet gives. The brand's row comes a step earlier and reads
// as active with nothing open, so a brand under an order is not yet where
// the sheet puts it.
func TestAnImportedBrandHasBegunWithItsAdmission(t *testing.T) {
	st := testenv.Store(t)
	admitted, _ := calendar.ParseDate("2024-03-01")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	if err := st.ImportBrand(ctx, records.BrandImport{BrandID: "B-IMPORTED", Name: "导入品牌", UnitName: "导入品牌协会",
		USCC: "51530102MJ0000002X", BrandType: "regional", Category: "manufacturing", CountyCode: "530102",
		AdmittedOn: admitted, At: at}); err != nil {
		t.Fatal(err)
	}
	ids := []string{"B-IMPORTED", "B-ELSEWHERE"}
	if on, err := st.BrandsOnRecord(ctx, ids); err != nil || !on["B-IMPORTED"] || len(on) != 1 {
		t.Fatalf("on record: %v, %v", on, err)
	}
	if begun, err := st.BrandsBegun(ctx, ids); err != nil || len(begun) != 0 {
		t.Fatalf("begun before its admission is recorded: %v, %v", begun, err)
	}
	step := records.BrandStep{BrandID: "B-IMPORTED", Key: "B-IMPORTED/admitted", At: at, Actor: "system", Role: "system",
		Action: "admitted", Note: "导入", Standing: records.BrandStanding{Status: "rectifying"}}
	if err := st.RecordBrandStep(ctx, step); err != nil {
		t.Fatal(err)
	}
	if begun, err := st.BrandsBegun(ctx, ids); err != nil || !begun["B-IMPORTED"] || len(begun) != 1 {
		t.Errorf("begun after its admission: %v, %v", begun, err)
	}
}
