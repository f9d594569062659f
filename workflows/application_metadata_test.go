package workflows_test

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Every application process says what it is (issue 13 item 1): its static
// summary is the brand · the county's name · 推荐入库, its static details
// the round, type, category, holder unit, county and dates — in Chinese,
// and nothing of a person (RULES §6).
func TestApplicationSaysWhatItIs(t *testing.T) {
	in := workflows.ApplicationInput{ApplicationID: "A2026DEMO01", RoundID: "R2026", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: demo.USCC("5153018100000001"),
		SubmittedOn: date("2026-11-30")}
	if got := workflows.ApplicationSummary(in); got != "安宁玫瑰 · 安宁市 · 推荐入库" {
		t.Errorf("summary %q, want 安宁玫瑰 · 安宁市 · 推荐入库", got)
	}
	details := workflows.ApplicationDetails(in)
	for _, want := range []string{"- 申报编号：A2026DEMO01\n", "- 申报批次：R2026\n", "- 申报类别：区域公用劳务品牌\n",
		"- 品牌类别：种植养殖类\n", "- 申报单位：安宁市玫瑰产业协会\n", "- 所在县（市、区）：安宁市（530181）\n", "- 提交日期：2026-11-30\n"} {
		if !strings.Contains(details, want) {
			t.Errorf("static details lack %q:\n%s", want, details)
		}
	}
	if strings.Contains(details, "来源") {
		t.Errorf("a new submission's details say where it was brought over from:\n%s", details)
	}

	// Brought over in flight (RULES §3 Decision): the details say so, with
	// the stage and the day it began.
	in.BroughtOver = &workflows.BroughtOver{Stage: workflows.StagePublicNotice, Since: date("2026-11-20")}
	if d := workflows.ApplicationDetails(in); !strings.Contains(d, "- 来源：系统上线时在办的申请（转入时"+workflows.StageLabel(workflows.StagePublicNotice)+"，2026-11-20 起）\n") {
		t.Errorf("brought over, the details do not say from where:\n%s", d)
	}
	// A county the system does not know shows its code, never nothing.
	in.CountyCode = "539999"
	if got := workflows.ApplicationSummary(in); got != "安宁玫瑰 · 539999 · 推荐入库" {
		t.Errorf("summary with an unknown county %q, want the code", got)
	}
}

// The calendar's fan-out says what it does (issue 13 item 2).
func TestCalendarFanoutSaysWhatItDoes(t *testing.T) {
	if got := workflows.CalendarFanoutSummary(3); got != "节假日安排生效：通知在办流程（第3版）" {
		t.Errorf("fan-out summary %q", got)
	}
}
