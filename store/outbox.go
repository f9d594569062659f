package store

import (
	"context"
	"errors"
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

// EnqueueReturning writes messages once each: a message whose dedupe key is
// already in the outbox is skipped, so a retried activity or a replayed
// workflow never sends it twice. It returns each message's outbox id, in
// order — the id it already had when its dedupe key was there before.
func (s *Store) EnqueueReturning(ctx context.Context, msgs ...Message) ([]int64, error) {
	var ids []int64
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		ids, err = enqueueReturning(ctx, tx, msgs...)
		return err
	})
	return ids, err
}

func enqueueReturning(ctx context.Context, tx pgx.Tx, msgs ...Message) ([]int64, error) {
	ids := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		var due *string
		if m.Due != "" {
			due = &m.Due
		}
		// The outer SELECT does not see the CTE's insert, so at most one
		// branch answers: the new id or the one already there.
		var id int64
		err := tx.QueryRow(ctx, `
			WITH ins AS (
				INSERT INTO outbox (dedupe_key, kind, audience, county_code, uscc, object_type, object_id, title, body, due, created_at)
				VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, $7, $8, $9, $10::date, $11)
				ON CONFLICT (dedupe_key) DO NOTHING
				RETURNING id)
			SELECT id FROM ins UNION ALL SELECT id FROM outbox WHERE dedupe_key = $1`,
			m.DedupeKey, m.Kind, m.Audience, m.County, m.USCC, m.ObjectType, m.ObjectID, m.Title, m.Body, due, m.CreatedAt).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// Neither, once: the same message written by another
			// transaction that committed while the insert waited on it is
			// not in this statement's snapshot. It is in the next's.
			err = tx.QueryRow(ctx, `SELECT id FROM outbox WHERE dedupe_key = $1`, m.DedupeKey).Scan(&id)
		}
		if err != nil {
			return nil, fmt.Errorf("enqueue %s: %w", m.DedupeKey, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
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

// OutboxMessage is outbox message id.
func (s *Store) OutboxMessage(ctx context.Context, id int64) (Message, error) {
	var m Message
	err := s.pool.QueryRow(ctx, `
		SELECT dedupe_key, kind, audience, coalesce(county_code, ''), coalesce(uscc, ''), object_type, object_id,
		       title, body, coalesce(to_char(due, 'YYYY-MM-DD'), ''), created_at
		FROM outbox WHERE id = $1`, id).Scan(&m.DedupeKey, &m.Kind, &m.Audience, &m.County, &m.USCC, &m.ObjectType,
		&m.ObjectID, &m.Title, &m.Body, &m.Due, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, fmt.Errorf("outbox message %d: %w", id, ErrNotFound)
	}
	return m, err
}

// OutboxMessageByKey is the outbox message with dedupeKey and its id.
func (s *Store) OutboxMessageByKey(ctx context.Context, dedupeKey string) (Message, int64, error) {
	var m Message
	var id int64
	err := s.pool.QueryRow(ctx, `
		SELECT id, dedupe_key, kind, audience, coalesce(county_code, ''), coalesce(uscc, ''), object_type, object_id,
		       title, body, coalesce(to_char(due, 'YYYY-MM-DD'), ''), created_at
		FROM outbox WHERE dedupe_key = $1`, dedupeKey).Scan(&id, &m.DedupeKey, &m.Kind, &m.Audience, &m.County, &m.USCC,
		&m.ObjectType, &m.ObjectID, &m.Title, &m.Body, &m.Due, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, 0, fmt.Errorf("outbox message %s: %w", dedupeKey, ErrNotFound)
	}
	return m, id, err
}

// UndeliveredMessagesByKey are the outbox messages with any of dedupeKeys
// whose delivery never began, and their ids, in one round trip: keys with
// no message, and messages a delivery has attempted — delivered, failing or
// given up —, are left out. A delivery's workflow ID refuses a second start
// only while Temporal keeps the closed run; a message a delivery gave up
// on months ago is not sent again.
func (s *Store) UndeliveredMessagesByKey(ctx context.Context, dedupeKeys []string) ([]Message, []int64, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, dedupe_key, kind, audience, coalesce(county_code, ''), coalesce(uscc, ''), object_type, object_id,
		       title, body, coalesce(to_char(due, 'YYYY-MM-DD'), ''), created_at
		FROM outbox o WHERE dedupe_key = ANY($1) AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = o.id)
		ORDER BY id`, dedupeKeys)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var msgs []Message
	var ids []int64
	for rows.Next() {
		var m Message
		var id int64
		if err := rows.Scan(&id, &m.DedupeKey, &m.Kind, &m.Audience, &m.County, &m.USCC,
			&m.ObjectType, &m.ObjectID, &m.Title, &m.Body, &m.Due, &m.CreatedAt); err != nil {
			return nil, nil, err
		}
		msgs, ids = append(msgs, m), append(ids, id)
	}
	return msgs, ids, rows.Err()
}

// Delivery is the log of one message's delivery by one channel.
type Delivery struct {
	ID          string     `json:"delivery_id"` // message id / channel
	MessageID   int64      `json:"message_id"`
	Channel     string     `json:"channel"` // webhook:<name> | email
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// BeginDelivery counts an attempt of delivery id and returns its number; it
// counts nothing and reports delivered when a receiver already confirmed it.
func (s *Store) BeginDelivery(ctx context.Context, id string, messageID int64, channel string) (attempt int, delivered bool, err error) {
	err = s.pool.QueryRow(ctx, `
		INSERT INTO deliveries (delivery_id, message_id, channel, attempts) VALUES ($1, $2, $3, 1)
		ON CONFLICT (delivery_id) DO UPDATE SET attempts = deliveries.attempts + 1
		WHERE deliveries.delivered_at IS NULL
		RETURNING attempts`, id, messageID, channel).Scan(&attempt)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("begin delivery %s: %w", id, err)
	}
	return attempt, false, nil
}

// EndDelivery records how an attempt of delivery id ended: confirmed at at
// when delivered, else failed; note is the failure, or what a delivery
// confirmed left undone (recipients refused for good), kept as last_error.
func (s *Store) EndDelivery(ctx context.Context, id string, at time.Time, delivered bool, note string) error {
	var err error
	if delivered {
		_, err = s.pool.Exec(ctx, `UPDATE deliveries SET delivered_at = $2, last_error = $3 WHERE delivery_id = $1`, id, at, note)
	} else {
		_, err = s.pool.Exec(ctx, `UPDATE deliveries SET last_error = $2 WHERE delivery_id = $1`, id, note)
	}
	if err != nil {
		return fmt.Errorf("end delivery %s: %w", id, err)
	}
	return nil
}

// GiveUpDelivery records that delivery id will never be made — every
// mailbox it was for refused as not existing —, with why: settled, it
// leaves the deliveries backlog.
func (s *Store) GiveUpDelivery(ctx context.Context, id string, at time.Time, note string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE deliveries SET given_up_at = $2, last_error = $3 WHERE delivery_id = $1`, id, at, note); err != nil {
		return fmt.Errorf("give up delivery %s: %w", id, err)
	}
	return nil
}

// GetDelivery is the log of delivery id.
func (s *Store) GetDelivery(ctx context.Context, id string) (Delivery, error) {
	var d Delivery
	err := s.pool.QueryRow(ctx, `
		SELECT delivery_id, message_id, channel, attempts, last_error, delivered_at FROM deliveries WHERE delivery_id = $1`,
		id).Scan(&d.ID, &d.MessageID, &d.Channel, &d.Attempts, &d.LastError, &d.DeliveredAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, fmt.Errorf("delivery %s: %w", id, ErrNotFound)
	}
	return d, err
}
