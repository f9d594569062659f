package console

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// What an officer reads is Chinese: every work-queue entry's kind, keyed
// entries included, and every role in a history or the audit trail.
func TestWorkQueueAndHistoryNameEverythingInChinese(t *testing.T) {
	for kind, want := range map[string]string{
		"rectification:FD-B1-late-2026-06-30": "整改", // 第十五条（一）: a late-information order
		"evaluation_assessment:EV-2":          "综合评估",
		"objection_ruling:OB-1":               "异议裁定",
		"report_triage:RP-1":                  "举报核查处理",
		"county_review":                       "县级初审",
	} {
		if got := taskKindLabel(kind); got != want {
			t.Errorf("task kind %s: %q, want %q", kind, got, want)
		}
	}
	if got := roleLabel(string(auth.Public)); got != "公众" {
		t.Errorf("the public's role: %q, want 公众", got)
	}
}

// 第十五条（六）: a report to triage opens on the reports list, where its
// form is — the brand's page only lists it —, narrowed to where the brand
// is (a functional zone's, not its bureau's, RULES §1).
func TestAReportToTriageOpensWhereItIsTriaged(t *testing.T) {
	triage := store.Task{Task: records.Task{Kind: "report_triage:RP-1", ObjectType: "brand", ObjectID: "B1", CountyCode: "530111"}, PlaceCode: "530199"}
	if got, want := pageLink(triage), "/reports?county=530199&status=open"; got != want {
		t.Errorf("a report to triage opens %q, want %q", got, want)
	}
	interview := store.Task{Task: records.Task{Kind: "interview", ObjectType: "brand", ObjectID: "B1", CountyCode: "530126"}}
	if got := pageLink(interview); got != "/brands/B1" {
		t.Errorf("an interview opens %q, want the brand's page", got)
	}
}

// RULES §5: deadlines count working days, which an officer checks by the
// weekday: a due day is shown with it.
func TestADueDayIsShownWithItsWeekday(t *testing.T) {
	for day, want := range map[any]string{"2026-12-04": "周五", calendar.NewDate(2027, time.February, 7): "周日", "": "", "not a day": ""} {
		if got := weekday(day); got != want {
			t.Errorf("weekday(%v) = %q, want %q", day, got, want)
		}
	}
}
