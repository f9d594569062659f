package console

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 等保 身份鉴别: the page kept for after a sign-in is only ever a path of
// this site — a forged cookie cannot send a person signing in elsewhere.
func TestReturnPathStaysOnThisSite(t *testing.T) {
	for p, want := range map[string]bool{
		"/applications/A1":              true,
		"/work?county=530181&cursor=x":  true,
		"//evil.example/login":          false,
		"/\\evil.example":               false,
		"https://evil.example/":         false,
		"evil.example":                  false,
		"/brands/B1\r\nSet-Cookie: x=1": false,
		"":                              false,
	} {
		if _, ok := returnPath(p); ok != want {
			t.Errorf("returnPath(%q) = %v, want %v", p, ok, want)
		}
	}
}

// 等保 2.0 8.1.4.1 b: the lock-out's message says when it ends — the time
// on the day it is set, the date too when it ends on another day.
func TestALocksEndIsSaidWithItsDateOnAnotherDay(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, shanghai)
	for until, want := range map[time.Time]string{
		now.Add(15 * time.Minute): "09:45",
		now.Add(24 * time.Hour):   "2026年12月8日 09:30",
		time.Date(2026, 12, 7, 23, 50, 0, 0, shanghai).Add(15 * time.Minute): "2026年12月8日 00:05",
	} {
		if got := lockEnd(until, now); got != want {
			t.Errorf("a lock until %s reads %q, want %q", until, got, want)
		}
	}
}

// The page kept for after a sign-in (lb_asked) is never a step of signing
// in: a session that timed out on the code's page, signed in again, lands
// at home, not on the sign-in page as if it had failed.
func TestASignInLandsNowhereOnTheSignInPages(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	for kept, want := range map[string]string{
		"/login/totp":       homeOf("county_officer"),
		"/login":            homeOf("county_officer"),
		"/register/confirm": homeOf("county_officer"),
		"/applications/A1":  "/applications/A1",
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest("GET", "/login/totp", nil)
		c.Request.AddCookie(&http.Cookie{Name: askedCookie, Value: url.QueryEscape(kept)})
		if got := cs.landing(c, "county_officer"); got != want {
			t.Errorf("kept %s: lands at %s, want %s", kept, got, want)
		}
	}
}

// 等保 访问控制 (an account disabled acts no more): a request whose session
// was read long ago — an upload read for minutes — is read again before it
// acts through the API, and refused (401) when the account was disabled
// meanwhile; a request read a moment ago acts as read.
func TestARequestReadLongAgoActsOnlyForASessionStillLive(t *testing.T) {
	gin.SetMode(gin.TestMode)
	st := testenv.Store(t)
	ctx := t.Context()
	now := time.Now()
	by := store.AccountChange{At: now, Actor: "admin", Role: "admin"}
	a, err := st.CreateAccount(ctx, store.Account{Username: "stale-lotus", Role: "applicant", USCC: "91530181MA6K00090E", PasswordHash: "x"}, by)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.NewSession(ctx, "stale-session", "", a.ID, store.SessionFull, "csrf", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	cs := New(st, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	request := func(readAgo time.Duration) *gin.Context {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/holder/applications/A1/attachments", nil)
		c.Request.AddCookie(&http.Cookie{Name: sessionCookie, Value: "stale-session"})
		s, err := st.SessionByID(ctx, "stale-session", now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		c.Set(sessionKey, &s)
		c.Set(sessionReadKey, time.Now().Add(-readAgo))
		return c
	}
	stale, recent := request(10*time.Minute), request(0)
	if p, err := cs.principalNow(stale); err != nil || p.Sub != "stale-lotus" {
		t.Fatalf("a live session read long ago: %v, %v", p, err)
	}
	if err := st.DisableAccount(ctx, "stale-lotus", by); err != nil {
		t.Fatal(err)
	}
	var refused *APIError
	if _, err := cs.principalNow(stale); !errors.As(err, &refused) || refused.Status != http.StatusUnauthorized {
		t.Errorf("the account disabled while the request was read: %v, want 401", err)
	}
	if p, err := cs.principalNow(recent); err != nil || p.Sub != "stale-lotus" {
		t.Errorf("a request read a moment ago: %v, %v; want it as read", p, err)
	}
}
