package api

import (
	"cmp"
	"context"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// DefaultRevocationsFor: a revoked token stops working within ten seconds
// on every replica, for one small read per replica every ten seconds.
const DefaultRevocationsFor = 10 * time.Second

// revocationsReadFor bounds one read of the revocations: a database that
// does not answer holds no request longer, the list last read serving.
const revocationsReadFor = 2 * time.Second

// tokenRevocations keeps the subjects whose earlier tokens an operator
// revoked (laborbrand token revoke), read again once older than
// Config.RevocationsFor. The table holds a row per subject ever revoked: a
// few dozen. One request reads while the others use the list last read.
type tokenRevocations struct {
	mu      sync.Mutex
	before  map[string]time.Time // replaced whole, never changed: read without the lock
	readAt  time.Time            // when last read, or tried
	reading bool
}

// revoked reports whether p's token was issued before its subject's
// revocation. When the database does not answer, the list last read
// serves; when none was ever read, the error is returned (a 503).
func (s *Server) revoked(ctx context.Context, p auth.Principal) (bool, error) {
	if s.Store == nil { // a handler without a database (tests of what is refused before one is asked)
		return false, nil
	}
	before, err := s.revocations.current(ctx, s, cmp.Or(s.Config.RevocationsFor, DefaultRevocationsFor))
	if err != nil {
		return false, err
	}
	until, ok := before[p.Sub]
	return ok && p.IssuedAt.Before(until), nil
}

// current is the list of revocations, read again when older than every.
func (r *tokenRevocations) current(ctx context.Context, s *Server, every time.Duration) (map[string]time.Time, error) {
	r.mu.Lock()
	if r.before != nil && (r.reading || time.Since(r.readAt) < every) {
		before := r.before
		r.mu.Unlock()
		return before, nil
	}
	r.reading = true
	r.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, revocationsReadFor)
	read, err := s.Store.TokenRevocations(ctx)
	cancel()

	r.mu.Lock()
	defer r.mu.Unlock()
	r.reading, r.readAt = false, time.Now() // a failed read is tried again after every, too
	switch {
	case err == nil:
		r.before = read
	case r.before != nil:
		s.Log.Warn("token revocations: the database did not answer; the list last read serves", "error", err)
	default:
		return nil, err
	}
	return r.before, nil
}
