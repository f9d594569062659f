package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DraftMaxBytes bounds a draft's fields as stored (the table checks it too).
const DraftMaxBytes = 128 << 10

// ErrDraftTooLarge is SaveDraft's answer for fields beyond DraftMaxBytes.
var ErrDraftTooLarge = errors.New("draft too large")

// ApplicationDraft is a holder's 推荐表 as typed, not yet submitted:
// ApplicationID is "" for a new one, or the returned application it
// corrects.
type ApplicationDraft struct {
	USCC, ApplicationID string
	Fields              map[string]string
	UpdatedAt           time.Time
	UpdatedBy           string
}

// SaveDraft keeps d, replacing the holder's earlier draft for the same
// purpose.
func (s *Store) SaveDraft(ctx context.Context, d ApplicationDraft) error {
	b, err := json.Marshal(d.Fields)
	if err != nil {
		return fmt.Errorf("draft %s: %w", d.USCC, err)
	}
	if len(b) > DraftMaxBytes {
		return ErrDraftTooLarge
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO application_drafts (uscc, application_id, fields, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (uscc, application_id)
		DO UPDATE SET fields = EXCLUDED.fields, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
		d.USCC, d.ApplicationID, b, d.UpdatedAt, d.UpdatedBy)
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23514":
		// The table measures the draft as jsonb prints it (a space after
		// each colon and comma, < and > unescaped): a draft just under the
		// limit here can be over it there.
		return ErrDraftTooLarge
	case err != nil:
		return fmt.Errorf("draft %s: %w", d.USCC, err)
	}
	return nil
}

// Draft is the holder's draft for applicationID ("" for a new 推荐表), or
// ErrNotFound.
func (s *Store) Draft(ctx context.Context, uscc, applicationID string) (ApplicationDraft, error) {
	d := ApplicationDraft{USCC: uscc, ApplicationID: applicationID}
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT fields, updated_at, updated_by FROM application_drafts
		WHERE uscc = $1 AND application_id = $2`, uscc, applicationID).Scan(&raw, &d.UpdatedAt, &d.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, fmt.Errorf("draft %s: %w", uscc, err)
	}
	if err := json.Unmarshal(raw, &d.Fields); err != nil {
		return d, fmt.Errorf("draft %s: %w", uscc, err)
	}
	return d, nil
}

// DeleteDraft forgets the draft once its 推荐表 is submitted.
func (s *Store) DeleteDraft(ctx context.Context, uscc, applicationID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM application_drafts WHERE uscc = $1 AND application_id = $2`, uscc, applicationID)
	return err
}
