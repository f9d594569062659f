package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// Issue 15 items 2–3 in a browser: a county officer triages a report (举报)
// through the confirmation step and lists the change requests (附件2); an admin administers accounts — creates one
// (field errors inline), ends a lock-out, resets a second factor, changes a
// role, never their own — and reads the audit log of it all, whose chain
// check passes and then names the entry an edit outside the application
// broke; axe-core finds no serious violation.
func TestOfficersAdministrationInABrowser(t *testing.T) {
	browsertest.Chromium(t)
	cfg := console.DefaultConfig
	cfg.RequireTOTP = false
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: businessClock("2026-09-01", 1)})
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	if r := s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": embroidery,
		"content": "在景区商铺悬挂未经授权的劳务品牌牌匾", "evidence": "现场照片三张", "contact": "13800001111"}); r.Status != 201 {
		t.Fatalf("report: %d %s", r.Status, r.Body)
	}
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	if r := s.Do("POST", "/api/v1/brands/"+embroidery+"/changes", holder, map[string]any{
		"changes": map[string]any{"contact_phone": "13987654321"}, "reason": "联系人电话变更"}); r.Status != 201 {
		t.Fatalf("change request: %d %s", r.Status, r.Body)
	}
	anning := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if r := s.Do("GET", "/api/v1/changes?county=530126", anning, nil); r.Status != 403 {
		t.Errorf("another county's change requests: %d", r.Status)
	}
	if r := s.Do("GET", "/api/v1/changes?status=pending", anning, nil); r.Status != 422 || !strings.Contains(string(r.Body), `"status"`) {
		t.Errorf("an unknown status: %d %s", r.Status, r.Body)
	}
	addAccount(t, s, store.Account{Username: "shilin", Role: "county_officer", County: "530126"})
	addAccount(t, s, store.Account{Username: "keeper", Role: "admin"})
	addAccount(t, s, store.Account{Username: "watcher", Role: "supervisor"})
	ctx := context.Background()
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE accounts SET locked_until = now() + interval '1 hour', totp_enrolled = true
		WHERE username = 'watcher'`); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t, s.URL)
	shots := screenshotDir(t)

	t.Run("第十五条（六）: the county triages a report, confirmed", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("shilin", officerPassword, "")
		// From the brand's page: the county's open reports, its list
		// already its own (a functional zone's brand would name a county
		// the officer's filter refuses).
		b.Open("/brands/" + embroidery)
		b.Click(`a[href^="/reports?status=open"]`)
		b.WaitFor("举报处理", "在景区商铺悬挂未经授权的劳务品牌牌匾")
		if q := b.Eval(`location.search`); strings.Contains(q, "county=") {
			t.Errorf("the brand page's link to a county officer's reports names a county: %q", q)
		}
		b.Open("/reports?status=open&county=530126")
		b.WaitFor("举报处理", "石林撒尼刺绣", "在景区商铺悬挂未经授权的劳务品牌牌匾", "13800001111", "核查处理")
		b.Axe(axeJS)
		b.Click(`form.decision button.primary`)
		b.WaitFor("必选：不予立案、认定问题或报请移出项目库", "必填：处理意见")
		// The answer is the list page the officer was on: its filters stay.
		if q := b.Eval(`location.search`); !strings.Contains(q, "county=530126") || !strings.Contains(q, "status=open") {
			t.Errorf("the triage's answer lost the list's filters: %q", q)
		}
		b.Click(`input[name=action][value=dismiss]`)
		b.Fill(`form.decision textarea[name=note]`, "经核查，牌匾系品牌持有单位授权的合作商铺悬挂，不予立案。")
		b.Click(`form.decision button.primary`)
		b.WaitFor("请确认", "不予立案", "确认提交")
		// 返回修改 brings the form back as typed.
		b.Click(`form.decision button[name=edit]`)
		b.WaitFor("核查处理")
		if v := b.Eval(`document.querySelector('form.decision input[name=action][value=dismiss]').checked + '|' + document.querySelector('form.decision textarea[name=note]').value`); !strings.HasPrefix(v, "true|经核查") {
			t.Errorf("返回修改 brought the triage back as %q, want the choice and the note kept", v)
		}
		b.Click(`form.decision button.primary`)
		b.WaitFor("请确认", "不予立案", "确认提交")
		b.Click(`form.decision button.primary`)
		// The answer is the open list the officer works down, as it was.
		b.WaitFor("举报已处理：不予立案。")
		if q := b.Eval(`location.search`); !strings.Contains(q, "county=530126") || !strings.Contains(q, "status=open") {
			t.Errorf("the triage's answer lost the list's filters: %q", q)
		}
		// RULES §4 (举报): another report leads to a removal report (附件3),
		// its reasons ticked.
		if r := s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": embroidery,
			"content": "该单位已注销两年，仍以品牌名义招揽学员", "evidence": "注销公告截图", "contact": "13800002222"}); r.Status != 201 {
			t.Fatalf("a second report: %d %s", r.Status, r.Body)
		}
		b.Open("/reports?status=open&county=530126")
		b.WaitFor("该单位已注销两年", "报请移出项目库（附件3）")
		b.Click(`input[name=action][value=removal_report]`)
		b.Fill(`form.decision textarea[name=note]`, "经核实，该单位已注销，报请移出项目库。")
		b.Click(`form.decision button.primary`)
		b.WaitFor("报请移出时须选择移出情形（可多选）")
		b.Click(`input[name=reasons][value=dissolved_or_inactive]`)
		b.Click(`form.decision button.primary`)
		b.WaitFor("请确认", "报请移出项目库（附件3）", "移出情形")
		b.Screenshot(shots, "console-report-removal.png")
		b.Click(`form.decision button.primary`)
		b.WaitFor("举报已处理：已报请市级作出移出项目库决定（附件3）")
		b.Open("/reports?status=all&county=530126")
		b.WaitFor("不予立案", "经核查", "已报请移出")
		b.Open("/brands/" + embroidery)
		b.WaitFor("是否移出项目库（市级）", "上报移出", "（来自举报）经核实")
		// 附件3 (签字盖章): the report printed, signed and sealed, its scan
		// uploaded from the brand's page and listed there.
		b.Click(`a[href="/brands/` + embroidery + `/removal-report/signed-forms"]`)
		b.WaitFor("签字盖章的移出情况表（附件3）", "下载移出情况表（附件3）（PDF）", "尚未上传")
		scan := filepath.Join(t.TempDir(), "附件3.png")
		if err := os.WriteFile(scan, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...), 0o644); err != nil {
			t.Fatal(err)
		}
		today := calendar.DateOf(s.Clock.Now()).String()
		b.Fill("#signer", "石林县人社局 李明")
		b.Fill("#signed_on", today)
		b.Click(`input[name=seal_present][value=true]`)
		if _, err := chromedp.Run(b.Ctx, chromedp.SetUploadFiles(chromedp.CSS(`#signed_file`), []string{scan})); err != nil {
			t.Fatal(err)
		}
		b.Click(`form[action$="/signed-forms"] button[type=submit]`)
		b.WaitFor("签字盖章的移出情况表（附件3）已上传", "石林县人社局 李明 签字于 "+today+"，已盖章")
		b.Axe(axeJS)
		b.Open("/brands/" + embroidery)
		b.WaitFor("移出情况表（附件3）", "石林县人社局 李明 签字于 "+today)
		if got := b.Eval(`fetch(document.querySelector('a[href*="/signed-forms/"][href$="?inline=1"]').getAttribute('href')).then(r => r.status + ' ' + r.headers.get('content-type'))`); got != "200 image/png" {
			t.Errorf("the 附件3 scan opens as %q, want 200 image/png", got)
		}
		b.Open("/changes")
		b.WaitFor("变更登记", "石林撒尼刺绣", "联系人电话变更", "待县级审核", "一般变更")
		b.Axe(axeJS)
		b.SignOut()
	})
	t.Run("等保 身份鉴别: an admin administers accounts", func(t *testing.T) {
		b := b.With(t)
		b.SignIn("keeper", officerPassword, "")
		b.Open("/accounts")
		b.WaitFor("账户管理", "watcher", "锁定至", "已绑定", "（本人）")
		b.Fill("#n-username", "fumin")
		b.Fill("#n-password", "short")
		b.Fill("#n-role", "county_officer")
		b.Click(`form[action="/accounts"] button.primary`)
		b.WaitFor("密码至少 10 个字符", "县级人社部门的账户须选择县（市、区）")
		b.Axe(axeJS)
		b.Fill("#n-password", "Spring-County-2026")
		b.Fill("#n-county", "530124")
		b.Click(`form[action="/accounts"] button.primary`)
		b.WaitFor("账户已创建", "fumin", "富民县")
		b.Click(`form[action="/accounts/watcher/unlock"] button`)
		b.WaitFor("确认变更：watcher", "解除锁定")
		b.Click(`form[action="/accounts/watcher/unlock"] button.primary`)
		b.WaitFor("已解除锁定")
		b.Click(`form[action="/accounts/watcher/totp"] button`)
		b.WaitFor("确认变更：watcher", "重置动态口令")
		b.Click(`form[action="/accounts/watcher/totp"] button.primary`)
		b.WaitFor("动态口令已重置")
		b.Screenshot(shots, "console-accounts.png")
		a, err := s.Store.AccountByUsername(ctx, "watcher")
		if err != nil || a.LockedUntil != nil || a.TOTPEnrolled {
			t.Errorf("watcher after unlock and reset: locked %v, TOTP %v, %v", a.LockedUntil, a.TOTPEnrolled, err)
		}
		b.Open("/accounts")
		b.Eval(`document.querySelector('form[action="/accounts/fumin/role"]').closest('details').open = true; ""`)
		b.Fill(`#r-fumin-role`, "city_officer")
		b.Click(`form[action="/accounts/fumin/role"] button`)
		b.WaitFor("只有县级人社部门的账户选择县（市、区）")
		if h := b.Eval(`document.querySelector('#change-title').textContent`); h != "变更角色：fumin" {
			t.Errorf("the refused role change is headed %q, want 变更角色：fumin (nothing to confirm yet)", h)
		}
		// The refused change comes back as a form with what the admin
		// chose, the error beside its field.
		if v := b.Eval(`document.querySelector('#c-role').value + '|' + document.querySelector('#c-county').getAttribute('aria-invalid')`); v != "city_officer|true" {
			t.Errorf("the refused role change came back as %q, want the role chosen and the county marked", v)
		}
		if v := b.Eval(`document.getElementById(document.querySelector('#c-county').getAttribute('aria-describedby')).textContent`); !strings.Contains(v, "只有县级人社部门的账户选择县") {
			t.Errorf("the county's error is not tied to its field: %q", v)
		}
		b.Fill(`#c-county`, "")
		b.Click(`section[aria-labelledby=change-title] form button.primary`)
		b.WaitFor("确认变更：fumin", "市级工作专班")
		b.Click(`form[action="/accounts/fumin/role"] button.primary`)
		b.WaitFor("角色已变更")
		if a, _ := s.Store.AccountByUsername(ctx, "fumin"); a.Role != "city_officer" || a.County != "" {
			t.Errorf("fumin: %s %s", a.Role, a.County)
		}
		if text := b.Text(); strings.Contains(text, "/accounts/keeper/") {
			t.Error("the admin is offered changes to their own account")
		}
	})
	t.Run("RULES §1: an admin adds a functional zone and points it at a bureau", func(t *testing.T) {
		b := b.With(t)
		b.Open("/review-units")
		b.WaitFor("初审单位", "尚未添加功能区", "安宁市（530181）")
		b.Fill("#zone-code", "530112")
		b.Click(`form[action="/review-units"] button.primary`)
		b.WaitFor("县（市、区）由本县（市、区）人社部门初审，不能改指其他部门", "必填：功能区名称", "须为昆明市14个县（市、区）之一的代码")
		b.Axe(axeJS)
		b.Fill("#zone-code", "530199")
		b.Fill("#zone-name", "昆明高新技术产业开发区")
		b.Fill("#zone-reviewer", "530112")
		b.Click(`form[action="/review-units"] button.primary`)
		b.WaitFor("已保存“昆明高新技术产业开发区”：由西山区人社部门办理。", "昆明高新技术产业开发区", "西山区人社部门")
		// 修改 opens the form filled with the zone.
		if v := b.Eval(`String(!!document.querySelector('a[href="/review-units?edit=530199#zone-title"]'))`); v != "true" {
			t.Error("the zone's row has no 修改 link")
		}
		b.Open("/review-units?edit=530199")
		b.WaitFor("添加或修改功能区")
		if v := b.Eval(`document.querySelector('#zone-name').value + '|' + document.querySelector('#zone-reviewer').value`); v != "昆明高新技术产业开发区|530112" {
			t.Errorf("修改 opened the form as %q", v)
		}
		b.Fill("#zone-reviewer", "530111")
		b.Click(`form[action="/review-units"] button.primary`)
		b.WaitFor("由官渡区人社部门办理")
		b.Screenshot(shots, "console-review-units.png")
		if u, err := s.Store.ReviewUnits(ctx); err != nil || u[len(u)-1].Code != "530199" || u[len(u)-1].ReviewerCode != "530111" || u[len(u)-1].Revision != 2 {
			t.Errorf("the zone as stored: %+v, %v", u[len(u)-1], err)
		}
	})
	t.Run("RULES §6: the audit log and its chain check", func(t *testing.T) {
		b := b.With(t)
		b.Open("/audit?action=account.")
		b.WaitFor("审计日志", "创建账户", "解除锁定", "重置动态口令", "变更角色", "keeper")
		b.Click(`form[action="/audit"] button.primary`)
		b.WaitFor("核验通过", "哈希链完整")
		b.Screenshot(shots, "console-audit.png")
		b.Axe(axeJS)
		err := pgx.BeginFunc(ctx, s.Store.Pool(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'someone-else' WHERE action = 'account.unlock'`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		b.Open("/audit?verify=1")
		b.WaitFor("核验未通过", "哈希与该条记录的内容不符（记录被改动）")
	})
}
