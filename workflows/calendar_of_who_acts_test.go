package workflows_test

import (
	"context"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// offDay gives county a local day off (RULES §5: a county's calendar adds
// its minority festivals for itself) before the process starts.
func (h *harness) offDay(county, day string) {
	h.t.Helper()
	if _, err := h.store.AddCountyOffDay(context.Background(), county, date(day), "测试用民族节日", h.start, "admin", "admin"); err != nil {
		h.t.Fatal(err)
	}
}

// RULES §5, decision (a period is counted on the calendar of those who act
// in it): 安宁's local day off, Thu 2026-03-05, is a day its bureau does not
// work — the 初审's 20 working days from Tue 03-03 end Tue 03-31, not Mon
// 03-30 — but the city works it: the 复审's 20 working days from Wed 03-04
// end Tue 03-31, not Wed 04-01, and the 公示 runs on the city's calendar.
// Before, every period of the application was counted on 安宁's calendar.
func TestDecision_CalendarOfWhoActs_TheCitysPeriodsIgnoreTheApplicantCountysDaysOff(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.offDay("530181", "2026-03-05")
	h.later(at("2026-03-02", 12), func() {
		wantDeadlines(t, "初审", h.row().Deadlines, map[string]string{"county_review": "2026-03-31"})
	})
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.later(at("2026-03-03", 12), func() {
		wantDeadlines(t, "复审", h.row().Deadlines, map[string]string{"city_review": "2026-03-31"})
	})
	h.update(at("2026-03-04", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不予入库"}, ok(t, "复审"))
	h.run()
}

// RULES §1 and §5: a functional zone's 初审 is done by the bureau that
// looks after it (西山区 for 高新区 here), and counted on that bureau's
// calendar: 西山区's local day off, Thu 2026-03-05, moves the 初审's end
// from Mon 03-30 to Tue 03-31; 安宁's, which is not the bureau's, moves
// nothing. Before, the zone's own calendar counted it, without its
// bureau's days off.
func TestDecision_CalendarOfWhoActs_AZonesReviewIsCountedOnItsBureausCalendar(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9), func(in *workflows.ApplicationInput, rec *store.NewApplication) {
		in.CountyCode, rec.CountyCode = "530199", "530199"
		in.ReviewerCode, in.ReviewerRevision = "530112", 1
	})
	h.offDay("530112", "2026-03-05")
	h.offDay("530181", "2026-03-06")
	h.later(at("2026-03-02", 12), func() {
		wantDeadlines(t, "初审", h.row().Deadlines, map[string]string{"county_review": "2026-03-31"})
	})
	xishan := workflows.Actor{Sub: "officer-xishan", Role: "county_officer", County: "530112"}
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: xishan, Decision: "reject", Opinion: "不符合条件"}, ok(t, "初审"))
	h.run()
}

// RULES §5, decision (a period is counted on the calendar of those who act
// in it), for a brand: the city's suspension decision proposed on Mon
// 2026-01-05 (a level-3 finding, 第十五条（三）) is due 10 working days
// later, Mon 01-19 — 安宁's local day off, Wed 01-07, is not the city's.
// Before, it was counted on 安宁's calendar and ended Tue 01-20.
func TestDecision_CalendarOfWhoActs_ABrandsCityDecisionIgnoresItsCountysDaysOff(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	if _, err := h.store.AddCountyOffDay(context.Background(), "530181", date("2026-01-07"), "测试用民族节日", at("2025-06-10", 9), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	h.update("2026-01-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county530181(), FindingID: "F1", Reason: "serious_dishonesty_list", Description: "失信"}, ok(t, "level 3"))
	h.check("2026-01-05", func(st workflows.BrandState) {
		if got := pendingOf(st); got != "suspension 2026-01-19" {
			t.Errorf("pending %q, want the suspension decision due 2026-01-19", got)
		}
	})
	h.run("2026-01-06")
}
