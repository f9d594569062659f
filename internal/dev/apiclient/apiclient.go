// Package apiclient gives the repository's own tools and tests the API's
// generated client (api/client) — the one an outside bureau uses too — with
// what only they have: bearer tokens signed with the deployment's secret,
// and a transport tuned for load (kept-alive connections). The measuring
// tools (cmd/lbbench, cmd/lbscale), `laborbrand dev --demo` and the tests
// that drive a running stack call the API through it.
package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// tokenTTL outlives any run.
const tokenTTL = 12 * time.Hour

// Client is the generated client of one API base URL, with its signing
// secret.
type Client struct {
	*client.ClientWithResponses
	// HTTP is the client's transport, for the few requests the contract's
	// client cannot make (tests sending malformed bodies on purpose).
	HTTP   *http.Client
	Base   string
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
	hc := &http.Client{Transport: tr, Timeout: time.Minute}
	base = strings.TrimSuffix(base, "/")
	generated, err := client.NewClientWithResponses(base, client.WithHTTPClient(hc))
	if err != nil {
		panic(fmt.Sprintf("API client for %q: %v", base, err)) // only a malformed URL fails, a programming error
	}
	return &Client{ClientWithResponses: generated, HTTP: hc, Base: base, secret: secret, tokens: map[auth.Principal]string{}}
}

// Close lets go of the kept-alive connections.
func (c *Client) Close() { c.HTTP.CloseIdleConnections() }

// WithTimeout bounds each request by d instead of a minute, and returns c.
func (c *Client) WithTimeout(d time.Duration) *Client {
	c.HTTP.Timeout = d
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

// As authenticates a request as p: its signed token as the bearer. A
// principal that cannot be signed (incomplete by construction) panics.
func (c *Client) As(p auth.Principal) client.RequestEditorFn {
	t, err := c.Token(p)
	if err != nil {
		panic(err)
	}
	return client.Bearer(t)
}

// Ready reports whether the stack behind the API is ready: nil when GET
// /readyz answers 200.
func (c *Client) Ready(ctx context.Context) error {
	r, err := c.ReadyzWithResponse(ctx, nil)
	_, err = client.Expect(r, err, http.StatusOK)
	return err
}
