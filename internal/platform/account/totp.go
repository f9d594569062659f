package account

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/text/unicode/norm"
)

// Issuer names the system in an authenticator app.
const Issuer = "昆明市劳务品牌项目库"

// totpPeriod is RFC 6238's time step; codes of one step before or after
// are accepted too (a phone's clock is often half a minute off).
const totpPeriod = 30

// NewTOTPSecret makes a new TOTP secret for username and returns it with
// its otpauth:// URI (what an authenticator app's QR code holds).
func NewTOTPSecret(username string) (secret, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: username, Period: totpPeriod})
	if err != nil {
		return "", "", fmt.Errorf("TOTP secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// TOTPURI is the otpauth:// URI of an existing secret.
func TOTPURI(username, secret string) string {
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", Issuer)
	q.Set("period", strconv.Itoa(totpPeriod))
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + Issuer + ":" + username, RawQuery: q.Encode()}
	return u.String()
}

// TOTPQRCode is the PNG of uri's QR code, size pixels square.
func TOTPQRCode(uri string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// TOTPCodeOf is a code as a person typed it, in the form CheckTOTP takes:
// full-width digits (a Chinese input method's) made ASCII, the spaces and
// dashes an authenticator shows between its groups ("123 456") dropped;
// ok is false unless six digits are left, so that a slip of form is told
// as such and never counted as a wrong code.
func TOTPCodeOf(typed string) (code string, ok bool) {
	if len(typed) > 64 {
		return "", false
	}
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, norm.NFKC.String(typed))
	if len(code) != 6 || strings.TrimFunc(code, func(r rune) bool { return r >= '0' && r <= '9' }) != "" {
		return "", false
	}
	return code, true
}

// CheckTOTP reports whether code is secret's code at now (or one step
// either side) and which time step it is, so the caller can refuse a step
// used before (a code is good once).
func CheckTOTP(secret, code string, now time.Time) (ok bool, step int64) {
	if len(code) != 6 {
		return false, 0
	}
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 { // no timing to learn digits by

			return true, at.Unix() / totpPeriod
		}
	}
	return false, 0
}

// TOTPCode is secret's code at t (tests and the dev tools compute one).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
}
