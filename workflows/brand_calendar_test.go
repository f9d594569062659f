package workflows_test

import (
	"context"
	"strings"
	"testing"

	"go.temporal.io/sdk/activity"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §5 (years without an official notice), with 第十五条（一）: a level-1
// order on Tue 2026-12-15 is due Fri 2027-01-15, a day computed from the
// statutory holidays alone (2027 has no notice yet), so provisional. The 2027
// schedule is then loaded with 01-15 as a day off; told by the
// calendar-changed signal, the process re-arms the deadline on the next
// working day, Mon 2027-01-18, records the change, and the level climbs at
// 24:00 of that day, not of the provisional one.
//
// The fan-out that tells the process computed the new schedule already, to
// find the processes it moves; the signal carries it, and the process
// re-arms with it instead of computing it again (version 2 of
// recompute-only-newer-calendar): the same day, the same reminders, and no
// computation between the signal and the re-arm. Told only the version, the
// process computes it itself.
func TestDecision_YearsWithoutNotice_CalendarChangeRearmsProvisionalRectification(t *testing.T) {
	t.Run("told the version", func(t *testing.T) { rearmProvisionalRectification(t, false) })
	t.Run("told the schedule", func(t *testing.T) { rearmProvisionalRectification(t, true) })
}

func rearmProvisionalRectification(t *testing.T, carry bool) {
	h := newBrandHarness(t, "2025-06-10")
	computed := 0
	h.onActivity = func(info *activity.Info, _ func(ptrs ...any) error) {
		if info.ActivityType.Name == workflows.ActivityComputeDeadline {
			computed++
		}
	}
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
		v, _, err := h.store.SaveCalendarYear(context.Background(), sch, at("2026-12-21", 10), "admin", "admin")
		if err != nil {
			t.Fatal(err)
		}
		version = v
		sig := records.CalendarChanged{Version: v}
		if carry { // as the fan-out does, for every running deadline
			cal, err := (&store.Calendars{Store: h.store}).Current(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range h.state().Deadlines.Items {
				s, err := deadline.Compute(cal, d.Rule)
				if err != nil {
					t.Fatal(err)
				}
				sig.Computed = append(sig.Computed, records.ComputedDeadline{Key: d.Key, Rule: d.Rule, Schedule: s})
			}
		}
		computed = 0
		h.signal(workflows.SignalCalendarChanged, sig)
	})
	h.check("2026-12-21", func(st workflows.BrandState) {
		if want := map[bool]int{false: 2, true: 0}[carry]; computed != want { // the rectification and the evaluation window
			t.Errorf("deadlines computed by the process to re-arm: %d, want %d", computed, want)
		}
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
		if st.Rectification == nil || st.Rectification.Level != 2 || pendingOf(st) != "interview 2027-02-02" {
			t.Errorf("after the re-armed month: %+v %q, want level 2, interview due 2027-02-02 (ten working days from 01-19, the day it escalates on)", st.Rectification, pendingOf(st))
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
