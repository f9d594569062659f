// Package procstat reads the processes of a Linux machine from /proc, for
// the measuring tools (cmd/lbbench, cmd/lbscale) that report which process
// of a stack used the CPU.
package procstat

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ClockTicks is Linux's USER_HZ, the unit of CPU times in /proc.
const ClockTicks = 100

// Proc is one process.
type Proc struct {
	PID        int
	PPID       int
	Comm       string
	CPUSeconds float64 // user + system time so far
}

// All returns every process by pid; nil where /proc is not there (not Linux).
func All() map[int]Proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := map[int]Proc{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid … utime stime: comm may hold spaces and parentheses.
		s := string(raw)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		out[pid] = Proc{PID: pid, PPID: ppid, Comm: s[open+1 : close], CPUSeconds: (ut + st) / ClockTicks}
	}
	return out
}
