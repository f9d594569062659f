// Package uscc checks the unified social credit code (统一社会信用代码) of GB 32100-2015,
// the identifier every brand holder gives on the application form (附件1).
//
// The check is deliberately the standard's and nothing more: 18 characters from the code
// alphabet and a matching check character. Some codes issued in practice fail the check; the
// form package decides who may override that (a city officer entering on the holder's behalf).
package uscc

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Alphabet lists the characters a code may contain, in the order of their values 0–30.
// The letters I, O, S, V and Z are not used, so that they are not confused with 1, 0, 5, U and 2.
const Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Length is the number of characters in a code; the last one is the check character.
const Length = 18

// The errors Validate wraps. A format error (ErrLength, ErrCharacter) means the string cannot be a
// code at all; ErrChecksum means it is well formed but its check character does not match.
var (
	ErrLength    = errors.New("统一社会信用代码应为18位")
	ErrCharacter = errors.New("统一社会信用代码含不允许的字符")
	ErrChecksum  = errors.New("统一社会信用代码校验位不符")
)

// weights[i] is 3^i mod 31, the weight of the (i+1)-th character (GB 32100-2015 §4.3).
var weights = func() [Length - 1]int {
	var w [Length - 1]int
	p := 1
	for i := range w {
		w[i] = p
		p = p * 3 % 31
	}
	return w
}()

// Normalize returns s as a code is compared: surrounding white space removed, full-width forms
// (U+FF01–U+FF5E, and the ideographic space U+3000) replaced by their ASCII counterparts, and
// ASCII letters upper-cased. It never maps look-alikes (O to 0, I to 1): a code containing them is
// wrong and must be reported, not silently repaired. Normalize is idempotent.
func Normalize(s string) string {
	return strings.TrimSpace(strings.Map(halfWidthUpper, s))
}

func halfWidthUpper(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFF01 - 0x21
	case r == 0x3000:
		r = ' '
	}
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	return r
}

// Validate reports whether Normalize(s) is a valid code. The error wraps ErrLength (with the
// length found), ErrCharacter (with the 1-based position and the character) or ErrChecksum; tell
// them apart with errors.Is.
func Validate(s string) error {
	s = Normalize(s)
	if n := utf8.RuneCountInString(s); n != Length {
		return fmt.Errorf("%w（当前%d位）", ErrLength, n)
	}
	pos := 0
	for _, r := range s {
		pos++
		if value(r) < 0 {
			return fmt.Errorf("%w：第%d位“%c”", ErrCharacter, pos, r)
		}
	}
	want, _ := CheckCharacter(s[:Length-1])
	if s[Length-1] != want {
		return fmt.Errorf("%w（第18位为“%c”），请核对", ErrChecksum, s[Length-1])
	}
	return nil
}

// CheckCharacter returns the check character for the first 17 characters of a code:
// (31 − Σ value(cᵢ)·wᵢ mod 31) mod 31, with wᵢ = 3^(i−1) mod 31. The prefix is taken as given
// (not normalised); an error wraps ErrLength or ErrCharacter.
func CheckCharacter(prefix string) (byte, error) {
	if n := utf8.RuneCountInString(prefix); n != Length-1 {
		return 0, fmt.Errorf("%w：校验位之前应有17位（当前%d位）", ErrLength, n)
	}
	sum, pos := 0, 0
	for _, r := range prefix {
		v := value(r)
		if v < 0 {
			return 0, fmt.Errorf("%w：第%d位“%c”", ErrCharacter, pos+1, r)
		}
		sum += v * weights[pos]
		pos++
	}
	return Alphabet[(31-sum%31)%31], nil
}

// value is the character's value in Alphabet, or -1 when it is not in the alphabet.
func value(r rune) int {
	if r >= utf8.RuneSelf {
		return -1
	}
	return strings.IndexByte(Alphabet, byte(r))
}
