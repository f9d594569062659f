package store_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 14 (Excel in): an import's answer counts a brand as recorded only
// once its process's first step is — the admission, written with the
// standing the sheet gives. The brand's row comes a step earlier and reads
// as active with nothing open, so a brand under an order is not yet where
// the sheet puts it.
func TestAnImportedBrandHasBegunWithItsAdmission(t *testing.T) {
	st := testenv.Store(t)
	at := importBrand(t, st, "B-IMPORTED", "导入品牌", "51530102MJ0000002X")
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

// importBrand imports a brand of 五华 admitted on 2024-03-01, as the sheet
// of 附件1 would, and returns the instant it was imported at.
func importBrand(t *testing.T, st *store.Store, id, name, uscc string) time.Time {
	t.Helper()
	admitted, _ := calendar.ParseDate("2024-03-01")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	if err := st.ImportBrand(ctx, records.BrandImport{BrandID: id, Name: name, UnitName: name + "协会",
		USCC: uscc, BrandType: "regional", Category: "manufacturing", CountyCode: "530102",
		AdmittedOn: admitted, At: at}); err != nil {
		t.Fatal(err)
	}
	return at
}
