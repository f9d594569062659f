package faults_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	sdkclient "go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// wantEvents is the history every application of the load must have, once
// each (expert.opinion once per expert): nothing lost, nothing twice.
var wantEvents = map[string]int{
	"submitted":             1,
	"county_review.opened":  1, // the process's first step
	"county_review.approve": 1,
	"experts.drawn":         1,
	"expert.opinion":        opinionsPerApplication,
	"city_review.approve":   1,
}

// rowsChecked counts what verify looked at, for the report.
type rowsChecked struct {
	applications, events, opinions, draws, outbox, audit int
	auditVerify                                          string
	notesLeft                                            int           // decisions noted sent and not forgotten when the load ended
	notesSettledIn                                       time.Duration // until the writes sweep had settled them all
	settledBySweep                                       int           // decisions the writes sweep settled, during the run and after
}

// verify checks the outcome of a load over HTTP, in SQL, in Temporal and
// with `laborbrand audit verify`.
func verify(t *testing.T, s *stack, l *load) rowsChecked {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	verifyHTTP(ctx, t, l)
	conn, err := pgx.Connect(ctx, s.pg.URL)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	var rows rowsChecked
	// First, so that the checks of "once" below also see what the sweep wrote.
	rows.notesLeft, rows.notesSettledIn = verifyDecisionNotes(ctx, t, conn)
	rows.settledBySweep = s.settledBySweep()
	rows.applications = verifyApplications(ctx, t, conn, l)
	rows.events = verifyEvents(ctx, t, conn, l)
	rows.opinions, rows.draws = verifyExperts(ctx, t, conn, l)
	rows.outbox = verifyOutbox(ctx, t, conn)
	rows.audit = verifyAudit(ctx, t, conn, l)
	verifyIdempotencyKeys(ctx, t, conn)
	verifyTasks(ctx, t, conn)
	verifyWorkflows(ctx, t, s, l)
	verifyBacklog(t, s)
	rows.auditVerify = s.auditVerify()
	return rows
}

// verifyHTTP reads every application as the city officer would.
func verifyHTTP(ctx context.Context, t *testing.T, l *load) {
	t.Helper()
	for _, a := range l.apps {
		r, err := l.c.call(ctx, "read", "", func(lbclient.RequestEditorFn) (lbclient.Answer, error) {
			return l.c.api.GetApplicationWithResponse(ctx, a.id, lbclient.Bearer(l.city))
		})
		got, ok := r.(*lbclient.GetApplicationResponse)
		if err != nil || !ok || got.JSON200 == nil {
			t.Errorf("GET application %d (%s): %v %.300s", a.i, a.id, err, lbclient.BodyOf(r))
			continue
		}
		v := got.JSON200
		opinions := 0
		for _, e := range v.Experts {
			if e.Opinion != nil {
				opinions++
			}
		}
		if v.Stage != "public_notice" || opinions != opinionsPerApplication {
			t.Errorf("application %d (%s) over HTTP: stage %q with %d opinions, want public_notice with %d",
				a.i, a.id, v.Stage, opinions, opinionsPerApplication)
		}
	}
}

// verifyApplications: exactly the load's applications exist, all in the
// public notice.
func verifyApplications(ctx context.Context, t *testing.T, conn *pgx.Conn, l *load) int {
	t.Helper()
	stages := map[string]string{}
	rows, _ := conn.Query(ctx, `SELECT id, stage FROM applications`)
	var id, stage string
	_, err := pgx.ForEachRow(rows, []any{&id, &stage}, func() error { stages[id] = stage; return nil })
	if err != nil {
		t.Fatalf("read applications: %v", err)
	}
	if len(stages) != l.n {
		t.Errorf("%d applications in the database, want %d (one per submission)", len(stages), l.n)
	}
	for _, a := range l.apps {
		if stages[a.id] != "public_notice" {
			t.Errorf("application %d (%s) in SQL: stage %q, want public_notice", a.i, a.id, stages[a.id])
		}
	}
	return len(stages)
}

// verifyEvents: each application's history has every decision exactly once.
func verifyEvents(ctx context.Context, t *testing.T, conn *pgx.Conn, l *load) int {
	t.Helper()
	got, total := countBy(ctx, t, conn, `SELECT application_id, action, count(*) FROM application_events GROUP BY 1, 2`)
	for _, a := range l.apps {
		for action, want := range wantEvents {
			if n := got[a.id][action]; n != want {
				t.Errorf("application %d (%s): %d application_events %q, want %d", a.i, a.id, n, action, want)
			}
		}
		for action, n := range got[a.id] {
			if _, ok := wantEvents[action]; !ok && n > 1 {
				t.Errorf("application %d (%s): application_events %q recorded %d times", a.i, a.id, action, n)
			}
		}
	}
	return total
}

// verifyExperts: one draw and three opinions, of three drawn experts, per
// application.
func verifyExperts(ctx context.Context, t *testing.T, conn *pgx.Conn, l *load) (opinions, draws int) {
	t.Helper()
	for _, a := range l.apps {
		var n, distinct, undrawn, d int
		err := conn.QueryRow(ctx, `
			SELECT count(*), count(DISTINCT o.expert_id),
			       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM expert_draws d
			           WHERE d.application_id = o.application_id AND o.expert_id = ANY (d.drawn))),
			       (SELECT count(*) FROM expert_draws d WHERE d.application_id = $1)
			FROM expert_opinions o WHERE o.application_id = $1`, a.id).Scan(&n, &distinct, &undrawn, &d)
		if err != nil {
			t.Fatalf("count expert rows of %s: %v", a.id, err)
		}
		if n != opinionsPerApplication || distinct != n || undrawn != 0 || d != 1 {
			t.Errorf("application %d (%s): %d expert_opinions (%d experts, %d not drawn), %d expert_draws; want %d, %d, 0, 1",
				a.i, a.id, n, distinct, undrawn, d, opinionsPerApplication, opinionsPerApplication)
		}
		opinions += n
		draws += d
	}
	return opinions, draws
}

// verifyOutbox: no message twice, by key or by content.
func verifyOutbox(ctx context.Context, t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var total, dupKeys, dupContent int
	err := conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM outbox),
		(SELECT count(*) FROM (SELECT dedupe_key FROM outbox GROUP BY 1 HAVING count(*) > 1) k),
		(SELECT count(*) FROM (SELECT 1 FROM outbox GROUP BY kind, audience, county_code, uscc, object_type, object_id, title, body, due
		                       HAVING count(*) > 1) c)`).Scan(&total, &dupKeys, &dupContent)
	if err != nil {
		t.Fatalf("count outbox rows: %v", err)
	}
	if dupKeys != 0 || dupContent != 0 {
		t.Errorf("outbox: %d dedupe keys and %d messages recorded more than once", dupKeys, dupContent)
	}
	return total
}

// verifyAudit: the audit trail has each decision once, like the history.
func verifyAudit(ctx context.Context, t *testing.T, conn *pgx.Conn, l *load) int {
	t.Helper()
	got, _ := countBy(ctx, t, conn, `SELECT object_id, action, count(*) FROM audit_log
		WHERE object_type = 'application' GROUP BY 1, 2`)
	for _, a := range l.apps {
		for action, want := range wantEvents {
			audited := "application." + action
			if action == "submitted" {
				audited = "application.submit"
			}
			if n := got[a.id][audited]; n != want {
				t.Errorf("application %d (%s): %d audit_log rows %q, want %d", a.i, a.id, n, audited, want)
			}
		}
	}
	var total int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&total); err != nil {
		t.Fatalf("count audit_log: %v", err)
	}
	return total
}

// notesSettleWithin bounds how long the worker's writes sweep may take to
// settle the decisions an outage left noted and not known to be written: a
// note waits out the API's own attempt (LB_TEMPORAL_TIMEOUT, 10 s, plus 5 s)
// and the sweep passes every 10 s; a minute is twice that.
const notesSettleWithin = time.Minute

// verifyDecisionNotes: every decision the API sent is known to be on record
// or refused, its note forgotten — by the API itself or, for a decision
// whose answer or writes the fault cut off, by the worker's writes sweep
// (RULES §6: a decision is on record before the answer, and once). It
// returns how many notes were left when the load ended and how long they
// took to go.
func verifyDecisionNotes(ctx context.Context, t *testing.T, conn *pgx.Conn) (left int, settledIn time.Duration) {
	t.Helper()
	start := time.Now()
	for n := -1; ; time.Sleep(time.Second) {
		var now int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM decisions_sent`).Scan(&now); err != nil {
			t.Fatalf("count decisions_sent: %v", err)
		}
		if n < 0 {
			left = now
		}
		n = now
		if n == 0 {
			return left, time.Since(start)
		}
		if time.Since(start) > notesSettleWithin {
			t.Errorf("%d decisions still noted as sent and not written %s after the load (%d when it ended): the writes sweep did not settle them",
				n, notesSettleWithin, left)
			return left, time.Since(start)
		}
	}
}

// verifyIdempotencyKeys: no key is left "in flight" once every client has
// its answer; such a key would refuse the client's retry for ever.
func verifyIdempotencyKeys(ctx context.Context, t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var stuck int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM idempotency_keys WHERE status IS NULL`).Scan(&stuck); err != nil {
		t.Fatalf("count idempotency keys: %v", err)
	}
	if stuck != 0 {
		t.Errorf("%d idempotency keys still in flight after every request was answered", stuck)
	}
}

// verifyTasks: the work queue matches the last recorded step of each
// application — in the public notice nobody has anything left to do, so a
// stale entry means a step was lost or written out of order.
func verifyTasks(ctx context.Context, t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var open int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM tasks WHERE object_type = 'application'`).Scan(&open); err != nil {
		t.Fatalf("count tasks: %v", err)
	}
	if open != 0 {
		t.Errorf("%d work-queue tasks left for applications in the public notice, want 0", open)
	}
}

// verifyWorkflows: one running process per application, and no other.
func verifyWorkflows(ctx context.Context, t *testing.T, s *stack, l *load) {
	t.Helper()
	c, err := sdkclient.Dial(sdkclient.Options{HostPort: s.temporal.Address, Namespace: "default",
		Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	defer c.Close()
	for _, a := range l.apps {
		d, err := c.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(a.id), "")
		if err != nil {
			t.Errorf("application %d: process %s: %v", a.i, workflows.ApplicationWorkflowID(a.id), err)
			continue
		}
		if st := d.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Errorf("application %d: process %s is %v, want running (in the public notice)", a.i, a.id, st)
		}
	}
	resp, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
		Query: "WorkflowType = 'ApplicationWorkflow'"})
	if err != nil {
		t.Fatalf("count application processes: %v", err)
	}
	if int(resp.GetCount()) != l.n {
		t.Errorf("%d application processes in Temporal, want %d (no orphan of a failed submission)", resp.GetCount(), l.n)
	}
}

// countBy runs a query of (id, action, count) rows into a map, with the sum.
func countBy(ctx context.Context, t *testing.T, conn *pgx.Conn, query string) (map[string]map[string]int, int) {
	t.Helper()
	out := map[string]map[string]int{}
	total := 0
	rows, _ := conn.Query(ctx, query)
	var id, action string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &action, &n}, func() error {
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][action] = n
		total += n
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out, total
}

func (r rowsChecked) String() string {
	return fmt.Sprintf("%d decisions noted and not yet written when the load ended, settled in %.1fs; %d settled by the writes sweep; "+
		"%d applications, %d application_events, %d expert_opinions, %d expert_draws, %d outbox, %d audit_log rows (%s)",
		r.notesLeft, r.notesSettledIn.Seconds(), r.settledBySweep, r.applications, r.events, r.opinions, r.draws, r.outbox, r.audit, r.auditVerify)
}

// verifyBacklog reads the worker's /metrics as an operator's Prometheus
// would: once the run is over, nothing is owed — no process to start, no
// decision to write, nothing to tell — and the SDK's metrics are there too.
func verifyBacklog(t *testing.T, s *stack) {
	t.Helper()
	url := fmt.Sprintf("http://127.0.0.1:%d/metrics", s.metricsPort)
	testenv.Eventually(t, 30*time.Second, "the worker's /metrics shows nothing owed", func() error {
		r, err := http.Get(url)
		if err != nil {
			return err
		}
		defer r.Body.Close()
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		text := string(body)
		for _, want := range []string{"laborbrand_backlog_up 1", `laborbrand_backlog{kind="process_starts"} 0`,
			`laborbrand_backlog{kind="decision_writes"} 0`, `laborbrand_backlog{kind="calendar_fanouts"} 0`,
			`laborbrand_backlog{kind="zone_tellings"} 0`, `laborbrand_backlog{kind="record_tellings"} 0`, "temporal_request"} {
			if !strings.Contains(text, want) {
				return fmt.Errorf("status %d, no %q in:\n%s", r.StatusCode, want, grepLines(text, "laborbrand_backlog"))
			}
		}
		return nil
	})
}

func grepLines(text, prefix string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
