package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// harness runs one application workflow in the time-skipping environment
// with the real activities on a real database. Messages are scheduled at
// business instants before run; every scheduled callback must have run by
// the time the workflow completes.
type harness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *store.Store
	in    workflows.ApplicationInput
	start time.Time // the workflow's start: the submission instant
	seq   int       // Update IDs
	due   int       // callbacks scheduled
	ran   int       // callbacks run
	done  int       // Updates answered (refused or completed)
	// noCaller leaves a decision's writes to the process, as if its caller
	// stopped before it wrote them; else send makes them, as the API does.
	noCaller bool
}

// at returns hour:00 Asia/Shanghai on day.
func at(day string, hour int) time.Time {
	d := date(day)
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, calendar.Shanghai)
}

func date(day string) calendar.Date {
	d, err := calendar.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return d
}

// Actors, as the API authenticates them.
func county() workflows.Actor {
	return workflows.Actor{Sub: "officer-530181", Role: "county_officer", County: "530181"}
}
func city() workflows.Actor { return workflows.Actor{Sub: "city-1", Role: "city_officer"} }
func holder() workflows.Actor {
	return workflows.Actor{Sub: "holder", Role: "applicant", USCC: "51530181MJ0000001U"}
}

// newHarness starts the harness at submitted; shape, when given, changes
// the process input and the stored application before it is stored (an
// application brought over in flight).
func newHarness(t *testing.T, submitted time.Time, shape ...func(*workflows.ApplicationInput, *store.NewApplication)) *harness {
	t.Helper()
	st := testenv.Store(t)
	h := &harness{t: t, env: applicationEnv(t, st, submitted), store: st, start: submitted}
	ctx := context.Background()
	round := store.Round{ID: "R1", Name: "2026年第一批", OpensOn: "2020-01-01", ClosesOn: "2030-12-31", CreatedAt: submitted}
	if _, err := st.CreateRound(ctx, round, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	h.in = workflows.ApplicationInput{ApplicationID: "A0001", RoundID: "R1", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U",
		SubmittedOn: calendar.DateOf(submitted), Policy: workflows.DefaultAdmissionPolicy}
	rec := store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: h.in.BrandName,
		BrandType: h.in.BrandType, Category: h.in.Category, CountyCode: h.in.CountyCode, UnitName: h.in.UnitName,
		USCC: h.in.USCC, Form: map[string]any{"brand_name": h.in.BrandName}, Eligibility: []any{},
		SubmittedAt: submitted, SubmittedBy: "holder", SubmittedRole: "applicant"}
	for _, f := range shape {
		f(&h.in, &rec)
	}
	if err := st.CreateApplication(ctx, rec); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		e := store.Expert{ID: fmt.Sprintf("E%02d", i), Name: fmt.Sprintf("专家%d", i), Specialties: []string{"planting_breeding"},
			CountyCode: "530102", Active: true, CreatedAt: submitted, UpdatedAt: submitted}
		if _, err := st.CreateExpert(ctx, e, "city", "city_officer"); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// applicationEnv is a test environment for an application's process on
// st's records, its clock at start.
func applicationEnv(t *testing.T, st *store.Store, start time.Time) *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testLogger(t))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	worker.Register(env, &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}})
	// The brand's own process lives for years; its tests are its own. Here
	// only its start matters.
	env.OnWorkflow(workflows.BrandWorkflow, mock.Anything, mock.Anything).Return(nil)
	return env
}

// runUntilContinued runs the workflow, which must continue as new, and
// returns the next run's input.
func (h *harness) runUntilContinued() workflows.ApplicationInput {
	h.t.Helper()
	h.env.ExecuteWorkflow(workflows.ApplicationWorkflow, h.in)
	var can *workflow.ContinueAsNewError
	if !errors.As(h.env.GetWorkflowError(), &can) {
		h.t.Fatalf("the run ended with %v, want continue-as-new", h.env.GetWorkflowError())
	}
	var next workflows.ApplicationInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		h.t.Fatal(err)
	}
	return next
}

// nextRun is the harness of the run that continues h's, started at when
// with in: the same records, a test environment of its own.
func (h *harness) nextRun(when time.Time, in workflows.ApplicationInput) *harness {
	return &harness{t: h.t, env: applicationEnv(h.t, h.store, when), store: h.store, in: in, start: when}
}

// testLogger logs warnings and errors of the SDK to t; its debug lines
// (every timer and activity) would bury a failure.
func testLogger(t testing.TB) sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// offTheHour puts a model test's checks a minute past the hour: deadlines
// and alerts fall on the hour, and the test environment's clock fires timers
// due at the same instant in no fixed order, so a check on the hour could
// run between a deadline's state change and the write that records it.
const offTheHour = time.Minute

// later runs fn at business instant when, inside the workflow's timeline.
func (h *harness) later(when time.Time, fn func()) {
	h.t.Helper()
	if when.Before(h.start) {
		h.t.Fatalf("callback at %s is before the start %s", when, h.start)
	}
	h.due++
	h.env.RegisterDelayedCallback(func() { h.ran++; fn() }, when.Sub(h.start))
}

// send sends an Update now (inside a later callback) and reports its
// outcome, refused or completed, to check.
func (h *harness) send(name string, arg any, check func(error)) {
	h.seq++
	h.env.UpdateWorkflow(name, fmt.Sprintf("u%d", h.seq), &testsuite.TestUpdateCallback{
		OnReject: func(err error) { h.done++; check(err) },
		OnAccept: func() {},
		OnComplete: func(res any, err error) {
			h.done++
			if r, ok := res.(workflows.DecisionResult); ok && err == nil && !h.noCaller {
				writeAsCaller(h.t, h.store, r.Writes)
			}
			check(err)
		},
	}, arg)
}

// writeAsCaller makes a decision's writes as its caller, the API, does
// before it answers.
func writeAsCaller(t testing.TB, st *store.Store, ws []records.Write) {
	writer := worker.NewDecisionWriter(&activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}})
	if err := writer.Write(context.Background(), ws); err != nil {
		t.Errorf("the caller's writes: %v", err)
	}
}

// update sends an Update at business instant when and reports its outcome
// to check.
func (h *harness) update(when time.Time, name string, arg any, check func(error)) {
	h.later(when, func() { h.send(name, arg, check) })
}

// sendRefused sends an Update now that its validator must refuse with
// errType; inspect, if not nil, checks the rejection.
func (h *harness) sendRefused(name string, arg any, errType string, inspect func(workflows.Rejection)) {
	h.seq++
	id := fmt.Sprintf("u%d", h.seq)
	h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
		OnAccept:   func() { h.t.Errorf("%s %s %+v: accepted, want refused with %s", id, name, arg, errType) },
		OnComplete: func(any, error) { h.done++ },
		OnReject: func(err error) {
			h.done++
			r, ok := rejection(err, errType)
			if !ok {
				h.t.Errorf("%s %s %+v: refused with %v, want %s", id, name, arg, err, errType)
				return
			}
			if inspect != nil {
				inspect(r)
			}
		},
	}, arg)
}

// refused sends an Update at when that its validator must refuse.
func (h *harness) refused(when time.Time, name string, arg any, errType string, inspect func(workflows.Rejection)) {
	h.later(when, func() { h.sendRefused(name, arg, errType, inspect) })
}

// rejection unpacks a refused Update's error of type errType.
func rejection(err error, errType string) (workflows.Rejection, bool) {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != errType {
		return workflows.Rejection{}, false
	}
	var r workflows.Rejection
	if err := appErr.Details(&r); err != nil {
		return workflows.Rejection{}, false
	}
	return r, true
}

func ok(t *testing.T, what string) func(error) {
	return func(err error) {
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
}

// run runs the workflow to its end; it must complete without error and
// after every scheduled callback.
func (h *harness) run() {
	h.t.Helper()
	h.env.ExecuteWorkflow(workflows.ApplicationWorkflow, h.in)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("workflow did not complete")
	}
	if err := h.env.GetWorkflowError(); err != nil {
		h.t.Fatalf("workflow error: %v (stage %s)", err, h.stage())
	}
	if h.ran != h.due {
		h.t.Fatalf("%d of %d scheduled callbacks ran: the workflow ended before the others", h.ran, h.due)
	}
	if h.done != h.seq {
		h.t.Fatalf("%d of %d Updates answered", h.done, h.seq)
	}
}

// state queries the workflow's state (inside a later callback, or after run).
func (h *harness) state() workflows.StateView {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(workflows.QueryState)
	if err != nil {
		h.t.Fatalf("query: %v", err)
	}
	var s workflows.StateView
	if err := v.Get(&s); err != nil {
		h.t.Fatal(err)
	}
	return s
}

// opinions has the first n drawn experts file an opinion at when.
func (h *harness) opinions(when time.Time, n int) {
	h.later(when, func() {
		for _, id := range h.state().Drawn[:n] {
			h.send(workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{
				Actor: workflows.Actor{Sub: id, Role: "expert"}, Score: 85, Recommend: true}, ok(h.t, "opinion of "+id))
		}
	})
}

// throughCityReview sends 初审 approve, a draw of 5, three opinions and
// 复审 approve, one a day at 10:00 from the first day given (each YYYY-MM-DD).
func (h *harness) throughCityReview(countyDay, drawDay, opinionDay, cityDay string) {
	h.update(at(countyDay, 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(h.t, "初审"))
	h.update(at(drawDay, 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(h.t, "draw"))
	h.opinions(at(opinionDay, 10), 3)
	h.update(at(cityDay, 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "approve", Opinion: "同意"}, ok(h.t, "复审"))
}
