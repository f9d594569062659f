package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Ping is the record of the foundation's hello path.
type Ping struct {
	ID        string    `json:"id"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
}

// SavePing writes p once: a retried activity finds the row already there.
func (s *Store) SavePing(ctx context.Context, p Ping, actor, role string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO pings (id, message, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
			p.ID, p.Message, p.CreatedAt)
		if err != nil {
			return fmt.Errorf("save ping %s: %w", p.ID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return AppendAudit(ctx, tx, AuditEntry{At: p.CreatedAt, Actor: actor, Role: role, Action: "ping",
			ObjectType: "ping", ObjectID: p.ID, After: p})
	})
}

// GetPing reads one ping.
func (s *Store) GetPing(ctx context.Context, id string) (Ping, error) {
	var p Ping
	err := s.pool.QueryRow(ctx, `SELECT id, message, created_at FROM pings WHERE id = $1`, id).Scan(&p.ID, &p.Message, &p.CreatedAt)
	return p, notFound(err)
}
