package main_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
)

// `dev --demo` is idempotent and seeds fully on any business day (issue 13
// item 4). The demo's day is a Saturday: the 公示 of the applications the
// demo approves at 复审 begins on the next working day (RULES §3 Decision),
// so no objection can be filed yet — the demo leaves them out instead of
// stopping. Started twice on one data dir, the demo leaves one application
// and one brand of each name, its rejected, withdrawn and objected ones too.
func TestDevDemoSeedsOnceOnAnyDay(t *testing.T) {
	env := newDevEnv(t)
	const saturday = "2026-12-05" // no 调休: a day off
	var dev *devProcess
	for run := 1; run <= 2; run++ {
		if dev != nil {
			if code := dev.interrupt(t, 60*time.Second); code != 0 {
				t.Fatalf("dev exited %d after SIGINT, want 0", code)
			}
		}
		dev = env.start(t, "--demo", "--business-start", saturday)
		dev.waitRunning(t, 3*time.Minute)
		if out, _ := os.ReadFile(dev.logPath); !strings.Contains(string(out), "demo data ready") {
			t.Fatalf("start %d on %s: the demo did not seed fully:\n%s", run, saturday, out)
		}
	}

	ctx := context.Background()
	city := lbclient.Bearer(env.token(t, "city_officer"))
	applications := map[string]int{}
	for cursor := (*string)(nil); ; {
		page, err := lbclient.Expect(env.api.ListApplicationsWithResponse(ctx, &lbclient.ListApplicationsParams{Cursor: cursor}, city))
		if err != nil {
			t.Fatalf("GET /api/v1/applications: %v", err)
		}
		for _, a := range page.JSON200.Items {
			applications[a.BrandName]++
		}
		if cursor = page.JSON200.Next; cursor == nil {
			break
		}
	}
	brands := map[string]int{}
	for cursor := (*string)(nil); ; {
		page, err := lbclient.Expect(env.api.ListBrandsWithResponse(ctx, &lbclient.ListBrandsParams{Cursor: cursor}, city))
		if err != nil {
			t.Fatalf("GET /api/v1/brands: %v", err)
		}
		for _, b := range page.JSON200.Items {
			brands[b.Name]++
		}
		if cursor = page.JSON200.Next; cursor == nil {
			break
		}
	}
	for _, s := range demo.Scenarios() {
		applications[s.Form["brand_name"].(string)] += 0
	}
	for _, f := range demo.InFlights() {
		applications[f.Form["brand_name"].(string)] += 0
	}
	for _, b := range demo.Brands() {
		brands[b.Name] += 0
	}
	for name, n := range applications {
		if n != 1 {
			t.Errorf("application %s: %d after two starts of dev --demo, want 1", name, n)
		}
	}
	for name, n := range brands {
		if n != 1 {
			t.Errorf("brand %s: %d after two starts of dev --demo, want 1", name, n)
		}
	}
	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev exited %d after SIGINT, want 0", code)
	}
}
