package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/clock"
)

// Brand statuses (DOMAIN §4; API and search attribute values).
const (
	BrandStatusActive     = "active"
	BrandStatusRectifying = "rectifying"
	BrandStatusSuspended  = "suspended"
	BrandStatusRemoved    = "removed"
)

// BrandPolicy holds the configurable periods of DOMAIN §4.
type BrandPolicy struct {
	EvaluationYears int `json:"evaluation_years"` // 第十五条: every two years
}

// DefaultBrandPolicy is DOMAIN §4's defaults.
var DefaultBrandPolicy = BrandPolicy{EvaluationYears: 2}

// BrandInput starts an admitted brand's process.
type BrandInput struct {
	BrandID       string        `json:"brand_id"`
	ApplicationID string        `json:"application_id"`
	Name          string        `json:"name"`
	BrandType     string        `json:"brand_type"`
	Category      string        `json:"category"`
	CountyCode    string        `json:"county_code"`
	UnitName      string        `json:"unit_name"`
	USCC          string        `json:"uscc"`
	AdmittedOn    calendar.Date `json:"admitted_on"`
	Clock         clock.Clock   `json:"clock"`
	Policy        BrandPolicy   `json:"policy"`
	State         *BrandState   `json:"state,omitempty"`
}

// BrandState is the whole state of a brand's process.
type BrandState struct {
	Status string `json:"status"`
}

// BrandWorkflow is an admitted brand's life in the library (第十五条).
func BrandWorkflow(ctx workflow.Context, in BrandInput) error {
	st := BrandState{Status: BrandStatusActive}
	if in.State != nil {
		st = *in.State
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (BrandState, error) { return st, nil }); err != nil {
		return err
	}
	if err := workflow.UpsertTypedSearchAttributes(ctx, BrandStatusKey.ValueSet(st.Status)); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return st.Status == BrandStatusRemoved })
}
