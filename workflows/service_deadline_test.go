package workflows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §3 Decision (service deadlines): 初审 is due 20 working days after
// submission; the county officer is reminded 3 and 1 working days before and
// on the due day at 09:00; at 24:00 of the due day and every 5 working days
// after, 3 times at most, the supervisor and the city bureau are told too.
// Missing the deadline decides nothing: the officer's late approval takes
// the application on to admission, and once it is given no alert follows.
//
// Submitted Mon 03-02, 初审 is due Mon 03-30: reminders Wed 03-25, Fri 03-27,
// Mon 03-30; escalations at 24:00 of 03-30, of Tue 04-07 (5 working days
// after 03-30) and of Tue 04-14 (10 after); a 4th would be at 24:00 of Tue
// 04-21 (15 after).
func TestDecision_ServiceDeadlines_EscalatesButNeverDecides(t *testing.T) {
	reminders := []string{
		"reminder county_officer 2026-03-25 09:00 due 2026-03-30",
		"reminder county_officer 2026-03-27 09:00 due 2026-03-30",
		"reminder county_officer 2026-03-30 09:00 due 2026-03-30",
	}
	escalation := func(at string) []string {
		return []string{
			"escalation county_officer " + at + " due 2026-03-30",
			"escalation supervisor " + at + " due 2026-03-30",
			"escalation city_officer " + at + " due 2026-03-30",
		}
	}
	for _, c := range []struct {
		name     string
		days     [4]string // 初审 approve, draw, opinions, 复审 approve (10:00 each)
		alerts   []string
		admitted string
	}{
		{"acts between the 2nd and 3rd escalation",
			[4]string{"2026-04-10", "2026-04-13", "2026-04-14", "2026-04-15"},
			concat(reminders, escalation("2026-03-31 00:00"), escalation("2026-04-08 00:00")),
			// Notice Wed 04-15..Tue 04-21.
			"2026-04-22 00:00 system admitted"},
		{"acts after the 3rd escalation: no 4th",
			[4]string{"2026-04-24", "2026-04-27", "2026-04-28", "2026-04-29"},
			concat(reminders, escalation("2026-03-31 00:00"), escalation("2026-04-08 00:00"), escalation("2026-04-15 00:00")),
			// Notice Wed 04-29, Thu 04-30, then 劳动节 05-01..05-05, Wed 05-06..Fri 05-08.
			"2026-05-09 00:00 system admitted"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, at("2026-03-02", 9))
			h.later(at("2026-04-09", 12), func() {
				r := h.row()
				if r.Stage != workflows.StageCountyReview {
					t.Errorf("after the deadline: stage %s, want county_review", r.Stage)
				}
				wantDeadlines(t, "after the deadline", r.Deadlines, map[string]string{"county_review": "2026-03-30"})
			})
			h.throughCityReview(c.days[0], c.days[1], c.days[2], c.days[3])
			h.run()

			equal(t, "初审 alerts", h.alerts("county_review"), c.alerts)
			if n := h.alertsSent(); n != len(c.alerts) {
				t.Errorf("%d alerts in the outbox, want only the %d about 初审", n, len(c.alerts))
			}
			es := h.events()
			if last := es[len(es)-1].String(); last != c.admitted {
				t.Errorf("last event %q, want %q", last, c.admitted)
			}
		})
	}
}

// RULES §3 Decision and §5: reminders count working days back from the due
// day. Submitted Thu 09-03, 初审 is due Thu 10-08, the first working day
// after 国庆 (10-01..10-07): 3 working days before is Mon 09-28 (not 10-05),
// 1 is Wed 09-30 (not 10-07).
func TestDecision_ServiceDeadlines_ReminderBeforeHolidayCountsWorkingDays(t *testing.T) {
	h := newHarness(t, at("2026-09-03", 9))
	h.later(at("2026-09-03", 12), func() {
		wantDeadlines(t, "初审", h.row().Deadlines, map[string]string{"county_review": "2026-10-08"})
	})
	h.update(at("2026-10-09", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审"))
	h.run()

	equal(t, "初审 alerts", h.alerts("county_review"), []string{
		"reminder county_officer 2026-09-28 09:00 due 2026-10-08",
		"reminder county_officer 2026-09-30 09:00 due 2026-10-08",
		"reminder county_officer 2026-10-08 09:00 due 2026-10-08",
		"escalation county_officer 2026-10-09 00:00 due 2026-10-08",
		"escalation supervisor 2026-10-09 00:00 due 2026-10-08",
		"escalation city_officer 2026-10-09 00:00 due 2026-10-08",
	})
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// RULES §4 (escalation): a lapsed 初审's 【逾期督办】 asks the county
// officers, whose task it is, to do it, and asks the supervisor and the
// city bureau to urge it — not the county to urge itself.
func TestDecision_Escalation_AsksTheDoerToActAndTheOthersToUrge(t *testing.T) {
	h := newHarness(t, at("2026-09-03", 9))
	h.update(at("2026-10-09", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审"))
	h.run()

	msgs, err := h.store.Outbox(context.Background(), h.in.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	asks := map[string]string{}
	for _, m := range msgs {
		if m.Kind == "escalation" {
			asks[m.Audience] = m.Body
		}
	}
	for aud, want := range map[string]string{"county_officer": "请尽快办理", "supervisor": "请督促办理", "city_officer": "请督促办理"} {
		if !strings.Contains(asks[aud], want) {
			t.Errorf("the escalation to %s says %q, want it to say %s", aud, asks[aud], want)
		}
	}
}
