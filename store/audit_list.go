package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditFilter selects audit entries: each field, when given, must match
// (Action as a prefix: "account." for every account change).
type AuditFilter struct {
	Actor, Action, ObjectType, ObjectID string
	Page
}

// AuditListed is one audit entry as the audit log page lists it: who did
// what to which object, and the entry's place in the hash chain. The
// before/after content stays in the database (it may hold personal data).
type AuditListed struct {
	ID         int64     `json:"id" doc:"序号（哈希链中的位置）"`
	At         time.Time `json:"at" doc:"时间"`
	Actor      string    `json:"actor" doc:"办理人（人员编号或 system）"`
	Role       string    `json:"role" doc:"办理人的角色"`
	Action     string    `json:"action" doc:"事项，如 calendar.load_year、account.locked"`
	ObjectType string    `json:"object_type" doc:"对象类型"`
	ObjectID   string    `json:"object_id" doc:"对象编号"`
	Hash       string    `json:"hash" doc:"本条的哈希（SHA-256，含上一条的哈希）"`
}

// AuditLog lists audit entries, newest first, a page at a time.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditListed, string, error) {
	k, err := f.Page.keyset()
	if err != nil {
		return nil, "", err
	}
	before, err := k.beforeSerial()
	if err != nil {
		return nil, "", err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT id, at, actor, role, action, object_type, object_id, hash FROM audit_log
		WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR starts_with(action, $2))
		  AND ($3 = '' OR object_type = $3) AND ($4 = '' OR object_id = $4)
		  AND ($5::bigint IS NULL OR id < $5)
		ORDER BY id DESC LIMIT $6`, f.Actor, f.Action, f.ObjectType, f.ObjectID, before, k.fetch())
	if err != nil {
		return nil, "", fmt.Errorf("read audit log: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AuditListed])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, list, func(a AuditListed) position { return position{at: a.At, id: strconv.FormatInt(a.ID, 10)} })
	return items, next, nil
}
