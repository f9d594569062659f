package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RELIABILITY (a message is delivered once): a process that reads, months
// after a decision, whether its writes are on record starts the delivery of
// the holder's message the step carries only if no delivery of it ever
// began. One that gave up — the holder's webhook down for its three days —
// is not sent again when its Temporal run, past retention, no longer
// refuses a second start.
func TestAMessageADeliveryBeganIsNotStartedAgain(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	for _, key := range []string{"decision/given-up", "decision/never-begun"} {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO outbox (dedupe_key, kind, audience, object_type, object_id, title, body, created_at, written_at)
			VALUES ($1, 'decision', 'applicant', 'brand', 'B1', 't', 'b', now() - interval '150 days', now() - interval '150 days')`, key); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO deliveries (delivery_id, message_id, channel, attempts, last_error, given_up_at)
		SELECT id || '/webhook:gov', id, 'webhook:gov', 40, 'connection refused', now() - interval '147 days'
		FROM outbox WHERE dedupe_key = 'decision/given-up'`); err != nil {
		t.Fatal(err)
	}
	msgs, ids, err := st.UndeliveredMessagesByKey(ctx, []string{"decision/given-up", "decision/never-begun", "decision/none"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range msgs {
		keys = append(keys, m.DedupeKey)
	}
	if fmt.Sprint(keys) != "[decision/never-begun]" || len(ids) != 1 {
		t.Errorf("messages to start: %v, want only the one no delivery began", keys)
	}
}
