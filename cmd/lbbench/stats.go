package main

import (
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder collects the latency and outcome of every operation of a phase,
// per endpoint. Operations that start before From (the warm-up) are not
// recorded, so that connection pools and caches are warm when counting.
type Recorder struct {
	From time.Time

	mu        sync.Mutex
	endpoints map[string]*samples
	until     time.Time // when the last recorded operation ended

	done, failed atomic.Int64
}

// samples are one endpoint's recorded operations.
type samples struct {
	ok     []time.Duration
	errors map[string]int
}

// NewRecorder returns a recorder that counts operations starting at from.
func NewRecorder(from time.Time) *Recorder {
	return &Recorder{From: from, endpoints: map[string]*samples{}}
}

// Record adds one operation of endpoint that started at start and took d.
// outcome is "" for a success, otherwise what went wrong: an HTTP status
// code ("409") or a short word ("transport", "timeout"). It reports whether
// the operation was counted (false during the warm-up).
func (r *Recorder) Record(endpoint string, start time.Time, d time.Duration, outcome string) bool {
	if start.Before(r.From) {
		return false
	}
	r.mu.Lock()
	s := r.endpoints[endpoint]
	if s == nil {
		s = &samples{errors: map[string]int{}}
		r.endpoints[endpoint] = s
	}
	if outcome == "" {
		s.ok = append(s.ok, d)
	} else {
		s.errors[outcome]++
	}
	if end := start.Add(d); end.After(r.until) {
		r.until = end
	}
	r.mu.Unlock()
	r.done.Add(1)
	if outcome != "" {
		r.failed.Add(1)
	}
	return true
}

// Counts returns how many operations were recorded and how many failed.
func (r *Recorder) Counts() (done, failed int64) { return r.done.Load(), r.failed.Load() }

// Summary is what one endpoint did in a phase. Latencies are of successful
// operations only; throughput is successful operations per second of the
// measured window.
type Summary struct {
	Endpoint   string         `json:"endpoint"`
	Count      int            `json:"count"`
	OK         int            `json:"ok"`
	Errors     map[string]int `json:"errors,omitempty"`
	Throughput float64        `json:"throughput_per_s"`
	P50        Millis         `json:"p50_ms"`
	P95        Millis         `json:"p95_ms"`
	P99        Millis         `json:"p99_ms"`
	Mean       Millis         `json:"mean_ms"`
	Max        Millis         `json:"max_ms"`
}

// Millis is a duration written in JSON as fractional milliseconds.
type Millis time.Duration

// MarshalJSON writes m as milliseconds with microsecond precision.
func (m Millis) MarshalJSON() ([]byte, error) {
	ms := math.Round(float64(time.Duration(m).Microseconds())) / 1000
	return []byte(formatFloat(ms)), nil
}

// Window is the measured span of the phase: from the end of the warm-up to
// the end of the last recorded operation.
func (r *Recorder) Window() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.until.Before(r.From) {
		return 0
	}
	return r.until.Sub(r.From)
}

// Summaries returns every endpoint's summary, sorted by endpoint.
func (r *Recorder) Summaries() []Summary {
	window := r.Window()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Summary, 0, len(r.endpoints))
	for name, s := range r.endpoints {
		out = append(out, summarize(name, s.ok, s.errors, window))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Endpoint < out[j].Endpoint })
	return out
}

// Merged summarizes several endpoints as one (e.g. every officer decision).
func (r *Recorder) Merged(name string, endpoints ...string) Summary {
	window := r.Window()
	r.mu.Lock()
	defer r.mu.Unlock()
	var ok []time.Duration
	errs := map[string]int{}
	for _, e := range endpoints {
		if s := r.endpoints[e]; s != nil {
			ok = append(ok, s.ok...)
			for k, v := range s.errors {
				errs[k] += v
			}
		}
	}
	return summarize(name, ok, errs, window)
}

func summarize(name string, ok []time.Duration, errs map[string]int, window time.Duration) Summary {
	d := slices.Clone(ok)
	slices.Sort(d)
	s := Summary{Endpoint: name, OK: len(d), Count: len(d)}
	if len(errs) > 0 {
		s.Errors = map[string]int{}
		for k, v := range errs {
			s.Errors[k] = v
			s.Count += v
		}
	}
	if window > 0 {
		s.Throughput = float64(len(d)) / window.Seconds()
	}
	if len(d) == 0 {
		return s
	}
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	s.P50, s.P95, s.P99 = Millis(Percentile(d, 50)), Millis(Percentile(d, 95)), Millis(Percentile(d, 99))
	s.Mean, s.Max = Millis(sum/time.Duration(len(d))), Millis(d[len(d)-1])
	return s
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value such that at least p% of the
// values are less than or equal to it. It is always one of the values, so
// a p99 of 50 samples is their maximum. Empty input gives 0.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// Ratio is a latency of ours divided by a floor, at p50 and p95.
type Ratio struct {
	What  string  `json:"what"`
	Floor string  `json:"floor"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
}

// RatioOf divides s's p50 and p95 by floor's (0 when either is missing).
func RatioOf(s, floor Summary) Ratio {
	div := func(a, b Millis) float64 {
		if a == 0 || b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	return Ratio{What: s.Endpoint, Floor: floor.Endpoint, P50: div(s.P50, floor.P50), P95: div(s.P95, floor.P95)}
}
