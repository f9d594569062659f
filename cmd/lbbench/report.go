package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The goal of an officer decision over HTTP, in bare Update round trips
// (issue 19 item 1): at most 1.3 at p50 and 1.5 at p95.
const (
	decisionGoalP50 = 1.3
	decisionGoalP95 = 1.5
)

// Report is everything one run measured; --json writes it as is.
type Report struct {
	Started     time.Time         `json:"started"`
	Config      reportConfig      `json:"config"`
	Baseline    []Summary         `json:"baseline"`
	Load        []Summary         `json:"load"`
	LoadWindowS float64           `json:"load_window_s"`
	Officer     Summary           `json:"officer_decisions"`
	Ratios      []Ratio           `json:"ratios"`
	Goal        Goal              `json:"goal"`
	CPU         []*CPUUse         `json:"cpu,omitempty"`
	Substituted map[string]int    `json:"substituted,omitempty"`
	ErrorSample map[string]string `json:"error_samples,omitempty"`
}

type reportConfig struct {
	API         string  `json:"api"`
	Temporal    string  `json:"temporal"`
	Concurrency int     `json:"concurrency"`
	Mix         string  `json:"mix"`
	Seed        uint64  `json:"seed"`
	DurationS   float64 `json:"duration_s"`
	WarmupS     float64 `json:"warmup_s"`
	BaselineS   float64 `json:"baseline_s"`
	Ops         int64   `json:"ops,omitempty"`
}

// Goal says whether officer decisions met the goal at p50 and p95.
type Goal struct {
	MaxP50 float64 `json:"max_p50_ratio"`
	MaxP95 float64 `json:"max_p95_ratio"`
	P50    float64 `json:"p50_ratio"`
	P95    float64 `json:"p95_ratio"`
	MetAt  string  `json:"met_at"` // "p50 and p95", "p50", "p95" or "none"; "" when not measured
}

// ratios compares our latencies with the floors.
func ratios(load, baseline []Summary, officer Summary) ([]Ratio, Goal) {
	floors := map[string]Summary{}
	for _, s := range baseline {
		floors[s.Endpoint] = s
	}
	ours := map[string]Summary{}
	for _, s := range load {
		ours[s.Endpoint] = s
	}
	var out []Ratio
	add := func(s Summary, floor string) {
		if f, ok := floors[floor]; ok && s.OK > 0 && f.OK > 0 {
			out = append(out, RatioOf(s, f))
		}
	}
	add(officer, floorUpdate)
	for _, e := range slices.Concat(officerDecisions, []string{epExpertDraw}) {
		add(ours[e], floorUpdate)
	}
	if p, ok := ours[floorProbe]; ok {
		floors[floorProbe] = p
		add(officer, floorProbe)
	}
	add(ours[epSubmit], floorStart)
	add(ours[epSubmit], floorStartUpdate)
	for _, f := range baseline {
		if strings.HasPrefix(f.Endpoint, floorActivitiesPrefix) {
			for _, e := range []string{epCountyReview, epExpertOpinion} { // two activities, one
				add(ours[e], f.Endpoint)
			}
		}
	}
	g := Goal{MaxP50: decisionGoalP50, MaxP95: decisionGoalP95}
	if len(out) > 0 && out[0].What == officer.Endpoint && out[0].Floor == floorUpdate {
		g.P50, g.P95 = out[0].P50, out[0].P95
		switch p50, p95 := g.P50 <= g.MaxP50, g.P95 <= g.MaxP95; {
		case p50 && p95:
			g.MetAt = "p50 and p95"
		case p50:
			g.MetAt = "p50"
		case p95:
			g.MetAt = "p95"
		default:
			g.MetAt = "none"
		}
	}
	return out, g
}

func (r *Report) addCPU(u *CPUUse) {
	if u != nil {
		r.CPU = append(r.CPU, u)
	}
}

// print writes the report as tables.
func (r *Report) print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "lbbench %s  api %s  temporal %s  concurrency %d  mix %s  seed %d\n\n",
		r.Started.Format(time.RFC3339), c.API, c.Temporal, c.Concurrency, c.Mix, c.Seed)
	if len(r.Baseline) > 0 {
		fmt.Fprintf(w, "Bare Temporal floor (SDK only, no HTTP, no PostgreSQL), %.0f s per operation:\n", c.BaselineS)
		table(w, r.Baseline)
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "HTTP API under load (%.1f s measured):\n", r.LoadWindowS)
	table(w, append(r.Load, r.Officer))
	if len(r.Ratios) > 0 {
		fmt.Fprintln(w, "\nOurs ÷ floor:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "ours\tfloor\tp50 ×\tp95 ×\t")
		for _, x := range r.Ratios {
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t\n", x.What, x.Floor, x.P50, x.P95)
		}
		tw.Flush()
	}
	if r.Goal.MetAt != "" {
		fmt.Fprintf(w, "\nGoal: an officer decision ≤ %.1f× the bare Update round trip at p50 and ≤ %.1f× at p95 — p50 %.2f×, p95 %.2f×: %s\n",
			r.Goal.MaxP50, r.Goal.MaxP95, r.Goal.P50, r.Goal.P95, goalVerdict(r.Goal))
	}
	if len(r.CPU) > 0 {
		fmt.Fprintln(w, "\nCPU, in cores used on average while measured (this process and the --watch-pid trees):")
		for _, u := range r.CPU {
			fmt.Fprintln(w, "  "+u.String())
		}
	}
	if len(r.Substituted) > 0 {
		fmt.Fprintf(w, "\nOperations that found no work and did another: %s\n", counts(r.Substituted))
	}
	if len(r.ErrorSample) > 0 {
		fmt.Fprintln(w, "\nFirst answer of each failure:")
		keys := sortedKeys(r.ErrorSample)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s: %s\n", k, r.ErrorSample[k])
		}
	}
}

func goalVerdict(g Goal) string {
	switch g.MetAt {
	case "p50 and p95":
		return "met"
	case "none":
		return fmt.Sprintf("missed (p50 is %.1f× its goal)", g.P50/g.MaxP50)
	}
	return "met at " + g.MetAt + " only"
}

func table(w io.Writer, rows []Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\tcount\tok/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", s.Endpoint, s.Count, s.Throughput,
			ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), counts(s.Errors))
	}
	tw.Flush()
}

func ms(m Millis) string { return strconv.FormatFloat(float64(time.Duration(m))/1e6, 'f', 1, 64) }

// counts writes {"409": 3, "503": 1} as "409×3 503×1" ("-" when empty).
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// writeJSON writes the report to path.
func (r *Report) writeJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
