package store_test

import (
	"errors"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// A view reads its parts in one batch (store/batch.go). A record that does
// not exist is ErrNotFound — the API's 404 (docs/API.md, errors) — and a
// view read after it on the same pool is whole, its empty parts empty lists
// ([] in JSON), not nil.
func TestViewOfAnUnknownRecordIsNotFound(t *testing.T) {
	st := testenv.Store(t)
	if _, err := st.GetApplicationView(ctx, "A-NOBODY", true, false); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("application view: err = %v, want ErrNotFound", err)
	}
	for _, forHolder := range []bool{false, true} {
		if _, err := st.GetBrandView(ctx, "B-NOBODY", forHolder); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("brand view (for the holder: %v): err = %v, want ErrNotFound", forHolder, err)
		}
	}

	// An imported brand (no application) with nothing on record yet.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, name, status, county_code, category, brand_type, unit_name,
		uscc, admitted_on, updated_at, name_key) VALUES ('B-EMPTY', '空白品牌', 'active', '530102', 'manufacturing', 'regional',
		'空白品牌协会', '51530102MJ0000000X', '2024-06-01', now(), 'b-empty')`); err != nil {
		t.Fatal(err)
	}
	v, err := st.GetBrandView(ctx, "B-EMPTY", false)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "B-EMPTY" || v.Name != "空白品牌" || v.AdmittedOn != "2024-06-01" {
		t.Errorf("brand row = %q %q %q", v.ID, v.Name, v.AdmittedOn)
	}
	if v.Findings == nil || v.Evaluations == nil || v.SignedForms == nil || v.Changes == nil || v.Reports == nil || v.History == nil {
		t.Errorf("a part is nil, want empty: findings %v evaluations %v signed %v changes %v reports %v history %v",
			v.Findings == nil, v.Evaluations == nil, v.SignedForms == nil, v.Changes == nil, v.Reports == nil, v.History == nil)
	}
	holder, err := st.GetBrandView(ctx, "B-EMPTY", true)
	if err != nil {
		t.Fatal(err)
	}
	if holder.Reports != nil {
		t.Errorf("the holder's view reads the reports: %v", holder.Reports)
	}
}
