package activities

import "github.com/kunming-hrss/laborbrand/store"

// The records workflows hand to activities. Workflows name them through
// this package and never import store (STYLE.md: workflows → activities).
type (
	Task            = store.Task
	BrandStanding   = store.BrandStanding
	FindingRow      = store.FindingRow
	AnnouncementRow = store.AnnouncementRow
	BanRow          = store.BanRow
	AssessmentRow   = store.AssessmentRow
	ChangeDecision  = store.ChangeDecision
	TriageRow       = store.TriageRow
)
