package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
)

// 第十条's attachments and the spool budget (LB_SPOOL_BYTES): large uploads
// arriving together take their room on disk before they are read; one that
// does not fit is answered 503 with Retry-After and stores nothing, and is
// taken once the others are through — the API's /tmp is never filled.
func Test第十条_LargeUploadsTakeRoomOnDiskOrWait(t *testing.T) {
	const budget = 12 << 20
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), SpoolBytes: budget})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id + "/attachments"

	form := func(size int) ([]byte, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("kind", "other")
		fw, _ := mw.CreateFormFile("file", "调研报告.pdf")
		fw.Write(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, size)...))
		mw.Close()
		return body.Bytes(), mw.FormDataContentType()
	}
	held := func() float64 {
		r := s.Do("GET", "/metrics", "", nil)
		for line := range strings.Lines(string(r.Body)) {
			if v, ok := strings.CutPrefix(line, "laborbrand_http_spool_bytes "); ok {
				n, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
				return n
			}
		}
		t.Fatal("/metrics has no laborbrand_http_spool_bytes")
		return 0
	}
	attachments := func() int {
		view := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "view")
		return len(view["attachments"].([]any))
	}

	// The first upload (6 MiB, no key: its form's file alone waits on disk)
	// sends half its body and stops, holding its room.
	first, firstType := form(6 << 20)
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrUnexpectedEOF) }) // before the stack's server waits for it
	req, _ := http.NewRequest("POST", s.URL+path, pr)
	req.ContentLength = int64(len(first))
	req.Header.Set("Authorization", "Bearer "+a.holder)
	req.Header.Set("Content-Type", firstType)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	pw.Write(first[:len(first)/2])
	for deadline := time.Now().Add(10 * time.Second); held() != float64(len(first)); {
		if time.Now().After(deadline) {
			t.Fatalf("the first upload holds %v bytes of the budget, want %d", held(), len(first))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The second (4 MiB under a key: the body and the form's file, 8 MiB)
	// does not fit beside it.
	second, secondType := form(4 << 20)
	r := s.Do("POST", path, a.holder, second, "Content-Type", secondType, "Idempotency-Key", "second-upload")
	e := apiError(t, r, 503, "unavailable")
	if msg := e["message"].(string); !strings.Contains(msg, "暂无空间接收本文件") {
		t.Errorf("503 message %q does not say the server has no room now", msg)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Error("the 503 gives no Retry-After")
	}
	// Sent in-process as the console sends a finished upload — a reader
	// http.NewRequest cannot measure, so a length of 0 — it is taken for
	// one of unknown length, the route's limit, and does not fit either.
	inProcess, _ := http.NewRequest("POST", path, io.MultiReader(bytes.NewReader(second)))
	inProcess.Header.Set("Authorization", "Bearer "+a.holder)
	inProcess.Header.Set("Content-Type", secondType)
	inProcess.Header.Set("Idempotency-Key", "in-process")
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, inProcess)
	if w.Code != 503 {
		t.Errorf("an in-process upload of unmeasured length beside it: %d %s, want 503", w.Code, w.Body)
	}
	// Nobody holds room without signing in: refused as unauthenticated,
	// never as a full disk.
	if r := doChunked(t, s, path, "", second, "Content-Type", secondType, "Idempotency-Key", "anonymous"); r.Status != 401 {
		t.Errorf("an upload without a token: %d, want 401", r.Status)
	}
	// A small file waits in memory and is taken meanwhile.
	small, smallType := form(1 << 10)
	expect(t, s.Do("POST", path, a.holder, small, "Content-Type", smallType), 201, "a small file beside it")
	if n := attachments(); n != 1 {
		t.Errorf("%d attachments stored while the first upload waits, want the small one only", n)
	}

	pw.Write(first[len(first)/2:])
	pw.Close()
	if status := <-answered; status != 201 {
		t.Fatalf("the first upload, finished: %d", status)
	}
	if n := held(); n != 0 {
		t.Errorf("%v bytes still held after the upload", n)
	}
	// Turned away before its key was claimed: the same request now goes through.
	expect(t, s.Do("POST", path, a.holder, second, "Content-Type", secondType, "Idempotency-Key", "second-upload"), 201, "the second, sent again")

	// A body of no stated length may reach the route's limit (201 MiB, more
	// than the whole budget): taken when nothing else holds room.
	r = doChunked(t, s, path, a.holder, small, "Content-Type", smallType)
	if r.Status != 201 {
		t.Errorf("a chunked upload with the budget free: %d %s", r.Status, r.Body)
	}
	if n := attachments(); n != 4 {
		t.Errorf("%d attachments stored, want 4", n)
	}

	// Over the limit, the message gives the file's limit (200 MB), not the
	// form's room around it, whether the length is stated or found by reading.
	t.Setenv("TMPDIR", t.TempDir())
	for _, tc := range []struct {
		name   string
		length int64
	}{{"a stated length", 300 << 20}, {"no stated length, under a key", -1}} {
		body := io.MultiReader(strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"),
			io.LimitReader(zeros{}, 202<<20))
		req := httptest.NewRequest("POST", path, body)
		req.ContentLength = tc.length
		req.Header.Set("Authorization", "Bearer "+a.holder)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Idempotency-Key", "too-large")
		w := httptest.NewRecorder()
		s.Handler.ServeHTTP(w, req)
		if w.Code != 413 || !strings.Contains(w.Body.String(), "（上限 200 MB）") {
			t.Errorf("%s: %d %s, want 413 giving 200 MB", tc.name, w.Code, w.Body)
		}
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
