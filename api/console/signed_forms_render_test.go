package console

import (
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// 附件2 and 附件3 (申请人签字盖章): a brand's page lists each change's signed
// scans under the change, each opening its scan, and offers the upload to
// the holder and the officers — not to a supervisor; the 附件3 and its
// scans are the officers', once the brand was proposed for removal.
func TestTheBrandPageListsAndTakesSignedForms(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	ch1 := "CH1"
	brand := func() brandView {
		v := brandView{}
		v.Brand.ID, v.Brand.Name, v.Brand.Status = "B1", "安宁家政", "active"
		v.Brand.Changes = []store.ChangeView{{ID: "CH2", Status: "county", Reason: "联系人调动", Changes: []byte(`{}`)},
			{ID: "CH1", Status: "approved", Reason: "更名", Changes: []byte(`{}`)}}
		v.Brand.SignedForms = []store.SignedForm{
			{ID: "S1", Form: "attachment2", ChangeID: &ch1, Signer: "李华", SignedOn: "2026-05-02", SealPresent: true, Name: "变更表.pdf"},
			{ID: "S2", Form: "attachment3", Signer: "王强", SignedOn: "2026-07-01", Name: "移出表.png"},
		}
		return v
	}
	holder := brand()
	holder.Signer = true
	body := renderPage(cs, "/brands/B1", "brand", "安宁家政", holder)
	pageHas(t, body, []string{`href="/brands/B1/signed-forms/S1?inline=1"`, "李华 签字于 2026-05-02，已盖章",
		`href="/brands/B1/changes/CH2/signed-forms"`, `href="/brands/B1/changes/CH1/signed-forms"`},
		[]string{"王强", "/removal-report/signed-forms", "附件3"})

	county := brand()
	county.Officer, county.Signer, county.RemovalProposed = true, true, true
	body = renderPage(cs, "/brands/B1", "brand", "安宁家政", county)
	pageHas(t, body, []string{"移出情况表（附件3）", `href="/brands/B1/removal-report/signed-forms"`,
		`href="/brands/B1/signed-forms/S2?inline=1"`, "王强 签字于 2026-07-01，未盖章", `href="/brands/B1/changes/CH2/signed-forms"`},
		[]string{"报请移出后可用"})

	supervisor := brand()
	supervisor.Officer, supervisor.ReadOnly, supervisor.RemovalProposed = true, true, true
	body = renderPage(cs, "/brands/B1", "brand", "安宁家政", supervisor)
	pageHas(t, body, []string{`href="/brands/B1/signed-forms/S1?inline=1"`, `href="/brands/B1/signed-forms/S2?inline=1"`},
		[]string{"/changes/CH2/signed-forms", "/removal-report/signed-forms"})

	never := brand()
	never.Officer, never.Signer = true, true
	never.Brand.SignedForms = nil
	body = renderPage(cs, "/brands/B1", "brand", "安宁家政", never)
	pageHas(t, body, []string{"附件3 移出情况表（PDF，报请移出后可用）"}, []string{"/removal-report/signed-forms"})
}

// A removal proposed shows in the brand's view in one of several ways: a
// decision waiting, a line of its history, the brand removed, a 附件3
// signed already — and not otherwise.
func TestRemovalProposedFromTheBrandsView(t *testing.T) {
	ch := "CH1"
	for _, tc := range []struct {
		name string
		b    store.BrandView
		want bool
	}{
		{"active, nothing", store.BrandView{Status: "active"}, false},
		{"a change's 附件2 only", store.BrandView{Status: "active", SignedForms: []store.SignedForm{{Form: "attachment2", ChangeID: &ch}}}, false},
		{"waiting for the city", store.BrandView{Status: "suspended", OpenMatters: []store.OpenMatterView{{Kind: "removal"}}}, true},
		{"reported once", store.BrandView{Status: "active", History: []store.HistoryEntry{{Action: "removal.reported"}}}, true},
		{"proposed by an evaluation", store.BrandView{Status: "active", History: []store.HistoryEntry{{Action: "evaluation.removal_proposed"}}}, true},
		{"removed", store.BrandView{Status: "removed"}, true},
		{"a 附件3 signed", store.BrandView{Status: "active", SignedForms: []store.SignedForm{{Form: "attachment3"}}}, true},
	} {
		if got := removalProposed(tc.b); got != tc.want {
			t.Errorf("%s: removalProposed %v, want %v", tc.name, got, tc.want)
		}
	}
}

// 我的品牌: a holder's brand list is its own (the API lists no other), with
// no officers' filters or export; with none yet it says how a brand enters
// the library (第十条至第十四条).
func TestTheHoldersBrandsAreItsOwnList(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	body := renderPage(cs, "/brands", "brands", "我的品牌", brandsView{Holder: true})
	pageHas(t, body, []string{"<h1>我的品牌</h1>", "本单位尚无入库的劳务品牌", `href="/holder/apply"`}, []string{"筛选", "导出 Excel"})
	body = renderPage(cs, "/brands", "brands", "我的品牌", brandsView{Holder: true,
		Items: []store.BrandSummary{{ID: "B1", Name: "安宁玫瑰", Status: "active", CountyCode: "530181", AdmittedOn: "2026-03-07"}}})
	pageHas(t, body, []string{`<a href="/brands/B1">安宁玫瑰</a>`, "2026-03-07"}, []string{"筛选", "待办决定"})
	body = renderPage(cs, "/brands", "brands", "劳务品牌", brandsView{})
	pageHas(t, body, []string{"<h1>劳务品牌</h1>", "筛选"}, []string{"我的品牌</h1>"})
}

// 第十条: a file may be taken back only while materials may be uploaded
// (before 初审, or returned); past it the materials page still lists and
// opens each file, and offers no 撤回.
func TestTheMaterialsPageOffersTakingBackOnlyWhileOpen(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := materialsView{Kinds: materialKinds, Errors: map[string]string{}, Signed: map[string]string{}}
	v.App.ID, v.App.Stage = "A1", "city_review"
	v.App.Attachments = []store.Attachment{{ID: "F1", Kind: "picture", Name: "玫瑰.png", Size: 2048}}
	body := renderPage(cs, "/holder/applications/A1/materials", "holder_materials", "上传申报材料", v)
	pageHas(t, body, []string{`href="/applications/A1/attachments/F1?inline=1"`}, []string{"/attachments/F1/remove", "确认撤回"})
	v.App.Stage, v.Open = "county_review", true
	body = renderPage(cs, "/holder/applications/A1/materials", "holder_materials", "上传申报材料", v)
	pageHas(t, body, []string{`action="/holder/applications/A1/attachments/F1/remove"`}, []string{"确认撤回"})
	v.Confirm = &v.App.Attachments[0]
	body = renderPage(cs, "/holder/applications/A1/materials", "holder_materials", "上传申报材料", v)
	pageHas(t, body, []string{"确认撤回材料", "撤回“玫瑰.png”", `name="confirm" value="1"`}, nil)
}
