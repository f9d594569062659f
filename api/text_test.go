package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// secret signs the tokens of the tests that need no server.
var offlineSecret = []byte("offline-secret-offline-secret-offline!")

// offline is the API with no store and no Temporal behind it: enough for
// every refusal that comes before a record is read.
func offline(t *testing.T) http.Handler {
	t.Helper()
	return (&api.Server{Secret: offlineSecret}).Handler()
}

// refusedField sends req and requires a 422 naming field.
func refusedField(t *testing.T, h http.Handler, req *http.Request, field string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("%s %q: status %d, want 422: %s", req.Method, req.URL.RawPath+req.URL.Path, rec.Code, rec.Body)
	}
	var body struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	json.Unmarshal(rec.Body.Bytes(), &body)
	var names []string
	for _, f := range body.Error.Fields {
		names = append(names, f.Field)
	}
	if !slices.Contains(names, field) {
		t.Errorf("fields %v do not name %s: %s", names, field, rec.Body)
	}
}

// RULES §3 Decision — clean text (issue 12): NUL, invalid UTF-8, control
// characters, bidi overrides and invisible-only content are refused with a
// 422 naming the field, wherever they come: path, query, header, JSON.
func TestDecision_CleanText_RefusedWhereverItComes(t *testing.T) {
	h := offline(t)
	report := func(fields map[string]string) *http.Request {
		b := map[string]string{"brand_id": "B1", "content": "违规使用标识", "evidence": "照片三张", "contact": "13800000000"}
		for k, v := range fields {
			b[k] = v
		}
		raw, _ := json.Marshal(b)
		return httptest.NewRequest("POST", "/api/v1/public/reports", bytes.NewReader(raw))
	}
	withKey := func(key string) *http.Request {
		r := httptest.NewRequest("GET", "/healthz", nil)
		r.Header.Set("Idempotency-Key", key)
		return r
	}
	for _, tc := range []struct {
		name  string
		req   *http.Request
		field string
	}{
		{"NUL in a path segment", httptest.NewRequest("GET", "/api/v1/applications/A%00", nil), "path"},
		{"invalid UTF-8 in a path segment", httptest.NewRequest("GET", "/api/v1/applications/%FF%FE", nil), "path"},
		{"a bidi override in a path segment", httptest.NewRequest("GET", "/api/v1/brands/B%E2%80%AE1", nil), "path"},
		{"NUL in a query value", httptest.NewRequest("GET", "/api/v1/public/brands?status=a%00", nil), "status"},
		{"invalid UTF-8 in a query value", httptest.NewRequest("GET", "/api/v1/public/brands?county=%C3", nil), "county"},
		{"CRLF in a query value", httptest.NewRequest("GET", "/api/v1/public/announcements?kind=a%0D%0Ab", nil), "kind"},
		{"invalid UTF-8 in the Idempotency-Key", withKey("k\xff"), "Idempotency-Key"},
		{"a bidi isolate in the Idempotency-Key", withKey("k\u2067x"), "Idempotency-Key"},
		{"invalid UTF-8 in a JSON string", httptest.NewRequest("POST", "/api/v1/public/reports",
			strings.NewReader("{\"brand_id\":\"B1\",\"content\":\"a\xffb\",\"evidence\":\"e\",\"contact\":\"c\"}")), "body"},
		{"NUL in a JSON string", report(map[string]string{"content": "违规\x00使用"}), "content"},
		{"BEL in long text", report(map[string]string{"evidence": "照片\a三张"}), "evidence"},
		{"CRLF in a one-line field", report(map[string]string{"contact": "138\r\n00000000"}), "contact"},
		{"a tab in a one-line field", report(map[string]string{"brand_id": "B\t1"}), "brand_id"},
		{"an RTL override in long text", report(map[string]string{"content": "违规\u202e使用"}), "content"},
		{"zero-width characters only", report(map[string]string{"content": "\u200b\u200d\ufeff"}), "content"},
		{"a variation selector only", report(map[string]string{"contact": "\ufe0f"}), "contact"},
		{"a lone surrogate escape", httptest.NewRequest("POST", "/api/v1/public/reports",
			strings.NewReader(`{"brand_id":"B1","content":"a\ud800b","evidence":"e","contact":"c"}`)), "content"},
	} {
		t.Run(tc.name, func(t *testing.T) { refusedField(t, h, tc.req, tc.field) })
	}
}

// Issue 12: an upload named "invoice\u202egnp.exe" shows as
// "invoiceexe.png"; a file name is one-line clean text like any other.
func TestDecision_CleanText_UploadFileNames(t *testing.T) {
	h := offline(t)
	tok := offlineToken(t, auth.Principal{Sub: "h", Role: auth.Applicant, USCC: "91530100MA6K0000X1"})
	for name, filename := range map[string]string{
		"an RTL override": "invoice\u202egnp.exe",
		"a newline":       "a\nb.pdf",
		"NUL":             "a\x00.pdf",
		"invisible only":  "\u200b",
		"invalid UTF-8":   "a\xff.pdf",
	} {
		t.Run(name, func(t *testing.T) {
			body, ctype := namedUpload(filename)
			req := httptest.NewRequest("POST", "/api/v1/applications/A1/attachments", bytes.NewReader(body))
			req.Header.Set("Content-Type", ctype)
			req.Header.Set("Authorization", "Bearer "+tok)
			refusedField(t, h, req, "file")
		})
	}
}
