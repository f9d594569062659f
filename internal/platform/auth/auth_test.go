package auth_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

// API.md auth: claims sub, role, county (county_officer), uscc (applicant).
func TestSignParseRoundTrip(t *testing.T) {
	now := time.Now()
	for _, p := range []auth.Principal{
		{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"},
		{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"},
		{Sub: "city-taskforce", Role: auth.CityOfficer},
		{Sub: "EXP01", Role: auth.Expert},
		{Sub: "supervisor", Role: auth.Supervisor},
		{Sub: "root", Role: auth.Admin},
	} {
		t.Run(string(p.Role), func(t *testing.T) {
			tok, err := auth.Sign(secret, p, now, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			got, err := auth.Parse(secret, tok, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !got.IssuedAt.Equal(now.Truncate(time.Second)) { // iat: whole seconds
				t.Errorf("Parse's IssuedAt %s, want %s", got.IssuedAt, now.Truncate(time.Second))
			}
			got.IssuedAt = time.Time{}
			if got != p {
				t.Errorf("Parse = %+v, want %+v", got, p)
			}
		})
	}
}

// API.md auth: a county officer is bound to a county, an applicant to its
// USCC; a token without them would let its holder see every county or unit.
func TestInconsistentPrincipalsAreRefused(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name string
		p    auth.Principal
	}{
		{"county_officer without county", auth.Principal{Sub: "o", Role: auth.CountyOfficer}},
		{"applicant without uscc", auth.Principal{Sub: "a", Role: auth.Applicant}},
		{"no sub", auth.Principal{Role: auth.CityOfficer}},
		{"unknown role", auth.Principal{Sub: "x", Role: "mayor"}},
		{"the public role cannot be carried by a token", auth.Principal{Sub: "x", Role: auth.Public}},
		{"the system role cannot be carried by a token", auth.Principal{Sub: "x", Role: auth.System}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := auth.Sign(secret, tc.p, now, time.Hour); err == nil {
				t.Error("Sign accepted it")
			}
			// A token crafted with the right secret is still refused by Parse.
			tok := craft(t, jwt.SigningMethodHS256, secret, claims(tc.p, now.Add(time.Hour)))
			if p, err := auth.Parse(secret, tok, 0); err == nil {
				t.Errorf("Parse accepted %+v", p)
			}
		})
	}
}

// API.md auth: Bearer JWT HS256 with exp in wall-clock time; anything else is
// a 401.
func TestOnlyValidHS256TokensAreAccepted(t *testing.T) {
	now := time.Now()
	p := auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	noExp := claims(p, now)
	noExp.ExpiresAt = nil
	valid, _ := auth.Sign(secret, p, now, time.Hour)
	cases := []struct {
		name  string
		token string
	}{
		{"signed with another secret", craft(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-!!"), claims(p, now.Add(time.Hour)))},
		{"alg none", craft(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(p, now.Add(time.Hour)))},
		{"alg HS512 with the right secret", craft(t, jwt.SigningMethodHS512, secret, claims(p, now.Add(time.Hour)))},
		{"alg RS256", craft(t, jwt.SigningMethodRS256, rsaKey, claims(p, now.Add(time.Hour)))},
		{"expired", mustSign(t, p, now.Add(-2*time.Hour), time.Hour)},
		{"no exp", craft(t, jwt.SigningMethodHS256, secret, noExp)},
		{"signature altered", valid[:len(valid)-2] + flip(valid[len(valid)-2:])},
		{"empty", ""},
		{"not a JWT", "Bearer abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := auth.Parse(secret, tc.token, 0); err == nil {
				t.Errorf("Parse accepted it as %+v", got)
			}
		})
	}
	if _, err := auth.Parse(secret, valid, 0); err != nil {
		t.Fatalf("the untouched token is refused: %v", err)
	}
}

// API.md auth (issue 12): a token's life is bounded — exp required and at
// most the maximum TTL after iat, iat at most a minute ahead of our clock,
// both numbers — so a leaked or forged-clock token cannot live for years.
func TestTokenLifetimeIsBounded(t *testing.T) {
	now := time.Now()
	p := auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}
	at := func(iat, exp time.Time) *auth.Claims {
		c := claims(p, exp)
		c.IssuedAt = jwt.NewNumericDate(iat)
		return c
	}
	noIat := claims(p, now.Add(time.Hour))
	noIat.IssuedAt = nil
	raw := func(exp, iat any) string {
		m := jwt.MapClaims{"sub": p.Sub, "role": string(p.Role), "exp": exp, "iat": iat}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, m).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	year5138 := time.Date(5138, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		token  string
		maxTTL time.Duration
		ok     bool
	}{
		{"exactly the default maximum of 30 days", craft(t, jwt.SigningMethodHS256, secret, at(now, now.Add(auth.DefaultMaxTTL))), 0, true},
		{"a second over the default maximum", craft(t, jwt.SigningMethodHS256, secret, at(now, now.Add(auth.DefaultMaxTTL+time.Second))), 0, false},
		{"an expiry in the year 5138", craft(t, jwt.SigningMethodHS256, secret, at(now, year5138)), 0, false},
		{"over a configured maximum of 1 h", craft(t, jwt.SigningMethodHS256, secret, at(now, now.Add(2*time.Hour))), time.Hour, false},
		{"within a configured maximum of 1 h", craft(t, jwt.SigningMethodHS256, secret, at(now, now.Add(time.Hour))), time.Hour, true},
		{"issued 30 s ahead of our clock (leeway)", craft(t, jwt.SigningMethodHS256, secret, at(now.Add(30*time.Second), now.Add(time.Hour))), 0, true},
		{"issued 5 minutes in the future", craft(t, jwt.SigningMethodHS256, secret, at(now.Add(5*time.Minute), now.Add(time.Hour))), 0, false},
		{"no iat", craft(t, jwt.SigningMethodHS256, secret, noIat), 0, false},
		{"exp as a string", raw(fmt.Sprint(now.Add(time.Hour).Unix()), now.Unix()), 0, false},
		{"iat as a string", raw(now.Add(time.Hour).Unix(), fmt.Sprint(now.Unix())), 0, false},
		{"exp as an object", raw(map[string]any{"n": 1}, now.Unix()), 0, false},
		{"exp and iat as numbers", raw(now.Add(time.Hour).Unix(), now.Unix()), 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := auth.Parse(secret, tc.token, tc.maxTTL)
			if tc.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tc.ok && err == nil {
				t.Errorf("accepted as %+v", got)
			}
		})
	}
}

// API.md auth: tokens are signed with LB_JWT_SECRET, or the dev data dir's
// secret, generated once and reused.
func TestLoadSecret(t *testing.T) {
	t.Run("LB_JWT_SECRET wins", func(t *testing.T) {
		got, err := auth.LoadSecret(string(secret), t.TempDir(), true)
		if err != nil || !bytes.Equal(got, secret) {
			t.Fatalf("LoadSecret = %q, %v", got, err)
		}
	})
	t.Run("LB_JWT_SECRET shorter than 32 characters is refused", func(t *testing.T) {
		if got, err := auth.LoadSecret("short-secret", t.TempDir(), true); err == nil {
			t.Fatalf("LoadSecret accepted %q", got)
		}
	})
	t.Run("the dev data dir's secret is generated once and reused", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data")
		if _, err := auth.LoadSecret("", dir, false); err == nil {
			t.Fatal("without create, a missing secret must be an error")
		}
		first, err := auth.LoadSecret("", dir, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) < 32 {
			t.Errorf("generated secret %q is shorter than 32 characters", first)
		}
		fi, err := os.Stat(filepath.Join(dir, "jwt-secret"))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("secret file mode %v is readable by others", perm)
		}
		for _, create := range []bool{true, false} {
			again, err := auth.LoadSecret("", dir, create)
			if err != nil || !bytes.Equal(again, first) {
				t.Errorf("LoadSecret(create=%v) = %q, %v; want the saved %q", create, again, err, first)
			}
		}
		tok := mustSignWith(t, first)
		if _, err := auth.Parse(first, tok, 0); err != nil {
			t.Errorf("a token signed with the saved secret is refused: %v", err)
		}
	})
}

// API.md errors: a bad token is a 401, never a crash.
func FuzzParse(f *testing.F) {
	valid, _ := auth.Sign(secret, auth.Principal{Sub: "s", Role: auth.CityOfficer}, time.Now(), time.Hour)
	for _, s := range []string{"", ".", "..", "a.b.c", valid, valid + "x", strings.Repeat("eyJ", 100),
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "eyJhbGciOiJIUzI1NiJ9.bnVsbA.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		p, err := auth.Parse(secret, token, 0)
		if err == nil && p.Check() != nil {
			t.Errorf("Parse accepted an inconsistent principal %+v", p)
		}
	})
}

func claims(p auth.Principal, exp time.Time) *auth.Claims {
	return &auth.Claims{Role: p.Role, County: p.County, USCC: p.USCC, RegisteredClaims: jwt.RegisteredClaims{
		Subject: p.Sub, ExpiresAt: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(exp.Add(-time.Hour)),
	}}
}

func craft(t *testing.T, m jwt.SigningMethod, key any, c *auth.Claims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func mustSign(t *testing.T, p auth.Principal, now time.Time, ttl time.Duration) string {
	t.Helper()
	tok, err := auth.Sign(secret, p, now, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func mustSignWith(t *testing.T, key []byte) string {
	t.Helper()
	tok, err := auth.Sign(key, auth.Principal{Sub: "root", Role: auth.Admin}, time.Now(), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// flip changes the characters of a base64url tail without leaving the alphabet.
func flip(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}
