package uscc_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// example is the code RULES §2 gives as passing GB 32100-2015.
const example = "91350100M000100Y43"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"surrounding white space is trimmed", "  " + example + "\t\n", example},
		{"full-width letters and digits become ASCII", "９１３５０１００Ｍ０００１００Ｙ４３", example},
		{"the ideographic space U+3000 is trimmed like a space", "\u3000" + example + "\u3000", example},
		{"lower case is upper-cased", "91350100m000100y43", example},
		{"full-width lower case is upper-cased", "ｍ", "M"},
		{"O is never mapped to 0", "91350100MOOO100Y43", "91350100MOOO100Y43"},
		{"I is never mapped to 1", "9I350100M000100Y43", "9I350100M000100Y43"},
		{"inner spaces are kept (and then fail validation)", "9135 0100", "9135 0100"},
		{"empty stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := uscc.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error  // nil: valid
		wantMsg string // substring of the message, naming the position or length
	}{
		{"GB 32100: the RULES §2 example passes", example, nil, ""},
		{"GB 32100: full-width input is normalised first", "９１３５０１００Ｍ０００１００Ｙ４３", nil, ""},
		{"GB 32100: lower case is normalised first", "91350100m000100y43", nil, ""},
		{"GB 32100: surrounding spaces are normalised first", " 91350100M000100Y43 ", nil, ""},
		{"GB 32100: O is not 0 — the letter is not in the alphabet", "91350100MO00100Y43", uscc.ErrCharacter, "第10位“O”"},
		{"GB 32100: 17 characters is a length error", example[:17], uscc.ErrLength, "当前17位"},
		{"GB 32100: 19 characters is a length error", example + "0", uscc.ErrLength, "当前19位"},
		{"GB 32100: empty is a length error", "", uscc.ErrLength, "当前0位"},
		{"GB 32100: length counts characters, not bytes", "91350100M000100Y4中", uscc.ErrCharacter, "第18位“中”"},
		{"GB 32100: I is not allowed", "I1350100M000100Y43", uscc.ErrCharacter, "第1位“I”"},
		{"GB 32100: S is not allowed", "91350100S000100Y43", uscc.ErrCharacter, "第9位“S”"},
		{"GB 32100: V is not allowed", "91350100M000100V43", uscc.ErrCharacter, "第16位“V”"},
		{"GB 32100: Z is not allowed", "91350100M000100Y4Z", uscc.ErrCharacter, "第18位“Z”"},
		{"GB 32100: punctuation is not allowed", "91350100-000100Y43", uscc.ErrCharacter, "第9位“-”"},
		{"GB 32100: a wrong check character fails the checksum", "91350100M000100Y44", uscc.ErrChecksum, "第18位为“4”"},
		{"GB 32100: a changed body character fails the checksum", "91350100M000200Y43", uscc.ErrChecksum, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := uscc.Validate(tt.in)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tt.in, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Validate(%q) = %v, want it to wrap %v", tt.in, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Validate(%q) = %q, want it to mention %q", tt.in, err, tt.wantMsg)
			}
		})
	}
}

func TestValidateTellsFormatFromChecksum(t *testing.T) {
	for _, s := range []string{"123", "91350100MO00100Y43"} {
		if err := uscc.Validate(s); errors.Is(err, uscc.ErrChecksum) {
			t.Errorf("Validate(%q) = %v: a format error must not read as a checksum failure", s, err)
		}
	}
	if err := uscc.Validate("91350100M000100Y44"); errors.Is(err, uscc.ErrLength) || errors.Is(err, uscc.ErrCharacter) {
		t.Errorf("a checksum failure must not read as a format error: %v", err)
	}
}

func TestCheckCharacter(t *testing.T) {
	tests := []struct {
		name    string
		prefix  string
		want    byte
		wantErr error
	}{
		{"the RULES §2 example's check character is 3", example[:17], '3', nil},
		{"a Kunming association (51, 安宁市 530181)", "51530181MJ0000001", 'U', nil},
		{"a value-0 remainder gives check character 0", "00000000000000000", '0', nil},
		{"16 characters is a length error", example[:16], 0, uscc.ErrLength},
		{"a bad character is reported", "9135010OM000100Y4", 0, uscc.ErrCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := uscc.CheckCharacter(tt.prefix)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("CheckCharacter(%q) error = %v, want %v", tt.prefix, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("CheckCharacter(%q) = %q, want %q", tt.prefix, got, tt.want)
			}
			if err == nil {
				if verr := uscc.Validate(tt.prefix + string(got)); verr != nil {
					t.Errorf("prefix + its check character does not validate: %v", verr)
				}
			}
		})
	}
}

// FuzzUSCC: Normalize is idempotent, Validate never panics and agrees with CheckCharacter,
// and for any valid 17-character prefix exactly one of the 31 check characters passes.
func FuzzUSCC(f *testing.F) {
	for _, s := range []string{example, "９１３５０１００Ｍ０００１００Ｙ４３", "91350100m000100y43", "", " \u3000", "\xff\xfe", "ǅı"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := uscc.Normalize(s)
		if again := uscc.Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, again)
		}
		if (uscc.Validate(s) == nil) != (uscc.Validate(n) == nil) {
			t.Fatalf("Validate(%q) and Validate(Normalize) disagree", s)
		}
		prefix := prefixFrom(s)
		passing := 0
		for i := range len(uscc.Alphabet) {
			if uscc.Validate(prefix+uscc.Alphabet[i:i+1]) == nil {
				passing++
			}
		}
		if passing != 1 {
			t.Fatalf("prefix %q: %d check characters pass, want exactly 1", prefix, passing)
		}
	})
}

// prefixFrom maps arbitrary bytes onto a valid 17-character prefix, so that every fuzz input
// exercises the one-check-character property.
func prefixFrom(s string) string {
	var b strings.Builder
	for i := range 17 {
		c := byte(i)
		if i < len(s) {
			c = s[i]
		}
		b.WriteByte(uscc.Alphabet[int(c)%len(uscc.Alphabet)])
	}
	return b.String()
}
