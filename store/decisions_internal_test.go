package store

import (
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

func day(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func due(kind, d string) calendar.Deadline { return calendar.Deadline{Kind: kind, Due: day(d)} }

// RULES §3 "the holder is told of every decision on it": which of a brand's
// steps tell the holder, and what — the order's own last day, never the
// running order's; a proposal never, its decision always.
func TestDecision_TheHolderIsToldOfEachDecisionOnItsBrand(t *testing.T) {
	at := time.Date(2026, 9, 1, 10, 0, 0, 0, calendar.Shanghai)
	running := records.BrandStanding{Status: "rectifying", Deadlines: []calendar.Deadline{due("rectification", "2026-10-08")}}
	for _, c := range []struct {
		name  string
		step  records.BrandStep
		title string // "" when nothing is told
		body  []string
	}{
		{name: "a level-1 order, with its last day",
			step: records.BrandStep{Action: "finding.level1", Standing: running,
				Finding: &records.FindingRow{ID: "F1", Reason: "logo_misuse", Level: 1, Description: "在非认定产品包装上使用标识"}},
			title: "【责令整改】玫瑰：一级整改，期限至2026-10-08",
			body:  []string{"问题：在非认定产品包装上使用标识。", "请于2026-10-08（当日24时止）前完成整改"}},
		{name: "a late report's order beside a running one gives its own day, not the running order's",
			step: records.BrandStep{Action: "finding.level1", Standing: records.BrandStanding{Status: "rectifying",
				Deadlines: []calendar.Deadline{due("rectification", "2026-10-08"), due("rectification:FD-late", "2026-12-10")}},
				Finding: &records.FindingRow{ID: "FD-late", Reason: "late_information", Level: 1, Description: "未在评估期限内提交发展情况报告"}},
			title: "【责令整改】玫瑰：补交发展情况报告，期限至2026-12-10",
			body:  []string{"未在评估期限内提交发展情况报告", "请于2026-12-10（当日24时止）前补交报告。"}},
		{name: "a finding joined to the running order is no order of its own",
			step: records.BrandStep{Action: "evaluation.findings", Standing: running,
				Finding: &records.FindingRow{ID: "F2", Level: 1, Joined: records.FindingJoinedRectification}}},
		{name: "a level-3 finding proposes a suspension: not told",
			step: records.BrandStep{Action: "finding.level3", Standing: running, Finding: &records.FindingRow{ID: "F3", Level: 3}}},
		{name: "a level-1 lapse climbs to the interview",
			step: records.BrandStep{Action: "rectification.lapsed", Key: "brand-B1/level2/2026-10-08", Note: "一个月整改期（至2026-10-08）届满未确认整改，升级为约谈整改（第十五条（二））",
				Standing: records.BrandStanding{PendingDecision: &records.PendingDecision{Kind: "interview"}}},
			title: "【整改期满】玫瑰：转为约谈整改"},
		{name: "a climb to the interview is told though the evaluation report is due sooner",
			step: records.BrandStep{Action: "rectification.lapsed", Key: "brand-B1/level2/2026-10-08", Note: "升级为约谈整改（第十五条（二））",
				Standing: records.BrandStanding{PendingDecision: &records.PendingDecision{Kind: "evaluation_report"},
					OpenMatters: []records.OpenMatter{{Kind: "evaluation_report"}, {Kind: "interview"}}}},
			title: "【整改期满】玫瑰：转为约谈整改"},
		{name: "an order of its own lapsing into the level 2 already running: its interview was told",
			step: records.BrandStep{Action: "rectification.lapsed", Key: "brand-B1/level1-lapsed/F2", Note: "并入正在进行的整改中处理",
				Standing: records.BrandStanding{PendingDecision: &records.PendingDecision{Kind: "interview"},
					OpenMatters: []records.OpenMatter{{Kind: "interview"}}}}},
		{name: "a level-2 lapse proposing a suspension: not told",
			step: records.BrandStep{Action: "rectification.lapsed", Standing: records.BrandStanding{PendingDecision: &records.PendingDecision{Kind: "suspension"}}}},
		{name: "the interview held gives the three months' last day",
			step: records.BrandStep{Action: "interview.held", Note: "2026-10-20 约谈，限期三个月整改。",
				Standing: records.BrandStanding{Deadlines: []calendar.Deadline{due("rectification", "2027-01-20")}}},
			title: "【约谈整改】玫瑰：限期三个月整改，期限至2027-01-20"},
		{name: "a suspension declined goes on with three new months",
			step: records.BrandStep{Action: "suspension.declined", Note: "不予暂停；二级整改继续，重新给予三个月整改期（自2027-02-01起）。",
				Standing: records.BrandStanding{Deadlines: []calendar.Deadline{due("rectification", "2027-05-01")}}},
			title: "【继续整改】玫瑰：不予暂停，重新限期三个月整改，期限至2027-05-01"},
		{name: "a suspension declined with nothing running tells nothing new",
			step: records.BrandStep{Action: "suspension.declined", Note: "证据不足"}},
		{name: "the restoration comes by itself, from a day",
			step: records.BrandStep{Action: "suspension.ended", Announcement: &records.AnnouncementRow{Kind: "restoration",
				DecidedOn: day("2027-10-01"), Summary: "暂停期届满，恢复劳务品牌标识使用权"}},
			title: "【恢复标识使用权】玫瑰", body: []string{"（自2027-10-01起，第十五条）"}},
		{name: "a change approved",
			step:  records.BrandStep{Action: "change.approved", Change: &records.ChangeDecision{ChangeID: "CH1", Step: "city", Approve: true}},
			title: "【变更登记】玫瑰：变更已核准"},
		{name: "a change refused by the county, with its opinion",
			step:  records.BrandStep{Action: "change.refused", Change: &records.ChangeDecision{ChangeID: "CH2", Step: "county", Opinion: "材料不全"}},
			title: "【变更登记】玫瑰：变更未予核准", body: []string{"未获县（市、区）人力资源社会保障部门同意", "意见：材料不全。"}},
		{name: "a change passed on to the city: not yet decided",
			step: records.BrandStep{Action: "change.county_opinion", Change: &records.ChangeDecision{ChangeID: "CH3", Step: "county", Approve: true}}},
		{name: "an imported brand's first step: decided before the system",
			step: records.BrandStep{Action: "admitted", Finding: &records.FindingRow{ID: "F4", Level: 1}, Standing: running}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.step.BrandID, c.step.At = "B1", at
			if c.step.Key == "" {
				c.step.Key = "k"
			}
			m, told := brandDecision(c.step, "USCC", "530181", "玫瑰")
			if told != (c.title != "") || TellsHolder(c.step) != told {
				t.Fatalf("told %v (TellsHolder %v), want %v: %+v", told, TellsHolder(c.step), c.title != "", m)
			}
			if !told {
				return
			}
			if m.Title != c.title || m.Kind != DecisionKind || m.Audience != "applicant" || m.USCC != "USCC" || m.DedupeKey != c.step.Key+"/decision/applicant" {
				t.Errorf("message %+v, want title %q to the holder", m, c.title)
			}
			for _, b := range c.body {
				if !strings.Contains(m.Body, b) {
					t.Errorf("body %q lacks %q", m.Body, b)
				}
			}
		})
	}
}

// 第十三条: an application an upheld objection stopped says so without
// repeating the verdict or naming the objection; a review's rejection
// gives the reviewer's opinion.
func TestDecision_TheHolderIsToldWhyItsApplicationWasNotAdmitted(t *testing.T) {
	step := func(note string) records.Step {
		return records.Step{ApplicationID: "A1", Key: "k", Stage: "rejected", Note: note, At: time.Now()}
	}
	m, _ := applicationDecision(step("异议成立，申请不予入库（异议 O1）"), "objection_review", "USCC", "530181", "玫瑰")
	if m.Body != "“玫瑰”的申报经公示异议复核，异议成立，不予入库。" {
		t.Errorf("after an upheld objection: %q", m.Body)
	}
	m, _ = applicationDecision(step("材料不实"), "city_review", "USCC", "530181", "玫瑰")
	if m.Body != "“玫瑰”的申报未通过市级人力资源社会保障部门复审，不予入库。意见：材料不实。" {
		t.Errorf("after the city's rejection: %q", m.Body)
	}
	if _, told := applicationDecision(records.Step{Stage: "rejected"}, "rejected", "", "", "玫瑰"); told {
		t.Error("a later step of a closed application told the holder again")
	}
}
