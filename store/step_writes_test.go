package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §6 (the audit trail) and §4: a brand's step — its record, history
// line, work queue and audit row, sent to PostgreSQL together — is written
// whole and once: a retried step writes nothing more, a step on no brand
// writes nothing, and a step one of whose statements fails leaves no part
// of itself behind.
func TestABrandStepIsWrittenWholeAndOnce(t *testing.T) {
	st := testenv.Store(t)
	at := importBrand(t, st, "B-STEP", "步骤品牌", "51530102MJ0000003X")
	due := func(day string) (string, time.Time) {
		d, _ := calendar.ParseDate(day)
		return d.String(), d.End()
	}
	d1, d1At := due("2026-12-28")
	task := func(kind, aud, day string, dayAt time.Time) records.Task {
		return records.Task{Kind: kind, ObjectType: "brand", ObjectID: "B-STEP", BrandName: "步骤品牌", CountyCode: "530102",
			Audience: aud, Due: day, DueAt: dayAt}
	}
	finding := records.BrandStep{BrandID: "B-STEP", Key: "B-STEP/finding-1", At: at, Actor: "officer", Role: "county_officer",
		Action: "finding", Note: "二级整改", Standing: records.BrandStanding{Status: "rectifying"},
		Finding: &records.FindingRow{ID: "F-STEP-1", Reason: "test", Level: 2, Description: "说明", OrderedOn: calendar.DateOf(at)},
		Tasks:   []records.Task{task("rectification", "applicant", d1, d1At), task("interview", "county_officer", d1, d1At)}}

	count := func(sql string) int {
		t.Helper()
		var n int
		if err := st.Pool().QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	type rows struct{ events, tasks, findings, audit int }
	written := func() rows {
		return rows{
			count(`SELECT count(*) FROM brand_events WHERE brand_id = 'B-STEP'`),
			count(`SELECT count(*) FROM tasks WHERE object_id = 'B-STEP'`),
			count(`SELECT count(*) FROM findings WHERE brand_id = 'B-STEP'`),
			count(`SELECT count(*) FROM audit_log WHERE object_id = 'B-STEP'`),
		}
	}
	start := written()

	if err := st.RecordBrandStep(ctx, finding); err != nil {
		t.Fatal(err)
	}
	after := written()
	if want := (rows{start.events + 1, 2, 1, start.audit + 1}); after != want {
		t.Fatalf("after the finding: %+v, want %+v", after, want)
	}
	if err := st.RecordBrandStep(ctx, finding); err != nil {
		t.Fatalf("the same step again: %v", err)
	}
	if again := written(); again != after {
		t.Errorf("the same step again wrote more: %+v, was %+v", again, after)
	}

	if err := st.RecordBrandStep(ctx, records.BrandStep{BrandID: "B-NONE", Key: "B-NONE/x", At: at, Action: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a step on no brand: %v, want ErrNotFound", err)
	}

	// The second task's due day is no date: its insert, queued after the
	// record's update, the history line and the first task, fails.
	broken := finding
	broken.Key, broken.Action, broken.Finding = "B-STEP/broken", "rectification.confirmed", nil
	broken.Standing = records.BrandStanding{Status: "active"}
	broken.Tasks = []records.Task{task("evaluation", "county_officer", d1, d1At), task("bad", "county_officer", "no-date", d1At)}
	err := st.RecordBrandStep(ctx, broken)
	if err == nil || !strings.Contains(err.Error(), "save task bad of B-STEP") {
		t.Fatalf("a step with a bad task: %v, want the failed insert named", err)
	}
	if now := written(); now != after {
		t.Errorf("the failed step left rows behind: %+v, was %+v", now, after)
	}
	var status string
	if err := st.Pool().QueryRow(ctx, `SELECT status FROM brands WHERE id = 'B-STEP'`).Scan(&status); err != nil || status != "rectifying" {
		t.Errorf("status after the failed step: %q, %v; want rectifying", status, err)
	}
	if n, brk, err := st.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
		t.Errorf("VerifyAudit = %d, %+v, %v", n, brk, err)
	}
}

// A step dated at the start of the day it records (a renewal window's
// opening, written when its first day is over) does not move the brand's
// updated_at back behind the steps recorded that day.
func TestABackDatedStepDoesNotMoveTheRecordsTimeBack(t *testing.T) {
	st := testenv.Store(t)
	at := importBrand(t, st, "B-BACK", "回溯品牌", "51530102MJ0000004X")
	later := at.Add(10 * time.Hour)
	step := func(key string, when time.Time) {
		t.Helper()
		if err := st.RecordBrandStep(ctx, records.BrandStep{BrandID: "B-BACK", Key: "B-BACK/" + key, At: when, Actor: "system", Role: "system",
			Action: key, Standing: records.BrandStanding{Status: "active"}}); err != nil {
			t.Fatal(err)
		}
	}
	step("noon", later)
	step("window", at.Add(time.Hour))
	var updated time.Time
	if err := st.Pool().QueryRow(ctx, `SELECT updated_at FROM brands WHERE id = 'B-BACK'`).Scan(&updated); err != nil {
		t.Fatal(err)
	}
	if !updated.Equal(later) {
		t.Errorf("updated_at %s after a back-dated step, want %s (the latest step's)", updated, later)
	}
}
