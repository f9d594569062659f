package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func businessClock(day string, scale int64) clock.Clock {
	d, _ := calendar.ParseDate(day)
	return clock.Clock{Scale: scale, WallOrigin: time.Now(), BusinessOrigin: d.Start().Add(9 * time.Hour)}
}

// admitBrand puts an admitted brand in place without the admission
// procedure (its rows, and its process started directly), as the API's
// brand tests do.
func admitBrand(t *testing.T, s *stacktest.Stack, f demo.Form, admittedOn string) string {
	t.Helper()
	ctx := context.Background()
	appID := fmt.Sprintf("A%d", time.Now().UnixNano())
	brandID := workflows.BrandIDFor(appID)
	raw, _ := json.Marshal(f)
	at, _ := calendar.ParseDate(admittedOn)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
			VALUES ('R-2025', '2025年第一批', '2025-03-01', '2025-04-30', now(), 'test') ON CONFLICT DO NOTHING`, nil},
		{`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc,
			form, eligibility, submitted_at, submitted_by, updated_at, name_key)
			VALUES ($1, 'R-2025', 'admitted', $2, $3, $4, $5, $6, $7, $8, '[]', now(), 'test', now(), $9)`,
			[]any{appID, f["brand_name"], f["brand_type"], f["category"], f["county_code"], f["unit_name"], f["uscc"], raw,
				namekey.Key(f["brand_name"].(string))}},
		{`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, name_key)
			SELECT $1, id, brand_name, 'active', county_code, category, brand_type, unit_name, uscc, $2, now(), name_key FROM applications WHERE id = $3`,
			[]any{brandID, admittedOn, appID}},
	} {
		if _, err := s.Store.Pool().Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("seed brand: %v", err)
		}
	}
	in := workflows.BrandInput{BrandID: brandID, ApplicationID: appID, Name: f["brand_name"].(string),
		BrandType: f["brand_type"].(string), Category: f["category"].(string), CountyCode: f["county_code"].(string),
		UnitName: f["unit_name"].(string), USCC: f["uscc"].(string), AdmittedOn: at, Clock: s.Clock, Policy: workflows.DefaultBrandPolicy}
	if _, err := s.Temporal.ExecuteWorkflow(ctx, workflows.BrandStartOptions(in, s.TaskQueue), workflows.BrandWorkflow, in); err != nil {
		t.Fatalf("start brand process: %v", err)
	}
	return brandID
}

// 第十五条（三） from the console (issue 15 items 3, 4, 7): the city officer
// opens a brand with a proposed suspension, opens how the decision's
// deadline was computed, and decides the suspension with the province's
// filing through the form's confirmation step, applied once; the brand list
// filters; a county officer is offered the county's decisions only; axe-core
// finds no serious violation.
func TestBrandPagesInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1)})
	rose := admitBrand(t, s, demo.Rose(), "2025-06-20")
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	anningToken := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if r := s.Do("POST", "/api/v1/brands/"+rose+"/findings", anningToken, map[string]any{
		"reason": "serious_dishonesty_list", "description": "被列入严重违法失信名单（信用中国公示）"}); r.Status != 200 {
		t.Fatalf("finding: %d %s", r.Status, r.Body)
	}
	addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	addAccount(t, s, store.Account{Username: "taskforce", Role: "city_officer"})
	addAccount(t, s, store.Account{Username: "watcher", Role: "supervisor"})
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)

	t.Run("the brand list filters by status and county", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("taskforce", officerPassword, "")
		b.WaitFor("taskforce · ")
		b.Open("/brands")
		b.WaitFor("劳务品牌", "安宁玫瑰", "石林")
		b.Open("/brands?county=530126")
		if text := b.WaitFor("石林"); strings.Contains(text, "安宁玫瑰") {
			t.Error("an 安宁 brand is listed under 石林")
		}
		b.Axe(axeJS)
	})
	t.Run("第十五条（三）: the suspension decision's deadline explains itself", func(t *testing.T) {
		b := b.With(t)
		b.Open("/brands/" + rose)
		b.WaitFor("是否暂停标识使用权（市级）", "三级：暂停标识使用权", "期限是怎样算的", "暂停标识使用权决定")
		b.Click(`details.explain summary`)
		b.WaitFor("第一个计入的日子", "《民法典》第二百零一条", "第 1 个工作日", "周末")
		b.Screenshot(shots, "console-brand.png")
		b.Axe(axeJS)
	})
	t.Run("printed, the brand page is the record without navigation or forms", func(t *testing.T) {
		b := b.With(t)
		b.Open("/brands/" + rose)
		b.WaitFor("是否暂停标识使用权（市级）", "暂停标识使用权决定")
		printedWithoutNavigationOrForms(t, b)
		// The deadline's explanation prints open, and closes after.
		if v := b.Eval(`(() => { const state = () => [...document.querySelectorAll('details.explain')].map(d => d.open).join();
			dispatchEvent(new Event('beforeprint')); const printed = state(); dispatchEvent(new Event('afterprint')); return printed + '|' + state() })()`); !strings.HasPrefix(v, "true") || strings.Contains(strings.Split(v, "|")[0], "false") || strings.Contains(strings.Split(v, "|")[1], "true") {
			t.Errorf("the explanations printed open / after: %q, want all open for the print and closed after", v)
		}
	})
	t.Run("第十五条（三）: the city suspends from the console, confirmed, applied once", func(t *testing.T) {
		b := b.With(t)
		b.Open("/brands/" + rose)
		b.WaitFor("暂停标识使用权决定")
		b.Click(`form[action*="/act/suspension-decision#"] button.primary`)
		b.WaitFor("必填：决定")
		b.Click(`input[name=suspend][value=true]`)
		b.Fill(`textarea[name=reason]`, "列入严重违法失信名单，依第十五条（三）暂停三个月")
		b.Fill(`input[name="province_report.reported_on"]`, "2026-09-01")
		b.Fill(`input[name="province_report.doc_no"]`, "昆人社报〔2026〕12号")
		b.Click(`form[action*="/act/suspension-decision#"] button.primary`)
		b.WaitFor("请确认暂停标识使用权决定", "暂停（或延续暂停）劳务品牌标识使用权一年", "昆人社报〔2026〕12号")
		b.Click(`.confirm-decision`)
		b.WaitFor("暂停标识使用权决定已提交", " 至 20", "（第十五条（三））")
		var v store.BrandView
		city := stacktest.Token(t, auth.Principal{Sub: "taskforce", Role: auth.CityOfficer})
		s.Do("GET", "/api/v1/brands/"+rose, city, nil).JSON(t, &v)
		if v.Status != workflows.BrandStatusSuspended || v.SuspensionCount != 1 {
			t.Errorf("after the decision: status %s, suspensions %d", v.Status, v.SuspensionCount)
		}
		b.Axe(axeJS)
		b.SignOut()
	})
	t.Run("a county officer is offered the county's decisions, a supervisor none but a link to the process", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("anning", officerPassword, "")
		b.WaitFor("anning · ")
		b.Open("/brands/" + rose)
		text := b.WaitFor("报请移出项目库（附件3）")
		if strings.Contains(text, "暂停标识使用权决定（") {
			t.Error("a county officer is offered the city's suspension decision")
		}
		// RULES §4: a suspended brand takes no finding but a level-3 one
		// beside a suspension proposal, and none waits.
		if strings.Contains(text, "问题认定（第十五条") {
			t.Error("a suspended brand with no suspension proposal is offered a finding the process refuses")
		}
		b.SignOut()
		b.SignIn("watcher", officerPassword, "")
		b.WaitFor("watcher · ")
		b.Open("/brands/" + rose)
		text = b.WaitFor("监督人员只读查看", "在 Temporal 界面中查看")
		if strings.Contains(text, "下一步：确认") {
			t.Error("a supervisor is offered a decision")
		}
		if href := b.Eval(`document.querySelector('a[target=_blank]').href`); !strings.Contains(href, "/workflows/brand-"+rose) {
			t.Errorf("the process link %q", href)
		}
		b.Axe(axeJS)
		b.SignOut()
	})
	t.Run("a long history: the latest 200 entries and how many there are", func(t *testing.T) {
		// 260 steps after the process's own admission, a minute apart
		// (docs/API.md, brand view): the page says how many there are and
		// shows the latest.
		if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key)
			SELECT $1, timestamptz '2026-09-01 18:00+08' + n * interval '1 minute', 'system', 'system', 'step',
			       '办理记录第' || lpad(n::text, 4, '0') || '条', $1 || '-old-' || n
			FROM generate_series(1, 260) n`, embroidery); err != nil {
			t.Fatal(err)
		}
		var v store.BrandView
		city := stacktest.Token(t, auth.Principal{Sub: "taskforce", Role: auth.CityOfficer})
		s.Do("GET", "/api/v1/brands/"+embroidery, city, nil).JSON(t, &v)
		if v.HistoryTotal < 261 || len(v.History) != 200 {
			t.Fatalf("the view: %d entries of %d", len(v.History), v.HistoryTotal)
		}
		b := b.With(t)
		b.SignIn("taskforce", officerPassword, "")
		b.WaitFor("taskforce · ")
		b.Open("/brands/" + embroidery)
		text := b.WaitFor(fmt.Sprintf("共 %d 条，显示最近 200 条。", v.HistoryTotal), v.History[0].Note, v.History[199].Note)
		shown := map[string]bool{}
		for _, h := range v.History {
			shown[h.Note] = true
		}
		for n := 1; n <= 260; n++ {
			if note := fmt.Sprintf("办理记录第%04d条", n); !shown[note] && strings.Contains(text, note) {
				t.Errorf("the page shows %s, which is not among the latest 200", note)
			}
		}
		b.Screenshot(shots, "console-brand-long-history.png")
		b.Axe(axeJS)
		b.SignOut()
	})
}

// 第十五条（一）→（二） on the brand page at a high time scale (issue 15 item
// 7): a level-1 finding made from the console lapses after its month and
// the page shows the level-2 order awaiting its interview.
func Test第十五条_Level1LapsesToLevel2OnTheBrandPage(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	// 2026-09-01 + one month moves past 国庆 to 2026-10-08: ~38 business days,
	// some 16 s of wall time at this scale.
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 200000)})
	rose := admitBrand(t, s, demo.Rose(), "2025-06-20")
	addAccount(t, s, store.Account{Username: "anning", Role: "county_officer", County: "530181"})
	b := browsertest.Start(t, s.URL)
	b.SignIn("anning", officerPassword, "")
	b.WaitFor("anning · ")
	b.Open("/brands/" + rose)
	b.WaitFor("问题认定（第十五条（一）–（三））")
	b.Eval(`document.querySelector('select[name=reason]').value = 'logo_misuse'`)
	b.Fill(`textarea[name=description]`, "宣传材料擅自改动劳务品牌标识")
	b.Click(`form[action*="/act/finding#"] button.primary`)
	b.WaitFor("请确认问题认定", "不规范使用劳务品牌标识")
	// People: the confirmation is shown where the officer is looking, not
	// at the top of a page that looks unchanged.
	if in := b.Eval(`new Promise(done => setTimeout(() => { const r = document.querySelector('.decision .confirm').getBoundingClientRect();
		done(String(r.top >= 0 && r.top < innerHeight)) }, 300))`); in != "true" {
		t.Error("the confirmation step is out of view after 下一步：确认")
	}
	b.Click(`.confirm-decision`)
	b.WaitFor("问题认定已提交")
	deadline := time.Now().Add(90 * time.Second)
	for {
		b.Open("/brands/" + rose)
		text := b.WaitFor("动态管理")
		if strings.Contains(text, "二级：约谈整改") && strings.Contains(text, "约谈（县级）") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no level 2 after the month lapsed:\n%.1500s", text)
		}
		time.Sleep(2 * time.Second)
	}
}
