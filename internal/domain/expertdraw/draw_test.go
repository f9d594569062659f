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

func TestDraw(t *testing.T) {
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
	t.Run("a supplementary draw excludes experts already drawn", func(t *testing.T) {
		r := expertdraw.Draw(pool(), expertdraw.Request{Seed: 9, Count: 2, Category: "planting_breeding", CountyCode: "530181", Exclude: res.Drawn})
		for _, id := range r.Drawn {
			if slices.Contains(res.Drawn, id) {
				t.Errorf("drew %s twice", id)
			}
		}
	})
}
