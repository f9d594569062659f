package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// banTestSpellings are the spellings of issue 12 that got past the ban and
// the one-open-application rule; each reads as 昆明BanTest + suffix.
func banTestSpellings(suffix string) map[string]string {
	return map[string]string{
		"a space":                    "昆明 BanTest" + suffix,
		"an ideographic space":       "昆明\u3000BanTest" + suffix,
		"a no-break space":           "昆明\u00a0BanTest" + suffix,
		"a zero-width joiner inside": "昆明Ban\u200dTest" + suffix,
		"a zero-width space inside":  "昆明\u200bBanTest" + suffix,
		"a word joiner and a BOM":    "昆明\u2060BanTest\ufeff" + suffix,
		"a soft hyphen":              "昆明Ban\u00adTest" + suffix,
		"a variation selector":       "昆明BanTest\ufe0f" + suffix,
		"full-width letters":         "昆明ＢａｎＴｅｓｔ" + suffix,
		"mathematical bold letters":  "昆明𝐁𝐚𝐧𝐓𝐞𝐬𝐭" + suffix,
		"lower case":                 "昆明bantest" + suffix,
		"upper case":                 "昆明BANTEST" + suffix,
		"Cyrillic look-alikes":       "昆明ВаnТеst" + suffix,
		"Greek look-alikes":          "昆明ΒanΤest" + suffix,
		"Cyrillic, full width, ZWSP": "昆明\u200bВａnТеｓt " + suffix,
	}
}

// RULES §3 Decision — one name, one brand (issue 12: 14 of 14 variants
// were accepted): a name held by an open application, a brand in the
// library or a ban is held in every spelling that reads the same — 409,
// and nothing stored.
func TestDecision_OneNameOneBrand_LookAlikeSpellingsAreRefused(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", "昆明BanTest家政",
		"uscc", demo.USCC("5153010200000001")), "Idempotency-Key", "the-open-one"), 201, "the open application")
	admitBrand(t, s, demo.Rose().With("brand_name", "昆明BanTest月嫂", "uscc", demo.USCC("5153010200000002")), "2025-06-02")
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason)
		VALUES ('昆明BanTest厨师', $1, $2, '2025-01-06', '2030-01-06', 'removal')`,
		namekey.Key("昆明BanTest厨师"), demo.USCC("5153010200000003")); err != nil {
		t.Fatal(err)
	}
	n := 10
	for _, held := range []struct{ by, suffix string }{{"an open application", "家政"}, {"a brand in the library", "月嫂"}, {"a ban", "厨师"}} {
		for name, spelling := range banTestSpellings(held.suffix) {
			t.Run(held.by+": "+name, func(t *testing.T) {
				n++
				form := demo.Rose().With("brand_name", spelling, "uscc", demo.USCC(fmt.Sprintf("51530102%08d", n)))
				r := s.Do("POST", "/api/v1/applications", a.city, form)
				if r.Status != 409 {
					t.Fatalf("%q: status %d, want 409: %s", spelling, r.Status, r.Body)
				}
				// The form shows the refusal beside the name.
				if got := failingFields(errorOf(t, r, 409, spelling)); !slices.Equal(got, []string{"brand_name"}) {
					t.Errorf("%q: fields %v, want [brand_name]", spelling, got)
				}
			})
		}
	}
	list := expect(t, s.Do("GET", "/api/v1/applications?stage=county_review", a.supervisor, nil), 200, "list")
	if got := len(list["items"].([]any)); got != 1 {
		t.Errorf("%d applications open, want only the first", got)
	}
	t.Run("a different name is still free", func(t *testing.T) {
		expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", "昆明BanTests家政",
			"uscc", demo.USCC("5153010299999999"))), 201, "another name")
	})
}

// RULES §3 and 第十五条（四）: a holder already in the library, one with an
// open application and one whose USCC is banned are refused by the USCC —
// and the 409 names that field, not the brand name, so the form shows it
// where the holder can act on it.
func TestDecision_OneNameOneBrand_ATakenUSCCIsNamedAsTheField(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	open, inLibrary, banned := demo.USCC("5153010300000001"), demo.USCC("5153010300000002"), demo.USCC("5153010300000003")
	expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", "昆明字段甲", "uscc", open)), 201, "the open application")
	admitBrand(t, s, demo.Rose().With("brand_name", "昆明字段乙", "uscc", inLibrary), "2025-06-02")
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason)
		VALUES ('昆明字段丙', $1, $2, '2025-01-06', '2030-01-06', 'removal')`, namekey.Key("昆明字段丙"), banned); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ held, uscc, name string }{
		{"an open application of the holder", open, "昆明字段丁"},
		{"the holder's brand in the library", inLibrary, "昆明字段戊"},
		{"a banned USCC", banned, "昆明字段己"},
	} {
		t.Run(c.held, func(t *testing.T) {
			e := errorOf(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", c.name, "uscc", c.uscc)), 409, c.held)
			if got := failingFields(e); !slices.Equal(got, []string{"uscc"}) {
				t.Errorf("fields %v, want [uscc]", got)
			}
		})
	}
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason)
		VALUES ('昆明字段庚', $1, $2, '2025-02-03', '2030-02-03', 'removal')`, namekey.Key("昆明字段庚"), demo.USCC("5153010300000004")); err != nil {
		t.Fatal(err)
	}
	for what, name := range map[string]string{"by one ban": "昆明字段丙", "by two bans": "昆明字段庚"} {
		t.Run("a name and a USCC banned "+what+" are named both", func(t *testing.T) {
			e := errorOf(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", name, "uscc", banned)), 409, what)
			if got := failingFields(e); !slices.Equal(got, []string{"brand_name", "uscc"}) {
				t.Errorf("fields %v, want [brand_name uscc]", got)
			}
		})
	}
}
