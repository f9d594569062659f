package metrics_test

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/kunming-hrss/laborbrand/internal/platform/metrics"
)

// The Temporal SDK's counters, gauges and timers, with the tags it attaches,
// are served on /metrics beside the API's own (prefix temporal_).
func TestSDKMetricsAppearInTheRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := metrics.NewTemporalHandler(reg)
	ns := h.WithTags(map[string]string{"namespace": "default"})
	poll := ns.WithTags(map[string]string{"task_queue": "laborbrand", "namespace": "default"})

	ns.Counter("request").Inc(2)
	ns.Counter("request").Inc(3)
	poll.Counter("request").Inc(1) // same name, more tags: a series of its own
	h.Counter("untagged").Inc(4)
	ns.Counter("temporal_workflow_failed").Inc(1) // as the SDK names its own
	poll.Gauge("worker_task_slots_available").Update(7)
	poll.Gauge("worker_task_slots_available").Update(4)
	ns.WithTags(map[string]string{"namespace": "other"}).Gauge("sticky_cache_size").Update(9) // a tag is overridden
	for _, d := range []time.Duration{3 * time.Millisecond, 10 * time.Millisecond, 2 * time.Second} {
		poll.Timer("workflow_task_execution_latency").Record(d)
	}

	got := gather(t, reg)
	cases := []struct {
		name   string
		series string
		want   float64
	}{
		{"counter increments add up", `temporal_request{namespace="default"}`, 5},
		{"the same counter with other tags is another series", `temporal_request{namespace="default",task_queue="laborbrand"}`, 1},
		{"a handler without tags exports no labels", `temporal_untagged{}`, 4},
		{"the SDK's own names keep their one prefix", `temporal_workflow_failed{namespace="default"}`, 1},
		{"a gauge keeps the last value", `temporal_worker_task_slots_available{namespace="default",task_queue="laborbrand"}`, 4},
		{"WithTags overrides an inherited tag", `temporal_sticky_cache_size{namespace="other"}`, 9},
		{"a timer counts its observations", `temporal_workflow_task_execution_latency_seconds_count{namespace="default",task_queue="laborbrand"}`, 3},
		{"a timer sums seconds", `temporal_workflow_task_execution_latency_seconds_sum{namespace="default",task_queue="laborbrand"}`, 2.013},
		{"buckets are cumulative: ≤ 4 ms", `temporal_workflow_task_execution_latency_seconds_bucket{le="0.004",namespace="default",task_queue="laborbrand"}`, 1},
		{"buckets are cumulative: ≤ 16 ms", `temporal_workflow_task_execution_latency_seconds_bucket{le="0.016",namespace="default",task_queue="laborbrand"}`, 2},
		{"buckets are cumulative: ≤ 2.048 s", `temporal_workflow_task_execution_latency_seconds_bucket{le="2.048",namespace="default",task_queue="laborbrand"}`, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := got[tc.series]
			if !ok {
				t.Fatalf("no series %s; have:\n%s", tc.series, keys(got))
			}
			if math.Abs(v-tc.want) > 1e-9 {
				t.Errorf("%s = %v, want %v", tc.series, v, tc.want)
			}
		})
	}
	types := map[string]dto.MetricType{}
	fams, _ := reg.Gather()
	for _, f := range fams {
		types[f.GetName()] = f.GetType()
	}
	for name, want := range map[string]dto.MetricType{
		"temporal_request":                                 dto.MetricType_COUNTER,
		"temporal_worker_task_slots_available":             dto.MetricType_GAUGE,
		"temporal_workflow_task_execution_latency_seconds": dto.MetricType_HISTOGRAM,
	} {
		if types[name] != want {
			t.Errorf("%s has type %v, want %v", name, types[name], want)
		}
	}
}

// gather flattens the registry to "name{label="value",…}" → value, with
// histograms as their _count, _sum and _bucket series.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[series(f.GetName(), labels)] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[series(f.GetName(), labels)] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				out[series(f.GetName()+"_count", labels)] = float64(h.GetSampleCount())
				out[series(f.GetName()+"_sum", labels)] = h.GetSampleSum()
				for _, b := range h.GetBucket() {
					with := map[string]string{"le": strconv.FormatFloat(b.GetUpperBound(), 'f', -1, 64)}
					for k, v := range labels {
						with[k] = v
					}
					out[series(f.GetName()+"_bucket", with)] = float64(b.GetCumulativeCount())
				}
			}
		}
	}
	return out
}

func series(name string, labels map[string]string) string {
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + `="` + labels[k] + `"`
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

func keys(m map[string]float64) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, "\n")
}
