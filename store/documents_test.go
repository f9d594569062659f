package store_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 第十四条, 第十五条（三）: the 入库名单 lists the brands in the library — a
// removed one left out — each with its status, so a suspended brand can be
// marked, and whether it was imported from the old list (no application),
// so the list does not claim it went through 推荐、初审、复审和公示 here.
func Test第十五条_AdmittedListCarriesStatusAndImport(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'admitted', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '甲')`,
		`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, rectification, name_key) VALUES
			('B1', 'A1', '甲', 'active', '530126', 'culture_tourism_crafts', 'enterprise', 'u', 'U1', '2026-03-29', now(), NULL, 'k' || random()),
			('B2', NULL, '己', 'suspended', '530181', 'planting_breeding', 'regional', 'u', 'U6', '2024-05-10', now(), NULL, 'k' || random()),
			('B3', NULL, '庚', 'removed', '530181', 'planting_breeding', 'regional', 'u', 'U7', '2024-05-11', now(), NULL, 'k' || random())`,
	)
	list, err := st.AdmittedList(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Listed{
		{ID: "B2", BrandName: "己", UnitName: "u", CountyCode: "530181", Category: "planting_breeding", BrandType: "regional", On: "2024-05-10",
			Status: "suspended", Imported: true},
		{ID: "B1", BrandName: "甲", UnitName: "u", CountyCode: "530126", Category: "culture_tourism_crafts", BrandType: "enterprise", On: "2026-03-29",
			Status: "active"},
	}
	if len(list) != len(want) || list[0] != want[0] || list[1] != want[1] {
		t.Errorf("入库名单 %+v, want %+v", list, want)
	}
	round, err := st.AdmittedList(ctx, "R1")
	if err != nil || len(round) != 1 || round[0].ID != "B1" || round[0].Imported {
		t.Errorf("R1's 入库名单 %+v (%v), want B1 alone", round, err)
	}
}

// RULES §1 Decision (who does 初审): a functional zone added to
// review_units is named by the store, for the prints (CountyNames) and
// with the figures (Statistics.CountyNames), next to the 14 counties.
func TestDecision_FunctionalZone_NamedByTheStore(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO review_units (county_code, name, reviewer_code) VALUES ('530199', '昆明高新区', '530112')`,
		`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, rectification, name_key) VALUES
			('B1', NULL, '高新区软件测试师', 'active', '530199', 'emerging', 'regional', 'u', 'U1', '2024-05-10', now(), NULL, 'k' || random())`,
	)
	names, err := st.CountyNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 15 || names["530199"] != "昆明高新区" || names["530181"] != "安宁市" {
		t.Errorf("names %v, want the 14 counties and 昆明高新区", names)
	}
	s, err := st.Statistics(ctx, store.StatisticsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if s.CountyNames["530199"] != "昆明高新区" || len(s.Brands) != 1 || s.Brands[0].CountyCode != "530199" {
		t.Errorf("figures' names %v, brands %+v", s.CountyNames, s.Brands)
	}
}
