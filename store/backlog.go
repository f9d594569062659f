package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Backlog is one kind of work the system owes and has not done yet: how
// much, and how long the oldest has waited. Each is done by a sweep or a
// process of its own; one that only grows is one an operator must look at.
type Backlog struct {
	Kind          string
	Count         int64
	OldestSeconds float64 // 0 when there is none
}

// The kinds of backlog (the metric's `kind` label).
const (
	BacklogProcessStarts   = "process_starts"   // submissions stored whose process is not started (the starter's sweep)
	BacklogDecisionWrites  = "decision_writes"  // decisions sent whose records are not written yet (the settler)
	BacklogDeliveries      = "deliveries"       // messages to a channel not confirmed delivered and still retried (given up three days after its first attempt, its DeliveryWorkflow failed, or at once when no mailbox exists)
	BacklogCalendarFanouts = "calendar_fanouts" // calendar revisions not yet told to every process they move
	BacklogZoneTellings    = "zone_tellings"    // functional zones whose open matters are not all told their bureau
	BacklogRecordTellings  = "record_tellings"  // holders' change requests and reports not yet told to their brand's process (the starter's sweep)
)

// backlogSQL reads every backlog in one round trip; each part is served
// by an index on what is owed (or a table of a few rows).
const backlogSQL = `
	SELECT 'process_starts', count(*), extract(epoch FROM now() - min(created_at))::float8
	FROM application_starts WHERE started_at IS NULL
	UNION ALL
	SELECT 'decision_writes', count(*), extract(epoch FROM now() - min(sent_at))::float8 FROM decisions_sent
	UNION ALL
	SELECT 'deliveries', count(*), extract(epoch FROM now() - min(coalesce(o.written_at, o.created_at)))::float8
	FROM deliveries d JOIN outbox o ON o.id = d.message_id
	WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL
	  AND coalesce(d.started_at, o.written_at, o.created_at) > now() - make_interval(secs => $1)
	UNION ALL
	SELECT 'calendar_fanouts', greatest(version - fanned_out, 0),
	       CASE WHEN fanned_out < version THEN extract(epoch FROM now() - changed_at)::float8 END
	FROM calendar_version
	UNION ALL
	SELECT 'zone_tellings', count(*), extract(epoch FROM now() - min(saved_at))::float8
	FROM review_units WHERE revision > told_revision
	UNION ALL
	SELECT 'record_tellings', count(*), extract(epoch FROM now() - min(stored_at))::float8 FROM untold_updates`

// Backlogs reads how much owed work waits, by kind.
func (s *Store) Backlogs(ctx context.Context) ([]Backlog, error) {
	rows, _ := s.pool.Query(ctx, backlogSQL, records.DeliveryRetriedFor.Seconds())
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Backlog, error) {
		var b Backlog
		var oldest *float64
		err := row.Scan(&b.Kind, &b.Count, &oldest)
		if oldest != nil {
			b.OldestSeconds = max(*oldest, 0)
		}
		return b, err
	})
}
