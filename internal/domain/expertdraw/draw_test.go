package expertdraw_test

import (
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
)

func pool() []expertdraw.Expert {
	return []expertdraw.Expert{
		{ID: "E01", Specialties: []string{"planting_breeding"}, CountyCode: "530181", Active: true},
		{ID: "E02", Specialties: []string{"planting_breeding"}, CountyCode: "530102", Active: true},
		{ID: "E03", Specialties: []string{"planting_breeding", "culture_tourism_crafts"}, CountyCode: "530103", Active: true},
		{ID: "E04", Specialties: []string{"planting_breeding"}, CountyCode: "530111", AffiliationUSCC: "91350100M000100Y43", Active: true},
		{ID: "E05", Specialties: []string{"planting_breeding"}, CountyCode: "530112", Active: false},
		{ID: "E06", Specialties: []string{"planting_breeding"}, CountyCode: "530113", Active: true},
		{ID: "E07", Specialties: []string{"manufacturing"}, CountyCode: "530114", Active: true},
		{ID: "E08", Specialties: []string{"construction"}, CountyCode: "530115", Active: true},
		{ID: "E09", Specialties: []string{"planting_breeding"}, CountyCode: "530124", Active: true},
		{ID: "E10", Specialties: []string{"planting_breeding"}, CountyCode: "530125", Active: true},
	}
}

// 第十二条 (抽取专家智库成员), RULES §3 (the expert draw): experts of the
// applicant's county or organisation and inactive ones are avoided, the
// category's specialists are preferred, and a supplementary draw excludes
// those already drawn.
func Test第十二条_DrawAvoidsConflictsAndPrefersSpecialists(t *testing.T) {
	req := expertdraw.Request{Seed: 42, Count: 3, Category: "planting_breeding", CountyCode: "530181", USCC: "91350100M000100Y43"}
	res := expertdraw.Draw(pool(), req)

	t.Run("第十二条 avoidance: no expert of the applicant's county, organisation, or inactive", func(t *testing.T) {
		for _, id := range res.Pool {
			if id == "E01" || id == "E04" || id == "E05" {
				t.Errorf("pool contains avoided expert %s: %v", id, res.Pool)
			}
		}
	})
	t.Run("RULES §3: specialists of the category only when there are enough", func(t *testing.T) {
		if res.Fallback {
			t.Fatal("fell back although 5 specialists remain")
		}
		want := []string{"E02", "E03", "E06", "E09", "E10"}
		if !slices.Equal(res.Pool, want) {
			t.Errorf("pool %v, want %v", res.Pool, want)
		}
		if len(res.Drawn) != 3 {
			t.Fatalf("drew %d, want 3", len(res.Drawn))
		}
		for _, id := range res.Drawn {
			if !slices.Contains(want, id) {
				t.Errorf("drew %s outside the pool", id)
			}
		}
	})
	t.Run("RULES §3: the seed and pool replay to the same experts", func(t *testing.T) {
		again := expertdraw.Replay(res.Pool, req.Seed, req.Count)
		if !slices.Equal(again, res.Drawn) {
			t.Errorf("replay %v, draw %v", again, res.Drawn)
		}
		if other := expertdraw.Draw(pool(), expertdraw.Request{Seed: 7, Count: 5, Category: req.Category, CountyCode: req.CountyCode, USCC: req.USCC}); len(other.Drawn) != 5 {
			t.Errorf("drawing the whole pool gave %v", other.Drawn)
		}
	})
	t.Run("RULES §3: too few specialists → drawn among all active experts", func(t *testing.T) {
		r := expertdraw.Draw(pool(), expertdraw.Request{Seed: 1, Count: 3, Category: "manufacturing", CountyCode: "530181"})
		if !r.Fallback || len(r.Drawn) != 3 {
			t.Errorf("fallback=%v drawn=%v", r.Fallback, r.Drawn)
		}
		if slices.Contains(r.Pool, "E01") {
			t.Error("fallback pool must still avoid the applicant's county")
		}
	})
	t.Run("RULES §1, §3: a functional zone's applicant avoids the experts of the bureau that reviews the zone", func(t *testing.T) {
		r := expertdraw.Draw(pool(), expertdraw.Request{Seed: 3, Count: 3, Category: "planting_breeding", CountyCode: "530199", ReviewerCode: "530102"})
		if want := []string{"E01", "E03", "E04", "E06", "E09", "E10"}; !slices.Equal(r.Pool, want) {
			t.Errorf("pool %v, want %v (E02 of the reviewing bureau 530102 avoided)", r.Pool, want)
		}
	})
	t.Run("a supplementary draw excludes experts already drawn", func(t *testing.T) {
		r := expertdraw.Draw(pool(), expertdraw.Request{Seed: 9, Count: 2, Category: "planting_breeding", CountyCode: "530181", Exclude: res.Drawn})
		for _, id := range r.Drawn {
			if slices.Contains(res.Drawn, id) {
				t.Errorf("drew %s twice", id)
			}
		}
	})
}

// 第十二条 (抽取专家智库成员), RULES §3 (the expert draw): a draw is replayed
// from its recorded seed and pool, so the shuffle must never change — these
// are the experts a fixed seed and pool draw, written out once; a different
// list means every recorded draw would now replay to other experts.
func Test第十二条_ADrawOfAFixedSeedAndPoolIsPinned(t *testing.T) {
	cases := []struct {
		name     string
		req      expertdraw.Request
		drawn    []string
		fallback bool
	}{
		{"three of five specialists", expertdraw.Request{Seed: 42, Count: 3, Category: "planting_breeding", CountyCode: "530181", USCC: "91350100M000100Y43"},
			[]string{"E03", "E09", "E10"}, false},
		{"the whole pool, in draw order", expertdraw.Request{Seed: 7, Count: 5, Category: "planting_breeding", CountyCode: "530181", USCC: "91350100M000100Y43"},
			[]string{"E02", "E09", "E03", "E10", "E06"}, false},
		{"too few specialists: among all active experts", expertdraw.Request{Seed: 1, Count: 3, Category: "manufacturing", CountyCode: "530181"},
			[]string{"E03", "E04", "E06"}, true},
		{"the default five", expertdraw.Request{Seed: 20260302, Count: 5, Category: "planting_breeding", CountyCode: "530181"},
			[]string{"E02", "E06", "E04", "E03", "E09"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := expertdraw.Draw(pool(), tc.req)
			if !slices.Equal(res.Drawn, tc.drawn) || res.Fallback != tc.fallback {
				t.Errorf("seed %d drew %v (fallback %v), want %v (fallback %v)", tc.req.Seed, res.Drawn, res.Fallback, tc.drawn, tc.fallback)
			}
		})
	}
}
