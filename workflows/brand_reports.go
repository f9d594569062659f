package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// RULES §4: the county, or the city, triages a report (举报): dismiss it,
// open a finding, or — the county — report the brand for removal (附件3).
// (The city and the removal report were refused before: nothing of them is
// in a history, so no version guards the change.)
func (w *brandWorkflow) validateReportTriage(ctx workflow.Context, r ReportTriageRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer, auth.CityOfficer); skip || err != nil {
		return err
	}
	if slices.Contains(w.st.Triaged, r.ReportID) {
		return reject(RejectConflict, Rejection{Code: "already_triaged", Message: "该举报已处理", Details: map[string]any{"status": w.st.Status}})
	}
	// A removal closed every report waiting (RULES §4); a triage that comes
	// while the run ends would reopen one. The handler's recheck, which
	// replay repeats, applies the rule from its version on.
	if w.st.Status == BrandStatusRemoved && ruleChanged(ctx, changeTriageRefusedAfterRemoval) {
		return w.statusConflict("处理举报")
	}
	switch r.Action {
	case TriageDismiss:
		return nil
	case TriageFinding:
		if err := officerFindingReason(r.Reason); err != nil {
			return err
		}
		if w.triageJoins(r.Reason) && ruleChanged(ctx, changeTriageJoinsRunning) {
			return nil
		}
		if w.triageJoinsProposal(r.Reason) && ruleChanged(ctx, changeTriageJoinsProposal) {
			return nil
		}
		return w.findingAllowed(ctx, r.Reason)
	case TriageRemovalReport:
		// 附件3 is the county's report to the city, which decides it.
		if err := requireRole(r.Actor, auth.CountyOfficer); err != nil {
			return forbidden("报请移出项目库（附件3）由县级人社部门报送")
		}
		return w.removalReportAllowed(ctx, RemovalReportRequest{Reasons: r.Reasons}, true)
	}
	return invalid("处理方式无效", RejectedField{Field: "action",
		Message: "须为 dismiss（不予立案）、finding（认定问题）或 removal_report（报请移出项目库）"})
}

func (w *brandWorkflow) reportTriage(ctx workflow.Context, r ReportTriageRequest) (BrandResult, error) {
	w.st.Triaged = append(w.st.Triaged, r.ReportID)
	if n := len(w.st.Triaged); n > maxApplied {
		w.st.Triaged = w.st.Triaged[n-maxApplied:]
	}
	if w.reportMatters {
		// The triaged report leaves the matter at once; the process reads
		// which reports still wait once this decision is on record (and any
		// triaged beside it), and the oldest keeps the matter open.
		w.st.Deadlines.remove(keyReportTriage + r.ReportID)
		w.st.ReportsStale = true
	}
	step := w.actorStep(ctx, r.Actor, "report.dismissed", r.Note)
	step.Triage = &records.TriageRow{ReportID: r.ReportID, Action: string(r.Action), Note: r.Note, FindingID: r.FindingID}
	switch r.Action {
	case TriageDismiss:
		return w.result(), w.record(ctx, step)
	case TriageRemovalReport:
		reasons := RemovalReportRequest{Reasons: r.Reasons}.reasons()
		return w.result(), w.reportForRemoval(ctx, step, reasons, "：（来自举报）"+r.Note)
	}
	step.Action = fmt.Sprintf("finding.level%d", FindingLevel(r.Reason))
	step.Note = r.Reason + "（来自举报）" + r.Note
	if w.triageJoins(r.Reason) {
		return w.result(), w.joinFindings(ctx, step, r.FindingID, r.Reason, r.Note, r.ReportID, "举报认定的问题")
	}
	if w.triageJoinsProposal(r.Reason) { // only validated so from changeTriageJoinsProposal on
		step.Note += "（已因同一理由提请市级决定暂停，举报认定的问题并入该提请，由市级一并决定）"
		step.Finding = &records.FindingRow{ID: r.FindingID, Reason: r.Reason, Level: FindingLevel(r.Reason),
			Description: r.Note, ReportID: r.ReportID, OrderedOn: w.today(ctx), Joined: records.FindingJoinedProposal}
		return w.result(), w.record(ctx, step)
	}
	return w.result(), w.openFinding(ctx, step, r.FindingID, r.Reason, r.Note, r.ReportID)
}

// triageJoins reports whether a report's finding of reason is answered by
// what the brand is already under (RULES §4, one ladder at a time): a
// level-1 reason by any running order or the suspension, a level-2 one by
// a level-2 order or the suspension, a level-3 one by the suspension when
// no proposal waits. An officer's own such finding is refused (nothing to
// order); the report's is taken and joins, so that the report is closed
// as founded, not dismissed. The ladder's own reasons (a level-1 order not
// rectified, 整改措施不力) judge a running order and never join.
func (w *brandWorkflow) triageJoins(reason string) bool {
	if w.st.Status == BrandStatusRemoved || reason == rectificationInadequate || reason == measuresInadequate {
		return false
	}
	suspended := w.st.Status == BrandStatusSuspended
	switch FindingLevel(reason) {
	case 1:
		return w.st.Rectification != nil || suspended
	case 2:
		return suspended || (w.st.Rectification != nil && w.st.Rectification.Level == 2)
	case 3:
		return suspended && !w.open(keySuspensionDecision)
	}
	return false
}

// triageJoinsProposal reports whether a report's finding of reason is the
// one a suspension proposal already waits on (RULES §4): the city decides
// it once, so the report is closed as founded, joining the proposal — an
// officer's own such finding is refused as a second proposal. The ladder's
// own reason (整改措施不力) judges a running order and never joins.
func (w *brandWorkflow) triageJoinsProposal(reason string) bool {
	return w.st.Status != BrandStatusRemoved && FindingLevel(reason) == 3 && reason != measuresInadequate &&
		w.proposedFor(keySuspensionDecision, reason)
}

// Reports waiting for triage are one open matter of the brand (RULES §4),
// report_triage:<id> after the oldest of them, due ReportTriageDays working
// days after its receipt. The reports themselves stay in PostgreSQL, where
// the public files them: the process holds one deadline however many are
// filed, so no one can grow its state by filing reports, and it reads the
// oldest when told a report was filed (SignalReportsChanged), at the start
// of each run and when one is triaged — so a report filed at any moment is
// seen by the next read. Reads happen only between decisions (never inside
// one), so triages sent together cannot race over which report is next.

// listenForReports marks the reports stale on each reports-changed signal
// and wakes the process to read them.
func (w *brandWorkflow) listenForReports(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, SignalReportsChanged)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var sig records.ReportFiled
			ch.Receive(ctx, &sig)
			if w.reportMatters {
				w.st.ReportsStale = true
				w.changes++
			}
		}
	})
}

// refreshReports reads the reports waiting for triage when a report may
// have been filed since the last read, and records the matter's change.
func (w *brandWorkflow) refreshReports(ctx workflow.Context) error {
	if !w.reportMatters || !w.st.ReportsStale || w.st.Status == BrandStatusRemoved {
		return nil
	}
	w.st.ReportsStale = false // a report filed during the read marks them stale again
	key, note, err := w.syncReportMatter(ctx)
	if err != nil || note == "" {
		return err
	}
	// The matter can return to a report it held before (an older one filed
	// meanwhile, then triaged): numbered, each change is a step of its own,
	// where the key alone would be taken for the first one retried (and a
	// workflow task retried numbers it the same again).
	w.st.ReportSteps++
	return w.record(ctx, w.systemStep(ctx, fmt.Sprintf("reports/%s#%d", key, w.st.ReportSteps), "reports.waiting", note))
}

// syncReportMatter keeps the triage matter by the oldest report waiting
// and says what changed (note "" when nothing did), with a key naming the
// change once.
func (w *brandWorkflow) syncReportMatter(ctx workflow.Context) (key, note string, err error) {
	var oldest *records.OpenReport
	if err := execute(ctx, reading, ActivityOldestOpenReport, w.in.BrandID).Get(ctx, &oldest); err != nil {
		return "", "", err
	}
	var current *Deadline
	for _, d := range w.st.Deadlines.Items {
		if strings.HasPrefix(d.Key, keyReportTriage) {
			current = d
		}
	}
	switch {
	case oldest == nil && current == nil:
		return "", "", nil
	case oldest == nil:
		w.st.Deadlines.remove(current.Key)
		return "closed-" + current.Key, "举报均已处理", nil
	case current != nil && current.Key == keyReportTriage+oldest.ID:
		return "", "", nil
	}
	if current != nil {
		w.st.Deadlines.remove(current.Key)
	}
	days := w.in.Policy.ReportTriageDays
	if days == 0 { // a policy carried from runs before it existed
		days = DefaultBrandPolicy.ReportTriageDays
	}
	d, err := w.st.Deadlines.arm(ctx, w, keyReportTriage+oldest.ID, "举报核查处理", []string{string(auth.CountyOfficer)},
		w.ruleFor(ctx, auth.CountyOfficer, strings.TrimSuffix(keyReportTriage, ":"), oldest.ReceivedOn, deadline.Workdays, days, w.in.Policy.Alerts))
	if err != nil {
		return "", "", err
	}
	d.Opened = oldest.ReceivedOn
	return d.Key, fmt.Sprintf("有举报待核查处理（第十五条（六）），%s（含当日）前办理", d.Value().Due), nil
}
