package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/auth"
)

type apiClient struct {
	base   string
	http   *http.Client
	secret []byte
	mu     sync.Mutex
	tokens map[auth.Principal]string
}

func newAPI(base string, secret []byte) *apiClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 256, 256
	return &apiClient{base: strings.TrimSuffix(base, "/"), http: &http.Client{Transport: tr, Timeout: time.Minute},
		secret: secret, tokens: map[auth.Principal]string{}}
}

func (c *apiClient) token(p auth.Principal) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tokens[p]; ok {
		return t
	}
	t, err := auth.Sign(c.secret, p, time.Now(), 12*time.Hour)
	if err != nil {
		panic(err)
	}
	c.tokens[p] = t
	return t
}

// call sends a request and decodes a 2xx answer into out; it returns the
// status and the body.
func (c *apiClient) call(ctx context.Context, method, path string, who *auth.Principal, body, out any) (int, []byte, error) {
	return c.callWithKey(ctx, method, path, who, body, out, "")
}

// callWithKey is call with an Idempotency-Key (none if key is "").
func (c *apiClient) callWithKey(ctx context.Context, method, path string, who *auth.Principal, body, out any, key string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != nil {
		req.Header.Set("Authorization", "Bearer "+c.token(*who))
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, raw, err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, raw, nil
}

// must insists on a wanted status.
func (c *apiClient) must(ctx context.Context, method, path string, who *auth.Principal, body, out any, want ...int) error {
	st, raw, err := c.call(ctx, method, path, who, body, out)
	if err != nil {
		return err
	}
	for _, w := range want {
		if st == w {
			return nil
		}
	}
	if len(raw) > 400 {
		raw = raw[:400]
	}
	return fmt.Errorf("%s %s: status %d: %s", method, path, st, raw)
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
