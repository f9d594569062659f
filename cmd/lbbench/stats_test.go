package main

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func msList(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPercentileNearestRank(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond // 1 ms … 100 ms
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty input gives zero", nil, 50, 0},
		{"one value is every percentile", msList(7), 99, 7 * time.Millisecond},
		{"p50 of 1…100 is 50", hundred, 50, 50 * time.Millisecond},
		{"p95 of 1…100 is 95", hundred, 95, 95 * time.Millisecond},
		{"p99 of 1…100 is 99", hundred, 99, 99 * time.Millisecond},
		{"p100 is the maximum", hundred, 100, 100 * time.Millisecond},
		{"a tiny p is the minimum", hundred, 0.001, 1 * time.Millisecond},
		{"p50 of an even count is the lower middle, never an average", msList(10, 20, 30, 40), 50, 20 * time.Millisecond},
		{"p95 of 20 values is the 19th", msList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19 * time.Millisecond},
		{"p99 of few values is their maximum", msList(1, 2, 3, 900), 99, 900 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.sorted, tc.p); got != tc.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
			}
		})
	}
}

func TestPercentileIsAlwaysARecordedValue(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 200; n++ {
		d := make([]time.Duration, n)
		for i := range d {
			d[i] = time.Duration(r.IntN(1000)) * time.Microsecond
		}
		slices.Sort(d)
		for _, p := range []float64{50, 95, 99} {
			v := Percentile(d, p)
			if !slices.Contains(d, v) {
				t.Fatalf("n=%d p%v = %v is not one of the values", n, p, v)
			}
			below := 0
			for _, x := range d {
				if x <= v {
					below++
				}
			}
			if float64(below) < p/100*float64(n) {
				t.Fatalf("n=%d p%v = %v: only %d of %d values are ≤ it", n, p, v, below, n)
			}
		}
	}
}

func TestRecorderSummaries(t *testing.T) {
	from := time.Date(2026, 9, 28, 9, 0, 0, 0, time.UTC)
	rec := NewRecorder(from)
	if rec.Record("GET /tasks", from.Add(-time.Second), time.Millisecond, "") {
		t.Error("an operation that started during the warm-up is not counted")
	}
	for i, d := range msList(40, 10, 30, 20) {
		rec.Record("GET /tasks", from.Add(time.Duration(i)*time.Second), d, "")
	}
	rec.Record("GET /tasks", from.Add(time.Second), 5*time.Millisecond, "503")
	rec.Record("POST /applications", from, 100*time.Millisecond, "409")

	sums := rec.Summaries()
	if len(sums) != 2 || sums[0].Endpoint != "GET /tasks" || sums[1].Endpoint != "POST /applications" {
		t.Fatalf("summaries %+v", sums)
	}
	s := sums[0]
	if s.Count != 5 || s.OK != 4 || s.Errors["503"] != 1 {
		t.Errorf("counts: %+v", s)
	}
	if s.P50 != Millis(20*time.Millisecond) || s.P95 != Millis(40*time.Millisecond) || s.Mean != Millis(25*time.Millisecond) {
		t.Errorf("latencies only count successes: p50 %v p95 %v mean %v", s.P50, s.P95, s.Mean)
	}
	// The window ends when the last operation does: 3 s + 20 ms.
	if want := 4 / 3.02; s.Throughput < want-1e-9 || s.Throughput > want+1e-9 {
		t.Errorf("throughput %v, want %v", s.Throughput, want)
	}
	if p := sums[1]; p.OK != 0 || p.P50 != 0 || p.Errors["409"] != 1 {
		t.Errorf("an endpoint with only failures has no latency: %+v", p)
	}
	if done, failed := rec.Counts(); done != 6 || failed != 2 {
		t.Errorf("counts %d/%d", done, failed)
	}
	merged := rec.Merged("all", "GET /tasks", "POST /applications")
	if merged.Count != 6 || merged.OK != 4 || merged.Errors["409"] != 1 || merged.Errors["503"] != 1 {
		t.Errorf("merged %+v", merged)
	}
}

func TestRatioOf(t *testing.T) {
	ours := Summary{Endpoint: "ours", P50: Millis(30 * time.Millisecond), P95: Millis(90 * time.Millisecond)}
	floor := Summary{Endpoint: "floor", P50: Millis(10 * time.Millisecond), P95: Millis(20 * time.Millisecond)}
	if r := RatioOf(ours, floor); r.P50 != 3 || r.P95 != 4.5 {
		t.Errorf("ratio %+v", r)
	}
	if r := RatioOf(ours, Summary{}); r.P50 != 0 || r.P95 != 0 {
		t.Errorf("a missing floor gives no ratio, got %+v", r)
	}
}

func TestMillisJSON(t *testing.T) {
	b, err := json.Marshal(struct{ P Millis }{Millis(12345678 * time.Nanosecond)})
	if err != nil || string(b) != `{"P":12.345}` {
		t.Errorf("got %s %v", b, err)
	}
}
