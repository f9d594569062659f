package deadline_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
)

// RULES §5: an explanation numbers each working day after the start day
// (民法典第二百零一条) and names each day it skips — a weekend, 春节, a
// county's local day off — and it ends on the deadline Compute gives.
func TestDecision_Deadlines_ExplanationNamesEverySkippedDay(t *testing.T) {
	cal := calendar.Default().WithCountyOffDays("530126", []calendar.Date{calendar.NewDate(2026, 2, 11)})
	from := calendar.NewDate(2026, 2, 10)
	r := deadline.Rule{Kind: "county_review", From: from, Period: deadline.Workdays, N: 5, County: "530126"}
	e, err := deadline.Explain(cal, r)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := deadline.Compute(cal, r)
	if e.Due != s.Deadline.Due || e.Days[len(e.Days)-1].Date != e.Due || e.Days[len(e.Days)-1].Counted != 5 {
		t.Fatalf("due %s, schedule %s, last day %+v", e.Due, s.Deadline.Due, e.Days[len(e.Days)-1])
	}
	reasons := map[string]string{}
	counted := 0
	for _, d := range e.Days {
		reasons[d.Date.String()] = d.Reason
		if d.Counted > 0 {
			counted++
			if d.Counted != counted {
				t.Errorf("%s numbered %d, want %d", d.Date, d.Counted, counted)
			}
		}
	}
	if e.Days[0].Date != from.AddDays(1) {
		t.Errorf("first day %s: the start day itself must not count", e.Days[0].Date)
	}
	for day, want := range map[string]string{"2026-02-11": "县（市、区）地方假日", "2026-02-14": "调休上班", "2026-02-17": "节假日：春节"} {
		if reasons[day] != want {
			t.Errorf("%s: reason %q, want %q", day, reasons[day], want)
		}
	}
	if e.Article == "" || e.Counting == "" {
		t.Error("no article or counting rule")
	}
}

// 民法典第二百零三条: a months period whose last day is a day of rest ends on
// the next working day; the explanation shows the nominal day and the move.
func TestDecision_Deadlines_ExplanationShowsTheMove(t *testing.T) {
	cal := calendar.Default()
	r := deadline.Rule{Kind: "rectification", From: calendar.NewDate(2026, 9, 1), Period: deadline.Months, N: 1}
	e, err := deadline.Explain(cal, r)
	if err != nil {
		t.Fatal(err)
	}
	if e.Nominal.String() != "2026-10-01" || !e.Due.After(calendar.NewDate(2026, 10, 7)) {
		t.Fatalf("nominal %s due %s", e.Nominal, e.Due)
	}
	if e.Days[0].Reason != "节假日：国庆节、中秋节" && e.Days[0].Reason[:len("节假日")] != "节假日" {
		t.Errorf("first day %+v", e.Days[0])
	}
}

// 第十五条（三）: a suspension is one year, and the explanation cites the
// scheme by its own title (《昆明市市级劳务品牌项目库入库工作方案（试行）》).
// It had said three months, and named a 管理办法 that does not exist.
func TestDecision_Deadlines_ASuspensionsExplanationCitesTheSchemesYear(t *testing.T) {
	r := deadline.Rule{Kind: "suspension_end", From: calendar.NewDate(2026, 9, 1), Period: deadline.SanctionTerm, N: 12}
	e, err := deadline.Explain(calendar.Default(), r)
	if err != nil {
		t.Fatal(err)
	}
	if want := "《昆明市市级劳务品牌项目库入库工作方案（试行）》第十五条（三）：暂停劳务品牌标识使用权一年"; len(e.Article) < len(want) || e.Article[:len(want)] != want {
		t.Errorf("the article is %q, want it to begin %q", e.Article, want)
	}
}
