package activities

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
	"github.com/kunming-hrss/laborbrand/store"
)

// Step is one recorded step of an application (see store.Step).
type Step = store.Step

// RecordStep records a step with no other record attached (a stage change,
// an automatic action).
func (a *Activities) RecordStep(ctx context.Context, st Step) error {
	return a.Store.RecordStep(ctx, st, nil)
}

// ResubmissionRecord applies a resubmitted form revision.
type ResubmissionRecord struct {
	Step     Step `json:"step"`
	Revision int  `json:"revision"`
}

// ApplyResubmission makes the revision current and records the step.
func (a *Activities) ApplyResubmission(ctx context.Context, r ResubmissionRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.ApplyFormRevision(ctx, tx, r.Step.ApplicationID, r.Revision)
	})
}

// DrawRequest asks for an expert draw (第十二条).
type DrawRequest struct {
	Step       Step     `json:"step"`
	DrawNo     int      `json:"draw_no"`
	Seed       uint64   `json:"seed"`
	Count      int      `json:"count"`
	Category   string   `json:"category"`
	CountyCode string   `json:"county_code"`
	USCC       string   `json:"uscc"`
	Exclude    []string `json:"exclude"`
	// ExpertTask, when set, is the work-queue entry each drawn expert gets.
	ExpertTask *store.Task `json:"expert_task,omitempty"`
}

// DrawExperts draws from the pool as it stands, records the draw with its
// seed and pool, and returns it. A retry returns the draw already recorded.
func (a *Activities) DrawExperts(ctx context.Context, r DrawRequest) (expertdraw.Result, error) {
	pool, err := a.Store.ExpertPool(ctx)
	if err != nil {
		return expertdraw.Result{}, err
	}
	res := expertdraw.Draw(pool, expertdraw.Request{Seed: r.Seed, Count: r.Count, Category: r.Category,
		CountyCode: r.CountyCode, USCC: r.USCC, Exclude: r.Exclude})
	r.Step.Audit = map[string]any{"seed": r.Seed, "pool": res.Pool, "fallback": res.Fallback, "drawn": res.Drawn}
	if r.ExpertTask != nil {
		for _, id := range res.Drawn {
			t := *r.ExpertTask
			t.Assignee = id
			r.Step.Tasks = append(r.Step.Tasks, t)
		}
	}
	err = a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveDraw(ctx, tx, r.Step.ApplicationID, r.DrawNo, r.Seed, r.Count, res.Pool, res.Fallback, res.Drawn, r.Step.At, r.Step.Actor)
	})
	if err != nil {
		return expertdraw.Result{}, err
	}
	return a.Store.Draw(ctx, r.Step.ApplicationID, r.DrawNo)
}

// OpinionRecord is an expert's opinion.
type OpinionRecord struct {
	Step      Step   `json:"step"`
	ExpertID  string `json:"expert_id"`
	Score     int    `json:"score"`
	Recommend bool   `json:"recommend"`
	Comment   string `json:"comment"`
}

// SaveOpinion records an expert's opinion.
func (a *Activities) SaveOpinion(ctx context.Context, r OpinionRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveOpinion(ctx, tx, r.Step.ApplicationID, r.ExpertID, r.Score, r.Recommend, r.Comment, r.Step.At)
	})
}

// SiteVisitRecord is a site visit (实地核查).
type SiteVisitRecord struct {
	Step      Step          `json:"step"`
	ID        string        `json:"id"`
	VisitedOn calendar.Date `json:"visited_on"`
	Findings  string        `json:"findings"`
}

// SaveSiteVisit records a site visit.
func (a *Activities) SaveSiteVisit(ctx context.Context, r SiteVisitRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveSiteVisit(ctx, tx, r.ID, r.Step.ApplicationID, r.VisitedOn, r.Findings, r.Step.At, r.Step.Actor)
	})
}

// ObjectionRecord opens an objection the API stored as a draft.
type ObjectionRecord struct {
	Step        Step          `json:"step"`
	ObjectionID string        `json:"objection_id"`
	RulingDue   calendar.Date `json:"ruling_due"`
}

// AcceptObjection opens the objection with its ruling deadline.
func (a *Activities) AcceptObjection(ctx context.Context, r ObjectionRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.AcceptObjection(ctx, tx, r.ObjectionID, r.RulingDue)
	})
}

// RulingRecord is the city's ruling on an objection.
type RulingRecord struct {
	Step        Step   `json:"step"`
	ObjectionID string `json:"objection_id"`
	Upheld      bool   `json:"upheld"`
	Reason      string `json:"reason"`
}

// RuleObjection records a ruling.
func (a *Activities) RuleObjection(ctx context.Context, r RulingRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.RuleObjection(ctx, tx, r.ObjectionID, r.Upheld, r.Reason, r.Step.At, r.Step.Actor)
	})
}

// AdmissionRecord admits an application (第十四条).
type AdmissionRecord struct {
	Step       Step          `json:"step"`
	BrandID    string        `json:"brand_id"`
	AdmittedOn calendar.Date `json:"admitted_on"`
}

// Admit creates the brand record and records the admission.
func (a *Activities) Admit(ctx context.Context, r AdmissionRecord) error {
	return a.Store.RecordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.CreateBrand(ctx, tx, r.BrandID, r.Step.ApplicationID, r.AdmittedOn, r.Step.At)
	})
}
