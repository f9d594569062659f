package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one decision, draw, override, calendar edit or export
// (RULES §6). Before and After are marshalled to JSON.
type AuditEntry struct {
	At         time.Time
	Actor      string
	Role       string
	Action     string
	ObjectType string
	ObjectID   string
	Before     any
	After      any
}

// AppendAudit writes e as the next link of the hash chain, inside tx so that
// the record it describes and its audit row commit together. Appends are
// serialised by a transaction-scoped advisory lock: the chain has one order.
func AppendAudit(ctx context.Context, tx pgx.Tx, e AuditEntry) error {
	w := &writes{}
	if err := queueAudit(w, e); err != nil {
		return err
	}
	return w.send(ctx, tx)
}

// queueAudit queues e's row on w, behind the lock that keeps the chain in
// order; the lock is held until the transaction ends.
func queueAudit(w *writes, e AuditEntry) error {
	before, err := jsonOrNil(e.Before)
	if err != nil {
		return fmt.Errorf("audit %s %s: before: %w", e.Action, e.ObjectID, err)
	}
	after, err := jsonOrNil(e.After)
	if err != nil {
		return fmt.Errorf("audit %s %s: after: %w", e.Action, e.ObjectID, err)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	w.exec("lock audit chain", `SELECT pg_advisory_xact_lock(hashtext('audit_log'))`)
	w.exec("append audit "+e.Action+" "+e.ObjectID, `
		WITH prev AS (SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS hash),
		     next AS (SELECT nextval('audit_log_id_seq') AS id)
		INSERT INTO audit_log (id, at, actor, role, action, object_type, object_id, before, after, prev_hash, hash)
		SELECT next.id, $1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, prev.hash,
		       audit_hash(prev.hash, next.id, $1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
		FROM prev, next`,
		e.At.UTC().Truncate(time.Microsecond), e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectID, before, after)
	return nil
}

func jsonOrNil(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// AuditBreak names the first row at which the chain does not hold.
type AuditBreak struct {
	ID     int64
	Reason string
}

// VerifyAudit recomputes the hash chain. It returns the number of rows checked
// and, when the chain is broken, the first row that breaks it.
func (s *Store) VerifyAudit(ctx context.Context) (int64, *AuditBreak, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, prev_hash, hash,
		       audit_hash(prev_hash, id, at, actor, role, action, object_type, object_id, before, after)
		FROM audit_log ORDER BY id`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var n int64
	prev := ""
	for rows.Next() {
		var id int64
		var prevHash, hash, recomputed string
		if err := rows.Scan(&id, &prevHash, &hash, &recomputed); err != nil {
			return n, nil, err
		}
		n++
		switch {
		case prevHash != prev:
			return n, &AuditBreak{ID: id, Reason: "prev_hash does not match the hash of the row before (a row was removed or reordered)"}, nil
		case hash != recomputed:
			return n, &AuditBreak{ID: id, Reason: "hash does not match the row's content (the row was edited)"}, nil
		}
		prev = hash
	}
	return n, nil, rows.Err()
}

// AuditHash is the hash of audit row id, "" when there is no such row; the
// last row's when id is 0, with its id. A chain cut short at its end still
// verifies: the head written down elsewhere and checked again shows it.
func (s *Store) AuditHash(ctx context.Context, id int64) (int64, string, error) {
	var hash string
	err := s.pool.QueryRow(ctx, `SELECT id, hash FROM audit_log WHERE id = $1 OR ($1 = 0 AND id = (SELECT max(id) FROM audit_log))`, id).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return id, "", nil
	}
	return id, hash, err
}

// AuditRow is an audit entry as stored.
type AuditRow struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	Role       string          `json:"role"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	After      json.RawMessage `json:"after,omitempty"`
}

// AuditFor lists the audit rows of one object, oldest first.
func (s *Store) AuditFor(ctx context.Context, objectType, objectID string) ([]AuditRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, at, actor, role, action, object_type, object_id, coalesce(after::text, 'null')
		FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id`, objectType, objectID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditRow, error) {
		var a AuditRow
		var after string
		err := r.Scan(&a.ID, &a.At, &a.Actor, &a.Role, &a.Action, &a.ObjectType, &a.ObjectID, &after)
		a.After = json.RawMessage(after)
		return a, err
	})
}

// Audit appends e on its own: a record that is not written with a step,
// such as an export (RULES §6).
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.InTx(ctx, func(tx pgx.Tx) error { return AppendAudit(ctx, tx, e) })
}
