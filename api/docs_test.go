package api_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// Issue 18 item 4: GET /docs is the API reference — the vendored Redoc,
// served by the binary itself, over /openapi.json; no other host is named.
func TestDocsServeTheReferenceWithoutACDN(t *testing.T) {
	h := offline(t)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %.200s", path, rec.Code, rec.Body)
		}
		return rec
	}
	page := get("/docs")
	body := page.Body.String()
	for _, want := range []string{`spec-url="/openapi.json"`, `<script src="/docs/redoc.standalone.js">`, `href="/openapi.json"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/docs lacks %s", want)
		}
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") || strings.Contains(body, "<script>") {
		t.Errorf("/docs names another host or has an inline script:\n%s", body)
	}
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "script-src") {
		t.Errorf("/docs policy %q: scripts must come from this server only", csp)
	}
	js := get("/docs/redoc.standalone.js")
	if ct := js.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") || js.Body.Len() < 500_000 {
		t.Errorf("redoc.standalone.js: %s, %d bytes", ct, js.Body.Len())
	}
}
