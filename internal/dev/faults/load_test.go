package faults_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
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
	var clk struct {
		Today string `json:"today"`
	}
	status, body, err := c.call(ctx, "setup", http.MethodGet, "/api/v1/clock", "", "", nil)
	if err != nil || status != http.StatusOK || json.Unmarshal(body, &clk) != nil {
		t.Fatalf("GET /api/v1/clock: %d %v %s", status, err, body)
	}
	today, err := calendar.ParseDate(clk.Today)
	if err != nil {
		t.Fatalf("clock today %q: %v", clk.Today, err)
	}
	l.setup(ctx, "POST", "/api/v1/rounds", "fault-round", map[string]any{"name": "故障演练批次",
		"opens_on": today.AddDays(-1).String(), "closes_on": today.AddDays(60).String()})
	for _, e := range demo.Experts() {
		l.experts[e.ID] = token(t, auth.Principal{Sub: e.ID, Role: auth.Expert})
		l.setup(ctx, "POST", "/api/v1/experts", "expert-"+e.ID, map[string]any{"id": e.ID, "name": e.Name,
			"specialties": e.Specialties, "county_code": e.County})
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

func (l *load) setup(ctx context.Context, method, path, key string, body any) {
	l.t.Helper()
	status, resp, err := l.c.call(ctx, "setup", method, path, l.city, key, body)
	if err != nil || status != http.StatusCreated {
		l.t.Fatalf("%s %s: %d %v %s", method, path, status, err, resp)
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
	form := demo.Rose().With("brand_name", a.brandName, "uscc", a.uscc, "county_code", a.county,
		"unit_name", a.brandName+"协会", "industry_association", a.brandName+"协会")
	var view struct {
		ID      string `json:"id"`
		Stage   string `json:"stage"`
		Experts []struct {
			ID string `json:"id"`
		} `json:"experts"`
	}
	step := func(name, path, tok string, want int, body any) error {
		key := fmt.Sprintf("fault-%d-%s", a.i, name)
		status, resp, err := l.c.call(ctx, stepName(name), http.MethodPost, path, tok, key, body)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if status != want {
			return fmt.Errorf("%s: status %d, want %d: %.300s", name, status, want, resp)
		}
		if err := json.Unmarshal(resp, &view); err != nil {
			return fmt.Errorf("%s: answer is not an application view: %v", name, err)
		}
		l.done.Add(1)
		return nil
	}
	if err := step("submit", "/api/v1/applications", a.holder, http.StatusCreated, form); err != nil {
		return err
	}
	a.id = view.ID
	base := "/api/v1/applications/" + a.id
	if err := step("county-review", base+"/county-review", a.officer, http.StatusOK,
		map[string]any{"decision": "approve", "opinion": "材料齐全，同意推荐"}); err != nil {
		return err
	}
	if err := step("expert-draw", base+"/expert-draw", l.city, http.StatusOK, map[string]any{"count": 5}); err != nil {
		return err
	}
	for _, e := range view.Experts {
		a.drawn = append(a.drawn, e.ID)
	}
	if len(a.drawn) < opinionsPerApplication {
		return fmt.Errorf("expert-draw: %d experts drawn, want at least %d", len(a.drawn), opinionsPerApplication)
	}
	for _, id := range a.drawn[:opinionsPerApplication] {
		if err := step("opinion-"+id, base+"/expert-opinions", l.experts[id], http.StatusOK,
			map[string]any{"score": 80 + a.i%20, "recommend": true, "comment": "特色鲜明，带动就业明显"}); err != nil {
			return err
		}
	}
	if err := step("city-review", base+"/city-review", l.city, http.StatusOK,
		map[string]any{"decision": "approve", "opinion": "同意公示"}); err != nil {
		return err
	}
	if view.Stage != "public_notice" {
		return fmt.Errorf("after 复审 the stage is %q, want public_notice", view.Stage)
	}
	return nil
}

// stepName folds the three opinions into one step name for the tallies.
func stepName(name string) string {
	if len(name) > 8 && name[:8] == "opinion-" {
		return "expert-opinion"
	}
	return name
}
