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

// grownTables are the tables the maintenance schedule keeps bounded, and
// those it leaves to grow with the registry.
var grownTables = []string{"idempotency_keys", "outbox", "deliveries", "inbox_reads", "audit_log", "tasks"}

// runWeek writes the rows days of load leave in the tables the maintenance
// prunes — at the given rates per day, spread evenly over the days before
// now — measures the tables, triggers the maintenance schedule, waits for
// its run and measures again (docs/PERFORMANCE.md, "Tables after a week").
func runWeek(cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("week", flag.ExitOnError)
	dataDir := fs.String("data-dir", "/tmp/lbweek", "the dev stack's data dir (postgres.port)")
	taddr := fs.String("temporal", "127.0.0.1:17297", "Temporal frontend")
	days := fs.Int("days", 14, "days of load to write, ending now")
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

	t0 := time.Now()
	span := fmt.Sprintf("%d days", *days)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		// One key every 86400/keys-per-day seconds, the newest now.
		{`INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, content_type, response, created_at)
			SELECT 'week-officer-' || (i % 50), 'county_officer', '530181', '', 'POST',
			       '/api/v1/applications/AWEEK' || (i % 500) || '/county-review', 'week-' || i, md5(i::text), 200,
			       'application/json', convert_to((SELECT string_agg(md5(i::text || '/' || j), '') FROM generate_series(1, $2 / 32) j), 'UTF8'),
			       now() - (i * $1::interval / $3)
			FROM generate_series(0, $3 - 1) i`, []any{span, *answer, *keys * *days}},
		{`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at)
			SELECT 'week-' || i, (ARRAY['reminder', 'escalation', 'decision'])[1 + i % 3], 'county_officer', '530181', 'brand',
			       'BWEEK' || (i % 1000), '【劳务品牌】办理期限提醒', repeat('规模品牌第' || i || '号：请于期限前办理。', 4),
			       current_date + 10, now() - (i * $1::interval / $2)
			FROM generate_series(0, $2 - 1) i`, []any{span, *messages * *days}},
		{`INSERT INTO deliveries (delivery_id, message_id, channel, attempts, delivered_at)
			SELECT o.id || '/' || c, o.id, c, 1, o.created_at + interval '2 seconds'
			FROM outbox o, unnest((ARRAY['webhook:gov', 'email'])[1:$1]) c WHERE o.dedupe_key LIKE 'week-%'`, []any{*channels}},
		{`INSERT INTO inbox_reads (sub, message_id, read_at)
			SELECT 'week-officer', id, created_at + interval '1 hour' FROM outbox WHERE dedupe_key LIKE 'week-%' AND id % 2 = 0`, nil},
	} {
		if _, err := st.Pool().Exec(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	if _, err := st.Pool().Exec(ctx, `ANALYZE`); err != nil {
		return err
	}
	logf("wrote %d days of load in %s: %d keyed POSTs/day (%d-byte answers), %d messages/day × %d deliveries",
		*days, time.Since(t0).Round(time.Millisecond), *keys, *answer, *messages, *channels)
	if err := printSizes(ctx, st, fmt.Sprintf("after %d days, before maintenance", *days)); err != nil {
		return err
	}

	h := tc.ScheduleClient().GetHandle(ctx, workflows.MaintenanceScheduleID)
	before, err := h.Describe(ctx)
	if err != nil {
		return fmt.Errorf("the worker's maintenance schedule: %w", err)
	}
	t1 := time.Now()
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		return err
	}
	var runID string
	for runID == "" {
		time.Sleep(200 * time.Millisecond)
		d, err := h.Describe(ctx)
		if err != nil {
			return err
		}
		if n := len(d.Info.RecentActions); n > len(before.Info.RecentActions) || (n > 0 && d.Info.RecentActions[n-1].ActualTime.After(t1)) {
			runID = d.Info.RecentActions[n-1].StartWorkflowResult.WorkflowID
		}
	}
	var res workflows.MaintenanceResult
	if err := tc.GetWorkflow(ctx, runID, "").Get(ctx, &res); err != nil {
		return fmt.Errorf("maintenance run %s: %w", runID, err)
	}
	logf("RESULT maintenance run %s took %s: deleted %d idempotency keys, %d outbox messages, %d console sessions",
		runID, time.Since(t1).Round(time.Millisecond), res.IdempotencyKeys, res.OutboxMessages, res.ConsoleSessions)
	return printSizes(ctx, st, "after the maintenance run")
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
