package clock_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
)

var shanghai = time.FixedZone("CST", 8*3600)

// API.md § Time scale: production always runs at scale 1, where business time
// is wall time; the zero Clock must be that identity.
func TestZeroClockIsTheWallClock(t *testing.T) {
	var c clock.Clock
	if !c.IsReal() {
		t.Fatal("the zero Clock is not real")
	}
	wall := time.Date(2026, 9, 28, 9, 30, 0, 123, shanghai)
	if got := c.At(wall); !got.Equal(wall) {
		t.Errorf("At(%v) = %v, want the same instant", wall, got)
	}
	for _, d := range []time.Duration{time.Millisecond, time.Hour, 72 * time.Hour} {
		if got := c.WallDuration(d); got != d {
			t.Errorf("WallDuration(%v) = %v, want %v", d, got, d)
		}
	}
	before := time.Now()
	now := c.Now()
	if now.Before(before) || now.After(time.Now()) {
		t.Errorf("Now() = %v, not between the wall instants around it", now)
	}
	if !clock.Real.IsReal() {
		t.Error("clock.Real is not real")
	}
}

// API.md § Time scale: business = business_start + (wall − wall origin) × N.
func TestScaledClockMapsWallToBusinessTime(t *testing.T) {
	wallOrigin := time.Date(2026, 5, 6, 14, 0, 0, 0, time.UTC)
	businessOrigin := time.Date(2026, 9, 28, 9, 0, 0, 0, shanghai)
	c := clock.Clock{Scale: 86400, WallOrigin: wallOrigin, BusinessOrigin: businessOrigin}
	if c.IsReal() {
		t.Fatal("a scale-86400 clock says it is real")
	}
	at := []struct {
		name string
		wall time.Time
		want time.Time
	}{
		{"the wall origin is the business origin", wallOrigin, businessOrigin},
		{"one wall second is one business day", wallOrigin.Add(time.Second), time.Date(2026, 9, 29, 9, 0, 0, 0, shanghai)},
		{"a wall minute is sixty business days", wallOrigin.Add(time.Minute), time.Date(2026, 11, 27, 9, 0, 0, 0, shanghai)},
		{"half a wall second is half a business day", wallOrigin.Add(500 * time.Millisecond), time.Date(2026, 9, 28, 21, 0, 0, 0, shanghai)},
		{"before the origin runs backwards", wallOrigin.Add(-2 * time.Second), time.Date(2026, 9, 26, 9, 0, 0, 0, shanghai)},
	}
	for _, tc := range at {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.At(tc.wall); !got.Equal(tc.want) {
				t.Errorf("At(%v) = %v, want %v", tc.wall, got, tc.want.In(shanghai))
			}
		})
	}
	waits := []struct {
		name     string
		business time.Duration
		want     time.Duration
	}{
		{"a business day passes in a wall second", 24 * time.Hour, time.Second},
		{"ten business days pass in ten wall seconds", 240 * time.Hour, 10 * time.Second},
		{"a tiny positive wait is at least a millisecond, so the timer fires after the due instant", time.Second, time.Millisecond},
		{"nothing to wait for", 0, 0},
		{"a due instant already past", -time.Hour, 0},
	}
	for _, tc := range waits {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.WallDuration(tc.business); got != tc.want {
				t.Errorf("WallDuration(%v) = %v, want %v", tc.business, got, tc.want)
			}
		})
	}
}

// API.md § Time scale: --business-start moves the date; the time of day is
// the wall clock's, so the default start (today, scale 1) is the identity.
func TestStartKeepsTheTimeOfDay(t *testing.T) {
	now := time.Date(2026, 5, 6, 14, 23, 45, 500, shanghai)
	cases := []struct {
		name      string
		scale     int64
		start     time.Time
		wantScale int64
		wantOrig  time.Time
		wantReal  bool
	}{
		{"another day keeps 14:23:45", 1440, time.Date(2026, 9, 28, 0, 0, 0, 0, shanghai), 1440,
			time.Date(2026, 9, 28, 14, 23, 45, 500, shanghai), false},
		{"a start given in UTC is read as its Shanghai date", 10, time.Date(2026, 9, 27, 20, 0, 0, 0, time.UTC), 10,
			time.Date(2026, 9, 28, 14, 23, 45, 500, shanghai), false},
		{"today at scale 1 is the identity", 1, time.Date(2026, 5, 6, 0, 0, 0, 0, shanghai), 1, now, true},
		{"a scale below 1 means 1", 0, time.Date(2026, 5, 6, 0, 0, 0, 0, shanghai), 1, now, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := clock.Start(now, tc.scale, tc.start, shanghai)
			if c.Scale != tc.wantScale || !c.WallOrigin.Equal(now) || !c.BusinessOrigin.Equal(tc.wantOrig) {
				t.Errorf("Start = %+v, want scale %d, wall origin %v, business origin %v", c, tc.wantScale, now, tc.wantOrig)
			}
			if c.IsReal() != tc.wantReal {
				t.Errorf("IsReal() = %v, want %v", c.IsReal(), tc.wantReal)
			}
			if got := c.At(now); !got.Equal(tc.wantOrig) {
				t.Errorf("At(start instant) = %v, want %v", got, tc.wantOrig)
			}
		})
	}
}

// API.md § Time scale: the origins and N are saved in the data dir the first
// time, so a restarted stack continues the same business timeline; changing
// them on purpose needs a fresh data dir.
func TestLoadOrCreateKeepsTheTimeline(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 5, 6, 14, 0, 0, 0, time.UTC)
	first := clock.Start(now, 1440, time.Date(2026, 9, 28, 0, 0, 0, 0, shanghai), shanghai)
	got, err := clock.LoadOrCreate(dir, first, true)
	if err != nil {
		t.Fatal(err)
	}
	if !sameClock(got, first) {
		t.Fatalf("first LoadOrCreate = %+v, want %+v", got, first)
	}
	if _, err := os.Stat(filepath.Join(dir, "clock.json")); err != nil {
		t.Fatalf("the clock was not saved: %v", err)
	}

	later := clock.Start(now.Add(time.Hour), 1, now, shanghai)
	t.Run("a restart without flags continues the saved timeline", func(t *testing.T) {
		got, err := clock.LoadOrCreate(dir, later, false)
		if err != nil || !sameClock(got, first) {
			t.Fatalf("LoadOrCreate = %+v, %v; want the saved %+v", got, err, first)
		}
	})
	t.Run("the same explicit scale is accepted", func(t *testing.T) {
		again := clock.Start(now.Add(time.Hour), 1440, now, shanghai)
		got, err := clock.LoadOrCreate(dir, again, true)
		if err != nil || !sameClock(got, first) {
			t.Fatalf("LoadOrCreate = %+v, %v; want the saved %+v", got, err, first)
		}
	})
	t.Run("a changed explicit scale is refused with ErrChanged", func(t *testing.T) {
		_, err := clock.LoadOrCreate(dir, later, true)
		if !errors.Is(err, clock.ErrChanged) {
			t.Fatalf("err = %v, want ErrChanged", err)
		}
	})
	t.Run("a damaged clock file is an error, not a new timeline", func(t *testing.T) {
		bad := t.TempDir()
		if err := os.WriteFile(filepath.Join(bad, "clock.json"), []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := clock.LoadOrCreate(bad, later, false); err == nil {
			t.Fatal("a damaged clock.json was accepted")
		}
	})
}

func sameClock(a, b clock.Clock) bool {
	return a.Scale == b.Scale && a.WallOrigin.Equal(b.WallOrigin) && a.BusinessOrigin.Equal(b.BusinessOrigin)
}
