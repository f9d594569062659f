package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

var maintenanceInput = workflows.MaintenanceInput{IdempotencyRetention: 7 * 24 * time.Hour,
	OutboxRetention: 365 * 24 * time.Hour, SessionRetention: 30 * 24 * time.Hour}

// seedOldRows writes one idempotency key and one settled message past a
// week's and a year's retention, and one of each within them.
func seedOldRows(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, created_at)
		 VALUES ('c', 'city_officer', '', '', 'POST', '/x', 'old', 'h', 200, now() - interval '8 days'),
		        ('c', 'city_officer', '', '', 'POST', '/x', 'new', 'h', 200, now() - interval '1 day')`,
		`INSERT INTO outbox (dedupe_key, kind, audience, object_type, object_id, title, body, created_at, written_at)
		 VALUES ('old', 'reminder', 'city_officer', 'brand', 'B1', 't', 'b', now() - interval '400 days', now() - interval '400 days'),
		        ('new', 'reminder', 'city_officer', 'brand', 'B1', 't', 'b', now() - interval '10 days', now() - interval '10 days')`,
	} {
		if _, err := st.Pool().Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

func left(t *testing.T, st *store.Store, table string) string {
	var keys []string
	rows, err := st.Pool().Query(context.Background(), `SELECT `+map[string]string{"idempotency_keys": "key", "outbox": "dedupe_key"}[table]+` FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	return strings.Join(keys, ",")
}

func TestMaintenanceWorkflowPrunesWhatOutlivedItsRetention(t *testing.T) {
	st := testenv.Store(t)
	seedOldRows(t, st)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testLogger(t))
	env := suite.NewTestWorkflowEnvironment()
	worker.Register(env, &activities.Activities{Store: st})
	env.ExecuteWorkflow(workflows.MaintenanceWorkflowType, maintenanceInput)
	var res workflows.MaintenanceResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if want := (workflows.MaintenanceResult{IdempotencyKeys: 1, OutboxMessages: 1}); res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	if k, o := left(t, st, "idempotency_keys"), left(t, st, "outbox"); k != "new" || o != "new" {
		t.Errorf("left: keys %q, messages %q; want new and new", k, o)
	}
}

// A prune whose database does not answer is retried, backing off from 5 s
// to 5 min, then the run fails naming it; the other prunes have done their
// work meanwhile. The waits pass in the time-skipping environment's time.
// (In production the retries go on for an hour, ScheduleToCloseTimeout; the
// test environment stops an unlimited retry policy after 10 attempts.)
func TestMaintenanceWorkflowRetriesAFailingPruneWithoutHoldingUpTheOthers(t *testing.T) {
	st := testenv.Store(t)
	seedOldRows(t, st)
	unreachable, err := store.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer unreachable.Close()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testLogger(t))
	env := suite.NewTestWorkflowEnvironment()
	worker.Register(env, &activities.Activities{Store: st})
	down := &activities.Activities{Store: unreachable}
	var attempts []time.Time
	env.OnActivity(workflows.ActivityPruneConsoleSessions, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, retention time.Duration) (int64, error) {
			attempts = append(attempts, env.Now())
			return down.PruneConsoleSessions(ctx, retention)
		})
	env.ExecuteWorkflow(workflows.MaintenanceWorkflowType, maintenanceInput)
	err = env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), workflows.ActivityPruneConsoleSessions) {
		t.Fatalf("the run ended with %v; want the failing prune named", err)
	}
	var waits []string
	for i := 1; i < len(attempts); i++ {
		waits = append(waits, attempts[i].Sub(attempts[i-1]).Round(time.Second).String())
	}
	if got, want := strings.Join(waits, " "), "5s 10s 20s 40s 1m20s 2m40s 5m0s 5m0s 5m0s"; got != want {
		t.Errorf("waits between attempts: %s; want %s", got, want)
	}
	if k, o := left(t, st, "idempotency_keys"), left(t, st, "outbox"); k != "new" || o != "new" {
		t.Errorf("left: keys %q, messages %q; the other prunes should have run", k, o)
	}
}

// auditRows writes n audit rows, as the registry's writes do.
func auditRows(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		err := st.InTx(ctx, func(tx pgx.Tx) error {
			return store.AppendAudit(ctx, tx, store.AuditEntry{At: time.Now(), Actor: "officer-anning", Role: "county_officer",
				Action: "county_review.approve", ObjectType: "application", ObjectID: fmt.Sprintf("APP-%d", i)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// runMaintenanceAt runs one maintenance run started at the given instant,
// every hour, and returns its result and error; scheduled, when not zero,
// is the instant its schedule started it for.
func runMaintenanceAt(t *testing.T, st *store.Store, at time.Time, scheduled ...time.Time) (workflows.MaintenanceResult, error, int) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(testLogger(t))
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(at)
	if len(scheduled) > 0 {
		key := temporal.NewSearchAttributeKeyTime("TemporalScheduledStartTime")
		if err := env.SetTypedSearchAttributesOnStart(temporal.NewSearchAttributes(key.ValueSet(scheduled[0]))); err != nil {
			t.Fatal(err)
		}
	}
	worker.Register(env, &activities.Activities{Store: st})
	checks := 0
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == workflows.ActivityVerifyAuditChain {
			checks++
		}
	})
	in := maintenanceInput
	in.Every = time.Hour
	env.ExecuteWorkflow(workflows.MaintenanceWorkflowType, in)
	var res workflows.MaintenanceResult
	err := env.GetWorkflowError()
	if err == nil {
		err = env.GetWorkflowResult(&res)
	}
	return res, err, checks
}

// RULES §6: the audit trail's hash chain is checked every night by the
// maintenance run whose hour holds 03:00 (Asia/Shanghai), beside its
// prunes; its head is kept in the run's result. The other runs of the day
// do not read the whole log.
func TestMaintenanceChecksTheAuditChainOnceANight(t *testing.T) {
	st := testenv.Store(t)
	auditRows(t, st, 3)
	night := time.Date(2026, 12, 8, 3, 20, 0, 0, calendar.Shanghai)
	res, err, checks := runMaintenanceAt(t, st, night)
	if err != nil || checks != 1 || res.Audit == nil {
		t.Fatalf("the 03:20 run: %+v, %v, %d checks; want one check and its result", res, err, checks)
	}
	id, hash, err := st.AuditHash(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := (workflows.AuditCheck{Rows: 3, HeadID: id, HeadHash: hash}); *res.Audit != want {
		t.Errorf("the night's check: %+v, want %+v", *res.Audit, want)
	}
	for _, at := range []time.Time{night.Add(-30 * time.Minute), night.Add(time.Hour), night.Add(20 * time.Hour)} {
		if res, err, checks := runMaintenanceAt(t, st, at); err != nil || checks != 0 || res.Audit != nil {
			t.Errorf("the run at %s: %+v, %v, %d checks; want none", at.Format("15:04"), res, err, checks)
		}
	}
	// A run started late is judged by the instant its schedule started it
	// for: the 03:00 run begun at 04:10 (a worker away) is the night's; the
	// 02:00 run begun at 03:05 is not.
	three := time.Date(2026, 12, 8, 3, 0, 0, 0, calendar.Shanghai)
	if _, err, checks := runMaintenanceAt(t, st, three.Add(70*time.Minute), three); err != nil || checks != 1 {
		t.Errorf("the 03:00 run started at 04:10: %v, %d checks; want one", err, checks)
	}
	if _, err, checks := runMaintenanceAt(t, st, three.Add(5*time.Minute), three.Add(-time.Hour)); err != nil || checks != 0 {
		t.Errorf("the 02:00 run started at 03:05: %v, %d checks; want none", err, checks)
	}
	// An interval of a day or more checks in every run; none without one
	// (a schedule written before its runs were told their interval).
	cases := []struct {
		at    string
		every time.Duration
		want  bool
	}{
		{"03:00", time.Hour, true}, {"03:59", time.Hour, true}, {"04:00", time.Hour, false}, {"02:59", time.Hour, false},
		{"04:30", 2 * time.Hour, true}, {"05:00", 2 * time.Hour, false}, {"03:05", 10 * time.Minute, true},
		{"03:10", 10 * time.Minute, false}, {"17:00", 24 * time.Hour, true}, {"03:30", 0, false},
	}
	for _, c := range cases {
		at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-12-08 "+c.at, calendar.Shanghai)
		if got := workflows.ChecksAuditChain(at.UTC(), c.every); got != c.want {
			t.Errorf("a run at %s every %s checks: %v, want %v", c.at, c.every, got, c.want)
		}
	}
}

// RULES §6: a chain broken — a row edited around the application — fails
// the night's run naming the row, without a retry (it will not mend), and
// the prunes still do their work.
func TestMaintenanceFailsOnABrokenAuditChain(t *testing.T) {
	st := testenv.Store(t)
	seedOldRows(t, st)
	auditRows(t, st, 3)
	err := st.InTx(context.Background(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `UPDATE audit_log SET actor = 'someone-else' WHERE object_id = 'APP-1'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err, checks := runMaintenanceAt(t, st, time.Date(2026, 12, 8, 3, 20, 0, 0, calendar.Shanghai))
	// The run's error joins its activities' (the SDK carries it as text).
	if err == nil || !strings.Contains(err.Error(), "type: "+workflows.AuditChainBroken) || !strings.Contains(err.Error(), "审计日志哈希链在第 2 条断开") {
		t.Fatalf("the run ended with %v; want the broken chain named at row 2", err)
	}
	if checks != 1 {
		t.Errorf("the check ran %d times, want once (no retry)", checks)
	}
	if k, o := left(t, st, "idempotency_keys"), left(t, st, "outbox"); k != "new" || o != "new" {
		t.Errorf("left: keys %q, messages %q; the prunes should have run", k, o)
	}
}
