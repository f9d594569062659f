package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// grownTables are the tables the maintenance schedule keeps bounded.
var grownTables = []string{"idempotency_keys", "outbox", "deliveries", "inbox_reads"}

// runWeek writes the rows weeks of load leave in the tables the
// maintenance prunes — at the given rates per day, evenly spread — one week
// at a time, oldest first, the last ending now; after each week it triggers
// the maintenance schedule, waits for its run, lets PostgreSQL reclaim the
// deleted rows' space for reuse (VACUUM, as autovacuum would) and measures
// the tables (docs/PERFORMANCE.md, "Tables after a week").
func runWeek(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("week", flag.ExitOnError)
	dataDir := fs.String("data-dir", "/tmp/lbweek", "the dev stack's data dir (postgres.port)")
	taddr := fs.String("temporal", "127.0.0.1:17297", "Temporal frontend")
	weeks := fs.Int("weeks", 4, "weeks of load, the last ending now; each followed by a maintenance run")
	keys := fs.Int("keys-per-day", 2000, "POSTs with an Idempotency-Key per day (each keeps its answer)")
	answer := fs.Int("answer-bytes", 2048, "size of each stored answer")
	messages := fs.Int("messages-per-day", 300, "outbox messages per day (each delivered by --channels, read by half its audience)")
	channels := fs.Int("channels", 2, "deliveries per message (webhook, email)")
	fs.Parse(args)
	ctx := context.Background()
	url, err := dbURL(cfg.DatabaseURL, *dataDir)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	tc, err := dialTemporal(ctx, *taddr)
	if err != nil {
		return err
	}
	defer tc.Close()
	logf("load: %d keyed POSTs a day (%d-byte answers), %d messages a day × %d deliveries, half of them read",
		*keys, *answer, *messages, *channels)
	for w := 1; w <= *weeks; w++ {
		// Week w covers [now − (weeks−w+1) weeks, now − (weeks−w) weeks).
		end := time.Duration(*weeks-w) * 7 * 24 * time.Hour
		t0 := time.Now()
		if err := seedWeek(ctx, st, fmt.Sprintf("w%d-", w), end, *keys, *answer, *messages, *channels); err != nil {
			return err
		}
		logf("week %d written in %s", w, time.Since(t0).Round(time.Millisecond))
		res, took, err := maintain(ctx, tc)
		if err != nil {
			return err
		}
		if _, err := st.Pool().Exec(ctx, `VACUUM ANALYZE idempotency_keys, outbox, deliveries, inbox_reads`); err != nil {
			return err
		}
		logf("maintenance after week %d took %s: deleted %d idempotency keys, %d outbox messages, %d console sessions",
			w, took.Round(time.Millisecond), res.IdempotencyKeys, res.OutboxMessages, res.ConsoleSessions)
		if err := printSizes(ctx, st, fmt.Sprintf("after week %d and its maintenance run", w)); err != nil {
			return err
		}
	}
	return nil
}

// seedWeek writes a week of load whose newest rows are end before now.
func seedWeek(ctx context.Context, st *store.Store, prefix string, end time.Duration, keys, answer, messages, channels int) error {
	ago := fmt.Sprintf("%d seconds", int(end.Seconds()))
	for _, q := range []struct {
		sql  string
		args []any
	}{
		// One key every 86400/keys-per-day seconds; answers of random-looking
		// hex, which compress about as badly as JSON with ids and names.
		{`INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, content_type, response, created_at)
			SELECT 'week-officer-' || (i % 50), 'county_officer', '530181', '', 'POST',
			       '/api/v1/applications/AWEEK' || (i % 500) || '/county-review', $1 || i, md5(i::text), 200,
			       'application/json', convert_to((SELECT string_agg(md5($1 || i || '/' || j), '') FROM generate_series(1, $3 / 32) j), 'UTF8'),
			       now() - $2::interval - (i * interval '7 days' / $4)
			FROM generate_series(0, $4 - 1) i`, []any{prefix, ago, answer, keys * 7}},
		{`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at)
			SELECT $1 || i, (ARRAY['reminder', 'escalation', 'decision'])[1 + i % 3], 'county_officer', '530181', 'brand',
			       'BWEEK' || (i % 1000), '【劳务品牌】办理期限提醒', repeat('规模品牌第' || i || '号：请于期限前办理。', 4),
			       current_date + 10, now() - $2::interval - (i * interval '7 days' / $3)
			FROM generate_series(0, $3 - 1) i`, []any{prefix, ago, messages * 7}},
		{`INSERT INTO deliveries (delivery_id, message_id, channel, attempts, delivered_at)
			SELECT o.id || '/' || c, o.id, c, 1, o.created_at + interval '2 seconds'
			FROM outbox o, unnest((ARRAY['webhook:gov', 'email'])[1:$2]) c WHERE o.dedupe_key LIKE $1 || '%'`, []any{prefix, channels}},
		{`INSERT INTO inbox_reads (sub, message_id, read_at)
			SELECT 'week-officer', id, created_at + interval '1 hour' FROM outbox WHERE dedupe_key LIKE $1 || '%' AND id % 2 = 0`, []any{prefix}},
	} {
		if _, err := st.Pool().Exec(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("seed %s: %w", prefix, err)
		}
	}
	return nil
}

// maintain triggers the worker's maintenance schedule and waits for the run.
func maintain(ctx context.Context, tc client.Client) (workflows.MaintenanceResult, time.Duration, error) {
	var res workflows.MaintenanceResult
	h := tc.ScheduleClient().GetHandle(ctx, workflows.MaintenanceScheduleID)
	before, err := h.Describe(ctx)
	if err != nil {
		return res, 0, fmt.Errorf("the worker's maintenance schedule: %w", err)
	}
	t1 := time.Now()
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		return res, 0, err
	}
	seen := len(before.Info.RecentActions)
	var runID string
	for runID == "" {
		time.Sleep(200 * time.Millisecond)
		d, err := h.Describe(ctx)
		if err != nil {
			return res, 0, err
		}
		if n := len(d.Info.RecentActions); n > 0 && (n > seen || d.Info.RecentActions[n-1].ActualTime.After(t1)) {
			runID = d.Info.RecentActions[n-1].StartWorkflowResult.WorkflowID
		}
	}
	err = tc.GetWorkflow(ctx, runID, "").Get(ctx, &res)
	return res, time.Since(t1), err
}

func printSizes(ctx context.Context, st *store.Store, when string) error {
	sizes, err := st.TableSizes(ctx, grownTables...)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| table | rows | MiB |\n|---|---:|---:|\n")
	for _, s := range sizes {
		fmt.Fprintf(&b, "| `%s` | %d | %.1f |\n", s.Table, s.Rows, float64(s.Bytes)/(1<<20))
	}
	logf("RESULT tables %s:\n%s", when, b.String())
	return nil
}
