package faults_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// stepsPerApplication is what the load does to each application: submit,
// 初审 approve, expert draw, three expert opinions, 复审 approve.
const stepsPerApplication = 7

// opinionsPerApplication is the expert quorum (LB_EXPERT_QUORUM default).
const opinionsPerApplication = 3

// counties the applications come from, each with its county officer.
var counties = []string{"530181", "530114", "530113", "530125"}

// load is a run of n applications through admission to the public notice,
// by a few concurrent clients.
type load struct {
	t       *testing.T
	c       *client
	n       int
	city    string
	experts map[string]string // expert id → token
	done    atomic.Int64      // steps answered 2xx
	apps    []*application
	errs    chan error
	finish  chan struct{}
}

// application is one application of the load and what the client knows of it.
type application struct {
	i         int
	id        string
	brandName string
	uscc      string
	county    string
	holder    string // token
	officer   string // token of its county's officer
	drawn     []string
}

// newLoad opens a round for today and fills the expert pool (before any
// fault), and prepares n applications.
func newLoad(t *testing.T, c *client, n int) *load {
	t.Helper()
	l := &load{t: t, c: c, n: n, city: token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}),
		experts: map[string]string{}, errs: make(chan error, n), finish: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := c.call(ctx, "setup", "", func(lbclient.RequestEditorFn) (lbclient.Answer, error) {
		return c.api.GetClockWithResponse(ctx)
	})
	clock, ok := r.(*lbclient.GetClockResponse)
	if err != nil || !ok || clock.JSON200 == nil {
		t.Fatalf("GET /api/v1/clock: %v %s", err, lbclient.BodyOf(r))
	}
	today := clock.JSON200.Today
	city := lbclient.Bearer(l.city)
	l.setup(ctx, "POST /api/v1/rounds", "fault-round", func(key lbclient.RequestEditorFn) (lbclient.Answer, error) {
		return c.api.CreateRoundWithResponse(ctx, nil, lbclient.RoundRequest{Name: "故障演练批次",
			OpensOn: openapi_types.Date{Time: today.AddDate(0, 0, -1)}, ClosesOn: openapi_types.Date{Time: today.AddDate(0, 0, 60)}}, city, key)
	})
	for _, e := range demo.Experts() {
		l.experts[e.ID] = token(t, auth.Principal{Sub: e.ID, Role: auth.Expert})
		l.setup(ctx, "POST /api/v1/experts", "expert-"+e.ID, func(key lbclient.RequestEditorFn) (lbclient.Answer, error) {
			return c.api.CreateExpertWithResponse(ctx, nil, lbclient.NewExpertRequest{Id: &e.ID, Name: &e.Name,
				Specialties: &e.Specialties, CountyCode: &e.County}, city, key)
		})
	}
	for i := range n {
		county := counties[i%len(counties)]
		a := &application{i: i, county: county, brandName: fmt.Sprintf("故障演练玫瑰%03d", i),
			uscc: demo.USCC(fmt.Sprintf("51%s%08d", county, i))}
		a.holder = token(t, auth.Principal{Sub: "holder-" + a.uscc, Role: auth.Applicant, USCC: a.uscc})
		a.officer = token(t, auth.Principal{Sub: "officer-" + county, Role: auth.CountyOfficer, County: county})
		l.apps = append(l.apps, a)
	}
	return l
}

func (l *load) setup(ctx context.Context, what, key string, send func(key lbclient.RequestEditorFn) (lbclient.Answer, error)) {
	l.t.Helper()
	r, err := l.c.call(ctx, "setup", key, send)
	if err != nil || r.StatusCode() != http.StatusCreated {
		l.t.Fatalf("%s: %v %s", what, err, lbclient.BodyOf(r))
	}
}

// total is the number of steps of the whole load.
func (l *load) total() int64 { return int64(l.n * stepsPerApplication) }

// start runs the load in the background with `clients` concurrent clients,
// each taking applications one at a time from submission to 复审; ctx bounds
// it. Wait for it with wait.
func (l *load) start(ctx context.Context, clients int) {
	queue := make(chan *application, l.n)
	for _, a := range l.apps {
		queue <- a
	}
	close(queue)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range queue {
				if err := l.admit(ctx, a); err != nil {
					l.errs <- fmt.Errorf("application %d (%s): %w", a.i, a.id, err)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(l.finish) }()
}

// waitProgress blocks until at least fraction of the steps are done.
func (l *load) waitProgress(fraction float64, within time.Duration) {
	l.t.Helper()
	want := int64(fraction * float64(l.total()))
	testenv.Eventually(l.t, within, fmt.Sprintf("%d of %d steps done", want, l.total()), func() error {
		got := l.done.Load()
		if got >= want {
			return nil
		}
		select {
		case <-l.finish:
			l.t.Fatalf("the load ended after %d steps, before the fault was due: %v", got, l.errors())
		default:
		}
		return fmt.Errorf("%d done", got)
	})
}

// wait blocks until every client has finished and returns when, with an
// error for each application that did not get through.
func (l *load) wait(within time.Duration) (time.Time, []error) {
	l.t.Helper()
	select {
	case <-l.finish:
	case <-time.After(within):
		l.t.Fatalf("the load did not finish within %s (%d of %d steps done)", within, l.done.Load(), l.total())
	}
	return time.Now(), l.errors()
}

// errors returns the applications that did not get through; call it once,
// after the load has finished.
func (l *load) errors() []error {
	close(l.errs)
	var errs []error
	for err := range l.errs {
		errs = append(errs, err)
	}
	return errs
}

// admit takes a through every step; any answer but the expected one is an error.
func (l *load) admit(ctx context.Context, a *application) error {
	form, err := demo.Rose().With("brand_name", a.brandName, "uscc", a.uscc, "county_code", a.county,
		"unit_name", a.brandName+"协会", "industry_association", a.brandName+"协会").Typed()
	if err != nil {
		return err
	}
	api := l.c.api
	var view *lbclient.Application
	// step sends one decision until it is answered, wanting the status want
	// and an application view.
	step := func(name string, want int, send func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error)) error {
		var v *lbclient.Application
		r, err := l.c.call(ctx, stepName(name), fmt.Sprintf("fault-%d-%s", a.i, name), func(key lbclient.RequestEditorFn) (lbclient.Answer, error) {
			r, got, err := send(key)
			v = got
			return r, err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if r.StatusCode() != want {
			return fmt.Errorf("%s: status %d, want %d: %.300s", name, r.StatusCode(), want, lbclient.BodyOf(r))
		}
		if v == nil {
			return fmt.Errorf("%s: answer is not an application view: %.300s", name, lbclient.BodyOf(r))
		}
		view = v
		l.done.Add(1)
		return nil
	}
	if err := step("submit", http.StatusCreated, func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error) {
		r, err := api.SubmitApplicationWithResponse(ctx, nil, form, lbclient.Bearer(a.holder), key)
		return answer(r, err, func() *lbclient.Application { return r.JSON201 })
	}); err != nil {
		return err
	}
	a.id = view.Id
	opinion := func(s string) *string { return &s }
	if err := step("county-review", http.StatusOK, func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error) {
		r, err := api.CountyReviewWithResponse(ctx, a.id, nil, lbclient.CountyReviewRequest{Decision: lbclient.CountyDecisionApprove,
			Opinion: opinion("材料齐全，同意推荐")}, lbclient.Bearer(a.officer), key)
		return answer(r, err, func() *lbclient.Application { return r.JSON200 })
	}); err != nil {
		return err
	}
	five := 5
	if err := step("expert-draw", http.StatusOK, func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error) {
		r, err := api.ExpertDrawWithResponse(ctx, a.id, nil, lbclient.ExpertDrawRequest{Count: &five}, lbclient.Bearer(l.city), key)
		return answer(r, err, func() *lbclient.Application { return r.JSON200 })
	}); err != nil {
		return err
	}
	for _, e := range view.Experts {
		a.drawn = append(a.drawn, e.Id)
	}
	if len(a.drawn) < opinionsPerApplication {
		return fmt.Errorf("expert-draw: %d experts drawn, want at least %d", len(a.drawn), opinionsPerApplication)
	}
	score, yes := 80+a.i%20, true
	for _, id := range a.drawn[:opinionsPerApplication] {
		if err := step("opinion-"+id, http.StatusOK, func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error) {
			r, err := api.ExpertOpinionWithResponse(ctx, a.id, nil, lbclient.ExpertOpinionRequest{Score: &score, Recommend: &yes,
				Comment: opinion("特色鲜明，带动就业明显")}, lbclient.Bearer(l.experts[id]), key)
			return answer(r, err, func() *lbclient.Application { return r.JSON200 })
		}); err != nil {
			return err
		}
	}
	if err := step("city-review", http.StatusOK, func(key lbclient.RequestEditorFn) (lbclient.Answer, *lbclient.Application, error) {
		r, err := api.CityReviewWithResponse(ctx, a.id, nil, lbclient.CityReviewRequest{Decision: lbclient.CityDecisionApprove,
			Opinion: opinion("同意公示")}, lbclient.Bearer(l.city), key)
		return answer(r, err, func() *lbclient.Application { return r.JSON200 })
	}); err != nil {
		return err
	}
	if view.Stage != lbclient.StagePublicNotice {
		return fmt.Errorf("after 复审 the stage is %q, want public_notice", view.Stage)
	}
	return nil
}

// answer is a call's answer with its application view (nil unless 2xx).
func answer[R lbclient.Answer](r R, err error, view func() *lbclient.Application) (lbclient.Answer, *lbclient.Application, error) {
	if err != nil {
		return nil, nil, err
	}
	if r.StatusCode()/100 != 2 {
		return r, nil, nil
	}
	return r, view(), nil
}

// stepName folds the three opinions into one step name for the tallies.
func stepName(name string) string {
	if len(name) > 8 && name[:8] == "opinion-" {
		return "expert-opinion"
	}
	return name
}
