package records

import (
	"encoding/json"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
)

// ResubmissionRecord applies a resubmitted form revision.
type ResubmissionRecord struct {
	Step     Step `json:"step"`
	Revision int  `json:"revision"`
}

// DrawRequest asks for an expert draw (第十二条).
type DrawRequest struct {
	Step       Step   `json:"step"`
	DrawNo     int    `json:"draw_no"`
	Seed       uint64 `json:"seed"`
	Count      int    `json:"count"`
	Category   string `json:"category"`
	CountyCode string `json:"county_code"`
	// ReviewerCode is the bureau that does the 初审, when it is not the
	// county itself (a functional zone's): its experts are avoided too.
	ReviewerCode string   `json:"reviewer_code,omitempty"`
	USCC         string   `json:"uscc"`
	Exclude      []string `json:"exclude"`
	// ExpertTask, when set, is the work-queue entry each drawn expert gets.
	ExpertTask *Task `json:"expert_task,omitempty"`
}

// OpinionRecord is an expert's opinion.
type OpinionRecord struct {
	Step      Step   `json:"step"`
	ExpertID  string `json:"expert_id"`
	Score     int    `json:"score"`
	Recommend bool   `json:"recommend"`
	Comment   string `json:"comment"`
}

// SiteVisitRecord is a site visit (实地核查).
type SiteVisitRecord struct {
	Step      Step          `json:"step"`
	ID        string        `json:"id"`
	VisitedOn calendar.Date `json:"visited_on"`
	Findings  string        `json:"findings"`
}

// ObjectionRecord opens an objection the API stored as a draft.
type ObjectionRecord struct {
	Step        Step          `json:"step"`
	ObjectionID string        `json:"objection_id"`
	RulingDue   calendar.Date `json:"ruling_due"`
}

// ObjectionDayRecord opens the objections received on one day (the
// drafts the API stored) with their common ruling deadline.
type ObjectionDayRecord struct {
	Step       Step          `json:"step"`
	ReceivedOn calendar.Date `json:"received_on"`
	RulingDue  calendar.Date `json:"ruling_due"`
}

// DraftDay is a day of receipt of objections stored and not yet opened:
// their process was never told of the day (a 503, the API stopped).
type DraftDay struct {
	ReceivedOn calendar.Date `json:"received_on"`
	FiledOn    calendar.Date `json:"filed_on"` // the earliest: a mailed one's postmark, else its receipt
	// Reopens: the day was opened before and its objections all ruled; an
	// objection stored open since was never told, and opens it again.
	Reopens bool `json:"reopens,omitempty"`
}

// ObjectionDayQuery names a day of receipt of an application's
// objections.
type ObjectionDayQuery struct {
	ApplicationID string        `json:"application_id"`
	ReceivedOn    calendar.Date `json:"received_on"`
}

// StoredRevisionQuery asks for the newest supplement of an application
// stored in a wait and never applied: a revision after After, stored from
// Since (the day of the return) and before Before (the deadline).
type StoredRevisionQuery struct {
	ApplicationID string    `json:"application_id"`
	After         int       `json:"after"`
	Since         time.Time `json:"since"`
	Before        time.Time `json:"before"`
}

// StoredRevision is a supplement stored and never told to its process (a
// 503, the API stopped, the day's last seconds); Revision 0 when none.
type StoredRevision struct {
	Revision  int       `json:"revision"`
	By        string    `json:"by"`
	Role      string    `json:"role,omitempty"` // whose role stored it; empty: the holder's (rows from before it was kept)
	At        time.Time `json:"at"`             // when it was stored
	BrandName string    `json:"brand_name,omitempty"`
	BrandType string    `json:"brand_type,omitempty"`
	Category  string    `json:"category,omitempty"`
	UnitName  string    `json:"unit_name,omitempty"`
}

// StoredReportQuery asks for a brand's development report for period,
// stored before Before (the report's deadline) and never told to its
// process.
type StoredReportQuery struct {
	BrandID string    `json:"brand_id"`
	Period  string    `json:"period"`
	Before  time.Time `json:"before"`
}

// StoredReport is a development report stored in time and never told to
// its process (a 503, the API stopped, the day's last seconds): the Update
// that was to tell it, by whom, and when it was stored. ReportID "" when
// none.
type StoredReport struct {
	ReportID string    `json:"report_id"`
	UpdateID string    `json:"update_id"`
	By       string    `json:"by"`
	Role     string    `json:"role"`
	At       time.Time `json:"at"`
}

// BroughtOverRecord is the first step of an application brought over in
// flight, with the days of the objections it brought: their drafts (stored
// with the application) open with each day's ruling deadline.
type BroughtOverRecord struct {
	Step          Step                   `json:"step"`
	ObjectionDays []AcceptedObjectionDay `json:"objection_days,omitempty"`
}

// AcceptedObjectionDay is a day of receipt with its ruling deadline.
type AcceptedObjectionDay struct {
	ReceivedOn calendar.Date `json:"received_on"`
	RulingDue  calendar.Date `json:"ruling_due"`
}

// RulingRecord is the city's ruling on an objection.
type RulingRecord struct {
	Step        Step   `json:"step"`
	ObjectionID string `json:"objection_id"`
	Upheld      bool   `json:"upheld"`
	Reason      string `json:"reason"`
}

// AdmissionRecord admits an application (第十四条).
type AdmissionRecord struct {
	Step       Step          `json:"step"`
	BrandID    string        `json:"brand_id"`
	AdmittedOn calendar.Date `json:"admitted_on"`
}

// NotifyRequest asks for a reminder, escalation or notice about one
// deadline or decision. It carries ids, names and dates only.
type NotifyRequest struct {
	DedupeKey string   `json:"dedupe_key"` // stable: workflow, deadline, due date, alert number
	Kind      string   `json:"kind"`       // reminder | escalation | decision | …
	Audiences []string `json:"audiences"`  // roles to tell
	// Doer is the audience whose task it is (the deadline's first): an
	// escalation asks it to act and the others to urge it. Empty in
	// requests made before it was named: every audience is asked to urge.
	Doer       string    `json:"doer,omitempty"`
	County     string    `json:"county,omitempty"`
	USCC       string    `json:"uscc,omitempty"`
	ObjectType string    `json:"object_type"` // application | brand
	ObjectID   string    `json:"object_id"`
	BrandName  string    `json:"brand_name"`
	Action     string    `json:"action"` // what must be done, in Chinese, e.g. 初审
	Due        string    `json:"due,omitempty"`
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
}

// CalendarChanged is the calendar-changed signal's payload: calendar
// version Version is in force. Computed carries what the sender already
// computed under it for the rules the process's last step wrote down, so
// that the process re-arms those deadlines without computing them again.
type CalendarChanged struct {
	Version  int                `json:"version"`
	Computed []ComputedDeadline `json:"computed,omitempty"`
}

// ComputedDeadline is a deadline's rule with its schedule under a calendar
// (Schedule.Deadline.CalendarVersion).
type ComputedDeadline struct {
	Key      string            `json:"key"`
	Rule     deadline.Rule     `json:"rule"`
	Schedule deadline.Schedule `json:"schedule"`
}

// CalendarSignal asks for the calendar-changed signal to reach every open
// process of the given workflow types.
type CalendarSignal struct {
	Version       int      `json:"version"`
	WorkflowTypes []string `json:"workflow_types"`
	SignalName    string   `json:"signal_name"`
}

// DeliveryRequest asks for one message's delivery by one channel.
type DeliveryRequest struct {
	MessageID int64  `json:"message_id"`
	Channel   string `json:"channel"`
}

// ReportFiled is the reports-changed signal's payload: report ReportID on
// the brand was filed (its process reads what waits for triage).
type ReportFiled struct {
	ReportID string `json:"report_id"`
}

// OpenReport is a report waiting for triage: its id and the day it was
// received (Asia/Shanghai), from which its triage deadline counts.
type OpenReport struct {
	ID         string        `json:"id"`
	ReceivedOn calendar.Date `json:"received_on"`
}

// Write is one write a decision leaves for its caller to make before it
// answers (workflows: changeDecisionWritesByCaller): the activity that makes
// it, by name, and that activity's argument as JSON. The process makes the
// same write itself, after; both are keyed by the step, so it lands once.
type Write struct {
	Activity string          `json:"activity"`
	Arg      json.RawMessage `json:"arg"`
}

// WritesOf reads the writes a decision's result leaves to its caller (its
// "writes"): none for a result without them, or one that is not a
// decision's.
func WritesOf(result json.RawMessage) []Write {
	var r struct {
		Writes []Write `json:"writes"`
	}
	if json.Unmarshal(result, &r) != nil {
		return nil
	}
	return r.Writes
}

// BureauFanout asks for a functional zone's open processes to be told the
// bureau the zone is pointed at as of its Revision (RULES §1).
type BureauFanout struct {
	Zone     string `json:"zone"`
	Bureau   string `json:"bureau"`
	Revision int    `json:"revision"`
}

// DeliveryRetriedFor is how long a message's delivery to a channel is
// retried before it gives up: a receiver down over a long weekend still
// gets it. The deliveries backlog counts a delivery for as long.
const DeliveryRetriedFor = 72 * time.Hour
