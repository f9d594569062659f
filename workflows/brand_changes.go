package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// 附件2: the holder requests a change; the county, then the city, give opinions.
func (w *brandWorkflow) validateChangeRequest(ctx workflow.Context, r ChangeRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.Applicant); skip || err != nil {
		return err
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("申请变更")
	}
	if len(w.st.Changes) >= MaxOpenChanges && ruleChanged(ctx, changeOpenChangesBounded) {
		return reject(RejectConflict, Rejection{Code: "too_many_open_changes",
			Message: fmt.Sprintf("已有%d项变更申请在审核中，请待审核后再申请", len(w.st.Changes)),
			Details: map[string]any{"status": w.st.Status, "open_changes": len(w.st.Changes)}})
	}
	return nil
}

// MaxOpenChanges bounds the change requests under review at once: each
// carries its deadline and its reminders in the process's state, which a
// holder must not be able to grow without end (as a report cannot,
// RULES §4).
const MaxOpenChanges = 3

func (w *brandWorkflow) changeRequest(ctx workflow.Context, r ChangeRequest) (BrandResult, error) {
	w.st.Changes = append(w.st.Changes, ChangeState{ID: r.ChangeID, Major: r.Major, Step: "county",
		NewName: r.NewName, NewUnitName: r.NewUnitName, NewUSCC: r.NewUSCC, NewCategory: r.NewCategory})
	if err := w.armChange(ctx, r.ChangeID, string(auth.CountyOfficer)); err != nil {
		return w.result(), err
	}
	kind := "基本信息"
	if r.Major {
		kind = "重大信息"
	}
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "change.requested", "申请变更"+kind))
	return w.result(), err
}

func (w *brandWorkflow) armChange(ctx workflow.Context, id, audience string) error {
	_, err := w.st.Deadlines.arm(ctx, w, keyChange+id, "变更审核意见", []string{audience},
		w.ruleFor(ctx, auth.Role(audience), keyChange+id, w.today(ctx), deadline.Workdays, w.in.Policy.AssessmentDays, w.in.Policy.Alerts))
	return err
}

func (w *brandWorkflow) change(id string) *ChangeState {
	for i := range w.st.Changes {
		if w.st.Changes[i].ID == id {
			return &w.st.Changes[i]
		}
	}
	return nil
}

func (w *brandWorkflow) validateChangeOpinion(ctx workflow.Context, r ChangeOpinionRequest) error {
	if w.applied(ctx) {
		return nil
	}
	c := w.change(r.ChangeID)
	if c == nil {
		return reject(RejectConflict, Rejection{Code: "no_such_change", Message: "没有待审核的这项变更申请", Details: map[string]any{"status": w.st.Status}})
	}
	want := auth.CountyOfficer
	if c.Step == "city" {
		want = auth.CityOfficer
	}
	if r.Actor.Role != string(want) {
		return reject(RejectConflict, Rejection{Code: "wrong_step", Message: fmt.Sprintf("该变更申请当前待%s审核", map[string]string{"county": "县级", "city": "市级"}[c.Step]),
			Details: map[string]any{"status": w.st.Status, "step": c.Step}})
	}
	if err := w.ownCounty(r.Actor); err != nil {
		return err
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("审核变更")
	}
	return nil
}

func (w *brandWorkflow) changeOpinion(ctx workflow.Context, r ChangeOpinionRequest) (BrandResult, error) {
	c := *w.change(r.ChangeID)
	w.st.Deadlines.remove(keyChange + c.ID)
	step := w.actorStep(ctx, r.Actor, "change."+c.Step+"_opinion", r.Opinion)
	step.Change = &records.ChangeDecision{ChangeID: c.ID, Step: c.Step, Approve: r.Approve, Opinion: r.Opinion}
	switch {
	case !r.Approve:
		w.dropChange(c.ID)
		step.Action = "change.refused"
	case c.Step == "county":
		w.change(c.ID).Step = "city"
		if err := w.armChange(ctx, c.ID, string(auth.CityOfficer)); err != nil {
			return w.result(), err
		}
	default:
		w.dropChange(c.ID)
		step.Action = "change.approved"
		if c.NewName != "" {
			w.st.Name = c.NewName
		}
		if c.NewUnitName != "" {
			w.st.UnitName = c.NewUnitName
		}
		if c.NewUSCC != "" {
			w.st.USCC = c.NewUSCC
		}
		if c.NewCategory != "" {
			w.st.Category = c.NewCategory
		}
	}
	err := w.record(ctx, step)
	return w.result(), err
}

func (w *brandWorkflow) dropChange(id string) {
	out := w.st.Changes[:0]
	for _, c := range w.st.Changes {
		if c.ID != id {
			out = append(out, c)
		}
	}
	w.st.Changes = out
}
