package main

import (
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
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

// docs/DEPLOYMENT.md (memory): under a container's memory limit the runtime
// aims at nine tenths of it, so a worker collecting at GOGC=200 is not
// killed for its garbage; an operator's GOMEMLIMIT wins, and without a
// limit nothing is set.
func TestTheHeapStaysUnderTheContainersMemoryLimit(t *testing.T) {
	was := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(was) })
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("AUTOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")
	os.Unsetenv("AUTOMEMLIMIT")

	var pod uint64 = 4 << 30
	if _, err := stayUnderTheMemoryLimit(memlimit.Limit(pod), slog.Default()); err != nil {
		t.Fatal(err)
	}
	if got, want := debug.SetMemoryLimit(-1), int64(float64(pod)*memoryLimitRatio); got != want {
		t.Errorf("under a 4 GiB limit GOMEMLIMIT is %d, want %d (nine tenths)", got, want)
	}

	if _, err := stayUnderTheMemoryLimit(func() (uint64, error) { return 0, memlimit.ErrNoLimit }, slog.Default()); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("without a limit GOMEMLIMIT is %d, want none (%d)", got, int64(math.MaxInt64))
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30) // what the runtime read from it at start
	if _, err := stayUnderTheMemoryLimit(memlimit.Limit(pod), slog.Default()); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("with GOMEMLIMIT=1GiB in the environment the limit was changed to %d", got)
	}
}
