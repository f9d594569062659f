package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// writes queues statements of a transaction that need nothing from one
// another's results and sends them to PostgreSQL together: a step's
// update, history line, work queue and audit row are one round trip
// instead of one each, on the path of every decision and every re-arm.
// They run in the order queued; the first to fail is the error, named by
// what it was.
type writes struct {
	batch *pgx.Batch
	what  []string
}

func (w *writes) exec(what, sql string, args ...any) {
	if w.batch == nil {
		w.batch = &pgx.Batch{}
	}
	w.batch.Queue(sql, args...)
	w.what = append(w.what, what)
}

// send runs what is queued, in tx, and empties the queue.
func (w *writes) send(ctx context.Context, tx pgx.Tx) error {
	if len(w.what) == 0 {
		return nil
	}
	// pgx reads the batch while its results are read: the queue is
	// emptied by handing it over, not by clearing it in place.
	batch, what := w.batch, w.what
	w.batch, w.what = &pgx.Batch{}, nil
	res := tx.SendBatch(ctx, batch)
	for _, name := range what {
		if _, err := res.Exec(); err != nil {
			res.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return res.Close()
}

// lockStep locks a process's record row and then reads whether its step is
// on record already, in one round trip. The check is a statement of its
// own after the lock, so it sees a step another transaction committed
// while this one waited for the row. lockRow scans the locked row; no such
// row is ErrNotFound.
func lockStep(ctx context.Context, tx pgx.Tx, lockRow string, lockArgs []any, scan func(pgx.Row) error,
	recordedSQL, key string) (recorded bool, err error) {
	var missing bool
	b := &pgx.Batch{}
	b.Queue(lockRow, lockArgs...).QueryRow(func(r pgx.Row) error { return foundOrMissing(&missing, scan(r)) })
	b.Queue(recordedSQL, key).QueryRow(func(r pgx.Row) error { return r.Scan(&recorded) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return false, err
	}
	if missing {
		return false, ErrNotFound
	}
	return recorded, nil
}
