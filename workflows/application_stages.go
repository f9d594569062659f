package workflows

import (
	"slices"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Deadline keys of an application.
const (
	keyCountyReview = "county_review"
	keyCityReview   = "city_review"
	keyResubmission = "resubmission"
	keyNotice       = "public_notice"
	keyObjection    = "objection_ruling:" // + objection id
	keyObjectionDay = "objection_day:"    // + the day of receipt
)

func (w *applicationWorkflow) notifyBase() records.NotifyRequest {
	return records.NotifyRequest{ObjectType: "application", ObjectID: w.in.ApplicationID,
		BrandName: w.in.BrandName, County: w.reviewer(), USCC: w.in.USCC}
}

// systemStep is a step the process takes by itself.
func (w *applicationWorkflow) systemStep(ctx workflow.Context, key, action, note string) records.Step {
	return records.Step{ApplicationID: w.in.ApplicationID, Key: w.workflowID() + "/" + key, At: w.now(ctx),
		Actor: auth.SystemActor, Role: string(auth.System), Action: action, Note: note}
}

// actorStep is a step an officer, expert or holder takes through an Update;
// the Update's ID makes it idempotent.
func (w *applicationWorkflow) actorStep(ctx workflow.Context, a Actor, action, note string) records.Step {
	key := w.workflowID() + "/" + workflow.GetCurrentUpdateInfo(ctx).ID
	return records.Step{ApplicationID: w.in.ApplicationID, Key: key, At: w.now(ctx),
		Actor: a.Sub, Role: a.Role, Action: action, Note: note}
}

// enter moves the application to stage: it arms that stage's deadlines,
// then records the step with the stage and deadlines it leads to.
func (w *applicationWorkflow) enter(ctx workflow.Context, stage string, step records.Step) error {
	day := calendar.DateOf(step.At)
	if w.starting && w.in.SubmittedOn.Before(day) {
		// A process the starter started after the submission's day still
		// counts the 初审 from the submission (RULES §3).
		day = w.in.SubmittedOn
	}
	if err := w.arrive(ctx, stage, day); err != nil {
		return err
	}
	if stage == StageReturned {
		w.st.ReturnedAt = step.At
	}
	return w.record(ctx, step)
}

// arrive moves the application to stage and arms that stage's deadlines,
// counted from day.
func (w *applicationWorkflow) arrive(ctx workflow.Context, stage string, day calendar.Date) error {
	w.st.Stage = stage
	w.changes++
	ds := &w.st.Deadlines
	for _, k := range []string{keyCountyReview, keyCityReview, keyResubmission} {
		ds.remove(k)
	}
	p := w.in.Policy
	var err error
	switch stage {
	case StageCountyReview:
		_, err = ds.arm(ctx, w, keyCountyReview, "初审", []string{string(auth.CountyOfficer)},
			w.ruleFor(ctx, auth.CountyOfficer, keyCountyReview, day, deadline.Workdays, p.ServiceDays, p.Alerts))
	case StageReturned:
		// The holder is reminded; when the wait runs out the application
		// closes by itself (RULES §3), so there is nobody to escalate to.
		r := w.rule(keyResubmission, day, deadline.Workdays, p.ReturnWaitDays, deadline.AlertPolicy{LeadDays: p.Alerts.LeadDays})
		_, err = ds.arm(ctx, w, keyResubmission, "补充材料并重新提交", []string{string(auth.Applicant)}, r)
	case StageCityReview:
		_, err = ds.arm(ctx, w, keyCityReview, "复审", []string{string(auth.CityOfficer)},
			w.ruleFor(ctx, auth.CityOfficer, keyCityReview, day, deadline.Workdays, p.ServiceDays, p.Alerts))
	case StagePublicNotice:
		var d *Deadline
		d, err = ds.arm(ctx, w, keyNotice, "公示", nil, NoticeRule(p, w.calendarOf(ctx, auth.CityOfficer, w.reviewer()), day)) // the city's notice
		if err == nil {
			w.st.NoticeStart, w.st.NoticeEnd = d.Schedule.Start, d.Value().Due
		}
	case StageAdmitted, StageRejected, StageWithdrawn:
		ds.Items = nil
	}
	return err
}

// record writes a step with the current stage and deadlines, and keeps the
// search attributes in step.
func (w *applicationWorkflow) record(ctx workflow.Context, step records.Step) error {
	w.attachState(ctx, &step)
	w.recordsInFlight++
	err := execute(ctx, recording, ActivityRecordStep, step).Get(ctx, nil)
	w.recordsInFlight--
	if err != nil {
		return err
	}
	w.changes++ // deadlines may have changed while the step was written: waits re-arm
	return w.upsertSearch(ctx)
}

// attachState gives step the stage, deadlines and work queue it leads to,
// and shows them in the current details: every recorded step passes here.
func (w *applicationWorkflow) attachState(ctx workflow.Context, step *records.Step) {
	step.Stage = w.st.Stage
	step.Deadlines = w.st.Deadlines.values()
	step.NoticeStart, step.NoticeEnd = w.st.NoticeStart, w.st.NoticeEnd
	step.Tasks = w.tasks()
	step.Rules = w.st.Deadlines.rules()
	step.RunID = workflow.GetInfo(ctx).WorkflowExecution.RunID
	w.describe(ctx, *step)
}

// tasks is the application's work queue: its deadlines' audiences, and each
// drawn expert who has not yet given an opinion (第十二条).
func (w *applicationWorkflow) tasks() []records.Task {
	// The county officers who act are the reviewing bureau's (RULES §1).
	tasks := w.st.Deadlines.tasks("application", w.in.ApplicationID, w.in.BrandName, w.reviewer(), w.in.USCC)
	if d := w.st.Deadlines.get(keyCityReview); d != nil {
		for _, id := range w.st.Drawn {
			if !slices.Contains(w.st.Opinions, id) {
				tasks = append(tasks, records.Task{Kind: "expert_opinion", ObjectType: "application", ObjectID: w.in.ApplicationID,
					BrandName: w.in.BrandName, CountyCode: w.in.CountyCode, Audience: "expert", Assignee: id,
					Due: d.Value().Due.String(), DueAt: d.Value().DueAt, Provisional: d.Value().Provisional})
			}
		}
	}
	return tasks
}

func (w *applicationWorkflow) upsertSearch(ctx workflow.Context) error {
	return w.process.upsertSearch(ctx, &w.st.Deadlines, StageKey.ValueSet(w.st.Stage),
		BrandNameKey.ValueSet(w.in.BrandName), CategoryKey.ValueSet(w.in.Category))
}

// waitUntil waits for cond, meanwhile sending due reminders and escalations,
// marking expired deadlines and re-arming deadlines after a calendar change.
// Every wait is a durable timer raced against the process's messages.
func (w *applicationWorkflow) waitUntil(ctx workflow.Context, cond func() bool) error {
	stage, whenNeeded := w.st.Stage, writesWhenNeeded(ctx)
	done := func() bool {
		// A decision that moved the application on leaves no step of the
		// process's own to take here, so its write may stay its caller's.
		return cond() && (w.settled() || whenNeeded && w.st.Stage != stage)
	}
	if w.st.Deadlines.stale() &&
		workflow.GetVersion(ctx, changeStaleRecomputedBeforeWait, workflow.DefaultVersion, 1) == 1 {
		// A calendar revision was taken but not yet applied: the last run
		// took it while it waited to continue as new, or a decision moved
		// the stage in the dispatch that brought it. Nothing would wake
		// this wait before the older schedule's next alert.
		if whenNeeded {
			if err := w.settleWrites(ctx); err != nil {
				return err
			}
		}
		if err := w.updateDeadlines(ctx); err != nil {
			return err
		}
	}
	for !done() {
		switch {
		case cond() && w.st.Deadlines.anyExpired():
			// A lapse is due: the writes it waits for are made now, not
			// after the caller's grace.
			w.hurryWrites()
		case cond() && whenNeeded:
			// A step of the process's own follows the decision (the last
			// objection ruled): its writes after the caller's grace.
			w.askForWrites()
		}
		seen := w.changes
		woken := func() bool { return done() || w.changes != seen }
		if err := w.awaitChange(ctx, &w.st.Deadlines, true, woken); err != nil {
			return err
		}
		if whenNeeded && w.st.Deadlines.due(w.now(ctx)) {
			// Reminders, escalations and a recomputation are steps of
			// the process's own: after the decisions' writes.
			if err := w.settleWrites(ctx); err != nil {
				return err
			}
		}
		if err := w.updateDeadlines(ctx); err != nil {
			return err
		}
	}
	return nil
}

// updateDeadlines brings the deadlines up to date: recomputed after a calendar change,
// alerts whose time has come handled.
func (w *applicationWorkflow) updateDeadlines(ctx workflow.Context) error {
	changed, err := w.st.Deadlines.recompute(ctx, w)
	if err != nil {
		return err
	}
	if len(changed) > 0 {
		if n := w.st.Deadlines.get(keyNotice); n != nil {
			// Objections are checked against, and the row shows, these days.
			w.st.NoticeStart, w.st.NoticeEnd = n.Schedule.Start, n.Value().Due
		}
		// A day's objections are told the ruling date its clock runs to
		// (the step's deadlines carry it to the record too).
		for i := range w.st.ObjectionDays {
			if d := w.st.Deadlines.get(objectionDayKey(w.st.ObjectionDays[i].ReceivedOn)); d != nil {
				w.st.ObjectionDays[i].RulingDue = d.Value().Due
			}
		}
		if !w.settled() && workflow.GetVersion(ctx, changeRecomputeAfterWrites, workflow.DefaultVersion, 1) == 1 {
			// A decision applied while a day was computed carries the
			// older days; its write lands first, then the revised ones.
			if err := w.settleWrites(ctx); err != nil {
				return err
			}
		}
		key := w.st.Deadlines.revisionKey()
		if err := w.record(ctx, w.systemStep(ctx, key, "deadlines.recomputed", recomputedNoteOf(changed))); err != nil {
			return err
		}
	}
	expired, err := w.st.Deadlines.handleDueAlerts(ctx, w, w.now(ctx))
	if len(expired) > 0 {
		w.describe(ctx, records.Step{}) // now overdue
	}
	return err
}

func isAlreadyStarted(err error) bool {
	_, ok := err.(*temporal.ChildWorkflowExecutionAlreadyStartedError)
	return ok
}
