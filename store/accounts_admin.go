package store

import "context"

// Account administration from the console's admin page (issue 15 item 2):
// each change audited, and every change but an unlock ends the account's
// sessions, as the changes of `laborbrand user …` do.

// EnableAccount enables a disabled account.
func (s *Store) EnableAccount(ctx context.Context, username string, by AccountChange) error {
	return s.changeAccount(ctx, username, by, "account.enable", nil, `UPDATE accounts SET disabled = false WHERE username = $1`)
}

// UnlockAccount ends a lock-out after failed sign-ins.
func (s *Store) UnlockAccount(ctx context.Context, username string, by AccountChange) error {
	return s.updateAccount(ctx, username, by, "account.unlock", nil, false,
		`UPDATE accounts SET failed_count = 0, locked_until = NULL WHERE username = $1`)
}

// ResetTOTP removes an account's second factor: its next sign-in enrols a
// new one (a lost phone).
func (s *Store) ResetTOTP(ctx context.Context, username string, by AccountChange) error {
	return s.changeAccount(ctx, username, by, "account.totp_reset", nil,
		`UPDATE accounts SET totp_enrolled = false, totp_secret = '', totp_last_step = 0 WHERE username = $1`)
}

// SetRole changes an account's role and its binding (county, USCC or
// expert id, as the role needs).
func (s *Store) SetRole(ctx context.Context, a Account, by AccountChange) error {
	return s.changeAccount(ctx, a.Username, by, "account.role",
		map[string]any{"role": a.Role, "county": a.County, "uscc": a.USCC, "expert_id": a.ExpertID},
		`UPDATE accounts SET role = $2, county_code = $3, uscc = $4, expert_id = $5 WHERE username = $1`,
		a.Role, a.County, a.USCC, a.ExpertID)
}
