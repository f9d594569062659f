package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// RULES §6 (issue 12: a supervisor created a row): supervisors only look —
// no write route admits the role. The one write open to every role is the
// caller's own inbox read mark.
func TestDecision_SupervisorsOnlyLook(t *testing.T) {
	h := offline(t)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	var doc struct {
		Paths map[string]map[string]struct {
			Description string `json:"description"`
			Security    []any  `json:"security"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	writes := 0
	for path, ops := range doc.Paths {
		for method, o := range ops {
			if method != "post" && method != "put" && method != "patch" || len(o.Security) == 0 || path == "/api/v1/inbox/{id}/read" {
				continue
			}
			writes++
			roles, _, _ := strings.Cut(strings.TrimPrefix(o.Description, "Roles: "), "\n")
			if !strings.HasPrefix(o.Description, "Roles: ") || strings.Contains(roles, "supervisor") {
				t.Errorf("%s %s admits %q", strings.ToUpper(method), path, roles)
			}
		}
	}
	if writes < 25 {
		t.Errorf("only %d write routes found", writes)
	}
	supervisor := offlineToken(t, auth.Principal{Sub: "supervisor", Role: auth.Supervisor})
	for _, r := range []struct{ method, path string }{
		{"POST", "/api/v1/rounds"}, {"POST", "/api/v1/applications"}, {"POST", "/api/v1/applications/A1/county-review"},
		{"POST", "/api/v1/brands/B1/findings"}, {"PUT", "/api/v1/calendar/years/2027"}, {"PATCH", "/api/v1/experts/E1"},
	} {
		if got := call(h, r.method, r.path, supervisor); got != http.StatusForbidden {
			t.Errorf("supervisor %s %s: %d, want 403", r.method, r.path, got)
		}
	}
}

// API.md "Who may do what" (issue 12: an admin saw every task but no
// application): an admin loads the calendar and administers accounts; it
// reads no application, brand, report or work queue.
func TestDecision_AdminSeesOnlyWhatTheTableGivesIt(t *testing.T) {
	h := offline(t)
	admin := offlineToken(t, auth.Principal{Sub: "root", Role: auth.Admin})
	for _, path := range []string{"/api/v1/applications", "/api/v1/applications/A1", "/api/v1/brands", "/api/v1/brands/B1",
		"/api/v1/reports", "/api/v1/tasks", "/api/v1/experts"} {
		if got := call(h, "GET", path, admin); got != http.StatusForbidden {
			t.Errorf("admin GET %s: %d, want 403", path, got)
		}
	}
}

func offlineToken(t *testing.T, p auth.Principal) string {
	t.Helper()
	tok, err := auth.Sign(offlineSecret, p, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// call sends an empty request with a bearer token and returns the status.
func call(h http.Handler, method, path, token string) int {
	req := httptest.NewRequest(method, path, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}
