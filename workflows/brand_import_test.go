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
		if got := pendingOf(st); got != "interview 2027-01-06" { // ten working days from 12-22, the day it escalates on
			t.Errorf("pending %q, want interview 2027-01-06", got)
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

// 第十五条 (every two years) and RULES §4, Decision — brands admitted before
// the system: an imported brand's first window is the anniversary the
// import gave, the third of a brand admitted 2021-05-10. It opens the
// 2025-2027 evaluation as the third, and the next window is the fourth
// anniversary, 2029-05-10 — not the second, long past, which opened window
// after window at once, each report already lapsed into an order.
func TestDecision_Import_TheFirstWindowOfAnImportedBrandCountsFromItsAnniversary(t *testing.T) {
	in := workflows.BrandInput{BrandID: "BI-EVAL", Name: "宜良花卉", BrandType: "regional", Category: "planting_breeding",
		CountyCode: "530181", UnitName: "宜良县花卉协会", USCC: testUSCC, AdmittedOn: date("2021-05-10"),
		Policy: workflows.DefaultBrandPolicy, Imported: true,
		Standing: &workflows.ImportedStanding{NextEvaluation: date("2027-05-10")}}
	h := &brandHarness{t: t, store: testenv.Store(t), in: in, start: at("2026-12-10", 9)}
	h.check("2027-05-11", func(st workflows.BrandState) {
		e := st.Evaluation
		if e == nil || e.Period != "2025-2027" || e.OpensOn.String() != "2027-05-10" || st.Cycle != 3 {
			t.Errorf("the window of 2027-05-10: evaluation %+v, cycle %d; want 2025-2027 opened 2027-05-10, the third", e, st.Cycle)
		}
		if st.NextEvaluation.String() != "2029-05-10" {
			t.Errorf("next evaluation %s, want the fourth anniversary 2029-05-10", st.NextEvaluation)
		}
		if st.Status != "active" || st.Rectification != nil {
			t.Errorf("a brand in good standing is %s with %+v after its first window", st.Status, st.Rectification)
		}
		if d := dueOf(st, "evaluation_report"); d != "2027-06-07" {
			t.Errorf("report due %s, want 20 working days after 2027-05-10: 2027-06-07", d)
		}
	})
	h.run("2027-05-12")
}

// RULES §4 (the renewal window) and Decision — brands admitted before the
// system: an imported suspension's renewal is decided within its window,
// due the day before its last day, as a suspension decided here — not due
// on the window's first day and open to a decision from the import on.
func TestDecision_Import_AnImportedSuspensionIsRenewedWithinItsWindow(t *testing.T) {
	in := workflows.BrandInput{BrandID: "BI-SUSP", Name: "晋宁花农", BrandType: "regional", Category: "planting_breeding",
		CountyCode: "530181", UnitName: "晋宁区花卉协会", USCC: testUSCC, AdmittedOn: date("2024-03-01"),
		Policy: workflows.DefaultBrandPolicy, Imported: true,
		Standing: &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"), SuspensionCount: 1,
			Suspension: &workflows.Suspension{StartedOn: date("2026-02-06"), Until: date("2027-02-05")}}}
	h := &brandHarness{t: t, store: testenv.Store(t), in: in, start: at("2026-12-10", 9)}
	h.check("2026-12-10", func(st workflows.BrandState) {
		if got := pendingOf(st); st.Status != "suspended" || got != "suspension_renewal 2027-02-04" || st.Suspension.RenewalOpensOn.String() != "2027-01-08" {
			t.Errorf("on import: %s, pending %q from %s; want suspended, suspension_renewal 2027-02-04 from 2027-01-08",
				st.Status, got, st.Suspension.RenewalOpensOn)
		}
	})
	h.renewalRefusedBeforeItsWindow("2026-12-11", "2027-01-08")
	h.update("2027-01-11", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "仍在失信名单"}, ok(t, "renew"))
	h.check("2027-01-11", func(st workflows.BrandState) {
		if st.SuspensionCount != 2 || st.Suspension.Until.String() != "2028-02-05" {
			t.Errorf("after the renewal: count %d %+v, want the second, to 2028-02-05", st.SuspensionCount, st.Suspension)
		}
	})
	h.run("2027-01-12")
}

// 第十五条（四）4, RULES §4: suspensions before the import count toward the
// three, though the brand is in good standing on the day: an imported
// brand suspended twice before is proposed for removal at its next
// suspension (it used to start counting again from one).
func TestDecision_Import_SuspensionsBeforeTheImportCountTowardTheThird(t *testing.T) {
	in := workflows.BrandInput{BrandID: "BI-TWICE", Name: "晋宁花农", BrandType: "regional", Category: "planting_breeding",
		CountyCode: "530181", UnitName: "晋宁区花卉协会", USCC: testUSCC, AdmittedOn: date("2020-03-01"),
		Policy: workflows.DefaultBrandPolicy, Imported: true,
		Standing: &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"), SuspensionCount: 2}}
	h := &brandHarness{t: t, store: testenv.Store(t), in: in, start: at("2026-12-10", 9)}
	h.update("2026-12-14", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list",
		Description: "列入严重违法失信名单"}, ok(t, "level 3"))
	h.update("2026-12-16", workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: cityOfficer(), Suspend: true, Reason: "失信"}, ok(t, "suspension"))
	h.check("2026-12-16", func(st workflows.BrandState) {
		if st.SuspensionCount != 3 || dueOf(st, "removal_decision") == "" {
			t.Errorf("after the suspension: count %d deadlines %v, want the third with the removal proposed", st.SuspensionCount, st.Deadlines.Items)
		}
	})
	h.run("2026-12-17")
}
