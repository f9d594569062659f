// Package account holds what identifies a person at the console (等保 2.0
// 三级, GB/T 22239-2019 8.1.4.1 身份鉴别): the password policy, argon2id
// password hashes and the TOTP second factor. It keeps no state; the store
// keeps the accounts and their sessions.
package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's password storage recommendation (19 MiB, two
// passes, one lane) — about 30 ms on one core of the bureau's servers, so a
// sign-in stays quick while an offline guess costs as much.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// hashing bounds the argon2id computations running at once: each holds
// its 19 MiB while it runs, and sign-in and registration are public — a
// burst of them from many addresses would otherwise hold that much each.
// The others wait their turn (a few ms each), as they would for a core.
var hashing = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

// idKey is argon2.IDKey within the bound of hashing.
func idKey(password, salt []byte, passes, memory uint32, threads uint8, keyLen uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(password, salt, passes, memory, threads, keyLen)
}

// HashPassword returns password's argon2id hash in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), which carries its parameters, so
// stronger ones can be chosen later without invalidating stored hashes.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := idKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash (from HashPassword),
// in time independent of where they differ.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2 version %q not supported", parts[2])
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("argon2 parameters %q: %w", parts[3], err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("argon2 hash: %w", err)
	}
	got := idKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the user name is unknown, so that an
// unknown name takes as long to refuse as a wrong password.
var dummyHash, _ = HashPassword("no account has this password")

// SpendCheckTime does the work of one CheckPassword for an unknown user.
func SpendCheckTime(password string) { CheckPassword(dummyHash, password) }

// Password policy (GB/T 22239-2019 8.1.4.1 a: 口令具有复杂度要求): at least
// MinPasswordLength characters from at least three of the four classes
// (lower case, upper case, digits, other), not containing the user name.
// Ten characters from three classes is what the bureaus' own IT rules ask
// and keeps an argon2id-hashed password out of reach of offline guessing.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// TemporaryPassword is a password an admin hands over after resetting
// one: "Lb!" (upper and lower case and a symbol: the policy's classes; "!"
// is in no user name) and 12 random letters and digits that cannot be
// misread (no 0/O, 1/l/I), about 70 bits, drawn without bias. The person
// changes it at the console's 修改密码.
func TemporaryPassword(username string) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const unbiased = 256 - 256%len(alphabet) // bytes at or above it are drawn again
	for range 100 {                          // a name inside 12 random characters is a rare draw
		p := []byte("Lb!")
		for len(p) < 15 {
			b := make([]byte, 1)
			if _, err := rand.Read(b); err != nil {
				return "", fmt.Errorf("temporary password: %w", err)
			}
			if int(b[0]) < unbiased {
				p = append(p, alphabet[int(b[0])%len(alphabet)])
			}
		}
		if CheckPolicy(username, string(p)) == "" {
			return string(p), nil
		}
	}
	return "", fmt.Errorf("temporary password: none meets the policy for user name %q", username)
}

// UsernameProblem says, in Chinese, why name cannot name a new account;
// "" when it can: 3 to 32 letters, digits, "-", "_" or ".", so that it
// is typed alike on any keyboard and stands in a console path as it is.
func UsernameProblem(name string) string {
	if len(name) < 3 || len(name) > 32 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return "用户名为3至32位字母、数字、“-”“_”或“.”"
	}
	return ""
}

// CheckPolicy says, in Chinese, why password does not meet the policy for
// username; "" when it does.
func CheckPolicy(username, password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("密码至少 %d 个字符", MinPasswordLength)
	case n > MaxPasswordLength:
		return fmt.Sprintf("密码不超过 %d 个字符", MaxPasswordLength)
	case username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)):
		return "密码不能包含用户名"
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsControl(r):
			return "密码不能包含控制字符"
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "密码须包含小写字母、大写字母、数字、符号中的至少三类"
	}
	return ""
}
