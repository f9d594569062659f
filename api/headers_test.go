package api_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kunming-hrss/laborbrand/api"
)

// Issue 12: every answer — success, 401, 404 — carries the security
// headers; HSTS only over TLS. Needs no server: these routes touch no store.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h := (&api.Server{}).Handler()
	for _, tc := range []struct {
		name, path string
		tls        bool
		status     int
	}{
		{"liveness", "/healthz", false, 200},
		{"no token", "/api/v1/applications", false, 401},
		{"no such route", "/nowhere", false, 404},
		{"liveness over TLS", "/healthz", true, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.path, nil)
			if tc.tls {
				req.TLS = &tls.ConnectionState{}
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			for name, want := range map[string]string{
				"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
			} {
				if got := rec.Header().Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			hsts := rec.Header().Get("Strict-Transport-Security")
			if tc.tls != (hsts != "") {
				t.Errorf("Strict-Transport-Security = %q over TLS=%v", hsts, tc.tls)
			}
		})
	}
}
