package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/kunming-hrss/laborbrand/api/client"
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
func (c *demoClient) brand(ctx context.Context, d *deps, queue string, b demo.Brand, city client.RequestEditorFn) error {
	today := calendar.DateOf(d.clock.Now())
	admitted := calendar.DateOf(d.clock.Now().AddDate(0, -b.AdmittedMonthsAgo, -b.AdmittedDaysAgo))
	in := workflows.BrandInput{BrandID: b.ID, Name: b.Name, BrandType: b.Type, Category: b.Category, CountyCode: b.County,
		UnitName: b.UnitName, USCC: b.USCC, AdmittedOn: admitted, Clock: d.clock, Policy: workflows.DefaultBrandPolicy,
		Imported: true}
	started, err := brandimport.Start(ctx, d.temporal, queue, in)
	if err != nil || !started {
		return err // not started: there from an earlier start, and driven then
	}
	if err := c.awaitBrand(ctx, b.ID, city); err != nil {
		return err
	}
	county := c.api.As(auth.Principal{Sub: "demo-county", Role: auth.CountyOfficer, County: b.County})
	finding := func(reason client.FindingReason, description string) error {
		_, err := client.Expect(c.api.FindingWithResponse(ctx, b.ID, nil, client.FindingRequest{Reason: reason, Description: description}, county))
		return err
	}
	yes := true
	switch b.Point {
	case demo.PointLevel1:
		return finding(client.FindingReasonLogoMisuse, "门店招牌使用的劳务品牌标识与标准样式不符")
	case demo.PointLevel2:
		if err := finding(client.FindingReasonMajorInfoNotReported, "持有单位统一社会信用代码变更后未提出变更申请"); err != nil {
			return err
		}
		_, err := client.Expect(c.api.InterviewWithResponse(ctx, b.ID, nil, client.InterviewRequest{
			HeldOn: openapi_types.Date{Time: today.Start()}, Note: "约谈负责人，责令三个月内整改"}, county))
		return err
	case demo.PointSuspensionDue, demo.PointSuspended:
		if err := finding(client.FindingReasonSeriousDishonestyList, "持有单位被列入严重违法失信企业名单"); err != nil || b.Point == demo.PointSuspensionDue {
			return err
		}
		_, err := client.Expect(c.api.SuspensionDecisionWithResponse(ctx, b.ID, nil, client.SuspensionRequest{
			Suspend: &yes, Reason: "列入严重违法失信名单，暂停标识使用权一年"}, city))
		return err
	case demo.PointRemoved:
		reasons := []client.RemovalReason{client.RemovalReasonDissolvedOrInactive}
		if _, err := client.Expect(c.api.RemovalReportWithResponse(ctx, b.ID, nil, client.RemovalReportRequest{
			Reasons: &reasons, Description: "持有单位已注销"}, county)); err != nil {
			return err
		}
		_, err := client.Expect(c.api.RemovalDecisionWithResponse(ctx, b.ID, nil, client.RemovalDecisionRequest{
			Remove: &yes, Reason: "持有单位已注销，移出项目库"}, city))
		return err
	}
	return nil // active, in its evaluation window, overdue: the process got there by itself
}

// awaitBrand waits until the brand's process has recorded its first step,
// the admission: its row alone is written a step earlier, and "demo data
// ready" must mean every brand is where its process put it.
func (c *demoClient) awaitBrand(ctx context.Context, id string, as client.RequestEditorFn) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := c.api.GetBrandWithResponse(ctx, id, as)
		if _, err := client.Expect(r, err, http.StatusOK, http.StatusNotFound); err != nil {
			return err
		}
		if r.JSON200 != nil && r.JSON200.HistoryTotal > 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("brand %s: no admission on record 30 s after its process started", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
