// Package metrics exposes the Temporal SDK's metrics and the backlog of owed
// work to Prometheus, beside the API's own, on /metrics.
package metrics

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// timerBuckets are the latency buckets of SDK timers, in seconds.
var timerBuckets = prometheus.ExponentialBuckets(0.001, 2, 16)

// TemporalHandler is a client.MetricsHandler that collects the SDK's
// counters, gauges and timers. The SDK attaches tags freely, so series are
// kept by (name, tags) and exported as constant metrics on each scrape.
type TemporalHandler struct {
	store *series
	tags  map[string]string
}

// NewTemporalHandler returns a handler registered on reg.
func NewTemporalHandler(reg prometheus.Registerer) *TemporalHandler {
	s := &series{values: map[string]*value{}}
	reg.MustRegister(s)
	return &TemporalHandler{store: s}
}

var _ client.MetricsHandler = (*TemporalHandler)(nil)

// WithTags returns a handler that adds tags to every metric.
func (h *TemporalHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	for k, v := range h.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &TemporalHandler{store: h.store, tags: merged}
}

// Counter returns the counter name.
func (h *TemporalHandler) Counter(name string) client.MetricsCounter {
	return counterFunc(func(d int64) { h.store.get(name, h.tags, prometheus.CounterValue).add(float64(d)) })
}

// Gauge returns the gauge name.
func (h *TemporalHandler) Gauge(name string) client.MetricsGauge {
	return gaugeFunc(func(v float64) { h.store.get(name, h.tags, prometheus.GaugeValue).set(v) })
}

// Timer returns the timer name, exported as a histogram in seconds.
func (h *TemporalHandler) Timer(name string) client.MetricsTimer {
	return timerFunc(func(d time.Duration) {
		h.store.get(name+"_seconds", h.tags, prometheus.UntypedValue).observe(d.Seconds())
	})
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }

type value struct {
	mu      sync.Mutex
	name    string
	labels  []string
	values  []string
	kind    prometheus.ValueType // UntypedValue marks a histogram
	v       float64
	count   uint64
	buckets []uint64
}

func (v *value) add(d float64) { v.mu.Lock(); v.v += d; v.mu.Unlock() }
func (v *value) set(x float64) { v.mu.Lock(); v.v = x; v.mu.Unlock() }
func (v *value) observe(s float64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.v += s
	v.count++
	for i, b := range timerBuckets {
		if s <= b {
			v.buckets[i]++
		}
	}
}

type series struct {
	mu     sync.Mutex
	values map[string]*value
}

func (s *series) get(name string, tags map[string]string, kind prometheus.ValueType) *value {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	vals := make([]string, len(keys))
	var id strings.Builder
	id.WriteString(name)
	for i, k := range keys {
		vals[i] = tags[k]
		id.WriteString("\x00" + k + "=" + vals[i])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.values[id.String()]
	if !ok {
		v = &value{name: name, labels: keys, values: vals, kind: kind}
		if kind == prometheus.UntypedValue {
			v.buckets = make([]uint64, len(timerBuckets))
		}
		s.values[id.String()] = v
	}
	return v
}

// Describe sends no descriptors: the collector is unchecked, because the SDK
// decides its metric names and tags at run time.
func (s *series) Describe(chan<- *prometheus.Desc) {}

// Collect exports every series.
func (s *series) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	all := make([]*value, 0, len(s.values))
	for _, v := range s.values {
		all = append(all, v)
	}
	s.mu.Unlock()
	for _, v := range all {
		v.mu.Lock()
		desc := prometheus.NewDesc(prefixed(v.name), "Temporal SDK metric "+v.name+".", v.labels, nil)
		var m prometheus.Metric
		var err error
		if v.kind == prometheus.UntypedValue {
			b := make(map[float64]uint64, len(timerBuckets))
			for i, le := range timerBuckets {
				b[le] = v.buckets[i]
			}
			m, err = prometheus.NewConstHistogram(desc, v.count, v.v, b, v.values...)
		} else {
			m, err = prometheus.NewConstMetric(desc, v.kind, v.v, v.values...)
		}
		v.mu.Unlock()
		if err == nil {
			ch <- m
		}
	}
}

// prefixed is name as exported: the SDK's own names begin with temporal_
// (temporal_workflow_failed, as Temporal documents them) and are kept; any
// other is given it, so every SDK metric is found under temporal_.
func prefixed(name string) string {
	if strings.HasPrefix(name, "temporal_") {
		return name
	}
	return "temporal_" + name
}
