package main

import "runtime/debug"

// defaultGCPercent is the collector's target unless GOGC says otherwise:
// the heap may grow to three times what is live before a collection, not
// twice. Under a mixed load of decisions and reads the collector's marking
// was a fifth of the process's CPU, and halving how often it runs took an
// officer decision's p99 from 239 to 193 ms (docs/PERFORMANCE.md § Item 3
// under a mixed load), for about half as much heap again. Where memory is
// capped, set GOMEMLIMIT below the cap: the collector then runs sooner as
// the heap nears it.
const defaultGCPercent = 200

// collectLessOften sets defaultGCPercent unless the environment's GOGC
// (gogc) already chose.
func collectLessOften(gogc string) {
	if gogc == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}
