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

// tokenRevocations keeps the subjects whose earlier tokens an operator
// revoked (laborbrand token revoke), read from the database again once
// they are older than Config.RevocationsFor. The table holds a row per
// subject ever revoked: a few dozen.
type tokenRevocations struct {
	mu     sync.Mutex
	readAt time.Time
	before map[string]time.Time
}

// revoked reports whether p's token was issued before its subject's
// revocation. The database not answering, the list last read is used; when
// none was ever read, the error is returned (the request is a 503).
func (s *Server) revoked(ctx context.Context, p auth.Principal) (bool, error) {
	r := &s.revocations
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.before == nil || now.Sub(r.readAt) >= cmp.Or(s.Config.RevocationsFor, DefaultRevocationsFor) {
		before, err := s.Store.TokenRevocations(ctx)
		switch {
		case err == nil:
			r.before, r.readAt = before, now
		case r.before == nil:
			return false, err
		default:
			s.Log.Warn("token revocations: using the list last read", "read_at", r.readAt, "error", err)
		}
	}
	until, ok := r.before[p.Sub]
	return ok && p.IssuedAt.Before(until), nil
}
