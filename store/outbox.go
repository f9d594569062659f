package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Message is one notification waiting in the outbox for delivery to an
// audience (a role, narrowed by county or USCC).
type Message struct {
	DedupeKey  string    `json:"dedupe_key"`
	Kind       string    `json:"kind"`
	Audience   string    `json:"audience"`
	County     string    `json:"county_code,omitempty"`
	USCC       string    `json:"uscc,omitempty"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Due        string    `json:"due,omitempty"` // YYYY-MM-DD
	CreatedAt  time.Time `json:"created_at"`
}

// Enqueue writes messages once each: a message whose dedupe key is already in
// the outbox is skipped, so a retried activity or a replayed workflow never
// sends it twice.
func (s *Store) Enqueue(ctx context.Context, msgs ...Message) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return enqueue(ctx, tx, msgs...) })
}

func enqueue(ctx context.Context, tx pgx.Tx, msgs ...Message) error {
	for _, m := range msgs {
		var due *string
		if m.Due != "" {
			due = &m.Due
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO outbox (dedupe_key, kind, audience, county_code, uscc, object_type, object_id, title, body, due, created_at)
			VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, $7, $8, $9, $10::date, $11)
			ON CONFLICT (dedupe_key) DO NOTHING`,
			m.DedupeKey, m.Kind, m.Audience, m.County, m.USCC, m.ObjectType, m.ObjectID, m.Title, m.Body, due, m.CreatedAt)
		if err != nil {
			return fmt.Errorf("enqueue %s: %w", m.DedupeKey, err)
		}
	}
	return nil
}

// Outbox lists messages for an audience, newest first (tests and the inbox).
func (s *Store) Outbox(ctx context.Context, objectID string) ([]Message, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT dedupe_key, kind, audience, coalesce(county_code, ''), coalesce(uscc, ''), object_type, object_id,
		       title, body, coalesce(to_char(due, 'YYYY-MM-DD'), ''), created_at
		FROM outbox WHERE object_id = $1 ORDER BY id`, objectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) {
		var m Message
		err := r.Scan(&m.DedupeKey, &m.Kind, &m.Audience, &m.County, &m.USCC, &m.ObjectType, &m.ObjectID,
			&m.Title, &m.Body, &m.Due, &m.CreatedAt)
		return m, err
	})
}
