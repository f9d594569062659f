package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/account"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := account.HashPassword("Kunming-2026!")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the chosen parameters", h)
	}
	if ok, err := account.CheckPassword(h, "Kunming-2026!"); !ok || err != nil {
		t.Errorf("the right password: %v, %v", ok, err)
	}
	if ok, _ := account.CheckPassword(h, "Kunming-2026?"); ok {
		t.Error("a wrong password was accepted")
	}
	if h2, _ := account.HashPassword("Kunming-2026!"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
}

// 等保 2.0 8.1.4.1 a: passwords have a complexity requirement.
func TestPasswordPolicy(t *testing.T) {
	cases := []struct{ name, user, password, want string }{
		{"long with three classes", "anning", "Spring-rose-7", ""},
		{"too short", "anning", "Ab1!xyz", "至少"},
		{"two classes only", "anning", "abcdefghij12", "至少三类"},
		{"contains the user name", "anning", "Anning-2026-x", "用户名"},
		{"Chinese characters count as other", "anning", "春城abcdef12", ""},
		{"control character", "anning", "Abcdefgh1\x00", "控制字符"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := account.CheckPolicy(tc.user, tc.password)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("CheckPolicy(%q) = %q, want %q", tc.password, got, tc.want)
			}
		})
	}
}

func TestTOTPCodeIsCheckedWithinOneStep(t *testing.T) {
	secret, uri, err := account.NewTOTPSecret("officer-anning")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+secret) {
		t.Errorf("uri %q", uri)
	}
	if got := account.TOTPURI("officer-anning", secret); !strings.Contains(got, "secret="+secret) {
		t.Errorf("TOTPURI = %q", got)
	}
	now := time.Date(2026, 11, 30, 9, 0, 10, 0, time.UTC)
	code, _ := account.TOTPCode(secret, now.Add(-30*time.Second))
	if ok, step := account.CheckTOTP(secret, code, now); !ok || step != now.Unix()/30-1 {
		t.Errorf("previous step's code: %v step %d", ok, step)
	}
	old, _ := account.TOTPCode(secret, now.Add(-2*time.Minute))
	if ok, _ := account.CheckTOTP(secret, old, now); ok && old != code {
		t.Error("a code four steps old was accepted")
	}
	if png, err := account.TOTPQRCode(uri, 200); err != nil || len(png) < 100 {
		t.Errorf("QR code: %d bytes, %v", len(png), err)
	}
}

// 等保 身份鉴别 (a code as a person types it): an authenticator shows its
// code in groups ("123 456") and a Chinese input method types full-width
// digits; both are the code. Anything not six digits is no code at all,
// told as such rather than counted as a wrong one.
func TestATOTPCodeIsReadAsAPersonTypesIt(t *testing.T) {
	for typed, want := range map[string]string{"123456": "123456", " 123 456 ": "123456", "123-456": "123456",
		"１２３４５６": "123456", "１２３ ４５６": "123456", "12345": "", "1234567": "", "12345a": "", "": "", "١٢٣٤٥٦": ""} {
		got, ok := account.TOTPCodeOf(typed)
		if got != want || ok != (want != "") {
			t.Errorf("TOTPCodeOf(%q) = %q, %v; want %q", typed, got, ok, want)
		}
	}
}
