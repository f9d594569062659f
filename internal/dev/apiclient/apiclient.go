// Package apiclient calls laborbrand's HTTP API as an outside client does,
// for the measuring tools (cmd/lbbench, cmd/lbscale): bearer tokens it
// signs itself with the deployment's secret, JSON in and out, kept-alive
// connections.
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

// New returns a client keeping up to maxIdle connections alive.
func New(base string, secret []byte, maxIdle int) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = maxIdle, maxIdle
	return &Client{base: strings.TrimSuffix(base, "/"), http: &http.Client{Transport: tr, Timeout: time.Minute},
		secret: secret, tokens: map[auth.Principal]string{}}
}

// Token returns a signed token for p, signing it once.
func (c *Client) Token(p auth.Principal) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.tokens[p]; ok {
		return t, nil
	}
	t, err := auth.Sign(c.secret, p, time.Now(), tokenTTL)
	if err != nil {
		return "", fmt.Errorf("sign token for %s: %w", p.Sub, err)
	}
	c.tokens[p] = t
	return t, nil
}

// OneTimeToken signs a token for p without keeping it (a principal that
// makes one request, such as a holder's single submission).
func (c *Client) OneTimeToken(p auth.Principal) (string, error) {
	return auth.Sign(c.secret, p, time.Now(), tokenTTL)
}

// Reply is an answered request.
type Reply struct {
	Status int
	Body   []byte
}

// Call sends a request (token and idempotencyKey may be empty, body nil)
// and decodes a 2xx answer into out. err is a transport or decoding
// failure; an error status is not an err, the caller reads it from the
// reply.
func (c *Client) Call(ctx context.Context, method, path, token, idempotencyKey string, body, out any) (Reply, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return Reply{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return Reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	r := Reply{Status: resp.StatusCode, Body: raw}
	if err != nil {
		return r, err
	}
	if out != nil && r.Status/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return r, fmt.Errorf("decode answer of %s %s: %w", method, path, err)
		}
	}
	return r, nil
}

// Must calls and insists on one of the wanted statuses (set-up steps).
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
	raw := r.Body
	if len(raw) > 400 {
		raw = raw[:400]
	}
	return fmt.Errorf("%s %s: status %d: %s", method, path, r.Status, raw)
}
