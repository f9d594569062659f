package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// 附件3 and RULES §4 (a removal proposed by the county or by the process —
// 4. 暂停三次(含三次)以上 — is one matter): the printed form reads the
// proposal the city has before it or decided on. A third suspension's
// proposal records no event of its own: its reasons are the waiting
// matter's, then the ban's or, declined, the matter's as the step before
// the decision left it — never an earlier report the city declined.
func Test第十五条四_TheRemovalFormReadsTheProcesssOwnProposal(t *testing.T) {
	st := testenv.Store(t)
	at := importBrand(t, st, "B-RM", "移出品牌", "51530102MJ0000004X")
	n := 0
	step := func(action, note string, status string, matter string, ban string) {
		t.Helper()
		n++
		s := records.BrandStep{BrandID: "B-RM", Key: fmt.Sprintf("B-RM/%d", n), At: at.Add(time.Duration(n) * time.Hour),
			Actor: "officer", Role: "city_officer", Action: action, Note: note, Standing: records.BrandStanding{Status: status}}
		if matter != "" {
			day, _ := calendar.ParseDate("2026-12-31")
			s.Standing.OpenMatters = []records.OpenMatter{{Kind: "removal", OpenedOn: day, Due: day, Reason: matter}}
		}
		if ban != "" {
			s.Ban = &records.BanRow{DecidedOn: calendar.DateOf(s.At), Until: calendar.AddYears(calendar.DateOf(s.At), 5), Reason: ban}
		}
		if err := st.RecordBrandStep(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	read := func(what string) store.RemovalRecord {
		t.Helper()
		r, err := st.BrandRemoval(ctx, "B-RM")
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return r
	}

	// The county reports, the city declines.
	step("removal.reported", "serious_violation：严重违法", "active", "serious_violation", "")
	step("removal.declined", "证据不足", "active", "", "")
	if r := read("declined report"); !slices.Equal(r.Reasons, []string{"serious_violation"}) || r.ReportedAt == nil || r.Decision != "不予移出。证据不足" {
		t.Errorf("the declined report: %+v", r)
	}
	// A third suspension proposes removal: the form is the new proposal,
	// undecided, with no county report on it.
	step("suspension.decided", "暂停（第3次）", "suspended", "suspended_three_times", "")
	r := read("third suspension's proposal")
	if !slices.Equal(r.Reasons, []string{"suspended_three_times"}) || r.ReportedAt != nil || r.Description != "" || r.Decided {
		t.Errorf("the third suspension's proposal reads %+v; want 4. alone, undecided, no report", r)
	}
	// The county reports while it waits: one matter, both reasons.
	step("removal.reported", "dissolved_or_inactive：已注销", "suspended", "suspended_three_times,dissolved_or_inactive", "")
	if r := read("joined"); !slices.Equal(r.Reasons, []string{"suspended_three_times", "dissolved_or_inactive"}) || r.Description != "已注销" || r.Decided {
		t.Errorf("the joined proposal reads %+v", r)
	}
	step("removal.declined", "再观察", "suspended", "", "")
	if r := read("joined, declined"); !slices.Equal(r.Reasons, []string{"suspended_three_times", "dissolved_or_inactive"}) || r.Decision != "不予移出。再观察" {
		t.Errorf("the joined proposal declined reads %+v", r)
	}
	// A fourth suspension proposes again; the city removes the brand.
	step("suspension.decided", "暂停（第4次）", "suspended", "suspended_three_times", "")
	step("removal.decided", "同意", "removed", "", "suspended_three_times")
	if r := read("removed"); !slices.Equal(r.Reasons, []string{"suspended_three_times"}) || r.ReportedAt != nil || r.Description != "" ||
		r.Decision != "同意移出。同意" || !r.Removed {
		t.Errorf("the removal on the process's proposal reads %+v; want 4. alone, no report, 同意移出", r)
	}

	// The process's proposal declined with no report ever: still a form.
	other := "B-RM2"
	importBrand(t, st, other, "移出品牌二", "51530102MJ0000005X")
	if _, err := st.BrandRemoval(ctx, other); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a brand never proposed: %v, want ErrNotFound", err)
	}
	for i, s := range []records.BrandStep{
		{Action: "suspension.decided", Standing: records.BrandStanding{Status: "suspended",
			OpenMatters: []records.OpenMatter{{Kind: "removal", Reason: "suspended_three_times"}}}},
		{Action: "removal.declined", Note: "不移出", Standing: records.BrandStanding{Status: "suspended"}},
	} {
		s.BrandID, s.Key, s.At, s.Actor, s.Role = other, fmt.Sprintf("%s/%d", other, i), at.Add(time.Duration(i+1)*time.Hour), "city", "city_officer"
		if err := st.RecordBrandStep(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := st.BrandRemoval(ctx, other); err != nil || !slices.Equal(r.Reasons, []string{"suspended_three_times"}) || r.Decision != "不予移出。不移出" {
		t.Errorf("the process's proposal declined: %+v, %v", r, err)
	}
}
