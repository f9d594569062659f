package store

import "github.com/jackc/pgx/v5"

// queueRows queues a query on b whose rows are collected into *into when
// the batch is read. A view's parts go to PostgreSQL together this way: one
// connection and one round trip for the whole view instead of one each.
func queueRows[T any](b *pgx.Batch, into *[]T, fn pgx.RowToFunc[T], sql string, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		out, err := pgx.CollectRows(rows, fn)
		*into = out
		return err
	})
}
