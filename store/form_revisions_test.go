package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RULES §3 (a returned application waits for its resubmission): a
// supplement its process refused (its name taken) is removed, but the
// process was told its number; the next supplement is numbered after it,
// never with it again — the process, reading a supplement stored and never
// told as the wait runs out, takes only one newer than what it was told,
// and would close the application as withdrawn over one stored in time.
func TestRULES3_ARefusedRevisionsNumberIsNotGivenAgain(t *testing.T) {
	st := testenv.Store(t)
	seedApplication(t, st, "REV", "returned")
	exec(t, st, `INSERT INTO application_forms (application_id, revision, form, applied, created_at, created_by)
		VALUES ('A-REV', 1, '{}', true, now(), 't')`)
	ctx := context.Background()
	save := func(request string) int {
		t.Helper()
		rev, _, err := st.SaveFormRevision(ctx, "A-REV", request, map[string]any{"brand_name": "A-REV"}, []any{}, nil, time.Now(), "holder", "applicant")
		if err != nil {
			t.Fatal(err)
		}
		return rev
	}
	if rev := save("first"); rev != 2 {
		t.Fatalf("the first supplement is revision %d, want 2", rev)
	}
	if err := st.DropFormRevision(ctx, "A-REV", 2); err != nil {
		t.Fatal(err)
	}
	if rev := save("second"); rev != 3 {
		t.Errorf("the supplement after a refused revision 2 is revision %d, want 3", rev)
	}
	if rev := save("second"); rev != 3 {
		t.Errorf("the same request saved again is revision %d, want its own 3", rev)
	}
}
