package activities_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十二条 (experts drawn at random from the pool) and the rule that an
// activity is safe to retry: an attempt that recorded its draw and then
// failed has drawn. Its retry returns that draw even when the pool has
// changed meanwhile — here every expert deactivated — instead of refusing
// for want of experts and leaving the draw on record for the next draw to
// return in place of its own.
func Test第十二条_ADrawRetriedAfterItWasRecordedReturnsThatDraw(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	now := submitted(t, st)
	experts := func(active bool) { seedExperts(t, st, now, 6, active) }
	experts(true)
	a := &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}
	draw := func(no int) records.DrawRequest {
		return records.DrawRequest{DrawNo: no, Seed: 42, Count: 5, Category: "planting_breeding", CountyCode: "530181", USCC: "51530181MJ0000001U",
			Step: records.Step{ApplicationID: "A0001", Key: fmt.Sprintf("draw-%d", no), At: now, Actor: "city", Role: "city_officer",
				Action: "experts.drawn", Stage: workflows.StageCityReview}}
	}

	first, err := a.DrawExperts(ctx, draw(1))
	if err != nil || len(first.Drawn) != 5 {
		t.Fatalf("first draw: %+v, %v", first, err)
	}
	experts(false)
	again, err := a.DrawExperts(ctx, draw(1))
	if err != nil || !slices.Equal(again.Drawn, first.Drawn) {
		t.Errorf("the draw retried with the pool emptied: %v, %v; want the recorded %v", again.Drawn, err, first.Drawn)
	}
	// A new draw finds nobody: refused for good, and nothing recorded.
	_, err = a.DrawExperts(ctx, draw(2))
	var refused *temporal.ApplicationError
	if !errors.As(err, &refused) || refused.Type() != workflows.RefusedError || !refused.NonRetryable() {
		t.Errorf("a draw from an empty pool: %v, want a final refusal", err)
	}
	if _, err := st.Draw(ctx, "A0001", 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the refused draw left a record (%v)", err)
	}
}

// 第十二条 and RELIABILITY (an Update applied once): a draw sent again
// under its Update's ID after the process continued as new — Temporal no
// longer knows the ID, and the process numbers it as the next draw — finds
// its step on record: nothing is drawn, and the refusal says it was applied
// before, for the process to answer it so. Before, the step was skipped,
// the next draw's number was read back, not found, and the write retried
// for good, every later decision waiting behind it.
func Test第十二条_ADrawSentAgainInALaterRunIsAnsweredAsApplied(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	now := submitted(t, st)
	seedExperts(t, st, now, 12, true)
	a := &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}
	draw := func(no int) records.DrawRequest {
		return records.DrawRequest{DrawNo: no, Seed: 42, Count: 5, Category: "planting_breeding", CountyCode: "530181", USCC: "51530181MJ0000001U",
			Step: records.Step{ApplicationID: "A0001", Key: "WF-A0001/update-1", At: now, Actor: "city", Role: "city_officer",
				Action: "experts.drawn", Stage: workflows.StageCityReview}}
	}
	if first, err := a.DrawExperts(ctx, draw(1)); err != nil || len(first.Drawn) != 5 {
		t.Fatalf("first draw: %+v, %v", first, err)
	}
	_, err := a.DrawExperts(ctx, draw(2)) // the same Update's step, numbered anew
	var refused *temporal.ApplicationError
	var detail string
	if !errors.As(err, &refused) || refused.Type() != workflows.RefusedError || !refused.NonRetryable() ||
		refused.Details(&detail) != nil || detail != workflows.RefusedAppliedBefore {
		t.Errorf("the draw sent again: %v (detail %q), want a final refusal saying it was applied before", err, detail)
	}
	if _, err := st.Draw(ctx, "A0001", 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the draw sent again drew again (%v)", err)
	}
}

// 第十二条 (experts drawn from the pool, each draw audited): a draw that
// finds fewer experts to draw than it was asked for says in the history how
// many it drew, not how many were asked for.
func Test第十二条_AShortDrawSaysHowManyItDrew(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	now := submitted(t, st)
	seedExperts(t, st, now, 2, true)
	a := &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}
	res, err := a.DrawExperts(ctx, records.DrawRequest{DrawNo: 1, Seed: 42, Count: 5, Category: "planting_breeding", CountyCode: "530181",
		USCC: "51530181MJ0000001U", Step: records.Step{ApplicationID: "A0001", Key: "draw-1", At: now, Actor: "city", Role: "city_officer",
			Action: "experts.drawn", Stage: workflows.StageCityReview, Note: "抽取专家5名"}})
	if err != nil || len(res.Drawn) != 2 {
		t.Fatalf("draw of 5 from a pool of 2: %+v, %v", res, err)
	}
	v, err := st.GetApplicationView(ctx, "A0001", store.ViewOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var note string
	for _, h := range v.History {
		if h.Action == "experts.drawn" {
			note = h.Note
		}
	}
	if want := "抽取专家2名（拟抽取5名，专家库中可抽取的仅2名：其余已抽取过、应回避或已停用）"; note != want {
		t.Errorf("the short draw's history says %q, want %q", note, want)
	}
}

// submitted stores application A0001 (安宁玫瑰, 530181) in round R1, as
// submitted on 2026-03-02 at 10:00, and returns that instant.
func submitted(t *testing.T, st *store.Store) time.Time {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, calendar.Shanghai)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateApplication(ctx, store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U",
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: "holder", SubmittedRole: "applicant"}); err != nil {
		t.Fatal(err)
	}
	return now
}

// seedExperts saves experts E01…En of 种植养殖类 in 五华区, active or not:
// added, or those added before changed.
func seedExperts(t *testing.T, st *store.Store, now time.Time, n int, active bool) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		e := store.Expert{ID: fmt.Sprintf("E%02d", i), Name: fmt.Sprintf("专家%d", i), Specialties: []string{"planting_breeding"},
			CountyCode: "530102", Active: active, CreatedAt: now, UpdatedAt: now}
		_, err := st.CreateExpert(ctx, e, "city", "city_officer")
		if errors.Is(err, store.ErrExpertExists) {
			_, err = st.UpdateExpert(ctx, e.ID, now, func(e *store.Expert) error { e.Active = active; return nil }, "city", "city_officer")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
