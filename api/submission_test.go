package api_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

func errorFields(t *testing.T, body map[string]any) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fields, _ := body["error"].(map[string]any)["fields"].([]any)
	for _, f := range fields {
		out[f.(map[string]any)["field"].(string)] = true
	}
	return out
}

// 第十条 and 附件1: what a submission must satisfy before a process starts.
func Test第十条_WhatASubmissionMustSatisfy(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)

	t.Run("第十条: no open round → 409", func(t *testing.T) {
		expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 409, "no round")
	})
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "closed", "opens_on": "2025-01-01", "closes_on": "2025-02-01"}), 201, "round")

	t.Run("附件1: every failing field at once (422)", func(t *testing.T) {
		bad := demo.Rose().With("brand_name", "安", "county_code", "999999", "contact_phone", "12345",
			"development_plan", string(bytes.Repeat([]byte("字"), 201)), "commitment", false, "direct_employees", -1,
			"uscc", "91350100M000100Y44", "registered_on", "2027-01-01")
		r := expect(t, s.Do("POST", "/api/v1/applications", a.holder, bad), 422, "bad form")
		got := errorFields(t, r)
		for _, f := range []string{"brand_name", "county_code", "contact_phone", "development_plan", "commitment", "direct_employees", "uscc", "registered_on"} {
			if !got[f] {
				t.Errorf("field %s not reported; got %v", f, got)
			}
		}
		list := expect(t, s.Do("GET", "/api/v1/applications", a.supervisor, nil), 200, "list")
		if n := len(list["items"].([]any)); n != 0 {
			t.Errorf("a refused submission left %d applications behind", n)
		}
	})
	t.Run("an applicant submits only for its own USCC (403)", func(t *testing.T) {
		other := stacktest.Token(t, auth.Principal{Sub: "other", Role: auth.Applicant, USCC: "91350100M000100Y43"})
		expect(t, s.Do("POST", "/api/v1/applications", other, demo.Rose()), 403, "other holder")
	})
	t.Run("RULES §2: a checksum override only by a city officer on behalf (代录), with a reason", func(t *testing.T) {
		form := demo.Embroidery().With("uscc", "91530126MA6K00001R", "uscc_override_reason", "营业执照原件如此，已核对")
		holder := stacktest.Token(t, auth.Principal{Sub: "h2", Role: auth.Applicant, USCC: "91530126MA6K00001R"})
		if got := errorFields(t, expect(t, s.Do("POST", "/api/v1/applications", holder, form), 422, "holder override")); !got["uscc_override_reason"] && !got["uscc"] {
			t.Errorf("holder's override not refused by field: %v", got)
		}
		app := expect(t, s.Do("POST", "/api/v1/applications", a.city, form, "Idempotency-Key", "on-behalf-1"), 201, "代录")
		if app["on_behalf"] != true {
			t.Error("the application does not say it was entered on behalf")
		}
		// Returned, its holder resubmits it under the code the city let
		// through (a resubmission keeps the USCC, RULES §3) — with the
		// reason carried or without.
		path := "/api/v1/applications/" + app["id"].(string)
		shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
		expect(t, s.Do("POST", path+"/county-review", shilin, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return")
		expect(t, s.Do("POST", path+"/resubmit", holder, demo.Embroidery().With("uscc", "91530126MA6K00001R", "trainees_two_years", 900)), 200,
			"the holder's resubmission under the code let through")
	})
	t.Run("named closed round → 409 with its dates", func(t *testing.T) {
		rounds := expect(t, s.Do("GET", "/api/v1/rounds", a.city, nil), 200, "rounds")["items"].([]any)
		for _, r := range rounds {
			if m := r.(map[string]any); m["name"] == "closed" {
				expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose().With("round_id", m["id"])), 409, "closed round")
			}
		}
	})

	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")
	id := app["id"].(string)
	t.Run("one open application per brand name and holder (409)", func(t *testing.T) {
		expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 409, "duplicate")
	})
	t.Run("第十条: attachments are sniffed by content and listed in the view", func(t *testing.T) {
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
		r := upload(t, s, a.holder, id, "picture", "rose.png", png)
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		meta := r.Map(t)
		if meta["sha256"] == "" || meta["size"].(float64) != float64(len(png)) {
			t.Errorf("attachment %v", meta)
		}
		// Refused in the holder's words: the kind's name and what it takes.
		if r := upload(t, s, a.holder, id, "picture", "fake.png", []byte("%PDF-1.4 not a picture")); r.Status != 422 ||
			!strings.Contains(string(r.Body), "图片须为JPEG、PNG 或 WebP 图片（按文件内容识别，与扩展名无关）") {
			t.Errorf("a PDF named .png as a picture: %d %s", r.Status, r.Body)
		}
		if r := upload(t, s, a.holder, id, "licence", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 20<<20)...)); r.Status != 413 ||
			!strings.Contains(string(r.Body), "营业执照等证照须在 20 MB 以内") {
			t.Errorf("a 20 MB+ licence: %d %s", r.Status, r.Body)
		}
		view := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "view")
		if n := len(view["attachments"].([]any)); n != 1 {
			t.Errorf("view lists %d attachments", n)
		}
		dl := s.Do("GET", "/api/v1/applications/"+id+"/attachments/"+meta["id"].(string), a.anning, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, png) {
			t.Errorf("download: %d, %d bytes", dl.Status, len(dl.Body))
		}
		expect(t, s.Do("GET", "/api/v1/applications/"+id, a.wuhua, nil), 403, "another county reads")
	})
	t.Run("第十条: a large file, sent in-process under a key as the console sends it, leaves nothing on disk and reads back whole", func(t *testing.T) {
		// Over 32 MiB (kept on disk by its form), over a piece (4 MiB) many times, and not
		// a whole number of pieces.
		content := make([]byte, 33<<20+123)
		copy(content, "%PDF-1.4\n")
		rand.NewChaCha8([32]byte{1}).Read(content[9:])
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("kind", "other")
		fw, _ := mw.CreateFormFile("file", "调研报告.pdf")
		fw.Write(content)
		mw.Close()
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp) // where the body and the form's file wait
		send := func() *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/api/v1/applications/"+id+"/attachments", bytes.NewReader(body.Bytes()))
			req.Header.Set("Authorization", "Bearer "+a.holder)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Idempotency-Key", "large-file-1")
			w := httptest.NewRecorder()
			s.Handler.ServeHTTP(w, req)
			return w
		}
		first := send()
		if first.Code != 201 {
			t.Fatalf("upload: %d %s", first.Code, first.Body)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("files left on disk after the upload: %v", left)
		}
		again := send()
		if again.Code != 201 || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replay") != "true" {
			t.Errorf("sent again under its key: %d %s", again.Code, again.Body)
		}
		var meta struct{ ID string }
		json.Unmarshal(first.Body.Bytes(), &meta)
		dl := s.Do("GET", "/api/v1/applications/"+id+"/attachments/"+meta.ID, a.anning, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, content) {
			t.Errorf("download: %d, %d bytes of %d", dl.Status, len(dl.Body), len(content))
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("files left on disk: %v", left)
		}
	})
	t.Run("第十条: a file uploaded by mistake is taken back before 初审, its name and digest kept in the history; past 初审 it stays", func(t *testing.T) {
		png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x01\x08\x06\x00\x00\x00")
		r := upload(t, s, a.holder, id, "picture", "别家的照片.png", png)
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		file := r.Map(t)["id"].(string)
		path := "/api/v1/applications/" + id + "/attachments/" + file
		other := stacktest.Token(t, auth.Principal{Sub: "other", Role: auth.Applicant, USCC: "91350100M000100Y43"})
		expect(t, s.Do("DELETE", path, other, nil), 403, "another holder")
		expect(t, s.Do("DELETE", path, a.anning, nil), 403, "the county officer")
		expect(t, s.Do("DELETE", path, a.supervisor, nil), 403, "a supervisor")
		expect(t, s.Do("DELETE", path, a.city, nil), 403, "the city, on an application it did not enter (代录)")
		// API.md: the city attaches files and resubmits only what it entered (代录).
		if r := upload(t, s, a.city, id, "picture", "市级补传.png", png); r.Status != 403 {
			t.Errorf("the city's upload to an application it did not enter: %d, want 403", r.Status)
		}
		expect(t, s.Do("POST", "/api/v1/applications/"+id+"/resubmit", a.city, demo.Rose()), 403, "the city resubmitting an application it did not enter")
		if gone := expect(t, s.Do("DELETE", path, a.holder, nil), 200, "taken back"); gone["name"] != "别家的照片.png" {
			t.Errorf("the answer names %v", gone["name"])
		}
		expect(t, s.Do("GET", path, a.anning, nil), 404, "its download")
		expect(t, s.Do("DELETE", path, a.holder, nil), 404, "taken back twice")
		view := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "view")
		for _, f := range view["attachments"].([]any) {
			if f.(map[string]any)["id"] == file {
				t.Error("the view still lists the file taken back")
			}
		}
		found := false
		for _, h := range view["history"].([]any) {
			h := h.(map[string]any)
			found = found || h["action"] == "attachment.removed" && strings.Contains(h["note"].(string), "别家的照片.png") &&
				strings.Contains(h["note"].(string), file)
		}
		if !found {
			t.Errorf("no attachment.removed line naming the file in %v", view["history"])
		}
		// Sent under a key, taken back, sent again under the same key: the
		// key is forgotten with the file, so the file is stored again (not
		// answered as a file no longer here), and taken back again.
		send := func() stacktest.Response {
			return upload(t, s, a.holder, id, "picture", "又一张.png", png, "Idempotency-Key", "mistake-1")
		}
		again := expect(t, send(), 201, "keyed upload")["id"].(string)
		expect(t, s.Do("DELETE", "/api/v1/applications/"+id+"/attachments/"+again, a.holder, nil), 200, "keyed file taken back")
		if back := expect(t, send(), 201, "the same upload again")["id"].(string); back != again {
			t.Errorf("sent again under its key: file %s, want %s stored again", back, again)
		}
		if dl := s.Do("GET", "/api/v1/applications/"+id+"/attachments/"+again, a.anning, nil); dl.Status != 200 {
			t.Errorf("the file sent again after its removal: %d", dl.Status)
		}
		expect(t, s.Do("DELETE", "/api/v1/applications/"+id+"/attachments/"+again, a.holder, nil), 200, "taken back once more")
		view = expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "view")
		kept := view["attachments"].([]any)[0].(map[string]any)["id"].(string)
		expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning,
			map[string]any{"decision": "approve", "opinion": "材料齐全，同意推荐"}), 200, "初审")
		r = s.Do("DELETE", "/api/v1/applications/"+id+"/attachments/"+kept, a.holder, nil)
		if r.Status != 409 || !strings.Contains(string(r.Body), "材料不能再撤回") {
			t.Errorf("a file taken back after 初审: %d %s", r.Status, r.Body)
		}
		if dl := s.Do("GET", "/api/v1/applications/"+id+"/attachments/"+kept, a.anning, nil); dl.Status != 200 {
			t.Errorf("the file kept past 初审: %d", dl.Status)
		}
	})
}

// upload sends one file as an attachment, with headers (name, value, …)
// beside the form's. Its boundary is fixed, so the same file sent again is
// the same body: under an Idempotency-Key, the same request.
func upload(t *testing.T, s *stacktest.Stack, token, id, kind, name string, data []byte, headers ...string) stacktest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary("laborbrand-test-upload"); err != nil {
		t.Fatal(err)
	}
	mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return s.Do("POST", "/api/v1/applications/"+id+"/attachments", token, buf.Bytes(), append([]string{"Content-Type", mw.FormDataContentType()}, headers...)...)
}
