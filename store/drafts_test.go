package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// Hostile input (never a 500): a 推荐表 draft is bounded as the table
// measures it — jsonb's text, a space after each colon and comma — so a
// draft whose compact JSON is just under DraftMaxBytes, and over it as the
// table prints it, is refused as too large, not failed by the table's check.
func TestADraftOverTheLimitAsTheTableMeasuresItIsTooLarge(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	fields := map[string]string{}
	for i := range 40 {
		fields[fmt.Sprintf("field_%02d", i)] = ""
	}
	compact, _ := json.Marshal(fields)
	fields["field_00"] = strings.Repeat("字", (store.DraftMaxBytes-len(compact))/3) // still within the limit, compact
	if b, _ := json.Marshal(fields); len(b) > store.DraftMaxBytes || len(b)+2*len(fields) <= store.DraftMaxBytes {
		t.Fatalf("the draft's compact JSON is %d bytes: not just under %d", len(b), store.DraftMaxBytes)
	}
	err := st.SaveDraft(ctx, store.ApplicationDraft{USCC: "91530181MA6K00090E", Fields: fields, UpdatedAt: time.Now(), UpdatedBy: "holder"})
	if !errors.Is(err, store.ErrDraftTooLarge) {
		t.Errorf("SaveDraft: %v, want ErrDraftTooLarge", err)
	}
	if _, err := st.Draft(ctx, "91530181MA6K00090E", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a draft refused left a draft (%v)", err)
	}
}
