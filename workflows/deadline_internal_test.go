package workflows

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
)

// RULES §5 (re-arming after a revision): a schedule the calendar-changed
// message carried is used only for the rule it was computed for, so
// sameRule must compare every field of a rule. A field added to
// deadline.Rule or deadline.AlertPolicy fails here until sameRule compares
// it too.
func TestSameRuleComparesEveryField(t *testing.T) {
	if n := reflect.TypeFor[deadline.Rule]().NumField(); n != 6 {
		t.Errorf("deadline.Rule has %d fields; sameRule compares 6", n)
	}
	if n := reflect.TypeFor[deadline.AlertPolicy]().NumField(); n != 3 {
		t.Errorf("deadline.AlertPolicy has %d fields; sameRule compares 3", n)
	}
	base := func() deadline.Rule {
		return deadline.Rule{Kind: "county_review", From: calendar.NewDate(2027, time.January, 4), Period: deadline.Workdays,
			N: 20, County: "530126", Alerts: deadline.AlertPolicy{LeadDays: []int{3, 1}, EscalateEvery: 5, EscalateMax: 3}}
	}
	if !sameRule(base(), base()) {
		t.Fatal("a rule is not the same as itself")
	}
	for field, change := range map[string]func(*deadline.Rule){
		"Kind":                 func(r *deadline.Rule) { r.Kind = "city_review" },
		"From":                 func(r *deadline.Rule) { r.From = calendar.NewDate(2027, time.January, 5) },
		"Period":               func(r *deadline.Rule) { r.Period = deadline.Months },
		"N":                    func(r *deadline.Rule) { r.N = 21 },
		"County":               func(r *deadline.Rule) { r.County = "" },
		"Alerts.LeadDays":      func(r *deadline.Rule) { r.Alerts.LeadDays = slices.Insert(r.Alerts.LeadDays, 0, 5) },
		"Alerts.EscalateEvery": func(r *deadline.Rule) { r.Alerts.EscalateEvery = 10 },
		"Alerts.EscalateMax":   func(r *deadline.Rule) { r.Alerts.EscalateMax = 1 },
	} {
		r := base()
		change(&r)
		if sameRule(base(), r) {
			t.Errorf("rules that differ in %s are taken as the same", field)
		}
	}
}
