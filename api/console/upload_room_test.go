package console_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// Hostile input (RULES §3, "Bad and hostile input"; 第十条's materials): a
// session not yet signed in — an e-mail still to confirm, a second factor
// still to give — posts text only, whatever its path; a signed-in upload
// takes its room on disk from the API's budget (LB_SPOOL_BYTES) before the
// console reads its form, and is told to come back when there is none. A
// self-registered account could otherwise have sent 200 MB uploads to a
// page it may not even use, each read into /tmp before any check.
func TestConsoleUploadsTakeTheirRoomBeforeTheirFormIsRead(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true, SpoolBytes: 12 << 20})
	ctx := context.Background()
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	upload := func(size int, csrf string) ([]byte, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", csrf)
		mw.WriteField("kind", "other")
		fw, _ := mw.CreateFormFile("file", "材料.pdf")
		fw.Write(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'x'}, size)...))
		mw.Close()
		return body.Bytes(), mw.FormDataContentType()
	}
	post := func(cookie *http.Cookie, path string, body io.Reader, length int, contentType string) (int, string, http.Header) {
		req, _ := http.NewRequest("POST", s.URL+path, body)
		req.ContentLength = int64(length)
		req.Header.Set("Content-Type", contentType)
		req.AddCookie(cookie)
		r, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		text, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(text), r.Header
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

	// A registration whose e-mail is not confirmed: its session has a
	// token, but no upload of 5 MB is read.
	a, err := s.Store.CreateAccount(ctx, store.Account{Username: "unconfirmed", Role: "applicant", USCC: "51530181MJ0000001U"},
		store.AccountChange{At: time.Now(), Actor: "test", Role: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.NewSession(ctx, "confirm-session", "", a.ID, "confirm", "confirm-csrf", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	body, ct := upload(5<<20, "confirm-csrf")
	if status, text, _ := post(&http.Cookie{Name: "lb_session", Value: "confirm-session"}, "/holder/applications/A1/attachments", bytes.NewReader(body), len(body), ct); status != http.StatusRequestEntityTooLarge || !strings.Contains(text, "提交的内容过大") {
		t.Errorf("5 MB from a session not yet signed in: %d %.200s, want 413 提交的内容过大", status, text)
	}

	// A holder's application, open for its materials.
	if _, err := s.Store.CreateRound(ctx, store.Round{ID: "R1", Name: "2026年第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: time.Now()}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	for _, app := range []struct{ id, uscc string }{{"A1", "51530181MJ0000002U"}, {"A2", "51530181MJ0000003U"}} {
		if err := s.Store.CreateApplication(ctx, store.NewApplication{ID: app.id, RoundID: "R1", BrandName: "品牌" + app.id, BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530181", UnitName: "单位" + app.id, USCC: app.uscc, Form: map[string]any{"brand_name": "品牌" + app.id},
			Eligibility: []any{}, SubmittedAt: time.Now(), SubmittedBy: "holder", SubmittedRole: "applicant"}); err != nil {
			t.Fatal(err)
		}
	}
	path := func(app string) string { return "/holder/applications/" + app + "/attachments" }
	attachments := func(app string) int {
		var n int
		if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM attachments WHERE application_id = $1`, app).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Every file a form left in the temporary directory is gone when its
	// request ends (the budget's room given back with it).
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	defer func() {
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			var names []string
			for _, e := range left {
				names = append(names, e.Name())
			}
			t.Errorf("files left in the temporary directory after the uploads: %v", names)
		}
	}()

	// Alone, an upload of 8 MiB is read by the console and sent on to the
	// API in-process: 16 MiB on disk against a budget of 12, taken all the
	// same — nothing but its own page holds the rest.
	first := signedInAs(t, s, store.Account{Username: "holder-one", Role: "applicant", USCC: "51530181MJ0000002U"})
	firstBody, firstType := upload(8<<20, "bench-csrf-holder-one")
	if status, text, _ := post(first, path("A1"), bytes.NewReader(firstBody), len(firstBody), firstType); status != http.StatusSeeOther {
		t.Fatalf("an upload alone with a budget below its two copies: %d %.300s, want 303 to the materials page", status, text)
	}
	if n := attachments("A1"); n != 1 {
		t.Fatalf("%d attachments stored, want 1", n)
	}

	// The same upload sends half and stops: it holds its room while its
	// form is read.
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(io.ErrUnexpectedEOF) })
	answered := make(chan int, 1)
	go func() {
		status, _, _ := post(first, path("A1"), pr, len(firstBody), firstType)
		answered <- status
	}()
	pw.Write(firstBody[:len(firstBody)/2])
	for deadline := time.Now().Add(10 * time.Second); held() != float64(len(firstBody)); {
		if time.Now().After(deadline) {
			t.Fatalf("the first upload holds %v bytes of the budget, want %d", held(), len(firstBody))
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Another holder's 6 MiB does not fit beside it: told so, nothing read.
	second := signedInAs(t, s, store.Account{Username: "holder-two", Role: "applicant", USCC: "51530181MJ0000003U"})
	secondBody, secondType := upload(6<<20, "bench-csrf-holder-two")
	status, text, header := post(second, path("A2"), bytes.NewReader(secondBody), len(secondBody), secondType)
	if status != http.StatusServiceUnavailable || !strings.Contains(text, "暂无空间接收本文件") || header.Get("Retry-After") == "" {
		t.Errorf("an upload beside it: %d (Retry-After %q) %.300s, want 503 暂无空间接收本文件 with Retry-After",
			status, header.Get("Retry-After"), text)
	}

	// The first, finished, is stored; its room is given back, and the
	// second then goes through.
	pw.Write(firstBody[len(firstBody)/2:])
	pw.Close()
	if status := <-answered; status != http.StatusSeeOther {
		t.Errorf("the first upload, finished: %d, want 303", status)
	}
	if n := held(); n != 0 {
		t.Errorf("%v bytes still held after the upload", n)
	}
	if status, text, _ := post(second, path("A2"), bytes.NewReader(secondBody), len(secondBody), secondType); status != http.StatusSeeOther {
		t.Errorf("the second upload, sent again with the budget free: %d %.200s", status, text)
	}
	if a1, a2 := attachments("A1"), attachments("A2"); a1 != 2 || a2 != 1 {
		t.Errorf("attachments stored: A1 %d, A2 %d; want 2 and 1", a1, a2)
	}
}

// 第十条's materials, a double submit (RULES §3): the page's upload form
// without script carries its idempotency key, so a file sent twice — a
// double click, the browser's resend — is stored once, the second answered
// as the first; a new form is a new key.
func TestAFileUploadedTwiceWithoutScriptIsStoredOnce(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	ctx := context.Background()
	if _, err := s.Store.CreateRound(ctx, store.Round{ID: "R1", Name: "2026年第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: time.Now()}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateApplication(ctx, store.NewApplication{ID: "A1", RoundID: "R1", BrandName: "品牌A1", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "单位A1", USCC: "51530181MJ0000002U", Form: map[string]any{"brand_name": "品牌A1"},
		Eligibility: []any{}, SubmittedAt: time.Now(), SubmittedBy: "holder", SubmittedRole: "applicant"}); err != nil {
		t.Fatal(err)
	}
	holder := signedInAs(t, s, store.Account{Username: "holder-twice", Role: "applicant", USCC: "51530181MJ0000002U"})
	if _, page, _ := sendForm(t, s, holder, "GET", "/holder/applications/A1/materials", nil); !strings.Contains(page, `name="idempotency_key" value="`) {
		t.Fatal("the upload form carries no idempotency key")
	}
	send := func(key string) int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", "bench-csrf-holder-twice")
		mw.WriteField("idempotency_key", key)
		mw.WriteField("kind", "other")
		fw, _ := mw.CreateFormFile("file", "材料.pdf")
		fw.Write([]byte("%PDF-1.4\nsame bytes\n"))
		mw.Close()
		req, _ := http.NewRequest("POST", s.URL+"/holder/applications/A1/attachments", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(holder)
		r, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	stored := func() int {
		var n int
		if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM attachments WHERE application_id = 'A1'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	key := "form-key-0123456789abcdef"
	if first, again := send(key), send(key); first != http.StatusSeeOther || again != http.StatusSeeOther || stored() != 1 {
		t.Errorf("the same form sent twice: %d then %d, %d stored; want both answered, 1 stored", first, again, stored())
	}
	if send("another-form-key-0123456789") != http.StatusSeeOther || stored() != 2 {
		t.Errorf("a new form's file: %d stored, want 2", stored())
	}
}
