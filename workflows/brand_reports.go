package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// RULES §4: the county triages a report (举报): dismiss it, or open a finding.
func (w *brandWorkflow) validateReportTriage(ctx workflow.Context, r ReportTriageRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if slices.Contains(w.st.Triaged, r.ReportID) {
		return reject(RejectConflict, Rejection{Code: "already_triaged", Message: "该举报已处理", Details: map[string]any{"status": w.st.Status}})
	}
	switch r.Action {
	case TriageDismiss:
		return nil
	case TriageFinding:
		if err := officerFindingReason(r.Reason); err != nil {
			return err
		}
		return w.findingAllowed(r.Reason)
	}
	return invalid("处理方式无效", RejectedField{Field: "action", Message: "须为 dismiss（不予立案）或 finding（认定问题）"})
}

func (w *brandWorkflow) reportTriage(ctx workflow.Context, r ReportTriageRequest) (BrandResult, error) {
	w.st.Triaged = append(w.st.Triaged, r.ReportID)
	if n := len(w.st.Triaged); n > maxApplied {
		w.st.Triaged = w.st.Triaged[n-maxApplied:]
	}
	step := w.actorStep(ctx, r.Actor, "report.dismissed", r.Note)
	step.Triage = &records.TriageRow{ReportID: r.ReportID, Action: string(r.Action), Note: r.Note, FindingID: r.FindingID}
	if r.Action == TriageDismiss {
		return w.result(), w.record(ctx, step)
	}
	step.Action = fmt.Sprintf("finding.level%d", FindingLevel(r.Reason))
	step.Note = r.Reason + "（来自举报）" + r.Note
	return w.result(), w.openFinding(ctx, step, r.FindingID, r.Reason, r.Note, r.ReportID)
}
