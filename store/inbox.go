package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// MessagePath is where a person acts on a message's object in the console:
// a returned application's holder at its resubmission form, anyone else at
// the application's or the brand's page. The inbox links there, and a mail
// carries it after LB_PUBLIC_URL (a person reads a mail, not the API).
func MessagePath(kind, objectType, objectID string) string {
	switch {
	case kind == ReturnedKind:
		return "/holder/applications/" + objectID + "/resubmit"
	case objectType == "application":
		return "/applications/" + objectID
	case objectType == "brand":
		return "/brands/" + objectID
	}
	return ""
}

// InboxItem is a message in a user's in-app inbox.
type InboxItem struct {
	ID         int64     `json:"id" doc:"编号"`
	At         time.Time `json:"at" doc:"发送时间"`
	Kind       string    `json:"kind" doc:"消息类型"`
	Title      string    `json:"title" doc:"标题"`
	Body       string    `json:"body" doc:"正文"`
	ObjectType string    `json:"object_type" doc:"所涉对象：application 或 brand"`
	ObjectID   string    `json:"object_id" doc:"所涉申请或品牌的编号"`
	Due        *string   `json:"due" format:"date" doc:"相关期限（含当日）"`
	Read       bool      `json:"read" doc:"已读"`
}

// InboxFilter selects the messages addressed to one user: its role, and for
// a county officer its county, for a holder its USCC.
type InboxFilter struct {
	Sub, Audience, County, USCC string
	UnreadOnly                  bool
	Page
}

// Inbox lists a page of a user's messages, newest first (by their number,
// the order they were sent in), and the cursor of the next page.
func (s *Store) Inbox(ctx context.Context, f InboxFilter) ([]InboxItem, string, error) {
	k, err := f.keyset()
	if err != nil {
		return nil, "", err
	}
	before, err := k.beforeSerial()
	if err != nil {
		return nil, "", err
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT o.id, o.created_at, o.kind, o.title, o.body, o.object_type, o.object_id,
		       to_char(o.due, 'YYYY-MM-DD'), r.sub IS NOT NULL
		FROM outbox o LEFT JOIN inbox_reads r ON r.message_id = o.id AND r.sub = $1
		WHERE o.audience = $2 AND ($3 = '' OR o.county_code = $3) AND ($4 = '' OR o.uscc = $4)
		  AND (NOT $5 OR r.sub IS NULL) AND ($7::bigint IS NULL OR o.id < $7)
		ORDER BY o.id DESC LIMIT $6`, f.Sub, f.Audience, f.County, f.USCC, f.UnreadOnly, k.fetch(), before)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[InboxItem])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, items, func(m InboxItem) position { return position{m.At, strconv.FormatInt(m.ID, 10)} })
	return items, next, nil
}

// MarkRead marks message id read for sub, if it is addressed to f.
func (s *Store) MarkRead(ctx context.Context, f InboxFilter, id int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO inbox_reads (sub, message_id, read_at)
		SELECT $1, id, $6 FROM outbox WHERE id = $5 AND audience = $2 AND ($3 = '' OR county_code = $3) AND ($4 = '' OR uscc = $4)
		ON CONFLICT DO NOTHING`, f.Sub, f.Audience, f.County, f.USCC, id, at)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbox_reads WHERE sub = $1 AND message_id = $2)`, f.Sub, id).Scan(&exists); err != nil {
			return err // a read that failed is not "no such message"
		}
		if !exists {
			return ErrNotFound
		}
	}
	return nil
}
