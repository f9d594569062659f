package api_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api"
)

// RULES §3 Decision — volume (issue 12: 2,000 anonymous objections in a
// burst were all taken): the public POSTs are limited per client and per
// target, 429 with Retry-After beyond. Needs no server: a refused filing
// (422 here) counts against its client like any other, and a 429 comes
// before the handler; only a filing stored counts against its target
// (TestHostileBurstOfObjectionsIsLimited), so junk cannot silence one.
func TestDecision_Volume_PublicFilingsAreRateLimited(t *testing.T) {
	gate := func(l api.PublicLimits) http.Handler {
		return (&api.Server{Secret: offlineSecret, Config: func() api.Config {
			c := api.DefaultConfig
			c.Public = l
			return c
		}()}).Handler()
	}
	report := func(h http.Handler, remote, forwarded, brand string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/public/reports", strings.NewReader(`{"brand_id":"`+brand+`"}`))
		req.RemoteAddr = remote + ":40000"
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	limited := func(t *testing.T, rec *httptest.ResponseRecorder) {
		t.Helper()
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429: %s", rec.Code, rec.Body)
		}
		if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("Retry-After = %q, want whole seconds ≥ 1", rec.Header().Get("Retry-After"))
		}
	}

	t.Run("per client: the 4th filing within the hour is a 429", func(t *testing.T) {
		h := gate(api.PublicLimits{PerClient: api.Rate{N: 3, Per: time.Hour}})
		for i := range 3 {
			if rec := report(h, "198.51.100.7", "", "B"+strconv.Itoa(i)); rec.Code != 422 {
				t.Fatalf("filing %d: %d, want the handler's 422", i+1, rec.Code)
			}
		}
		limited(t, report(h, "198.51.100.7", "", "B9"))
		if rec := report(h, "198.51.100.8", "", "B9"); rec.Code != 422 {
			t.Errorf("another client: %d, want 422", rec.Code)
		}
		// Hostile input: the limit comes before the Idempotency-Key is
		// stored — this server has no database, so a key claimed first
		// would have failed — and a flood under fresh keys costs nothing.
		for i := range 3 {
			req := httptest.NewRequest("POST", "/api/v1/public/reports", strings.NewReader(`{"brand_id":"B1"}`))
			req.RemoteAddr = "198.51.100.7:40000"
			req.Header.Set("Idempotency-Key", "flood-"+strconv.Itoa(i))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			limited(t, rec)
		}
	})
	t.Run("X-Forwarded-For from an untrusted address does not make a new client", func(t *testing.T) {
		h := gate(api.PublicLimits{PerClient: api.Rate{N: 2, Per: time.Hour}})
		report(h, "198.51.100.7", "203.0.113.1", "B1")
		report(h, "198.51.100.7", "203.0.113.2", "B1")
		limited(t, report(h, "198.51.100.7", "203.0.113.3", "B1"))
	})
	t.Run("X-Forwarded-For from a trusted proxy names the client", func(t *testing.T) {
		h := gate(api.PublicLimits{PerClient: api.Rate{N: 2, Per: time.Hour}, TrustedProxies: []string{"10.0.0.0/8"}})
		for i := range 5 {
			if rec := report(h, "10.1.2.3", "203.0.113."+strconv.Itoa(i), "B1"); rec.Code != 422 {
				t.Fatalf("client %d behind the proxy: %d, want 422", i, rec.Code)
			}
		}
		report(h, "10.1.2.3", "203.0.113.9", "B1")
		report(h, "10.1.2.3", "203.0.113.9", "B1")
		limited(t, report(h, "10.1.2.3", "203.0.113.9", "B1"))
	})
	t.Run("per target: filings refused as invalid do not use up a brand's limit", func(t *testing.T) {
		h := gate(api.PublicLimits{PerTarget: api.Rate{N: 4, Per: time.Hour}})
		for i := range 20 {
			if rec := report(h, "198.51.100."+strconv.Itoa(i), "", "B-target"); rec.Code != 422 {
				t.Fatalf("filing %d: %d, want the handler's 422", i+1, rec.Code)
			}
		}
	})
	t.Run("an IPv6 client is its /64: a new address within it is the same client", func(t *testing.T) {
		h := gate(api.PublicLimits{PerClient: api.Rate{N: 2, Per: time.Hour}, TrustedProxies: []string{"10.0.0.0/8"}})
		report(h, "10.1.2.3", "2001:db8:1:2::1", "B1")
		report(h, "10.1.2.3", "2001:db8:1:2:ffff:ffff:ffff:fffe", "B1")
		limited(t, report(h, "10.1.2.3", "2001:db8:1:2::9", "B1"))
		if rec := report(h, "10.1.2.3", "2001:db8:1:3::1", "B1"); rec.Code != 422 {
			t.Errorf("the next /64: %d, want 422", rec.Code)
		}
	})
}
