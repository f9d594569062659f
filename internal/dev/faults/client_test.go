package faults_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// client calls the API as an outside client does: it retries a 503 with
// backoff, with the same Idempotency-Key, and records every answer.
type client struct {
	api *apiclient.Client
	// unreachableRetried makes a transport failure (the API not listening,
	// a connection cut) an answer to retry, as a client behind a load
	// balancer does while an API process restarts; otherwise it fails the
	// run.
	unreachableRetried bool

	mu        sync.Mutex
	responses []response
}

// response is one HTTP answer (or transport failure, status 0) as seen by
// the client.
type response struct {
	at         time.Time
	step       string // submit, county-review, …
	status     int
	retryAfter bool   // the answer asked the client to come back
	err        string // transport error or the body of an unexpected answer
}

func newClient(addr string) *client {
	// Longer than any request may take: the API bounds each Temporal call by
	// LB_TEMPORAL_TIMEOUT (10 s), so a timeout here is a hung request.
	return &client{api: apiclient.New("http://"+addr, secret, 16).WithTimeout(45 * time.Second)}
}

// call makes one call of the generated client (given the request's
// Idempotency-Key, which GETs ignore) until it gets an answer other than 503
// or one that asks to come back (Retry-After, e.g. a 409 while the same key
// is in flight), backing off from 200 ms to 2 s, and returns that answer.
// It gives up when ctx ends.
func (c *client) call(ctx context.Context, step, key string, send func(key lbclient.RequestEditorFn) (lbclient.Answer, error)) (lbclient.Answer, error) {
	editor := func(context.Context, *http.Request) error { return nil }
	if key != "" {
		editor = lbclient.IdempotencyKey(key)
	}
	backoff := 200 * time.Millisecond
	for {
		r, retry, err := c.once(ctx, step, func() (lbclient.Answer, error) { return send(editor) })
		if err == nil && r.StatusCode() != http.StatusServiceUnavailable && !retry {
			return r, nil
		}
		if err != nil && ctx.Err() == nil && !isTimeout(err) && !c.unreachableRetried {
			return nil, err
		}
		last := 0
		if err == nil {
			last = r.StatusCode()
		}
		select {
		case <-ctx.Done():
			return r, fmt.Errorf("%s: gave up: %w (last: %d %v)", step, ctx.Err(), last, err)
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// once sends the request once and records the answer; retry is true when
// the answer carries a Retry-After header.
func (c *client) once(ctx context.Context, step string, send func() (lbclient.Answer, error)) (lbclient.Answer, bool, error) {
	r, err := send()
	if err != nil {
		if ctx.Err() == nil {
			c.record(response{at: time.Now(), step: step, err: err.Error()})
		}
		return nil, false, err
	}
	status := r.StatusCode()
	rec := response{at: time.Now(), step: step, status: status, retryAfter: header(r).Get("Retry-After") != ""}
	if status >= 300 && status != http.StatusServiceUnavailable {
		rec.err = string(lbclient.BodyOf(r))
	}
	c.record(rec)
	return r, rec.retryAfter && status >= 300, nil
}

// header is the HTTP header of a generated client's answer.
func header(r lbclient.Answer) http.Header {
	if resp := reflect.ValueOf(r).Elem().FieldByName("HTTPResponse").Interface().(*http.Response); resp != nil {
		return resp.Header
	}
	return http.Header{}
}

func isTimeout(err error) bool {
	type timeout interface{ Timeout() bool }
	t, ok := err.(timeout)
	return ok && t.Timeout()
}

func (c *client) record(r response) {
	c.mu.Lock()
	c.responses = append(c.responses, r)
	c.mu.Unlock()
}

// log returns a copy of every answer so far.
func (c *client) log() []response {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]response(nil), c.responses...)
}

// tally summarises answers: how many of each status, per step.
type tally struct {
	requests    int
	byStatus    map[int]int
	unavailable []response // the 503s
	comeBack    []response // other answers with Retry-After (409: the same key in flight)
	unreachable []response // transport errors while a fault leaves the API unreachable (tolerated)
	failures    []response // other transport errors and 5xx other than 503
}

// tolerateUnreachable moves the transport errors received in [from, to] —
// while the API was down — from the failures to unreachable.
func (t *tally) tolerateUnreachable(from, to time.Time) {
	var failures []response
	for _, r := range t.failures {
		if r.status == 0 && !r.at.Before(from) && !r.at.After(to) {
			t.unreachable = append(t.unreachable, r)
			continue
		}
		failures = append(failures, r)
	}
	t.failures = failures
}

func countResponses(rs []response) tally {
	t := tally{requests: len(rs), byStatus: map[int]int{}}
	for _, r := range rs {
		t.byStatus[r.status]++
		switch {
		case r.status == http.StatusServiceUnavailable:
			t.unavailable = append(t.unavailable, r)
		case r.retryAfter && r.status >= 300:
			t.comeBack = append(t.comeBack, r)
		case r.status == 0 || r.status >= 500:
			t.failures = append(t.failures, r)
		}
	}
	return t
}

// String lists the statuses, e.g. "200×180 201×30 503×12".
func (t tally) String() string {
	var codes []int
	for code := range t.byStatus {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	var parts []string
	for _, code := range codes {
		name := fmt.Sprint(code)
		if code == 0 {
			name = "transport-error"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, t.byStatus[code]))
	}
	return strings.Join(parts, " ")
}

// token signs a bearer token for p, valid for two hours.
func token(t *testing.T, p auth.Principal) string {
	t.Helper()
	tok, err := auth.Sign(secret, p, time.Now(), 2*time.Hour)
	if err != nil {
		t.Fatalf("sign token for %+v: %v", p, err)
	}
	return tok
}
