package workflows

import (
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// AdmissionPolicy holds the configurable periods of RULES §3. It travels
// in the workflow input, so a change of configuration applies to new
// applications and never changes a running one's replay.
type AdmissionPolicy struct {
	ServiceDays           int                  `json:"service_days"`            // 初审/复审 service deadline, working days
	ReturnWaitDays        int                  `json:"return_wait_days"`        // wait for a resubmission, working days
	ExpertQuorum          int                  `json:"expert_quorum"`           // opinions needed before approval
	NoticeDays            int                  `json:"notice_days"`             // 公示, working days (第十三条)
	NoticeFromPublication bool                 `json:"notice_from_publication"` // the publication day counts as day 1
	ObjectionRulingDays   int                  `json:"objection_ruling_days"`   // ruling on an objection, working days after receipt
	Alerts                deadline.AlertPolicy `json:"alerts"`
}

// DefaultAdmissionPolicy is RULES §3's defaults.
var DefaultAdmissionPolicy = AdmissionPolicy{
	ServiceDays: 20, ReturnWaitDays: 20, ExpertQuorum: 3, NoticeDays: 5, NoticeFromPublication: true,
	ObjectionRulingDays: 10, Alerts: DefaultAlerts,
}

// DefaultAlerts: reminders 3 and 1 working days before and on the due day;
// escalation at the end and every 5 working days after, 3 times at most.
var DefaultAlerts = deadline.AlertPolicy{LeadDays: []int{3, 1, 0}, EscalateEvery: 5, EscalateMax: 3}

// ApplicationInput starts an application's workflow. Ids, names and codes
// only: the form with its personal data stays in PostgreSQL.
type ApplicationInput struct {
	ApplicationID string `json:"application_id"`
	RoundID       string `json:"round_id"`
	BrandName     string `json:"brand_name"`
	BrandType     string `json:"brand_type"`
	Category      string `json:"category"`
	CountyCode    string `json:"county_code"`
	// ReviewerCode is the bureau that does the 初审 (RULES §1: the county
	// itself, or the bureau a functional zone is mapped to); empty in inputs
	// from before, which mean the county.
	ReviewerCode string `json:"reviewer_code,omitempty"`
	// ReviewerRevision is the zone's revision ReviewerCode is as of: a
	// bureau change of an older one is refused (BureauChange).
	ReviewerRevision int             `json:"reviewer_revision,omitempty"`
	UnitName         string          `json:"unit_name"`
	USCC             string          `json:"uscc"` // a unit's code, not personal data; needed to avoid conflicted experts
	SubmittedOn      calendar.Date   `json:"submitted_on"`
	Clock            clock.Clock     `json:"clock"`
	Policy           AdmissionPolicy `json:"policy"`
	// BrandPolicy is what the brand's own process starts with once admitted
	// (nil: DefaultBrandPolicy).
	BrandPolicy *BrandPolicy `json:"brand_policy,omitempty"`
	// BroughtOver is set for an application already in its procedure when
	// the city moved its library onto the system (RULES §3, applications in
	// flight): its process starts where the application stands.
	BroughtOver *BroughtOver `json:"brought_over,omitempty"`
	// State is set when the workflow continues as new.
	State *ApplicationState `json:"state,omitempty"`
}

// BroughtOver is where an application in flight stands on the day the
// system takes it over: its stage and the day that stage began, from which
// the stage's deadlines count by the business calendar as if the system had
// kept them — a notice published six working days ago has ended, a return
// twenty-one working days ago has lapsed — and the objections to its notice
// received and not yet ruled. What happened before that day stays in the
// bureau's earlier records; the process states it was brought over, never
// the decisions that led there.
type BroughtOver struct {
	// Stage is county_review, returned, city_review or public_notice
	// (a notice whose period has ended with an objection unruled is brought
	// over as public_notice: the process moves it to objection_review).
	Stage string `json:"stage"`
	// Since is the day the stage began: the submission (or resubmission)
	// for 初审, the return, the 初审 approval for 复审, the publication.
	Since calendar.Date `json:"since"`
	// Objections are the days objections to the notice were received, with
	// the day each was filed (a mailed one's postmark); public_notice only.
	// The objections themselves are stored with the application.
	Objections []BroughtOverObjection `json:"objections,omitempty"`
}

// BroughtOverObjection is a day on which objections were received and not
// yet ruled when the application was brought over.
type BroughtOverObjection struct {
	ReceivedOn calendar.Date `json:"received_on"`
	FiledOn    calendar.Date `json:"filed_on"`
}

// Actor is who asks for an action, as the API authenticated it.
type Actor struct {
	Sub    string `json:"sub"`
	Role   string `json:"role"`
	County string `json:"county,omitempty"`
	USCC   string `json:"uscc,omitempty"`
}

// ObjectionState is an objection as the process tracks it.
type ObjectionState struct {
	ID         string        `json:"id"`
	ReceivedOn calendar.Date `json:"received_on"`
	Ruled      bool          `json:"ruled"`
	Upheld     bool          `json:"upheld"`
}

// ApplicationState is the whole state of an application's process.
type ApplicationState struct {
	Stage      string           `json:"stage"`
	Deadlines  deadlines        `json:"deadlines"`
	DrawCount  int              `json:"draw_count"`
	Drawn      []string         `json:"drawn"`
	Opinions   []string         `json:"opinions"`   // experts who filed one
	Objections []ObjectionState `json:"objections"` // told one by one (before objections by day)
	// ObjectionDays are the ruling clocks of objections by day of receipt.
	ObjectionDays []ObjectionDay `json:"objection_days,omitempty"`
	NoticeStart   calendar.Date  `json:"notice_start"`
	NoticeEnd     calendar.Date  `json:"notice_end"`
	BrandID       string         `json:"brand_id,omitempty"`
	FormRevision  int            `json:"form_revision"`
	// ToldRevision is the newest revision the process was told, applied
	// or refused: a supplement stored and never told is a newer one
	// (changeStoredResubmissionTaken).
	ToldRevision int `json:"told_revision,omitempty"`
	// ReturnedAt is the instant of the last return for supplement: only a
	// revision stored from then on is its resubmission. Zero in runs from
	// before it was kept, which count from the return's day.
	ReturnedAt time.Time     `json:"returned_at,omitzero"`
	AdmittedOn calendar.Date `json:"admitted_on"`
	Started    bool          `json:"started"`
	// Last is the last step, carried so that a new run's current details
	// still say it.
	Last *LastStep `json:"last,omitempty"`
}

// StateView is what QueryState answers: the state with the open deadlines.
type StateView struct {
	Stage      string              `json:"stage"`
	Deadlines  []calendar.Deadline `json:"deadlines"`
	Drawn      []string            `json:"drawn"`
	Opinions   []string            `json:"opinions"`
	Objections []ObjectionState    `json:"objections"`
	// ObjectionDays are the ruling clocks of objections by day of receipt.
	ObjectionDays []ObjectionDay `json:"objection_days,omitempty"`
	BrandID       string         `json:"brand_id,omitempty"`
}

// ObjectionDayResult answers UpdateObjectionDay with the day's ruling due.
type ObjectionDayResult struct {
	Stage     string        `json:"stage"`
	RulingDue calendar.Date `json:"ruling_due"`
}

// DecisionResult answers an accepted Update.
type DecisionResult struct {
	Stage string `json:"stage"`
	// Writes are the decision's writes its caller makes before it answers
	// (changeDecisionWritesByCaller).
	Writes []records.Write `json:"writes,omitempty"`
}

// Update arguments.
type (
	CountyReviewRequest struct {
		Actor    Actor          `json:"actor"`
		Decision ReviewDecision `json:"decision"` // Approve, Reject or Return
		Opinion  string         `json:"opinion"`
		// Unmet are the criteria the current form does not meet; an
		// approval must relax each (where it may) or is refused.
		Unmet       []UnmetCriterion `json:"unmet,omitempty"`
		Relaxations []Relaxation     `json:"relaxations,omitempty"`
		// Judged are the criteria of the current form that are the
		// reviewer's judgement (RULES §2): an approval confirms them.
		Judged []string `json:"judged,omitempty"`
		// FormRevision is the revision Unmet and Judged were read from (0
		// from an API before it was sent): another in force is refused.
		FormRevision int `json:"form_revision,omitempty"`
	}
	ResubmitRequest struct {
		Actor    Actor `json:"actor"`
		Revision int   `json:"revision"` // the stored form revision to apply
		// The resubmitted form's public facts, which may have changed.
		BrandName string `json:"brand_name,omitempty"`
		BrandType string `json:"brand_type,omitempty"`
		Category  string `json:"category,omitempty"`
		UnitName  string `json:"unit_name,omitempty"`
	}
	ExpertDrawRequest struct {
		Actor Actor `json:"actor"`
		Count int   `json:"count"`
		// Drawn is how many experts the officer saw drawn already: a draw
		// made meanwhile by another refuses this one (nil: not checked).
		Drawn *int `json:"drawn,omitempty"`
	}
	ExpertOpinionRequest struct {
		Actor     Actor  `json:"actor"` // Sub is the expert's id
		Score     int    `json:"score"`
		Recommend bool   `json:"recommend"`
		Comment   string `json:"comment"`
	}
	SiteVisitRequest struct {
		Actor     Actor         `json:"actor"`
		VisitedOn calendar.Date `json:"visited_on"`
		Findings  string        `json:"findings"`
	}
	CityReviewRequest struct {
		Actor        Actor            `json:"actor"`
		Decision     ReviewDecision   `json:"decision"` // Approve or Reject
		Opinion      string           `json:"opinion"`
		Unmet        []UnmetCriterion `json:"unmet,omitempty"`
		Relaxations  []Relaxation     `json:"relaxations,omitempty"`
		Judged       []string         `json:"judged,omitempty"`        // as CountyReviewRequest's
		FormRevision int              `json:"form_revision,omitempty"` // as CountyReviewRequest's
	}
	// ObjectionRequest registers an objection already stored by the API (its
	// objector's identity stays there).
	ObjectionRequest struct {
		Actor       Actor         `json:"actor"`
		ObjectionID string        `json:"objection_id"`
		ReceivedOn  calendar.Date `json:"received_on"`
		Via         string        `json:"via"` // public | mail
	}
	// ObjectionDayRequest tells the process of the first objection received
	// on a day; FiledOn decides timeliness (a mailed objection's postmark).
	ObjectionDayRequest struct {
		Actor      Actor         `json:"actor"`
		ReceivedOn calendar.Date `json:"received_on"`
		FiledOn    calendar.Date `json:"filed_on"`
	}
	// ObjectionsRuledRequest tells the process of a ruling it acts on.
	ObjectionsRuledRequest struct {
		Actor       Actor         `json:"actor"`
		ReceivedOn  calendar.Date `json:"received_on"` // the day of the ruled objection
		ObjectionID string        `json:"objection_id"`
		Upheld      bool          `json:"upheld"`
	}
	ObjectionRulingRequest struct {
		Actor       Actor  `json:"actor"`
		ObjectionID string `json:"objection_id"`
		Upheld      bool   `json:"upheld"`
		Reason      string `json:"reason"`
	}
)
