package console

import "testing"

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
