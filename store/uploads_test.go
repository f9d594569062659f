package store_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// 第十条 materials, uploaded in pieces: the console sends a finished upload
// on as its pieces are read, one at a time, never joined whole (a video is
// 200 MB); a piece gone fails the read where it is missing, after exactly
// the bytes before it, so what the API made of it is never taken for the file.
func TestAnUploadIsReadPieceByPieceAndAMissingPieceFailsTheRead(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	data := make([]byte, 2*store.UploadPartMax+store.UploadPartMax/2)
	rand.NewChaCha8([32]byte{7}).Read(data)
	u, err := st.StartUpload(ctx, store.Upload{ID: "U-pieces", USCC: "91530181MA6K00090E", ApplicationID: "A-pieces", Kind: "video",
		Name: "宣传片.mp4", Size: int64(len(data)), Fingerprint: "宣传片.mp4|x", UpdatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for u.Received < u.Size {
		end := min(u.Received+store.UploadPartMax, u.Size)
		if u, err = st.AppendUpload(ctx, u, u.Received, data[u.Received:end], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got, err := io.ReadAll(st.UploadReader(ctx, u))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %d of %d bytes, %v", len(got), len(data), err)
	}
	if _, err := st.Pool().Exec(ctx, `DELETE FROM attachment_upload_parts WHERE upload_id = $1 AND "offset" = $2`, u.ID, store.UploadPartMax); err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(st.UploadReader(ctx, u))
	if err == nil || !bytes.Equal(got, data[:store.UploadPartMax]) {
		t.Errorf("with the second piece gone: %d bytes read, error %v; want the first piece, then an error", len(got), err)
	}
}
