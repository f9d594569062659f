package workflows_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（一）/（二）: a level-1 order on 2026-01-31 is due 2026-02-28 (no
// 31st; that Saturday is an adjusted working day, so it does not move); left
// unconfirmed it climbs to level 2 with an interview due 10 working days later.
func TestLevel1LapsesToInterview(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-01-31", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "擅自改变标识"}, ok(t, "finding"))
	h.check("2026-02-02", func(st workflows.BrandState) {
		if st.Status != "rectifying" || st.Rectification == nil || st.Rectification.Level != 1 {
			t.Fatalf("after the order: %+v", st)
		}
		if got := dueOf(st, "rectification"); got != "2026-02-28" {
			t.Errorf("rectification due %s, want 2026-02-28", got)
		}
	})
	h.check("2026-03-02", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || st.Pending == nil || st.Pending.Kind != "interview" {
			t.Fatalf("after the month lapsed: %+v", st)
		}
		if got := st.Pending.Due.String(); got != "2026-03-13" {
			t.Errorf("interview due %s, want 2026-03-13", got)
		}
	})
	h.runUntil("2026-03-20")
}

func dueOf(st workflows.BrandState, key string) string {
	for _, d := range st.Deadlines.Items {
		if d.Key == key {
			return d.Value().Due.String()
		}
	}
	return ""
}
