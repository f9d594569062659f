package main

import (
	"testing"
	"time"
)

// Issue 19 item 1: the goal is measured against the bare Update on the
// idle server; the probe's Update, sent during the load, is reported beside
// it and never takes its place.
func TestRatiosKeepTheGoalOnTheIdleFloor(t *testing.T) {
	ms := func(n int) Millis { return Millis(time.Duration(n) * time.Millisecond) }
	officer := Summary{Endpoint: "officer", OK: 10, P50: ms(30), P95: ms(60)}
	idle := Summary{Endpoint: floorUpdate, OK: 10, P50: ms(10), P95: ms(20)}
	probe := Summary{Endpoint: floorProbe, OK: 10, P50: ms(25), P95: ms(50)}

	out, g := ratios([]Summary{probe}, []Summary{idle}, officer)
	if g.P50 != 3 || g.P95 != 3 || g.MetAt != "none" {
		t.Errorf("goal against the idle floor: %+v", g)
	}
	var found bool
	for _, r := range out {
		if r.Floor == floorProbe {
			found = true
			if r.What != "officer" || r.P50 != 1.2 || r.P95 != 1.2 {
				t.Errorf("officer ÷ probe: %+v", r)
			}
		}
	}
	if !found {
		t.Errorf("no ratio against the probe in %+v", out)
	}

	// Without the idle floor (--baseline-duration 0) there is no goal to
	// judge, even with a probe.
	if _, g := ratios([]Summary{probe}, nil, officer); g.MetAt != "" {
		t.Errorf("a goal judged against the probe: %+v", g)
	}
}
