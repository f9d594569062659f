package records

import (
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
)

// DeadlineRule is one running deadline of a process as its step writes it
// down: the rule it was computed from, and the due day and calendar version
// of that computation. With it a calendar revision can tell, without waking
// the process, whether the deadline moves (docs/ARCHITECTURE.md §4).
type DeadlineRule struct {
	Key             string        `json:"key"`
	Rule            deadline.Rule `json:"rule"`
	Due             calendar.Date `json:"due"`
	CalendarVersion int           `json:"calendar_version"`
}
