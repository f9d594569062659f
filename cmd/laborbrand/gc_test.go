package main

import (
	"context"
	"errors"
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

// docs/DEPLOYMENT.md (memory): a process in no cgroup, or where cgroups do
// not exist, runs without a limit and says nothing; a limit that cannot be
// read is a warning, not a failure to start.
func TestACgroupWithoutALimitSetsNothingAndAnUnreadableOneIsLogged(t *testing.T) {
	for _, c := range []struct {
		err  error
		warn bool
	}{
		{memlimit.ErrNoCgroup, false},
		{memlimit.ErrCgroupsNotSupported, false},
		{memlimit.ErrNoLimit, false},
		{errors.New("open /sys/fs/cgroup/memory.max: permission denied"), true},
	} {
		var logged recordedLog
		log := slog.New(&logged)
		limit, err := cgroupLimit(func() (uint64, error) { return 0, c.err }, log)()
		if !errors.Is(err, memlimit.ErrNoLimit) || limit != 0 {
			t.Errorf("%v: the limit is %d (%v), want none", c.err, limit, err)
		}
		if warned := len(logged.records) > 0; warned != c.warn {
			t.Errorf("%v: logged %v, want a warning: %v", c.err, logged.records, c.warn)
		}
	}
	if limit, err := cgroupLimit(memlimit.Limit(1<<30), slog.Default())(); err != nil || limit != 1<<30 {
		t.Errorf("a cgroup's limit of 1 GiB reads as %d (%v)", limit, err)
	}
}

// recordedLog is a slog handler that keeps the messages of level Info and above.
type recordedLog struct{ records []string }

func (h *recordedLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }
func (h *recordedLog) Handle(_ context.Context, r slog.Record) error {
	h.records = append(h.records, r.Level.String()+" "+r.Message)
	return nil
}
func (h *recordedLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordedLog) WithGroup(string) slog.Handler      { return h }
