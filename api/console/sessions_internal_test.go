package console

import (
	"testing"
	"time"
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
