package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/activities"
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
