package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 第十条/第十一条: a file is taken back only while the application's files
// are the holder's to change. A removal racing the county's 初审 — the
// decision's step being written, the application's row held — waits for it
// and is then refused, naming the stage the decision left; it does not take
// the file from under the 初审 that read it.
func Test第十一条_ARemovalRacingThe初审IsRefusedAfterIt(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	openRoundWith(t, st, roseApplication("A0001", "安宁玫瑰"))
	if _, err := st.SaveAttachment(ctx, "A0001", roseFile, bytes.NewReader(rosePNG), openStages, "holder", "applicant"); err != nil {
		t.Fatal(err)
	}
	decision, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer decision.Rollback(ctx)
	if _, err := decision.Exec(ctx, `SELECT 1 FROM applications WHERE id = 'A0001' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := decision.Exec(ctx, `UPDATE applications SET stage = 'city_review' WHERE id = 'A0001'`); err != nil {
		t.Fatal(err)
	}
	removed := make(chan error, 1)
	go func() {
		_, err := st.RemoveAttachment(ctx, "A0001", "F1", []string{"county_review", "returned"}, raceDay, "holder", "applicant")
		removed <- err
	}()
	awaitLockWait(t, st, "the removal")
	if err := decision.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var taken *store.FilesTakenError
	if err := <-removed; !errors.As(err, &taken) || taken.Stage != "city_review" {
		t.Errorf("the removal racing the 初审: %v, want refused in city_review", err)
	}
	if _, err := st.AttachmentOnRecord(ctx, "A0001", "F1"); err != nil {
		t.Errorf("the file the 初审 read is gone: %v", err)
	}
}

// openStages are the stages whose files are the holder's to change.
var openStages = []string{"county_review", "returned"}

// rosePNG is a picture of 安宁玫瑰's, roseFile its record as the race tests store it.
var (
	rosePNG  = []byte("\x89PNG\r\n\x1a\n")
	roseFile = store.Attachment{ID: "F1", Kind: "picture", Name: "玫瑰.png", ContentType: "image/png", Size: int64(len(rosePNG)),
		SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", CreatedAt: raceDay}
)

// 第十一条 and API.md (files attached only before the county's decision or
// when returned): an upload racing the county's 初审 — the decision's step
// being written — waits for it and is refused, naming the stage the
// decision left, nothing stored; it does not land after the 初审 that
// never saw it.
func Test第十一条_AnUploadRacingThe初审IsRefusedAfterIt(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	openRoundWith(t, st, roseApplication("A0001", "安宁玫瑰"))
	decision, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer decision.Rollback(ctx)
	if _, err := decision.Exec(ctx, `UPDATE applications SET stage = 'city_review' WHERE id = 'A0001'`); err != nil {
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	go func() {
		_, err := st.SaveAttachment(ctx, "A0001", roseFile, bytes.NewReader(rosePNG), openStages, "holder", "applicant")
		saved <- err
	}()
	awaitLockWait(t, st, "the upload")
	if err := decision.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var taken *store.FilesTakenError
	if err := <-saved; !errors.As(err, &taken) || taken.Stage != "city_review" {
		t.Errorf("the upload racing the 初审: %v, want refused in city_review", err)
	}
	if _, err := st.AttachmentOnRecord(ctx, "A0001", "F1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the file was stored after the 初审 (%v)", err)
	}
}
