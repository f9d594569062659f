package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// FileQuota bounds the files one record keeps: uploads are open to holders
// for as long as the record lives, and neither kind of file is ever
// deleted, so without a bound one account could fill the database.
type FileQuota struct {
	Files int
	Bytes int64
}

// The quotas: an application's materials (第十条: an overview, pictures, a
// video, licences — a few dozen files at most) and the signed scans a
// holder uploads to an application or a brand (a scan per form signed,
// over a decade's changes). The officers' scans are not counted: a holder
// who filled its own quota must not stop the county's 附件3.
var (
	AttachmentQuota = FileQuota{Files: 50, Bytes: 1 << 30}
	SignedFormQuota = FileQuota{Files: 100, Bytes: 1 << 30}
)

// ErrQuotaReached refuses a file that would take its record past its quota.
var ErrQuotaReached = errors.New("the record's file quota is reached")

// withinQuota refuses (ErrQuotaReached) a file of size more for the record
// column = id of table when it would pass q; only the files of the rows
// where also holds (a fixed condition, "true" for all) are counted. It holds
// a lock on the record's files until tx ends, so two uploads at once cannot
// both take the last room.
func withinQuota(ctx context.Context, tx pgx.Tx, table, column, id, where string, size int64, q FileQuota) error {
	if err := lockFiles(ctx, tx, table, id); err != nil {
		return err
	}
	var files int
	var bytes int64
	if err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(size), 0) FROM `+table+` WHERE `+column+` = $1 AND (`+where+`)`, id).Scan(&files, &bytes); err != nil {
		return fmt.Errorf("count files of %s: %w", id, err)
	}
	if files+1 > q.Files || bytes+size > q.Bytes {
		return ErrQuotaReached
	}
	return nil
}

// lockFiles takes, until tx ends, the lock on the files of id in table
// that withinQuota counts under; taken again in the same transaction, it
// is already held.
func lockFiles(ctx context.Context, tx pgx.Tx, table, id string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, table+"/"+id); err != nil {
		return fmt.Errorf("lock files of %s: %w", id, err)
	}
	return nil
}
