package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/auth"
)

// apiClient calls laborbrand's HTTP API as an outside client does: bearer
// tokens it signs itself, JSON in and out, one keep-alive connection per
// client goroutine.
type apiClient struct {
	base   string
	http   *http.Client
	secret []byte

	mu     sync.Mutex
	tokens map[auth.Principal]string
}

// tokenTTL outlives any run.
const tokenTTL = 12 * time.Hour

func newAPIClient(base string, secret []byte, concurrency int) *apiClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = concurrency*2, concurrency*2
	return &apiClient{base: strings.TrimSuffix(base, "/"), http: &http.Client{Transport: tr, Timeout: time.Minute},
		secret: secret, tokens: map[auth.Principal]string{}}
}

// token returns a signed token for p, signing it once.
func (c *apiClient) token(p auth.Principal) (string, error) {
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

// reply is an answered request.
type reply struct {
	status int
	body   []byte
}

// call sends a request (token may be empty, body nil) and decodes a 2xx
// answer into out. err is a transport or decoding failure; an error status
// is not an err, the caller reads it from the reply.
func (c *apiClient) call(ctx context.Context, method, path, token string, body, out any) (reply, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, body: raw}
	if err != nil {
		return r, err
	}
	if out != nil && r.status/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return r, fmt.Errorf("decode answer of %s %s: %w", method, path, err)
		}
	}
	return r, nil
}

// must calls and insists on one of the wanted statuses (set-up steps).
func (c *apiClient) must(ctx context.Context, method, path, token string, body, out any, want ...int) error {
	r, err := c.call(ctx, method, path, token, body, out)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	for _, w := range want {
		if r.status == w {
			return nil
		}
	}
	return fmt.Errorf("%s %s: status %d: %s", method, path, r.status, r.body)
}

// outcome names a request's failure for the error table ("" for success).
func outcome(r reply, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return "timeout"
	case err != nil && r.status == 0:
		return "transport"
	case err != nil:
		return "decode"
	case r.status/100 != 2:
		return fmt.Sprint(r.status)
	}
	return ""
}
