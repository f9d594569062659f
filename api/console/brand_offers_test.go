package console

import (
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The brand page offers an officer the forms its process would take today,
// not one it refuses after the officer has filled it in and confirmed.
func TestBrandPageOffersOnlyWhatTheProcessTakesToday(t *testing.T) {
	due := "2027-03-12"
	today := calendar.NewDate(2026, time.December, 9)
	matters := func(kinds ...string) []store.OpenMatterView {
		var out []store.OpenMatterView
		for _, k := range kinds {
			out = append(out, store.OpenMatterView{Kind: k})
		}
		return out
	}
	window := func(day string) []store.DeadlineView {
		return []store.DeadlineView{{Kind: workflows.DeadlineRenewalWindow, Due: day}}
	}
	for _, tc := range []struct {
		rule      string
		role      auth.Role
		brand     store.BrandView
		want, not string
	}{
		{"第十五条（二）: a level-2 order before its interview has no period to confirm in", auth.CountyOfficer,
			store.BrandView{Rectification: &store.RectificationView{Level: 2}, OpenMatters: matters(workflows.PendingInterview)},
			"interview", "rectification-confirm"},
		{"第十五条（一）: an order within its period is confirmed", auth.CountyOfficer,
			store.BrandView{Rectification: &store.RectificationView{Level: 1, Due: &due}}, "rectification-confirm", ""},
		{"第十五条（四）: one removal proposal at a time", auth.CountyOfficer,
			store.BrandView{OpenMatters: matters(workflows.PendingRemoval)}, "finding", "removal-report"},
		{"第十五条（四）: a removal is proposed when none awaits the city", auth.CountyOfficer,
			store.BrandView{}, "removal-report", ""},
		{"RULES §4: a renewal before its window's first day is refused", auth.CityOfficer,
			store.BrandView{OpenMatters: matters(workflows.PendingSuspensionRenewal), Deadlines: window("2026-12-10")},
			"finding", "suspension-decision"},
		{"RULES §4: a renewal on its window's first day", auth.CityOfficer,
			store.BrandView{OpenMatters: matters(workflows.PendingSuspensionRenewal), Deadlines: window("2026-12-09")},
			"suspension-decision", ""},
		{"RULES §4: a suspension decision on a lapsed order has no window", auth.CityOfficer,
			store.BrandView{OpenMatters: matters(workflows.PendingSuspension), Deadlines: window("2026-12-10")},
			"suspension-decision", ""},
	} {
		var slugs []string
		for _, o := range offers(tc.role, tc.brand, today) {
			slugs = append(slugs, o.slug)
		}
		if !slices.Contains(slugs, tc.want) || tc.not != "" && slices.Contains(slugs, tc.not) {
			t.Errorf("%s: offered %v, want %q and not %q", tc.rule, slugs, tc.want, tc.not)
		}
	}
}

// RULES §4 open matters: an order of its own beside the brand's (kept when
// a missed report's order lapsed beside it) is confirmed by its finding,
// even while the brand's level 2 waits for its interview; an order for a
// missed report is not offered — the report closes it.
func TestAnOrderOfItsOwnIsOfferedForConfirmationByItsFinding(t *testing.T) {
	today := calendar.NewDate(2026, time.May, 18)
	plaque, report := "F2", "FD-B1-late-2026-04-14"
	b := store.BrandView{ID: "B1", Rectification: &store.RectificationView{Level: 2},
		OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingInterview}, {Kind: workflows.MatterRectification, ID: &plaque},
			{Kind: workflows.MatterRectification, ID: &report}},
		Findings: []store.FindingView{{ID: "F2", Reason: "unauthorized_plaque", Level: 1}}}
	var confirms []offer
	for _, o := range offers(auth.CountyOfficer, b, today) {
		if o.slug == "rectification-confirm" {
			confirms = append(confirms, o)
		}
	}
	if len(confirms) != 1 || confirms[0].target != "F2" || confirms[0].label != "另立的整改 F2（擅自制作、变造劳务品牌牌匾）" {
		t.Errorf("confirmations offered %+v, want the plaque order's alone, by its finding", confirms)
	}
	f := &actionForm{brandAction: actionBySlug("rectification-confirm"), Target: "F2"}
	if body := f.body(f).(map[string]any); body["finding_id"] != "F2" {
		t.Errorf("the confirmation sends %v, want finding_id F2", body)
	}
}

// 附件2: a change request with nothing to change is refused on "changes",
// which no field of the form is; the refusal is said, not lost.
func TestAFieldErrorTheFormHasNoFieldForIsSaid(t *testing.T) {
	got := unplacedErrors(changeAction, map[string]string{"changes": "必填：至少一项变更内容", "reason": "必填"})
	if got != "：必填：至少一项变更内容" {
		t.Errorf("unplaced errors %q, want the changes' refusal alone (reason is a field of the form)", got)
	}
}
