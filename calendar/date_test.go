package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

func TestDate(t *testing.T) {
	if got := calendar.NewDate(2026, time.February, 30); got != day("2026-03-02") {
		t.Errorf("NewDate(2026, 2, 30) = %s, want normalised 2026-03-02", got)
	}
	if got := day("2026-12-31").AddDays(1); got != day("2027-01-01") {
		t.Errorf("AddDays across the year = %s", got)
	}
	if got := day("2026-10-01").Weekday(); got != time.Thursday {
		t.Errorf("Weekday(2026-10-01) = %s, want Thursday", got)
	}
	a, b := day("2026-01-31"), day("2026-02-01")
	if !a.Before(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Before/After/Compare disagree on 2026-01-31 < 2026-02-01")
	}
	if !(calendar.Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero wrong")
	}
}

func TestDateInShanghai(t *testing.T) {
	// 16:00 UTC is 00:00 the next day in Asia/Shanghai.
	if got := calendar.DateOf(time.Date(2026, 1, 1, 16, 0, 0, 0, time.UTC)); got != day("2026-01-02") {
		t.Errorf("DateOf(2026-01-01T16:00Z) = %s, want 2026-01-02", got)
	}
	if got := calendar.DateOf(time.Date(2026, 1, 1, 15, 59, 59, 0, time.UTC)); got != day("2026-01-01") {
		t.Errorf("DateOf(2026-01-01T15:59:59Z) = %s, want 2026-01-01", got)
	}
	d := day("2026-10-08")
	if got := d.Start().Format(time.RFC3339); got != "2026-10-08T00:00:00+08:00" {
		t.Errorf("Start = %s", got)
	}
	if got := d.End().Format(time.RFC3339); got != "2026-10-09T00:00:00+08:00" {
		t.Errorf("End = %s, want the next day 00:00 +08:00", got)
	}
	if calendar.Shanghai.String() != "Asia/Shanghai" {
		t.Errorf("Shanghai = %s", calendar.Shanghai)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D calendar.Date `json:"d"`
		Z calendar.Date `json:"z"`
	}
	b, err := json.Marshal(doc{D: day("2026-02-28")})
	if err != nil || string(b) != `{"d":"2026-02-28","z":""}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.D != day("2026-02-28") || !back.Z.IsZero() {
		t.Errorf("Unmarshal = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-2-28"}`), &back); err == nil {
		t.Error("Unmarshal of 2026-2-28: no error")
	}
}
