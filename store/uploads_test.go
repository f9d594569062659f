package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
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
		Name: "宣传片.mp4", Size: int64(len(data)), Fingerprint: "宣传片.mp4|x", UpdatedAt: time.Now()}, store.UploadLimit{})
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

// 第十条 materials: a file goes into PostgreSQL as it is read (a binary
// COPY) and is read out in pieces, byte for byte the same, its record as
// given; a file that ends short of the size its request measured, or goes
// on past it, stores nothing; the same file stored again is the one on
// record, not a second.
func TestAFileIsStoredAsItIsReadAndReadOutInPieces(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'county_review', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', now(), 't', now(), '甲')`)
	data := make([]byte, 9<<20+5) // over two pieces of 4 MiB, not a whole number of them
	rand.NewChaCha8([32]byte{9}).Read(data)
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456000, time.UTC)
	a := store.Attachment{ID: "F1", Kind: "video", Name: "宣传片（终版）.mp4", ContentType: "video/mp4", Size: int64(len(data)),
		SHA256: "digest", CreatedAt: at}
	for _, bad := range []struct {
		what string
		data []byte
	}{{"short", data[:len(data)-1]}, {"long", append(bytes.Clone(data), 0)}} {
		if _, err := st.SaveAttachment(ctx, "A1", a, bytes.NewReader(bad.data), openStages, "holder", "applicant"); err == nil {
			t.Errorf("a file %s of its size was stored", bad.what)
		}
	}
	stored, err := st.SaveAttachment(ctx, "A1", a, bytes.NewReader(data), openStages, "holder", "applicant")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Name != a.Name || stored.Size != a.Size || !stored.CreatedAt.Equal(at.Truncate(time.Microsecond)) || stored.Kind != "video" {
		t.Errorf("on record %+v, want %+v", stored, a)
	}
	again, err := st.SaveAttachment(ctx, "A1", a, bytes.NewReader(data), openStages, "holder", "applicant")
	if err != nil || again != stored {
		t.Errorf("stored again: %+v %v", again, err)
	}
	var out bytes.Buffer
	began := 0
	if err := st.WriteAttachment(ctx, "A1", stored, func() { began++ }, &out); err != nil || began != 1 || !bytes.Equal(out.Bytes(), data) {
		t.Errorf("read out %d of %d bytes (begun %d times): %v", out.Len(), len(data), began, err)
	}
	var files int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM attachments WHERE application_id = 'A1'`).Scan(&files); err != nil || files != 1 {
		t.Errorf("%d files on record, %v; want 1", files, err)
	}
}

// Hostile input (RULES §3): a holder has at most a bounded number of
// unfinished uploads, each of which may park up to a file's limit; requests
// sent at once cannot all pass the count — before, each counted the others
// before any had inserted, and every one began. A file begun is not counted
// against itself: started again, it is resumed.
func TestUploadsStartedAtOnceKeepTheirBound(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	const holder, limit, sent = "91530181MA6K00090E", 3, 12
	upload := func(i int) store.Upload {
		return store.Upload{ID: fmt.Sprintf("U-at-once-%d", i), USCC: holder, ApplicationID: "A1", Kind: "video",
			Name: "宣传片.mp4", Size: 2 << 20, Fingerprint: fmt.Sprintf("video|%d", i), UpdatedAt: time.Now()}
	}
	bound := store.UploadLimit{Max: limit, StaleBefore: time.Now().Add(-time.Hour)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var started []int
	refused := 0
	for i := range sent {
		wg.Go(func() {
			_, err := st.StartUpload(ctx, upload(i), bound)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				started = append(started, i)
			case errors.Is(err, store.ErrTooManyUploads):
				refused++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(started) != limit || refused != sent-limit {
		t.Fatalf("%d uploads sent at once: %d started, %d refused; want %d started and the rest refused", sent, len(started), refused, limit)
	}
	again := upload(started[0])
	again.ID = "U-again"
	if u, err := st.StartUpload(ctx, again, bound); err != nil || u.ID != upload(started[0]).ID {
		t.Errorf("a file begun, started again: %+v %v, want it resumed", u, err)
	}
}

// 第十条 materials, hostile input: a piece other than the last is at least
// UploadPartMin — a client sending a 200 MB file a byte at a time would
// leave two hundred million rows — and the last may be as short as it is.
func TestAnUploadsPiecesAreNotCrumbs(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	data := make([]byte, store.UploadPartMin+10)
	u, err := st.StartUpload(ctx, store.Upload{ID: "U-crumbs", USCC: "91530181MA6K00090E", ApplicationID: "A-crumbs", Kind: "video",
		Name: "宣传片.mp4", Size: int64(len(data)), Fingerprint: "宣传片.mp4|crumbs", UpdatedAt: time.Now()}, store.UploadLimit{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AppendUpload(ctx, u, 0, data[:1], time.Now()); !errors.Is(err, store.ErrUploadPieceTooSmall) {
		t.Errorf("a piece of one byte, not the last: %v, want ErrUploadPieceTooSmall", err)
	}
	if u, err = st.AppendUpload(ctx, u, 0, data[:store.UploadPartMin], time.Now()); err != nil {
		t.Fatal(err)
	}
	if u, err = st.AppendUpload(ctx, u, u.Received, data[u.Received:], time.Now()); err != nil || u.Received != u.Size {
		t.Errorf("the last piece of 10 bytes: received %d of %d, %v", u.Received, u.Size, err)
	}
}
