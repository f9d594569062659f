package workflows

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ApplicationWorkflow is one application's journey through 第十条–第十四条:
// 初审 by the county, 复审 by the city with drawn experts, the 公示 with its
// objections, and admission — every wait a durable timer on a
// business-calendar deadline, every decision an Update with a validator.
func ApplicationWorkflow(ctx workflow.Context, in ApplicationInput) error {
	settleVersions(ctx)
	w := &applicationWorkflow{process: newProcess(in.Clock, ApplicationWorkflowID(in.ApplicationID), in.CountyCode), in: in}
	if in.State != nil {
		w.st = *in.State
	} else if w.broughtOver = broughtOverInput(ctx, in); w.broughtOver != nil {
		w.st.Stage = w.broughtOver.Stage // where its row says it stands
	} else {
		// A submitted application is in 初审 (its row says so already). A
		// decision delivered with the first workflow task is validated
		// before run records that stage: it must see it (see countyReview).
		w.st.Stage = StageCountyReview
	}
	if err := w.setup(ctx); err != nil {
		return err
	}
	if w.st.Started {
		w.describe(ctx, records.Step{}) // a new run: say where it stands before its next step
	}
	return w.run(ctx)
}

type applicationWorkflow struct {
	process
	in ApplicationInput
	st ApplicationState
	// starting is true until the first stage is recorded.
	starting bool
	// closingNotice is true while the notice's end — or the objections'
	// review, before it admits — reads and opens the days of objections
	// never told (changeDraftDaysAtNoticeEnd, changeDraftDaysBeforeAdmission)
	// and decides: the objections' Updates wait for it (afterNoticeEnd).
	closingNotice bool
	// broughtOver is the stage an application in flight starts at (nil: a
	// new submission, or a run after the first).
	broughtOver *BroughtOver
	// recordsInFlight counts the steps being written with the work queue
	// they carry (record, bringOver): a bureau change waits for them.
	recordsInFlight int
}

func (w *applicationWorkflow) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, w.stateView); err != nil {
		return err
	}
	if err := w.st.Deadlines.listenForCalendarChanges(ctx, &w.changes); err != nil {
		return err
	}
	if err := w.registerSettleWrites(ctx); err != nil {
		return err
	}
	return w.registerUpdates(ctx)
}

// arrived reports whether the process has recorded its first stage: until
// then its stage and notice are not yet known.
func (w *applicationWorkflow) arrived() bool { return w.st.Started && !w.starting }

func (w *applicationWorkflow) run(ctx workflow.Context) error {
	if !w.st.Started {
		w.st.Started, w.starting = true, true
		var err error
		if w.broughtOver != nil {
			err = w.bringOver(ctx)
		} else {
			err = w.enter(ctx, StageCountyReview, w.systemStep(ctx, "start", "county_review.opened", ""))
		}
		if err != nil {
			return err
		}
		w.starting = false
	}
	for !IsFinalStage(w.st.Stage) {
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return w.continueAsNew(ctx, &w.st.Deadlines, ApplicationWorkflow, func() any {
				in, st := w.in, w.st
				in.State = &st
				return in
			})
		}
		var err error
		switch stage := w.st.Stage; stage {
		case StageCountyReview, StageCityReview:
			// Service deadlines remind and escalate; they never decide (RULES §3).
			err = w.waitUntil(ctx, func() bool { return w.st.Stage != stage })
		case StageReturned:
			err = w.awaitResubmission(ctx)
		case StagePublicNotice:
			err = w.runPublicNotice(ctx)
		case StageObjectionReview:
			err = w.awaitRulings(ctx)
		}
		if err != nil {
			return err
		}
	}
	if w.st.Stage == StageAdmitted {
		if err := w.startBrand(ctx); err != nil {
			return err
		}
	}
	// A decision's writes are made before the process ends.
	return w.awaitEnd(ctx)
}

// awaitResubmission waits for the holder's supplement; without one by the
// deadline the application closes as withdrawn (RULES §3 Decision).
func (w *applicationWorkflow) awaitResubmission(ctx workflow.Context) error {
	if err := w.waitUntil(ctx, func() bool {
		return w.st.Stage != StageReturned || w.st.Deadlines.expired(keyResubmission)
	}); err != nil {
		return err
	}
	if w.st.Stage != StageReturned {
		return nil
	}
	d := w.st.Deadlines.get(keyResubmission)
	if workflow.GetVersion(ctx, changeStoredResubmissionTaken, workflow.DefaultVersion, 1) == 1 {
		returned := d.Rule.From.Start()
		if !w.st.ReturnedAt.IsZero() {
			// Not a revision stored earlier that day and never told (a
			// supplement refused before the return, its drop lost).
			returned = w.st.ReturnedAt
		}
		if taken, err := w.takeStoredResubmission(ctx, returned, d.Value().DueAt); err != nil || taken {
			return err
		}
	}
	step := w.systemStep(ctx, "withdrawn", "withdrawn", fmt.Sprintf("退回补充材料期限 %s 届满未重新提交", d.Value().Due))
	step.At = d.Value().DueAt // an automatic action is dated by its deadline
	return w.enter(ctx, StageWithdrawn, step)
}

// takeStoredResubmission takes, as the wait runs out, a supplement stored
// from the return and before due, and never told to the process, as the holder's resubmission
// (changeStoredResubmissionTaken); it reports whether one was taken. One
// the store refuses (its name taken meanwhile) leaves the application
// returned, to close as withdrawn.
func (w *applicationWorkflow) takeStoredResubmission(ctx workflow.Context, returned, due time.Time) (bool, error) {
	var stored records.StoredRevision
	q := records.StoredRevisionQuery{ApplicationID: w.in.ApplicationID, After: max(w.st.FormRevision, w.st.ToldRevision),
		Since: returned, Before: due}
	if err := execute(ctx, reading, ActivityStoredRevision, q).Get(ctx, &stored); err != nil || stored.Revision == 0 {
		return false, err
	}
	if w.st.Stage != StageReturned || stored.Revision <= max(w.st.FormRevision, w.st.ToldRevision) {
		return w.st.Stage != StageReturned, nil // a decision came while it was read
	}
	// Under the role that stored it: a city officer's entry on the
	// holder's behalf (代录) is recorded as the officer's, as it is when
	// told at once.
	by := Actor{Sub: stored.By, Role: cmp.Or(stored.Role, string(auth.Applicant))}
	if by.Role == string(auth.Applicant) {
		by.USCC = w.in.USCC
	}
	r := ResubmitRequest{Actor: by, Revision: stored.Revision,
		BrandName: stored.BrandName, BrandType: stored.BrandType, Category: stored.Category, UnitName: stored.UnitName}
	step := records.Step{ApplicationID: w.in.ApplicationID, Key: fmt.Sprintf("%s/stored-resubmission/%d", w.workflowID(), stored.Revision),
		At: stored.At, Actor: by.Sub, Role: by.Role, Action: "resubmitted", // dated by its storing, as received
		Note: fmt.Sprintf("补充材料后重新提交（第%d版；期限内已提交，期限届满时补登）", stored.Revision)}
	if _, err := w.applyResubmission(ctx, r, step); err != nil {
		var refusal *temporal.ApplicationError
		if errors.As(err, &refusal) && refusal.Type() == RejectConflict && w.st.Stage == StageReturned {
			return false, nil // refused, nothing recorded: the wait's lapse stands
		}
		return false, err
	}
	return w.st.Stage != StageReturned, nil
}

// noticeEndGrace is how long the notice's end waits, past 24:00, for the
// objections filed before it to be stored (changeNoticeEndGrace).
const noticeEndGrace = time.Minute

// runPublicNotice waits for the notice to end (第十三条); then the
// application is admitted, or waits for open objections to be ruled.
func (w *applicationWorkflow) runPublicNotice(ctx workflow.Context) error {
	if err := w.waitUntil(ctx, func() bool {
		return w.st.Stage != StagePublicNotice || w.st.Deadlines.expired(keyNotice)
	}); err != nil {
		return err
	}
	if w.st.Stage != StagePublicNotice {
		return nil
	}
	var registeredAt time.Time // the days opened at the notice's end: now, but for the grace
	if workflow.GetVersion(ctx, changeNoticeEndGrace, workflow.DefaultVersion, 1) == 1 {
		// An objection filed in the notice's last second is stored a moment
		// after 24:00: its day's Update is taken meanwhile as any in the
		// notice, or its draft read after (openDraftDays), registered as of
		// the notice's end.
		// It decides no earlier than a minute past the end: a notice that
		// ended long before (brought over in flight, a worker away) waits
		// no more.
		registeredAt = w.st.Deadlines.get(keyNotice).Value().DueAt
		if wait := registeredAt.Add(noticeEndGrace).Sub(w.now(ctx)); wait > 0 {
			if err := awaitWithTimeout(ctx, w.clock.WallDuration(wait), "公示期届满，等待最后时刻提交的异议写入",
				func() bool { return w.st.Stage != StagePublicNotice }); err != nil {
				return err
			}
		}
		// As the wait for the notice's end did: no Update still deciding or
		// writing (an objection's day being opened), or the drafts read
		// next could open its day a second time.
		if err := workflow.Await(ctx, func() bool {
			return w.settled() && w.deciding == 0 || w.st.Stage != StagePublicNotice
		}); err != nil {
			return err
		}
		if w.st.Stage != StagePublicNotice { // an objection upheld meanwhile
			return nil
		}
	}
	end := w.st.Deadlines.get(keyNotice).Value()
	w.st.Deadlines.remove(keyNotice)
	if workflow.GetVersion(ctx, changeDraftDaysAtNoticeEnd, workflow.DefaultVersion, 1) == 1 {
		w.closingNotice = true
		defer func() { w.closingNotice = false }()
		if err := w.openDraftDays(ctx, registeredAt, false); err != nil {
			return err
		}
		if w.st.Stage != StagePublicNotice { // no decision waits here to change it (afterNoticeEnd): a guard only
			return nil
		}
	}
	if w.openObjections() > 0 {
		step := w.systemStep(ctx, "notice-ended", "notice.ended", fmt.Sprintf("公示期于 %s 届满，尚有异议待裁定", end.Due))
		step.At = end.DueAt
		return w.enter(ctx, StageObjectionReview, step)
	}
	return w.admit(ctx, end.DueAt)
}

// awaitRulings waits until every objection is ruled (第十三条) — those
// stored and never told included (changeDraftDaysBeforeAdmission).
func (w *applicationWorkflow) awaitRulings(ctx workflow.Context) error {
	for {
		if err := w.waitUntil(ctx, func() bool {
			return w.st.Stage != StageObjectionReview || w.openObjections() == 0
		}); err != nil {
			return err
		}
		if w.st.Stage != StageObjectionReview {
			return nil
		}
		opened, err := w.openDraftDaysBeforeAdmission(ctx)
		if err != nil || w.st.Stage != StageObjectionReview {
			return err
		}
		if !opened {
			return w.admit(ctx, w.now(ctx))
		}
	}
}

// openDraftDaysBeforeAdmission opens, as the last objection is ruled, the
// days of objections stored and never told — a letter entered in the
// review whose telling failed, to be told by the starter's sweep after the
// admission it would have stopped — and reports whether it opened one. As
// at the notice's end, it reads only with no Update deciding or writing,
// and an objection's Update that comes meanwhile waits for it.
func (w *applicationWorkflow) openDraftDaysBeforeAdmission(ctx workflow.Context) (bool, error) {
	if workflow.GetVersion(ctx, changeDraftDaysBeforeAdmission, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return false, nil
	}
	if err := workflow.Await(ctx, func() bool {
		return w.settled() && w.deciding == 0 || w.st.Stage != StageObjectionReview
	}); err != nil || w.st.Stage != StageObjectionReview {
		return false, err
	}
	if w.openObjections() > 0 { // a day opened while the writes settled
		return true, nil
	}
	w.closingNotice = true
	defer func() { w.closingNotice = false }()
	if err := w.openDraftDays(ctx, time.Time{}, true); err != nil {
		return false, err
	}
	return w.openObjections() > 0, nil
}

// admit enters the brand into the library (第十四条).
func (w *applicationWorkflow) admit(ctx workflow.Context, at time.Time) error {
	w.st.BrandID = BrandIDFor(w.in.ApplicationID)
	step := w.systemStep(ctx, "admitted", "admitted", "入库，获得劳务品牌标识使用权（第十四条）")
	step.At = at
	w.st.Stage = StageAdmitted
	w.st.Deadlines.Items = nil
	step.Stage = StageAdmitted
	w.st.AdmittedOn = calendar.DateOf(at)
	rec := records.AdmissionRecord{Step: step, BrandID: w.st.BrandID, AdmittedOn: w.st.AdmittedOn}
	if err := execute(ctx, recording, ActivityAdmit, rec).Get(ctx, nil); err != nil {
		return err
	}
	w.describe(ctx, step) // the closed run shows its admission, not its notice
	return w.upsertSearch(ctx)
}

// startBrand starts the admitted brand's own long-running process, without
// waiting for it: the brand outlives its application by years.
func (w *applicationWorkflow) startBrand(ctx workflow.Context) error {
	in := BrandInput{BrandID: w.st.BrandID, ApplicationID: w.in.ApplicationID, Name: w.in.BrandName,
		BrandType: w.in.BrandType, Category: w.in.Category, CountyCode: w.in.CountyCode, UnitName: w.in.UnitName,
		USCC: w.in.USCC, AdmittedOn: w.st.AdmittedOn, Clock: w.in.Clock, Policy: DefaultBrandPolicy}
	if w.in.BrandPolicy != nil {
		in.Policy = *w.in.BrandPolicy
	}
	if w.reviewer() != w.in.CountyCode { // a functional zone's brand stays with the bureau that reviewed it
		in.ReviewerCode, in.ReviewerRevision = w.reviewer(), w.in.ReviewerRevision
	}
	opts := workflow.ChildWorkflowOptions{
		WorkflowID:            BrandWorkflowID(w.st.BrandID),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: BrandSearchAttributes(in),
		StaticSummary:         BrandSummary(in),
		StaticDetails:         BrandDetails(in),
	}
	child := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, opts), BrandWorkflow, in)
	var started workflow.Execution
	if err := child.GetChildWorkflowExecution().Get(ctx, &started); err != nil && !isAlreadyStarted(err) {
		return fmt.Errorf("start brand %s: %w", w.st.BrandID, err)
	}
	return nil
}

// ruleFor is a deadline rule counted on the calendar of audience, who
// act within it (calendarOf; the bureau is the reviewer).
func (w *applicationWorkflow) ruleFor(ctx workflow.Context, audience auth.Role, kind string, from calendar.Date, period deadline.Period, n int, alerts deadline.AlertPolicy) deadline.Rule {
	return w.ruleOn(w.calendarOf(ctx, audience, w.reviewer()), kind, from, period, n, alerts)
}

// reviewer is the bureau that does the 初审 (RULES §1).
func (w *applicationWorkflow) reviewer() string {
	if w.in.ReviewerCode != "" {
		return w.in.ReviewerCode
	}
	return w.in.CountyCode
}

func (w *applicationWorkflow) openObjections() int {
	n := 0
	for _, o := range w.st.Objections {
		if !o.Ruled {
			n++
		}
	}
	for _, d := range w.st.ObjectionDays {
		if d.Open {
			n++
		}
	}
	return n
}

func (w *applicationWorkflow) stateView() (StateView, error) {
	return StateView{Stage: w.st.Stage, Deadlines: w.st.Deadlines.values(), Drawn: w.st.Drawn,
		Opinions: w.st.Opinions, Objections: w.st.Objections, ObjectionDays: w.st.ObjectionDays, BrandID: w.st.BrandID}, nil
}
