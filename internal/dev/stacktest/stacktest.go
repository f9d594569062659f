// Package stacktest runs the whole laborbrand stack inside a test: a fresh
// database, the shared Temporal dev server, an in-process worker on a task
// queue of the test's own, and the HTTP API on a real listener.
package stacktest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/worker"
)

// Secret signs the tests' tokens.
var Secret = []byte("test-secret-test-secret-test-secret!")

// Stack is a running laborbrand for one test.
type Stack struct {
	URL string
	// Handler is the API itself, for requests served in-process (fuzzing:
	// any bytes reach it, as no HTTP client would send them).
	Handler http.Handler
	// Server is the API the handler serves (Drain: a stopping replica).
	Server    *api.Server
	Store     *store.Store
	Temporal  client.Client
	TaskQueue string
	Worker    sdkworker.Worker
	// Writer makes a decision's writes as the API does — the real one, with
	// UnwrittenDecisions too (for the writes sweep's tests).
	Writer *worker.DecisionWriter
	Clock  clock.Clock
	t      testing.TB
	client *apiclient.Client
}

// Options adjust a Stack.
type Options struct {
	Clock    clock.Clock
	NoWorker bool          // start no worker (to see how the API behaves without one)
	Timeout  time.Duration // API's Temporal timeout
	// PublicURL, when set, is the API's public address (LB_PUBLIC_URL).
	PublicURL string
	// MaxBodyBytes, when positive, replaces the API's JSON body limit (LB_MAX_BODY_BYTES).
	MaxBodyBytes int64
	// SpoolBytes, when positive, replaces the room on disk large bodies may
	// take at once (LB_SPOOL_BYTES).
	SpoolBytes int64
	// Channels are the worker's delivery channels (webhooks, email).
	Channels activities.Channels
	// APITemporal, when set, is the API's Temporal client instead of the
	// stack's (e.g. one to an address nobody answers).
	APITemporal client.Client
	// Public bounds the public POSTs (LB_PUBLIC_*). The zero value sets no
	// limit and merges nothing, so a test may file as many objections as
	// it needs; a test of the limits sets them.
	Public api.PublicLimits
	// UnwrittenDecisions makes the API fail every decision's writes after
	// the process has applied it, as an API that stopped between the two
	// would (the writes sweep's tests).
	UnwrittenDecisions bool
	// RevocationsFor, when positive, replaces how long the API uses the
	// revoked token subjects it read (api.DefaultRevocationsFor).
	RevocationsFor time.Duration
	// Console, when set, mounts the web console with this configuration
	// beside the API (the browser tests: api/console).
	Console *console.Config
}

// Start brings up a stack for t; everything stops when t ends.
func Start(t testing.TB, o Options) *Stack {
	t.Helper()
	st := testenv.Store(t)
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t), Logger: quietLogger()})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := registerSearchAttributes(ctx, c); err != nil {
		t.Fatal(err)
	}
	s := &Stack{Store: st, Temporal: c, TaskQueue: testenv.TaskQueue(t), Clock: o.Clock, t: t}
	if !o.NoWorker {
		s.Worker = worker.New(c, &activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}, Clock: o.Clock, Temporal: c, Channels: o.Channels}, worker.Options{TaskQueue: s.TaskQueue})
		if err := s.Worker.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Worker.Stop)
	}
	cfg := api.DefaultConfig
	cfg.TaskQueue = s.TaskQueue
	if o.Timeout > 0 {
		cfg.TemporalTimeout = o.Timeout
	}
	if o.MaxBodyBytes > 0 {
		cfg.MaxBodyBytes = o.MaxBodyBytes
	}
	if o.PublicURL != "" {
		cfg.PublicBaseURL = o.PublicURL
	}
	cfg.SpoolBytes = o.SpoolBytes
	cfg.RevocationsFor = o.RevocationsFor
	cfg.Public = o.Public
	apiTemporal := c
	if o.APITemporal != nil {
		apiTemporal = o.APITemporal
	}
	s.Writer = worker.NewDecisionWriter(&activities.Activities{Store: st, Calendars: &store.Calendars{Store: st}, Clock: o.Clock, Temporal: c,
		Channels: o.Channels, TaskQueue: s.TaskQueue})
	srv := &api.Server{Temporal: apiTemporal, Store: st, Clock: o.Clock, Secret: Secret, Config: cfg, Log: quietSlog(),
		Writes: s.Writer}
	if o.UnwrittenDecisions {
		srv.Writes = writesFail{}
	}
	if o.Console != nil {
		cfg := *o.Console
		cfg.Clock = o.Clock // the console's "today" is the stack's business day
		srv.Pages = console.New(st, Secret, quietSlog(), cfg)
	}
	s.Server, s.Handler = srv, srv.Handler()
	hs := httptest.NewServer(s.Handler)
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	s.client = apiclient.New(hs.URL, Secret, 8)
	t.Cleanup(s.client.Close)
	return s
}

// writesFail fails every write, as an API that stopped before it wrote.
type writesFail struct{}

func (writesFail) Write(context.Context, []records.Write) error {
	return errors.New("the decision's writes were never made (stacktest.Options.UnwrittenDecisions)")
}

// Token signs a token for p, valid for an hour.
func Token(t testing.TB, p auth.Principal) string {
	t.Helper()
	tok, err := auth.Sign(Secret, p, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Client is the API's generated client (api/client) on this stack, with
// tokens signed by Secret (Client().As(principal)).
func (s *Stack) Client() *apiclient.Client { return s.client }

// Response is an answered raw request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a raw request with an optional token, body and headers
// (alternating name, value): a body of []byte or string is sent as it is,
// an io.Reader streamed, anything else marshalled. It is how the API's own
// tests send what the generated client never would — malformed JSON,
// unknown fields, hostile bytes — and read the answer as bytes. Every
// answer is checked against /openapi.json (checkContract).
func (s *Stack) Do(method, path, token string, body any, headers ...string) Response {
	s.t.Helper()
	r, err := rawRequest(s.client, method, path, token, body, headers)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	if err := checkContract(method, s.URL+path, r); err != nil {
		s.t.Errorf("%s %s answered %d outside /openapi.json: %v\n%.300s", method, path, r.Status, err, r.Body)
	}
	return r
}

func registerSearchAttributes(ctx context.Context, c client.Client) error {
	return ensureSearchAttributes(ctx, c)
}

func quietSlog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
