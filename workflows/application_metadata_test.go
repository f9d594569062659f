package workflows_test

import (
	"strings"
	"testing"
	"time"

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

// What the Temporal UI shows of an application (its current details) is
// where it stands: once admitted (第十四条), its admission and brand — not
// the notice it was in before, shown "overdue" on a run closed for good.
func Test第十四条_AnAdmittedApplicationShowsItsAdmission(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	h.run()
	h.admittedOn("2026-03-13")
	details := h.currentDetails()
	for _, want := range []string{"阶段：已入库（admitted）", "品牌编号：B0001（入库 2026-03-13）", "最近一步：入库"} {
		if !strings.Contains(details, want) {
			t.Errorf("current details lack %q:\n%s", want, details)
		}
	}
	for _, never := range []string{"公示期满", "已逾期"} {
		if strings.Contains(details, never) {
			t.Errorf("current details still show %q:\n%s", never, details)
		}
	}
}

// A resubmission the store refuses leaves the application returned (RULES
// §3), and what the UI shows says so — not the 初审 stage and the
// resubmission the process undid.
func TestDecision_ARefusedResubmissionShowsTheApplicationReturned(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充材料"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: 7}, func(error) {})
	})
	var details string
	h.later(at("2026-03-10", 9).Add(time.Minute), func() { details = h.currentDetails() })
	h.run()
	if !strings.Contains(details, "阶段：退回补充（returned）") || strings.Contains(details, "初审办理期限") ||
		strings.Contains(details, "最近一步：重新提交") {
		t.Errorf("after the refused resubmission the details read:\n%s", details)
	}
}

// currentDetails is what the Temporal UI shows as the process's current
// details.
func (h *harness) currentDetails() string {
	h.t.Helper()
	return currentDetailsOf(h.t, h.env)
}
