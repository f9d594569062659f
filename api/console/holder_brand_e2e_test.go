package console_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Once admitted (issue 16 item 3), the holder sees its brand from its
// application, the brand's open matters and when each is due, and files a
// change registration (附件2) from a form: a mistake named by the API
// beside its field, corrected, confirmed. The development report's form is
// offered only while an evaluation report is due, and a holder whose
// report is due files it from that form.
func TestHolderBrandFormsInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 10000)})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-06-30"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	for _, e := range demo.Experts() {
		if r := s.Do("POST", "/api/v1/experts", city, map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}); r.Status != 201 {
			t.Fatalf("expert: %d %s", r.Status, r.Body)
		}
	}
	rose := demo.Rose()
	appID := toNotice(t, s, rose)
	var brandID string
	testenv.Eventually(t, 3*time.Minute, "the rose brand admitted", func() error {
		var v struct {
			Stage   string
			BrandID *string `json:"brand_id"`
		}
		s.Do("GET", "/api/v1/applications/"+appID, city, nil).JSON(t, &v)
		if v.Stage != "admitted" || v.BrandID == nil {
			return fmt.Errorf("stage %s", v.Stage)
		}
		brandID = *v.BrandID
		return nil
	})
	addAccount(t, s, store.Account{Username: "rose", Role: "applicant", USCC: rose["uscc"].(string)})

	b := browsertest.Start(t, s.URL).With(t)
	shots := screenshotDir(t)
	b.SignIn("rose", officerPassword, "")
	b.Open("/holder/applications")
	b.WaitFor("安宁玫瑰", "已入库")
	// 我的品牌 is the holder's own list, not the officers' filtered library.
	b.Click(`nav a[href="/brands"]`)
	if text := b.WaitFor("我的品牌", "安宁玫瑰", "入库日期"); strings.Contains(text, "筛选") || strings.Contains(text, "导出 Excel") {
		t.Errorf("the holder's brands are shown with the officers' filters:\n%s", text)
	}
	b.Axe(axeJS)
	b.Open("/applications/" + appID)
	b.WaitFor("已纳入市级劳务品牌项目库")
	b.Click(`a[href="/brands/` + brandID + `"]`)
	text := b.WaitFor("安宁玫瑰", "申请变更登记（附件2）")
	if strings.Contains(text, "提交发展情况报告") {
		t.Error("the development report is offered with no evaluation due")
	}
	for _, officers := range []string{"问题认定（第十五条", "暂停标识使用权决定", "报请移出项目库"} {
		if strings.Contains(text, officers) {
			t.Errorf("the holder is offered the officers' %s", officers)
		}
	}
	b.Fill(`[id="change-changes.contact_phone"]`, "12345")
	b.Fill(`#change-reason`, "联系人电话变更。")
	b.Click(`form[action*="/act/change#"] button.primary`)
	b.WaitFor("请确认申请变更登记（附件2）", "12345")
	b.Click(`form[action*="/act/change#"] button.confirm-decision`)
	b.WaitFor("联系方式应为11位手机号")
	b.Axe(axeJS)
	b.Fill(`[id="change-changes.contact_phone"]`, "13888000111")
	b.Click(`form[action*="/act/change#"] button.primary`)
	b.WaitFor("请确认申请变更登记（附件2）", "13888000111")
	b.Click(`form[action*="/act/change#"] button.confirm-decision`)
	b.WaitFor("变更登记申请（附件2）已提交")
	var brand struct {
		Changes []struct {
			ID          string
			Status      string
			RequestedAt time.Time `json:"requested_at"`
		}
	}
	s.Do("GET", "/api/v1/brands/"+brandID, city, nil).JSON(t, &brand)
	if len(brand.Changes) != 1 {
		t.Fatalf("changes %+v", brand.Changes)
	}
	b.Screenshot(shots, "holder-brand.png")
	b.Axe(axeJS)

	t.Run("附件2 (申请人签字盖章): the holder uploads the signed form of its change from the brand's page, and opens it there", func(t *testing.T) {
		b := b.With(t)
		ch := brand.Changes[0]
		scan := filepath.Join(t.TempDir(), "附件2签字件.pdf")
		if err := os.WriteFile(scan, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		b.Open("/brands/" + brandID)
		b.Click(`a[href="/brands/` + brandID + `/changes/` + ch.ID + `/signed-forms"]`)
		b.WaitFor("签字盖章的登记变更表（附件2）", "下载登记变更表（附件2）（PDF）", "尚未上传")
		upload := func(signedOn string) {
			b.Fill("#signer", "张云华")
			b.Fill("#signed_on", signedOn)
			b.Click(`input[name=seal_present][value=true]`)
			if _, err := chromedp.Run(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS(`#signed_file`), []string{scan})); err != nil {
				t.Fatal(err)
			}
			b.Click(`form[action$="/signed-forms"] button[type=submit]`)
		}
		// Signed before the change was requested: not this request's form.
		upload(calendar.DateOf(ch.RequestedAt).AddDays(-1).String())
		b.WaitFor("签字件信息有误")
		if v := b.Eval(`document.querySelector('#signer').value + '|' + (document.querySelector('#signed_on').getAttribute('aria-invalid') || '')`); v != "张云华|true" {
			t.Errorf("the refused form: signer and the date's mark %q, want 张云华|true", v)
		}
		b.Axe(axeJS)
		day := calendar.DateOf(ch.RequestedAt).String()
		upload(day)
		b.WaitFor("签字盖章的登记变更表（附件2）已上传", "张云华 签字于 "+day+"，已盖章")
		b.Screenshot(shots, "holder-change-signed.png")
		b.Open("/brands/" + brandID)
		b.WaitFor("签字盖章的附件2", "张云华 签字于 "+day+"，已盖章")
		href := b.Eval(`document.querySelector('a[href*="/signed-forms/"][href$="?inline=1"]').getAttribute('href')`)
		if got := b.Eval(`fetch('` + href + `').then(r => r.status + ' ' + r.headers.get('content-type') + ' ' + r.headers.get('cache-control'))`); got != "200 application/pdf private, no-store" {
			t.Errorf("the scan opens as %q, want 200 application/pdf private, no-store", got)
		}
		var view struct {
			SignedForms []struct {
				Form     string
				ChangeID *string `json:"change_id"`
				Signer   string
			} `json:"signed_forms"`
		}
		s.Do("GET", "/api/v1/brands/"+brandID, city, nil).JSON(t, &view)
		if len(view.SignedForms) != 1 || view.SignedForms[0].Form != "attachment2" || view.SignedForms[0].ChangeID == nil ||
			*view.SignedForms[0].ChangeID != ch.ID || view.SignedForms[0].Signer != "张云华" {
			t.Errorf("the brand's signed forms %+v, want the one 附件2 of %s", view.SignedForms, ch.ID)
		}
		// 附件3 is the officers': the holder is refused its page.
		if got := b.Eval(`fetch('/brands/` + brandID + `/removal-report/signed-forms').then(r => String(r.status))`); got != "403" {
			t.Errorf("the holder's 附件3 page answers %s, want 403", got)
		}
	})

	t.Run("第十五条 the development report filed from its form while the biennial evaluation is due", func(t *testing.T) {
		// A brand admitted before the system, two years and three days ago:
		// its evaluation window is open, the report due (as the demo's
		// 嵩明蔬菜把式; brandimport.Start is the import's own start).
		// The id is this run's: the dev server outlives a run's database.
		id, holderUSCC := fmt.Sprintf("BHE%010d", time.Now().UnixNano()%1e10), demo.USCC("51530127MA6N0E01")
		in := workflows.BrandInput{BrandID: id, Name: "嵩明花卉园艺", BrandType: "regional", Category: "planting_breeding",
			CountyCode: "530127", UnitName: "嵩明县花卉协会", USCC: holderUSCC, Imported: true, Clock: s.Clock,
			AdmittedOn: calendar.DateOf(s.Clock.Now().AddDate(-2, 0, -3)), Policy: workflows.DefaultBrandPolicy}
		if _, err := brandimport.Start(t.Context(), s.Temporal, s.TaskQueue, in); err != nil {
			t.Fatal(err)
		}
		testenv.Eventually(t, time.Minute, "the report due", func() error {
			var v struct {
				OpenMatters []struct{ Kind string } `json:"open_matters"`
			}
			s.Do("GET", "/api/v1/brands/"+id, city, nil).JSON(t, &v)
			for _, m := range v.OpenMatters {
				if m.Kind == "evaluation_report" {
					return nil
				}
			}
			return fmt.Errorf("open matters %+v", v.OpenMatters)
		})
		addAccount(t, s, store.Account{Username: "songming-flowers", Role: "applicant", USCC: holderUSCC})
		b := b.With(t)
		b.SignOut()
		b.SignIn("songming-flowers", officerPassword, "")
		b.Open("/brands/" + id)
		b.WaitFor("嵩明花卉园艺", "提交发展情况报告")
		// The period the process asks for is filled in: the holder need not
		// work out which two years it looks back over.
		if period := b.Eval(`document.querySelector('[id="evaluation-period"]').value`); period != "2024-2026" {
			t.Errorf("the report's period starts as %q, want 2024-2026", period)
		}
		b.Screenshot(shots, "holder-evaluation.png")
		// Figures typed in words are each named at once; full-width digits
		// (a Chinese input method's) are read as digits.
		for field, value := range map[string]string{"violations": "0", "major_complaints": "0",
			"major_accidents": "0", "direct_employees": "一千五百", "driven_employment": "3200", "labor_income_wan": "八千六百",
			"trainees_two_years": "４２０", "summary": "两年来会员单位稳定增长，组织技能培训420人次。"} {
			b.Fill(`[id="evaluation-`+field+`"]`, value)
		}
		b.Click(`form[action*="/act/evaluation#"] button.primary`)
		b.WaitFor("请填写整数，如 1200", "请填写数字，如 1200 或 1200.50")
		b.Fill(`[id="evaluation-direct_employees"]`, "1,500")
		b.Fill(`[id="evaluation-labor_income_wan"]`, "8600.5")
		b.Click(`form[action*="/act/evaluation#"] button.primary`)
		b.WaitFor("请确认提交发展情况报告", "2024-2026")
		b.Click(`form[action*="/act/evaluation#"] button.confirm-decision`)
		b.WaitFor("发展情况报告已提交")
		var v struct {
			Evaluations []struct {
				Period string
				Report struct {
					DirectEmployees  int64   `json:"direct_employees"`
					LaborIncomeWan   float64 `json:"labor_income_wan"`
					TraineesTwoYears int64   `json:"trainees_two_years"`
				}
			}
		}
		s.Do("GET", "/api/v1/brands/"+id, city, nil).JSON(t, &v)
		if len(v.Evaluations) != 1 || v.Evaluations[0].Period != "2024-2026" {
			t.Fatalf("evaluations after the holder's report: %+v", v.Evaluations)
		}
		if r := v.Evaluations[0].Report; r.DirectEmployees != 1500 || r.LaborIncomeWan != 8600.5 || r.TraineesTwoYears != 420 {
			t.Errorf("the report's figures: %+v, want 1500, 8600.5, 420", r)
		}
		b.Axe(axeJS)
	})
}
