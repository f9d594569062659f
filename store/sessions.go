package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session stages: a session is signed in only at SessionFull; before, it
// waits for the second factor or for its enrolment.
const (
	SessionFull         = "full"
	SessionSecondFactor = "second_factor"
	SessionEnrol        = "enrol"
)

// Session is a console session with its account.
type Session struct {
	Stage      string
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Account    Account
}

func sessionKey(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return sum[:]
}

// NewSession stores a session under id (only its hash is kept) and, when
// replaces is not empty, revokes that one in the same transaction: a
// sign-in step gives a new id (no session fixation). A full session's
// start is audited as the sign-in.
func (s *Store) NewSession(ctx context.Context, id, replaces string, accountID int64, stage, csrf string, now, expires time.Time) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if replaces != "" {
			if _, err := tx.Exec(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL`,
				sessionKey(replaces), now); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO console_sessions (id_hash, account_id, stage, csrf_token, created_at, last_seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $5, $6)`, sessionKey(id), accountID, stage, csrf, now, expires)
		if err != nil {
			return fmt.Errorf("new session: %w", err)
		}
		if stage != SessionFull {
			return nil
		}
		// A lock still in force stays: a known device signs in through it
		// (the console's device.go), and the lock is there for every other.
		if _, err := tx.Exec(ctx, `UPDATE accounts SET failed_count = 0,
			locked_until = CASE WHEN locked_until > $2 THEN locked_until END WHERE id = $1`, accountID, now); err != nil {
			return err
		}
		a, err := scanAccount(tx.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, accountID))
		if err != nil {
			return err
		}
		return auditAccount(ctx, tx, AccountChange{At: now, Actor: a.Username, Role: a.Role}, "console.sign_in", a.Username, nil)
	})
}

// SessionByID returns the live session of id: not revoked, not past its
// absolute lifetime, seen within idle, its account enabled. Its last-seen
// time moves to now (at most once a minute, to spare the writes).
func (s *Store) SessionByID(ctx context.Context, id string, now time.Time, idle time.Duration) (Session, error) {
	var sess Session
	row := s.pool.QueryRow(ctx, `SELECT s.stage, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, `+prefixed("a.", accountColumns)+`
		FROM console_sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT a.disabled`,
		sessionKey(id), now, now.Add(-idle))
	a := &sess.Account
	err := row.Scan(&sess.Stage, &sess.CSRFToken, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt,
		&a.ID, &a.Username, &a.Role, &a.County, &a.USCC, &a.ExpertID, &a.PasswordHash, &a.PasswordChangedAt,
		&a.PasswordToChange, &a.Disabled, &a.TOTPSecret, &a.TOTPEnrolled, &a.TOTPLastStep, &a.FailedCount, &a.LockedUntil, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return sess, ErrNotFound
	}
	if err != nil {
		return sess, err
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if _, err := s.pool.Exec(ctx, `UPDATE console_sessions SET last_seen_at = $2 WHERE id_hash = $1`, sessionKey(id), now); err != nil {
			return sess, err
		}
	}
	return sess, nil
}

// EndSession revokes a session; signedOut audits it as a sign-out.
func (s *Store) EndSession(ctx context.Context, id string, now time.Time, signedOut *AccountChange) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL`,
			sessionKey(id), now); err != nil {
			return err
		}
		if signedOut == nil {
			return nil
		}
		return auditAccount(ctx, tx, *signedOut, "console.sign_out", signedOut.Actor, nil)
	})
}

func prefixed(prefix, columns string) string {
	out := []byte{}
	start := true
	for i := 0; i < len(columns); i++ {
		ch := columns[i]
		if start && ch != ' ' && ch != '\n' && ch != '\t' {
			out = append(out, prefix...)
			start = false
		}
		if ch == ',' {
			start = true
		}
		out = append(out, ch)
	}
	return string(out)
}
