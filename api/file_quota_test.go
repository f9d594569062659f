package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// Hostile input on public paths (RULES §3, files kept): an application keeps
// at most store.AttachmentQuota's files of 第十条's materials and at most
// store.SignedFormQuota's signed scans of the holder's; the next is refused
// (409 file_quota_reached) and nothing of it is stored, while a file stored
// before, sent again under its key, is still answered as stored. The
// county's scans are not counted: a holder that filled its quota does not
// stop the county's.
func TestUploadsStopAtTheRecordsQuota(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + app

	material := func(i int) stacktest.Response {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.SetBoundary("material") // the same bytes each time the same file is sent
		mw.WriteField("kind", "other")
		fw, _ := mw.CreateFormFile("file", fmt.Sprintf("说明%d.txt", i))
		fmt.Fprintf(fw, "第 %d 份说明材料\n", i)
		mw.Close()
		return s.Do("POST", path+"/attachments", a.holder, buf.Bytes(), "Content-Type", mw.FormDataContentType(),
			"Idempotency-Key", fmt.Sprintf("material-%d", i))
	}
	for i := range store.AttachmentQuota.Files {
		expect(t, material(i), 201, fmt.Sprintf("material %d", i))
	}
	e := errorOf(t, material(store.AttachmentQuota.Files), 409, "one material past the quota")
	if e["code"] != "file_quota_reached" || !strings.Contains(e["message"].(string), "每份申请至多保存 50 个文件、合计 1 GB") {
		t.Errorf("refusal %v", e)
	}
	expect(t, material(0), 201, "the first material sent again under its key")
	view := expect(t, s.Do("GET", path, a.holder, nil), 200, "view")
	if n := len(view["attachments"].([]any)); n != store.AttachmentQuota.Files {
		t.Errorf("view lists %d materials, want %d", n, store.AttachmentQuota.Files)
	}

	scan := func(token string, i int) stacktest.Response {
		return signedUpload(t, s, path+"/signed-forms", token, map[string]string{"signer": "周青", "signed_on": "2026-03-02", "seal_present": "true"},
			[]byte(fmt.Sprintf("%%PDF-1.4\n%% scan %d\n", i)), "Idempotency-Key", fmt.Sprintf("scan-%d", i))
	}
	for i := range store.SignedFormQuota.Files {
		expect(t, scan(a.holder, i), 201, fmt.Sprintf("scan %d", i))
	}
	e = errorOf(t, scan(a.holder, store.SignedFormQuota.Files), 409, "one scan past the quota")
	if e["code"] != "file_quota_reached" || !strings.Contains(e["message"].(string), "本单位为每份申请上传的签字件至多保存 100 个文件") {
		t.Errorf("refusal %v", e)
	}
	expect(t, scan(a.anning, store.SignedFormQuota.Files+1), 201, "the county's scan beside the holder's full quota")
	view = expect(t, s.Do("GET", path, a.holder, nil), 200, "view")
	if n := len(view["signed_forms"].([]any)); n != store.SignedFormQuota.Files+1 {
		t.Errorf("view lists %d scans, want the holder's %d and the county's", n, store.SignedFormQuota.Files)
	}
}
