package workflows

import (
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// BrandPolicy holds the configurable periods of RULES §4. It travels in the
// brand's input and across continue-as-new.
type BrandPolicy struct {
	EvaluationYears     int                  `json:"evaluation_years"`      // 第十五条: every two years
	ReportDays          int                  `json:"report_days"`           // report due, working days after the window opens
	AssessmentDays      int                  `json:"assessment_days"`       // city assessment, working days after the report
	Level1Months        int                  `json:"level1_months"`         // 第十五条（一）: one month
	Level2Months        int                  `json:"level2_months"`         // 第十五条（二）: three months
	InterviewDays       int                  `json:"interview_days"`        // record the interview, working days after escalation
	DecisionDays        int                  `json:"decision_days"`         // suspension/removal decision, working days after the proposal
	SuspensionMonths    int                  `json:"suspension_months"`     // 第十五条（三）: one year
	RenewalLeadDays     int                  `json:"renewal_lead_days"`     // renewal decided by N working days before the end
	SuspensionsToRemove int                  `json:"suspensions_to_remove"` // 第十五条（四）: three times
	BanYears            int                  `json:"ban_years"`             // 第十五条（四）: five years
	ReportTriageDays    int                  `json:"report_triage_days"`    // triage of a report (举报), working days after its receipt
	Alerts              deadline.AlertPolicy `json:"alerts"`
	HolderAlerts        deadline.AlertPolicy `json:"holder_alerts"`
}

// DefaultBrandPolicy is RULES §4's defaults.
var DefaultBrandPolicy = BrandPolicy{
	EvaluationYears: 2, ReportDays: 20, AssessmentDays: 20, Level1Months: 1, Level2Months: 3,
	InterviewDays: 10, DecisionDays: 10, SuspensionMonths: 12, RenewalLeadDays: 20, SuspensionsToRemove: 3,
	BanYears: 5, ReportTriageDays: 20, Alerts: DefaultAlerts, HolderAlerts: deadline.AlertPolicy{LeadDays: []int{5, 1}},
}

// BrandInput starts an admitted brand's process; State carries it across
// continue-as-new.
type BrandInput struct {
	BrandID       string `json:"brand_id"`
	ApplicationID string `json:"application_id"`
	Name          string `json:"name"`
	BrandType     string `json:"brand_type"`
	Category      string `json:"category"`
	CountyCode    string `json:"county_code"`
	// ReviewerCode is the bureau that looks after a brand of a functional
	// zone (RULES §1: the zone pointed at a county's bureau): its officers
	// act on the brand and are told of its deadlines. Empty when it is the
	// county's own, as in every run recorded before it was named.
	ReviewerCode string `json:"reviewer_code,omitempty"`
	// ReviewerRevision is the zone's revision ReviewerCode is as of: a
	// bureau change of an older one is refused (BureauChange).
	ReviewerRevision int           `json:"reviewer_revision,omitempty"`
	UnitName         string        `json:"unit_name"`
	USCC             string        `json:"uscc"`
	AdmittedOn       calendar.Date `json:"admitted_on"`
	Clock            clock.Clock   `json:"clock"`
	Policy           BrandPolicy   `json:"policy"`
	// Imported marks a brand admitted before the system: no application of
	// its own (ApplicationID empty), so its process's first step writes the
	// brand's record from this input (ActivityImportBrand), as Admit does
	// for an admitted application.
	Imported bool `json:"imported,omitempty"`
	// Standing is where an imported brand stands on the day it is imported
	// (the bureau's sheet, issue 14); nil starts it in good standing with
	// its first evaluation two years after admission. A field runs recorded
	// before it lack, so its branch needs no version marker.
	Standing *ImportedStanding `json:"standing,omitempty"`
	State    *BrandState       `json:"state,omitempty"`
}

// ImportedStanding is an imported brand's standing on its import day.
type ImportedStanding struct {
	// NextEvaluation is the opening day of its next biennial window (an
	// anniversary of its admission); zero: two years after admission.
	NextEvaluation calendar.Date          `json:"next_evaluation"`
	Rectification  *ImportedRectification `json:"rectification,omitempty"`
	Suspension     *Suspension            `json:"suspension,omitempty"`
	// SuspensionCount counts the suspension decisions before the import,
	// toward the three of 第十五条（四）.
	SuspensionCount int `json:"suspension_count,omitempty"`
}

// ImportedRectification is an open rectification order (第十五条（一）/
// （二）) brought over with its own dates.
type ImportedRectification struct {
	Level     int           `json:"level"`
	Reason    string        `json:"reason"`
	OrderedOn calendar.Date `json:"ordered_on"`
	// Due is the window's last day; zero at level 2 while the interview
	// that opens the three months is still to be held.
	Due calendar.Date `json:"due"`
}

// Rectification is an open rectification order (level 1 or 2).
type Rectification struct {
	Level     int           `json:"level"`
	Reason    string        `json:"reason"`
	FindingID string        `json:"finding_id"`
	OrderedOn calendar.Date `json:"ordered_on"`
	// WindowOpen is false at level 2 until the interview is recorded.
	WindowOpen bool `json:"window_open"`
	// FromLapse marks a level-2 order that the level-1 month's lapse made:
	// OrderedOn is that month's last day, and the order runs from 24:00 of
	// it, so the interview is on a later day.
	FromLapse bool `json:"from_lapse,omitempty"`
}

// Suspension is a suspension of the logo right (第十五条（三）).
type Suspension struct {
	StartedOn calendar.Date `json:"started_on"`
	Until     calendar.Date `json:"until"` // last day of the sanction; never moved
	// RenewalOpensOn is the first day a renewal may be decided (RULES §4:
	// the renewal window); empty on suspensions decided before it was kept.
	RenewalOpensOn calendar.Date `json:"renewal_opens_on,omitempty"`
}

// Pending is the open decision due soonest (derived from the open matters
// after every change, for the state query and API.md pending_decision).
// Runs before open matters kept it as the brand's one pending decision, with
// what it had set aside (Shelved); fromSinglePending converts such a state.
type Pending struct {
	Kind string        `json:"kind"`
	Due  calendar.Date `json:"due"`
	// PriorStatus is restored when a proposal is declined.
	PriorStatus string `json:"prior_status,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// Shelved is a pending decision a removal proposal set aside; it returns
	// if the removal is declined.
	Shelved *Pending `json:"shelved,omitempty"`
}

// Evaluation is the current biennial evaluation (第十五条).
type Evaluation struct {
	Period     string        `json:"period"` // e.g. "2026-2028"
	OpensOn    calendar.Date `json:"opens_on"`
	ReportID   string        `json:"report_id,omitempty"`
	ReportLate bool          `json:"report_late,omitempty"`
}

// ChangeState is a change request in progress (附件2).
type ChangeState struct {
	ID          string `json:"id"`
	Major       bool   `json:"major"`
	Step        string `json:"step"` // county | city
	NewName     string `json:"new_name,omitempty"`
	NewUnitName string `json:"new_unit_name,omitempty"`
	NewUSCC     string `json:"new_uscc,omitempty"`
	NewCategory string `json:"new_category,omitempty"`
}

// BrandState is the whole state of a brand's process.
type BrandState struct {
	Status   string `json:"status"`
	Name     string `json:"name"`
	UnitName string `json:"unit_name"`
	USCC     string `json:"uscc"`     // the holder's code, changed by an approved change
	Category string `json:"category"` // changed by an approved change
	// Triaged holds the reports already triaged, so a report opens at most one finding.
	Triaged []string `json:"triaged,omitempty"`
	// ReportsStale is set when a report (举报) may have been filed since the
	// process last read which reports wait for triage (RULES §4).
	ReportsStale bool `json:"reports_stale,omitempty"`
	// ReportSteps counts the steps that recorded the triage matter's
	// changes, each keyed by its number (refreshReports).
	ReportSteps   int            `json:"report_steps,omitempty"`
	Deadlines     deadlines      `json:"deadlines"`
	Rectification *Rectification `json:"rectification,omitempty"`
	// LateInformation are level-1 orders of their own beside the brand's
	// ladder (RULES §4), each with its own deadline, rectification:<finding
	// id>: orders for a missed evaluation report, opened while the brand was
	// already rectifying or suspended (a report filed closes them), and an
	// ordinary level-1 order a lapse found running (changeLapseKeepsLevel1;
	// the county's confirmation closes it).
	LateInformation []Rectification `json:"late_information,omitempty"`
	Suspension      *Suspension     `json:"suspension,omitempty"`
	SuspensionCount int             `json:"suspension_count"`
	Pending         *Pending        `json:"pending,omitempty"`
	Evaluation      *Evaluation     `json:"evaluation,omitempty"`
	// Assessing are earlier evaluations whose report still awaits the city's
	// assessment when a new window opened (deadline evaluation_assessment:<report id>).
	Assessing      []Evaluation  `json:"assessing,omitempty"`
	NextEvaluation calendar.Date `json:"next_evaluation"` // the next window's opening day
	Cycle          int           `json:"cycle"`           // evaluation cycles completed
	Changes        []ChangeState `json:"changes,omitempty"`
	RemovedOn      calendar.Date `json:"removed_on"`
	ReapplyAfter   calendar.Date `json:"reapply_after"`
	// Applied holds the IDs of decisions already applied; Update IDs
	// deduplicate only within one run, this carries them across runs.
	Applied []string `json:"applied,omitempty"`
	Started bool     `json:"started"`
	// Last is the last step, carried so that a new run's current details
	// still say it.
	Last *LastStep `json:"last,omitempty"`
}

// LastStep is what a process's current details say of its last step: the
// action, the role that took it (never the person) and the day.
type LastStep struct {
	Action string        `json:"action"`
	Role   string        `json:"role"`
	On     calendar.Date `json:"on"`
}

// Brand Update arguments.
type (
	FindingRequest struct {
		Actor       Actor  `json:"actor"`
		FindingID   string `json:"finding_id"`
		Reason      string `json:"reason"`
		Description string `json:"description"`
		ReportID    string `json:"report_id,omitempty"`
	}
	ConfirmRequest struct {
		Actor Actor  `json:"actor"`
		Note  string `json:"note"`
		// FindingID names the order confirmed where more than one runs;
		// empty: the brand's order when its window is open, else the order
		// of its own the county may confirm.
		FindingID string `json:"finding_id,omitempty"`
	}
	InterviewRequest struct {
		Actor  Actor         `json:"actor"`
		HeldOn calendar.Date `json:"held_on"`
		Note   string        `json:"note"`
	}
	ProvinceReport struct {
		ReportedOn calendar.Date `json:"reported_on"`
		DocNo      string        `json:"doc_no"`
	}
	SuspensionDecisionRequest struct {
		Actor          Actor           `json:"actor"`
		Suspend        bool            `json:"suspend"`
		Reason         string          `json:"reason"`
		ProvinceReport *ProvinceReport `json:"province_report,omitempty"`
	}
	RemovalReportRequest struct {
		Actor Actor `json:"actor"`
		// Reasons are the 附件3 boxes ticked; Reason is the one reason of
		// requests made before several could be ticked.
		Reasons     []string `json:"reasons,omitempty"`
		Reason      string   `json:"reason,omitempty"`
		Description string   `json:"description"`
	}
	RemovalDecisionRequest struct {
		Actor  Actor  `json:"actor"`
		Remove bool   `json:"remove"`
		Reason string `json:"reason"`
	}
	// EvaluationReportRequest carries the id of a report the API stored.
	EvaluationReportRequest struct {
		Actor    Actor  `json:"actor"`
		ReportID string `json:"report_id"`
		Period   string `json:"period"`
	}
	AssessmentRequest struct {
		Actor    Actor             `json:"actor"`
		ReportID string            `json:"report_id"`
		Outcome  AssessmentOutcome `json:"outcome"`
		Opinion  string            `json:"opinion"`
	}
	// ChangeRequest carries the id of a change request the API stored.
	ChangeRequest struct {
		Actor    Actor  `json:"actor"`
		ChangeID string `json:"change_id"`
		Major    bool   `json:"major"`
		// NewName and NewUnitName are set when the change renames the brand
		// or its holder (names are public; other values stay in PostgreSQL).
		NewName     string `json:"new_name,omitempty"`
		NewUnitName string `json:"new_unit_name,omitempty"`
		// NewUSCC and NewCategory are set when the change moves the brand to
		// another holder code or category (a unit's code is not personal data).
		NewUSCC     string `json:"new_uscc,omitempty"`
		NewCategory string `json:"new_category,omitempty"`
	}
	ChangeOpinionRequest struct {
		Actor    Actor  `json:"actor"`
		ChangeID string `json:"change_id"`
		Approve  bool   `json:"approve"`
		Opinion  string `json:"opinion"`
	}
	ReportTriageRequest struct {
		Actor     Actor        `json:"actor"`
		ReportID  string       `json:"report_id"`
		Action    TriageAction `json:"action"`
		Reason    string       `json:"reason,omitempty"`
		Reasons   []string     `json:"reasons,omitempty"` // with removal_report: the 附件3 boxes ticked
		Note      string       `json:"note"`
		FindingID string       `json:"finding_id,omitempty"`
	}
)

// BrandResult answers an accepted brand Update.
type BrandResult struct {
	Status string `json:"status"`
	// Writes are the decision's writes its caller makes before it answers
	// (changeDecisionWritesByCaller).
	Writes []records.Write `json:"writes,omitempty"`
}
