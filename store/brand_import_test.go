package store_test

import (
	"strings"
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

// Issue 14 item 4 (an import's progress): a dry run of a sheet whose import
// is running leaves that import's progress in place — replaced, the
// running import's writes (its done included) would match no row and its
// clerk's bar stick at the start; a finished import, or one silent for a
// minute (its replica gone), is replaced by the next run as before.
func TestADryRunDoesNotHideTheImportOfItsSheetRunning(t *testing.T) {
	st := testenv.Store(t)
	began := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s1, s2 := strings.Repeat("1", 64), strings.Repeat("2", 64) // sheets by their SHA-256
	real := store.ImportProgress{Sheet: s1, Actor: "city", Rows: 1000, BeganAt: began, UpdatedAt: began}
	if err := st.BeginImport(ctx, real); err != nil {
		t.Fatal(err)
	}
	dry := store.ImportProgress{Sheet: s1, DryRun: true, Actor: "other", Rows: 1000, BeganAt: began.Add(10 * time.Second)}
	if err := st.BeginImport(ctx, dry); err != nil {
		t.Fatal(err)
	}
	real.Started, real.UpdatedAt = 300, began.Add(20*time.Second)
	if err := st.UpdateImport(ctx, real); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.ImportProgressOf(ctx, s1); p.DryRun || p.Started != 300 || !p.BeganAt.Equal(began) {
		t.Errorf("after a dry run during the import: dry run %v, started %d, began %v; want the import's own, 300 started", p.DryRun, p.Started, p.BeganAt)
	}
	real.Done, real.UpdatedAt = true, began.Add(40*time.Second)
	if err := st.UpdateImport(ctx, real); err != nil {
		t.Fatal(err)
	}
	dry.BeganAt = began.Add(50 * time.Second)
	if err := st.BeginImport(ctx, dry); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.ImportProgressOf(ctx, s1); !p.DryRun {
		t.Error("a dry run after the import finished did not replace its progress")
	}
	// An import whose replica died mid-way: silent for over a minute.
	dead := store.ImportProgress{Sheet: s2, Actor: "city", Rows: 10, BeganAt: began, UpdatedAt: began}
	if err := st.BeginImport(ctx, dead); err != nil {
		t.Fatal(err)
	}
	if err := st.BeginImport(ctx, store.ImportProgress{Sheet: s2, DryRun: true, Rows: 10, BeganAt: began.Add(2 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.ImportProgressOf(ctx, s2); !p.DryRun {
		t.Error("a dry run after an import silent for two minutes did not replace its progress")
	}
}
