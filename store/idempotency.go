package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// IdempotencyKey scopes a client's Idempotency-Key (API.md conventions):
// the principal (role, sub, and its county or USCC), the method and the path.
type IdempotencyKey struct {
	Role, Sub, County, USCC string
	Method, Path, Key       string
	// Claim is the claiming request's own token, not part of the scope: a
	// key is completed or released only by the request that holds it — not
	// by one whose lease ran out and whose retry took the key over.
	Claim string
}

// keyWhere is the SQL condition that selects k, on parameters $1–$7 (args).
const keyWhere = `sub = $1 AND role = $2 AND county = $3 AND uscc = $4 AND method = $5 AND path = $6 AND key = $7`

func (k IdempotencyKey) args(more ...any) []any {
	return append([]any{k.Sub, k.Role, k.County, k.USCC, k.Method, k.Path, k.Key}, more...)
}

// StoredResponse is the first response given for a key.
type StoredResponse struct {
	Status      int
	ContentType string
	Body        []byte
}

var (
	// ErrKeyReused: the key was used with a different body.
	ErrKeyReused = errors.New("idempotency key reused with a different body")
	// ErrKeyInFlight: the first request with this key has not finished.
	ErrKeyInFlight = errors.New("a request with this idempotency key is still in progress")
)

// ClaimIdempotencyKey records k for a request whose body hashes to bodyHash.
// It returns (nil, nil) when the caller holds the key and must process the
// request, the stored response when the same request was answered before,
// ErrKeyReused or ErrKeyInFlight otherwise.
//
// A key in flight for longer than lease is taken over by the same request:
// the request that claimed it can no longer be running, and it could neither
// store its answer nor release the key — the database went away under it, or
// its process died. Without a lease such a key refused every retry for as
// long as it was kept.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, k IdempotencyKey, bodyHash string, lease time.Duration) (*StoredResponse, error) {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, claim)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT DO NOTHING`, k.args(bodyHash, k.Claim)...)
	if err != nil {
		return nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var storedHash string
	var status *int
	var ctype *string
	var body []byte
	err = s.pool.QueryRow(ctx, `
		SELECT body_sha256, status, content_type, response FROM idempotency_keys WHERE `+keyWhere, k.args()...).
		Scan(&storedHash, &status, &ctype, &body)
	if errors.Is(err, pgx.ErrNoRows) { // released between our insert and select: try once more
		return s.ClaimIdempotencyKey(ctx, k, bodyHash, lease)
	}
	if err != nil {
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	switch {
	case storedHash != bodyHash:
		return nil, ErrKeyReused
	case status == nil:
		return nil, s.takeOverIdempotencyKey(ctx, k, bodyHash, lease)
	}
	r := &StoredResponse{Status: *status, Body: body}
	if ctype != nil {
		r.ContentType = *ctype
	}
	return r, nil
}

// takeOverIdempotencyKey claims k again when it has been in flight for longer
// than lease; it returns ErrKeyInFlight when it has not.
func (s *Store) takeOverIdempotencyKey(ctx context.Context, k IdempotencyKey, bodyHash string, lease time.Duration) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE idempotency_keys SET created_at = now(), claim = $10
		WHERE `+keyWhere+` AND body_sha256 = $8 AND status IS NULL AND created_at < now() - make_interval(secs => $9)`,
		k.args(bodyHash, lease.Seconds(), k.Claim)...)
	if err != nil {
		return fmt.Errorf("take over idempotency key: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrKeyInFlight
	}
	return nil
}

// CompleteIdempotencyKey stores the response given for k, while k.Claim
// holds the key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, k IdempotencyKey, r StoredResponse) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE idempotency_keys SET status = $8, content_type = $9, response = $10
		WHERE `+keyWhere+` AND status IS NULL AND claim = $11`,
		k.args(r.Status, r.ContentType, r.Body, k.Claim)...)
	return err
}

// ReleaseIdempotencyKey forgets k, while k.Claim holds it, so that a request
// that failed for a passing reason (a 5xx) can be retried with the same key.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, k IdempotencyKey) error {
	_, err := s.pool.Exec(ctx, `
		DELETE FROM idempotency_keys WHERE `+keyWhere+` AND status IS NULL AND claim = $8`, k.args(k.Claim)...)
	return err
}
