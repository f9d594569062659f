package workflows_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/testenv"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// brandHarness runs one brand workflow in the time-skipping environment
// with the real activities on a real database.
type brandHarness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *store.Store
	in    workflows.BrandInput
	start time.Time
	seq   int
}

func newBrandHarness(t *testing.T, admitted string) *brandHarness {
	t.Helper()
	st := testenv.Store(t)
	day, _ := calendar.ParseDate(admitted)
	start := day.Start().Add(9 * time.Hour)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.SetWorkflowRunTimeout(0)
	worker.Register(env, &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}})
	ctx := context.Background()
	if err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "r", OpensOn: "2000-01-01", ClosesOn: "2100-01-01", CreatedAt: start}, "c", "city_officer"); err != nil {
		t.Fatal(err)
	}
	err := st.CreateApplication(ctx, store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U",
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: start, SubmittedBy: "h", SubmittedRole: "applicant"}, func() error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	err = st.RecordStep(ctx, store.Step{ApplicationID: "A0001", Key: "admit", At: start, Actor: "system", Role: "system",
		Action: "admitted", Stage: "admitted"}, func(tx pgx.Tx) error { return store.CreateBrand(ctx, tx, "B0001", "A0001", day, start) })
	if err != nil {
		t.Fatal(err)
	}
	in := workflows.BrandInput{BrandID: "B0001", ApplicationID: "A0001", Name: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: "51530181MJ0000001U",
		AdmittedOn: day, Policy: workflows.DefaultBrandPolicy}
	return &brandHarness{t: t, env: env, store: st, in: in, start: start}
}

// at is 10:00 on day, as an offset from the start for delayed callbacks.
func (h *brandHarness) at(day string) time.Duration {
	d, err := calendar.ParseDate(day)
	if err != nil {
		h.t.Fatal(err)
	}
	return d.Start().Add(10 * time.Hour).Sub(h.start)
}

// update sends an Update on day and checks its outcome.
func (h *brandHarness) update(day, name string, arg any, check func(error)) {
	h.seq++
	id := fmt.Sprintf("bu%d", h.seq)
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: check, OnAccept: func() {}, OnComplete: func(_ any, err error) { check(err) },
		}, arg)
	}, h.at(day))
}

// check runs fn on day (inside the workflow's timeline).
func (h *brandHarness) check(day string, fn func(st workflows.BrandState)) {
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow(workflows.QueryState)
		if err != nil {
			h.t.Errorf("query on %s: %v", day, err)
			return
		}
		var st workflows.BrandState
		if err := v.Get(&st); err != nil {
			h.t.Fatal(err)
		}
		fn(st)
	}, h.at(day))
}

// runUntil runs the workflow until business day `until`, then ends the test run.
func (h *brandHarness) runUntil(until string) {
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, h.at(until))
	h.env.ExecuteWorkflow(workflows.BrandWorkflow, h.in)
}

func (h *brandHarness) run() {
	h.env.ExecuteWorkflow(workflows.BrandWorkflow, h.in)
	if err := h.env.GetWorkflowError(); err != nil {
		h.t.Fatalf("workflow error: %v", err)
	}
}

func county530181() workflows.Actor {
	return workflows.Actor{Sub: "officer-anning", Role: "county_officer", County: "530181"}
}
func cityOfficer() workflows.Actor { return workflows.Actor{Sub: "city", Role: "city_officer"} }
