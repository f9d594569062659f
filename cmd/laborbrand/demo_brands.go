package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// brand brings a brand admitted in an earlier year into the library and
// takes it to its point of life.
//
// Why an imported brand and not an admitted application: a brand admitted
// years ago went through 公示 years ago, and the demo runs on today's
// business clock — an application started now would be admitted next week
// at the earliest. So the brand's own process starts with the input an
// import of brands admitted before the system gives it (BrandInput.Imported,
// AdmittedOn in the past; the spreadsheet import starts the same process
// through the same brandimport.Start), and its first step writes the
// brand's record (ImportBrand).
// Everything after that is the county's and the city's decisions through
// the API, dated by the demo's business day — no row bypasses the process.
func (c *demoClient) brand(ctx context.Context, d *deps, queue string, b demo.Brand, city string) error {
	today := calendar.DateOf(d.clock.Now())
	admitted := calendar.DateOf(d.clock.Now().AddDate(0, -b.AdmittedMonthsAgo, -b.AdmittedDaysAgo))
	in := workflows.BrandInput{BrandID: b.ID, Name: b.Name, BrandType: b.Type, Category: b.Category, CountyCode: b.County,
		UnitName: b.UnitName, USCC: b.USCC, AdmittedOn: admitted, Clock: d.clock, Policy: workflows.DefaultBrandPolicy,
		Imported: true}
	started, err := brandimport.Start(ctx, d.temporal, queue, in)
	if err != nil || !started {
		return err // not started: there from an earlier start, and driven then
	}
	path := "/api/v1/brands/" + b.ID
	if err := c.awaitBrand(ctx, path, city); err != nil {
		return err
	}
	county := c.token(auth.Principal{Sub: "demo-county", Role: auth.CountyOfficer, County: b.County})
	finding := func(reason, description string) error {
		return c.api.Must(ctx, "POST", path+"/findings", county, map[string]any{"reason": reason, "description": description}, nil, 200)
	}
	switch b.Point {
	case demo.PointLevel1:
		return finding("logo_misuse", "门店招牌使用的劳务品牌标识与标准样式不符")
	case demo.PointLevel2:
		if err := finding("major_info_not_reported", "持有单位统一社会信用代码变更后未提出变更申请"); err != nil {
			return err
		}
		return c.api.Must(ctx, "POST", path+"/interview", county, map[string]any{"held_on": today.String(), "note": "约谈负责人，责令三个月内整改"}, nil, 200)
	case demo.PointSuspensionDue, demo.PointSuspended:
		if err := finding("serious_dishonesty_list", "持有单位被列入严重违法失信企业名单"); err != nil || b.Point == demo.PointSuspensionDue {
			return err
		}
		return c.api.Must(ctx, "POST", path+"/suspension-decision", city, map[string]any{"suspend": true, "reason": "列入严重违法失信名单，暂停标识使用权一年"}, nil, 200)
	case demo.PointRemoved:
		if err := c.api.Must(ctx, "POST", path+"/removal-report", county, map[string]any{"reasons": []string{"dissolved_or_inactive"}, "description": "持有单位已注销"}, nil, 200); err != nil {
			return err
		}
		return c.api.Must(ctx, "POST", path+"/removal-decision", city, map[string]any{"remove": true, "reason": "持有单位已注销，移出项目库"}, nil, 200)
	}
	return nil // active, in its evaluation window, overdue: the process got there by itself
}

// awaitBrand waits until the brand's process has written its record.
func (c *demoClient) awaitBrand(ctx context.Context, path, token string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var v struct{ ID string }
		if err := c.api.Must(ctx, "GET", path, token, nil, &v, 200, 404); err != nil {
			return err
		}
		if v.ID != "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: no record 30 s after its process started", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
