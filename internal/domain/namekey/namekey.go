// Package namekey is the canonical key under which brand names are compared
// (RULES §3, Decision — one name, one brand): two names that read the same
// to a person have the same key, however they were typed.
//
// The package is pure, so the API, the store and the workflows may call it.
package namekey

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Key returns name's canonical key:
//
//  1. Unicode NFKC, so full-width Ｂ, mathematical 𝐁 and compatibility
//     ideographs become B and their unified forms;
//  2. every invisible character removed (white space of any kind, format
//     characters such as the zero-width space and joiners and the BOM,
//     variation selectors, other default-ignorable code points, controls);
//  3. look-alike letters folded to one prototype by the skeleton of Unicode
//     TR39 (confusables.txt, Unicode 13.0, as github.com/mtibben/confusables
//     carries it): Cyrillic В and Greek Β are Latin B, 0 is O. Han
//     ideographs are left alone: look-alike pairs such as 土/士 or 己/已 are
//     different words of a Chinese name, not a disguise;
//  4. case folded, and the skeleton taken again, so 0, O and o are one
//     letter, as are 1, I and l;
//  5. NFC, invisible characters removed once more.
//
// `昆明 BanTest家政`, `昆明BanTest家政` with a zero-width joiner inside,
// `昆明ＢａｎＴｅｓｔ家政` and `昆明ВаnТеst家政` (Cyrillic) have one key.
func Key(name string) string {
	k := strip(norm.NFKC.String(name))
	k = skeleton(k)
	k = cases.Fold().String(k)
	k = skeleton(k)
	return strip(norm.NFC.String(k))
}

// Invisible reports a character that shows nothing: white space, a format
// character (Cf: zero-width space and joiners, BOM, bidi controls …), a
// variation selector or another default-ignorable code point (Hangul
// fillers, …).
func Invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp, unicode.Cf,
		unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// strip removes invisible and control characters.
func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if Invisible(r) || unicode.Is(unicode.Cc, r) {
			return -1
		}
		return r
	}, s)
}

// skeleton maps every run of non-Han characters of s to its TR39 skeleton.
func skeleton(s string) string {
	var b strings.Builder
	start := -1
	for i, r := range s {
		switch han := unicode.Is(unicode.Han, r); {
		case han && start >= 0:
			b.WriteString(confusables.Skeleton(s[start:i]))
			start = -1
			fallthrough
		case han:
			b.WriteRune(r)
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		b.WriteString(confusables.Skeleton(s[start:]))
	}
	return b.String()
}
