package namekey_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// BanTestVariants are the spellings of issue 12 that passed the ban and the
// one-open-application rule: each reads as 昆明BanTest家政.
var BanTestVariants = map[string]string{
	"a space":                             "昆明 BanTest家政",
	"an ideographic space":                "昆明\u3000BanTest家政",
	"a no-break space":                    "昆明\u00a0BanTest家政",
	"a zero-width joiner inside":          "昆明Ban\u200dTest家政",
	"a zero-width space inside":           "昆明\u200bBanTest家政",
	"a word joiner and a BOM":             "昆明\u2060BanTest\ufeff家政",
	"a soft hyphen":                       "昆明Ban\u00adTest家政",
	"a variation selector":                "昆明BanTest\ufe0f家政",
	"full-width letters":                  "昆明ＢａｎＴｅｓｔ家政",
	"mathematical bold letters":           "昆明𝐁𝐚𝐧𝐓𝐞𝐬𝐭家政",
	"lower case":                          "昆明bantest家政",
	"upper case":                          "昆明BANTEST家政",
	"Cyrillic look-alikes (В, а, Т, е)":   "昆明ВаnТеst家政",
	"Greek look-alikes (Β, Τ)":            "昆明ΒanΤest家政",
	"Cyrillic, full width and ZWSP mixed": "昆明\u200bВａnТеｓt 家政",
}

// RULES §3 Decision — one name, one brand: names are compared by a key,
// not as typed.
func TestDecision_OneNameOneBrand_VariantsShareTheKey(t *testing.T) {
	want := namekey.Key("昆明BanTest家政")
	for name, v := range BanTestVariants {
		if got := namekey.Key(v); got != want {
			t.Errorf("%s: Key(%q) = %q, want %q", name, v, got, want)
		}
	}
}

// RULES §3 Decision — one name, one brand: different names keep different
// keys; Han look-alikes are different words.
func TestDecision_OneNameOneBrand_DifferentNamesDiffer(t *testing.T) {
	for _, pair := range [][2]string{
		{"昆明家政", "安宁家政"},
		{"土家刺绣", "士家刺绣"},
		{"昆明BanTest家政", "昆明BanTests家政"},
		{"石林彝绣", "石林彝族刺绣"},
	} {
		if namekey.Key(pair[0]) == namekey.Key(pair[1]) {
			t.Errorf("%q and %q share the key %q", pair[0], pair[1], namekey.Key(pair[0]))
		}
	}
	for _, pair := range [][2]string{{"昆明0号", "昆明O号"}, {"昆明1号", "昆明l号"}, {"昆明I号", "昆明l号"}} {
		if namekey.Key(pair[0]) != namekey.Key(pair[1]) {
			t.Errorf("look-alikes %q and %q differ: %q, %q", pair[0], pair[1], namekey.Key(pair[0]), namekey.Key(pair[1]))
		}
	}
	if k := namekey.Key("昆明家政"); namekey.Key(k) != k {
		t.Errorf("a Chinese name's key %q is not its own key", k)
	}
}

// FuzzKey: the key never contains an invisible character and is stable.
func FuzzKey(f *testing.F) {
	for _, v := range BanTestVariants {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := namekey.Key(s)
		for _, r := range k {
			if namekey.Invisible(r) {
				t.Fatalf("Key(%q) = %q holds invisible %U", s, k, r)
			}
		}
		if namekey.Key(s) != k {
			t.Fatalf("Key(%q) is not deterministic", s)
		}
	})
}
