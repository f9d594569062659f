package api

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// API.md idempotency, hostile input: a request body is hashed for its key
// from what is read, not from what Content-Length says — a body sent
// in-process (the console's upload) or in chunks gives none — so a large
// one waits in a temporary file, never whole in memory, and a small one
// stays in memory; either reads back whole, and the file goes with Close.
func TestABodyOverAMiBIsHashedFromATemporaryFileWhateverItsLengthSays(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, tc := range []struct {
		name          string
		size          int
		contentLength int64
		spooled       bool
	}{
		{"small, its length given", 100, 100, false},
		{"exactly the limit, no length given", bodyInMemory, 0, false},
		{"large, no length given (in-process)", 3*bodyInMemory + 7, 0, true},
		{"large, sent in chunks", 3*bodyInMemory + 7, -1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := bytes.Repeat([]byte("劳务品牌"), tc.size/len("劳务品牌")+1)[:tc.size]
			r := httptest.NewRequest("POST", "/api/v1/applications/A1/attachments", io.MultiReader(bytes.NewReader(content)))
			r.ContentLength = tc.contentLength
			sum, body, err := hashBody(r)
			if err != nil {
				t.Fatal(err)
			}
			if sum != sha256.Sum256(content) {
				t.Error("the sum is not the body's")
			}
			if _, spooled := body.(*tempFile); spooled != tc.spooled {
				t.Errorf("kept in a temporary file: %v, want %v", spooled, tc.spooled)
			}
			again, err := io.ReadAll(body)
			if err != nil || !bytes.Equal(again, content) {
				t.Errorf("read back %d of %d bytes, %v", len(again), len(content), err)
			}
			body.Close()
			if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
	// The disk the body would wait on, gone: the server's fault (503), not the client's.
	t.Setenv("TMPDIR", "/nonexistent/laborbrand")
	r := httptest.NewRequest("POST", "/x", strings.NewReader(strings.Repeat("x", 2*bodyInMemory)))
	r.ContentLength = -1
	var spool spoolError
	if _, _, err := hashBody(r); err == nil || !errors.As(err, &spool) {
		t.Errorf("no temporary directory: %v, want a spoolError", err)
	}
}
