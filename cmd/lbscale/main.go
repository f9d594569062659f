// Command lbscale measures two things of issue 7 against a running
// `laborbrand dev` stack: scale (N admitted brands open at once: seeding
// rate, memory, API latency while they are open, time for a calendar
// revision to reach the affected brands) and lifecycle throughput (complete
// lives at a high time scale, with the CPU of each server process).
//
//	lbscale scale --data-dir /tmp/lbscale --api http://127.0.0.1:18095 --temporal 127.0.0.1:17295 --brands 10000
//	lbscale life  --data-dir /tmp/lblife  --api http://127.0.0.1:18096 --lives 30
//	lbscale week  --data-dir /tmp/lbweek  --temporal 127.0.0.1:17297 --weeks 4
//
// week writes the rows weeks of load leave in the tables the maintenance
// schedule prunes, a week at a time, and measures them after each week's
// maintenance run.
//
// Both read the stack's signing secret (LB_JWT_SECRET, else the data dir's)
// and, for scale, its database (DATABASE_URL, else the data dir's port), and measure the process tree of `laborbrand dev`
// (--pid, required): the dev process itself (worker + API), temporal and
// postgres. docs/PERFORMANCE.md gives the full commands.
package main

import (
	"fmt"
	"os"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: lbscale scale|life|week [flags]")
		os.Exit(2)
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lbscale: settings:", err)
		os.Exit(1)
	}
	switch os.Args[1] {
	case "scale":
		err = runScale(cfg, os.Args[2:])
	case "life":
		err = runLife(cfg, os.Args[2:])
	case "week":
		err = runWeek(cfg, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lbscale:", err)
		os.Exit(1)
	}
}
