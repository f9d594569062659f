package main_test

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/workflows"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the Temporal UI screenshots to docs/screenshots")

// A supervisor reads the demo in the Temporal UI (issue 13): the list of
// applications filtered by Stage with their brands and counties — every
// stage, those after the notice's end too — the brands
// rectifying at level 2, and one brand's page — its summary, details,
// current details and named timers.
func TestTemporalUIShowsProcessesAsCaseFiles(t *testing.T) {
	browser := chromium(t)
	env := newDevEnv(t)
	// On a working day, whatever day the test runs: on a day off the notices
	// the demo opens begin on the next working day, so it files no objection
	// and no application is rejected by one (found on a Friday evening UTC,
	// a Saturday in Kunming).
	dev := env.start(t, "--demo", "--business-start", "2026-11-30")
	dev.waitRunning(t, 3*time.Minute)
	c := env.temporal(t)
	var removed string
	for _, b := range demo.Brands() {
		if b.Point == demo.PointRemoved {
			removed = workflows.BrandWorkflowID(b.ID)
		}
	}
	testenv.Eventually(t, 2*time.Minute, "the demo's removed brand is removed", func() error {
		d, err := c.DescribeWorkflowExecution(context.Background(), removed, "")
		if err != nil {
			return err
		}
		if s := d.WorkflowExecutionInfo.Status; s != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			return fmt.Errorf("%s is %s", removed, s)
		}
		return nil
	})

	ctx := browserContext(t, browser)
	ui := fmt.Sprintf("http://127.0.0.1:%d", env.uiPort)
	list := func(query string) string {
		return ui + "/namespaces/default/workflows?query=" + url.QueryEscape(query)
	}
	// The list shows the columns a supervisor picks once (kept in the
	// browser): the brand, its county and where it stands. A process's
	// summary is not among them — the list is built from search attributes
	// (ListWorkflowExecutions carries no user metadata; UI 2.42.1 has no
	// summary column) — so CountyName says the county in Chinese there.
	columns := `{"default":[{"label":"Status","pinned":true},{"label":"BrandName","pinned":true},{"label":"CountyName","pinned":false},` +
		`{"label":"Stage","pinned":false},{"label":"BrandStatus","pinned":false},{"label":"LadderLevel","pinned":false},` +
		`{"label":"OpenMatters","pinned":false},{"label":"NextDeadline","pinned":false},{"label":"Workflow ID","pinned":false}]}`
	if err := chromedp.Do(ctx, chromedp.Navigate(ui+"/namespaces/default/workflows")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any]("localStorage.setItem('namespace-workflow-table-columns', JSON.stringify("+columns+"))")); err != nil {
		t.Fatal(err)
	}

	shoot(t, ctx, list("Stage = 'county_review'"), "", "ui-applications-county-review.png", "东川面条工匠", "呈贡斗南花卉园艺师", "东川区", "呈贡区")
	shoot(t, ctx, list("BrandStatus = 'rectifying'"), "", "ui-brands-rectifying.png", "五华家政管家", "西山建筑工匠", "寻甸牛肉干师傅", "rectification")
	// Overdue by the stack's business clock, which runs days behind the wall's.
	overdue := list(`ExecutionStatus = 'Running' AND NextDeadline < "` + dev.clock(t).Now.UTC().Format(time.RFC3339) + `"`)
	shoot(t, ctx, overdue, "", "ui-overdue.png", "寻甸牛肉干师傅", "interview")
	brand := ui + "/namespaces/default/workflows/" + workflows.BrandWorkflowID("BDEMOKM000004")
	shoot(t, ctx, brand, "User Metadata", "ui-brand-metadata.png",
		"西山建筑工匠 · 西山区 · 动态管理", "入库日期：", "状态：整改中", "二级整改期限 ", "最近一步：约谈 · 县（市、区）人社部门", "二级整改期限提醒 ")
	// The history below the input: a taller window shows its timeline.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1500)); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, brand, "", "ui-brand-history.png", "二级整改期限提醒 ", "记录：认定问题，二级整改（约谈）", "计算期限：二级整改")
	// An application in 初审: its summary names the procedure, its timer
	// the reminder it waits for.
	found, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: "BrandName = '东川面条工匠'"})
	if err != nil || len(found.Executions) != 1 {
		t.Fatalf("the demo's application 东川面条工匠: %v, %d processes", err, len(found.GetExecutions()))
	}
	application := ui + "/namespaces/default/workflows/" + found.Executions[0].Execution.WorkflowId
	shoot(t, ctx, application, "User Metadata", "", "东川面条工匠 · 东川区 · 推荐入库")
	shoot(t, ctx, application, "", "", "初审办理期限提醒 ")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatal(err)
	}
	// The applications the demo took past 复审 in seconds: rejected at 复审,
	// rejected by an upheld objection, and one in 公示 whose objection was
	// dismissed.
	shoot(t, ctx, list("Stage = 'rejected'"), "", "ui-applications-rejected.png", "盘龙茶艺师", "富民杨梅果农")
	shoot(t, ctx, list("Stage = 'public_notice'"), "", "", "嵩明花卉园丁", "安宁玫瑰")
	// The stages after the notice's or a return's end, reached in seconds by
	// applications brought over in flight (RULES §3): their processes took
	// them there by the business calendar, from the days their stages began.
	for _, f := range demo.InFlights() {
		shoot(t, ctx, list("Stage = '"+f.Reaches+"'"), "", "", f.Form["brand_name"].(string))
	}
	shoot(t, ctx, list("Stage IN ('objection_review', 'admitted', 'withdrawn')"), "", "ui-applications-in-flight.png",
		"呈贡宝珠梨果农", "官渡饵块师傅", "晋宁陶艺工匠", "objection_review", "admitted", "withdrawn")

	// The console's 流程督查 page (issue 13 item 3) links each question into
	// this UI's filtered list: the supervisor follows one.
	console := browsertest.Start(t, fmt.Sprintf("http://127.0.0.1:%d", env.httpPort))
	console.SignIn("supervisor", "Demo-Super-2026", "")
	console.Open("/supervision")
	console.WaitFor("流程督查", "暂停标识使用中", "二级整改中")
	for label, want := range map[string][]string{
		"暂停标识使用中":         {"富民樱桃农"},
		"二级整改中（约谈、三个月整改）": {"西山建筑工匠", "寻甸牛肉干师傅"},
	} {
		href := console.Eval(`[...document.querySelectorAll('a')].find(a => a.textContent === '` + label + `').href`)
		if !strings.HasPrefix(href, ui+"/namespaces/default/workflows?query=") {
			t.Fatalf("%s links to %q, not the Temporal UI's list", label, href)
		}
		name := ""
		if label == "暂停标识使用中" {
			name = "ui-from-console-suspended.png"
		}
		shoot(t, ctx, href, "", name, want...)
	}
}

// chromium is the browser binary; without one the test is skipped, except
// in CI (CI=true), where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: .ci/run installs it (apt-get install -y chromium fonts-noto-cjk)")
	}
	t.Skip("no chromium on PATH (apt-get install -y chromium fonts-noto-cjk)")
	return ""
}

// browserContext starts headless Chromium. A start on a busy machine
// fails now and then ("chrome failed to start"): it is tried three times.
func browserContext(t *testing.T, browser string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 860))
	var err error
	for range 3 {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(actx)
		if err = chromedp.Do(ctx); err == nil {
			ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
			t.Cleanup(func() { cancel(); cancelBrowser(); cancelAlloc() })
			return ctx
		}
		cancelBrowser()
		cancelAlloc()
	}
	t.Fatalf("start %s: %v", browser, err)
	return nil
}

// shoot opens page (and its tab, when given), waits until the page shows
// every string of want, and saves a screenshot as name — into
// docs/screenshots with -update-screenshots, else into the test's folder.
func shoot(t *testing.T, ctx context.Context, page, tab, name string, want ...string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	var text string
	ok := testenv.Poll(45*time.Second, func() bool {
		if tab != "" {
			chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = [...document.querySelectorAll('a,button,[role=tab]')]
				.find(e => e.textContent.trim() === '`+tab+`'); if (e) e.click(); return !!e })()`))
		}
		// The UI renders summaries and details (Markdown) in sandboxed
		// frames: their text is read from the frames' documents.
		text, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`[document.body.innerText,
			...[...document.querySelectorAll('iframe')].map(f => f.srcdoc || (f.contentDocument && f.contentDocument.body.innerText) || '')].join('\n')`))
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatalf("%s (%s) does not show all of %q; it shows:\n%s", page, tab, want, text)
	}
	if name == "" {
		return // checked, not pictured
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		t.Fatalf("screenshot of %s: %v", page, err)
	}
	dir := t.TempDir()
	if *updateScreenshots {
		dir = filepath.Join("..", "..", "docs", "screenshots")
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
