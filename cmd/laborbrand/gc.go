package main

import (
	"errors"
	"log/slog"
	"runtime/debug"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// defaultGCPercent is the collector's target unless GOGC says otherwise:
// the heap may grow to three times what is live before a collection, not
// twice. Under a mixed load of decisions and reads the collector's marking
// was a fifth of the process's CPU, and halving how often it runs took an
// officer decision's p99 from 239 to 193 ms (docs/PERFORMANCE.md § Item 3
// under a mixed load), for about half as much heap again.
const defaultGCPercent = 200

// memoryLimitRatio is the share of the cgroup's memory limit the Go runtime
// aims to stay under (GOMEMLIMIT): the rest is for what the runtime does not
// count — the mapped binary, pages the kernel charges to the cgroup,
// fragmentation.
const memoryLimitRatio = 0.9

// collectLessOften sets defaultGCPercent unless the environment's GOGC
// (gogc) already chose.
func collectLessOften(gogc string) {
	if gogc == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}

// stayUnderTheMemoryLimit sets GOMEMLIMIT to memoryLimitRatio of the limit
// the provider reports — the process's cgroup in production — unless the
// environment's GOMEMLIMIT (or AUTOMEMLIMIT=off, or a ratio in AUTOMEMLIMIT)
// already chose. Collecting at GOGC=200, a worker caching 30,000 brands
// stands at ~2.7 GiB, and a burst of garbage could take it past a 4 GiB
// pod's limit before the next collection; with GOMEMLIMIT the collector runs
// sooner as the heap nears it. Without a limit it sets nothing.
func stayUnderTheMemoryLimit(limit memlimit.Provider, log *slog.Logger) (int64, error) {
	return memlimit.Set(memlimit.WithRatio(memoryLimitRatio), memlimit.WithProvider(limit), memlimit.WithLogger(log))
}

// cgroupLimit reports the memory limit of the process's cgroup (read by
// from). A process in no cgroup, on a system without them, or in one with
// no limit runs without one, silently; a limit that cannot be read is
// logged, and the process runs without one too.
func cgroupLimit(from memlimit.Provider, log *slog.Logger) memlimit.Provider {
	return func() (uint64, error) {
		limit, err := from()
		switch {
		case err == nil:
			return limit, nil
		case !errors.Is(err, memlimit.ErrNoLimit) && !errors.Is(err, memlimit.ErrNoCgroup) &&
			!errors.Is(err, memlimit.ErrCgroupsNotSupported):
			log.Warn("memory limit of the cgroup not read; GOMEMLIMIT not set", "error", err)
		}
		return 0, memlimit.ErrNoLimit
	}
}
