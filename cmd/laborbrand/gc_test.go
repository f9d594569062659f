package main

import (
	"runtime/debug"
	"testing"
)

// docs/PERFORMANCE.md (item 3 under a mixed load): the processes collect at
// GOGC=200 by default, and an operator's GOGC wins.
func TestTheCollectorRunsLessOftenUnlessGOGCSaysOtherwise(t *testing.T) {
	was := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(was) })

	collectLessOften("")
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Errorf("without GOGC the collector's target is %d, want %d", got, defaultGCPercent)
	}
	collectLessOften("50")
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC=50 in the environment the target was changed to %d; the runtime's own reading of GOGC must stand", got)
	}
}
