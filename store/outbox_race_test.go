package store_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// The outbox writes a message once (a retried activity never sends it
// twice): the same message written at the same moment by another
// transaction — a local activity and its remote retry — is answered with
// that message's id once the other commits, not failed for finding neither.
func TestAMessageWrittenTwiceAtOnceIsAnsweredWithItsOneID(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	now := time.Now()
	msg := store.Message{DedupeKey: "reminder/A1/county_review/1", Kind: "reminder", Audience: "county_officer", County: "530181",
		ObjectType: "application", ObjectID: "A1", Title: "提醒", Body: "正文", CreatedAt: now}

	first, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	var firstID int64
	if err := first.QueryRow(ctx, `INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, created_at)
		VALUES ($1, 'reminder', 'county_officer', '530181', 'application', 'A1', '提醒', '正文', $2) RETURNING id`, msg.DedupeKey, now).Scan(&firstID); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		ids []int64
		err error
	}
	second := make(chan answer, 1)
	go func() {
		ids, err := st.EnqueueReturning(ctx, msg)
		second <- answer{ids, err}
	}()
	awaitLockWait(t, st, "the second write")
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := <-second; got.err != nil || len(got.ids) != 1 || got.ids[0] != firstID {
		t.Errorf("the second write: %v, %v; want the first's id %d", got.ids, got.err, firstID)
	}
}
