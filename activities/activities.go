// Package activities is the only code that writes business records or talks
// to the outside world on behalf of workflows. Every activity is idempotent:
// keyed by the workflow or Update that asked for it, so a retry finds its
// work already done.
package activities

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"time"

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
}

// PingRequest asks SavePing to record a ping.
type PingRequest struct {
	ID      string    `json:"id"`
	Message string    `json:"message"`
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
}

// PingResult is the ping as stored.
type PingResult = store.Ping

// SavePing records a ping (idempotent on its ID) and returns the stored row.
func (a *Activities) SavePing(ctx context.Context, r PingRequest) (PingResult, error) {
	if err := a.Store.SavePing(ctx, store.Ping{ID: r.ID, Message: r.Message, CreatedAt: r.At}, r.Actor, r.Role); err != nil {
		return PingResult{}, err
	}
	return a.Store.GetPing(ctx, r.ID)
}

// isNotFound reports whether err says a workflow no longer runs.
func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}
