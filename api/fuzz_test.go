package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// FuzzHTTP (issue 12: a NUL or a stray byte answered 500 in 35 places): any
// method, path, query, Idempotency-Key, caller and body, served in-process
// by the API of a whole stack (PostgreSQL, Temporal, a worker), never gets
// a 5xx, nor hangs. The requests go to the handler directly, so bytes no
// HTTP client would send reach it too.
func FuzzHTTP(f *testing.F) {
	s := stacktest.Start(f, stacktest.Options{Clock: businessClock("2026-03-02", 1), Timeout: 5 * time.Second})
	city := stacktest.Token(f, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"})
	callers := []string{"",
		city,
		stacktest.Token(f, auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: demo.Rose()["uscc"].(string)}),
		stacktest.Token(f, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"}),
		stacktest.Token(f, auth.Principal{Sub: "supervisor", Role: auth.Supervisor}),
		stacktest.Token(f, auth.Principal{Sub: "root", Role: auth.Admin}),
		stacktest.Token(f, auth.Principal{Sub: "E01", Role: auth.Expert}),
	}
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
	for _, seed := range []struct {
		method uint8
		path   string
		query  string
		key    string
		caller uint8
		body   string
	}{
		{0, "/api/v1/applications", "stage=county_review&limit=5", "", 1, ""},
		{0, "/api/v1/applications/A%00", "", "", 1, ""},
		{1, "/api/v1/public/reports", "", "", 0, `{"brand_id":"B1","content":"违规","evidence":"照片","contact":"138"}`},
		{1, "/api/v1/public/applications/A1/objections", "", "k", 0, `{"name":"王","contact":"1","content":"c","evidence":"e"}`},
		{1, "/api/v1/applications/A1/county-review", "", "k2", 3, "{\"decision\":\"reject\",\"opinion\":\"\xff\"}"},
		{1, "/api/v1/rounds", "", "r1", 1, `{"name":"r2","opens_on":"2026-04-01","closes_on":"2026-04-30"}`},
		{2, "/api/v1/calendar/years/2031", "", "", 5, `{"off":["2031-01-01"],"work":[],"notice":"x"}`},
		{3, "/api/v1/experts/E1", "", "", 1, `{"active":false}`},
		{0, "/api/v1/public/brands", "category=%C3&county=%00", "", 0, ""},
		{0, "/api/v1/calendar/add-workdays", "from=2026-03-02&n=99999999", "", 1, ""},
		{1, "/api/v1/inbox/99999999999999999999/read", "", "", 4, ""},
		{0, "/api/v1/tasks", "overdue=maybe&limit=-1", "", 4, ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.key, seed.caller, []byte(seed.body))
	}
	f.Add(uint8(1), "/api/v1/applications", "", "sub", uint8(2), mustJSON(demo.Rose()))
	f.Fuzz(func(t *testing.T, method uint8, path, query, key string, caller uint8, body []byte) {
		if !strings.HasPrefix(path, "/") {
			path = "/api/v1/" + path
		}
		req := &http.Request{Method: methods[int(method)%len(methods)], URL: &url.URL{Path: path, RawQuery: query},
			Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
			Host: "fuzz", RemoteAddr: "192.0.2.1:1", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		req.Header.Set("Content-Type", "application/json")
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		if tok := callers[int(caller)%len(callers)]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { s.Handler.ServeHTTP(rec, req); close(done) }()
		select { // API.md: never a hung request — every call into Temporal is bounded
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s %q ?%q key %q: no answer in 30 s", req.Method, path, query, key)
		}
		if rec.Code >= 500 {
			t.Fatalf("%s %q ?%q key %q: %d %s", req.Method, path, query, key, rec.Code, rec.Body)
		}
	})
}
