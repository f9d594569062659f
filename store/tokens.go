package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// RevokeTokens refuses, from now on, every bearer token of sub issued
// before before (its iat); a later revocation of the same subject moves
// the instant, never back. Audited as token.revoke.
func (s *Store) RevokeTokens(ctx context.Context, sub string, before time.Time, by AccountChange) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO token_revocations (sub, revoked_before) VALUES ($1, $2)
			ON CONFLICT (sub) DO UPDATE SET revoked_before = greatest(token_revocations.revoked_before, excluded.revoked_before)`,
			sub, before); err != nil {
			return fmt.Errorf("revoke tokens of %s: %w", sub, err)
		}
		return AppendAudit(ctx, tx, AuditEntry{At: by.At, Actor: by.Actor, Role: by.Role, Action: "token.revoke",
			ObjectType: "token_subject", ObjectID: sub, After: map[string]any{"revoked_before": before}})
	})
}

// TokenRevocations is every revoked subject with the instant before which
// its tokens are refused.
func (s *Store) TokenRevocations(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.pool.Query(ctx, `SELECT sub, revoked_before FROM token_revocations`)
	if err != nil {
		return nil, fmt.Errorf("token revocations: %w", err)
	}
	revoked := map[string]time.Time{}
	var sub string
	var before time.Time
	_, err = pgx.ForEachRow(rows, []any{&sub, &before}, func() error {
		revoked[sub] = before
		return nil
	})
	return revoked, err
}
