package workflows

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Every wait and every step is named in the Temporal UI (issue 13 item 2):
// a timer by the alert it waits for and the deadline's due day, an
// activity by the step it records, the deadline it computes or what it
// does. RULES §6: none of it names a person or quotes an officer.
func TestTimersAndActivitiesAreNamedForPeople(t *testing.T) {
	due := mustDate(t, "2026-12-24")
	alerts := []deadline.Alert{{Kind: deadline.AlertReminder, Seq: 0}, {Kind: deadline.AlertDue, Seq: 1},
		{Kind: deadline.AlertEscalation, Seq: 2}, {Kind: deadline.AlertEscalation, Seq: 3}}
	deadlineOf := func(key, action string) *Deadline {
		return &Deadline{Key: key, Action: action, Schedule: deadline.Schedule{Deadline: calendar.Deadline{Due: due}, Alerts: alerts}}
	}
	for _, c := range []struct {
		d     *Deadline
		alert deadline.Alert
		want  string
	}{
		{deadlineOf(keyCountyReview, "初审"), alerts[0], "初审办理期限提醒 2026-12-24"},
		{deadlineOf(keyCountyReview, "初审"), alerts[1], "初审办理期限 2026-12-24"},
		{deadlineOf(keyCityReview, "复审"), alerts[2], "复审办理期限已过 2026-12-24 · 第1次督办"},
		{deadlineOf(keyCityReview, "复审"), alerts[3], "复审办理期限已过 2026-12-24 · 第2次督办"},
		{deadlineOf(keyNotice, "公示"), alerts[1], "公示期满 2026-12-24"},
		{deadlineOf(keyRectification, "一个月内整改"), alerts[1], "一级整改期限 2026-12-24"},
		{deadlineOf(keyRectification, "三个月内整改"), alerts[0], "二级整改期限提醒 2026-12-24"},
		{deadlineOf(keyObjection+"O1", "异议裁定"), alerts[1], "异议裁定期限 2026-12-24"},
		{deadlineOf(keyReportTriage+"R1", "举报核查"), alerts[1], "举报核查处理期限 2026-12-24"},
	} {
		if got := alertSummary(c.d, c.alert); got != c.want {
			t.Errorf("timer of %s's %s alert: %q, want %q", c.d.Key, c.alert.Kind, got, c.want)
		}
	}

	from := mustDate(t, "2026-11-30")
	for _, c := range []struct {
		fn   any
		args []any
		want string
	}{
		{ActivityDrawExperts, nil, "抽取评审专家"},
		{ActivitySignalOpenProcesses, nil, "通知在办流程：节假日安排更新"},
		{"RecordStep", []any{records.Step{Action: "city_review.approve", Stage: StagePublicNotice, Actor: "officer-km", Note: "同意"}},
			"记录：复审通过，进入公示 → " + StageLabel(StagePublicNotice)},
		{"RecordBrandStep", []any{records.BrandStep{Action: "interview.held", Actor: "officer-xs", Note: "约谈负责人",
			Standing: records.BrandStanding{Status: BrandStatusRectifying}}}, "记录：约谈 → " + BrandStatusLabel(BrandStatusRectifying)},
		{"ComputeDeadline", []any{deadline.Rule{Kind: keyRectification, From: from, Period: deadline.Months, N: 3}},
			"计算期限：二级整改（自 2026-11-30 起 3个月）"},
		{"ComputeDeadline", []any{deadline.Rule{Kind: keyCountyReview, From: from, Period: deadline.Workdays, N: 20}},
			"计算期限：初审办理（自 2026-11-30 起 20个工作日）"},
		{"ComputeDeadline", []any{deadline.Rule{Kind: keyNotice, From: from, Period: deadline.Workdays, N: 5}},
			"计算期限：公示（自 2026-11-30 起 5个工作日）"},
		{"SomethingNew", nil, "SomethingNew"}, // unknown: its code, not nothing
	} {
		if got := activitySummary(c.fn, c.args); got != c.want {
			t.Errorf("activity %v %v: %q, want %q", c.fn, c.args, got, c.want)
		}
	}
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
