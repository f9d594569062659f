package account

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// A TOTP secret is a shared secret: whoever reads it can make codes. It is
// kept sealed (AES-256-GCM) so that a copy of the database — a backup, a
// replica, a dump — gives away no second factor (等保 2.0 三级, 身份鉴别 and
// 数据保密性). The key is LB_TOTP_KEY, or derived from LB_JWT_SECRET when
// that is not set.

// sealedPrefix marks a sealed value; a value without it is a secret stored
// before sealing, read as it is and sealed at its next change.
const sealedPrefix = "v1:"

// SecretBox seals and opens TOTP secrets with one key.
type SecretBox struct{ aead cipher.AEAD }

// NewSecretBox makes a box from key material of any length: the AES key is
// derived from it with HKDF-SHA256, so a passphrase works as well as 32
// random bytes.
func NewSecretBox(material []byte) (*SecretBox, error) {
	if len(material) < 16 {
		return nil, errors.New("TOTP key material must be at least 16 bytes")
	}
	key, err := hkdf.Key(sha256.New, material, nil, "laborbrand console TOTP secrets v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// Seal seals a secret for storage.
func (b *SecretBox) Seal(secret string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := b.aead.Seal(nonce, nonce, []byte(secret), nil)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open returns the secret of a stored value; a value stored before sealing
// is returned as it is.
func (b *SecretBox) Open(stored string) (string, error) {
	raw, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	n := b.aead.NonceSize()
	if err != nil || len(data) < n {
		return "", errors.New("sealed TOTP secret is malformed")
	}
	plain, err := b.aead.Open(nil, data[:n], data[n:], nil)
	if err != nil {
		return "", errors.New("sealed TOTP secret does not open with this key (LB_TOTP_KEY changed?)")
	}
	return string(plain), nil
}
