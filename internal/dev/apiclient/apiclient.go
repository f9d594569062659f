// Package apiclient calls laborbrand's HTTP API as an outside client does:
// bearer tokens it signs itself with the deployment's secret (or that the
// caller brings), JSON in and out, an Idempotency-Key when asked, kept-alive
// connections. It is the one client of the API for the measuring tools
// (cmd/lbbench, cmd/lbscale), `laborbrand dev --demo` and the tests that
// drive a running stack.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// tokenTTL outlives any run.
const tokenTTL = 12 * time.Hour

// Client is one API base URL with its signing secret.
type Client struct {
	base   string
	http   *http.Client
	secret []byte

	mu     sync.Mutex
	tokens map[auth.Principal]string
}

// New returns a client of the API at base (e.g. http://127.0.0.1:8080)
// keeping up to maxIdle connections alive. secret signs the tokens of Token;
// a caller that brings its own tokens may pass nil.
func New(base string, secret []byte, maxIdle int) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = maxIdle, maxIdle
	return &Client{base: strings.TrimSuffix(base, "/"), http: &http.Client{Transport: tr, Timeout: time.Minute},
		secret: secret, tokens: map[auth.Principal]string{}}
}

// Close lets go of the kept-alive connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// WithTimeout bounds each request by d instead of a minute, and returns c.
func (c *Client) WithTimeout(d time.Duration) *Client {
	c.http.Timeout = d
	return c
}

// Token returns a signed token for p, signing it once.
func (c *Client) Token(p auth.Principal) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tokens[p]; ok {
		return t, nil
	}
	t, err := c.OneTimeToken(p)
	if err != nil {
		return "", err
	}
	c.tokens[p] = t
	return t, nil
}

// OneTimeToken signs a token for p without keeping it (a principal that
// makes one request, such as a holder's single submission).
func (c *Client) OneTimeToken(p auth.Principal) (string, error) {
	t, err := auth.Sign(c.secret, p, time.Now(), tokenTTL)
	if err != nil {
		return "", fmt.Errorf("sign token for %s: %w", p.Sub, err)
	}
	return t, nil
}

// Request is one call of the API.
type Request struct {
	Method, Path   string
	Token          string // bearer token; "" sends none
	IdempotencyKey string // "" sends none
	// Body is sent as JSON: nil sends no body; []byte and string are sent
	// as they are, an io.Reader is streamed (no Content-Length), any other
	// value is marshalled.
	Body any
	// Header is added last, so it may replace Content-Type or Authorization.
	Header http.Header
}

// Reply is an answered request.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends r. err is a transport failure (Status 0, the error as the HTTP
// client gave it) or a failure to read the answer; an error status is not
// an err, the caller reads it from the reply.
func (c *Client) Do(ctx context.Context, r Request) (Reply, error) {
	body, err := bodyReader(r.Body)
	if err != nil {
		return Reply{}, err
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, c.base+r.Path, body)
	if err != nil {
		return Reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.IdempotencyKey)
	}
	for name, values := range r.Header {
		req.Header[http.CanonicalHeaderKey(name)] = values
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return Reply{Status: resp.StatusCode, Header: resp.Header, Body: raw}, err
}

func bodyReader(body any) (io.Reader, error) {
	switch b := body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return bytes.NewReader(b), nil
	case string:
		return strings.NewReader(b), nil
	case io.Reader:
		return b, nil
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request body: %w", err)
	}
	return bytes.NewReader(raw), nil
}

// Call sends a request (token and idempotencyKey may be empty, body nil)
// and decodes a 2xx answer into out. err is as Do's, or a failure to decode
// the answer.
func (c *Client) Call(ctx context.Context, method, path, token, idempotencyKey string, body, out any) (Reply, error) {
	r, err := c.Do(ctx, Request{Method: method, Path: path, Token: token, IdempotencyKey: idempotencyKey, Body: body})
	if err != nil {
		return r, err
	}
	if out != nil && r.Status/100 == 2 {
		if err := json.Unmarshal(r.Body, out); err != nil {
			return r, fmt.Errorf("decode answer of %s %s: %w", method, path, err)
		}
	}
	return r, nil
}

// Must calls and insists on one of the wanted statuses (set-up steps); out
// receives a 2xx answer.
func (c *Client) Must(ctx context.Context, method, path, token string, body, out any, want ...int) error {
	r, err := c.Call(ctx, method, path, token, "", body, out)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	for _, w := range want {
		if r.Status == w {
			return nil
		}
	}
	return fmt.Errorf("%s %s: %w", method, path, r.Unexpected())
}

// Unexpected describes an answer the caller did not want: its status and
// the start of its body.
func (r Reply) Unexpected() error {
	raw := r.Body
	if len(raw) > 400 {
		raw = raw[:400]
	}
	return fmt.Errorf("status %d: %s", r.Status, raw)
}

// Ready reports whether the stack behind the API is ready: nil when GET
// /readyz answers 200.
func (c *Client) Ready(ctx context.Context) error {
	r, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/readyz"})
	if err == nil && r.Status != http.StatusOK {
		err = r.Unexpected()
	}
	return err
}
