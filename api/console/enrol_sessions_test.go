package console_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// 等保 2.0 8.1.4.1 b (two-factor sign-in): the secret a sign-in is to bind
// is shown to that sign-in alone. Whoever else knew the password before the
// holder's first sign-in — an account made with a password told, an admin's
// reset — and signed in first, keeping the enrolment page open, must not
// read the secret the holder's own sign-in makes and binds: a new secret
// ends every other enrolment under way, and the earlier page then shows no
// secret and no QR code.
func TestAnEarlierSignInDoesNotReadTheSecretALaterOneBinds(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "enrol-yiliang", Role: "county_officer", County: "530125"})
	signIn := func(who string) *http.Client {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		_, page := get(t, c, s.URL+"/login")
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
		if csrf == nil {
			t.Fatalf("%s: no csrf on the login page", who)
		}
		r, err := c.PostForm(s.URL+"/login", url.Values{"csrf": {csrf[1]}, "username": {"enrol-yiliang"}, "password": {officerPassword}})
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/account/totp" {
			t.Fatalf("%s's sign-in: %d → %q, want the enrolment", who, r.StatusCode, r.Header.Get("Location"))
		}
		return c
	}
	secretOn := func(page string) string {
		m := regexp.MustCompile(`id="totp-secret"[^>]*>([^<]+)<`).FindStringSubmatch(page)
		if m == nil {
			return ""
		}
		return strings.ReplaceAll(m[1], " ", "")
	}

	stranger := signIn("the stranger")
	if status, page := get(t, stranger, s.URL+"/account/totp"); status != 200 || secretOn(page) == "" {
		t.Fatalf("the first sign-in's enrolment page: %d, secret %q", status, secretOn(page))
	}
	holder := signIn("the holder")
	status, page := get(t, holder, s.URL+"/account/totp")
	bound := secretOn(page)
	if status != 200 || bound == "" {
		t.Fatalf("the holder's enrolment page: %d", status)
	}
	// The stranger's page, reloaded, and its QR code: neither the holder's secret nor any.
	if status, page := get(t, stranger, s.URL+"/account/totp"); status == 200 && secretOn(page) != "" || strings.Contains(page, bound) {
		t.Errorf("the earlier sign-in still shows a secret (%d): %q, the holder's %q", status, secretOn(page), bound)
	}
	if status, _ := get(t, stranger, s.URL+"/account/totp/qr.png"); status == 200 {
		t.Error("the earlier sign-in still draws the QR code of the secret being bound")
	}
	// The holder's own page goes on showing the secret it binds.
	if _, page := get(t, holder, s.URL+"/account/totp"); secretOn(page) != bound {
		t.Errorf("the holder's page now shows %q, want %q", secretOn(page), bound)
	}
}

// get asks path with the client's cookies, following no redirect.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	r, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(body)
}
