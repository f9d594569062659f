package console_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Issue 14 item 4 in the console: the city downloads the template, uploads
// a sheet, sees every row's errors by row and column (the dry run),
// confirms, and the import's progress bar reaches 100% with the brands in
// the brand list; the same sheet again imports nothing. axe-core finds no
// serious violation.
func TestImportPageInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-11-30", 1)})
	addAccount(t, s, store.Account{Username: "taskforce", Role: "city_officer"})
	addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)
	tag := importTag()
	day := func(v string) calendar.Date { d, _ := calendar.ParseDate(v); return d }
	good := []brandimport.Row{
		{Name: "富民樱桃种植" + tag, UnitName: "富民县樱桃协会", USCC: demo.USCC("91530124MA6N" + tag + "1"), BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530124", AdmittedOn: day("2023-05-10")},
		{Name: "安宁温泉康养" + tag, UnitName: "安宁温泉酒店管理有限公司", USCC: demo.USCC("91530181MA6N" + tag + "2"), BrandType: "enterprise",
			Category: "resident_services", CountyCode: "530181", AdmittedOn: day("2024-03-01"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: day("2026-11-20"), Due: day("2026-12-21")}},
		{Name: "石林撒尼刺绣" + tag, UnitName: "石林撒尼刺绣合作社", USCC: demo.USCC("91530126MA6N" + tag + "3"), BrandType: "regional",
			Category: "culture_tourism_crafts", CountyCode: "530126", AdmittedOn: day("2022-09-15")},
	}
	// Row 3 of the sheet: a USCC whose check character is wrong.
	bad := good[1]
	bad.Name, bad.USCC = "嵩明花木"+tag, good[1].USCC[:17]+otherCheck(good[1].USCC[17])
	withError := []brandimport.Row{good[0], bad, good[2]}
	dir := t.TempDir()
	sheet := func(name string, rows []brandimport.Row) string {
		var buf bytes.Buffer
		if err := brandimport.WriteSheet(&buf, rows); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	check := func(b *browsertest.Browser, path string) string {
		b.Open("/import")
		b.WaitFor("导入品牌库", "第一步：下载导入模板", "第二步：上传并检查")
		if _, err := chromedp.Run(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{path})); err != nil {
			t.Fatal(err)
		}
		b.Click("#check-sheet")
		return b.WaitFor("检查结果")
	}
	b.SignIn("taskforce", officerPassword, "")

	t.Run("the template downloads and the dry run shows each error by row and column", func(t *testing.T) {
		b := b.With(t)
		b.Open("/work")
		if b.Eval(`String(!!document.querySelector('nav a[href="/import"]'))`) != "true" {
			t.Error("the city's navigation has no 导入品牌库")
		}
		check(b, sheet("有误.xlsx", withError))
		b.WaitFor("共 3 行，无误 2 行（其中将导入 2 个", "1 处有误", "确认导入 2 个劳务品牌")
		row := b.Eval(`[...document.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(c => c.textContent).join('|')).join('\n')`)
		if !strings.HasPrefix(row, "3|统一社会信用代码|C3|") || strings.Count(row, "\n") != 0 {
			t.Errorf("error table: %q, want row 3, column 统一社会信用代码, cell C3", row)
		}
		got := b.Eval(`fetch('/import/template.xlsx').then(async r => r.status + ' ' + new TextDecoder().decode((await r.arrayBuffer()).slice(0, 2)))`)
		if got != "200 PK" {
			t.Errorf("template: %q", got)
		}
		b.Screenshot(shots, "console-import.png")
		b.Axe(axeJS)
	})
	t.Run("a valid sheet imports with the progress bar reaching 100%", func(t *testing.T) {
		b := b.With(t)
		path := sheet("品牌库.xlsx", good)
		check(b, path)
		b.WaitFor("共 3 行，无误 3 行（其中将导入 3 个", "没有错误")
		b.Click("#confirm-import")
		b.WaitFor("导入结果", "新导入 3 个品牌，0 个此前已导入")
		if v := b.Eval(`document.querySelector('#import-bar').value + '/' + document.querySelector('#import-bar').max`); v != "100/100" {
			t.Errorf("progress bar at %s, want 100/100", v)
		}
		// The page stayed (assets/import.js posted in the background and polled
		// the progress meanwhile), not a form post's navigation.
		if path := b.Eval(`location.pathname`); path != "/import" {
			t.Errorf("the import navigated to %s: import.js did not run", path)
		}
		// The bar was fed by the progress of this very sheet.
		raw, _ := os.ReadFile(path)
		sum := sha256.Sum256(raw)
		if p, err := s.Store.ImportProgressOf(t.Context(), hex.EncodeToString(sum[:])); err != nil || !p.Done || p.DryRun || p.Started != 3 {
			t.Errorf("the import's progress: %+v, %v", p, err)
		}
		b.Axe(axeJS)
		b.Open("/brands")
		b.WaitFor(good[0].Name, good[1].Name, good[2].Name)

		// The same sheet again: nothing to import, nothing changed.
		check(b, path)
		text := b.WaitFor("共 3 行，无误 3 行（其中将导入 0 个，3 个此前已导入）", "没有可导入的行")
		if strings.Contains(text, "确认导入") {
			t.Error("the same sheet again offers an import")
		}
		if on, _ := s.Store.BrandsOnRecord(t.Context(), []string{good[0].ID(), good[1].ID(), good[2].ID()}); len(on) != 3 {
			t.Errorf("%d of 3 brands on record", len(on))
		}
		b.SignOut()

		// A brought-over brand's holder is not self-registered: its USCC is
		// public, and the account would read the brand's records; the
		// bureau, which knows the holder, opens its account.
		b.Open("/register")
		b.Fill("#uscc", good[0].USCC)
		b.Fill("#unit_name", good[0].UnitName)
		b.Fill("#contact_name", "某人")
		b.Fill("#contact_phone", "13700004444")
		b.Fill("#username", "cherry-"+strings.ToLower(tag))
		b.Fill("#password", officerPassword)
		b.Fill("#password_again", officerPassword)
		b.Click(`form[action="/register"] button[type=submit]`)
		b.WaitFor("该统一社会信用代码不能自行注册", "请持营业执照联系昆明市人力资源和社会保障局开设")
	})
	t.Run("a county officer has no import page", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("anning", officerPassword, "")
		b.Open("/import")
		b.WaitFor("无权访问")
		if b.Eval(`String(!!document.querySelector('nav a[href="/import"]'))`) != "false" {
			t.Error("a county officer's navigation offers the import")
		}
		b.SignOut()
	})
}

// importTag is three USCC characters unique to this run: imported brands'
// ids derive from their USCC and name.
func importTag() string {
	sum := sha256.Sum256([]byte(time.Now().String()))
	out := make([]byte, 3)
	for i := range out {
		out[i] = uscc.Alphabet[int(sum[i])%len(uscc.Alphabet)]
	}
	return string(out)
}

// otherCheck is a check character other than c.
func otherCheck(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}
