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

// Issue 15 item 8 and API.md (a 503 only when the service is unavailable):
// the figures computed for several callers at once are not lost when the
// first of them leaves — a supervisor closing the tab does not fail the
// chart another officer's page is drawing, and what was computed is kept.
func TestFiguresCache_ACallerLeavingDoesNotFailTheOthersWaiting(t *testing.T) {
	var fc figuresCache
	t0 := time.Date(2026, 10, 9, 9, 0, 0, 0, time.UTC)
	started, release := make(chan struct{}), make(chan struct{})
	computed := 0
	compute := func(ctx context.Context, f store.StatisticsFilter) (store.Statistics, error) {
		if computed++; computed == 1 {
			close(started)
		}
		select {
		case <-release:
			return store.Statistics{Year: f.Year, GeneratedAt: f.Now}, nil
		case <-ctx.Done():
			return store.Statistics{}, ctx.Err()
		}
	}
	f := store.StatisticsFilter{Year: 2026, Now: t0}
	first, leave := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := fc.get(first, f, time.Minute, t0, compute)
		firstErr <- err
	}()
	<-started
	second := make(chan error, 1)
	go func() {
		st, err := fc.get(context.Background(), f, time.Minute, t0, compute)
		if err == nil && !st.GeneratedAt.Equal(t0) {
			err = errors.New("figures of another computation")
		}
		second <- err
	}()
	leave()
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Errorf("the caller that left: %v, want context.Canceled", err)
	}
	time.Sleep(10 * time.Millisecond) // the second is waiting on the computation by now, or joins it
	close(release)
	if err := <-second; err != nil {
		t.Errorf("the caller that stayed: %v", err)
	}
	if _, err := fc.get(context.Background(), f, time.Minute, t0.Add(time.Second), compute); err != nil || computed != 1 {
		t.Errorf("the figures were not kept: computed %d times, %v", computed, err)
	}
}
