package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/procstat"
)

// clockTicks is Linux's USER_HZ, the unit of CPU times in /proc.
const clockTicks = procstat.ClockTicks

// cpuSnapshot is the CPU time used so far by the watched process trees,
// per command name, and by the whole machine.
type cpuSnapshot struct {
	at      time.Time
	byComm  map[string]float64 // seconds
	machine float64            // busy seconds of all CPUs (/proc/stat)
}

// takeCPU reads the CPU time of roots, their descendants and this process
// from /proc. It returns nil where /proc is not there (not Linux).
func takeCPU(roots []int) *cpuSnapshot {
	all := procstat.All()
	if all == nil {
		return nil
	}
	type proc struct {
		ppid int
		comm string
		secs float64
	}
	procs := map[int]proc{}
	for pid, p := range all {
		procs[pid] = proc{ppid: p.PPID, comm: p.Comm, secs: p.CPUSeconds}
	}
	watched := map[int]bool{os.Getpid(): true}
	for _, r := range roots {
		watched[r] = true
	}
	for grew := true; grew; { // add descendants until nothing new is found
		grew = false
		for pid, p := range procs {
			if !watched[pid] && watched[p.ppid] {
				watched[pid], grew = true, true
			}
		}
	}
	snap := &cpuSnapshot{at: time.Now(), byComm: map[string]float64{}, machine: machineBusy()}
	for pid := range watched {
		if p, ok := procs[pid]; ok {
			snap.byComm[p.comm] += p.secs
		}
	}
	return snap
}

// machineBusy is the busy time of all CPUs, in seconds (/proc/stat).
func machineBusy() float64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	busy := 0.0
	for i, v := range f[1:] {
		n, _ := strconv.ParseFloat(v, 64)
		if i != 3 && i != 4 { // idle and iowait are not busy
			busy += n
		}
	}
	return busy / clockTicks
}

// CPUUse is how many cores each command used during a phase on average.
type CPUUse struct {
	Phase   string             `json:"phase"`
	Cores   map[string]float64 `json:"cores"`   // per command name
	Machine float64            `json:"machine"` // all processes, ours or not
}

func cpuUse(phase string, from, to *cpuSnapshot) *CPUUse {
	if from == nil || to == nil {
		return nil
	}
	secs := to.at.Sub(from.at).Seconds()
	u := &CPUUse{Phase: phase, Cores: map[string]float64{}, Machine: (to.machine - from.machine) / secs}
	for comm, t := range to.byComm {
		if d := t - from.byComm[comm]; d > 0 {
			u.Cores[comm] = d / secs
		}
	}
	return u
}

func (u *CPUUse) String() string {
	var parts []string
	total := 0.0
	for _, k := range sortedKeys(u.Cores) {
		parts = append(parts, fmt.Sprintf("%s %.2f", k, u.Cores[k]))
		total += u.Cores[k]
	}
	return fmt.Sprintf("%s: %s (watched %.2f; whole machine %.2f cores busy)", u.Phase, strings.Join(parts, ", "), total, u.Machine)
}
