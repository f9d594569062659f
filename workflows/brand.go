package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

func (w *brandWorkflow) registerUpdates(ctx workflow.Context) error {
	return registerUpdates(ctx, []update{
		{UpdateFinding, guarded(w, w.finding, w.validateFinding), w.validateFinding},
		{UpdateRectificationConfirm, guarded(w, w.confirm, w.validateConfirm), w.validateConfirm},
		{UpdateInterview, guarded(w, w.interview, w.validateInterview), w.validateInterview},
		{UpdateSuspensionDecision, guarded(w, w.suspensionDecision, w.validateSuspensionDecision), w.validateSuspensionDecision},
		{UpdateRemovalReport, guarded(w, w.removalReport, w.validateRemovalReport), w.validateRemovalReport},
		{UpdateRemovalDecision, guarded(w, w.removalDecision, w.validateRemovalDecision), w.validateRemovalDecision},
		{UpdateEvaluationReport, guarded(w, w.evaluationReport, w.validateEvaluationReport), w.validateEvaluationReport},
		{UpdateEvaluationAssessment, guarded(w, w.assessment, w.validateAssessment), w.validateAssessment},
		{UpdateChangeRequest, guarded(w, w.changeRequest, w.validateChangeRequest), w.validateChangeRequest},
		{UpdateChangeOpinion, guarded(w, w.changeOpinion, w.validateChangeOpinion), w.validateChangeOpinion},
		{UpdateReportTriage, guarded(w, w.reportTriage, w.validateReportTriage), w.validateReportTriage},
		{UpdateBureau, w.changeBureau, w.validateBureau},
	})
}

func (w *brandWorkflow) result() BrandResult { return BrandResult{Status: w.st.Status} }

// guarded wraps a decision's handler: a decision applied before (in this
// run or an earlier one) is answered, not applied again; one comes after
// another (oneDecisionAtATime); one the state no longer allows is refused
// (recheck); while it applies, the process takes no step of its own
// (holdSteps).
func guarded[R any](w *brandWorkflow, apply func(workflow.Context, R) (BrandResult, error),
	validate func(workflow.Context, R) error) func(workflow.Context, R) (BrandResult, error) {
	return func(ctx workflow.Context, r R) (BrandResult, error) {
		if w.applied(ctx) {
			return w.result(), nil
		}
		done, err := w.oneDecisionAtATime(ctx)
		defer done()
		if err != nil {
			return w.result(), err
		}
		if err := w.afterSteps(ctx); err != nil {
			return w.result(), err
		}
		if err := w.awaitWrites(ctx); err != nil {
			return w.result(), err
		}
		if err := w.afterLapses(ctx); err != nil {
			return w.result(), err
		}
		if w.applied(ctx) {
			return w.result(), nil // taken meanwhile, as stored in time (takeStoredReport)
		}
		if err := recheck(ctx, validate, r); err != nil {
			return w.result(), err
		}
		w.remember(ctx)
		defer w.holdSteps()()
		ctx, d := w.withDecision(ctx)
		res, err := apply(ctx, r)
		res.Writes = d.end(err)
		return res, err
	}
}

func (w *brandWorkflow) statusConflict(action string) error {
	return conflict(fmt.Sprintf("品牌当前状态为“%s”，不能%s", BrandStatusLabel(w.st.Status), action), "status", w.st.Status)
}

func (w *brandWorkflow) pendingConflict(action string) error {
	kind := ""
	if p := w.mostUrgent(); p != nil {
		kind = p.Kind
	}
	return reject(RejectConflict, Rejection{Code: "conflict", Message: "当前没有待办的" + action,
		Details: map[string]any{"status": w.st.Status, "pending_decision": kind}})
}

// ruleFor is a deadline rule counted on the calendar of audience, who
// act within it (calendarOf).
func (w *brandWorkflow) ruleFor(ctx workflow.Context, audience auth.Role, kind string, from calendar.Date, period deadline.Period, n int, alerts deadline.AlertPolicy) deadline.Rule {
	return w.ruleOn(w.calendarOf(ctx, audience, w.bureau()), kind, from, period, n, alerts)
}

// bureau is the county bureau that looks after the brand (RULES §1).
func (w *brandWorkflow) bureau() string {
	if w.in.ReviewerCode != "" {
		return w.in.ReviewerCode
	}
	return w.in.CountyCode
}

func (w *brandWorkflow) ownCounty(a Actor) error {
	if a.Role == string(auth.CountyOfficer) && a.County != w.in.CountyCode && a.County != w.bureau() {
		return forbidden("只能办理本县（市、区）品牌的事项")
	}
	return nil
}

// precheck is the start of every brand validator: a decision already
// applied (perhaps in an earlier run) is let through to be answered, not
// re-applied (skip); otherwise the actor must hold one of roles, and a county
// officer must be the brand's county's.
func (w *brandWorkflow) precheck(ctx workflow.Context, a Actor, roles ...auth.Role) (skip bool, err error) {
	if skip, err := w.admits(ctx, a, roles...); skip || err != nil {
		return skip, err
	}
	return false, w.lapsePending(ctx, a)
}

// admits is precheck without the lapse: for a validator whose own refusal
// of the moment comes first (a renewal after the suspension's end).
func (w *brandWorkflow) admits(ctx workflow.Context, a Actor, roles ...auth.Role) (skip bool, err error) {
	if w.applied(ctx) {
		return true, nil
	}
	if err := requireRole(a, roles...); err != nil {
		return false, err
	}
	return false, w.ownCounty(a)
}

// afterLapses makes a decision that finds a deadline with a consequence
// run out, its lapse not yet taken, wait until the process has taken it
// (and is rechecked after): an Update that comes in the workflow task of
// the deadline's timer — a worker away at that instant — runs before the
// process's own code. An officer's is refused as lapse_pending by its
// validator; a holder's filing, on record before it reaches the process,
// is not refused but must not be taken as made in time — a report filed
// after its day is late, beside the order its lapse makes. Histories
// recorded before replay without the wait (changeDecisionsAfterLapses).
//
// A run that ends meanwhile (a new evaluation cycle, its history long)
// takes no more lapses, and waits for this decision to finish: the
// decision is answered as one to send again (RunEnding), and the next run
// takes the lapse first.
func (w *brandWorkflow) afterLapses(ctx workflow.Context) error {
	lapsed := func() bool { d, _ := w.lapseDue(ctx, w.now(ctx)); return d == nil && !w.stepping }
	if lapsed() || workflow.GetVersion(ctx, changeDecisionsAfterLapses, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	if err := workflow.Await(ctx, func() bool { return lapsed() || w.ending }); err != nil {
		return err
	}
	if !lapsed() {
		return temporal.NewApplicationError("流程正在转入新一期运行，请稍后重新提交（已保存的材料不会丢失）", RunEnding)
	}
	return nil
}

// lapsePending refuses an officer's decision validated once a deadline
// with a consequence ran out and before the process has taken its lapse
// (lapseDue). A holder's filing is not refused: stored before it reaches
// the process, it is judged by the process as it always was, and a refusal
// would have it dropped.
func (w *brandWorkflow) lapsePending(ctx workflow.Context, a Actor) error {
	if a.Role == string(auth.Applicant) {
		return nil
	}
	d, due := w.lapseDue(ctx, w.now(ctx))
	if d == nil || !ruleChanged(ctx, changeLapseBeforeDecision) {
		return nil
	}
	return reject(RejectConflict, Rejection{Code: "lapse_pending",
		Message: fmt.Sprintf("%s已于 %s 届满，系统正在办理届满后的处理，请稍后刷新页面再办理", deadlineLabel(d), due.Due),
		Details: map[string]any{"deadline": d.Key, "due": due.Due.String()}})
}

// lapseDue is a deadline whose lapse has a consequence (onExpired) that ran
// out by now and is not taken yet, with the day it ran out; nil when none.
// The SDK runs an Update that reaches the process in the workflow task of
// such a deadline's timer before the process's own code: judged on the
// state before the lapse, a decision would undo it (a county's
// confirmation after the month, the order never climbing). A deadline
// that ran out lapses — on an older calendar than the process knows, only
// where the run's recompute leaves it so (ran-out-never-moves: the same
// change, so the two agree in every run); one still running on an older
// calendar lapses now only if it opens a window the newer calendar opens
// already (KeepsDay keeps any other where the process put it).
func (w *brandWorkflow) lapseDue(ctx workflow.Context, now time.Time) (*Deadline, calendar.Deadline) {
	ds := &w.st.Deadlines
	for _, d := range ds.Items {
		if d.Expired || !hasConsequence(d.Key) {
			continue
		}
		due := d.Value()
		stale := due.CalendarVersion < ds.CalendarVersion
		if !due.DueAt.After(now) {
			if !stale || ruleChanged(ctx, changeRanOutNeverMoves) {
				return d, due
			}
			continue
		}
		if stale && opensWindow[d.Key] {
			if told, ok := ds.toldSchedule(d); ok && !told.Deadline.DueAt.After(now) {
				return d, told.Deadline
			}
		}
	}
	return nil, calendar.Deadline{}
}

// hasConsequence reports whether the lapse of deadline key changes the
// brand (RULES §4 "what happens automatically"), not only escalates.
func hasConsequence(key string) bool {
	switch key {
	case keyEvaluationWindow, keyEvaluationReport, keyRectification, keySuspensionEnd:
		return true
	}
	return strings.HasPrefix(key, keyLateInformation)
}

func requireRole(a Actor, roles ...auth.Role) error {
	for _, r := range roles {
		if a.Role == string(r) {
			return nil
		}
	}
	return forbidden("无权办理此事项")
}

// BrandStatusLabel is a status's Chinese name.
func BrandStatusLabel(s string) string {
	switch s {
	case BrandStatusActive:
		return "正常"
	case BrandStatusRectifying:
		return "整改中"
	case BrandStatusSuspended:
		return "暂停标识使用"
	case BrandStatusRemoved:
		return "已移出"
	}
	return s
}

// Deadline keys of a brand.
const (
	keyEvaluationWindow     = "evaluation_window"
	keyEvaluationReport     = "evaluation_report"
	keyEvaluationAssessment = "evaluation_assessment"
	keyRectification        = "rectification"
	keyInterview            = "interview"
	keySuspensionDecision   = "suspension_decision"
	keyRenewalDecision      = "renewal_decision"
	keyRenewalWindow        = "renewal_window" // the renewal window's first day, kept on the calendar
	keySuspensionEnd        = "suspension_end"
	keyRemovalDecision      = "removal_decision"
	keyChange               = "change:"        // + change id
	keyLateInformation      = "rectification:" // + finding id: a late-information order beside another
	keyReportTriage         = "report_triage:" // + the oldest report waiting for triage
)

// maxApplied bounds the remembered decision IDs carried across runs.
const maxApplied = 500

// BrandWorkflow is an admitted brand's life in the library (第十五条): the
// biennial evaluation, the rectification ladder (levels 1–4), suspensions
// and removal. It continues as new at each evaluation cycle and whenever the
// SDK suggests it, carrying its whole state.
func BrandWorkflow(ctx workflow.Context, in BrandInput) error {
	settleVersions(ctx)
	w := &brandWorkflow{process: newProcess(in.Clock, BrandWorkflowID(in.BrandID), in.CountyCode), in: in}
	if in.State != nil {
		w.st = *in.State
	} else {
		w.st = BrandState{Status: BrandStatusActive, Name: in.Name, UnitName: in.UnitName}
	}
	if w.st.USCC == "" { // states carried from runs before these fields existed
		w.st.USCC, w.st.Category = in.USCC, in.Category
	}
	w.st.fromSinglePending()
	w.st.Pending = w.mostUrgent()
	if err := w.setup(ctx); err != nil {
		return err
	}
	w.matterSet = getVersion(ctx, changeOpenMatters) == 1
	if w.reportMatters = getVersion(ctx, changeReportsAsMatters) == 1; w.reportMatters {
		w.st.ReportsStale = true // each run reads once: a signal lost on the way is made good here
	}
	if w.st.Started {
		w.describe(ctx, records.BrandStep{}) // a new run: say where the brand stands before its next step
	}
	return w.run(ctx)
}

type brandWorkflow struct {
	process
	in BrandInput
	st BrandState
	// matterSet is false in a run begun before changeOpenMatters, which
	// keeps the old commands where the set would issue others.
	matterSet bool
	// reportMatters is false in a run begun before changeReportsAsMatters,
	// which does not keep reports in triage as a matter.
	reportMatters bool
}

func (w *brandWorkflow) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (BrandState, error) { return w.st, nil }); err != nil {
		return err
	}
	if err := w.st.Deadlines.listenForCalendarChanges(ctx, &w.changes); err != nil {
		return err
	}
	w.listenForReports(ctx)
	if err := w.registerSettleWrites(ctx); err != nil {
		return err
	}
	return w.registerUpdates(ctx)
}

func (w *brandWorkflow) run(ctx workflow.Context) error {
	if !w.st.Started {
		if err := w.begin(ctx); err != nil {
			return err
		}
	}
	for w.st.Status != BrandStatusRemoved {
		expired, err := w.awaitExpiry(ctx)
		if err != nil {
			return err
		}
		cycle, err := w.takeEffect(ctx, expired)
		if err != nil {
			return err
		}
		if cycle || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return w.continueAsNew(ctx, &w.st.Deadlines, BrandWorkflow, func() any {
				in, st := w.in, w.st
				in.State = &st
				return in
			})
		}
	}
	// A decision's writes are made before the process ends.
	return w.awaitEnd(ctx)
}

// begin is the brand's first step: its record (an imported brand's), its
// first evaluation window, and the admission in its history.
func (w *brandWorkflow) begin(ctx workflow.Context) error {
	defer w.ownStep()()
	w.st.Started = true
	if w.in.Imported {
		if err := execute(ctx, recording, ActivityImportBrand, w.importRecord(ctx)).Get(ctx, nil); err != nil {
			return err
		}
	}
	// 第十五条: the first evaluation is two years after admission (an
	// imported brand's, the day its sheet gives).
	w.st.NextEvaluation = firstEvaluation(w.in)
	if err := w.armWindow(ctx); err != nil {
		return err
	}
	note := "入库，品牌进入动态管理（第十五条）"
	if w.in.Imported {
		note = w.in.AdmittedOn.String() + " 入库（系统上线前），导入后进入动态管理（第十五条）"
	}
	step := w.systemStep(ctx, "admitted", "admitted", note)
	if w.in.Standing != nil {
		if err := w.takeStanding(ctx, &step); err != nil {
			return err
		}
	}
	return w.record(ctx, step)
}

// takeEffect takes every deadline that ran out into effect, one after the
// other, before a new cycle continues as new (handleDueAlerts has marked
// them expired — those of one instant, expiryHorizon's —, and the next run
// would not see them again); it reports
// whether a new evaluation cycle began.
func (w *brandWorkflow) takeEffect(ctx workflow.Context, expired []*Deadline) (cycle bool, err error) {
	defer w.ownStep()()
	for _, d := range expired {
		c, err := w.onExpired(ctx, d)
		if err != nil {
			return cycle, err
		}
		cycle = cycle || c
	}
	return cycle, nil
}

// awaitExpiry waits until a deadline expires (sending reminders and
// escalations meanwhile) or the brand is removed.
func (w *brandWorkflow) awaitExpiry(ctx workflow.Context) ([]*Deadline, error) {
	for {
		if w.st.Status == BrandStatusRemoved {
			return nil, nil
		}
		// Read before the activities below: an Update that changes the
		// brand while they run (a removal, say) must wake the wait after.
		seen := w.changes
		whenNeeded := writesWhenNeeded(ctx)
		if w.settled() || whenNeeded && w.upkeepDue(ctx) {
			// Upkeep is the process's own steps: after the decisions' writes.
			if err := w.settleWrites(ctx); err != nil {
				return nil, err
			}
			expired, err := w.upkeep(ctx)
			if err != nil || len(expired) > 0 {
				return expired, err
			}
		}
		// While a decision's write is its caller's, the next alert's timer
		// runs (changeWritesWhenNeeded): the process does not wait for it.
		armed := w.settled() || whenNeeded
		woken := func() bool { return w.changes != seen && (w.settled() || whenNeeded) }
		if err := w.awaitChange(ctx, &w.st.Deadlines, armed, woken); err != nil {
			return nil, err
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			if w.settled() {
				return nil, nil
			}
			if whenNeeded {
				w.askForWrites()
			}
		}
	}
}

// upkeepDue reports whether upkeep has something to do: reports to read, an
// alert whose time has come, or deadlines to recompute.
func (w *brandWorkflow) upkeepDue(ctx workflow.Context) bool {
	return w.reportMatters && w.st.ReportsStale || w.st.Deadlines.due(w.now(ctx))
}

// upkeep is the process's own work between decisions: reports read, the
// deadlines re-armed on a newer calendar, reminders and escalations sent,
// and what expired marked so (its consequence follows in takeEffect).
func (w *brandWorkflow) upkeep(ctx workflow.Context) ([]*Deadline, error) {
	defer w.ownStep()()
	if err := w.refreshReports(ctx); err != nil {
		return nil, err
	}
	changed, err := w.st.Deadlines.recompute(ctx, w)
	if err != nil {
		return nil, err
	}
	if d := w.st.Deadlines.get(keyRenewalWindow); d != nil && w.st.Suspension != nil {
		w.st.Suspension.RenewalOpensOn = d.Value().Due // moved with the calendar, perhaps
	}
	if len(changed) > 0 {
		if err := w.record(ctx, w.recomputedStep(ctx, changed)); err != nil {
			return nil, err
		}
	}
	expired, err := w.st.Deadlines.handleDueAlerts(ctx, w, w.st.Deadlines.expiryHorizon(ctx, w.now(ctx)))
	if len(expired) > 0 {
		w.describe(ctx, records.BrandStep{}) // now overdue; a lapse's own step follows
	}
	return expired, err
}

// onExpired takes the mechanical consequence of a lapsed deadline (RULES §4
// "what happens automatically"), dated by the deadline, and reports whether
// a new evaluation cycle began. Officer deadlines only escalate.
func (w *brandWorkflow) onExpired(ctx workflow.Context, d *Deadline) (bool, error) {
	due := d.Value()
	switch d.Key {
	case keyEvaluationWindow:
		return true, w.openEvaluation(ctx, d)
	case keyEvaluationReport:
		if taken, err := w.takeStoredReport(ctx, due); err != nil || taken {
			return false, err
		}
		// RULES §4: a missed report is the level-1 case 未按时提供相关信息.
		w.st.Deadlines.remove(d.Key)
		if w.st.Evaluation != nil {
			w.st.Evaluation.ReportLate = true
		}
		// A suspension proposal waiting would replace the brand's ordinary
		// order if decided: the information is still owed, so the order is
		// one of its own there too.
		besideProposal := func() bool {
			return w.open(keySuspensionDecision) &&
				workflow.GetVersion(ctx, changeLateInformationBesideProposal, workflow.DefaultVersion, 1) == 1
		}
		if w.st.Rectification != nil || w.st.Status == BrandStatusSuspended || w.matterSet && besideProposal() {
			if w.matterSet {
				return false, w.orderLateInformation(ctx, due)
			}
			return false, w.recordAt(ctx, "evaluation-late/"+due.Due.String(), "evaluation.report_missed", "未按期提交发展情况报告", due.DueAt)
		}
		return false, w.openFinding(ctx, w.autoStep(ctx, "late-information/"+due.Due.String(), "finding.level1",
			"未按时提供相关信息（第十五条（一）），自动下达整改", due.DueAt),
			"FD-"+w.in.BrandID+"-late-"+due.Due.String(), "late_information", "未在评估期限内提交发展情况报告", "")
	case keyRectification:
		return false, w.rectificationLapsed(ctx, d)
	case keySuspensionEnd:
		return false, w.restore(ctx, d)
	case keyRenewalWindow: // the window is open: the validator lets the renewal through
		w.st.Deadlines.remove(d.Key)
		if w.st.Suspension == nil {
			return false, nil // ended with its suspension (never so: each end removes it)
		}
		note := fmt.Sprintf("延续暂停决定的窗口已开启（%s 起，至暂停期届满 %s）", due.Due, w.st.Suspension.Until)
		return false, w.record(ctx, w.autoStep(ctx, "renewal-window/"+due.Due.String(), "renewal.window_opened", note, due.Due.Start()))
	}
	if strings.HasPrefix(d.Key, keyLateInformation) {
		return false, w.lateInformationLapsed(ctx, d)
	}
	return false, nil // officer deadlines: reminders and escalations only
}

// settledStatus is the status the brand's standing implies.
func (w *brandWorkflow) settledStatus() string {
	switch {
	case w.st.Status == BrandStatusRemoved:
		return BrandStatusRemoved
	case w.st.Suspension != nil:
		return BrandStatusSuspended
	case w.st.Rectification != nil || len(w.st.LateInformation) > 0:
		return BrandStatusRectifying
	}
	return BrandStatusActive
}

// applied reports whether the current Update was applied before (perhaps
// in an earlier run), and remember marks it applied.
func (w *brandWorkflow) applied(ctx workflow.Context) bool {
	return slices.Contains(w.st.Applied, workflow.GetCurrentUpdateInfo(ctx).ID)
}

func (w *brandWorkflow) remember(ctx workflow.Context) {
	w.rememberUpdate(workflow.GetCurrentUpdateInfo(ctx).ID)
}

// rememberUpdate counts the Update id applied: sent again, it is answered,
// not applied twice.
func (w *brandWorkflow) rememberUpdate(id string) {
	w.st.Applied = append(w.st.Applied, id)
	if n := len(w.st.Applied); n > maxApplied {
		w.st.Applied = w.st.Applied[n-maxApplied:]
	}
}

// importRecord is the record of a brand admitted before the system.
func (w *brandWorkflow) importRecord(ctx workflow.Context) records.BrandImport {
	return records.BrandImport{BrandID: w.in.BrandID, Name: w.in.Name, UnitName: w.in.UnitName, USCC: w.in.USCC,
		BrandType: w.in.BrandType, Category: w.in.Category, CountyCode: w.in.CountyCode, AdmittedOn: w.in.AdmittedOn,
		At: w.now(ctx)}
}
