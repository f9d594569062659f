// Package clock is the business clock: the one notion of "now" that workflows,
// activities and the API share (API.md § Time scale).
//
// In production the business clock is the wall clock. In a dev stack it may run
// Scale times faster from a persisted origin, so that years of a brand's life
// pass in minutes while every deadline still lands on a correct working day.
package clock

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Clock maps wall-clock instants to business instants:
//
//	business = BusinessOrigin + (wall − WallOrigin) × Scale
//
// The zero Clock is the identity (scale 1): business time is wall time.
// Clock is a plain value so it can travel in workflow inputs, which keeps
// business time deterministic on replay (a workflow derives it from
// workflow.Now and the Clock recorded in its input).
type Clock struct {
	Scale          int64     `json:"scale"`
	WallOrigin     time.Time `json:"wall_origin"`
	BusinessOrigin time.Time `json:"business_origin"`
}

// Real is the production clock.
var Real = Clock{Scale: 1}

func (c Clock) scale() int64 {
	if c.Scale <= 0 {
		return 1
	}
	return c.Scale
}

// IsReal reports whether business time equals wall time.
func (c Clock) IsReal() bool {
	return c.scale() == 1 && c.WallOrigin.Equal(c.BusinessOrigin)
}

// At converts a wall-clock instant to business time.
func (c Clock) At(wall time.Time) time.Time {
	if c.IsReal() {
		return wall
	}
	return c.BusinessOrigin.Add(wall.Sub(c.WallOrigin) * time.Duration(c.scale()))
}

// Now is the business time of the current wall-clock instant. Never call it
// from workflow code: use At(workflow.Now(ctx)).
func (c Clock) Now() time.Time { return c.At(time.Now()) }

// WallDuration is how long to wait on the wall clock for d of business time to
// pass. It never returns less than a millisecond for a positive d, so a timer
// for a due instant still fires after it.
func (c Clock) WallDuration(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	w := d / time.Duration(c.scale())
	if w < time.Millisecond {
		w = time.Millisecond
	}
	return w
}

// Start builds a Clock whose business timeline begins on businessStart (a
// date in loc) at the wall instant now, keeping now's time of day, so that the
// default — businessStart = today, scale 1 — is the identity.
func Start(now time.Time, scale int64, businessStart time.Time, loc *time.Location) Clock {
	if scale <= 0 {
		scale = 1
	}
	local := now.In(loc)
	y, m, d := businessStart.In(loc).Date()
	origin := time.Date(y, m, d, local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), loc)
	return Clock{Scale: scale, WallOrigin: now.UTC(), BusinessOrigin: origin.UTC()}
}

// fileName is where a dev stack keeps its clock inside the data dir.
const fileName = "clock.json"

// ErrChanged is returned by LoadOrCreate when the requested scale or start
// differs from the one the data dir already runs on.
var ErrChanged = errors.New("the data dir already runs on another business timeline; use a fresh --data-dir to change --time-scale or --business-start")

// LoadOrCreate returns the clock saved in dir, or saves want there the first
// time. A restarted stack therefore continues the same business timeline.
// explicit says whether the caller asked for want's scale/start on purpose;
// only then is a mismatch an error.
func LoadOrCreate(dir string, want Clock, explicit bool) (Clock, error) {
	path := filepath.Join(dir, fileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		raw, err = json.MarshalIndent(want, "", "  ")
		if err != nil {
			return Clock{}, err
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return Clock{}, fmt.Errorf("save business clock: %w", err)
		}
		return want, nil
	}
	if err != nil {
		return Clock{}, fmt.Errorf("read business clock: %w", err)
	}
	var saved Clock
	if err := json.Unmarshal(raw, &saved); err != nil {
		return Clock{}, fmt.Errorf("parse %s: %w", path, err)
	}
	if explicit && saved.scale() != want.scale() {
		return Clock{}, fmt.Errorf("%w (saved scale %d, asked %d)", ErrChanged, saved.scale(), want.scale())
	}
	return saved, nil
}
