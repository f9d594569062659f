package store_test

import (
	"fmt"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 第十条 signed scans and the rule that a request is safe to retry: a holder's
// scan retried while its first attempt stores the quota's last one finds
// that scan on record and is answered with it — not refused as past a quota
// its own first attempt filled. The first attempt is held open here with
// the lock it takes, its scan written; the retry must wait for it.
func TestASignedScanRetriedWhileItsFirstAttemptStoresFindsIt(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	openRoundWith(t, st, roseApplication("A0001", "安宁玫瑰"))
	scan := func(i int) store.SignedForm {
		return store.SignedForm{ID: fmt.Sprintf("S%03d", i), Form: "attachment1", Signer: "张三", SignedOn: "2026-03-01", Name: "推荐表.pdf",
			ContentType: "application/pdf", Size: 4, SHA256: "x", UploadedAt: raceDay, UploadedRole: "applicant"}
	}
	for i := 1; i < store.SignedFormQuota.Files; i++ {
		if _, err := st.SaveSignedForm(ctx, scan(i), "A0001", "", []byte("%PDF"), "holder"); err != nil {
			t.Fatal(err)
		}
	}
	last := scan(store.SignedFormQuota.Files)

	first, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx)
	if _, err := first.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('signed_forms/A0001', 0))`); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Exec(ctx, `INSERT INTO signed_forms (id, form, application_id, signer, signed_on, seal_present, name, content_type,
		size, sha256, data, uploaded_at, uploaded_by, uploaded_role) VALUES ($1, 'attachment1', 'A0001', '张三', '2026-03-01', false,
		'推荐表.pdf', 'application/pdf', 4, 'x', '\x25504446', $2, 'holder', 'applicant')`, last.ID, raceDay); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		f   store.SignedForm
		err error
	}
	retried := make(chan answer, 1)
	go func() {
		f, err := st.SaveSignedForm(ctx, last, "A0001", "", []byte("%PDF"), "holder")
		retried <- answer{f, err}
	}()
	awaitLockWait(t, st, "the retry")
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got := <-retried
	if got.err != nil || got.f.ID != last.ID {
		t.Errorf("the retry: %+v, %v; want the scan %s on record", got.f, got.err, last.ID)
	}
}
