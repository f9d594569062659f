package workflows

import (
	"fmt"
	"strconv"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// A functional zone's processes answer to the county bureau the zone is
// pointed at (RULES §1). They learn it when they start; when an operator
// points the zone at another bureau, or saves it again, the zone's
// fan-out tells each of its open processes by UpdateBureau, numbered by the
// zone's revision so that an older telling arriving late changes nothing.

// BureauChange tells a functional zone's process the bureau that now looks
// after it, as of the zone's Revision.
type BureauChange struct {
	Actor    Actor  `json:"actor"`
	Bureau   string `json:"bureau"`
	Revision int    `json:"revision"`
}

// BureauKnownError is the type of the refusal of a BureauChange whose
// revision the process has already taken: the fan-out counts it as told.
const BureauKnownError = "BureauKnown"

// ActionBureauChanged is the step a process records when told its bureau.
const ActionBureauChanged = "bureau.changed"

// BureauUpdateID is the ID of the bureau Update of a zone's revision: a
// fan-out retried tells a process once.
func BureauUpdateID(revision int) string { return "bureau-r" + strconv.Itoa(revision) }

// validateBureauChange is both processes' validator: only an operator (or
// the fan-out, acting as the system) tells it, only to a zone's process, only
// of one of the 14 counties' bureaus, and only once per revision.
func validateBureauChange(county string, known int, r BureauChange) error {
	if err := requireRole(r.Actor, auth.Admin, auth.System); err != nil {
		return err
	}
	if form.CountyName(county) != "" {
		return conflict("县（市、区）的事项由本县（市、区）人社部门办理，不能改由其他部门办理", "county_code", county)
	}
	if form.CountyName(r.Bureau) == "" {
		return invalid("办理部门无效", RejectedField{Field: "bureau", Message: "须为昆明市14个县（市、区）之一的代码"})
	}
	if r.Revision <= known {
		return temporal.NewApplicationError(fmt.Sprintf("已知功能区第 %d 次保存", known), BureauKnownError)
	}
	return nil
}

// takeBureau makes r's bureau and revision a process's (code, revision),
// whose bureau was from, and has record write the move with its note —
// nothing when the bureau stays (the zone saved again as it was). A record
// that fails undoes the change.
func takeBureau(code *string, revision *int, from string, r BureauChange, record func(note string) error) error {
	oldCode, oldRevision := *code, *revision
	*code, *revision = r.Bureau, r.Revision
	if from == r.Bureau {
		return nil
	}
	if err := record(bureauNote(from, r.Bureau)); err != nil {
		*code, *revision = oldCode, oldRevision
		return err
	}
	return nil
}

// bureauNote says what a bureau change did, for the history.
func bureauNote(from, to string) string {
	if name := form.CountyName(from); name != "" && from != to {
		return fmt.Sprintf("改由%s人社部门办理（原为%s）", form.CountyName(to), name)
	}
	return fmt.Sprintf("由%s人社部门办理", form.CountyName(to))
}

// administer runs an operator's change to a process that is not a bureau's
// decision: it waits, as a decision does, for the decision and the step
// under way and for the writes still queued, then holds the process's own
// steps until apply has recorded it. apply makes its write itself: nobody
// is left to write it.
func (p *process) administer(ctx workflow.Context, apply func(workflow.Context) error) error {
	done, err := p.oneDecisionAtATime(ctx)
	defer done()
	if err != nil {
		return err
	}
	if err := p.afterSteps(ctx); err != nil {
		return err
	}
	if err := p.awaitWrites(ctx); err != nil {
		return err
	}
	defer p.holdSteps()()
	return apply(ctx)
}

func (w *brandWorkflow) validateBureau(ctx workflow.Context, r BureauChange) error {
	return validateBureauChange(w.in.CountyCode, w.in.ReviewerRevision, r)
}

// changeBureau makes r.Bureau the brand's bureau: its officers act on the
// brand from now on, its open deadlines go to their queue and its messages
// to them.
func (w *brandWorkflow) changeBureau(ctx workflow.Context, r BureauChange) (BrandResult, error) {
	err := w.administer(ctx, func(ctx workflow.Context) error {
		if err := w.validateBureau(ctx, r); err != nil {
			return err
		}
		return takeBureau(&w.in.ReviewerCode, &w.in.ReviewerRevision, w.bureau(), r, func(note string) error {
			return w.record(ctx, w.actorStep(ctx, r.Actor, ActionBureauChanged, note))
		})
	})
	return w.result(), err
}

func (w *applicationWorkflow) validateBureau(ctx workflow.Context, r BureauChange) error {
	if err := validateBureauChange(w.in.CountyCode, w.in.ReviewerRevision, r); err != nil {
		return err
	}
	if w.st.Stage == StageAdmitted || w.st.Stage == StageRejected || w.st.Stage == StageWithdrawn {
		return conflict("申请已办结，其后事项由品牌流程办理", "stage", w.st.Stage)
	}
	return nil
}

// changeBureau makes r.Bureau the application's 初审 bureau: its officers
// review it from now on (a review under way is theirs to give), and its
// open deadlines go to their queue. It waits for the first stage, and for
// any step of the process's own still being written, whose work queue was
// made for the old bureau: written after this one, it would put it back.
func (w *applicationWorkflow) changeBureau(ctx workflow.Context, r BureauChange) (DecisionResult, error) {
	err := w.administer(ctx, func(ctx workflow.Context) error {
		if err := workflow.Await(ctx, func() bool { return w.arrived() && w.recordsInFlight == 0 }); err != nil {
			return err
		}
		if err := w.validateBureau(ctx, r); err != nil {
			return err
		}
		return takeBureau(&w.in.ReviewerCode, &w.in.ReviewerRevision, w.reviewer(), r, func(note string) error {
			return w.record(ctx, w.actorStep(ctx, r.Actor, ActionBureauChanged, note))
		})
	})
	return w.result(), err
}
