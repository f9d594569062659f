// Package records holds what laborbrand's processes hand to their
// activities and keep in their histories: the steps they record, the
// standing and work-queue entries a step writes, and the requests for draws,
// notifications and deliveries. It is plain data with JSON names that
// recorded histories depend on (rename a field and old histories no longer
// decode it), and it imports no database or HTTP code, so the workflows that
// use it stay free of I/O by construction.
package records

import (
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Step is one recorded step of an application: its history line, the stage
// and deadlines after it, and the audit row — written once per Key.
type Step struct {
	ApplicationID string              `json:"application_id"`
	Key           string              `json:"key"` // dedupe key, e.g. the Update ID
	At            time.Time           `json:"at"`
	Actor         string              `json:"actor"`
	Role          string              `json:"role"`
	Action        string              `json:"action"`
	Note          string              `json:"note,omitempty"`
	Stage         string              `json:"stage"`
	Deadlines     []calendar.Deadline `json:"deadlines"`
	NoticeStart   calendar.Date       `json:"notice_start"`
	NoticeEnd     calendar.Date       `json:"notice_end"`
	Audit         any                 `json:"audit,omitempty"` // extra detail for the audit row
	// Tasks replaces the application's work-queue entries; nil leaves them.
	Tasks []Task `json:"tasks"`
}

// Task is one work-queue entry a step writes: who must act on which object
// by when (docs/API.md GET /api/v1/tasks).
type Task struct {
	Kind        string    `json:"kind"`
	ObjectType  string    `json:"object_type"`
	ObjectID    string    `json:"object_id"`
	BrandName   string    `json:"brand_name"`
	CountyCode  string    `json:"county_code"`
	Audience    string    `json:"audience"`
	Assignee    string    `json:"assignee,omitempty"`
	Due         string    `json:"due"`
	DueAt       time.Time `json:"due_at"`
	Provisional bool      `json:"provisional"`
}
