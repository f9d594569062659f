package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
)

// pdfOf checks a 200 application/pdf answer and returns the document.
func pdfOf(t *testing.T, r stacktest.Response, what string) []byte {
	t.Helper()
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("%s: %d %s: %.300s", what, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	papertest.NotBlank(t, r.Body)
	return r.Body
}

// signedUpload posts a signed scan with the facts on it to path.
func signedUpload(t *testing.T, s *stacktest.Stack, path, token string, fields map[string]string, scan []byte, headers ...string) stacktest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if scan != nil {
		fw, _ := mw.CreateFormFile("file", "签字件.pdf")
		fw.Write(scan)
	}
	mw.Close()
	return s.Do("POST", path, token, buf.Bytes(), append([]string{"Content-Type", mw.FormDataContentType()}, headers...)...)
}

// historyHas reports whether a view's history has a line containing note.
func historyHas(v map[string]any, note string) bool {
	for _, h := range v["history"].([]any) {
		if strings.Contains(h.(map[string]any)["note"].(string), note) {
			return true
		}
	}
	return false
}

// Issue 14, API.md documents: the scheme's forms and the public documents
// are printed from the records, for those who may read them.
func TestPrintedDocumentsCarryTheRecords(t *testing.T) {
	papertest.Fonts(t)
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1), PublicURL: "https://lb.km.gov.cn"})
	a := brandTokens(t)
	f := demo.Embroidery()
	embroidery := admitBrand(t, s, f, "2025-06-20")
	path := func(rest string) string { return "/api/v1/brands/" + embroidery + rest }
	var appID string
	s.Store.Pool().QueryRow(context.Background(), `SELECT application_id FROM brands WHERE id = $1`, embroidery).Scan(&appID)

	t.Run("OpenAPI describes every document", func(t *testing.T) {
		doc := openAPIDoc(t, s)
		for _, p := range []string{"/api/v1/applications/{id}/form.pdf", "/api/v1/brands/{id}/changes/{cid}/form.pdf",
			"/api/v1/brands/{id}/removal-report.pdf", "/api/v1/public/notices.pdf", "/api/v1/public/admitted-list.pdf",
			"/api/v1/public/announcements/{id}/announcement.pdf"} {
			if item := doc.Paths.Value(p); item == nil || item.Get == nil {
				t.Errorf("/openapi.json lacks GET %s", p)
			}
		}
	})

	t.Run("附件1: the holder, its county and the city print the 推荐表; others may not", func(t *testing.T) {
		for _, tok := range []string{a.embroidery, a.shilin, a.city, a.supervisor} {
			pdf := pdfOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", tok, nil), "附件1")
			papertest.Contains(t, pdf, "昆明市市级劳务品牌培育入库推荐表", "石林撒尼刺绣", "毕阿诗", "0871-67712345", "石林阿诗玛刺绣文化有限公司",
				"91530126MA6K00001Q", "3100.25（万元）", "420（人）", "☑ 企业劳务品牌", "☑ 文旅手工艺类", "撒尼刺绣技艺规范（企业标准）",
				"国家级非物质文化遗产生产性保护示范基地", "承诺人（机构法人代表）签字：", appID, "（推荐表第1版）")
		}
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", a.rose, nil), 403, "another holder")
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", a.anning, nil), 403, "another county")
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", "", nil), 401, "no token")
		errorOf(t, s.Do("GET", "/api/v1/applications/A-none/form.pdf", a.city, nil), 404, "no such application")
	})

	t.Run("签字件 of 附件1: the signed scan kept with who signed, when and the seal, in the view and its history", func(t *testing.T) {
		scan := pdfOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", a.embroidery, nil), "附件1 to sign")
		path := "/api/v1/applications/" + appID + "/signed-forms"
		e := errorOf(t, signedUpload(t, s, path, a.embroidery, map[string]string{"signed_on": "2026-09-02", "seal_present": "maybe"},
			[]byte("just text, not a scan")), 422, "wrong facts")
		if got := failingFields(e); !slices.Equal(got, []string{"file", "seal_present", "signed_on", "signer"}) {
			t.Errorf("fields %v", got)
		}
		errorOf(t, signedUpload(t, s, path, a.embroidery, map[string]string{"signer": "昂黑妹", "signed_on": "2025-07-31", "seal_present": "true"}, scan),
			422, "signed before the scheme")
		errorOf(t, signedUpload(t, s, path, a.rose, map[string]string{"signer": "昂黑妹", "signed_on": "2026-08-30", "seal_present": "true"}, scan),
			403, "another holder")
		errorOf(t, signedUpload(t, s, path, a.supervisor, map[string]string{"signer": "昂黑妹", "signed_on": "2026-08-30", "seal_present": "true"}, scan),
			403, "a supervisor writes nothing")
		f := expect(t, signedUpload(t, s, path, a.embroidery, map[string]string{"signer": "昂黑妹", "signed_on": "2026-08-30", "seal_present": "true"}, scan),
			201, "signed 附件1")
		if f["form"] != "attachment1" || f["signer"] != "昂黑妹" || f["signed_on"] != "2026-08-30" || f["seal_present"] != true ||
			f["content_type"] != "application/pdf" || f["uploaded_role"] != "applicant" || f["form_revision"] != 1.0 {
			t.Errorf("signed form %v", f)
		}
		v := expect(t, s.Do("GET", "/api/v1/applications/"+appID, a.shilin, nil), 200, "application view")
		if forms := v["signed_forms"].([]any); len(forms) != 1 || forms[0].(map[string]any)["id"] != f["id"] {
			t.Errorf("signed_forms %v", v["signed_forms"])
		}
		// The revision in force is kept with the scan, as the print names its own.
		if forms := v["signed_forms"].([]any); forms[0].(map[string]any)["form_revision"] != 1.0 {
			t.Errorf("signed_forms %v, want the revision in force (1)", v["signed_forms"])
		}
		if !historyHas(v, "附件1 推荐表（上传时现行第1版）签字件：昂黑妹签字，2026-08-30，已盖章") {
			t.Errorf("history %v", v["history"])
		}
		dl := s.Do("GET", "/api/v1/applications/"+appID+"/signed-forms/"+f["id"].(string), a.city, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, scan) {
			t.Errorf("download: %d, %d bytes", dl.Status, len(dl.Body))
		}
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/signed-forms/"+f["id"].(string), a.rose, nil), 403, "another holder downloads")
	})

	t.Run("入库名单: anyone prints the library; an unknown round is a 422", func(t *testing.T) {
		pdf := pdfOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf", "", nil), "入库名单")
		papertest.Contains(t, pdf, "昆明市市级劳务品牌入库名单", "石林撒尼刺绣", "石林阿诗玛刺绣文化有限公司", "石林彝族自治县", "2025-06-20")
		pdf = pdfOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf?round=R-2025", "", nil), "入库名单 of a round")
		papertest.Contains(t, pdf, "（2025年第一批）", "以下1个劳务品牌", "石林撒尼刺绣")
		errorOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf?round=R-none", "", nil), 422, "unknown round")
	})

	t.Run("公示: the notice lists the applications in public notice and its period", func(t *testing.T) {
		// Printed before and after an application enters its notice: the
		// print kept from the first is not served for the second.
		r := s.Do("GET", "/api/v1/public/notices.pdf", "", nil) // a line and the sign-off: sparse, not blank
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("公示 before: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		before := r.Body
		papertest.Contains(t, before, "目前没有处于公示期的劳务品牌", "昆明市人力资源和社会保障局")
		// 第十三条: with nothing in 公示 the print announces nothing and invites no objection.
		if text := papertest.Text(t, before); strings.Contains(text, "现予以公示") || strings.Contains(text, "异议") {
			t.Errorf("the empty notice announces or invites objections: %s", text)
		}
		_, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category,
			county_code, unit_name, uscc, form, eligibility, submitted_at, submitted_by, updated_at, name_key, notice_start, notice_end)
			VALUES ('A-notice', 'R-2025', 'public_notice', '宜良烤鸭师傅', 'regional', 'accommodation_catering', '530125', '宜良县烹饪协会',
			'51530125MJ0000002X', '{}', '[]', now(), 'test', now(), 'yiliangkaoyashifu', '2026-08-31', '2026-09-04')`)
		if err != nil {
			t.Fatal(err)
		}
		pdf := pdfOf(t, s.Do("GET", "/api/v1/public/notices.pdf", "", nil), "公示")
		papertest.Contains(t, pdf, "昆明市市级劳务品牌入库名单公示", "公示期：2026年8月31日至2026年9月4日（5个工作日）", "10个工作日内作出复核决定", "宜良烤鸭师傅", "宜良县烹饪协会",
			"住宿餐饮类", "08-31至09-04", "https://lb.km.gov.cn/public/notices")
	})

	var cid string
	t.Run("附件2: the change request with the value it replaces and the county's opinion", func(t *testing.T) {
		created := expect(t, s.Do("POST", path("/changes"), a.embroidery,
			map[string]any{"changes": map[string]any{"contact_phone": "13987654321", "direct_employees": 520}, "reason": "联系人电话变更，从业人数增加"}), 201, "change")
		cid = created["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+cid+"/opinion"), a.shilin, map[string]any{"approve": true, "opinion": "经核实，情况属实"}), 200, "county opinion")
		pdf := pdfOf(t, s.Do("GET", path("/changes/"+cid+"/form.pdf"), a.embroidery, nil), "附件2")
		papertest.Contains(t, pdf, "昆明市市级劳务品牌培育入库登记变更表", "石林撒尼刺绣", "石林阿诗玛刺绣文化有限公司", "毕阿诗",
			"联系方式：由“0871-67712345”变更为“13987654321”", "直接从业人数：由“420”变更为“520”", "联系人电话变更，从业人数增加",
			"经核实，情况属实", "申请人(法人代表)签字(盖章):", cid)
		errorOf(t, s.Do("GET", path("/changes/"+cid+"/form.pdf"), a.rose, nil), 403, "another holder")

		signed := path("/changes/" + cid + "/signed-forms")
		errorOf(t, signedUpload(t, s, signed, a.embroidery, map[string]string{"signer": "昂黑妹", "signed_on": "2026-08-31", "seal_present": "false"}, pdf),
			422, "signed before the request")
		f := expect(t, signedUpload(t, s, signed, a.embroidery, map[string]string{"signer": "昂黑妹", "signed_on": "2026-09-01", "seal_present": "false"}, pdf),
			201, "signed 附件2")
		v := expect(t, s.Do("GET", path(""), a.city, nil), 200, "brand view")
		forms := v["signed_forms"].([]any)
		if len(forms) != 1 || forms[0].(map[string]any)["change_id"] != cid || forms[0].(map[string]any)["seal_present"] != false {
			t.Errorf("signed_forms %v", forms)
		}
		if !historyHas(v, "附件2 登记变更表签字件：昂黑妹签字，2026-09-01，未盖章") {
			t.Errorf("history %v", v["history"])
		}
		dl := s.Do("GET", path("/signed-forms/"+f["id"].(string)), a.embroidery, nil)
		if dl.Status != 200 || !bytes.Equal(dl.Body, pdf) {
			t.Errorf("download: %d", dl.Status)
		}
		errorOf(t, s.Do("GET", path("/changes/C-none/form.pdf"), a.city, nil), 404, "no such change")

		// Approved, the record in force is the new one; the form still
		// shows what the change replaced, kept as the approval applied it.
		expect(t, s.Do("POST", path("/changes/"+cid+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意变更"}), 200, "city opinion")
		approved := pdfOf(t, s.Do("GET", path("/changes/"+cid+"/form.pdf"), a.embroidery, nil), "approved 附件2")
		papertest.Contains(t, approved, "联系方式：由“0871-67712345”变更为“13987654321”", "直接从业人数：由“420”变更为“520”", "同意变更")
		v = expect(t, s.Do("GET", path(""), a.city, nil), 200, "brand view")
		for _, ch := range v["changes"].([]any) {
			if ch := ch.(map[string]any); ch["id"] == cid {
				if r, _ := ch["replaced"].(map[string]any); ch["status"] != "approved" || r["contact_phone"] != "0871-67712345" || r["direct_employees"] != 420.0 {
					t.Errorf("the approved change %v, want replaced contact_phone 0871-67712345 and direct_employees 420", ch)
				}
			}
		}

		// A field the record does not hold (an imported brand's record has
		// its identity alone) replaced nothing: printed as a new value, not
		// as 由“”.
		if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE brands SET current_form = current_form - 'typical_persons' WHERE id = $1`, embroidery); err != nil {
			t.Fatal(err)
		}
		added := expect(t, s.Do("POST", path("/changes"), a.embroidery, map[string]any{"changes": map[string]any{"typical_persons": "昂黑妹，刺绣传承人"},
			"reason": "补充典型人物"}), 201, "change of a field the record lacks")["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+added+"/opinion"), a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county opinion")
		expect(t, s.Do("POST", path("/changes/"+added+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "city opinion")
		text := papertest.Text(t, pdfOf(t, s.Do("GET", path("/changes/"+added+"/form.pdf"), a.embroidery, nil), "附件2 of a field added"))
		if !strings.Contains(text, "典型人物及简要事迹：变更为“昂黑妹，刺绣传承人”") || strings.Contains(text, "由“”") {
			t.Errorf("the approved change of a field the record lacked reads: %s", text)
		}

		// A refused request keeps the values the record held when it was
		// refused: a later approved change of the same field does not
		// rewrite the refused 附件2's 由….
		refused := expect(t, s.Do("POST", path("/changes"), a.embroidery, map[string]any{"changes": map[string]any{"contact_phone": "13800000000"},
			"reason": "更换联系电话"}), 201, "a change to be refused")["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+refused+"/opinion"), a.shilin, map[string]any{"approve": false, "opinion": "号码无法接通"}), 200, "county refuses")
		later := expect(t, s.Do("POST", path("/changes"), a.embroidery, map[string]any{"changes": map[string]any{"contact_phone": "13911112222"},
			"reason": "更换联系电话"}), 201, "a later change of the same field")["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+later+"/opinion"), a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county opinion")
		expect(t, s.Do("POST", path("/changes/"+later+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "city opinion")
		refusedForm := pdfOf(t, s.Do("GET", path("/changes/"+refused+"/form.pdf"), a.embroidery, nil), "refused 附件2")
		papertest.Contains(t, refusedForm, "联系方式：由“13987654321”变更为“13800000000”", "号码无法接通")
		// RULES §4: its 品牌基本情况 too are as they stood when it was
		// refused — the phone the later change replaced, not the one it put
		// in — so a reprint matches the signed paper.
		if text := papertest.Text(t, refusedForm); strings.Contains(text, "13911112222") {
			t.Errorf("the refused 附件2 shows the phone a later change put in: %s", text)
		}
		// Refused where the record held no value: still none, not the one a
		// later approval put in.
		if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE brands SET current_form = current_form - 'typical_persons' WHERE id = $1`, embroidery); err != nil {
			t.Fatal(err)
		}
		refusedNew := expect(t, s.Do("POST", path("/changes"), a.embroidery, map[string]any{"changes": map[string]any{"typical_persons": "甲，绣娘"},
			"reason": "补充典型人物"}), 201, "a change of a field the record lacks, to be refused")["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+refusedNew+"/opinion"), a.shilin, map[string]any{"approve": false, "opinion": "材料不实"}), 200, "county refuses")
		laterNew := expect(t, s.Do("POST", path("/changes"), a.embroidery, map[string]any{"changes": map[string]any{"typical_persons": "乙，绣娘"},
			"reason": "补充典型人物"}), 201, "a later change of that field")["id"].(string)
		expect(t, s.Do("POST", path("/changes/"+laterNew+"/opinion"), a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county opinion")
		expect(t, s.Do("POST", path("/changes/"+laterNew+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "city opinion")
		text = papertest.Text(t, pdfOf(t, s.Do("GET", path("/changes/"+refusedNew+"/form.pdf"), a.embroidery, nil), "refused 附件2 of a field the record lacked"))
		if !strings.Contains(text, "典型人物及简要事迹：变更为“甲，绣娘”") || strings.Contains(text, "乙，绣娘") {
			t.Errorf("the refused change of a field the record lacked reads: %s", text)
		}
	})

	t.Run("附件3: none before a report; then the situations ticked, the county's reasons and the city's decision", func(t *testing.T) {
		errorOf(t, s.Do("GET", path("/removal-report.pdf"), a.shilin, nil), 404, "no report yet")
		facts := map[string]string{"signer": "石林县人社局 张局长", "signed_on": "2026-09-01", "seal_present": "true"}
		errorOf(t, signedUpload(t, s, path("/removal-report/signed-forms"), a.shilin, facts, []byte("%PDF-1.4\n%%EOF\n")), 404, "signed 附件3 before a report")
		expect(t, s.Do("POST", path("/removal-report"), a.shilin, map[string]any{"reasons": []string{"dissolved_or_inactive", "no_longer_eligible"},
			"description": "持有单位已于2026年8月注销"}), 200, "removal report")
		pdf := pdfOf(t, s.Do("GET", path("/removal-report.pdf"), a.city, nil), "附件3")
		errorOf(t, signedUpload(t, s, path("/removal-report/signed-forms"), a.embroidery, facts, pdf), 403, "the holder signs no 附件3")
		// API.md: a scan is up to 20 MB, more than an ordinary request's
		// body: a scan at 300 dpi is several megabytes.
		errorOf(t, signedUpload(t, s, path("/removal-report/signed-forms"), a.shilin, facts, append(slices.Clip(pdf), make([]byte, 20<<20)...)),
			413, "a scan over 20 MB")
		scanned := append(slices.Clip(pdf), bytes.Repeat([]byte("\n% scanned page\n"), 3<<20/16)...)
		expect(t, signedUpload(t, s, path("/removal-report/signed-forms"), a.shilin, facts, scanned), 201, "signed 附件3, a scan of 3 MB")
		if v := expect(t, s.Do("GET", path(""), a.shilin, nil), 200, "brand view"); !historyHas(v, "附件3 移出情况表签字件：石林县人社局 张局长签字，2026-09-01，已盖章") {
			t.Errorf("history %v", v["history"])
		}
		papertest.Contains(t, pdf, "移出昆明市市级劳务品牌目录情况表", "石林撒尼刺绣", "☑破产清算、解散、注销", "☐以欺骗或其他不正当手段",
			"☑已经不符合劳务品牌认定条件的", "持有单位已于2026年8月注销", "已于2026年9月1日报送")
		expect(t, s.Do("POST", path("/removal-decision"), a.city, map[string]any{"remove": true, "reason": "经复核，同意移出"}), 200, "removal decision")
		pdf = pdfOf(t, s.Do("GET", path("/removal-report.pdf"), a.supervisor, nil), "附件3 decided")
		papertest.Contains(t, pdf, "同意移出。", "经复核，同意移出", "☑破产清算、解散、注销")
	})

	t.Run("第十五条（五）: each announcement prints as a notice anyone may read", func(t *testing.T) {
		items := expect(t, s.Do("GET", "/api/v1/public/announcements?brand_id="+embroidery, "", nil), 200, "announcements")["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("announcements %v", items)
		}
		id := fmt.Sprint(items[0].(map[string]any)["id"])
		pdf := pdfOf(t, s.Do("GET", "/api/v1/public/announcements/"+id+"/announcement.pdf", "", nil), "announcement")
		papertest.Contains(t, pdf, "关于将“石林撒尼刺绣”移出昆明市市级劳务品牌目录的公告", "石林阿诗玛刺绣文化有限公司", "2026年9月1日",
			"不得再次申报", "昆明市人力资源和社会保障局")
		errorOf(t, s.Do("GET", "/api/v1/public/announcements/999999/announcement.pdf", "", nil), 404, "no such announcement")
		errorOf(t, s.Do("GET", "/api/v1/public/announcements/x/announcement.pdf", "", nil), 404, "not a number")
	})
}

// Hostile input: a public print reads the records it prints — the 入库名单
// the whole library — so a client may ask for 60 a minute, far more than a
// person reads; beyond, 429 with Retry-After — an X-Forwarded-For from an
// untrusted address does not make another client.
func TestPublicPrintsAreLimitedPerClient(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1), NoWorker: true})
	admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	for i := range 60 {
		if r := s.Do("GET", "/api/v1/public/admitted-list.pdf", "", nil); r.Status != 200 {
			t.Fatalf("print %d: %d %.200s", i+1, r.Status, r.Body)
		}
	}
	r := s.Do("GET", "/api/v1/public/admitted-list.pdf", "", nil)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Errorf("the 61st print within the minute: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	if r := s.Do("GET", "/api/v1/public/notices.pdf", "", nil, "X-Forwarded-For", "203.0.113.9"); r.Status != 429 {
		t.Errorf("X-Forwarded-For from an untrusted address made a new client: %d", r.Status)
	}
}

// Hostile input: a search of the public catalogue by name matches anywhere
// in a brand's name and holder, so it reads the whole library; a client may
// make 120 a minute, far more than a person types — beyond, 429 with
// Retry-After and the database not asked. Browsing without a name reads by
// index and is not limited.
func TestPublicCatalogueSearchesAreLimitedPerClient(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1), NoWorker: true})
	admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	for i := range 120 {
		if r := s.Do("GET", "/api/v1/public/brands?name="+url.QueryEscape("刺绣"), "", nil); r.Status != 200 {
			t.Fatalf("search %d: %d %.200s", i+1, r.Status, r.Body)
		}
	}
	r := s.Do("GET", "/api/v1/public/brands?name="+url.QueryEscape("刺绣"), "", nil)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Errorf("the 121st search within the minute: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	if r := s.Do("GET", "/api/v1/public/brands?county=530126", "", nil); r.Status != 200 {
		t.Errorf("browsing without a name after the searches: %d", r.Status)
	}
}

// 第十三条: an objection upheld after the 复审 rejects the application; the
// printed 附件1 says so in the city's box instead of the 复审's approval
// that no longer stands.
func Test第十三条_ThePrintedFormOfAnApplicationRejectedByAnObjectionSaysSo(t *testing.T) {
	papertest.Fonts(t)
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	receipt := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, mailedObjection(1)), 201, "the mailed objection")
	upheld(t, s, a, id, receipt["id"].(string))
	pdf := pdfOf(t, s.Do("GET", "/api/v1/applications/"+id+"/form.pdf", a.city, nil), "附件1 of the rejected application")
	papertest.Contains(t, pdf, "公示期间异议成立，不予入库。")
	papertest.Lacks(t, pdf, "同意入库，进入公示")
}
