package api

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 15 item 8: the figures are a report — a (year, county)'s are
// computed once and served for the minute after, then computed again; each
// says when it was computed; another county's, or a failed computation,
// is not served from another's entry.
func TestFiguresCache_ServesAReportForItsTimeThenComputesAgain(t *testing.T) {
	var fc figuresCache
	computed := 0
	compute := func(_ context.Context, f store.StatisticsFilter) (store.Statistics, error) {
		computed++
		return store.Statistics{County: f.County, Year: f.Year, GeneratedAt: f.Now}, nil
	}
	t0 := time.Date(2026, 10, 9, 9, 0, 0, 0, time.UTC)
	ask := func(county string, at time.Time, ttl time.Duration) store.Statistics {
		t.Helper()
		st, err := fc.get(context.Background(), store.StatisticsFilter{County: county, Year: 2026, Now: at}, ttl, at, compute)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := ask("", t0, time.Minute)
	if again := ask("", t0.Add(59*time.Second), time.Minute); computed != 1 || !again.GeneratedAt.Equal(first.GeneratedAt) {
		t.Errorf("within the minute: computed %d times, generated at %v then %v", computed, first.GeneratedAt, again.GeneratedAt)
	}
	if shilin := ask("530126", t0.Add(time.Second), time.Minute); computed != 2 || shilin.County != "530126" {
		t.Errorf("another county: computed %d times, figures of %q", computed, shilin.County)
	}
	if later := ask("", t0.Add(time.Minute), time.Minute); computed != 3 || !later.GeneratedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after the minute: computed %d times, generated at %v", computed, later.GeneratedAt)
	}
	ask("", t0.Add(time.Minute), 0)
	if computed != 4 {
		t.Errorf("without a cache time: computed %d times, want every time", computed)
	}
	broken := errors.New("database gone")
	if _, err := fc.get(context.Background(), store.StatisticsFilter{County: "530181", Year: 2026, Now: t0}, time.Minute, t0,
		func(context.Context, store.StatisticsFilter) (store.Statistics, error) {
			return store.Statistics{}, broken
		}); !errors.Is(err, broken) {
		t.Errorf("a failed computation: %v", err)
	}
	if st := ask("530181", t0, time.Minute); computed != 5 || st.County != "530181" {
		t.Errorf("after a failure: computed %d times, figures of %q — a failure must not be kept", computed, st.County)
	}
}
