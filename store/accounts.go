package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Account is a person who signs in to the console (API.md "Web console").
// County binds a county officer, USCC an applicant, ExpertID an expert.
type Account struct {
	ID                int64
	Username          string
	Role              string
	County            string
	USCC              string
	ExpertID          string
	PasswordHash      string
	PasswordChangedAt time.Time
	// PasswordToChange: the password is a temporary one an admin set; the
	// console asks for a new one before anything else.
	PasswordToChange bool
	Disabled         bool
	TOTPSecret       string
	TOTPEnrolled     bool
	TOTPLastStep     int64
	FailedCount      int
	LockedUntil      *time.Time
	CreatedAt        time.Time
}

// ErrAccountExists is CreateAccount's answer for a user name already taken.
var ErrAccountExists = errors.New("account exists")

const accountColumns = `id, username, role, county_code, uscc, expert_id, password_hash, password_changed_at, password_to_change,
	disabled, totp_secret, totp_enrolled, totp_last_step, failed_count, locked_until, created_at`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Username, &a.Role, &a.County, &a.USCC, &a.ExpertID, &a.PasswordHash, &a.PasswordChangedAt,
		&a.PasswordToChange, &a.Disabled, &a.TOTPSecret, &a.TOTPEnrolled, &a.TOTPLastStep, &a.FailedCount, &a.LockedUntil, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// AccountChange is who changed an account, for the audit row.
type AccountChange struct {
	At    time.Time
	Actor string // the user name, or "cli" / "dev" for the tools
	Role  string
}

// auditAccount writes an account event to the audit chain. The row names
// the account and what changed, never a password, hash or secret.
func auditAccount(ctx context.Context, tx pgx.Tx, by AccountChange, action, username string, after any) error {
	return AppendAudit(ctx, tx, AuditEntry{At: by.At, Actor: by.Actor, Role: by.Role, Action: action,
		ObjectType: "account", ObjectID: username, After: after})
}

// CreateAccount stores a new account (PasswordHash already hashed; with
// PasswordToChange, one its holder must replace at the first sign-in).
func (s *Store) CreateAccount(ctx context.Context, a Account, by AccountChange) (Account, error) {
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		row := tx.QueryRow(ctx, `INSERT INTO accounts (username, role, county_code, uscc, expert_id, password_hash,
			password_changed_at, password_to_change, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) RETURNING `+accountColumns,
			a.Username, a.Role, a.County, a.USCC, a.ExpertID, a.PasswordHash, by.At, a.PasswordToChange)
		var err error
		if a, err = scanAccount(row); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23505" {
				return ErrAccountExists
			}
			return fmt.Errorf("create account %s: %w", a.Username, err)
		}
		return auditAccount(ctx, tx, by, "account.create", a.Username,
			map[string]any{"role": a.Role, "county": a.County, "uscc": a.USCC, "expert_id": a.ExpertID})
	})
	return a, err
}

// AccountByUsername reads one account, its name matched whatever the case
// of its letters (one account per name so folded: accounts_username_folded).
func (s *Store) AccountByUsername(ctx context.Context, username string) (Account, error) {
	return scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE lower(username) = lower($1)`, username))
}

// Accounts lists every account by user name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
}

// AccountFilter narrows a page of accounts: by role, by a name's start
// (any case), after the user name After (the page before's last); Limit
// bounds the page.
type AccountFilter struct {
	Role, NamePrefix, After string
	Limit                   int
}

// AccountsPage lists up to f.Limit accounts by user name, and whether more
// follow: holders register themselves, a province's by the ten thousand, so
// the admin's page reads a page at a time.
func (s *Store) AccountsPage(ctx context.Context, f AccountFilter) ([]Account, bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE ($1 = '' OR role = $1) AND ($2 = '' OR lower(username) LIKE lower($2) || '%' ESCAPE '\')
		  AND ($3 = '' OR username > $3)
		ORDER BY username LIMIT $4`, f.Role, likePrefix(f.NamePrefix), f.After, f.Limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("list accounts: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
	if err != nil || len(list) <= f.Limit {
		return list, false, err
	}
	return list[:f.Limit], true, nil
}

// AccountsOfUSCC are the accounts bound to a holder's code.
func (s *Store) AccountsOfUSCC(ctx context.Context, uscc string) ([]Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts WHERE uscc = $1 ORDER BY username`, uscc)
	if err != nil {
		return nil, fmt.Errorf("accounts of %s: %w", uscc, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
}

// likePrefix escapes LIKE's wildcards in a typed prefix.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetPassword replaces an account's password hash, unlocks it and ends its
// sessions (a changed password signs everyone out).
func (s *Store) SetPassword(ctx context.Context, username, hash string, by AccountChange) error {
	return s.replacePassword(ctx, username, hash, false, by, "account.password")
}

// ResetPassword is SetPassword for an admin's reset to a temporary
// password, audited as such: its holder must replace it at the next
// sign-in.
func (s *Store) ResetPassword(ctx context.Context, username, hash string, by AccountChange) error {
	return s.replacePassword(ctx, username, hash, true, by, "account.password_reset")
}

func (s *Store) replacePassword(ctx context.Context, username, hash string, temporary bool, by AccountChange, action string) error {
	return s.changeAccount(ctx, username, by, action, nil, `UPDATE accounts SET password_hash = $2,
		password_changed_at = $3, password_to_change = $4, failed_count = 0, locked_until = NULL WHERE username = $1`,
		hash, by.At, temporary)
}

// DisableAccount disables an account and ends its sessions.
func (s *Store) DisableAccount(ctx context.Context, username string, by AccountChange) error {
	return s.changeAccount(ctx, username, by, "account.disable", nil, `UPDATE accounts SET disabled = true WHERE username = $1`)
}

// SetTOTPSecret keeps a secret being enrolled (not yet in force), and ends
// every sign-in of the account at its enrolment stage but the one of id
// keep (the session asking, "" when it has none yet): each shows the secret
// stored now, and one left from an earlier sign-in — whoever else knew the
// password — would read the secret its holder is about to bind.
func (s *Store) SetTOTPSecret(ctx context.Context, id int64, secret, keep string, now time.Time) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE accounts SET totp_secret = $2 WHERE id = $1 AND NOT totp_enrolled`, id, secret); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE console_sessions SET revoked_at = $3
			WHERE account_id = $1 AND stage = $4 AND revoked_at IS NULL AND id_hash <> $2`, id, sessionKey(keep), now, SessionEnrol)
		return err
	})
}

// ErrTOTPSecretReplaced is an enrolment whose secret was replaced after its
// code was checked (a binding begun again in another tab): the code proves
// the old secret, which the person's authenticator may be the only one to hold.
var ErrTOTPSecretReplaced = errors.New("the TOTP secret being enrolled was replaced")

// EnrolTOTP puts in force the secret the first code was checked against
// (sealed, as stored), that code's step used.
func (s *Store) EnrolTOTP(ctx context.Context, username, sealed string, step int64, by AccountChange) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var stored string
		var enrolled bool
		if err := tx.QueryRow(ctx, `SELECT totp_secret, totp_enrolled FROM accounts WHERE username = $1 FOR UPDATE`, username).Scan(&stored, &enrolled); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if sealed == "" || stored != sealed {
			return ErrTOTPSecretReplaced
		}
		if enrolled {
			// Enrolled already by a code of the same secret (two tabs): in
			// force as it is — its later step kept, so no used code opens again.
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET totp_enrolled = true, totp_last_step = $2 WHERE username = $1`, username, step); err != nil {
			return err
		}
		return auditAccount(ctx, tx, by, "account.totp_enrol", username, nil)
	})
}

// UseTOTPStep records that a code of step was used; false when that step
// (or a later one) was used before — a code is good once.
func (s *Store) UseTOTPStep(ctx context.Context, id, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, id, step)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// changeAccount runs one UPDATE on an account by user name, revokes its
// sessions and audits action, in one transaction.
func (s *Store) changeAccount(ctx context.Context, username string, by AccountChange, action string, after any, sql string, args ...any) error {
	return s.updateAccount(ctx, username, by, action, after, true, sql, args...)
}

// updateAccount is changeAccount with the sessions' fate chosen: an unlock
// leaves the person's other signed-in devices alone.
func (s *Store) updateAccount(ctx context.Context, username string, by AccountChange, action string, after any, endSessions bool, sql string, args ...any) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		// The name as registered, whatever the case typed (RULES §6): the
		// update, the sessions and the audit row name that one.
		if err := tx.QueryRow(ctx, `SELECT username FROM accounts WHERE lower(username) = lower($1)`, username).Scan(&username); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		tag, err := tx.Exec(ctx, sql, append([]any{username}, args...)...)
		if err != nil {
			return fmt.Errorf("%s %s: %w", action, username, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if endSessions {
			if _, err := tx.Exec(ctx, `UPDATE console_sessions SET revoked_at = $2 WHERE revoked_at IS NULL
				AND account_id = (SELECT id FROM accounts WHERE username = $1)`, username, by.At); err != nil {
				return err
			}
		}
		return auditAccount(ctx, tx, by, action, username, after)
	})
}

// LockedError refuses a try at a locked account's password or code.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string { return "account locked until " + e.Until.Format(time.RFC3339) }

// ClaimSignInTry counts a try at account id's password or code before it
// is checked — a failure until it passes —, so that tries sent at once
// check no more than lockAfter between two locks (GB/T 22239-2019 8.1.4.1
// b); checked first and counted after, each would have found the account
// unlocked. It returns the try's number in the row, or a *LockedError
// while the account is locked. lockAfter tries counted and none settled
// (still being checked, or their request gone before it was) lock the
// account for lockFor now: a count that nothing settles never shuts the
// account for good.
func (s *Store) ClaimSignInTry(ctx context.Context, id int64, lockAfter int, lockFor time.Duration, by AccountChange) (int, error) {
	for {
		var n int
		err := s.pool.QueryRow(ctx, `UPDATE accounts SET failed_count = failed_count + 1, failed_at = $2
			WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2) AND failed_count < $3 RETURNING failed_count`,
			id, by.At, lockAfter).Scan(&n)
		if !errors.Is(err, pgx.ErrNoRows) {
			return n, err
		}
		var until *time.Time
		err = s.InTx(ctx, func(tx pgx.Tx) error {
			var username string
			err := tx.QueryRow(ctx, `SELECT username FROM accounts
				WHERE id = $1 AND failed_count >= $2 AND (locked_until IS NULL OR locked_until <= $3) FOR UPDATE`,
				id, lockAfter, by.At).Scan(&username)
			if errors.Is(err, pgx.ErrNoRows) { // locked already, or the count fell back meanwhile
				err = tx.QueryRow(ctx, `SELECT CASE WHEN locked_until > $2 THEN locked_until END FROM accounts WHERE id = $1`, id, by.At).Scan(&until)
				return notFound(err)
			}
			if err != nil {
				return err
			}
			lockedUntil := by.At.Add(lockFor)
			until = &lockedUntil
			return lockAccount(ctx, tx, id, username, lockAfter, lockedUntil, by)
		})
		if err != nil {
			return 0, err
		}
		if until != nil {
			return 0, &LockedError{Until: *until}
		}
		// Neither locked nor at the count: a try settled between the two
		// statements. Counted again.
	}
}

// SignInTryPassed takes back the count of a try that passed (a password
// whose code is still to come; a full sign-in starts the count again).
func (s *Store) SignInTryPassed(ctx context.Context, id int64) error {
	_, err := s.pool.Exec(ctx, `UPDATE accounts SET failed_count = greatest(failed_count - 1, 0) WHERE id = $1`, id)
	return err
}

// SignInFailed records a failed try (wrong password or code), numbered try
// by ClaimSignInTry, and at lockAfter failures in a row locks the account
// until lockFor from now and starts counting again. It reports whether
// this failure locked it.
func (s *Store) SignInFailed(ctx context.Context, a Account, reason string, try, lockAfter int, lockFor time.Duration, by AccountChange) (locked bool, err error) {
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		count := try
		if err := auditAccount(ctx, tx, by, "console.sign_in_failed", a.Username, map[string]any{"reason": reason, "failures": count}); err != nil {
			return err
		}
		if count < lockAfter {
			return nil
		}
		locked = true
		return lockAccount(ctx, tx, a.ID, a.Username, count, by.At.Add(lockFor), by)
	})
	return locked, err
}

// lockAccount locks account id until until after failures tries, starts
// its count again, and audits the lock.
func lockAccount(ctx context.Context, tx pgx.Tx, id int64, username string, failures int, until time.Time, by AccountChange) error {
	if _, err := tx.Exec(ctx, `UPDATE accounts SET failed_count = 0, locked_until = $2 WHERE id = $1`, id, until); err != nil {
		return err
	}
	return auditAccount(ctx, tx, by, "console.locked", username, map[string]any{"until": until, "failures": failures})
}

// StrangerSignInFailed audits a try at a name no account answers to, or at
// a disabled account, and counts it as ClaimSignInTry and SignInFailed
// count an account's wrong passwords, keyed by the name's fingerprint: the
// lockAfter-th try in a row locks the name until lockFor from then, and a
// try while it is locked is refused as "locked". A page that locked only
// names that exist would tell them apart by their sixth try. It returns
// the lock's end while the name is locked, by this try or an earlier one,
// and whether the try was counted (false: refused as locked before it).
func (s *Store) StrangerSignInFailed(ctx context.Context, fingerprint, reason string, lockAfter int, lockFor time.Duration, by AccountChange) (until *time.Time, counted bool, err error) {
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		until, counted = nil, false
		// One statement that inserts or locks the row: the maintenance may
		// delete it between two.
		var count int
		var lockedUntil *time.Time
		if err := tx.QueryRow(ctx, `INSERT INTO sign_in_strangers AS s (fingerprint, failed_count, touched_at) VALUES ($1, 0, $2)
			ON CONFLICT (fingerprint) DO UPDATE SET touched_at = s.touched_at
			RETURNING failed_count, locked_until`, fingerprint, by.At).Scan(&count, &lockedUntil); err != nil {
			return err
		}
		if lockedUntil != nil && lockedUntil.After(by.At) {
			until = lockedUntil
			return auditAccount(ctx, tx, by, "console.sign_in_failed", by.Actor, map[string]any{"reason": "locked"})
		}
		count, counted = count+1, true
		if err := auditAccount(ctx, tx, by, "console.sign_in_failed", by.Actor, map[string]any{"reason": reason, "failures": count}); err != nil {
			return err
		}
		if count >= lockAfter {
			end := by.At.Add(lockFor)
			until, lockedUntil, count = &end, &end, 0
			if err := auditAccount(ctx, tx, by, "console.locked", by.Actor, map[string]any{"until": end, "failures": lockAfter}); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE sign_in_strangers SET failed_count = $2, locked_until = $3, touched_at = $4 WHERE fingerprint = $1`,
			fingerprint, count, lockedUntil, by.At)
		return err
	})
	return until, counted, err
}

// SignInCountKept is how long a count of failed sign-ins in a row is kept
// after its last failure: an account's and a name's without one alike
// (ForgetSignInFailures), so that a try days later is answered the same.
const SignInCountKept = 24 * time.Hour

// ForgetSignInFailures forgets the failures in a row of accounts and of
// names without one that nobody has tried since before, up to limit each
// (and whose lock, if any, has ended by then): an account's count starts
// again, a name's row goes. It returns how many were forgotten.
func (s *Store) ForgetSignInFailures(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE accounts SET failed_count = 0 WHERE id IN (
			SELECT id FROM accounts WHERE failed_count > 0 AND coalesce(failed_at, '-infinity') < $1 AND (locked_until IS NULL OR locked_until < $1)
			ORDER BY failed_at NULLS FIRST LIMIT $2)
		  -- again here: a try counted meanwhile keeps its count
		  AND coalesce(failed_at, '-infinity') < $1 AND (locked_until IS NULL OR locked_until < $1)`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("forget accounts' sign-in failures before %s: %w", before.Format(time.RFC3339), err)
	}
	names, err := s.pruneSignInStrangers(ctx, before, limit)
	return tag.RowsAffected() + names, err
}

// pruneSignInStrangers deletes up to limit counts of names nobody has
// tried since before (and whose lock, if any, has ended by then).
func (s *Store) pruneSignInStrangers(ctx context.Context, before time.Time, limit int) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
		DELETE FROM sign_in_strangers WHERE fingerprint IN (
			SELECT fingerprint FROM sign_in_strangers
			WHERE touched_at < $1 AND (locked_until IS NULL OR locked_until < $1)
			ORDER BY touched_at LIMIT $2)
		  AND touched_at < $1 AND (locked_until IS NULL OR locked_until < $1) -- a try meanwhile keeps its row`, before, limit)
	if err != nil {
		return 0, fmt.Errorf("prune sign-in counts untouched since %s: %w", before.Format(time.RFC3339), err)
	}
	return tag.RowsAffected(), nil
}

// AuditSignInRefused audits a sign-in refused before any password counted:
// a locked account's (a stranger's is StrangerSignInFailed's).
func (s *Store) AuditSignInRefused(ctx context.Context, username, reason string, by AccountChange) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		return auditAccount(ctx, tx, by, "console.sign_in_failed", username, map[string]any{"reason": reason})
	})
}
