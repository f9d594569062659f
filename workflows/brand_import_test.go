package workflows_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §4, Decision — brands admitted before the system: an imported brand
// under a level-1 order keeps the order's own due day and climbs the ladder
// from it like any brand — at 24:00 of Mon 2026-12-21 the order lapses to
// level 2, the county's interview due 10 working days later (元旦 2027-01-01
// off: 2027-01-05); its next evaluation is the anniversary the import gave.
func TestDecision_Import_ImportedOrderLapsesAtItsOwnDueDay(t *testing.T) {
	in := workflows.BrandInput{BrandID: "BI-LAPSE", Name: "安宁温泉康养", BrandType: "enterprise", Category: "resident_services",
		CountyCode: "530181", UnitName: "安宁温泉酒店管理有限公司", USCC: testUSCC, AdmittedOn: date("2024-03-01"),
		Policy: workflows.DefaultBrandPolicy, Imported: true,
		Standing: &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: date("2026-11-20"), Due: date("2026-12-21")}}}
	h := &brandHarness{t: t, store: testenv.Store(t), in: in, start: at("2026-11-30", 9)}
	h.check("2026-11-30", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 1 || !r.WindowOpen || r.OrderedOn.String() != "2026-11-20" {
			t.Errorf("on import: %s %+v", st.Status, r)
		}
		if d := dueOf(st, "rectification"); d != "2026-12-21" {
			t.Errorf("rectification due %s, want the sheet's 2026-12-21", d)
		}
		if st.NextEvaluation.String() != "2028-03-01" {
			t.Errorf("next evaluation %s, want 2028-03-01", st.NextEvaluation)
		}
	})
	h.check("2026-12-22", func(st workflows.BrandState) {
		if r := st.Rectification; st.Status != "rectifying" || r == nil || r.Level != 2 || r.WindowOpen {
			t.Errorf("after the lapse: %s %+v", st.Status, r)
		}
		if got := pendingOf(st); got != "interview 2027-01-05" {
			t.Errorf("pending %q, want interview 2027-01-05", got)
		}
	})
	h.run("2026-12-23")
	v, err := h.store.GetBrandView(t.Context(), in.BrandID, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != "rectifying" || v.AdmittedOn != "2024-03-01" {
		t.Errorf("record: %+v", v)
	}
}
