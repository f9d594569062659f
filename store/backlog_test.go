package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// ARCHITECTURE "What an operator watches": each kind of owed work — a
// process to start, a decision to write, a delivery to confirm, a calendar
// revision or a zone's bureau to tell — is counted while it is owed, with
// the age of the oldest, and no longer once it is done.
func TestBacklogsCountWhatIsOwedUntilItIsDone(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	owed := func(want map[string]int64) {
		t.Helper()
		backlogs, err := st.Backlogs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, b := range backlogs {
			got[b.Kind] = b.Count
			if b.Count == 0 && b.OldestSeconds != 0 {
				t.Errorf("%s: nothing owed, yet the oldest is %.0f s old", b.Kind, b.OldestSeconds)
			}
		}
		for _, kind := range []string{store.BacklogProcessStarts, store.BacklogDecisionWrites, store.BacklogDeliveries,
			store.BacklogCalendarFanouts, store.BacklogZoneTellings, store.BacklogRecordTellings} {
			if got[kind] != want[kind] {
				t.Errorf("%s: %d owed, want %d", kind, got[kind], want[kind])
			}
		}
	}
	owed(nil)

	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-11-01", ClosesOn: "2026-12-31", CreatedAt: at}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateApplication(ctx, store.NewApplication{ID: "A1", RoundID: "R1", BrandName: "安宁玫瑰",
		BrandType: "regional", Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会",
		USCC: "51530181MJ0000001U", Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: at,
		SubmittedBy: "holder", SubmittedRole: "applicant", ProcessInput: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if err := st.NoteDecisionSent(ctx, "u1", "application-A1"); err != nil {
		t.Fatal(err)
	}
	ids, err := st.EnqueueReturning(ctx, store.Message{DedupeKey: "m1", Kind: "reminder", Audience: "county_officer", ObjectType: "application",
		ObjectID: "A1", Title: "提醒", Body: "提醒", CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.BeginDelivery(ctx, "m1/email", ids[0], "email"); err != nil {
		t.Fatal(err)
	}
	// A delivery that gave up (written four days ago, retried for three) is
	// no longer owed: its DeliveryWorkflow failed, which is where it shows.
	gaveUp, err := st.EnqueueReturning(ctx, store.Message{DedupeKey: "m2", Kind: "reminder", Audience: "county_officer", ObjectType: "application",
		ObjectID: "A1", Title: "提醒", Body: "提醒", CreatedAt: at.Add(-96 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE outbox SET written_at = now() - interval '96 hours' WHERE id = $1`, gaveUp[0]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.BeginDelivery(ctx, "m2/email", gaveUp[0], "email"); err != nil {
		t.Fatal(err)
	}
	exec(t, st, `UPDATE deliveries SET started_at = now() - interval '96 hours' WHERE delivery_id = 'm2/email'`)
	// One begun a day ago for a message written four days back (a delivery
	// started late) is retried for three days from its start: still owed.
	late, err := st.EnqueueReturning(ctx, store.Message{DedupeKey: "m3", Kind: "reminder", Audience: "county_officer", ObjectType: "application",
		ObjectID: "A1", Title: "提醒", Body: "提醒", CreatedAt: at.Add(-96 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, st, `UPDATE outbox SET written_at = now() - interval '96 hours' WHERE dedupe_key = 'm3'`)
	if _, _, err := st.BeginDelivery(ctx, "m3/email", late[0], "email"); err != nil {
		t.Fatal(err)
	}
	exec(t, st, `UPDATE deliveries SET started_at = now() - interval '24 hours' WHERE delivery_id = 'm3/email'`)
	// One given up for good (no mailbox left) is never delivered and no
	// longer owed.
	nowhere, err := st.EnqueueReturning(ctx, store.Message{DedupeKey: "m4", Kind: "reminder", Audience: "county_officer", ObjectType: "application",
		ObjectID: "A1", Title: "提醒", Body: "提醒", CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.BeginDelivery(ctx, "m4/email", nowhere[0], "email"); err != nil {
		t.Fatal(err)
	}
	if err := st.GiveUpDelivery(ctx, "m4/email", at, "550 no such mailbox"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCountyOffDay(ctx, "530181", calendar.Date{Year: 2026, Month: 12, Day: 9}, "测试", at, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveReviewUnit(ctx, store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530112", Active: true},
		at, "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	exec(t, st, `INSERT INTO untold_updates (update_id, workflow_id, update_name, args, record_kind, record_id, stored_at)
		VALUES ('U-CH1', 'brand-B1', 'change-request', '{"change_id":"CH1"}', 'change', 'CH1', now())`)
	owed(map[string]int64{store.BacklogProcessStarts: 1, store.BacklogDecisionWrites: 1, store.BacklogDeliveries: 2,
		store.BacklogCalendarFanouts: 1, store.BacklogZoneTellings: 1, store.BacklogRecordTellings: 1})

	// The oldest's age is read from when it was stored.
	exec(t, st, `UPDATE application_starts SET created_at = now() - interval '1 hour'`)
	backlogs, err := st.Backlogs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backlogs {
		if b.Kind == store.BacklogProcessStarts && (b.OldestSeconds < 3590 || b.OldestSeconds > 3700) {
			t.Errorf("the start stored an hour ago is %.0f s old", b.OldestSeconds)
		}
		// Its age is its message's writing's: four days for the one begun late.
		if b.Kind == store.BacklogDeliveries && (b.OldestSeconds < 96*3600-60 || b.OldestSeconds > 96*3600+600) {
			t.Errorf("the oldest delivery owed is %.0f s old, want its message's four days", b.OldestSeconds)
		}
	}

	version, err := st.CalendarVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, done := range []error{st.MarkStarted(ctx, "A1"), st.ForgetDecisionSent(ctx, "u1"), st.EndDelivery(ctx, "m1/email", at, true, ""), st.EndDelivery(ctx, "m3/email", at, true, ""),
		st.MarkCalendarFannedOut(ctx, version), st.MarkBureauTold(ctx, "530199", 1), st.Told(ctx, "U-CH1")} {
		if done != nil {
			t.Fatal(done)
		}
	}
	owed(nil)
}
