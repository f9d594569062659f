package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// RecordStep records a step with no other record attached (a stage change,
// an automatic action).
func (a *Activities) RecordStep(ctx context.Context, st records.Step) error {
	return a.recordStep(ctx, st, nil)
}

// ApplyResubmission makes the revision current and records the step.
// A name another open application or a brand took meanwhile is a final
// refusal (an error of type Refused, which ends the retries; the process
// undoes the resubmission), never a write retried for a year; an import
// holding the library is waited out by the retries.
func (a *Activities) ApplyResubmission(ctx context.Context, r records.ResubmissionRecord) error {
	err := a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.ApplyFormRevision(ctx, tx, r.Step.ApplicationID, r.Revision)
	})
	switch {
	case errors.Is(err, store.ErrOpenApplication):
		return temporal.NewNonRetryableApplicationError("该品牌名称已被另一件在办申请使用", workflows.RefusedError, nil)
	case errors.Is(err, store.ErrNameInLibrary):
		return temporal.NewNonRetryableApplicationError("该品牌名称已是项目库中的品牌", workflows.RefusedError, nil)
	case errors.Is(err, store.ErrNotFound): // dropped by its own refusal meanwhile: nothing to apply
		return temporal.NewNonRetryableApplicationError("该版本的补充材料已不在案", workflows.RefusedError, nil, workflows.RefusedRevisionGone)
	}
	return err
}

// DrawExperts draws from the pool as it stands, records the draw with its
// seed and pool, and returns it. A retry returns the draw already recorded,
// before looking at the pool: an attempt that wrote the draw and then failed
// has drawn, whatever the pool has become since (its experts deactivated,
// the retry would find nobody to draw, refuse, and leave the draw on record
// for the next one to return in place of its own).
//
// A draw whose step is on record under another number is the same Update
// applied in an earlier run (sent again after a continue-as-new, where
// Temporal no longer knows its ID): nothing is drawn, and the refusal says
// so (RefusedAppliedBefore) for the process to answer it as applied.
func (a *Activities) DrawExperts(ctx context.Context, r records.DrawRequest) (expertdraw.Result, error) {
	switch drawn, err := a.Store.Draw(ctx, r.Step.ApplicationID, r.DrawNo); {
	case err == nil:
		return drawn, nil
	case !errors.Is(err, store.ErrNotFound):
		return expertdraw.Result{}, err
	}
	switch on, err := a.Store.StepsRecorded(ctx, []string{r.Step.Key}); {
	case err != nil:
		return expertdraw.Result{}, err
	case len(on) > 0:
		return expertdraw.Result{}, temporal.NewNonRetryableApplicationError("该次抽取已办理", workflows.RefusedError, nil, workflows.RefusedAppliedBefore)
	}
	pool, err := a.Store.ExpertPool(ctx)
	if err != nil {
		return expertdraw.Result{}, err
	}
	res := expertdraw.Draw(pool, expertdraw.Request{Seed: r.Seed, Count: r.Count, Category: r.Category,
		CountyCode: r.CountyCode, ReviewerCode: r.ReviewerCode, USCC: r.USCC, Exclude: r.Exclude})
	if len(res.Drawn) == 0 {
		// Nobody is left to draw (every eligible expert drawn already, or
		// recused): a final refusal, not a write retried for ever.
		return expertdraw.Result{}, temporal.NewNonRetryableApplicationError("专家库中已没有可抽取的专家（已抽取或应回避的除外）", workflows.RefusedError, nil)
	}
	// The pool as it stood goes with the draw into the audit trail: with the
	// seed it replays the draw, and it shows why each expert was, or was not,
	// a candidate after the pool has changed.
	r.Step.Audit = map[string]any{"seed": r.Seed, "pool": res.Pool, "fallback": res.Fallback, "drawn": res.Drawn, "experts": pool}
	if len(res.Drawn) < r.Count {
		// The history says how many were drawn, not how many were asked
		// for (第十二条): the city sees why opinions may fall short.
		r.Step.Note = fmt.Sprintf("抽取专家%d名（拟抽取%d名，专家库中可抽取的仅%d名：其余已抽取过、应回避或已停用）", len(res.Drawn), r.Count, len(res.Drawn))
	}
	if r.ExpertTask != nil {
		for _, id := range res.Drawn {
			t := *r.ExpertTask
			t.Assignee = id
			r.Step.Tasks = append(r.Step.Tasks, t)
		}
	}
	err = a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveDraw(ctx, tx, r.Step.ApplicationID, r.DrawNo, r.Seed, r.Count, res.Pool, res.Fallback, res.Drawn, r.Step.At, r.Step.Actor)
	})
	if err != nil {
		return expertdraw.Result{}, err
	}
	return a.Store.Draw(ctx, r.Step.ApplicationID, r.DrawNo)
}

// SaveOpinion records an expert's opinion.
func (a *Activities) SaveOpinion(ctx context.Context, r records.OpinionRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveOpinion(ctx, tx, r.Step.ApplicationID, r.ExpertID, r.Score, r.Recommend, r.Comment, r.Step.At)
	})
}

// SaveSiteVisit records a site visit.
func (a *Activities) SaveSiteVisit(ctx context.Context, r records.SiteVisitRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.SaveSiteVisit(ctx, tx, r.ID, r.Step.ApplicationID, r.VisitedOn, r.Findings, r.Step.At, r.Step.Actor)
	})
}

// AcceptObjection opens the objection with its ruling deadline.
func (a *Activities) AcceptObjection(ctx context.Context, r records.ObjectionRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.AcceptObjection(ctx, tx, r.ObjectionID, r.RulingDue)
	})
}

// RuleObjection records a ruling.
func (a *Activities) RuleObjection(ctx context.Context, r records.RulingRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.RuleObjection(ctx, tx, r.ObjectionID, r.Upheld, r.Reason, r.Step.At, r.Step.Actor)
	})
}

// Admit creates the brand record and records the admission.
func (a *Activities) Admit(ctx context.Context, r records.AdmissionRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.CreateBrand(ctx, tx, r.BrandID, r.Step.ApplicationID, r.AdmittedOn, r.Step.At)
	})
}

// AcceptObjectionDay opens the objections received on one day with their
// common ruling deadline, and records the step.
func (a *Activities) AcceptObjectionDay(ctx context.Context, r records.ObjectionDayRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		return store.AcceptObjectionDay(ctx, tx, r.Step.ApplicationID, r.ReceivedOn, r.RulingDue)
	})
}

// StoredRevision reads the newest supplement stored in time and never
// told to its process (records.StoredRevision).
func (a *Activities) StoredRevision(ctx context.Context, q records.StoredRevisionQuery) (records.StoredRevision, error) {
	return a.Store.StoredRevision(ctx, q)
}

// DraftDays reads the days of receipt of an application's objections that
// its process was never told of (records.DraftDay).
func (a *Activities) DraftDays(ctx context.Context, applicationID string) ([]records.DraftDay, error) {
	return a.Store.DraftDays(ctx, applicationID)
}

// UnruledObjectionsOn counts a day's objections not yet ruled on record.
func (a *Activities) UnruledObjectionsOn(ctx context.Context, q records.ObjectionDayQuery) (int, error) {
	return a.Store.UnruledObjectionsOn(ctx, q)
}

// BringOver records the first step of an application brought over in
// flight and opens the objections it brought, each day's with its ruling
// deadline.
func (a *Activities) BringOver(ctx context.Context, r records.BroughtOverRecord) error {
	return a.recordStep(ctx, r.Step, func(tx pgx.Tx) error {
		for _, d := range r.ObjectionDays {
			if err := store.AcceptObjectionDay(ctx, tx, r.Step.ApplicationID, d.ReceivedOn, d.RulingDue); err != nil {
				return err
			}
		}
		return nil
	})
}

// recordStep writes an application's step, then starts the delivery of the
// holder's message a return or a closing decision writes with it, and
// tells the process of a calendar that moves its deadlines (tellIfMoved).
func (a *Activities) recordStep(ctx context.Context, st records.Step, extra func(pgx.Tx) error) error {
	if err := a.Store.RecordStep(ctx, st, extra); err != nil {
		return err
	}
	switch {
	case st.Stage == workflows.StageReturned:
		if err := a.deliverStepMessage(ctx, store.ReturnedMessageKey(st.Key)); err != nil {
			return err
		}
	case workflows.IsFinalStage(st.Stage):
		if err := a.deliverStepMessage(ctx, store.DecisionMessageKey(st.Key)); err != nil {
			return err
		}
	}
	return a.tellIfMoved(ctx, workflows.ApplicationWorkflowID(st.ApplicationID), st.Rules)
}

// deliverStepMessage starts the delivery of the holder's message a step
// wrote under key; a step that wrote none (a later step in the same stage)
// starts nothing.
func (a *Activities) deliverStepMessage(ctx context.Context, key string) error {
	m, id, err := a.Store.OutboxMessageByKey(ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	return a.startDeliveries(ctx, []store.Message{m}, []int64{id})
}
