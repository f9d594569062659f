package activities

import (
	"context"

	"github.com/kunming-hrss/laborbrand/store"
)

// BrandStep is one recorded step of a brand (see store.BrandStep).
type BrandStep = store.BrandStep

// RecordBrandStep records a brand's step with the records it creates
// (finding, announcement, ban, assessment, change opinion, triage), once.
func (a *Activities) RecordBrandStep(ctx context.Context, st BrandStep) error {
	return a.Store.RecordBrandStep(ctx, st)
}
