package activities_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §3 (one brand per holder, one name one brand) against a brand
// import whose process writes late: the library's lock goes back after a
// while, and a holder that applied meanwhile (here 安宁玫瑰's, application
// A0001) is not given an imported brand beside its application — the
// process's write checks the library again and refuses for good, writing
// nothing; a brand with no conflict is written, and its write retried once
// on record writes nothing more and is not refused by its own record.
func TestDecision_Import_AProcessWritingLateChecksTheLibraryAgain(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	now := submitted(t, st) // A0001 open under 51530181MJ0000001U
	a := &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}
	admitted, _ := calendar.ParseDate("2024-03-01")
	brand := func(id, name, uscc string) records.BrandImport {
		return records.BrandImport{BrandID: id, Name: name, UnitName: name + "协会", USCC: uscc, BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530181", AdmittedOn: admitted, At: now}
	}
	err := a.ImportBrand(ctx, brand("B-LATE", "安宁温泉", "51530181MJ0000001U"))
	var refused *temporal.ApplicationError
	if !errors.As(err, &refused) || refused.Type() != workflows.RefusedError || !refused.NonRetryable() ||
		!strings.Contains(err.Error(), "该单位有正在办理的申请（A0001）") {
		t.Errorf("an import under the code of an open application: %v, want a final refusal naming A0001", err)
	}
	if on, _ := st.BrandsOnRecord(ctx, []string{"B-LATE"}); on["B-LATE"] {
		t.Error("the refused brand was written")
	}
	ok := brand("B-OK", "安宁螳螂拳", "51530181MJ0000002U")
	for range 2 {
		if err := a.ImportBrand(ctx, ok); err != nil {
			t.Fatalf("an import with no conflict (or its retry): %v", err)
		}
	}
	if on, _ := st.BrandsOnRecord(ctx, []string{"B-OK"}); !on["B-OK"] {
		t.Error("the brand with no conflict was not written")
	}
}
