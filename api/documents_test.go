package api_test

import (
	"context"
	"fmt"
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

// Issue 14, API.md documents: the scheme's forms and the public documents
// are printed from the records, for those who may read them.
func TestPrintedDocumentsCarryTheRecords(t *testing.T) {
	papertest.Fonts(t)
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
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
				"国家级非物质文化遗产生产性保护示范基地", "承诺人（机构法人代表）签字：", appID)
		}
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", a.rose, nil), 403, "another holder")
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", a.anning, nil), 403, "another county")
		errorOf(t, s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", "", nil), 401, "no token")
		errorOf(t, s.Do("GET", "/api/v1/applications/A-none/form.pdf", a.city, nil), 404, "no such application")
	})

	t.Run("入库名单: anyone prints the library; an unknown round is a 422", func(t *testing.T) {
		pdf := pdfOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf", "", nil), "入库名单")
		papertest.Contains(t, pdf, "昆明市市级劳务品牌入库名单", "石林撒尼刺绣", "石林阿诗玛刺绣文化有限公司", "石林彝族自治县", "2025-06-20")
		pdf = pdfOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf?round=R-2025", "", nil), "入库名单 of a round")
		papertest.Contains(t, pdf, "（2025年第一批）", "以下1个劳务品牌", "石林撒尼刺绣")
		errorOf(t, s.Do("GET", "/api/v1/public/admitted-list.pdf?round=R-none", "", nil), 422, "unknown round")
	})

	t.Run("公示: the notice lists the applications in public notice and its period", func(t *testing.T) {
		_, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category,
			county_code, unit_name, uscc, form, eligibility, submitted_at, submitted_by, updated_at, name_key, notice_start, notice_end)
			VALUES ('A-notice', 'R-2025', 'public_notice', '宜良烤鸭师傅', 'regional', 'accommodation_catering', '530125', '宜良县烹饪协会',
			'51530125MJ0000002X', '{}', '[]', now(), 'test', now(), 'yiliangkaoyashifu', '2026-08-31', '2026-09-04')`)
		if err != nil {
			t.Fatal(err)
		}
		pdf := pdfOf(t, s.Do("GET", "/api/v1/public/notices.pdf", "", nil), "公示")
		papertest.Contains(t, pdf, "昆明市市级劳务品牌入库名单公示", "公示期：2026年8月31日至2026年9月4日", "宜良烤鸭师傅", "宜良县烹饪协会",
			"住宿餐饮类", "08-31至09-04", "/public/notices")
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
		errorOf(t, s.Do("GET", path("/changes/C-none/form.pdf"), a.city, nil), 404, "no such change")
	})

	t.Run("附件3: none before a report; then the situations ticked, the county's reasons and the city's decision", func(t *testing.T) {
		errorOf(t, s.Do("GET", path("/removal-report.pdf"), a.shilin, nil), 404, "no report yet")
		expect(t, s.Do("POST", path("/removal-report"), a.shilin, map[string]any{"reasons": []string{"dissolved_or_inactive", "no_longer_eligible"},
			"description": "持有单位已于2026年8月注销"}), 200, "removal report")
		pdf := pdfOf(t, s.Do("GET", path("/removal-report.pdf"), a.city, nil), "附件3")
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
