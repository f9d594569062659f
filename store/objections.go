package store

import (
	"context"
	"fmt"
	"time"
)

// ObjectionDraft is an objection as received, with the objector's identity,
// before the application's process accepts it.
type ObjectionDraft struct {
	ID            string
	ApplicationID string
	Via           string // public | mail
	ReceivedOn    string
	Name          string
	Contact       string
	Content       string
	Evidence      string
	CreatedAt     time.Time
}

// SaveObjectionDraft stores an objection with its objector's identity; the
// identity never leaves PostgreSQL (RULES §6).
func (s *Store) SaveObjectionDraft(ctx context.Context, o ObjectionDraft) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		o.ID, o.ApplicationID, o.Via, o.ReceivedOn, o.Name, o.Contact, o.Content, o.Evidence, o.CreatedAt)
	if err != nil {
		return fmt.Errorf("save objection: %w", err)
	}
	return nil
}

// DeleteObjectionDraft removes an objection the process refused.
func (s *Store) DeleteObjectionDraft(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM objections WHERE id = $1 AND status = 'draft'`, id)
	return err
}

// ObjectionReceipt is what an objector is told.
type ObjectionReceipt struct {
	ID         string  `json:"id"`
	ReceivedOn string  `json:"received_on"`
	RulingDue  *string `json:"ruling_due"`
}

// GetObjectionReceipt reads an objection's receipt.
func (s *Store) GetObjectionReceipt(ctx context.Context, id string) (ObjectionReceipt, string, error) {
	var r ObjectionReceipt
	var appID string
	err := s.pool.QueryRow(ctx, `SELECT id, to_char(received_on, 'YYYY-MM-DD'), to_char(ruling_due, 'YYYY-MM-DD'), application_id
		FROM objections WHERE id = $1`, id).Scan(&r.ID, &r.ReceivedOn, &r.RulingDue, &appID)
	return r, appID, notFound(err)
}
