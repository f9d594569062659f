package account_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/platform/account"
)

// 等保 2.0 三级 (数据保密性): a TOTP secret is stored sealed, opens with its
// key only, and a secret stored before sealing still reads.
func TestTOTPSecretsAreSealed(t *testing.T) {
	box, err := account.NewSecretBox([]byte("a key of at least sixteen bytes"))
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := account.NewTOTPSecret("dongchuan")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal(secret)
	if err != nil || strings.Contains(sealed, secret) || !strings.HasPrefix(sealed, "v1:") {
		t.Fatalf("sealed %q (%v): must not contain the secret", sealed, err)
	}
	again, _ := box.Seal(secret)
	if again == sealed {
		t.Error("two seals of one secret are equal: the nonce is not fresh")
	}
	if got, err := box.Open(sealed); err != nil || got != secret {
		t.Errorf("open: %q, %v", got, err)
	}
	other, _ := account.NewSecretBox([]byte("another key, sixteen bytes long"))
	if _, err := other.Open(sealed); err == nil {
		t.Error("a sealed secret opened with another key")
	}
	if got, err := box.Open(secret); err != nil || got != secret {
		t.Errorf("a secret stored before sealing: %q, %v", got, err)
	}
	if _, err := account.NewSecretBox([]byte("short")); err == nil {
		t.Error("a key of 5 bytes was taken")
	}
}
