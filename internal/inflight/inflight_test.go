package inflight_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/inflight"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// RULES §3 Decision — applications in flight: brought over on Mon
// 2026-03-16, an application whose notice was published on Fri 03-06 (it
// ended Thu 03-12) with an objection received on Wed 03-11 is stored at
// public_notice with the objection, and its process, started at once,
// moves it to objection_review by itself; the objection opens with its
// ruling due Wed 03-25, as does another received that day. An objection postmarked after the notice is
// refused before anything is stored, by field; the same application
// brought over twice is stored once.
func TestDecision_InFlight_BroughtOverOnceWithItsObjection(t *testing.T) {
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	ctx := context.Background()
	if err := devstack.EnsureSearchAttributes(ctx, c, "default", workflows.SearchAttributes); err != nil {
		t.Fatal(err)
	}
	queue := testenv.TaskQueue(t)
	w := worker.New(c, &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}}, worker.Options{TaskQueue: queue})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	switchOver := time.Date(2026, 3, 16, 9, 0, 0, 0, calendar.Shanghai)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R0", Name: "上线前批次", OpensOn: "2025-12-01", ClosesOn: "2026-01-31", CreatedAt: switchOver},
		"city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	b := &inflight.Bringer{Store: st, Calendars: &store.Calendars{Store: st}, Temporal: c, TaskQueue: queue,
		Clock:     clock.Clock{Scale: 1, WallOrigin: time.Now().UTC(), BusinessOrigin: switchOver.UTC()},
		Admission: workflows.DefaultAdmissionPolicy, By: auth.Principal{Sub: "city-1", Role: auth.CityOfficer}}
	var f form.Application
	raw, _ := json.Marshal(demo.Rose())
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	a := inflight.Application{RoundID: "R0", Form: f, SubmittedOn: date("2026-01-12"), Stage: workflows.StagePublicNotice,
		Since: date("2026-03-06"), Objections: []inflight.Objection{{Name: "某种植户", Contact: "0871-00000001", Content: "异议内容",
			Evidence: "书面证据", PostmarkedOn: date("2026-03-13"), ReceivedOn: date("2026-03-13")}}}

	_, err = b.Start(ctx, a)
	var problems inflight.Problems
	if !errors.As(err, &problems) || len(problems) != 1 || problems[0].Field != "objections[0]" ||
		problems[0].Message != "异议须在公示期内（2026-03-06 至 2026-03-12）提出" {
		t.Fatalf("an objection postmarked after the notice: %v; want one problem on objections[0] naming the notice", err)
	}
	if _, err := st.GetApplicationRef(ctx, a.ID()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("refused, yet stored: %v", err)
	}

	a.Objections[0].PostmarkedOn, a.Objections[0].ReceivedOn = date("2026-03-10"), date("2026-03-11")
	// A second letter received the same day, from another objector: one
	// ruling clock for the day, both objections kept (it refused the whole
	// application, "同一天收到的异议只列一次").
	a.Objections = append(a.Objections, inflight.Objection{Name: "另一农户", Contact: "0871-00000002", Content: "另一异议",
		Evidence: "书面证据二", PostmarkedOn: date("2026-03-09"), ReceivedOn: date("2026-03-11")})
	if started, err := b.Start(ctx, a); err != nil || !started {
		t.Fatalf("bring over: %v, %v", started, err)
	}
	if started, err := b.Start(ctx, a); err != nil || started {
		t.Fatalf("brought over twice: started %v, %v; want false, nil", started, err)
	}
	testenv.Eventually(t, 30*time.Second, "objection_review with the objection open", func() error {
		v, err := st.GetApplicationView(ctx, a.ID(), store.ViewOptions{})
		if err != nil {
			return err
		}
		var open, all int
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'open' AND ruling_due = '2026-03-25'), count(*)
			FROM objections WHERE application_id = $1`, a.ID()).Scan(&open, &all); err != nil {
			return err
		}
		if v.Stage != workflows.StageObjectionReview || open != 2 || all != 2 {
			return fmt.Errorf("%s, %d of %d objections open and due 2026-03-25; want both", v.Stage, open, all)
		}
		return nil
	})
}
