package console

import (
	"slices"
	"strings"
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
		{"RULES §4: a county's removal report while a removal waits joins it with the reasons it adds", auth.CountyOfficer,
			store.BrandView{OpenMatters: matters(workflows.PendingRemoval)}, "removal-report", ""},
		{"第十五条（三）: a suspended brand with no suspension proposal takes no finding", auth.CountyOfficer,
			store.BrandView{Status: workflows.BrandStatusSuspended, OpenMatters: matters(workflows.PendingSuspensionRenewal)}, "removal-report", "finding"},
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

// 第十五条（一） and RULES §4: the holder files the window's development
// report while its days run and, once they ran out, while the order they
// gave runs — the report filed late closes it, and nothing else does; and
// files a change while fewer than MaxOpenChanges are under review. The
// ladder names a brand with only a missed report's order as rectifying.
func TestTheHolderIsOfferedTheLateReportAndAnotherChange(t *testing.T) {
	late := "FD-B1-late-2026-04-14"
	other := "F2"
	lateFinding := store.FindingView{ID: late, Reason: "late_information", Level: 1, OrderedOn: "2026-04-15"}
	changes := func(statuses ...string) []store.ChangeView {
		var out []store.ChangeView
		for _, s := range statuses {
			out = append(out, store.ChangeView{Status: s})
		}
		return out
	}
	for _, tc := range []struct {
		rule   string
		brand  store.BrandView
		want   []string
		ladder string
	}{
		{"the report's days running", store.BrandView{ID: "B1", OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingEvaluationReport}}},
			[]string{"evaluation", "change"}, "正常"},
		{"the missed report's order beside the brand's own", store.BrandView{ID: "B1",
			Rectification: &store.RectificationView{Level: 1, Reason: "logo_misuse", OrderedOn: "2026-03-01"},
			OpenMatters:   []store.OpenMatterView{{Kind: workflows.MatterRectification}, {Kind: workflows.MatterRectification, ID: &late}}},
			[]string{"evaluation", "change"}, "一级：限期整改（第十五条（一））"},
		{"the missed report's order alone, the brand's own confirmed", store.BrandView{ID: "B1", Status: workflows.BrandStatusRectifying,
			OpenMatters: []store.OpenMatterView{{Kind: workflows.MatterRectification, ID: &late}}},
			[]string{"evaluation", "change"}, "一级：限期整改（第十五条（一））"},
		{"the missed report's order as the brand's only order", store.BrandView{ID: "B1",
			Rectification: &store.RectificationView{Level: 1, Reason: "late_information", OrderedOn: "2026-04-15"},
			OpenMatters:   []store.OpenMatterView{{Kind: workflows.MatterRectification}}, Findings: []store.FindingView{lateFinding}},
			[]string{"evaluation", "change"}, "一级：限期整改（第十五条（一））"},
		{"an officer's order of its own, no report owed", store.BrandView{ID: "B1",
			OpenMatters: []store.OpenMatterView{{Kind: workflows.MatterRectification, ID: &other}}},
			[]string{"change"}, "一级：限期整改（第十五条（一））"},
		{"an officer's late_information finding, no report owed", store.BrandView{ID: "B1",
			Rectification: &store.RectificationView{Level: 1, Reason: "late_information", OrderedOn: "2026-04-15"},
			OpenMatters:   []store.OpenMatterView{{Kind: workflows.MatterRectification}},
			Findings:      []store.FindingView{{ID: "F9", Reason: "late_information", Level: 1, OrderedOn: "2026-04-15"}}},
			[]string{"change"}, "一级：限期整改（第十五条（一））"},
		{"two changes under review", store.BrandView{ID: "B1", Changes: changes("county", "city", "approved")},
			[]string{"change"}, "正常"},
		{"three changes under review", store.BrandView{ID: "B1", Changes: changes("county", "city", "county")},
			nil, "正常"},
	} {
		var slugs []string
		for _, o := range holderOffers(tc.brand) {
			slugs = append(slugs, o.slug)
		}
		if !slices.Equal(slugs, tc.want) {
			t.Errorf("%s: the holder is offered %v, want %v", tc.rule, slugs, tc.want)
		}
		if got := ladderLevel(tc.brand); got != tc.ladder {
			t.Errorf("%s: ladder %q, want %q", tc.rule, got, tc.ladder)
		}
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

// RULES §4 (what a finding may order beside what runs): the finding form
// offers the reasons the process takes on the brand as it stands — none of
// level 1 while an order runs, none of level 2 at level 2, 整改措施不力 only
// once the interview is recorded, 一级整改不到位 only while a level-1 order
// runs, a level-3 one on a suspended brand only beside a suspension
// proposal (its reason joins it), never one that proposal names already —
// not one refused after the officer has written the description.
func TestTheFindingFormOffersTheReasonsTheProcessTakes(t *testing.T) {
	today := calendar.NewDate(2026, time.December, 9)
	own := "F9"
	level := func(l int) *store.RectificationView { return &store.RectificationView{Level: l} }
	for _, tc := range []struct {
		rule  string
		brand store.BrandView
		want  []string
		not   []string
	}{
		{"in good standing", store.BrandView{Status: workflows.BrandStatusActive},
			[]string{"logo_misuse", "major_info_not_reported", "serious_dishonesty_list"},
			[]string{workflows.RectificationInadequate, workflows.MeasuresInadequate}},
		{"a level-1 order runs", store.BrandView{Status: workflows.BrandStatusRectifying, Rectification: level(1)},
			[]string{workflows.RectificationInadequate, "major_info_not_reported", "serious_dishonesty_list"},
			[]string{"logo_misuse", workflows.MeasuresInadequate}},
		{"level 2, the interview still to hold", store.BrandView{Status: workflows.BrandStatusRectifying, Rectification: level(2),
			OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingInterview}}},
			[]string{"serious_dishonesty_list"}, []string{"logo_misuse", "major_info_not_reported", workflows.MeasuresInadequate}},
		{"level 2, interviewed", store.BrandView{Status: workflows.BrandStatusRectifying, Rectification: level(2)},
			[]string{workflows.MeasuresInadequate, "serious_dishonesty_list"}, []string{"major_info_not_reported"}},
		{"only an order of its own runs (a missed report's, the suspension over)", store.BrandView{Status: workflows.BrandStatusRectifying,
			OpenMatters: []store.OpenMatterView{{Kind: workflows.MatterRectification, ID: &own}}},
			[]string{workflows.RectificationInadequate, "logo_misuse"}, nil},
		{"an order of its own beside a level 2: 一级整改不到位 would order a second level 2", store.BrandView{Status: workflows.BrandStatusRectifying,
			Rectification: level(2), OpenMatters: []store.OpenMatterView{{Kind: workflows.MatterRectification, ID: &own}}},
			nil, []string{workflows.RectificationInadequate}},
		{"suspended, a suspension proposal waiting", store.BrandView{Status: workflows.BrandStatusSuspended,
			OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingSuspension}}},
			[]string{"serious_dishonesty_list"}, []string{"logo_misuse", "major_info_not_reported"}},
		{"level 2, interviewed, a suspension proposed for 整改措施不力: the same proposal again is not offered, another reason is",
			store.BrandView{Status: workflows.BrandStatusRectifying, Rectification: level(2),
				OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingSuspension, Reasons: []string{workflows.MeasuresInadequate}}}},
			[]string{"serious_dishonesty_list"}, []string{workflows.MeasuresInadequate}},
		{"suspended, a suspension proposal waiting that names 严重失信 already", store.BrandView{Status: workflows.BrandStatusSuspended,
			OpenMatters: []store.OpenMatterView{{Kind: workflows.PendingSuspension, Reasons: []string{"serious_dishonesty_list"}}}},
			nil, []string{"serious_dishonesty_list"}},
	} {
		var reasons []string
		for _, o := range offers(auth.CountyOfficer, tc.brand, today) {
			if o.slug == "finding" {
				reasons = o.reasons
			}
		}
		for _, r := range tc.want {
			if !slices.Contains(reasons, r) {
				t.Errorf("%s: offered %v, want %s", tc.rule, reasons, r)
			}
		}
		for _, r := range tc.not {
			if slices.Contains(reasons, r) {
				t.Errorf("%s: offered %v, not %s", tc.rule, reasons, r)
			}
		}
	}
}

// RULES §4 open matters (a proposal to the city shows what it rests on), in
// Chinese: officers' findings, reported situations (附件3), and the reasons
// the process proposes on by itself — an interview's three months run out,
// a third suspension — never as codes.
func TestAProposalsReasonsAreNamedInChinese(t *testing.T) {
	for _, tc := range []struct {
		matter store.OpenMatterView
		want   []string
	}{
		{store.OpenMatterView{Kind: workflows.PendingSuspension, Reasons: []string{workflows.ReasonLevel2Lapsed, "serious_dishonesty_list"}},
			[]string{"约谈整改期满仍未整改到位", "严重违法失信"}},
		{store.OpenMatterView{Kind: workflows.PendingRemoval, Reasons: []string{workflows.ReasonSuspendedThreeTimes, "fraud"}},
			[]string{"被暂停使用劳务品牌标识三次以上", "以欺骗或其他不正当手段"}},
	} {
		got := proposalReasons(tc.matter)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %s", tc.matter.Kind, got, w)
			}
		}
		if strings.ContainsAny(got, "abcdefghijklmnopqrstuvwxyz_") {
			t.Errorf("%s: %q shows a code", tc.matter.Kind, got)
		}
	}
}
