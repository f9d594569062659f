package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// Endpoints of the load, as the report names them.
const (
	epSubmit        = "POST /applications"
	epCountyReview  = "POST /applications/{id}/county-review"
	epExpertDraw    = "POST /applications/{id}/expert-draw"
	epExpertOpinion = "POST /applications/{id}/expert-opinions"
	epCityReview    = "POST /applications/{id}/city-review"
	epObjection     = "POST /public/applications/{id}/objections"
	epGetApp        = "GET /applications/{id}"
	epListApps      = "GET /applications"
	epTasks         = "GET /tasks"
)

// officerDecisions are the decisions compared with the bare Update: each is
// one Update on the application's running process.
var officerDecisions = []string{epCountyReview, epCityReview, epExpertOpinion}

// counties are Kunming's 14 review units (migrations/00001_foundation.sql).
var counties = []string{"530102", "530103", "530111", "530112", "530113", "530114", "530115",
	"530124", "530125", "530126", "530127", "530128", "530129", "530181"}

// maxObjections bounds the objections filed on one application: a few per
// notice is what the public does; hundreds would measure something else.
const maxObjections = 3

// app is one of the applications this run submitted, as its last answer
// showed it.
type app struct {
	id, county  string
	stage       string
	noticeStart string
	experts     []expertSeat
	objections  int
}

type expertSeat struct {
	ID      string
	Opinion bool
}

// apply follows the application view's stage, notice and experts. An
// expert's own answer lists its own seat only (第十二条: opinions are
// independent): the others' seats are kept as they were.
func (a *app) apply(v *client.Application) {
	a.stage = string(v.Stage)
	if len(v.Experts) == 1 && len(a.experts) > 1 {
		for i := range a.experts {
			if a.experts[i].ID == v.Experts[0].Id {
				a.experts[i].Opinion = v.Experts[0].Opinion != nil
			}
		}
	} else {
		a.experts = a.experts[:0]
		for _, e := range v.Experts {
			a.experts = append(a.experts, expertSeat{ID: e.Id, Opinion: e.Opinion != nil})
		}
	}
	if v.NoticeStart != nil {
		a.noticeStart = v.NoticeStart.String()
	}
}

func (a *app) opinions() int {
	n := 0
	for _, e := range a.experts {
		if e.Opinion {
			n++
		}
	}
	return n
}

// workload is the mix of operations on the API. Each application is in at
// most one client's hands at a time, as it would be with real officers: the
// decisions of one process are not raced against each other.
type workload struct {
	api    *apiClient
	rec    *Recorder
	mix    mix
	tag    string // this run's mark in brand names and USCCs
	round  string
	today  string // business date at set-up
	quorum int
	rngs   []*rand.Rand

	seq         atomic.Int64
	mu          sync.Mutex
	ready       []*app // the next step is an officer's or expert's decision
	notice      []*app // in public notice: objections may be filed
	known       []string
	knownNext   int
	errSamples  map[string]string // first answer per endpoint and outcome
	substituted map[string]int    // an op that found no work and did another
}

func newWorkload(api *apiClient, m mix, seed uint64, concurrency, quorum int) *workload {
	w := &workload{api: api, mix: m, quorum: quorum, tag: demo.RunTag(), errSamples: map[string]string{}, substituted: map[string]int{}}
	for i := range concurrency {
		w.rngs = append(w.rngs, rand.New(rand.NewPCG(seed, uint64(i))))
	}
	return w
}

// setup makes sure a round is open today and the expert pool exists; both
// are left alone when already there.
func (w *workload) setup(ctx context.Context) error {
	city := w.api.As(cityOfficer)
	clk, err := client.Expect(w.api.GetClockWithResponse(ctx))
	if err != nil {
		return fmt.Errorf("read the clock: %w", err)
	}
	today := clk.JSON200.Today
	w.today = today.String()
	rounds, err := client.Expect(w.api.ListRoundsWithResponse(ctx, city))
	if err != nil {
		return fmt.Errorf("list rounds: %w", err)
	}
	for _, r := range rounds.JSON200.Items {
		if !r.OpensOn.After(today.Time) && !today.After(r.ClosesOn.Time) {
			w.round = r.Id
			break
		}
	}
	if w.round == "" {
		round := client.RoundRequest{Name: "压测批次", OpensOn: today, ClosesOn: openapi_types.Date{Time: today.AddDate(1, 0, 0)}}
		r, err := client.Expect(w.api.CreateRoundWithResponse(ctx, nil, round, city))
		if err != nil {
			return fmt.Errorf("open a round: %w", err)
		}
		w.round = r.JSON201.Id
	}
	for _, e := range demo.Experts() {
		expert := client.NewExpertRequest{Id: &e.ID, Name: &e.Name, Specialties: &e.Specialties, CountyCode: &e.County}
		r, err := w.api.CreateExpertWithResponse(ctx, nil, expert, city)
		if _, err := client.Expect(r, err, http.StatusCreated, http.StatusConflict); err != nil {
			return fmt.Errorf("add expert %s: %w", e.ID, err)
		}
	}
	return nil
}

var cityOfficer = auth.Principal{Sub: "lbbench-city", Role: auth.CityOfficer}

func countyOfficer(county string) auth.Principal {
	return auth.Principal{Sub: "lbbench-county-" + county, Role: auth.CountyOfficer, County: county}
}

// op performs one operation of the mix for client goroutine worker.
func (w *workload) op(ctx context.Context, worker int) {
	rng := w.rngs[worker]
	switch w.mix.pick(rng) {
	case "submit":
		w.submit(ctx)
	case "decide":
		if !w.decide(ctx) {
			w.substitute("decide→submit")
			w.submit(ctx)
		}
	case "read":
		w.read(ctx, rng)
	case "objection":
		if !w.object(ctx) {
			w.substitute("objection→decide")
			if !w.decide(ctx) {
				w.substitute("decide→submit")
				w.submit(ctx)
			}
		}
	}
}

func (w *workload) substitute(what string) {
	w.mu.Lock()
	w.substituted[what]++
	w.mu.Unlock()
}

// record counts a request and keeps the first answer of each kind of failure.
func (w *workload) record(endpoint string, start time.Time, r reply, err error) bool {
	out := outcome(r, err)
	w.rec.Record(endpoint, start, time.Since(start), out)
	if out == "" {
		return true
	}
	w.mu.Lock()
	key := endpoint + " → " + out
	if _, ok := w.errSamples[key]; !ok {
		msg := string(r.Body)
		if err != nil {
			msg = err.Error()
		}
		w.errSamples[key] = truncate(msg, 300)
	}
	w.mu.Unlock()
	return false
}

// submit files a new application from its holder, with a brand name and a
// USCC no other run uses.
func (w *workload) submit(ctx context.Context) {
	n := w.seq.Add(1)
	county := counties[int(n)%len(counties)]
	code := demo.USCC("51" + county + w.tag + base31(n, 5))
	name := fmt.Sprintf("压测品牌%s-%d", w.tag, n)
	form := demo.Rose().With("brand_name", name, "county_code", county, "unit_name", name+"协会",
		"industry_association", name+"协会", "uscc", code, "round_id", w.round)
	tok, err := w.api.OneTimeToken(auth.Principal{Sub: "lbbench-holder-" + code, Role: auth.Applicant, USCC: code})
	if err != nil {
		panic(err) // the principal is complete by construction
	}
	typed, err := form.Typed()
	if err != nil {
		panic(err) // the demo form is complete by construction
	}
	t := time.Now()
	r, err := w.api.SubmitApplicationWithResponse(ctx, nil, typed, client.Bearer(tok))
	if w.record(epSubmit, t, replyOf(r, err), err) {
		a := &app{id: r.JSON201.Id, county: county}
		a.apply(r.JSON201)
		w.put(a)
	}
}

// put files an application where its next step is found.
func (w *workload) put(a *app) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.known) < 1000 {
		w.known = append(w.known, a.id)
	} else {
		w.known[w.knownNext%len(w.known)] = a.id
	}
	w.knownNext++
	switch {
	case a.stage == "county_review" || a.stage == "city_review":
		w.ready = append(w.ready, a)
	case a.stage == "public_notice" && a.objections < maxObjections && a.noticeStart <= w.today:
		// 第十三条: objections are received from the notice's first day,
		// which is the next working day when 复审 ends on a holiday.
		w.notice = append(w.notice, a)
	}
}

func (w *workload) takeReady() *app {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.ready) == 0 {
		return nil
	}
	a := w.ready[0]
	w.ready = w.ready[1:]
	return a
}

// decide takes the next decision on one of the run's applications: 初审
// approval, expert draw, an expert's opinion, or 复审 approval once the
// quorum has given theirs. It reports false when no application awaits one.
func (w *workload) decide(ctx context.Context) bool {
	a := w.takeReady()
	if a == nil {
		return false
	}
	id := a.id
	opinion := func(s string) *string { return &s }
	var (
		endpoint string
		decide   func(ctx context.Context) (*client.Application, reply, error)
	)
	switch opinions := a.opinions(); {
	case a.stage == "county_review":
		endpoint = epCountyReview
		as := w.api.As(countyOfficer(a.county))
		decide = func(ctx context.Context) (*client.Application, reply, error) {
			r, err := w.api.CountyReviewWithResponse(ctx, id, nil, client.CountyReviewRequest{
				Decision: client.CountyDecisionApprove, Opinion: opinion("材料齐全，同意推荐")}, as)
			return view(r, err, func() *client.Application { return r.JSON200 })
		}
	case len(a.experts) == 0:
		endpoint = epExpertDraw
		five := 5
		decide = func(ctx context.Context) (*client.Application, reply, error) {
			r, err := w.api.ExpertDrawWithResponse(ctx, id, nil, client.ExpertDrawRequest{Count: &five}, w.api.As(cityOfficer))
			return view(r, err, func() *client.Application { return r.JSON200 })
		}
	case opinions < w.quorum && opinions < len(a.experts):
		endpoint = epExpertOpinion
		var who auth.Principal
		for _, e := range a.experts {
			if !e.Opinion {
				who = auth.Principal{Sub: e.ID, Role: auth.Expert}
				break
			}
		}
		score, yes := 86, true
		decide = func(ctx context.Context) (*client.Application, reply, error) {
			r, err := w.api.ExpertOpinionWithResponse(ctx, id, nil, client.ExpertOpinionRequest{
				Score: &score, Recommend: &yes, Comment: opinion("品牌特色鲜明，带动就业明显")}, w.api.As(who))
			return view(r, err, func() *client.Application { return r.JSON200 })
		}
	default:
		endpoint = epCityReview
		decide = func(ctx context.Context) (*client.Application, reply, error) {
			r, err := w.api.CityReviewWithResponse(ctx, id, nil, client.CityReviewRequest{
				Decision: client.CityDecisionApprove, Opinion: opinion("同意入库公示")}, w.api.As(cityOfficer))
			return view(r, err, func() *client.Application { return r.JSON200 })
		}
	}
	t := time.Now()
	v, r, err := decide(ctx)
	if w.record(endpoint, t, r, err) {
		a.apply(v)
		w.put(a)
	} // a failed decision leaves the application out of the run: its state is unknown
	return true
}

// object files a public objection on an application in notice; false when
// none is.
func (w *workload) object(ctx context.Context) bool {
	w.mu.Lock()
	if len(w.notice) == 0 {
		w.mu.Unlock()
		return false
	}
	a := w.notice[0]
	w.notice = w.notice[1:]
	w.mu.Unlock()
	// Each objection says something new: the same content for the same
	// application is merged into the first (RULES §3), not stored again.
	body := client.ObjectionRequest{Name: "王某", Contact: "13900001111",
		Content: fmt.Sprintf("部分种植户未纳入协会管理（第%d项）", a.objections+1), Evidence: "村委会证明一份"}
	t := time.Now()
	r, err := w.api.PublicObjectionWithResponse(ctx, a.id, nil, body)
	if w.record(epObjection, t, replyOf(r, err), err) {
		a.objections++
		w.put(a)
	}
	return true
}

// read is one of: an application's view (city officer), a county's list of
// applications, a county's work queue.
func (w *workload) read(ctx context.Context, rng *rand.Rand) {
	county := w.api.As(countyOfficer(counties[rng.IntN(len(counties))]))
	endpoint := epListApps
	read := func() (reply, error) {
		r, err := w.api.ListApplicationsWithResponse(ctx, nil, county)
		return replyOf(r, err), err
	}
	switch rng.IntN(3) {
	case 0:
		w.mu.Lock()
		if len(w.known) > 0 {
			id := w.known[rng.IntN(len(w.known))]
			endpoint = epGetApp
			read = func() (reply, error) {
				r, err := w.api.GetApplicationWithResponse(ctx, id, w.api.As(cityOfficer))
				return replyOf(r, err), err
			}
		}
		w.mu.Unlock()
	case 1:
		endpoint = epTasks
		read = func() (reply, error) {
			r, err := w.api.ListTasksWithResponse(ctx, nil, county)
			return replyOf(r, err), err
		}
	}
	t := time.Now()
	r, err := read()
	w.record(endpoint, t, r, err)
}

// pipeline reports how many of the run's applications wait for a decision
// and how many are in notice.
func (w *workload) pipeline() (ready, notice int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.ready), len(w.notice)
}

// base31 writes n in width characters of the USCC alphabet.
func base31(n int64, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = uscc.Alphabet[n%31]
		n /= 31
	}
	return string(b)
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// view is a decision's answer: the application view, the reply, the error.
func view[R client.Answer](r R, err error, application func() *client.Application) (*client.Application, reply, error) {
	if err != nil {
		return nil, replyOf(r, err), err
	}
	return application(), replyOf(r, err), nil
}
