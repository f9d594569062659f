package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// HolderRegistration is a brand holder's self-registration: its unit and
// contact details, kept beside its first account.
type HolderRegistration struct {
	USCC, UnitName, ContactName, ContactPhone, ContactEmail string
	// Confirmed: the contact was confirmed (or no channel is configured
	// to confirm it).
	Confirmed bool
	// MailConfirmed: ContactEmail was confirmed by the mailed link, not
	// let in unconfirmed because no relay was configured then.
	MailConfirmed bool
}

// ErrHolderRegistered is RegisterHolder's answer when the USCC already has
// an applicant account: one self-registration per holder.
var ErrHolderRegistered = errors.New("holder already registered")

// ErrHolderOnRecord is RegisterHolder's answer when the USCC already has an
// application or a brand on record (entered on its behalf, or brought over
// from the bureau's list): a self-registration proves nothing of who the
// registrant is, and the account would read that holder's records. Its
// account is opened by the bureau, which knows the holder.
var ErrHolderOnRecord = errors.New("holder has records: its account is opened by the bureau")

// RegisterHolder creates a holder's account (role applicant, bound to
// r.USCC) and its registration in one transaction, refusing a USCC that
// already has an applicant account (ErrHolderRegistered) or a user name
// taken (ErrAccountExists). When lapsedBefore is set, a registration of
// the code left unconfirmed since before it, no link of it live, gives way
// (releaseLapsed) — in this transaction, so a registration refused keeps it.
func (s *Store) RegisterHolder(ctx context.Context, a Account, r HolderRegistration, by AccountChange, lapsedBefore time.Time) (Account, error) {
	a.Role, a.USCC = "applicant", r.USCC
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		// An import checked its codes for registrations before its brands'
		// processes write them: while it holds the library, none is made.
		var free bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1)`, int64(libraryLockKey)).Scan(&free); err != nil {
			return err
		}
		if !free {
			return ErrImportInProgress
		}
		if err := lockHolderCode(ctx, tx, r.USCC); err != nil {
			return err
		}
		var onRecord bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE uscc = $1)
			OR EXISTS (SELECT 1 FROM brands WHERE uscc = $1)`, r.USCC).Scan(&onRecord); err != nil {
			return fmt.Errorf("holder %s: %w", r.USCC, err)
		}
		if onRecord {
			return ErrHolderOnRecord
		}
		if !lapsedBefore.IsZero() {
			if _, err := releaseLapsed(ctx, tx, r.USCC, lapsedBefore, by); err != nil {
				return err
			}
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'applicant' AND uscc = $1)`, r.USCC).Scan(&taken); err != nil {
			return fmt.Errorf("holder %s: %w", r.USCC, err)
		}
		if taken {
			return ErrHolderRegistered
		}
		row := tx.QueryRow(ctx, `INSERT INTO accounts (username, role, county_code, uscc, expert_id, password_hash,
			password_changed_at, created_at) VALUES ($1, $2, '', $3, '', $4, $5, $5) RETURNING `+accountColumns,
			a.Username, a.Role, a.USCC, a.PasswordHash, by.At)
		var err error
		if a, err = scanAccount(row); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23505" {
				return ErrAccountExists
			}
			return fmt.Errorf("register holder %s: %w", r.USCC, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO holder_registrations (uscc, account_id, unit_name, contact_name, contact_phone,
			contact_email, registered_at, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN $7::timestamptz END)`,
			r.USCC, a.ID, r.UnitName, r.ContactName, r.ContactPhone, r.ContactEmail, by.At, r.Confirmed)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return ErrHolderRegistered
		}
		if err != nil {
			return fmt.Errorf("register holder %s: %w", r.USCC, err)
		}
		// The audit names the unit, never the contact person or telephone.
		return auditAccount(ctx, tx, by, "account.register", a.Username,
			map[string]any{"role": a.Role, "uscc": a.USCC, "unit_name": r.UnitName, "confirmed": r.Confirmed})
	})
	return a, err
}

// releaseLapsed removes, in tx, the self-registration of uscc with its
// account when its e-mail was never confirmed, it was made before
// registeredBefore and no link it was sent can confirm it any more: a code
// typed by mistake, or by someone who could not open the unit's mail,
// then gives way to the next registration instead of holding the unit's
// code for good. With a relay configured (the caller's condition) such an
// account never got further than the confirmation page. One an admin
// disabled, or moved to another role or code, is left to the admin.
// Audited as account.registration_lapsed, by the registration it gives way
// to (or the maintenance). It reports whether it removed one.
func releaseLapsed(ctx context.Context, tx pgx.Tx, uscc string, registeredBefore time.Time, by AccountChange) (bool, error) {
	var username string
	var accountID int64
	var registeredAt time.Time
	err := tx.QueryRow(ctx, `SELECT a.id, a.username, r.registered_at
		FROM holder_registrations r JOIN accounts a ON a.id = r.account_id
		WHERE r.uscc = $1 AND r.confirmed_at IS NULL AND r.registered_at < $2
		  AND a.role = 'applicant' AND a.uscc = r.uscc AND NOT a.disabled
		FOR UPDATE OF r, a`, uscc, registeredBefore).Scan(&accountID, &username, &registeredAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("registration %s: %w", uscc, err)
	}
	// Asked after the lock, in a statement of its own: a link sent while
	// this waited for the row (重新发送) is seen, and keeps it.
	var live bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM holder_confirmations WHERE uscc = $1 AND expires_at > $2)`,
		uscc, by.At).Scan(&live); err != nil || live {
		return false, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM holder_registrations WHERE uscc = $1`, uscc); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, accountID); err != nil {
		return false, err
	}
	return true, auditAccount(ctx, tx, by, "account.registration_lapsed", username,
		map[string]any{"uscc": uscc, "registered_at": registeredAt})
}

// UnconfirmedKept is how long the maintenance keeps a self-registration
// whose e-mail was never confirmed, once no link of it is live: a week for
// its registrant to sign in and have a link sent again (重新发送). The next
// registration of its code does not wait for it (releaseLapsed).
const UnconfirmedKept = 7 * 24 * time.Hour

// ReleaseLapsedRegistrations removes, by the rule of releaseLapsed (each
// in a transaction of its own, audited as the maintenance's), up to limit
// self-registrations never confirmed, made before registeredBefore, with
// no link live at now — those of codes nobody registers again, which
// would otherwise keep their accounts and contacts for good. It answers
// how many it removed and how many it looked at. Only for a deployment
// with a mail relay: without one, a registration is confirmed as it is
// made, and one left unconfirmed by a relay since removed is an account
// that works (the console lets it in).
func (s *Store) ReleaseLapsedRegistrations(ctx context.Context, registeredBefore, now time.Time, limit int) (released, examined int64, err error) {
	rows, err := s.pool.Query(ctx, `SELECT r.uscc FROM holder_registrations r JOIN accounts a ON a.id = r.account_id
		WHERE r.confirmed_at IS NULL AND r.registered_at < $1
		  AND a.role = 'applicant' AND a.uscc = r.uscc AND NOT a.disabled
		  AND NOT EXISTS (SELECT 1 FROM holder_confirmations c WHERE c.uscc = r.uscc AND c.expires_at > $2)
		ORDER BY r.registered_at LIMIT $3`, registeredBefore, now, limit)
	if err != nil {
		return 0, 0, fmt.Errorf("lapsed registrations: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, 0, fmt.Errorf("lapsed registrations: %w", err)
	}
	by := AccountChange{At: now, Actor: "system", Role: "system"}
	for _, uscc := range codes {
		var gone bool
		err := s.InTx(ctx, func(tx pgx.Tx) (err error) {
			gone, err = releaseLapsed(ctx, tx, uscc, registeredBefore, by)
			return err
		})
		if err != nil {
			return released, int64(len(codes)), err
		}
		if gone {
			released++
		}
	}
	return released, int64(len(codes)), nil
}

// PruneConfirmations deletes up to limit confirmation links sent before
// sentBefore and spent or expired at now, whoever's: kept that long only
// for the day's limits on sending (NewConfirmation, which deletes a code's
// own as it sends again).
func (s *Store) PruneConfirmations(ctx context.Context, sentBefore, now time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM holder_confirmations WHERE token_hash IN (
		SELECT token_hash FROM holder_confirmations WHERE sent_at <= $1 AND expires_at <= $2 LIMIT $3)`,
		sentBefore, now, limit)
	if err != nil {
		return 0, fmt.Errorf("prune confirmations: %w", err)
	}
	return tag.RowsAffected(), nil
}

// HolderRegistrationOf is the self-registration of the holder with uscc,
// or ErrNotFound: a holder whose accounts an admin made, or a registration
// whose account an admin disabled or moved off the code — a stranger's
// (RULES §6), whose contact person the holder's form is never filled with
// and whose address never receives the holder's messages.
func (s *Store) HolderRegistrationOf(ctx context.Context, uscc string) (HolderRegistration, error) {
	r := HolderRegistration{USCC: uscc}
	// Let in without a link, a registration's confirmed_at is its
	// registered_at; a link opened later confirms after it.
	err := s.pool.QueryRow(ctx, `SELECT r.unit_name, r.contact_name, r.contact_phone, r.contact_email, r.confirmed_at IS NOT NULL,
		       coalesce(r.confirmed_at > r.registered_at, false)
		FROM holder_registrations r JOIN accounts a ON a.id = r.account_id
		WHERE r.uscc = $1 AND NOT a.disabled AND a.uscc = r.uscc`, uscc).Scan(&r.UnitName, &r.ContactName, &r.ContactPhone, &r.ContactEmail, &r.Confirmed, &r.MailConfirmed)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// ErrHolderSelfRegistered refuses an application the city enters for a
// holder whose code a stranger registered under at the console meanwhile
// (RULES §6): the account would read it.
var ErrHolderSelfRegistered = errors.New("a self-registered account holds the code")

// lockHolderCode orders, until tx ends, the transactions that decide who
// may act under a holder's code: a self-registration, which checks that
// nothing is on record under it, and the city's entry for the holder,
// which checks that nobody registered under it. Each sees the other's
// commit, never both pass.
func lockHolderCode(ctx context.Context, tx pgx.Tx, uscc string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(`+holderCodeLockKey+`)`, uscc); err != nil {
		return fmt.Errorf("lock holder code %s: %w", uscc, err)
	}
	return nil
}

// holderCodeLockKey is the advisory lock key of the holder code $1, the
// same for the transaction's lock and a session's (HoldHolderCode).
const holderCodeLockKey = `hashtextextended('holder-code:' || $1, 0)`

// selfRegisteredIn is SelfRegistered read through q (the pool or a
// transaction).
func selfRegisteredIn(ctx context.Context, q rowQuerier, uscc string) (bool, error) {
	var registered bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM holder_registrations r JOIN accounts a ON a.id = r.account_id
		WHERE r.uscc = $1 AND NOT a.disabled)`, uscc).Scan(&registered)
	return registered, err
}

// SelfRegistered reports whether someone registered under uscc at the
// console by themselves, with an account not disabled since: a change of a
// brand's holder to uscc would hand them the brand (RULES §4).
func (s *Store) SelfRegistered(ctx context.Context, uscc string) (bool, error) {
	return selfRegisteredIn(ctx, s.pool, uscc)
}

// USCCOverridden reports whether code is the USCC of an application the
// city entered for its holder with the check-character override (RULES §2:
// a genuine registration that fails the check, its reason audited), still
// open or admitted — not one rejected or withdrawn, whose code the review
// may have found false: the holder of such a code gets its console account
// from an administrator, who may open it though the code fails the check.
func (s *Store) USCCOverridden(ctx context.Context, code string) (bool, error) {
	var found bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications
		WHERE uscc = $1 AND coalesce(uscc_override_reason, '') <> '' AND stage NOT IN ('rejected', 'withdrawn'))`, code).Scan(&found)
	return found, err
}
