package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// seedApplication stores application A-tag, at stage, in round R-tag: the
// rows the tests of one application's records stand on.
func seedApplication(t *testing.T, st *store.Store, tag, stage string) {
	t.Helper()
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
		VALUES ($1, '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`, "R-"+tag); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category,
		county_code, unit_name, uscc, form, eligibility, submitted_at, submitted_by, updated_at, name_key)
		VALUES ($1, $2, $3, $1, 'enterprise', 'manufacturing', '530102', 'u', $1, '{}', '[]', '2026-03-02 09:00+08', 't', now(), $1)`,
		"A-"+tag, "R-"+tag, stage); err != nil {
		t.Fatal(err)
	}
}

// 第十三条 and RELIABILITY (a retried request is applied once): an objection
// filed again under its id — the same request retried after a failure left
// it stored — is the one stored, under the day it was received on. A retry
// the next day (a mailed objection's receipt left blank means today) opens
// no day of its own: its process would wait for rulings on that day for
// good. A mailed one filed again saying something else, or naming another
// day of receipt, is refused.
func Test第十三条_AnObjectionFiledAgainIsTheOneStoredUnderItsOwnDay(t *testing.T) {
	st := testenv.Store(t)
	seedApplication(t, st, "OBJ", "public_notice")
	ctx := context.Background()
	first := store.ObjectionDraft{ID: "O-MAIL-1", ApplicationID: "A-OBJ", Via: "mail", ReceivedOn: "2026-03-03",
		PostmarkedOn: "2026-03-02", Name: "某种植户", Contact: "0871-00000001", Content: "带动就业人数不实", Evidence: "书面材料",
		CreatedAt: time.Now()}
	if day, err := st.FileObjection(ctx, first); err != nil || day.ReceivedOn != "2026-03-03" || day.Accepted {
		t.Fatalf("filed: %+v, %v", day, err)
	}
	again := first
	again.ReceivedOn = "2026-03-04" // the retry the next day
	day, err := st.FileObjection(ctx, again)
	if err != nil || day.ReceivedOn != "2026-03-03" {
		t.Errorf("filed again the next day: %+v, %v; want the day it was received on, 2026-03-03", day, err)
	}
	var objections, days int
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM objections WHERE application_id = 'A-OBJ'),
		(SELECT count(*) FROM objection_days WHERE application_id = 'A-OBJ' AND received_on = '2026-03-04')`).Scan(&objections, &days); err != nil {
		t.Fatal(err)
	}
	if objections != 1 || days != 0 {
		t.Errorf("%d objections and %d days of 2026-03-04 after one filed twice; want 1 and 0", objections, days)
	}

	otherwise := first
	otherwise.Content = "另一份异议内容"
	if _, err := st.FileObjection(ctx, otherwise); !errors.Is(err, store.ErrObjectionRefiledOtherwise) {
		t.Errorf("a mailed objection filed again with other content: %v, want ErrObjectionRefiledOtherwise", err)
	}
	// The city names a mailed objection's day of receipt: a retry naming
	// another day says something else, not the day of its retry.
	otherDay := first
	otherDay.ReceivedOn, otherDay.ReceivedOnStated = "2026-03-05", true
	if _, err := st.FileObjection(ctx, otherDay); !errors.Is(err, store.ErrObjectionRefiledOtherwise) {
		t.Errorf("a mailed objection filed again naming another day of receipt: %v, want ErrObjectionRefiledOtherwise", err)
	}
	sameDay := otherDay
	sameDay.ReceivedOn = "2026-03-03"
	if day, err := st.FileObjection(ctx, sameDay); err != nil || day.ReceivedOn != "2026-03-03" {
		t.Errorf("filed again naming its own day: %+v, %v; want the one stored", day, err)
	}
	elsewhere := first
	elsewhere.ApplicationID = "A-OTHER"
	if _, err := st.FileObjection(ctx, elsewhere); err == nil {
		t.Error("an objection's id filed again on another application was taken")
	}
}

// 第十三条 and RELIABILITY (one process that cannot answer does not hold
// back the others): the days of objections stored and never told that a
// sweep failed to tell go behind the days never tried — however many there
// are, so a hundred a process keeps refusing never hide one stored since —
// and among themselves the one tried longest ago comes first.
func Test第十三条_StrandedDaysATellingFailedForGoBehindTheOthers(t *testing.T) {
	st := testenv.Store(t)
	seedApplication(t, st, "STR", "public_notice")
	ctx := context.Background()
	for i, received := range []string{"2026-03-03", "2026-03-04", "2026-03-05"} {
		o := store.ObjectionDraft{ID: "O-STR-" + received, ApplicationID: "A-STR", Via: "online", ReceivedOn: received,
			Name: "某种植户", Contact: "0871-0000000" + string(rune('1'+i)), Content: "带动就业人数不实 " + received, Evidence: "书面材料",
			CreatedAt: time.Now().Add(-time.Hour)}
		if _, err := st.FileObjection(ctx, o); err != nil {
			t.Fatalf("file %s: %v", received, err)
		}
	}
	stranded := func(limit int) []string {
		t.Helper()
		days, err := st.StrandedDays(ctx, time.Now(), limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range days {
			out = append(out, d.ReceivedOn.String())
		}
		return out
	}
	if got := stranded(3); len(got) != 3 || got[0] != "2026-03-03" {
		t.Fatalf("stranded days %v, want the three, the oldest receipt first", got)
	}
	days, _ := st.StrandedDays(ctx, time.Now(), 3)
	if err := st.StrandedDayTried(ctx, days[0], time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.StrandedDayTried(ctx, days[1], time.Now().Add(-2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := stranded(1); len(got) != 1 || got[0] != "2026-03-05" {
		t.Errorf("one stranded day read: %v, want 2026-03-05, the one never tried, before the two that failed", got)
	}
	if got := stranded(3); len(got) != 3 || got[1] != "2026-03-04" || got[2] != "2026-03-03" {
		t.Errorf("stranded days %v, want the untried, then 2026-03-04 (tried longest ago), then 2026-03-03", got)
	}
}
