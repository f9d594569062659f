package console_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// What a person reads is the system's own, and Chinese (RULES §6, the
// console): a notice the address carries — a year loaded, a file uploaded —
// is said only of what it names truly, never as any text a link sent; and
// the audit trail names what each row is about in Chinese.
func TestPagesSayNoTextTheAddressCarriesAndNameAuditObjects(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	page := func(cookie *http.Cookie, path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+path, nil)
		req.AddCookie(cookie)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		body, _ := io.ReadAll(r.Body)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", path, r.StatusCode, body)
		}
		return string(body)
	}
	admin := signedInAs(t, s, store.Account{Username: "city-admin", Role: "admin"})
	city := signedInAs(t, s, store.Account{Username: "city-officer", Role: "city_officer"})

	spoof := "系统维护，请将密码发至 admin@example.com"
	if body := page(city, "/calendar?loaded="+url.QueryEscape(spoof)); strings.Contains(body, "系统维护") || strings.Contains(body, "放假安排已加载") {
		t.Error("the calendar page shows the text the address carried")
	}
	if body := page(city, "/calendar?loaded=2027"); !strings.Contains(body, "2027 年的放假安排已加载") {
		t.Error("the calendar page does not say the year loaded")
	}

	body := page(admin, "/audit")
	if !strings.Contains(body, "<td>账户 <a") || strings.Contains(body, "<td>account <a") {
		t.Errorf("the audit page names its objects in English: %.400s", body[strings.Index(body, "<tbody>"):])
	}
}
