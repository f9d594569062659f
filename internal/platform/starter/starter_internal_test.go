package starter

import (
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// RELIABILITY (one process that cannot answer does not hold back the
// others): the stranded objection days a sweep could not tell are told
// after the others next time — the one tried longest ago first among them —
// instead of first again, each time taking the sweep's time.
func TestStrandedDaysNotToldGoBehindTheOthers(t *testing.T) {
	day := func(app string) store.StrandedDay {
		return store.StrandedDay{DraftDay: records.DraftDay{ReceivedOn: calendar.NewDate(2026, time.March, 10)}, ApplicationID: app}
	}
	days := []store.StrandedDay{day("A1-stuck"), day("A2-stuck"), day("A3"), day("A4")}
	s := &Starter{daysTried: map[string]time.Time{
		strandedKey(day("A1-stuck")): time.Now(),
		strandedKey(day("A2-stuck")): time.Now().Add(-time.Minute),
	}}
	s.untriedFirst(days)
	var order []string
	for _, d := range days {
		order = append(order, d.ApplicationID)
	}
	if fmt.Sprint(order) != "[A3 A4 A2-stuck A1-stuck]" {
		t.Errorf("days told in the order %v, want the untried first, in their order, then the longest since tried", order)
	}
}
