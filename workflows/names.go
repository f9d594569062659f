// Package workflows holds laborbrand's durable processes: one workflow per
// application (第十条–第十四条) and one per admitted brand (第十五条), with the
// deadlines they enforce. Workflow code is deterministic: no I/O, no wall
// clock, no randomness; everything it learns from outside arrives through
// activities, Updates and signals, and is recorded in its history.
package workflows

import (
	"strconv"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// TaskQueue is the one task queue laborbrand's workers poll.
const TaskQueue = "laborbrand"

// Workflow IDs. Each is derived from the record it runs for, so a second
// start of the same process finds the one already there.

// ApplicationWorkflowID is the workflow ID of application id.
func ApplicationWorkflowID(id string) string { return "application-" + id }

// BrandWorkflowID is the workflow ID of brand id.
func BrandWorkflowID(id string) string { return "brand-" + id }

// BrandIDFor is the brand id an admitted application gets: derived from the
// application id, so admission is idempotent.
func BrandIDFor(applicationID string) string {
	return "B" + strings.TrimPrefix(applicationID, "A")
}

// CalendarFanoutWorkflowID is the fan-out of calendar version v to the
// processes of taskQueue: one per version, so loading a year twice never fans
// out twice for one version. The queue is in the ID because calendar versions
// count per database: stacks that share a Temporal namespace (the tests' dev
// server) each have their own version 1.
func CalendarFanoutWorkflowID(taskQueue string, version int) string {
	return "calendar-changed-" + taskQueue + "-v" + strconv.Itoa(version)
}

// BureauFanoutWorkflowID is the telling of zone's revision to its open
// processes on taskQueue: one per revision, so saving a zone starts it once.
func BureauFanoutWorkflowID(taskQueue, zone string, revision int) string {
	return "bureau-" + taskQueue + "-" + zone + "-r" + strconv.Itoa(revision)
}

// DeliveryWorkflowID is the delivery process of the outbox message with
// dedupeKey: one per message, so a retried Notify starts it once.
func DeliveryWorkflowID(dedupeKey string) string { return "delivery-" + dedupeKey }

// MaintenanceScheduleID is the Temporal schedule that runs
// MaintenanceWorkflow; the worker makes sure it exists at start-up. Each
// run's workflow ID is this ID and the scheduled time.
const MaintenanceScheduleID = "laborbrand-maintenance"

// Workflow types: the names the worker registers the processes under. They
// are the functions' names, which recorded histories carry.
const (
	ApplicationWorkflowType    = "ApplicationWorkflow"
	BrandWorkflowType          = "BrandWorkflow"
	CalendarFanoutWorkflowType = "CalendarFanoutWorkflow"
	BureauFanoutWorkflowType   = "BureauFanoutWorkflow"
	DeliveryWorkflowType       = "DeliveryWorkflow"
	MaintenanceWorkflowType    = "MaintenanceWorkflow"
)

// Update, signal and query names. A county bureau's decision reaches its
// process as an Update under one of these names (the API sends it).
const (
	// The application workflow's Updates.
	UpdateCountyReview    = "county-review"
	UpdateResubmit        = "resubmit"
	UpdateExpertDraw      = "expert-draw"
	UpdateExpertOpinion   = "expert-opinion"
	UpdateSiteVisit       = "site-visit"
	UpdateCityReview      = "city-review"
	UpdateObjection       = "objection"
	UpdateObjectionRuling = "objection-ruling"
	UpdateObjectionDay    = "objection-day"    // the first objection of a day of receipt
	UpdateObjectionsRuled = "objections-ruled" // a ruling the process acts on
	// UpdateReady answers once the process has recorded its first stage and
	// deadline, so that a submission's response shows them.
	UpdateReady = "ready"
	// SignalCalendarChanged tells any process that a newer calendar version
	// exists; it recomputes deadlines computed with an older or provisional one.
	SignalCalendarChanged = "calendar-changed"
	// UpdateCalendarChanged tells the same as an Update, answered once the
	// process has taken the new version — for the calendar fan-out, which
	// then knows the process re-armed (see activities.tell). A version the
	// process knows already is refused with CalendarKnownError, and costs
	// the process nothing.
	UpdateCalendarChanged = "calendar-changed"
	// SignalReportsChanged tells a brand's process that a report (举报) on
	// it was filed: the process reads which reports wait for triage and
	// keeps the triage matter's deadline by the oldest (RULES §4).
	SignalReportsChanged = "reports-changed"
	// UpdateSettleWrites makes the process make, now, the writes of its
	// decisions that their callers left (a caller that failed before it
	// wrote): the writes sweep sends it for a decision sent but never
	// written, and it answers once they are on record.
	UpdateSettleWrites = "settle-writes"
	// UpdateBureau tells a functional zone's process, application or
	// brand, the county bureau that now looks after it (BureauChange).
	UpdateBureau = "bureau"
	// QueryState returns the process's state (ApplicationState or BrandState).
	QueryState = "state"

	// The brand workflow's Updates.
	UpdateFinding              = "finding"
	UpdateRectificationConfirm = "rectification-confirm"
	UpdateInterview            = "interview"
	UpdateSuspensionDecision   = "suspension-decision"
	UpdateRemovalReport        = "removal-report"
	UpdateRemovalDecision      = "removal-decision"
	UpdateEvaluationReport     = "evaluation-report"
	UpdateEvaluationAssessment = "evaluation-assessment"
	UpdateChangeRequest        = "change-request"
	UpdateChangeOpinion        = "change-opinion"
	UpdateReportTriage         = "report-triage"
)

// Activities the processes call, by the names the worker registers them
// under (worker.Register binds each to its method of activities.Activities).
// Recorded histories carry these names: never rename one.
const (
	ActivityRecordStep          = "RecordStep"
	ActivityRecordBrandStep     = "RecordBrandStep"
	ActivityApplyResubmission   = "ApplyResubmission"
	ActivityDrawExperts         = "DrawExperts"
	ActivitySaveOpinion         = "SaveOpinion"
	ActivitySaveSiteVisit       = "SaveSiteVisit"
	ActivityAcceptObjection     = "AcceptObjection"
	ActivityRuleObjection       = "RuleObjection"
	ActivityAcceptObjectionDay  = "AcceptObjectionDay"
	ActivityAdmit               = "Admit"
	ActivityComputeDeadline     = "ComputeDeadline"
	ActivityNotify              = "Notify"
	ActivitySignalOpenProcesses = "SignalOpenProcesses"
	// ActivityTellBureau tells a functional zone's open processes their
	// bureau (BureauFanoutWorkflow).
	ActivityTellBureau       = "TellBureau"
	ActivityDeliveryChannels = "DeliveryChannels"
	ActivityDeliver          = "Deliver"
	// ActivityImportBrand writes the record of a brand admitted before the
	// system, as its process's first step (BrandInput.Imported).
	ActivityImportBrand = "ImportBrand"
	// ActivityBringOver writes the first step of an application brought
	// over in flight, and opens the objections it brought with their ruling
	// deadlines (ApplicationInput.BroughtOver).
	ActivityBringOver = "BringOver"
	// The maintenance workflow's prunes.
	ActivityPurgeIdempotencyKeys = "PurgeIdempotencyKeys"
	ActivityPruneOutbox          = "PruneOutbox"
	ActivityPruneConsoleSessions = "PruneConsoleSessions"
	// ActivityVerifyAuditChain checks the audit trail's hash chain, once a
	// night (changeAuditCheckedNightly).
	ActivityVerifyAuditChain = "VerifyAuditChain"
	// ActivityOldestOpenReport reads the oldest report on a brand still
	// waiting for triage.
	ActivityOldestOpenReport = "OldestOpenReport"
	// ActivityDraftDays reads the days of objections stored and never
	// told to their process (changeDraftDaysAtNoticeEnd).
	ActivityDraftDays = "DraftDays"
	// ActivityStoredRevision reads a supplement stored before its deadline
	// and never told to its process (changeStoredResubmissionTaken).
	ActivityStoredRevision = "StoredRevision"
	// ActivityStoredReport reads a development report stored before its
	// deadline and never told to its process (changeStoredReportTaken).
	ActivityStoredReport = "StoredReport"
	// ActivityUnruledObjectionsOn counts a day's objections not yet ruled
	// on record (changeDayClosedOnRecord).
	ActivityUnruledObjectionsOn = "UnruledObjectionsOn"
	// ActivityStepsRecorded reads which of a decision's writes left to its
	// caller are on record (changeDecisionWritesChecked).
	ActivityStepsRecorded = "StepsRecorded"
)

// ObjectionDayUpdateID is the ID of the Update that tells a process of a
// day's objections: one per day, so that objections filed at once, and the
// starter's sweep, open the day once.
func ObjectionDayUpdateID(day calendar.Date) string { return "objection-day-" + day.String() }

// CalendarChangedUpdateID is the ID of the calendar-changed Update for
// calendar version: Temporal applies an ID once per run, so a fan-out
// retried tells a process once.
func CalendarChangedUpdateID(version int) string { return "calendar-v" + strconv.Itoa(version) }

// CalendarKnownError is the type of the refusal of UpdateCalendarChanged
// for a version the process knows already.
const CalendarKnownError = "CalendarKnown"

// RunEnding is the error type of a decision that reached a run on its way
// to continue as new before it could take the decision (afterLapses): not a
// refusal — sent again, the next run takes it.
const RunEnding = "RunEnding"

// RefusedError is the type of an activity error that refuses a step for
// good (the store's records do not allow it): never retried, and the
// decision that asked for it is undone and refused.
const RefusedError = "Refused"

// RefusedRevisionGone is the detail of a resubmission's refusal whose
// supplement is no longer on record (any other refusal of it: its name is
// taken).
const RefusedRevisionGone = "revision_gone"

// RefusedAppliedBefore is the detail of a refusal of a step already on
// record: the same Update, applied in an earlier run of the process.
const RefusedAppliedBefore = "applied_before"

// Version markers (workflow.GetVersion change IDs). Each names a change to a
// process's commands; histories recorded before it replay the old branch.
// Every call for one change ID passes the same highest version.
const (
	recomputeWithCarried = 2 // of changeRecomputeOnlyNewer
	writesCheckedOnce    = 2 // of changeDecisionWritesChecked

	// changeLocalActivities versions how a process runs its calendar
	// computations and record writes. Version 1 runs them as local activities
	// in the worker that holds the process: an officer's decision then costs one
	// workflow task, where activities cost three workflow tasks and two activity
	// tasks through the server (docs/PERFORMANCE.md). Histories recorded before
	// the change keep replaying as activities.
	changeLocalActivities = "local-activities"

	// changeRecomputeOnlyNewer: version 1 recomputes a deadline only when a
	// newer calendar is known; before, a provisional one was recomputed on
	// every wake-up. Version 2 (recomputeWithCarried) also re-arms a
	// deadline with the schedule the calendar-changed signal carried for
	// its rule (the fan-out computed it to find the processes it moves)
	// instead of computing it again with a local activity. A new version of
	// a change asked at every wake-up, not a change of its own: a new change
	// ID would cost each run one more marker and search-attribute upsert in
	// the revision's own task; a run that asked version 1 keeps computing
	// until it continues as new.
	changeRecomputeOnlyNewer = "recompute-only-newer-calendar"

	// changeRecheckDecisions: version 1 checks a decision again when its
	// handler runs (recheck), so concurrent identical decisions apply once.
	changeRecheckDecisions = "recheck-decisions"

	// changeLevel2StaysOpen: version 1 keeps a lapsed level-2 order open
	// while the city decides the suspension it led to (the brand stays
	// rectifying), and a declined suspension gives it a new window.
	changeLevel2StaysOpen = "level2-stays-open"

	// changeDecisionsByActivity: version 1 writes what a decision records
	// (an Update handler's writes) with an activity instead of a local
	// activity. A local activity runs before its workflow task is accepted:
	// when the server discards that task (several Updates arrived at once),
	// the write has happened all the same, and the task's retry may let
	// another of the concurrent decisions win — two decisions on record
	// where the process applied one. An activity is scheduled only by a
	// task the server accepted, so a decision is written exactly as often
	// as the history says. Automatic steps stay local: their keys come from
	// the deadline that caused them, so a repeated write is the same row.
	changeDecisionsByActivity = "decisions-by-activity"

	// changeOpenMatters: version 1 (asked once at the start of a brand's
	// run) keeps the brand's matters as a set (RULES §4 "open matters"):
	// the third suspension opens the renewal beside the removal proposal,
	// and a renewal is due by the suspension's end with its window opening
	// 20 working days before. Runs begun before it keep the single-pending
	// behaviour where it would issue other commands, and take the new shape
	// at their next continue-as-new (their carried state is converted by
	// fromSinglePending).
	changeOpenMatters = "open-matters"

	// changeReportsAsMatters: version 1 (asked once at the start of a
	// brand's run) keeps the reports (举报) waiting for triage as an open
	// matter with its deadline, kept by the oldest of them; the process reads
	// them when told a report was filed, at the start of each run, and when
	// one is triaged.
	changeReportsAsMatters = "reports-as-matters"

	// changeDecisionsAfterSteps: version 1 has a brand's decision wait until
	// the process's own step under way (a lapse, a re-arming, reports read)
	// has ended (process.afterSteps), as the steps wait for decisions.
	changeDecisionsAfterSteps = "decisions-after-steps"

	// changeDecisionWritesByCaller: version 1 makes a decision one workflow
	// task again. Its writes (the step, an opinion, an objection: those that
	// return nothing and cannot be refused) leave the handler in the
	// Update's result, and the caller — the API, before it answers — makes
	// them; the process makes the same writes after, with activities it
	// schedules from the accepted task, and takes no step of its own until
	// they are done. Both are keyed by the step, so each lands once; and
	// only an Update the server accepted has a result to write, so a task
	// the server discards writes nothing (what changeDecisionsByActivity
	// ensured at the price of two more tasks).
	changeDecisionWritesByCaller = "decision-writes-by-caller"

	// changeDecisionWritesChecked: version 1 lets the caller's write stand
	// for the process's own. The process gives the caller a moment
	// (callerWriteGrace) before it makes a decision's write, reads first
	// which steps are on record (a local activity: a read, harmless if its
	// task is discarded) and writes only the others; and the next decision
	// reads the same instead of waiting for the process's write, so that a
	// decision right after another is not held up by it. Version 2
	// (writesCheckedOnce) has the writer not read again for a write the next
	// decision found on record (foundByNextDecision); with version 1 each
	// decision that followed another within the grace ran two reads in its
	// workflow task. A new version rather than a new change for the reason
	// given at changeRecomputeOnlyNewer.
	changeDecisionWritesChecked = "decision-writes-checked"

	// changeBroughtOver: version 1 starts an application whose input says
	// it was brought over (ApplicationInput.BroughtOver) at that stage, with
	// its deadlines from the day the stage began (bringOver). Asked only by
	// such an application's first run; a worker from before the change ran
	// one as a new submission, and its history replays so.
	changeBroughtOver = "brought-over"

	// changeWaitTimersCancelled: version 1 cancels a wait's timer when the
	// wait ends first, and keeps the timer of a process's next alert across
	// its wake-ups while that alert stays the same (timers.go). Before, the
	// SDK's AwaitWithTimeout left each wait's timer running, so every
	// wake-up left one more timer to fire later for nothing.
	changeWaitTimersCancelled = "wait-timers-cancelled"

	// changeLocalNotify: version 1 sends a reminder or an escalation
	// (Notify) as a local activity, within the workflow task that handles
	// the alert, as the process's other own steps are; before, each was an
	// activity through the server and one more workflow task — a third of
	// an admitted brand's tasks.
	changeLocalNotify = "local-notify"

	// changeRemoteAfterLocal: version 1 runs a local activity that failed
	// (its hour of attempts spent in an outage) once more as an activity
	// (localThenRemote). Asked only where a local activity has failed, so a
	// run that never meets an outage records nothing; a history from
	// before, in which the failure ended an Update or the process, replays
	// with the failure.
	changeRemoteAfterLocal = "remote-after-local"

	// changeOneDecisionAtATime: version 1 makes a decision wait until the
	// decision under way on the process has been applied
	// (oneDecisionAtATime). Asked only where a decision comes while
	// another is under way, so a run in which none overlap records nothing;
	// a history from before, in which two overlapped, replays as it ran.
	changeOneDecisionAtATime = "one-decision-at-a-time"

	// changeVersionsSettled: version 1, asked first thing in every run of a
	// process, stands for every change in latestVersions at its version
	// there, which the run then never asks (versions.go); version 2 for
	// every change in latestVersions2.
	changeVersionsSettled = "versions-settled"

	// changeWritesWhenNeeded: version 1 leaves a decision's write to its
	// caller until the process needs it, instead of reading for it after
	// callerWriteGrace: the next decision, a step of the process's own
	// (settleWrites) and the end of a run ask for it, and a decision whose caller
	// never wrote it is settled by the writes sweep (UpdateSettleWrites).
	// Before, every such decision cost the process a timer and a workflow
	// task of its own three seconds later.
	changeWritesWhenNeeded = "writes-when-needed"

	// changeDraftDaysAtNoticeEnd: version 1 reads, when the notice ends,
	// the days of objections stored in time and never told to the process
	// (the API answered 503, or stopped, between storing one and telling
	// the day), and opens each before deciding between admission and the
	// objections' review. Before, a notice that ended while Temporal was
	// unreachable admitted the application over them. Asked on its own, at
	// the notice's end; a run that ended its notice before replays without.
	changeDraftDaysAtNoticeEnd = "draft-days-at-notice-end"

	// changeEvaluationFromAnniversary: version 1 counts the window after an
	// evaluation's from the anniversary it opened on, and numbers the cycle
	// so. Before, it was counted from the cycles the process had run, which
	// for an imported brand (its first window a later anniversary) named an
	// anniversary already past: windows opened one after the other at once,
	// each report lapsed into an order. Asked only where the two counts
	// differ (imported brands), at a window's opening.
	changeEvaluationFromAnniversary = "evaluation-from-anniversary"

	// changeImportedRenewalWindow: version 1 opens an imported suspension's
	// renewal as a suspension decided here does (openRenewal): decided
	// within its window, due the day before its last day. Before, it was due
	// on the window's first day and could be decided at once. Asked only
	// where a suspension is imported, when the brand's process begins.
	changeImportedRenewalWindow = "imported-renewal-window"

	// changeLateInformationOverLevel1: version 1 makes a lapsed
	// late-information order climb to level 2 (the interview) when the
	// order running beside it is of level 1, replacing that order; only a
	// higher level is one to join. Before, it joined the level-1 order, and
	// the county's confirmation of that one closed the brand's ladder with
	// the report never given. Asked only where a level-1 order runs.
	changeLateInformationOverLevel1 = "late-information-over-level1"

	// changeRenewalWindowTracked: version 1 keeps a suspension's renewal
	// window's first day as a deadline of its own (keyRenewalWindow), so
	// that an official schedule loaded later moves it as it moves the
	// others, and the validator reads the day moved. Before, it was computed
	// once, often on a provisional next year. Asked where a renewal opens.
	changeRenewalWindowTracked = "renewal-window-tracked"

	// changeLateInformationOrderedNextDay: version 1 dates a late-information
	// order opened beside another order as an ordinary one is dated: ordered
	// on the day after the report's last day (the lapse's instant), its
	// month counted from there. Before, it was ordered on the last day
	// itself, and its month ended a day earlier. Asked only where such an
	// order opens.
	changeLateInformationOrderedNextDay = "late-information-ordered-next-day"

	// changeFindingsJoinRunning: version 1 takes the city's assessment with
	// findings while the brand is rectifying or suspended, its findings
	// joining what runs (joinFindings). Before, it was refused. A validator's
	// rule, asked where a handler rechecks that case (ruleChanged).
	changeFindingsJoinRunning = "findings-join-running"

	// changeRenewalBeforeSuspensionEnds: version 1 refuses a renewal once
	// the suspension's last day is over, though the process has not yet
	// restored the brand. Before, it was taken. A validator's rule, asked
	// where a handler rechecks that case (ruleChanged).
	changeRenewalBeforeSuspensionEnds = "renewal-before-suspension-ends"

	// changeFindingsBesideRemoval: version 1 takes a finding of level 2 or
	// 3 while a removal waits for the city (it opens beside it), merges a
	// level 3 into a suspension already proposed, and a county's removal
	// report into a removal the system proposed; it refuses
	// rectification_inadequate unless a level-1 order runs, and an
	// evaluation report for another period than the window's. Before, the
	// first three were refused and the last two taken. Validators' rules,
	// asked where a handler rechecks those cases (ruleChanged).
	changeFindingsBesideRemoval = "findings-beside-removal"

	// changeOpenChangesBounded: version 1 refuses a change request while
	// MaxOpenChanges are under review. Before, any number was taken. A
	// validator's rule, asked where a handler rechecks that case
	// (ruleChanged).
	changeOpenChangesBounded = "open-changes-bounded"

	// changeAuditCheckedNightly: version 1 has the maintenance run whose
	// interval holds 03:00 (Asia/Shanghai) check the audit trail's hash
	// chain beside its prunes. Before, nothing checked it unless an
	// operator ran laborbrand audit verify.
	changeAuditCheckedNightly = "audit-checked-nightly"

	// changeObjectionDayReopens: version 1 opens again the ruling clock of
	// a day whose objections were all ruled when the process is told of the
	// day once more (an objection received that day afterwards): the
	// application is admitted only once that one is ruled too. Before, the
	// repeat was answered "told twice" and the new objection was never
	// counted. Asked only where a closed day is told again.
	changeObjectionDayReopens = "objection-day-reopens"

	// changeNoMoveIntoThePast: version 1 keeps a running deadline's day
	// when a calendar revision would move it earlier to a day already over
	// (a county's day off taken back on the day after the new last day):
	// the period the process gave stands. Before, the deadline lapsed at
	// once. Asked only where such a move arises.
	changeNoMoveIntoThePast = "no-move-into-the-past"

	// changeOneAlertAtOnce: version 1 sends only the last of a deadline's
	// reminders, or of its escalations, that fall due at the same wake-up
	// (a deadline armed weeks after its day — the triage matter passing to
	// a report received long ago — or a worker back after days away): the
	// county, the city and the supervisor are told once, not three times
	// in the same minute. Before, each was sent. Asked only where two of a
	// kind are due at once.
	changeOneAlertAtOnce = "one-alert-at-once"

	// changeMeasuresAfterInterview: version 1 refuses 整改措施不力
	// (rectification_measures_inadequate) at level 2 until the interview is
	// recorded — 第十五条（三）1 is of a brand "被约谈" whose three months
	// run. Before, it was taken from the level-2 order on. A validator's
	// rule, asked where a handler rechecks that case (ruleChanged).
	changeMeasuresAfterInterview = "measures-after-interview"

	// changeInterviewAfterLapse: version 1 refuses an interview held on the
	// last day of the level-1 month whose lapse made the level-2 order
	// (the order runs from 24:00 of it). Before, that day was taken. A
	// validator's rule, asked where a handler rechecks that case
	// (ruleChanged).
	changeInterviewAfterLapse = "interview-after-lapse"

	// changeTriageJoinsRunning: version 1 takes a report's finding that
	// the running order or suspension already answers (triageJoins) and
	// records it as joining it. Before, it was refused as a second order,
	// and the report could only be dismissed. A validator's rule, asked
	// where a handler rechecks that case (ruleChanged).
	changeTriageJoinsRunning = "triage-joins-running"

	// changeTriageJoinsProposal: version 1 takes a report's level-3 finding
	// for the reason a suspension proposal already waits on and records it
	// as joining that proposal (records.FindingJoinedProposal). Before, it
	// was refused as a second proposal, and the report could only be
	// dismissed (不予立案) though founded. A validator's rule, asked where a
	// handler rechecks that case (ruleChanged).
	changeTriageJoinsProposal = "triage-joins-proposal"

	// changeObjectionDayRechecked: version 1 opens an objection day one
	// decision at a time (oneDecisionAtATime), and refuses it in its handler
	// when the application no longer takes objections — an upheld ruling of
	// the same moment ended them after the validator passed. Before, the
	// day's ruling clock could open on a rejected application. Asked at
	// every objection day a handler opens.
	changeObjectionDayRechecked = "objection-day-rechecked"

	// changeUntoldReopenAtNoticeEnd: version 1 opens again, as the notice
	// ends, a day whose objections were all ruled when an objection that
	// came since was stored and never told (records.DraftDay.Reopens).
	// Before, such a day was skipped as known, and the application could be
	// admitted over the objection. Asked only at such a day.
	changeUntoldReopenAtNoticeEnd = "untold-reopen-at-notice-end"

	// changeCalendarTakenBeforeContinue: version 1 takes, before a run
	// continues as new, the calendar-changed signals its listener had not
	// yet received. Before, such a signal ended with the run, and the next
	// one kept its deadlines on the older calendar until a step of its own
	// armed them again. Asked only when such a signal waits.
	changeCalendarTakenBeforeContinue = "calendar-taken-before-continue"

	// changeResubmissionBeforeLapse: version 1 refuses a resubmission that
	// comes at or after the instant its wait lapses (24:00 of its last
	// day), though the process has not yet closed the application. Before,
	// it was taken. A validator's rule, asked where a handler rechecks that
	// case (ruleChanged).
	changeResubmissionBeforeLapse = "resubmission-before-lapse"

	// changeCalendarOfWhoActs: version 1 counts a period on the calendar
	// of those who act within it (process.calendarOf): the city's periods
	// (复审, 公示, objection rulings, evaluation assessments, renewal
	// decisions) on the national schedule alone, a county officer's on its
	// bureau's. Before, every period was counted on the process's county —
	// the city's with the applicant county's local days off, a zone's 初审
	// without its bureau's. Asked at a period whose calendar differs.
	changeCalendarOfWhoActs = "calendar-of-who-acts"

	// changeLevel2BesideSuspensionProposal: version 1 takes a level-2
	// finding while a suspension proposal waits for the city, opening its
	// interview beside it, as a lapse from level 1 already did (declined,
	// the order goes on; suspended, the suspension replaces it). Before, it
	// was refused, and a breach found in that wait had no order if the
	// city declined. A validator's rule, asked where a handler rechecks
	// that case (ruleChanged).
	changeLevel2BesideSuspensionProposal = "level2-beside-suspension-proposal"

	// changeLateInformationBesideProposal: version 1 orders a missed
	// evaluation report's level-1 order as one of its own (LateInformation)
	// when a suspension proposal waits and nothing else runs, so that the
	// suspension, if decided, does not close it: the information is still
	// owed. Before, it was the brand's ordinary order, which the suspension
	// replaced. Asked only at such a lapse.
	changeLateInformationBesideProposal = "late-information-beside-proposal"

	// changeDeclineKeepsPendingInterview: version 1 leaves a level-2 order
	// whose interview is still to hold as it is when the city declines a
	// suspension proposed for a lapsed level-2 order. Before, the decline
	// took it for the lapsed order and opened its three months at once.
	// The case arises only in a run whose lapsed order was dropped (before
	// level2-stays-open) and a level-2 finding then opened beside the
	// proposal. Asked only there.
	changeDeclineKeepsPendingInterview = "decline-keeps-pending-interview"

	// changeSuspensionKeepsLateInformation: version 1 keeps, when a
	// suspension is decided, the brand's level-1 order for a missed
	// evaluation report as an order of its own (LateInformation) instead of
	// replacing it: the information is still owed. Before, the suspension
	// replaced it as it replaces the order it punishes. Asked only when a
	// suspension finds such an order running.
	changeSuspensionKeepsLateInformation = "suspension-keeps-late-information"

	// changeStaleRecomputedBeforeWait: version 1 recomputes, before an
	// application's process waits, the deadlines computed on an older
	// calendar than the newest it knows — a revision its last run took
	// while it waited to continue as new. Before, they stayed on the older
	// calendar until the older schedule's next alert (a day moved earlier
	// was then already over, and kept). Asked only where such deadlines
	// are found.
	changeStaleRecomputedBeforeWait = "stale-recomputed-before-wait"

	// changeRecomputeAfterWrites: version 1 records an application's
	// recomputation after the decisions' writes — a decision applied while
	// the recomputation computed a day carries the row as it was, and its
	// caller's write landing after the record put the older days back.
	// Before, the record did not wait. Asked only where the process is not
	// settled at the record: writes queued, or a decision still under way
	// (its writes are waited for too; a brand's decisions wait for its
	// steps instead: afterSteps).
	changeRecomputeAfterWrites = "recompute-after-writes"

	// changeDrawHoldsSteps: version 1 holds an application's own steps
	// while an expert draw's write is under way, as every other decision's
	// does: a recomputation of its deadlines then records after it, with
	// the drawn experts' opinion tasks. Before, one recorded meanwhile
	// carried the tasks without them, or the draw's write, landing after
	// it, put the older 复审 day back on the row. Asked at each draw.
	changeDrawHoldsSteps = "draw-holds-steps"

	// changeStoredResubmissionTaken: version 1 reads, as an application's
	// wait for its supplement runs out, a supplement stored before the
	// deadline and never told to the process (Temporal out of reach, the
	// API stopped, the day's last seconds), and takes it as the holder's
	// resubmission: stored in time is received in time (RULES §3), as an
	// objection stored is. Before, the application closed as withdrawn.
	// Asked at each lapse of the wait.
	changeStoredResubmissionTaken = "stored-resubmission-taken"

	// changeLapseKeepsLevel1: version 1 keeps, when a late-information
	// order lapses beside an ordinary level-1 order, that order running as
	// one of its own (LateInformation, its deadline re-keyed without a
	// command): the county may still confirm it, and it joins the level 2
	// if its month runs out. Before (changeLateInformationOverLevel1), the
	// lapse replaced it — a lapse overwriting another matter (RULES §4).
	// Asked only where such an order runs.
	changeLapseKeepsLevel1 = "lapse-keeps-level1"

	// changeObjectionDayByActivity: version 1 makes the write of a day a
	// public objection opens (UpdateObjectionDay) an activity, scheduled in
	// the workflow task that accepts the Update, as a decision's writes
	// that stay in their handler are (changeDecisionsByActivity). Before,
	// a local activity wrote it: a task the server discarded after the
	// write (the worker killed then) left it on record, and the Update's
	// retry could be refused — an upheld ruling of the same moment taken
	// first — with the objection stored open and its objector refused.
	changeObjectionDayByActivity = "objection-day-by-activity"

	// changeBroughtOverArrivesFirst: version 1 makes a decision that
	// reaches a process brought over from the old system before it has
	// arrived at its stage wait for the arrival (its deadline armed, its
	// row written), as 初审 always did; before, a 复审 rejection sent in
	// that moment closed the application and the arrival then armed the
	// 复审 deadline and its task on the closed row. Asked only where a
	// decision finds a brought-over process not yet arrived.
	changeBroughtOverArrivesFirst = "brought-over-arrives-first"

	// changeLevel2KeepsLateInformation: version 1 keeps, when a level-2
	// finding (an officer's or a report's) finds the brand's level-1 order
	// for a missed evaluation report running, that order as one of its own
	// (LateInformation, its deadline re-keyed without a command): the
	// information is still owed, as under a suspension
	// (changeSuspensionKeepsLateInformation). Before, the level 2 replaced
	// it, and its confirmation left the report owed with nothing open for
	// it. Asked only where a level-2 finding finds such an order.
	changeLevel2KeepsLateInformation = "level2-keeps-late-information"

	// changeTriageRefusedAfterRemoval: version 1 refuses, in the triage's
	// recheck, a report's triage that reaches the process after the
	// removal closed every report (the run waiting to end); before, it was
	// applied to the closed report. Asked only where a triage is rechecked
	// on a removed brand (ruleChanged).
	changeTriageRefusedAfterRemoval = "triage-refused-after-removal"

	// changeLapseBeforeDecision: version 1 refuses (lapse_pending) a brand
	// decision validated once a deadline with a consequence — a
	// rectification's month, the evaluation report's days, a missed
	// report's order, the evaluation window, a suspension's end — has run
	// out and before the process has taken its lapse: the SDK runs an Update
	// that comes in the workflow task of the deadline's timer (a worker away
	// at that instant) before the process's own code, and a confirmation
	// after the month then removed the order that was to climb. Before, it
	// was applied. Asked only where a decision is rechecked in that gap
	// (ruleChanged).
	changeLapseBeforeDecision = "lapse-before-decision"

	// changeRanOutNeverMoves: version 1 leaves a deadline that ran out
	// before the process took a calendar revision where it stood, to expire
	// at once (recompute): a worker away at its end, the revision and the
	// timer reached the process in one task, and the revision reopened the
	// period — an evaluation report missed taken as still due. Before, it
	// was recomputed like a running one. Asked only where a stale deadline
	// has run out — and, in a resubmission's recheck, where it refuses one
	// that comes after its stale day ran out (before, the newer calendar was
	// awaited).
	changeRanOutNeverMoves = "ran-out-never-moves"

	// changeExpiryInDueOrder: version 1 takes deadlines that ran out at
	// different instants while the process was away one instant at a time,
	// the earliest first (expiryHorizon): a suspension's end was taken
	// before an evaluation report missed days earlier, in the order they
	// were armed, and the missed report found the brand active — the
	// brand's ordinary order instead of one of its own beside the
	// suspension. Asked only where a brand's due ends differ.
	changeExpiryInDueOrder = "expiry-in-due-order"

	// changeCityDecisionsByRole: version 1 refuses the city's decisions on
	// an application — the draw, a site visit, 复审, an objection's ruling —
	// from any other role (requireCity); the API's routes refused them
	// already. Asked only where a handler's recheck refuses one
	// (ruleChanged), which no recorded history reaches.
	changeCityDecisionsByRole = "city-decisions-by-role"

	// changeDecisionsAfterLapses: version 1 makes a brand decision whose
	// handler finds a deadline with a consequence run out, and its lapse not
	// yet taken, wait for the process to take it before it is rechecked
	// and applied (afterLapses): a holder's evaluation report filed after
	// its day, reaching the process in the task of the day's timer (a
	// worker away at that instant), was taken as filed in time — no order
	// for the missed report. Asked only where a handler finds such a lapse
	// due.
	changeDecisionsAfterLapses = "decisions-after-lapses"

	// changeStoredReportTaken: version 1 reads, as a brand's evaluation
	// report's days run out, a report stored before their end and never
	// told to the process (Temporal out of reach, the API stopped, the
	// day's last seconds), and takes it as filed when stored: stored in
	// time is received in time (RULES §3). Before, the report was taken as
	// missed — the level-1 order for late information — and, told later,
	// as late. Asked at each lapse of a report's days with no report taken.
	changeStoredReportTaken = "stored-report-taken"

	// changeDayClosedOnRecord: version 1 reads, before the ruling of a
	// day's last open objection closes the day's clock, how many of the
	// day's objections are still unruled on record, and closes it only when
	// none is (第十三条: admitted only once every objection is ruled). An
	// objection filed just after that ruling was stored opens the day again
	// by an Update of its own; reaching the process first, it found the day
	// still open and opened nothing, and the ruling's Update then closed the
	// day over it — the application could be admitted with it unruled.
	// Asked at each such closing.
	changeDayClosedOnRecord = "day-closed-on-record"

	// changeNoticeEndGrace: version 1 waits, when the notice's last day is
	// over, until a minute past its end (noticeEndGrace; no wait for a
	// notice that ended longer ago) before it reads the objections stored
	// and never told and decides: an objection filed in the last second —
	// dated by its day, timely — was stored a moment after 24:00, after
	// that read, and its Update, finding the application admitted, was
	// refused and its objection dropped (第十三条: an objection filed in
	// the notice is heard). Meanwhile the notice still takes objections'
	// Updates. Asked at each notice's end.
	changeNoticeEndGrace = "notice-end-grace"

	// changeEscalationFromItsDay: version 1 counts the deadline a lapse
	// opens — the interview after a level-1 order, the city's suspension
	// decision after a level-2 one, the interview after a late-information
	// order — from the day the lapse escalates on (the day after the
	// lapsed period's last: it ran out at that day's 24:00), as the
	// interview's earliest day and a late-information order's date already
	// were; before, from the period's last day, a working day short (RULES
	// §5: "10 working days from the escalation"). Asked at each such lapse.
	changeEscalationFromItsDay = "escalation-from-its-day"

	// changeInadequateClimbsItsOrder: version 1 climbs, with a finding of
	// rectification_inadequate (第十五条（二）1), the late-information
	// orders running of their own when the brand has no ordinary order — a
	// report missed beside a suspension proposal, the level-1 order the
	// finding is about —, as their lapse would: they close, named in the
	// finding's history line. Before, the level 2 opened and the order it
	// was about ran on beside it, to lapse into it or close by a report, a
	// second matter for one order (RULES §4). Asked only there.
	changeInadequateClimbsItsOrder = "inadequate-climbs-its-order"

	// changeDraftDaysBeforeAdmission: version 1 reads, when the last open
	// objection of an application in its objections' review is ruled, the
	// days of objections stored and never told (as the notice's end does:
	// changeDraftDaysAtNoticeEnd), and waits for their rulings before it
	// admits. Before, a letter entered in the review whose telling failed
	// was refused by the sweep after the admission it should have stopped.
	// Asked there only; a run recorded before replays without it.
	changeDraftDaysBeforeAdmission = "draft-days-before-admission"

	// changeObjectionDayAfterWrites: version 1 has an objection day's
	// Update wait, before it opens the day, for the writes of the decisions
	// before it (a ruling's, left to its caller), as every decision does.
	// Before, a write left undone and made after the day's put the
	// deadlines and work queue from before it over the day's ruling
	// deadline. Asked only where a write is queued.
	changeObjectionDayAfterWrites = "objection-day-after-writes"
)

// Search attributes a supervisor filters by in the Temporal UI. They carry
// ids, stages, dates and brand names only — never personal data (RULES §6).
var (
	// StageKey is an application's stage (RULES §3: county_review … withdrawn).
	StageKey = temporal.NewSearchAttributeKeyKeyword("Stage")
	// BrandStatusKey is an admitted brand's status (active, rectifying, suspended, removed).
	BrandStatusKey = temporal.NewSearchAttributeKeyKeyword("BrandStatus")
	// CountyCodeKey is the county of the application or brand, e.g. 530181.
	CountyCodeKey = temporal.NewSearchAttributeKeyKeyword("CountyCode")
	// CountyNameKey is the county's name, e.g. 安宁市: the UI's list shows
	// search attributes, not a process's summary, so this column is how the
	// list names the county in Chinese.
	CountyNameKey = temporal.NewSearchAttributeKeyKeyword("CountyName")
	// CategoryKey is the brand category of 第六条.
	CategoryKey = temporal.NewSearchAttributeKeyKeyword("Category")
	// BrandNameKey is the brand's name.
	BrandNameKey = temporal.NewSearchAttributeKeyKeyword("BrandName")
	// NextDeadlineKey is the instant the process's next deadline ends, so
	// `NextDeadline < now` lists what is overdue.
	NextDeadlineKey = temporal.NewSearchAttributeKeyTime("NextDeadline")
	// LadderLevelKey is the level of 第十五条（一）–（四） a brand stands on
	// (brandLadderLevel): 0 in good standing, 1 or 2 under a rectification
	// order, 3 suspended or a suspension proposed, 4 removal proposed or
	// removed.
	LadderLevelKey = temporal.NewSearchAttributeKeyInt64("LadderLevel")
	// OpenMattersKey lists the kinds of a brand's open matters (RULES §4),
	// e.g. rectification, interview, suspension_decision, evaluation_report.
	OpenMattersKey = temporal.NewSearchAttributeKeyKeywordList("OpenMatters")
)

// SearchAttributes is every custom search attribute with its type, for
// registering them on a namespace.
var SearchAttributes = map[string]enums.IndexedValueType{
	StageKey.GetName():        enums.INDEXED_VALUE_TYPE_KEYWORD,
	BrandStatusKey.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD,
	CountyCodeKey.GetName():   enums.INDEXED_VALUE_TYPE_KEYWORD,
	CountyNameKey.GetName():   enums.INDEXED_VALUE_TYPE_KEYWORD,
	CategoryKey.GetName():     enums.INDEXED_VALUE_TYPE_KEYWORD,
	BrandNameKey.GetName():    enums.INDEXED_VALUE_TYPE_KEYWORD,
	NextDeadlineKey.GetName(): enums.INDEXED_VALUE_TYPE_DATETIME,
	LadderLevelKey.GetName():  enums.INDEXED_VALUE_TYPE_INT,
	OpenMattersKey.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

// BrandSearchAttributes are a brand process's initial search attributes.
func BrandSearchAttributes(in BrandInput) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(BrandStatusKey.ValueSet(BrandStatusActive), CountyCodeKey.ValueSet(in.CountyCode),
		CountyNameKey.ValueSet(countyLabel(in.CountyCode)), CategoryKey.ValueSet(in.Category), BrandNameKey.ValueSet(in.Name), LadderLevelKey.ValueSet(0))
}

// ApplicationSearchAttributes are an application process's initial search
// attributes.
func ApplicationSearchAttributes(in ApplicationInput) temporal.SearchAttributes {
	stage := StageCountyReview
	if in.BroughtOver != nil {
		stage = in.BroughtOver.Stage
	}
	return temporal.NewSearchAttributes(StageKey.ValueSet(stage), CountyCodeKey.ValueSet(in.CountyCode),
		CountyNameKey.ValueSet(countyLabel(in.CountyCode)), CategoryKey.ValueSet(in.Category), BrandNameKey.ValueSet(in.BrandName))
}

// ApplicationStartOptions are how application in's process starts: its
// ID, search attributes and what the UI shows of it.
func ApplicationStartOptions(in ApplicationInput, taskQueue string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{ID: ApplicationWorkflowID(in.ApplicationID), TaskQueue: taskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: ApplicationSearchAttributes(in),
		StaticSummary:         ApplicationSummary(in), StaticDetails: ApplicationDetails(in)}
}

// BrandStartOptions are how brand in's process starts when no admitted
// application starts it (startBrand): an imported brand, a test's.
func BrandStartOptions(in BrandInput, taskQueue string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{ID: BrandWorkflowID(in.BrandID), TaskQueue: taskQueue,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: BrandSearchAttributes(in),
		StaticSummary:         BrandSummary(in), StaticDetails: BrandDetails(in)}
}
