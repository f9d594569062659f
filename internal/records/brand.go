package records

import (
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// BrandStep is one recorded step in a brand's life: its history line, its
// standing after the step, the audit row, and the records the step creates —
// all in one transaction, once per Key.
type BrandStep struct {
	BrandID string    `json:"brand_id"`
	Key     string    `json:"key"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	Action  string    `json:"action"`
	Note    string    `json:"note,omitempty"`

	Standing BrandStanding `json:"standing"`
	Audit    any           `json:"audit,omitempty"`

	Finding      *FindingRow      `json:"finding,omitempty"`
	Announcement *AnnouncementRow `json:"announcement,omitempty"`
	Ban          *BanRow          `json:"ban,omitempty"`
	Assessment   *AssessmentRow   `json:"assessment,omitempty"`
	Change       *ChangeDecision  `json:"change,omitempty"`
	Triage       *TriageRow       `json:"triage,omitempty"`
	// Tasks replaces the brand's work-queue entries; nil leaves them.
	Tasks []Task `json:"tasks"`
	// Rules are the running deadlines' rules; nil (a step scheduled before
	// they were kept) stores "unknown", so a calendar revision tells the
	// process rather than judging for it.
	Rules []DeadlineRule `json:"rules"`
	// RunID is the run of the process that took the step: a calendar
	// revision tells that run, not "the current one" Temporal must look up.
	RunID string `json:"run_id,omitempty"`
}

// BrandImport is a brand admitted before the system, with no application
// of its own: its process's first step writes its record from this.
type BrandImport struct {
	BrandID    string        `json:"brand_id"`
	Name       string        `json:"name"`
	UnitName   string        `json:"unit_name"`
	USCC       string        `json:"uscc"`
	BrandType  string        `json:"brand_type"`
	Category   string        `json:"category"`
	CountyCode string        `json:"county_code"`
	AdmittedOn calendar.Date `json:"admitted_on"`
	At         time.Time     `json:"at"`
}

// BrandStanding is a brand's current standing as its process keeps it.
type BrandStanding struct {
	Status            string              `json:"status"`
	Name              string              `json:"name"`
	UnitName          string              `json:"unit_name"`
	Rectification     *Rectification      `json:"rectification"`
	Suspension        *Suspension         `json:"suspension"`
	SuspensionCount   int                 `json:"suspension_count"`
	PendingDecision   *PendingDecision    `json:"pending_decision"`
	OpenMatters       []OpenMatter        `json:"open_matters"`
	Deadlines         []calendar.Deadline `json:"deadlines"`
	NextEvaluationDue calendar.Date       `json:"next_evaluation_due"`
	RemovedOn         calendar.Date       `json:"removed_on"`
	ReapplyAfter      calendar.Date       `json:"reapply_after"`
}

// FindingRow is a finding that opens a rectification or a proposal.
type FindingRow struct {
	ID          string        `json:"id"`
	Reason      string        `json:"reason"`
	Level       int           `json:"level"`
	Description string        `json:"description"`
	ReportID    string        `json:"report_id,omitempty"`
	OrderedOn   calendar.Date `json:"ordered_on"`
	// Joined names what an assessment's findings joined instead of an
	// order of their own (FindingJoined…); empty for an ordered finding.
	Joined string `json:"joined,omitempty"`
}

// What a finding can join (RULES §4: one ladder at a time).
const (
	FindingJoinedRectification = "rectification"
	FindingJoinedSuspension    = "suspension"
	// FindingJoinedProposal: a report's finding for the reason a
	// suspension proposal already waits on, which the city decides once.
	FindingJoinedProposal = "suspension_proposal"
)

// AnnouncementRow is a published decision (第十五条: 向社会公布).
type AnnouncementRow struct {
	Kind      string        `json:"kind"` // suspension | renewal | restoration | removal
	DecidedOn calendar.Date `json:"decided_on"`
	Until     calendar.Date `json:"until"`
	Summary   string        `json:"summary"`
}

// BanRow is the five-year re-application ban after removal.
type BanRow struct {
	DecidedOn calendar.Date `json:"decided_on"`
	Until     calendar.Date `json:"until"`
	Reason    string        `json:"reason"`
}

// AssessmentRow is the city's assessment of an evaluation report.
type AssessmentRow struct {
	ReportID string `json:"report_id"`
	Outcome  string `json:"outcome"`
	Opinion  string `json:"opinion"`
}

// ChangeDecision is one opinion on a change request (附件2).
type ChangeDecision struct {
	ChangeID string `json:"change_id"`
	Step     string `json:"step"` // county | city
	Approve  bool   `json:"approve"`
	Opinion  string `json:"opinion"`
}

// TriageRow is the county's triage of a report (举报).
type TriageRow struct {
	ReportID  string `json:"report_id"`
	Action    string `json:"action"` // dismiss | finding
	Note      string `json:"note"`
	FindingID string `json:"finding_id,omitempty"`
}

// Rectification is the open rectification order in a brand's standing
// (docs/API.md brand view).
type Rectification struct {
	Level     int            `json:"level"`
	Reason    string         `json:"reason"`
	OrderedOn calendar.Date  `json:"ordered_on"`
	Due       *calendar.Date `json:"due"`
	DueAt     *time.Time     `json:"due_at"`
}

// Suspension is the running suspension of the logo right.
type Suspension struct {
	StartedOn calendar.Date `json:"started_on"`
	Until     calendar.Date `json:"until"`
}

// OpenMatter is one matter open on a brand (RULES §4 "open matters"): its
// kind, its id where there can be several (a change request), the day it
// opened and its deadline.
type OpenMatter struct {
	Kind     string        `json:"kind"`
	ID       string        `json:"id,omitempty"`
	OpenedOn calendar.Date `json:"opened_on"`
	Due      calendar.Date `json:"due"`
	DueAt    time.Time     `json:"due_at"`
	Reason   string        `json:"reason,omitempty"`
	Overdue  bool          `json:"overdue"`
}

// PendingDecision is the most urgent decision the brand waits for.
type PendingDecision struct {
	Kind string        `json:"kind"`
	Due  calendar.Date `json:"due"`
}
