package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/inflight"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// inFlight brings the demo's applications in flight over (RULES §3
// Decision — applications in flight), as a city moving its library onto
// the system would: each at the stage it stood at in the round before the
// system, its days counted back in working days from the demo's day. Their
// processes then take them by themselves to objection_review, admitted and
// withdrawn — stages an application submitted today reaches only after a
// week of business time.
func (c *demoClient) inFlight(ctx context.Context, d *deps, queue string, conf workflows.AdmissionPolicy, brand workflows.BrandPolicy, city client.RequestEditorFn) error {
	now := d.clock.Now()
	round, err := c.round(ctx, demo.PreSystemRound, now.AddDate(0, 0, -demo.PreSystemOpensDaysAgo), now.AddDate(0, 0, -demo.PreSystemClosesDaysAgo), city)
	if err != nil {
		return err
	}
	cals := &store.Calendars{Store: d.store}
	cal, err := cals.Current(ctx)
	if err != nil {
		return err
	}
	b := &inflight.Bringer{Store: d.store, Calendars: cals, Temporal: d.temporal, TaskQueue: queue, Clock: d.clock,
		Admission: conf, Brand: &brand, By: auth.Principal{Sub: "demo-city", Role: auth.CityOfficer}}
	today := calendar.DateOf(now)
	for _, f := range demo.InFlights() {
		var fm form.Application
		raw, _ := json.Marshal(f.Form)
		if err := json.Unmarshal(raw, &fm); err != nil {
			return fmt.Errorf("demo form %v: %w", f.Form["brand_name"], err)
		}
		county := cal.ForCounty(fm.CountyCode)
		a := inflight.Application{RoundID: round, Form: fm, Stage: f.Stage,
			SubmittedOn: workdaysBefore(county, today, f.SubmittedWorkdays), Since: workdaysBefore(county, today, f.SinceWorkdays)}
		if f.ObjectionWorkdays > 0 {
			day := workdaysBefore(county, today, f.SinceWorkdays-f.ObjectionWorkdays)
			a.Objections = []inflight.Objection{{Name: "某果农", Contact: "0871-00000002", PostmarkedOn: day, ReceivedOn: day,
				Content: "申报材料所列合作社社员人数与实际不符", Evidence: "附合作社社员名册复印件（邮寄）"}}
		}
		if _, err := b.Start(ctx, a); err != nil {
			return fmt.Errorf("demo %s: %w", fm.BrandName, err)
		}
	}
	return nil
}

// workdaysBefore is the working day n working days before day (n = 0: day).
func workdaysBefore(cal *calendar.Calendar, day calendar.Date, n int) calendar.Date {
	for n > 0 {
		day = day.AddDays(-1)
		if cal.IsWorkday(day) {
			n--
		}
	}
	return day
}

// round is the id of the round named name, opened (opens … closes) if the
// demo has not opened it yet.
func (c *demoClient) round(ctx context.Context, name string, opens, closes time.Time, city client.RequestEditorFn) (string, error) {
	rounds, err := client.Expect(c.api.ListRoundsWithResponse(ctx, city))
	if err != nil {
		return "", fmt.Errorf("list rounds: %w", err)
	}
	for _, r := range rounds.JSON200.Items {
		if r.Name == name {
			return r.Id, nil
		}
	}
	r, err := client.Expect(c.api.CreateRoundWithResponse(ctx, nil, client.RoundRequest{Name: name, OpensOn: date(opens), ClosesOn: date(closes)}, city))
	if err != nil {
		return "", fmt.Errorf("open round %s: %w", name, err)
	}
	return r.JSON201.Id, nil
}
