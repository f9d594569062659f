package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/workflows"
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
	ramp := fs.Duration("ramp", 0, "start the lives evenly over this wall time instead of in the same instant, "+
		"so that their deadlines do not all fall due together")
	timeout := fs.Duration("timeout", 15*time.Minute, "give up after")
	taddr := fs.String("temporal", "", "Temporal frontend: when given, the completed lives' histories are read for deadlines acted on late")
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
	clock, err := client.Expect(api.GetClockWithResponse(ctx))
	if err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}
	clk := clock.JSON200
	opened, err := client.Expect(api.CreateRoundWithResponse(ctx, nil, client.RoundRequest{Name: "lbscale 生命周期",
		OpensOn: clk.Today, ClosesOn: openapi_types.Date{Time: clk.Today.AddDate(3, 0, 0)}}, api.as(&city)))
	if err != nil {
		return fmt.Errorf("open a round: %w", err)
	}
	round := opened.JSON201
	for _, e := range demo.Experts() {
		r, err := api.CreateExpertWithResponse(ctx, nil, client.NewExpertRequest{Id: &e.ID, Name: &e.Name,
			Specialties: &e.Specialties, CountyCode: &e.County}, api.as(&city))
		if _, err := client.Expect(r, err, http.StatusCreated, http.StatusConflict); err != nil {
			return fmt.Errorf("add expert %s: %w", e.ID, err)
		}
	}
	logf("time scale ×%d, business today %s, round %s; %d lives, started over %s", clk.TimeScale, clk.Today, round.Id, *lives, *ramp)

	lat := newLatencies()
	var mu sync.Mutex
	phases := map[string][]time.Duration{}
	var ok, failed atomic.Int64
	var processes []string // the completed lives' workflow IDs
	var firstErr atomic.Value
	cpu0 := takeCPU(*pid)
	t0 := time.Now()
	var wg sync.WaitGroup
	tag := demo.RunTag()
	for i := range *lives {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if *ramp > 0 {
				select {
				case <-time.After(*ramp * time.Duration(i) / time.Duration(*lives)):
				case <-ctx.Done():
				}
			}
			l := &life{api: api, lat: lat, poll: *poll, n: i + 1, tag: tag, round: round.Id, city: city}
			if err := l.run(ctx); err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				logf("life %d failed: %v", i+1, err)
				return
			}
			ok.Add(1)
			mu.Lock()
			processes = append(processes, workflows.ApplicationWorkflowID(l.applicationID), workflows.BrandWorkflowID(l.brandID))
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
	// What is measured after the lives has its own time: a life that ran out
	// of the run's timeout does not take the report of the others with it.
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	logf("RESULT lifecycle: %d/%d lives complete in %s at ×%d → %.1f lives/min; %d failed (first: %v)",
		ok.Load(), *lives, wall.Round(time.Millisecond), clk.TimeScale, float64(ok.Load())/wall.Minutes(), failed.Load(), firstErr.Load())
	logf("RESULT CPU over the run (cores): %s", fmtCores(cores(cpu0, cpu1)))
	if n := ok.Load(); n > 0 {
		gross := cpuSeconds(cpu0, cpu1)
		logf("RESULT CPU per complete life: %.3f s (laborbrand, postgres and temporal, over the run's wall time)", gross/float64(n))
		brands := make([]string, 0, len(processes)/2)
		for i := 1; i < len(processes); i += 2 {
			brands = append(brands, strings.TrimPrefix(processes[i], workflows.BrandWorkflowID("")))
		}
		polls, err := pollCost(ctx, api, city, *pid, brands, int(pollCount.Load()))
		if err != nil {
			return err
		}
		logf("RESULT CPU per complete life, less the tool's polls: %.3f s (%d polls, replayed after the run: %.1f s of API and PostgreSQL CPU)",
			(gross-polls)/float64(n), pollCount.Load(), polls)
	}
	if *taddr != "" {
		tc, err := dialTemporal(ctx, *taddr)
		if err != nil {
			return err
		}
		late, err := measureLateness(ctx, tc, processes, 8, int64(clk.TimeScale))
		tc.Close()
		if err != nil {
			return err
		}
		logf("RESULT deadlines: %s", late)
	}
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

	applicationID, brandID string // set as the life reaches them
}

// do sends one request as a careful client does: a write carries an
// Idempotency-Key (call gets it; GETs ignore it), and a 503 (the service or a
// process not ready yet) is retried with the same key, backing off from
// 200 ms to 2 s, for a minute. Each attempt's latency is recorded; a 503
// counts as an error.
func (l *life) do(ctx context.Context, ep string, call func(key client.RequestEditorFn) (client.Answer, error)) error {
	key := client.IdempotencyKey(randomKey())
	var r client.Answer
	var err error
	st := 0
	for wait, giveUp := 200*time.Millisecond, time.Now().Add(time.Minute); ; wait = min(2*wait, 2*time.Second) {
		t := time.Now()
		r, err = call(key)
		st = 0
		if err == nil {
			st = r.StatusCode()
		}
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
		return fmt.Errorf("%s: %w", ep, &client.StatusError{Status: st, Body: client.BodyOf(r)})
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
	as := l.api.as
	typed, err := form.Typed()
	if err != nil {
		return err
	}
	var a *client.Application
	app := func(r client.Answer, err error, v *client.Application) (client.Answer, error) {
		if err == nil && v != nil {
			a = v
		}
		return r, err
	}
	if err := l.do(ctx, "POST /applications", func(key client.RequestEditorFn) (client.Answer, error) {
		r, err := l.api.SubmitApplicationWithResponse(ctx, nil, typed, as(&holder), key)
		return app(r, err, jsonOf(r, err, func() *client.Application { return r.JSON201 }))
	}); err != nil {
		return err
	}
	id := a.Id
	l.applicationID = id
	opinion := func(s string) *string { return &s }
	if err := l.do(ctx, "POST county-review", func(key client.RequestEditorFn) (client.Answer, error) {
		r, err := l.api.CountyReviewWithResponse(ctx, id, nil, client.CountyReviewRequest{Decision: client.CountyDecisionApprove,
			Opinion: opinion("材料齐全，同意推荐")}, as(&officer), key)
		return app(r, err, jsonOf(r, err, func() *client.Application { return r.JSON200 }))
	}); err != nil {
		return err
	}
	five := 5
	if err := l.do(ctx, "POST expert-draw", func(key client.RequestEditorFn) (client.Answer, error) {
		r, err := l.api.ExpertDrawWithResponse(ctx, id, nil, client.ExpertDrawRequest{Count: &five}, as(&l.city), key)
		return app(r, err, jsonOf(r, err, func() *client.Application { return r.JSON200 }))
	}); err != nil {
		return err
	}
	score, yes := 86, true
	for k := 0; k < 3 && k < len(a.Experts); k++ {
		ex := auth.Principal{Sub: a.Experts[k].Id, Role: auth.Expert}
		if err := l.do(ctx, "POST expert-opinions", func(key client.RequestEditorFn) (client.Answer, error) {
			return l.api.ExpertOpinionWithResponse(ctx, id, nil, client.ExpertOpinionRequest{Score: &score, Recommend: &yes,
				Comment: opinion("品牌特色鲜明，带动就业明显")}, as(&ex), key)
		}); err != nil {
			return err
		}
	}
	if err := l.do(ctx, "POST city-review", func(key client.RequestEditorFn) (client.Answer, error) {
		r, err := l.api.CityReviewWithResponse(ctx, id, nil, client.CityReviewRequest{Decision: client.CityDecisionApprove,
			Opinion: opinion("同意入库公示")}, as(&l.city), key)
		return app(r, err, jsonOf(r, err, func() *client.Application { return r.JSON200 }))
	}); err != nil {
		return err
	}
	t := mark("1 submission → 复审 approved (7 requests)", start)
	// notice → admission: the application's process admits and starts the brand.
	admitted, err := l.until(ctx, id, func(x *client.Application) bool { return x.Stage == client.StageAdmitted && x.BrandId != nil })
	if err != nil {
		return fmt.Errorf("admission: %w", err)
	}
	brand := *admitted.BrandId
	l.brandID = brand
	if _, err := l.untilB(ctx, brand, func(*client.Brand) bool { return true }); err != nil {
		return err
	}
	t = mark("2 public notice → admitted, brand open", t)
	// The brand row is readable a moment before admission has started the
	// brand's process; the API answers 503 meanwhile, which do retries.
	if err := l.do(ctx, "POST /brands/{id}/findings", func(key client.RequestEditorFn) (client.Answer, error) {
		return l.api.FindingWithResponse(ctx, brand, nil, client.FindingRequest{Reason: client.FindingReasonLogoMisuse,
			Description: "不规范使用劳务品牌标识（压测）"}, as(&officer), key)
	}); err != nil {
		return err
	}
	pending := func(kind client.PendingDecisionKind) func(*client.Brand) bool {
		return func(x *client.Brand) bool { return x.PendingDecision != nil && x.PendingDecision.Kind == kind }
	}
	if _, err := l.untilB(ctx, brand, pending(client.PendingDecisionKindInterview)); err != nil {
		return fmt.Errorf("level-1 lapse: %w", err)
	}
	t = mark("3 level-1 order → lapse (1 month)", t)
	clock, err := client.Expect(l.api.GetClockWithResponse(ctx))
	if err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}
	if err := l.do(ctx, "POST /brands/{id}/interview", func(key client.RequestEditorFn) (client.Answer, error) {
		return l.api.InterviewWithResponse(ctx, brand, nil, client.InterviewRequest{HeldOn: clock.JSON200.Today,
			Note: "约谈记录（压测）"}, as(&officer), key)
	}); err != nil {
		return err
	}
	if _, err := l.untilB(ctx, brand, pending(client.PendingDecisionKindSuspension)); err != nil {
		return fmt.Errorf("level-2 lapse: %w", err)
	}
	t = mark("4 interview → lapse (3 months)", t)
	if err := l.do(ctx, "POST /brands/{id}/suspension-decision", func(key client.RequestEditorFn) (client.Answer, error) {
		return l.api.SuspensionDecisionWithResponse(ctx, brand, nil, client.SuspensionRequest{Suspend: &yes,
			Reason: "三个月整改期届满未整改到位（压测）"}, as(&l.city), key)
	}); err != nil {
		return err
	}
	if _, err := l.untilB(ctx, brand, func(x *client.Brand) bool {
		return x.Suspension == nil && x.SuspensionCount == 1 && x.Status == client.BrandStatusActive
	}); err != nil {
		return fmt.Errorf("restoration: %w", err)
	}
	mark("5 suspension → restoration (12 months)", t)
	mark("total", start)
	return nil
}

// jsonOf is a successful answer's view, nil otherwise.
func jsonOf[R client.Answer](r R, err error, view func() *client.Application) *client.Application {
	if err != nil || r.StatusCode()/100 != 2 {
		return nil
	}
	return view()
}

// pollCount counts the polls of every life: what watching the lives cost
// is not a life's own (pollCost).
var pollCount atomic.Int64

// pollCost measures, after the run, the CPU the stack spends on as many
// GET /brands/{id} as the lives polled (four at a time): what watching the
// lives cost rather than living them. Only the API's and PostgreSQL's CPU
// count (a read never reaches Temporal), less what they spend meanwhile
// anyway — at a high time scale the admitted brands live on after the run
// (reminders, evaluation windows), measured for 5 s before the replay.
func pollCost(ctx context.Context, api *apiClient, city auth.Principal, pid int, brands []string, polls int) (float64, error) {
	reading := func(a, b cpuSnap) float64 {
		return b.cpu["laborbrand"] - a.cpu["laborbrand"] + b.cpu["postgres"] - a.cpu["postgres"]
	}
	c0 := takeCPU(pid)
	time.Sleep(5 * time.Second)
	c1 := takeCPU(pid)
	background := reading(c0, c1) / c1.at.Sub(c0.at).Seconds()
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)); i <= polls; i = int(next.Add(1)) {
				r, err := api.GetBrandWithResponse(ctx, brands[i%len(brands)], api.as(&city))
				if st := status(r, err); st != 200 {
					failed.CompareAndSwap(nil, fmt.Sprintf("replayed poll: status %d (%v)", st, err))
					return
				}
			}
		}()
	}
	wg.Wait()
	c2 := takeCPU(pid)
	if f := failed.Load(); f != nil {
		return 0, fmt.Errorf("%v", f)
	}
	return max(0, reading(c1, c2)-background*c2.at.Sub(c1.at).Seconds()), nil
}

// until polls the application until cond holds.
func (l *life) until(ctx context.Context, id string, cond func(*client.Application) bool) (*client.Application, error) {
	stage := client.Stage("")
	for {
		pollCount.Add(1)
		r, err := l.api.GetApplicationWithResponse(ctx, id, l.api.as(&l.city))
		if err == nil && r.JSON200 != nil {
			stage = r.JSON200.Stage
			if cond(r.JSON200) {
				return r.JSON200, nil
			}
		}
		if err := sleep(ctx, l.poll); err != nil {
			return nil, fmt.Errorf("stage %q: %w", stage, err)
		}
	}
}

// untilB polls the brand until cond holds.
func (l *life) untilB(ctx context.Context, id string, cond func(*client.Brand) bool) (*client.Brand, error) {
	for {
		pollCount.Add(1)
		t := time.Now()
		r, err := l.api.GetBrandWithResponse(ctx, id, l.api.as(&l.city))
		st := status(r, err)
		if st != 404 {
			l.lat.add("GET /brands/{id} (poll)", time.Since(t), st)
		}
		if st == 200 && cond(r.JSON200) {
			return r.JSON200, nil
		}
		if err := sleep(ctx, l.poll); err != nil {
			return nil, fmt.Errorf("last status %d: %w", st, err)
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
