package workflows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §5 (years without an official notice), with 第十五条（一）: a level-1
// order on Tue 2026-12-15 is due Fri 2027-01-15, a day computed from the
// statutory holidays alone (2027 has no notice yet), so provisional. The 2027
// schedule is then loaded with 01-15 as a day off; told by the
// calendar-changed signal, the process re-arms the deadline on the next
// working day, Mon 2027-01-18, records the change, and the level climbs at
// 24:00 of that day, not of the provisional one.
func TestDecision_YearsWithoutNotice_CalendarChangeRearmsProvisionalRectification(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.update("2026-12-15", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}, ok(t, "finding"))
	h.check("2026-12-15", func(st workflows.BrandState) {
		d := deadlineOf(st, "rectification")
		if d == nil || d.Value().Due.String() != "2027-01-15" || !d.Value().Provisional || d.Value().CalendarVersion != 0 {
			t.Errorf("before the load: %+v, want 2027-01-15 provisional on version 0", d)
		}
	})
	version := 0
	h.later(at("2026-12-21", 10), func() {
		sch := calendar.Schedule{Year: 2027, Notice: "测试用：2027年元旦 01-01 至 01-03 放假，01-15 放假",
			Off: []calendar.Date{date("2027-01-01"), date("2027-01-02"), date("2027-01-03"), date("2027-01-15")}}
		v, err := h.store.SaveCalendarYear(context.Background(), sch, at("2026-12-21", 10), "admin", "admin")
		if err != nil {
			t.Fatal(err)
		}
		version = v
		h.signal(workflows.SignalCalendarChanged, records.CalendarChanged{Version: v})
	})
	h.check("2026-12-21", func(st workflows.BrandState) {
		d := deadlineOf(st, "rectification")
		if d == nil || d.Value().Due.String() != "2027-01-18" || !d.Value().DueAt.Equal(at("2027-01-19", 0)) || d.Value().Provisional || d.Value().CalendarVersion != version {
			t.Errorf("after the load: %+v, want 2027-01-18 official on version %d", d, version)
		}
		var row calendar.Deadline
		for _, x := range h.row().Deadlines {
			if x.Kind == "rectification" {
				row = x
			}
		}
		if row.Due.String() != "2027-01-18" || row.Provisional {
			t.Errorf("brand row rectification deadline %+v", row)
		}
		e, found := findEvent(h.events(), "deadlines.recomputed")
		if !found || e.String() != "2026-12-21 10:00 system deadlines.recomputed" || !strings.Contains(e.Note, "rectification → 2027-01-18") {
			t.Errorf("recomputation event %+v (found %v)", e, found)
		}
	})
	h.check("2027-01-18", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 1 {
			t.Errorf("on the re-armed last day: %+v, want still level 1", st.Rectification)
		}
	})
	h.check("2027-01-19", func(st workflows.BrandState) {
		if st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2027-02-01" {
			t.Errorf("after the re-armed month: %+v %q, want level 2, interview due 2027-02-01", st.Rectification, pendingOf(st))
		}
	})
	h.run("2027-01-20")

	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-12-15 10:00 county_officer finding.level1",
		"2026-12-21 10:00 system deadlines.recomputed",
		"2027-01-19 00:00 system rectification.lapsed",
	})
	// Reminders 3, 1 and 0 working days before the new due day; none for
	// the provisional one had been sent yet.
	equal(t, "rectification reminders", h.alerts("rectification"), []string{
		"reminder applicant 2027-01-12 09:00 due 2027-01-18",
		"reminder county_officer 2027-01-12 09:00 due 2027-01-18",
		"reminder applicant 2027-01-14 09:00 due 2027-01-18",
		"reminder county_officer 2027-01-14 09:00 due 2027-01-18",
		"reminder applicant 2027-01-18 09:00 due 2027-01-18",
		"reminder county_officer 2027-01-18 09:00 due 2027-01-18",
	})
}
