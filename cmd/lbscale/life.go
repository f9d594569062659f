package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

// runLife drives N complete lives through the HTTP API of a stack running at
// a high time scale: submission → 初审 → expert draw → opinions → 复审 →
// notice → admission → level-1 finding → lapse → interview → lapse →
// suspension decided → restoration when the suspension ends.
func runLife(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("life", flag.ExitOnError)
	dataDir := fs.String("data-dir", "/tmp/lblife", "the dev stack's data dir (signing secret)")
	base := fs.String("api", "http://127.0.0.1:18096", "API base URL")
	pid := fs.Int("pid", 0, "pid of `laborbrand dev` (its process tree is measured)")
	lives := fs.Int("lives", 30, "complete lives, all run at once")
	poll := fs.Duration("poll", 200*time.Millisecond, "poll interval per life")
	timeout := fs.Duration("timeout", 15*time.Minute, "give up after")
	fs.Parse(args)
	if *pid == 0 {
		return fmt.Errorf("--pid of laborbrand dev is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	secret, err := auth.LoadSecret(cfg.JWTSecret, *dataDir, false)
	if err != nil {
		return err
	}
	api := newAPI(*base, secret)
	city := auth.Principal{Sub: "lbscale-city", Role: auth.CityOfficer}
	var clk struct {
		Today     string `json:"today"`
		TimeScale int64  `json:"time_scale"`
	}
	if err := api.must(ctx, "GET", "/api/v1/clock", nil, nil, &clk, 200); err != nil {
		return err
	}
	today, _ := time.Parse(time.DateOnly, clk.Today)
	var round struct {
		ID string `json:"id"`
	}
	if err := api.must(ctx, "POST", "/api/v1/rounds", &city, map[string]any{"name": "lbscale 生命周期",
		"opens_on": clk.Today, "closes_on": today.AddDate(3, 0, 0).Format(time.DateOnly)}, &round, 201); err != nil {
		return err
	}
	for _, e := range demo.Experts() {
		body := map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}
		if err := api.must(ctx, "POST", "/api/v1/experts", &city, body, nil, 201, 409); err != nil {
			return err
		}
	}
	logf("time scale ×%d, business today %s, round %s; %d lives", clk.TimeScale, clk.Today, round.ID, *lives)

	lat := newLatencies()
	var mu sync.Mutex
	phases := map[string][]time.Duration{}
	var ok, failed atomic.Int64
	var firstErr atomic.Value
	cpu0 := takeCPU(*pid)
	t0 := time.Now()
	var wg sync.WaitGroup
	tag := demo.RunTag()
	for i := range *lives {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := &life{api: api, lat: lat, poll: *poll, n: i + 1, tag: tag, round: round.ID, city: city}
			if err := l.run(ctx); err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				logf("life %d failed: %v", i+1, err)
				return
			}
			ok.Add(1)
			mu.Lock()
			for k, d := range l.phases {
				phases[k] = append(phases[k], d)
			}
			mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	prev := cpu0
	var samples []string
	for waiting := true; waiting; {
		select {
		case <-done:
			waiting = false
		case <-time.After(10 * time.Second):
			now := takeCPU(*pid)
			s := fmt.Sprintf("t+%3.0fs: %d done; CPU %s", time.Since(t0).Seconds(), ok.Load(), fmtCores(cores(prev, now)))
			samples = append(samples, s)
			logf("  %s", s)
			prev = now
		}
	}
	wall := time.Since(t0)
	cpu1 := takeCPU(*pid)
	logf("RESULT lifecycle: %d/%d lives complete in %s at ×%d → %.1f lives/min; %d failed (first: %v)",
		ok.Load(), *lives, wall.Round(time.Millisecond), clk.TimeScale, float64(ok.Load())/wall.Minutes(), failed.Load(), firstErr.Load())
	logf("RESULT CPU over the run (cores): %s", fmtCores(cores(cpu0, cpu1)))
	var keys []string
	for k := range phases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("| phase (wall time per life) | median s | max s |\n|---|---:|---:|\n")
	for _, k := range keys {
		ds := phases[k]
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		fmt.Fprintf(&b, "| %s | %.1f | %.1f |\n", k, ds[len(ds)/2].Seconds(), ds[len(ds)-1].Seconds())
	}
	logf("RESULT phases\n%s", b.String())
	logf("RESULT requests\n%s", lat.table(wall.Seconds()))
	return nil
}

type life struct {
	api    *apiClient
	lat    *latencies
	poll   time.Duration
	n      int
	tag    string
	round  string
	city   auth.Principal
	phases map[string]time.Duration
}

type appState struct {
	ID      string `json:"id"`
	Stage   string `json:"stage"`
	BrandID string `json:"brand_id"`
	Experts []struct {
		ID      string    `json:"id"`
		Opinion *struct{} `json:"opinion"`
	} `json:"experts"`
}

type brandState struct {
	Status  string `json:"status"`
	Pending *struct {
		Kind string `json:"kind"`
	} `json:"pending_decision"`
	Suspension      *struct{} `json:"suspension"`
	SuspensionCount int       `json:"suspension_count"`
}

// do sends one request as a careful client does: a write carries an
// Idempotency-Key, and a 503 (the service or a process not ready yet) is
// retried with the same key, backing off from 200 ms to 2 s, for a minute.
// Each attempt's latency is recorded; a 503 counts as an error.
func (l *life) do(ctx context.Context, ep, method, path string, who *auth.Principal, body, out any) error {
	key := ""
	if method != "GET" {
		key = randomKey()
	}
	var st int
	var raw []byte
	var err error
	for wait, giveUp := 200*time.Millisecond, time.Now().Add(time.Minute); ; wait = min(2*wait, 2*time.Second) {
		t := time.Now()
		st, raw, err = l.api.callWithKey(ctx, method, path, who, body, out, key)
		l.lat.add(ep, time.Since(t), st)
		if err != nil || st != 503 || time.Now().After(giveUp) {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
	if err != nil {
		return err
	}
	if st/100 != 2 {
		if len(raw) > 300 {
			raw = raw[:300]
		}
		return fmt.Errorf("%s: %d %s", ep, st, raw)
	}
	return nil
}

func randomKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (l *life) run(ctx context.Context) error {
	l.phases = map[string]time.Duration{}
	start := time.Now()
	mark := func(name string, from time.Time) time.Time {
		now := time.Now()
		l.phases[name] = now.Sub(from)
		return now
	}
	county := counties[l.n%len(counties)]
	code := demo.USCC(fmt.Sprintf("51%s%s%05d", county, l.tag, l.n))
	name := fmt.Sprintf("生命周期品牌%s-%d", l.tag, l.n)
	form := demo.Rose().With("brand_name", name, "county_code", county, "unit_name", name+"协会",
		"industry_association", name+"协会", "uscc", code, "round_id", l.round)
	holder := auth.Principal{Sub: "lbscale-holder-" + code, Role: auth.Applicant, USCC: code}
	officer := auth.Principal{Sub: "lbscale-county-" + county, Role: auth.CountyOfficer, County: county}
	var a appState
	if err := l.do(ctx, "POST /applications", "POST", "/api/v1/applications", &holder, form, &a); err != nil {
		return err
	}
	p := "/api/v1/applications/" + a.ID
	if err := l.do(ctx, "POST county-review", "POST", p+"/county-review", &officer, map[string]any{"decision": "approve", "opinion": "材料齐全，同意推荐"}, &a); err != nil {
		return err
	}
	five := 5
	if err := l.do(ctx, "POST expert-draw", "POST", p+"/expert-draw", &l.city, map[string]any{"count": &five}, &a); err != nil {
		return err
	}
	for k := 0; k < 3 && k < len(a.Experts); k++ {
		ex := auth.Principal{Sub: a.Experts[k].ID, Role: auth.Expert}
		if err := l.do(ctx, "POST expert-opinions", "POST", p+"/expert-opinions", &ex,
			map[string]any{"score": 86, "recommend": true, "comment": "品牌特色鲜明，带动就业明显"}, nil); err != nil {
			return err
		}
	}
	if err := l.do(ctx, "POST city-review", "POST", p+"/city-review", &l.city, map[string]any{"decision": "approve", "opinion": "同意入库公示"}, &a); err != nil {
		return err
	}
	t := mark("1 submission → 复审 approved (7 requests)", start)
	// notice → admission: the application's process admits and starts the brand.
	if err := l.until(ctx, "GET /applications/{id} (poll)", p, &l.city, func(x *appState) bool { return x.Stage == "admitted" && x.BrandID != "" }, &a); err != nil {
		return fmt.Errorf("admission: %w", err)
	}
	bp := "/api/v1/brands/" + a.BrandID
	var b brandState
	if err := l.untilB(ctx, bp, func(*brandState) bool { return true }, &b); err != nil {
		return err
	}
	t = mark("2 public notice → admitted, brand open", t)
	// The brand row is readable a moment before admission has started the
	// brand's process; the API answers 503 meanwhile, which do retries.
	if err := l.do(ctx, "POST /brands/{id}/findings", "POST", bp+"/findings", &officer,
		map[string]any{"reason": "logo_misuse", "description": "不规范使用劳务品牌标识（压测）"}, nil); err != nil {
		return err
	}
	if err := l.untilB(ctx, bp, func(x *brandState) bool { return x.Pending != nil && x.Pending.Kind == "interview" }, &b); err != nil {
		return fmt.Errorf("level-1 lapse: %w", err)
	}
	t = mark("3 level-1 order → lapse (1 month)", t)
	var clk struct {
		Today string `json:"today"`
	}
	if err := l.do(ctx, "GET /clock", "GET", "/api/v1/clock", nil, nil, &clk); err != nil {
		return err
	}
	if err := l.do(ctx, "POST /brands/{id}/interview", "POST", bp+"/interview", &officer,
		map[string]any{"held_on": clk.Today, "note": "约谈记录（压测）"}, nil); err != nil {
		return err
	}
	if err := l.untilB(ctx, bp, func(x *brandState) bool { return x.Pending != nil && x.Pending.Kind == "suspension" }, &b); err != nil {
		return fmt.Errorf("level-2 lapse: %w", err)
	}
	t = mark("4 interview → lapse (3 months)", t)
	yes := true
	if err := l.do(ctx, "POST /brands/{id}/suspension-decision", "POST", bp+"/suspension-decision", &l.city,
		map[string]any{"suspend": &yes, "reason": "三个月整改期届满未整改到位（压测）"}, nil); err != nil {
		return err
	}
	if err := l.untilB(ctx, bp, func(x *brandState) bool {
		return x.Suspension == nil && x.SuspensionCount == 1 && x.Status == "active"
	}, &b); err != nil {
		return fmt.Errorf("restoration: %w", err)
	}
	mark("5 suspension → restoration (12 months)", t)
	mark("total", start)
	return nil
}

func (l *life) until(ctx context.Context, ep, path string, who *auth.Principal, cond func(*appState) bool, out *appState) error {
	for {
		var x appState
		st, _, err := l.api.call(ctx, "GET", path, who, nil, &x)
		if err == nil && st == 200 && cond(&x) {
			*out = x
			return nil
		}
		if err := sleep(ctx, l.poll); err != nil {
			return fmt.Errorf("stage %q: %w", x.Stage, err)
		}
	}
}

func (l *life) untilB(ctx context.Context, path string, cond func(*brandState) bool, out *brandState) error {
	for {
		var x brandState
		t := time.Now()
		st, _, err := l.api.call(ctx, "GET", path, &l.city, nil, &x)
		if st != 404 {
			l.lat.add("GET /brands/{id} (poll)", time.Since(t), st)
		}
		if err == nil && st == 200 && cond(&x) {
			*out = x
			return nil
		}
		if err := sleep(ctx, l.poll); err != nil {
			return fmt.Errorf("last status %d %+v: %w", st, x, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
