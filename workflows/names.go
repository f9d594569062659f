// Package workflows holds laborbrand's durable processes: one workflow per
// application (第十条–第十四条) and one per admitted brand (第十五条), with the
// deadlines they enforce. Workflow code is deterministic: no I/O, no wall
// clock, no randomness; everything it learns from outside arrives through
// activities, Updates and signals, and is recorded in its history.
package workflows

import (
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the one task queue laborbrand's workers poll.
const TaskQueue = "laborbrand"

// Search attributes a supervisor filters by in the Temporal UI. They carry
// ids, stages, dates and brand names only — never personal data (RULES §6).
var (
	// StageKey is an application's stage (RULES §3: county_review … withdrawn).
	StageKey = temporal.NewSearchAttributeKeyKeyword("Stage")
	// BrandStatusKey is an admitted brand's status (active, rectifying, suspended, removed).
	BrandStatusKey = temporal.NewSearchAttributeKeyKeyword("BrandStatus")
	// CountyCodeKey is the county of the application or brand, e.g. 530181.
	CountyCodeKey = temporal.NewSearchAttributeKeyKeyword("CountyCode")
	// CategoryKey is the brand category of 第六条.
	CategoryKey = temporal.NewSearchAttributeKeyKeyword("Category")
	// BrandNameKey is the brand's name.
	BrandNameKey = temporal.NewSearchAttributeKeyKeyword("BrandName")
	// NextDeadlineKey is the instant the process's next deadline ends, so
	// `NextDeadline < now` lists what is overdue.
	NextDeadlineKey = temporal.NewSearchAttributeKeyTime("NextDeadline")
)

// SearchAttributes is every custom search attribute with its type, for
// registering them on a namespace.
var SearchAttributes = map[string]enums.IndexedValueType{
	StageKey.GetName():        enums.INDEXED_VALUE_TYPE_KEYWORD,
	BrandStatusKey.GetName():  enums.INDEXED_VALUE_TYPE_KEYWORD,
	CountyCodeKey.GetName():   enums.INDEXED_VALUE_TYPE_KEYWORD,
	CategoryKey.GetName():     enums.INDEXED_VALUE_TYPE_KEYWORD,
	BrandNameKey.GetName():    enums.INDEXED_VALUE_TYPE_KEYWORD,
	NextDeadlineKey.GetName(): enums.INDEXED_VALUE_TYPE_DATETIME,
}
