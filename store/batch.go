package store

import (
	"errors"

	"github.com/jackc/pgx/v5"
)

// queueRows queues a query on b whose rows are collected into *into when
// the batch is read. A view's parts go to PostgreSQL together this way: one
// connection and, once its statements are prepared, one round trip for the
// whole view instead of one each.
func queueRows[T any](b *pgx.Batch, into *[]T, fn pgx.RowToFunc[T], sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		out, err := pgx.CollectRows(rows, fn)
		*into = out
		return err
	})
}

// foundOrMissing is a batched view's first part, its record's row: no row
// sets *missing instead of failing the batch, as pgx empties the
// connection's statement cache of a batch that fails, and a 404 would
// make the next view prepare its statements again.
func foundOrMissing(missing *bool, scanErr error) error {
	if errors.Is(scanErr, pgx.ErrNoRows) {
		*missing = true
		return nil
	}
	return scanErr
}
