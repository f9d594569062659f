// Package sweep runs a worker's periodic sweep: the starter's, which starts
// the processes the API could not, and the settler's, which has processes
// make the writes their callers left.
package sweep

import (
	"context"
	"time"
)

// Every runs sweep every interval until ctx ends, each run bounded by the
// interval (Temporal or PostgreSQL down: try again next time), and hands
// what it did — how many it handled, and the error — to report unless ctx
// has ended.
func Every(ctx context.Context, interval time.Duration, sweep func(context.Context) (int, error), report func(n int, err error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		runCtx, cancel := context.WithTimeout(ctx, interval)
		n, err := sweep(runCtx)
		cancel()
		if ctx.Err() == nil {
			report(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
