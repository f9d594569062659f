package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// apiClient is the API's generated client, with the tokens lbscale signs.
type apiClient struct{ *apiclient.Client }

func newAPI(base string, secret []byte) *apiClient {
	return &apiClient{apiclient.New(base, secret, 256)}
}

// as authenticates a request as who (nil: no token).
func (c *apiClient) as(who *auth.Principal) client.RequestEditorFn {
	if who == nil {
		return func(context.Context, *http.Request) error { return nil }
	}
	return c.As(*who)
}

// status is an answer's status, 0 when the call failed.
func status[R client.Answer](r R, err error) int {
	if err != nil {
		return 0
	}
	return r.StatusCode()
}

// latencies collects durations per endpoint.
type latencies struct {
	mu   sync.Mutex
	d    map[string][]time.Duration
	errs map[string]map[int]int
}

func newLatencies() *latencies {
	return &latencies{d: map[string][]time.Duration{}, errs: map[string]map[int]int{}}
}

func (l *latencies) add(ep string, d time.Duration, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if status/100 != 2 {
		if l.errs[ep] == nil {
			l.errs[ep] = map[int]int{}
		}
		l.errs[ep][status]++
		return
	}
	l.d[ep] = append(l.d[ep], d)
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := int(float64(len(ds)-1) * p)
	return ds[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// table prints a markdown table of the endpoints: count, rate, p50/p95/p99/max.
func (l *latencies) table(secs float64) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keys []string
	for k := range l.d {
		keys = append(keys, k)
	}
	for k := range l.errs {
		if _, ok := l.d[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("| endpoint | ok | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, k := range keys {
		ds := l.d[k]
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		var mx time.Duration
		if len(ds) > 0 {
			mx = ds[len(ds)-1]
		}
		e := "—"
		if len(l.errs[k]) > 0 {
			e = fmt.Sprint(l.errs[k])
		}
		fmt.Fprintf(&b, "| %s | %d | %.1f | %s | %s | %s | %s | %s |\n", k, len(ds), float64(len(ds))/secs,
			ms(pct(ds, .5)), ms(pct(ds, .95)), ms(pct(ds, .99)), ms(mx), e)
	}
	return b.String()
}
