package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Objections by receipt day (第十三条, RULES §3 objections). Anyone may
// object without an account, so the process must not take one Update per
// objection: objections live in PostgreSQL, and the process keeps one
// ruling clock per day of receipt — every objection received that day has
// the same 10 working days from the day after. The API tells the process of
// a day's first objection (UpdateObjectionDay), and of a ruling only when it
// changes the process: an upheld objection rejects the application; the last
// open objection of a day closes that day's clock (UpdateObjectionsRuled).
// Officers' rulings of the other objections are records, not process steps.

// ObjectionDay is the ruling clock of the objections received on one day.
type ObjectionDay struct {
	ReceivedOn calendar.Date `json:"received_on"`
	RulingDue  calendar.Date `json:"ruling_due"`
	Open       bool          `json:"open"` // some objection of that day is not yet ruled
}

// ObjectionTimely reports whether an objection filed on filedOn (its
// postmark when mailed, its receipt otherwise) falls within the notice
// (第十三条: 公示期内).
func ObjectionTimely(noticeStart, noticeEnd, filedOn calendar.Date) bool {
	return !noticeStart.IsZero() && !filedOn.Before(noticeStart) && !filedOn.After(noticeEnd)
}

// TakesObjections reports whether an application at stage takes
// objections and their rulings: during its notice, and its objection review.
func TakesObjections(stage string) bool {
	return stage == StagePublicNotice || stage == StageObjectionReview
}

func (w *applicationWorkflow) objectionDay(day calendar.Date) *ObjectionDay {
	i := slices.IndexFunc(w.st.ObjectionDays, func(d ObjectionDay) bool { return d.ReceivedOn == day })
	if i < 0 {
		return nil
	}
	return &w.st.ObjectionDays[i]
}

func objectionDayKey(day calendar.Date) string { return keyObjectionDay + day.String() }

// 第十三条: the first objection received on a day opens that day's ruling
// clock; it must have been filed within the notice.
func (w *applicationWorkflow) validateObjectionDay(ctx workflow.Context, r ObjectionDayRequest) error {
	if !w.arrived() {
		// Its notice is not yet known (an application brought over in
		// flight learns it with its first step): the handler checks once
		// the process has arrived.
		return nil
	}
	if err := w.requireStage("受理异议", StagePublicNotice, StageObjectionReview); err != nil {
		return err
	}
	if !ObjectionTimely(w.st.NoticeStart, w.st.NoticeEnd, r.FiledOn) {
		return objectionOutsideNotice(w.st.Stage, w.st.NoticeStart, w.st.NoticeEnd)
	}
	if r.ReceivedOn.Before(r.FiledOn) || r.ReceivedOn.After(w.today(ctx)) {
		return invalid("收到日期无效", RejectedField{Field: "received_on", Message: "不能早于邮戳日期，也不能晚于今天"})
	}
	return nil
}

// validateObjectionDayTold is the Update's validator: a day whose clock
// runs already is taken as told again (the handler answers with its
// deadline) — never refused because a revision has since moved the notice,
// which would make its sender drop an objection the process accepted.
// Validators are not replayed; the handler's own checks are unchanged.
func (w *applicationWorkflow) validateObjectionDayTold(ctx workflow.Context, r ObjectionDayRequest) error {
	if d := w.objectionDay(r.ReceivedOn); d != nil && d.Open && w.arrived() {
		return w.requireStage("受理异议", StagePublicNotice, StageObjectionReview)
	}
	return w.validateObjectionDay(ctx, r)
}

// CodeOutsideNotice is the refusal of an objection filed outside the
// notice (第十三条: 公示期内).
const CodeOutsideNotice = "outside_notice_period"

// objectionOutsideNotice refuses an objection filed outside the notice.
func objectionOutsideNotice(stage string, start, end calendar.Date) error {
	return reject(RejectConflict, Rejection{Code: CodeOutsideNotice,
		Message: fmt.Sprintf("异议须在公示期内（%s 至 %s）提出", start, end),
		Details: map[string]any{"stage": stage, "notice_start": start.String(), "notice_end": end.String()}})
}

func (w *applicationWorkflow) openObjectionDay(ctx workflow.Context, r ObjectionDayRequest) (ObjectionDayResult, error) {
	if !w.arrived() {
		if err := workflow.Await(ctx, w.arrived); err != nil {
			return ObjectionDayResult{Stage: w.st.Stage}, err
		}
		if err := w.validateObjectionDay(ctx, r); err != nil {
			return ObjectionDayResult{Stage: w.st.Stage}, err
		}
	}
	if err := w.afterNoticeEnd(ctx, func() error { return w.validateObjectionDay(ctx, r) }); err != nil {
		return ObjectionDayResult{Stage: w.st.Stage}, err
	}
	// A decision of the same moment (an upheld ruling rejects the
	// application) is taken whole before or after this day opens, never
	// while it opens; after it, the day is checked again: no clock opens on
	// an application that takes no more objections.
	if workflow.GetVersion(ctx, changeObjectionDayRechecked, workflow.DefaultVersion, 1) == 1 {
		done, err := w.oneDecisionAtATime(ctx)
		defer done()
		if err != nil {
			return ObjectionDayResult{Stage: w.st.Stage}, err
		}
		if err := w.requireStage("受理异议", StagePublicNotice, StageObjectionReview); err != nil {
			return ObjectionDayResult{Stage: w.st.Stage}, err
		}
		// The writes of the decisions before it are on record first (as a
		// decision's are, rechecked): one left to its caller and made
		// later would put the deadlines and work queue from before this
		// day over the day's.
		if !w.writesDone() && workflow.GetVersion(ctx, changeObjectionDayAfterWrites, workflow.DefaultVersion, 1) == 1 {
			if err := w.awaitWrites(ctx); err != nil {
				return ObjectionDayResult{Stage: w.st.Stage}, err
			}
			if err := w.requireStage("受理异议", StagePublicNotice, StageObjectionReview); err != nil {
				return ObjectionDayResult{Stage: w.st.Stage}, err
			}
		}
	}
	suffix := ""
	if d := w.objectionDay(r.ReceivedOn); d != nil {
		if d.Open || workflow.GetVersion(ctx, changeObjectionDayReopens, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
			return ObjectionDayResult{Stage: w.st.Stage, RulingDue: d.RulingDue}, nil // told twice: the clock runs already
		}
		// Every objection of the day was ruled, and one more came: its
		// clock opens again, for the day's same 10 working days.
		suffix = "（该日此前的异议已全部裁定，又收到异议）"
	}
	defer w.holdSteps()() // the notice must not end before the day's objections are on record
	byActivity := workflow.GetVersion(ctx, changeObjectionDayByActivity, workflow.DefaultVersion, 1) == 1
	due, err := w.acceptObjectionDay(ctx, r.ReceivedOn, byActivity, func(note string) records.Step {
		return w.actorStep(ctx, r.Actor, "objection.received", note+suffix)
	})
	return ObjectionDayResult{Stage: w.st.Stage, RulingDue: due}, err
}

// acceptObjectionDay starts the ruling clock of the objections received on
// day and opens them on record, with the step stepOf makes of its note —
// by an activity where an Update opens the day (byActivity), so that the
// write is scheduled with the Update's acceptance or not at all.
func (w *applicationWorkflow) acceptObjectionDay(ctx workflow.Context, day calendar.Date, byActivity bool, stepOf func(note string) records.Step) (calendar.Date, error) {
	key := objectionDayKey(day)
	// 第十三条 + 民法典第二百零一条: 10 working days counted from the day after receipt.
	d, err := w.st.Deadlines.arm(ctx, w, key, "异议裁定", []string{string(auth.CityOfficer)},
		w.ruleFor(ctx, auth.CityOfficer, key, day, deadline.Workdays, w.in.Policy.ObjectionRulingDays, w.in.Policy.Alerts))
	if err != nil {
		return calendar.Date{}, err
	}
	due := d.Value().Due
	if od := w.objectionDay(day); od != nil { // opened again (changeObjectionDayReopens)
		od.RulingDue, od.Open = due, true
	} else {
		w.st.ObjectionDays = append(w.st.ObjectionDays, ObjectionDay{ReceivedOn: day, RulingDue: due, Open: true})
	}
	w.changes++
	step := stepOf(fmt.Sprintf("%s 收到异议，裁定期限 %s", day, due))
	w.attachState(ctx, &step)
	rec := records.ObjectionDayRecord{Step: step, ReceivedOn: day, RulingDue: due}
	var write workflow.Future
	if byActivity {
		opts := recording.remote
		opts.Summary = activitySummary(ActivityAcceptObjectionDay, []any{rec})
		write = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), ActivityAcceptObjectionDay, rec)
	} else {
		write = execute(ctx, recording, ActivityAcceptObjectionDay, rec)
	}
	err = write.Get(ctx, nil)
	if err == nil {
		err = w.upsertSearch(ctx)
	}
	return due, err
}

// afterNoticeEnd makes an objection's Update that comes while the notice's
// end is reading and opening days (closingNotice) wait until that step has
// decided, then checks it again: applied in the middle, an upheld ruling
// would be overwritten by the step's decision, and a day it opens would be
// opened twice. A run that never closes its notice so never waits here.
func (w *applicationWorkflow) afterNoticeEnd(ctx workflow.Context, recheck func() error) error {
	if !w.closingNotice {
		return nil
	}
	if err := workflow.Await(ctx, func() bool { return !w.closingNotice }); err != nil {
		return err
	}
	return recheck()
}

// openDraftDays opens, as the notice ends, the days of objections stored
// within it whose process was never told of them: the API stores an
// objection before it tells the day, and a 503 or a stop between the two
// leaves it stored and unknown here (changeDraftDaysAtNoticeEnd). A day
// told meanwhile is known already — unless its objections were all ruled
// and one that came since was never told: it opens again
// (changeUntoldReopenAtNoticeEnd). Its steps are dated at, the notice's
// end, when given (changeNoticeEndGrace: read a minute after it), else now.
func (w *applicationWorkflow) openDraftDays(ctx workflow.Context, at time.Time, beforeAdmission bool) error {
	var days []records.DraftDay
	if err := execute(ctx, reading, ActivityDraftDays, w.in.ApplicationID).Get(ctx, &days); err != nil {
		return err
	}
	for _, d := range days {
		if !ObjectionTimely(w.st.NoticeStart, w.st.NoticeEnd, d.FiledOn) {
			continue
		}
		stepKey, when := objectionDayKey(d.ReceivedOn), "公示期届满时补登"
		if beforeAdmission {
			when = "入库前补登"
		}
		note := "（" + when + "）"
		if known := w.objectionDay(d.ReceivedOn); known != nil {
			if known.Open || !d.Reopens ||
				!beforeAdmission && workflow.GetVersion(ctx, changeUntoldReopenAtNoticeEnd, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
				continue
			}
			stepKey, note = stepKey+"/reopened", "（该日此前的异议已全部裁定，又收到异议；"+when+"）"
			if beforeAdmission { // a day may open again more than once in the review: each its own step
				stepKey += fmt.Sprintf("-%d", w.now(ctx).UnixMilli())
			}
		}
		if _, err := w.acceptObjectionDay(ctx, d.ReceivedOn, false, func(text string) records.Step {
			step := w.systemStep(ctx, stepKey, "objection.received", text+note)
			if !at.IsZero() {
				step.At = at
			}
			return step
		}); err != nil {
			return err
		}
	}
	return nil
}

// 第十三条: a ruling the process must act on — an upheld objection, or the
// last open objection of a day.
func (w *applicationWorkflow) validateObjectionsRuled(ctx workflow.Context, r ObjectionsRuledRequest) error {
	if err := w.requireStage("裁定异议", StagePublicNotice, StageObjectionReview); err != nil {
		return err
	}
	if err := w.requireCity(ctx, r.Actor); err != nil {
		return err
	}
	if w.objectionDay(r.ReceivedOn) == nil {
		return reject(RejectConflict, Rejection{Code: "unknown_objection", Message: "该申请在这一天没有受理的异议",
			Details: map[string]any{"stage": w.st.Stage}})
	}
	return nil
}

func (w *applicationWorkflow) objectionsRuled(ctx workflow.Context, r ObjectionsRuledRequest) (DecisionResult, error) {
	if err := w.afterNoticeEnd(ctx, func() error { return w.validateObjectionsRuled(ctx, r) }); err != nil {
		return w.result(), err
	}
	defer w.holdSteps()() // the ruling is on record before the admission it may lead to
	day := w.objectionDay(r.ReceivedOn)
	if r.Upheld {
		// 第十三条: an upheld objection rejects the application.
		w.st.Stage = StageRejected
		w.st.Deadlines.Items = nil
		for i := range w.st.ObjectionDays {
			w.st.ObjectionDays[i].Open = false
		}
		return w.result(), w.record(ctx, w.actorStep(ctx, r.Actor, "objection.upheld", "异议成立，申请不予入库（异议 "+r.ObjectionID+"）"))
	}
	if !day.Open {
		return w.result(), nil
	}
	if workflow.GetVersion(ctx, changeDayClosedOnRecord, workflow.DefaultVersion, 1) == 1 {
		// One more objection may have come since this ruling was stored:
		// its day stays open until that one is ruled too.
		var unruled int
		q := records.ObjectionDayQuery{ApplicationID: w.in.ApplicationID, ReceivedOn: r.ReceivedOn}
		if err := execute(ctx, reading, ActivityUnruledObjectionsOn, q).Get(ctx, &unruled); err != nil {
			return w.result(), err
		}
		if unruled > 0 {
			return w.result(), nil
		}
	}
	day.Open = false
	w.st.Deadlines.remove(objectionDayKey(r.ReceivedOn))
	return w.result(), w.record(ctx, w.actorStep(ctx, r.Actor, "objections.day_ruled", fmt.Sprintf("%s 收到的异议已全部裁定", r.ReceivedOn)))
}
