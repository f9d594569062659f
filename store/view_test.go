package store_test

import (
	"errors"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// A view reads its parts in one batch (store/batch.go); a record that does
// not exist is still ErrNotFound — the API's 404 (docs/API.md, errors) —
// and not a batch's error about the parts after it.
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
}
