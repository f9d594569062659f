package activities

import (
	"context"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
)

// ComputeDeadline computes a deadline and its alerts with the calendar in
// force, recording which calendar version it used. It is a pure function of
// the rule and the calendar data: safe to retry.
func (a *Activities) ComputeDeadline(ctx context.Context, r deadline.Rule) (deadline.Schedule, error) {
	cal, err := a.Calendars.Current(ctx)
	if err != nil {
		return deadline.Schedule{}, err
	}
	return deadline.Compute(cal, r)
}
