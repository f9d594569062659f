package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// A holder's e-mail confirmation (issue 16 item 1): the console mails a
// link with a random token; the database keeps only the token's SHA-256
// (holder_confirmations), good once and until it expires.

// ConfirmationLimit bounds how often a confirmation is mailed to a holder:
// at most once every Gap, and PerDay times in any 24 hours — and to one
// address, whichever registrations name it, PerAddressDay times in any 24
// hours: an address anyone may type into a registration (someone else's)
// is not mailed without end by registering code after code.
type ConfirmationLimit struct {
	Gap           time.Duration
	PerDay        int
	PerAddressDay int
}

// ConfirmationRefused is NewConfirmation's answer beyond the limit: Wait is
// how long until one may be sent; Daily, the day's sends are used up.
type ConfirmationRefused struct {
	Wait  time.Duration
	Daily bool
}

func (e *ConfirmationRefused) Error() string {
	return fmt.Sprintf("confirmation sent too often: wait %s", e.Wait)
}

// ErrConfirmed is NewConfirmation's answer for a holder already confirmed.
var ErrConfirmed = errors.New("holder already confirmed")

func confirmationKey(token string) []byte {
	sum := sha256.Sum256([]byte("holder-confirmation\x00" + token))
	return sum[:]
}

// PendingConfirmation is the self-registration of account accountID while
// its contact is not confirmed; false when it is (or the account has no
// self-registration).
func (s *Store) PendingConfirmation(ctx context.Context, accountID int64) (HolderRegistration, bool, error) {
	var r HolderRegistration
	err := s.pool.QueryRow(ctx, `SELECT uscc, unit_name, contact_name, contact_phone, contact_email
		FROM holder_registrations WHERE account_id = $1 AND confirmed_at IS NULL`, accountID).
		Scan(&r.USCC, &r.UnitName, &r.ContactName, &r.ContactPhone, &r.ContactEmail)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// NewConfirmation records the link token about to be mailed to the holder
// uscc at address, good for ttl, the holder's address changed to address
// first when it differs (a registrant correcting a mistyped one). Beyond
// limit it records nothing and answers *ConfirmationRefused. Audited
// without the address (RULES §6).
func (s *Store) NewConfirmation(ctx context.Context, uscc, address, token string, ttl time.Duration, limit ConfirmationLimit, by AccountChange) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var current string
		var confirmed bool
		err := tx.QueryRow(ctx, `SELECT contact_email, confirmed_at IS NOT NULL FROM holder_registrations WHERE uscc = $1 FOR UPDATE`,
			uscc).Scan(&current, &confirmed)
		if err != nil {
			return fmt.Errorf("registration %s: %w", uscc, notFound(err))
		}
		if confirmed {
			return ErrConfirmed
		}
		day := by.At.Add(-24 * time.Hour)
		// Links a day old and spent or expired, whoever's: the limits
		// below count the day's sends, links confirmed too.
		if _, err := tx.Exec(ctx, `DELETE FROM holder_confirmations WHERE sent_at <= $1 AND expires_at <= $2`, day, by.At); err != nil {
			return err
		}
		var last, oldest *time.Time
		var sends int
		if err := tx.QueryRow(ctx, `SELECT max(sent_at), min(sent_at), count(*) FROM holder_confirmations
			WHERE uscc = $1 AND sent_at > $2`, uscc, day).Scan(&last, &oldest, &sends); err != nil {
			return err
		}
		switch {
		case limit.PerDay > 0 && sends >= limit.PerDay:
			return &ConfirmationRefused{Wait: oldest.Add(24 * time.Hour).Sub(by.At), Daily: true}
		case last != nil && last.Add(limit.Gap).After(by.At):
			return &ConfirmationRefused{Wait: last.Add(limit.Gap).Sub(by.At)}
		}
		if limit.PerAddressDay > 0 {
			// Registrations of several codes may mail one address at once:
			// counted one after the other.
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('confirmation-address:' || lower($1), 0))`, address); err != nil {
				return err
			}
			var toAddress int
			var first *time.Time
			if err := tx.QueryRow(ctx, `SELECT count(*), min(sent_at) FROM holder_confirmations
				WHERE lower(address) = lower($1) AND sent_at > $2`, address, day).Scan(&toAddress, &first); err != nil {
				return err
			}
			if toAddress >= limit.PerAddressDay {
				return &ConfirmationRefused{Wait: first.Add(24 * time.Hour).Sub(by.At), Daily: true}
			}
		}
		if address != current {
			if _, err := tx.Exec(ctx, `UPDATE holder_registrations SET contact_email = $2 WHERE uscc = $1`, uscc, address); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO holder_confirmations (token_hash, uscc, address, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			confirmationKey(token), uscc, address, by.At, by.At.Add(ttl)); err != nil {
			return fmt.Errorf("confirmation of %s: %w", uscc, err)
		}
		return auditAccount(ctx, tx, by, "account.confirmation_sent", by.Actor,
			map[string]any{"uscc": uscc, "channel": "email", "address_changed": address != current, "expires_at": by.At.Add(ttl)})
	})
}

// ConfirmHolder confirms the contact of the holder whose link carries
// token, once: every link of the holder is then spent. It answers the
// account's user name, or ErrNotFound for a link unknown, spent, expired
// or mailed to an address the holder has since corrected.
func (s *Store) ConfirmHolder(ctx context.Context, token string, now time.Time) (string, error) {
	var username string
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var uscc string
		err := tx.QueryRow(ctx, `SELECT r.uscc, a.username FROM holder_confirmations c
			JOIN holder_registrations r ON r.uscc = c.uscc JOIN accounts a ON a.id = r.account_id
			WHERE c.token_hash = $1 AND c.expires_at > $2 AND c.address = r.contact_email AND r.confirmed_at IS NULL
			FOR UPDATE OF r`,
			confirmationKey(token), now).Scan(&uscc, &username)
		if err != nil {
			return fmt.Errorf("confirmation link: %w", notFound(err))
		}
		if _, err := tx.Exec(ctx, `UPDATE holder_registrations SET confirmed_at = $2 WHERE uscc = $1`, uscc, now); err != nil {
			return err
		}
		// Every link of the holder is spent — kept until a day old, as the
		// per-address limit counts the day's sends.
		if _, err := tx.Exec(ctx, `UPDATE holder_confirmations SET expires_at = least(expires_at, $2) WHERE uscc = $1`, uscc, now); err != nil {
			return err
		}
		return auditAccount(ctx, tx, AccountChange{At: now, Actor: username, Role: "applicant"}, "account.confirm", username,
			map[string]any{"uscc": uscc, "channel": "email"})
	})
	return username, err
}
