package main

import (
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

// memoryLimitRatio is the share of the container's memory limit the Go
// runtime aims to stay under (GOMEMLIMIT): the rest is for what the runtime
// does not count (stacks of cgo, the binary, the kernel's pages).
const memoryLimitRatio = 0.9

// collectLessOften sets defaultGCPercent unless the environment's GOGC
// (gogc) already chose.
func collectLessOften(gogc string) {
	if gogc == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}

// stayUnderTheMemoryLimit sets GOMEMLIMIT to memoryLimitRatio of the limit
// limit reports — the container's cgroup in production — unless the
// environment's GOMEMLIMIT (or AUTOMEMLIMIT=off) already chose. Collecting at
// GOGC=200, a worker caching 30,000 brands would let its heap grow past a
// 4 GiB pod's limit before the next collection and be killed; with the
// limit the collector runs sooner as the heap nears it. Without a limit
// (compose, dev) it changes nothing.
func stayUnderTheMemoryLimit(limit memlimit.Provider, log *slog.Logger) (int64, error) {
	return memlimit.Set(memlimit.WithRatio(memoryLimitRatio), memlimit.WithProvider(limit), memlimit.WithLogger(log))
}

// containerLimit is the memory limit of the process's cgroup; a process in
// no cgroup, or one the library cannot read, runs as without a limit.
var containerLimit = memlimit.ApplyFallback(memlimit.FromCgroup, func() (uint64, error) {
	return 0, memlimit.ErrNoLimit
})
