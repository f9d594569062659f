package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	openapi_types "github.com/oapi-codegen/runtime/types"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// revision is the official schedule the benchmark loads: the provisional
// year exactly as the calendar in force counts it, with the affected
// brands' rectification due days made days off. So it moves those
// deadlines (each to its next working day) and no other brand's, whatever
// day the run is on: an interview held today opens a three-month window
// whose last day depends on today.
type revision struct {
	year int
	body lbclient.CalendarYearRequest
}

// revisionMoving builds the revision for the brands in ids, which all hold
// an open rectification deadline on the provisional calendar.
func revisionMoving(ctx context.Context, api *apiClient, admin *auth.Principal, db *pgxpool.Pool, ids []string) (revision, error) {
	var dues []string
	err := db.QueryRow(ctx, `
		SELECT coalesce(array_agg(DISTINCT d->>'due' ORDER BY d->>'due'), '{}')
		  FROM brands, jsonb_array_elements(deadlines) d
		 WHERE id = ANY($1) AND d->>'kind' = 'rectification'`, ids).Scan(&dues)
	if err != nil {
		return revision{}, fmt.Errorf("read the affected brands' due days: %w", err)
	}
	if len(dues) == 0 {
		return revision{}, fmt.Errorf("none of the %d affected brands holds a rectification deadline", len(ids))
	}
	var moved []time.Time
	for _, d := range dues {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return revision{}, fmt.Errorf("due day %q: %w", d, err)
		}
		moved = append(moved, day)
	}
	year := moved[0].Year()
	if last := moved[len(moved)-1].Year(); last != year {
		return revision{}, fmt.Errorf("the affected due days span %d and %d; run the benchmark again on another day", year, last)
	}
	body := lbclient.CalendarYearRequest{
		Notice: fmt.Sprintf("lbscale 基准测试用%d年安排（虚构）", year),
		Off:    []openapi_types.Date{},
		Work:   []openapi_types.Date{},
	}
	// One GET reads at most 100 days: the year in four quarters.
	for from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); from.Year() == year; from = from.AddDate(0, 3, 0) {
		to := from.AddDate(0, 3, -1)
		res, err := lbclient.Expect(api.CalendarDayListWithResponse(ctx, &lbclient.CalendarDayListParams{
			From: openapi_types.Date{Time: from}, To: openapi_types.Date{Time: to}}, api.as(admin)))
		if err != nil {
			return revision{}, fmt.Errorf("read the %d calendar: %w", year, err)
		}
		for _, d := range res.JSON200.Days {
			weekend := d.Weekday >= 6
			switch {
			case slices.ContainsFunc(moved, func(m time.Time) bool { return m.Equal(d.Date.Time) }):
				body.Off = append(body.Off, d.Date)
			case weekend && d.Workday:
				body.Work = append(body.Work, d.Date)
			case !weekend && !d.Workday:
				body.Off = append(body.Off, d.Date)
			}
		}
	}
	return revision{year: year, body: body}, nil
}

// String names the days the revision moves, for the log.
func (r revision) String() string {
	return fmt.Sprintf("%d: %d days off, %d weekend working days (the provisional year, with the affected due days off)",
		r.year, len(r.body.Off), len(r.body.Work))
}
