// Package auth defines who may call laborbrand: the roles of RULES §1 and the
// HS256 bearer tokens of API.md that carry them.
package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Role is a caller's role (RULES §1).
type Role string

// The roles of RULES §1.
const (
	Applicant     Role = "applicant"
	CountyOfficer Role = "county_officer"
	CityOfficer   Role = "city_officer"
	Expert        Role = "expert"
	Supervisor    Role = "supervisor"
	Admin         Role = "admin"
	Public        Role = "public" // no token: only /api/v1/public/…
	System        Role = "system" // automatic actions of the processes themselves
	SystemActor        = "system"
)

// Roles lists the roles a token may carry.
var Roles = []Role{Applicant, CountyOfficer, CityOfficer, Expert, Supervisor, Admin}

// Valid reports whether r is a role a token may carry.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Claims are the token claims of API.md: sub, role, county (county officers),
// uscc (applicants), exp (wall-clock time).
type Claims struct {
	Role   Role   `json:"role"`
	County string `json:"county,omitempty"`
	USCC   string `json:"uscc,omitempty"`
	jwt.RegisteredClaims
}

// UnmarshalJSON refuses time claims (exp, iat, nbf) that are not JSON
// numbers: RFC 7519 makes them NumericDates, and the JWT library would take
// "exp": "99999999999" as a number.
func (c *Claims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for _, name := range []string{"exp", "iat", "nbf"} {
		v := bytes.TrimSpace(raw[name])
		if len(v) > 0 && !bytes.Equal(v, []byte("null")) && (v[0] == '"' || v[0] == '{' || v[0] == '[' || v[0] == 't' || v[0] == 'f') {
			return fmt.Errorf("claim %s must be a number of seconds, not %s", name, v)
		}
	}
	type plain Claims // without this method
	return json.Unmarshal(b, (*plain)(c))
}

// DefaultMaxTTL is the longest a token may be valid (exp − iat) when
// LB_TOKEN_MAX_TTL is unset.
const DefaultMaxTTL = 30 * 24 * time.Hour

// Leeway is how far a token's clock may be off ours: iat up to a minute in
// the future, exp up to a minute in the past.
const Leeway = time.Minute

// Principal is the authenticated caller.
type Principal struct {
	Sub    string
	Role   Role
	County string
	USCC   string
	// IssuedAt is a bearer token's iat: a subject's tokens issued before
	// its revocation are refused (laborbrand token revoke).
	IssuedAt time.Time
}

// Check reports what is missing for a consistent principal: a county officer
// is bound to a county, an applicant to its USCC.
func (p Principal) Check() error {
	switch {
	case p.Sub == "":
		return errors.New("claim sub is required")
	case !p.Role.Valid():
		return fmt.Errorf("unknown role %q", p.Role)
	case p.Role == CountyOfficer && p.County == "":
		return errors.New("a county_officer token needs the county claim")
	case p.Role == Applicant && p.USCC == "":
		return errors.New("an applicant token needs the uscc claim")
	}
	return nil
}

// Sign issues a token for p valid for ttl of wall-clock time.
func Sign(secret []byte, p Principal, now time.Time, ttl time.Duration) (string, error) {
	if err := p.Check(); err != nil {
		return "", err
	}
	claims := Claims{Role: p.Role, County: p.County, USCC: p.USCC, RegisteredClaims: jwt.RegisteredClaims{
		Subject:   p.Sub,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		Issuer:    "laborbrand",
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
}

// Parse verifies a token and returns its principal: HS256 only; exp and iat
// required, numbers both; iat no more than Leeway in the future; exp no
// more than maxTTL after iat (0: DefaultMaxTTL), so a leaked token cannot
// live for years.
func Parse(secret []byte, token string, maxTTL time.Duration) (Principal, error) {
	if maxTTL <= 0 {
		maxTTL = DefaultMaxTTL
	}
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(Leeway))
	if err != nil {
		return Principal{}, err
	}
	switch {
	case c.IssuedAt == nil:
		return Principal{}, errors.New("claim iat is required")
	case c.ExpiresAt.Sub(c.IssuedAt.Time) > maxTTL:
		return Principal{}, fmt.Errorf("token valid for %s, longer than the maximum %s", c.ExpiresAt.Sub(c.IssuedAt.Time).Round(time.Second), maxTTL)
	}
	p := Principal{Sub: c.Subject, Role: c.Role, County: c.County, USCC: c.USCC, IssuedAt: c.IssuedAt.Time}
	return p, p.Check()
}

// secretFile is where a dev data dir keeps its generated signing secret.
const secretFile = "jwt-secret"

// LoadSecret returns the configured secret (LB_JWT_SECRET) when there is
// one; otherwise the secret kept in dataDir, generated the first time when
// create is true.
func LoadSecret(configured, dataDir string, create bool) ([]byte, error) {
	if configured != "" {
		if len(configured) < 32 {
			return nil, errors.New("LB_JWT_SECRET must be at least 32 characters")
		}
		return []byte(configured), nil
	}
	path := filepath.Join(dataDir, secretFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if !errors.Is(err, os.ErrNotExist) || !create {
		return nil, fmt.Errorf("no signing secret: set LB_JWT_SECRET or run `laborbrand dev` once to create %s (%v)", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(raw)
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("save signing secret: %w", err)
	}
	return []byte(secret), nil
}
