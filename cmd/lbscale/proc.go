package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/procstat"
)

const clockTicks = procstat.ClockTicks // USER_HZ

type procInfo struct {
	pid, ppid int
	comm      string
	cpu       float64 // seconds, utime+stime
}

func readProcs() map[int]procInfo {
	out := map[int]procInfo{}
	for pid, p := range procstat.All() {
		out[pid] = procInfo{pid: pid, ppid: p.PPID, comm: p.Comm, cpu: p.CPUSeconds}
	}
	return out
}

// tree is root and its descendants.
func tree(root int) []procInfo {
	ps := readProcs()
	in := map[int]bool{root: true}
	for grew := true; grew; {
		grew = false
		for pid, p := range ps {
			if !in[pid] && in[p.ppid] {
				in[pid], grew = true, true
			}
		}
	}
	var out []procInfo
	for pid := range in {
		if p, ok := ps[pid]; ok {
			out = append(out, p)
		}
	}
	return out
}

// group names a process of the stack: the dev process (worker + API),
// temporal, postgres (all its backends summed).
func group(comm string) string {
	switch {
	case strings.HasPrefix(comm, "postgres"):
		return "postgres"
	case strings.HasPrefix(comm, "temporal"):
		return "temporal"
	}
	return "laborbrand"
}

type cpuSnap struct {
	at  time.Time
	cpu map[string]float64
}

func takeCPU(root int) cpuSnap {
	s := cpuSnap{at: time.Now(), cpu: map[string]float64{}}
	for _, p := range tree(root) {
		s.cpu[group(p.comm)] += p.cpu
	}
	return s
}

// cores is the average number of cores each group used between a and b.
func cores(a, b cpuSnap) map[string]float64 {
	secs := b.at.Sub(a.at).Seconds()
	out := map[string]float64{}
	for k, v := range b.cpu {
		out[k] = (v - a.cpu[k]) / secs
	}
	return out
}

// cpuSeconds is the CPU time all groups used between a and b.
func cpuSeconds(a, b cpuSnap) float64 {
	tot := 0.0
	for k, v := range b.cpu {
		tot += v - a.cpu[k]
	}
	return tot
}

func fmtCores(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	tot := 0.0
	for k, v := range m {
		keys = append(keys, k)
		tot += v
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %.2f", k, m[k]))
	}
	return fmt.Sprintf("%s (total %.2f of 2 cores)", strings.Join(parts, ", "), tot)
}

// memory is VmRSS and Pss (smaps_rollup) per group, in MiB. PostgreSQL's
// backends share shared_buffers: their RSS sum counts it many times, Pss
// once.
type memory struct{ rss, pss map[string]float64 }

func takeMem(root int) memory {
	m := memory{rss: map[string]float64{}, pss: map[string]float64{}}
	for _, p := range tree(root) {
		g := group(p.comm)
		m.rss[g] += kbField(fmt.Sprintf("/proc/%d/status", p.pid), "VmRSS:") / 1024
		m.pss[g] += kbField(fmt.Sprintf("/proc/%d/smaps_rollup", p.pid), "Pss:") / 1024
	}
	return m
}

func kbField(path, name string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), name) {
			fs := strings.Fields(sc.Text())
			v, _ := strconv.ParseFloat(fs[1], 64)
			return v
		}
	}
	return 0
}

func (m memory) String() string {
	var parts []string
	for _, g := range []string{"laborbrand", "temporal", "postgres"} {
		parts = append(parts, fmt.Sprintf("%s RSS %.0f MiB (PSS %.0f)", g, m.rss[g], m.pss[g]))
	}
	return strings.Join(parts, "; ")
}
