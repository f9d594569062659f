// Package activities is the workflows' only way out: it records the steps
// the processes take (with the records each step creates), computes their
// deadlines on the calendar in force, writes their messages to the outbox and
// delivers them, and signals open processes. The API writes what arrives
// before a process acts (submissions, drafts, uploads). Every activity is
// idempotent:
// keyed by the workflow or Update that asked for it, so a retry finds its
// work already done.
package activities

import (
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

// Activities holds the dependencies of every activity.
type Activities struct {
	Store     *store.Store
	Calendars *store.Calendars // the business calendar in force
	Clock     clock.Clock      // business time of the records written
	Temporal  client.Client    // for fan-outs that signal other processes and for deliveries
	Channels  Channels         // where outbox messages are delivered
	// TaskQueue is where deliveries start when the activities are called
	// outside a worker — a decision's writes made by its caller (the API,
	// the settler); within an activity, the activity's own queue.
	TaskQueue string
}

// isNotFound reports whether err says a workflow no longer runs.
func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}
