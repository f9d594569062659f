package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// 第十五条（六） (anyone may report a brand) and RULES §3 (bounded): a
// brand's view lists its latest 50 reports, oldest of them first, and
// counts them all — a brand reported for years is not a page that grows
// without end; the reports' own list pages through the rest.
func TestABrandsViewListsItsLatestReportsAndCountsThemAll(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type,
		unit_name, uscc, admitted_on, updated_at, name_key) VALUES ('B1', NULL, '安宁青龙蔬菜', 'active', '530181', 'planting_breeding',
		'regional', '安宁市青龙蔬菜产业协会', '51530181MJ0000002U', '2024-05-10', now(), 'anningqinglong')`); err != nil {
		t.Fatal(err)
	}
	first := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 55 {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO reports (id, brand_id, county_code, content, evidence, contact, received_at)
			VALUES ($1, 'B1', '530181', '内容', '', '', $2)`, fmt.Sprintf("R%02d", i), first.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	v, err := st.GetBrandView(ctx, "B1", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Reports) != 50 || v.ReportsTotal != 55 || v.Reports[0].ID != "R05" || v.Reports[49].ID != "R54" {
		t.Errorf("the view's reports: %d (%s … %s) of %d, want the latest 50 (R05 … R54) of 55",
			len(v.Reports), v.Reports[0].ID, v.Reports[len(v.Reports)-1].ID, v.ReportsTotal)
	}
	if holder, _ := st.GetBrandView(ctx, "B1", true); len(holder.Reports) != 0 || holder.ReportsTotal != 0 {
		t.Errorf("the holder's view: %d reports of %d, want none (RULES §6)", len(holder.Reports), holder.ReportsTotal)
	}
}
