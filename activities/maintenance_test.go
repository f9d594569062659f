package activities_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

const day = 24 * time.Hour

// exec runs SQL on st, failing t on an error.
func exec(t *testing.T, st *store.Store, sql string, args ...any) {
	t.Helper()
	if _, err := st.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, st *store.Store, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// key inserts an idempotency key claimed at at, answered or in flight.
func key(t *testing.T, st *store.Store, name string, at time.Time, answered bool) {
	status := any(nil)
	if answered {
		status = 200
	}
	exec(t, st, `INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, created_at)
		VALUES ('officer', 'county_officer', '530181', '', 'POST', '/api/v1/x', $1, 'h', $2, $3)`, name, status, at)
}

// message inserts an outbox message dated and written at at, read by one
// user, with one delivery per channel state: "delivered", "pending" (not
// confirmed).
func message(t *testing.T, st *store.Store, name string, at time.Time, deliveries ...string) {
	messageWritten(t, st, name, at, at, deliveries...)
}

// messageWritten is message dated at and written (reached the outbox, wall
// clock) at written.
func messageWritten(t *testing.T, st *store.Store, name string, at, written time.Time, deliveries ...string) {
	var id int64
	err := st.Pool().QueryRow(context.Background(), `
		INSERT INTO outbox (dedupe_key, kind, audience, object_type, object_id, title, body, created_at, written_at)
		VALUES ($1, 'reminder', 'county_officer', 'application', 'A1', '提醒', '正文', $2, $3) RETURNING id`, name, at, written).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, st, `INSERT INTO inbox_reads (sub, message_id, read_at) VALUES ('officer', $1, $2)`, id, at)
	for i, state := range deliveries {
		var delivered *time.Time
		if state == "delivered" {
			delivered = &at
		}
		exec(t, st, `INSERT INTO deliveries (delivery_id, message_id, channel, attempts, delivered_at) VALUES ($1, $2, $3, 1, $4)`,
			fmt.Sprintf("%d/webhook:%d", id, i), id, fmt.Sprintf("webhook:%d", i), delivered)
	}
}

func remaining(t *testing.T, st *store.Store, table, column string) []string {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `SELECT `+column+` FROM `+table+` ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func TestMaintenanceDeletesOnlyWhatOutlivedItsRetention(t *testing.T) {
	st := testenv.Store(t)
	acts := &activities.Activities{Store: st} // zero Clock: business time is wall time
	ctx := context.Background()
	now := time.Now()

	// Idempotency keys, a week's retention: answered or abandoned in flight,
	// a key older than that goes; 12,000 old ones go in three batches.
	key(t, st, "8d-answered", now.Add(-8*day), true)
	key(t, st, "8d-in-flight", now.Add(-8*day), false)
	key(t, st, "6d", now.Add(-6*day), true)
	key(t, st, "1h", now.Add(-time.Hour), false)
	exec(t, st, `INSERT INTO idempotency_keys (sub, role, county, uscc, method, path, key, body_sha256, status, created_at)
		SELECT 'bulk', 'applicant', '', '', 'POST', '/api/v1/applications', 'k' || i, 'h', 201, $1::timestamptz - i * interval '1 second'
		FROM generate_series(1, 12000) i`, now.Add(-30*day))
	n, err := acts.PurgeIdempotencyKeys(ctx, 7*day)
	if err != nil || n != 12002 {
		t.Fatalf("PurgeIdempotencyKeys = %d, %v; want 12002", n, err)
	}
	if got := remaining(t, st, "idempotency_keys", "key"); fmt.Sprint(got) != "[1h 6d]" {
		t.Errorf("idempotency keys left: %v, want [1h 6d]", got)
	}

	// Outbox, a year's retention: a settled message older than a year goes
	// with its read marks and delivery logs; one whose delivery never
	// confirmed waits three days more, until its delivery has given up.
	message(t, st, "400d-delivered", now.Add(-400*day), "delivered", "delivered")
	message(t, st, "400d-inbox-only", now.Add(-400*day))
	message(t, st, "370d-never-confirmed", now.Add(-370*day), "delivered", "pending")
	message(t, st, "366d-pending", now.Add(-366*day), "pending")
	message(t, st, "300d-delivered", now.Add(-300*day), "delivered")
	// An escalation stays: the yearly figures count the deadlines an
	// office missed from them, for every year of the library.
	message(t, st, "400d-escalation", now.Add(-400*day), "delivered")
	exec(t, st, `UPDATE outbox SET kind = 'escalation' WHERE dedupe_key = '400d-escalation'`)
	// Dated 400 days back and written an hour ago (a brought-over
	// application's lapse, dated by its deadline): its delivery has not
	// begun, and its holder has not read it. It stays its year from its
	// writing.
	messageWritten(t, st, "400d-written-1h", now.Add(-400*day), now.Add(-time.Hour))
	n, err = acts.PruneOutbox(ctx, 365*day)
	if err != nil || n != 3 {
		t.Fatalf("PruneOutbox = %d, %v; want 3", n, err)
	}
	if got := remaining(t, st, "outbox", "dedupe_key"); fmt.Sprint(got) != "[300d-delivered 366d-pending 400d-escalation 400d-written-1h]" {
		t.Errorf("outbox left: %v, want [300d-delivered 366d-pending 400d-escalation 400d-written-1h]", got)
	}
	if r, d := count(t, st, `SELECT count(*) FROM inbox_reads`), count(t, st, `SELECT count(*) FROM deliveries`); r != 4 || d != 3 {
		t.Errorf("read marks %d, delivery logs %d left; want 4 and 3 (those of the kept messages)", r, d)
	}

	// Doing it again deletes nothing more.
	if n, err := acts.PurgeIdempotencyKeys(ctx, 7*day); n != 0 || err != nil {
		t.Errorf("PurgeIdempotencyKeys again = %d, %v", n, err)
	}
	if n, err := acts.PruneOutbox(ctx, 365*day); n != 0 || err != nil {
		t.Errorf("PruneOutbox again = %d, %v", n, err)
	}
}

func TestOutboxRetentionCountsInBusinessTime(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	// dev --time-scale: messages carry business time, which runs ahead.
	businessNow := time.Now().Add(500 * day)
	wall := time.Now()
	messageWritten(t, st, "business-120d", businessNow.Add(-120*day), wall.Add(-120*day), "delivered")
	messageWritten(t, st, "business-30d", businessNow.Add(-30*day), wall.Add(-30*day), "delivered")
	acts := &activities.Activities{Store: st, Clock: fixedClock(businessNow)}
	if n, err := acts.PruneOutbox(ctx, 90*day); n != 1 || err != nil {
		t.Fatalf("PruneOutbox = %d, %v; want 1", n, err)
	}
	if got := remaining(t, st, "outbox", "dedupe_key"); fmt.Sprint(got) != "[business-30d]" {
		t.Errorf("outbox left: %v", got)
	}
}

// fixedClock is a business clock at business instant at, on the wall clock's
// pace.
func fixedClock(at time.Time) clock.Clock {
	return clock.Clock{Scale: 1, WallOrigin: time.Now(), BusinessOrigin: at}
}

func TestClosedConsoleSessionsArePrunedAfterTheirRetention(t *testing.T) {
	st := testenv.Store(t)
	now := time.Now()
	var account int64
	err := st.Pool().QueryRow(context.Background(), `
		INSERT INTO accounts (username, role, password_hash, password_changed_at, created_at)
		VALUES ('officer', 'county_officer', 'x', $1, $1) RETURNING id`, now.Add(-100*day)).Scan(&account)
	if err != nil {
		t.Fatal(err)
	}
	session := func(name string, created time.Time, expires time.Time, revoked *time.Time) {
		exec(t, st, `INSERT INTO console_sessions (id_hash, account_id, stage, csrf_token, created_at, last_seen_at, expires_at, revoked_at)
			VALUES ($1, $2, 'full', 'c', $3, $3, $4, $5)`, []byte(name), account, created, expires, revoked)
	}
	ago := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	session("signed-out-40d", now.Add(-40*day), now.Add(-40*day+12*time.Hour), ago(40*day))
	session("expired-35d", now.Add(-35*day-12*time.Hour), now.Add(-35*day), nil)
	session("expired-20d-signed-out-now", now.Add(-20*day-12*time.Hour), now.Add(-20*day), ago(0))
	session("expired-10d", now.Add(-10*day-12*time.Hour), now.Add(-10*day), nil)
	session("open", now.Add(-time.Hour), now.Add(11*time.Hour), nil)
	acts := &activities.Activities{Store: st}
	if n, err := acts.PruneConsoleSessions(context.Background(), 30*day); n != 2 || err != nil {
		t.Fatalf("PruneConsoleSessions = %d, %v; want 2", n, err)
	}
	got := remaining(t, st, "console_sessions", "convert_from(id_hash, 'UTF8')")
	if want := "[expired-10d expired-20d-signed-out-now open]"; fmt.Sprint(got) != want {
		t.Errorf("sessions left: %v, want %s", got, want)
	}
}

// README "Nothing grows without bound", and the sign-in page telling no
// names apart: failures in a row nobody added to for a day are forgotten —
// a name's row without an account goes, an account's count starts again —
// alike; a count added to since, or a lock still running, is kept.
func TestSignInFailuresInARowAreForgottenAfterADayAlike(t *testing.T) {
	st := testenv.Store(t)
	now := time.Now()
	stranger := func(key string, touched time.Time, lockedUntil *time.Time) {
		exec(t, st, `INSERT INTO sign_in_strangers (fingerprint, failed_count, locked_until, touched_at) VALUES ($1, 3, $2, $3)`,
			key, lockedUntil, touched)
	}
	account := func(name string, failed time.Time, lockedUntil *time.Time) {
		exec(t, st, `INSERT INTO accounts (username, role, password_hash, password_changed_at, created_at, failed_count, failed_at, locked_until)
			VALUES ($1, 'county_officer', 'x', $2, $2, 3, $2, $3)`, name, failed, lockedUntil)
	}
	lockEnd := now.Add(time.Hour)
	stranger("unknown:tried-2d", now.Add(-48*time.Hour), nil)
	stranger("unknown:tried-1h", now.Add(-time.Hour), nil)
	stranger("unknown:locked-now", now.Add(-48*time.Hour), &lockEnd)
	account("tried-2d", now.Add(-48*time.Hour), nil)
	account("tried-1h", now.Add(-time.Hour), nil)
	account("locked-now", now.Add(-48*time.Hour), &lockEnd)
	// A count from before failures were dated lapses too.
	exec(t, st, `INSERT INTO accounts (username, role, password_hash, password_changed_at, created_at, failed_count)
		VALUES ('counted-before', 'county_officer', 'x', now(), now(), 2)`)
	acts := &activities.Activities{Store: st}
	if _, err := acts.PruneConsoleSessions(context.Background(), 30*day); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, st, "sign_in_strangers", "fingerprint"); fmt.Sprint(got) != "[unknown:locked-now unknown:tried-1h]" {
		t.Errorf("names' counts left: %v", got)
	}
	if got := remaining(t, st, "accounts", "username || ' ' || failed_count"); fmt.Sprint(got) != "[counted-before 0 locked-now 3 tried-1h 3 tried-2d 0]" {
		t.Errorf("accounts' counts: %v", got)
	}
}

// README "Nothing grows without bound": an unfinished upload left untouched
// for a week (store.UploadKept) is forgotten with its pieces by the
// maintenance, though its holder never starts another upload (the console
// forgets a holder's stale ones only then); one in use is kept.
func TestAbandonedUploadsAreForgottenByTheMaintenance(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Now()
	start := func(id, uscc string, touched time.Time) {
		u, err := st.StartUpload(ctx, store.Upload{ID: id, USCC: uscc, ApplicationID: "A1", Kind: "video", Name: "宣传片.mp4",
			Size: 2 << 20, Fingerprint: id, UpdatedAt: touched}, store.UploadLimit{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.AppendUpload(ctx, u, 0, make([]byte, 1<<20), touched); err != nil {
			t.Fatal(err)
		}
	}
	start("abandoned", "91530181MA6K00090E", now.Add(-store.UploadKept-time.Hour))
	start("in-use", "91530181MA6K00091C", now.Add(-time.Hour))
	acts := &activities.Activities{Store: st}
	if _, err := acts.PruneConsoleSessions(ctx, 30*day); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, st, "attachment_uploads", "id"); fmt.Sprint(got) != "[in-use]" {
		t.Errorf("uploads left: %v, want [in-use]", got)
	}
	if got := remaining(t, st, "attachment_upload_parts", "upload_id"); fmt.Sprint(got) != "[in-use]" {
		t.Errorf("pieces left: %v, want those of in-use", got)
	}
}

// Issue 19 item 5 (nothing grows without bound) and RULES §6 (personal
// data kept no longer than needed): a holder's draft no one will send is
// forgotten by the maintenance — a correction's whose application is no
// longer returned (here withdrawn when its wait ran out), and one untouched
// for a year (store.DraftKept); a new application's draft in use and the
// correction of an application still returned stay.
func TestDraftsNoOneWillSendAreForgottenByTheMaintenance(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Now()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := st.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '第一批', '2026-01-01', '2026-12-31', now(), 't')`)
	exec(`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
		submitted_at, submitted_by, updated_at, name_key) VALUES
		('A1', 'R1', 'returned', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', now(), 't', now(), '甲'),
		('A2', 'R1', 'withdrawn', '乙', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U2', '{}', '[]', now(), 't', now(), '乙')`)
	for _, d := range []store.ApplicationDraft{
		{USCC: "U1", ApplicationID: "A1", UpdatedAt: now.Add(-time.Hour)},
		{USCC: "U2", ApplicationID: "A2", UpdatedAt: now.Add(-time.Hour)},
		{USCC: "U3", UpdatedAt: now.Add(-time.Hour)},
		{USCC: "U4", UpdatedAt: now.Add(-store.DraftKept - time.Hour)},
	} {
		d.Fields, d.UpdatedBy = map[string]string{"contact_phone": "13800000000"}, "holder"
		if err := st.SaveDraft(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := (&activities.Activities{Store: st}).PruneConsoleSessions(ctx, 30*day); err != nil {
		t.Fatal(err)
	}
	if got := remaining(t, st, "application_drafts", "uscc"); fmt.Sprint(got) != "[U1 U3]" {
		t.Errorf("drafts left: %v, want [U1 U3]", got)
	}
}

// RULES §6 (a registration never confirmed) and issue 19 item 5 (nothing
// grows without bound): with a mail relay, a self-registration whose
// e-mail nobody confirmed is removed by the maintenance a week after it
// was made once no link of it is live — with its account, audited as the
// system's — even when its code is never registered again; one with a
// live link, a confirmed one and one an admin disabled stay. Without a
// relay nothing is left unconfirmed, so nothing is removed. Confirmation
// links a day old and spent go (the day's sending limits no longer count
// them); today's stay.
func TestUnconfirmedRegistrationsLapseByTheMaintenance(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	now := time.Now()
	register := func(name, uscc string, at time.Time) {
		reg := store.HolderRegistration{USCC: uscc, UnitName: "单位" + name, ContactName: "联系人",
			ContactPhone: "13700005555", ContactEmail: name + "@example.cn"}
		if _, err := st.RegisterHolder(ctx, store.Account{Username: name, PasswordHash: "x"}, reg,
			store.AccountChange{At: at, Actor: name, Role: "public"}, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	link := func(name, uscc, token string, sent time.Time) {
		if err := st.NewConfirmation(ctx, uscc, name+"@example.cn", token, 24*time.Hour, store.ConfirmationLimit{},
			store.AccountChange{At: sent, Actor: name, Role: "applicant"}); err != nil {
			t.Fatal(err)
		}
	}
	old := now.Add(-store.UnconfirmedKept - time.Hour)
	register("lapsed", "91530181MA6K00010A", old)
	register("never-mailed", "91530181MA6K00011B", old)
	register("relinked", "91530181MA6K00012C", old)
	link("relinked", "91530181MA6K00012C", "relinked-link", now.Add(-time.Hour))
	// Sent after today's, in the store's order: sending clears only links
	// a day older than itself.
	link("lapsed", "91530181MA6K00010A", "lapsed-link", old)
	register("recent", "91530181MA6K00013D", now.Add(-2*day))
	register("confirmed", "91530181MA6K00014E", old)
	exec(t, st, `UPDATE holder_registrations SET confirmed_at = registered_at WHERE uscc = '91530181MA6K00014E'`)
	register("disabled", "91530181MA6K00015F", old)
	if err := st.DisableAccount(ctx, "disabled", store.AccountChange{At: now, Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}

	accounts := func() string {
		return fmt.Sprint(remaining(t, st, "accounts", "username"))
	}
	everyone := "[confirmed disabled lapsed never-mailed recent relinked]"
	if _, err := (&activities.Activities{Store: st}).PruneConsoleSessions(ctx, 30*day); err != nil {
		t.Fatal(err)
	}
	if got := accounts(); got != everyone {
		t.Errorf("without a relay: accounts %s, want all of %s", got, everyone)
	}
	if got := fmt.Sprint(remaining(t, st, "holder_confirmations", "address")); got != "[relinked@example.cn]" {
		t.Errorf("links left: %s, want today's only", got)
	}

	withRelay := &activities.Activities{Store: st, Channels: activities.Channels{SMTP: &activities.SMTP{Addr: "relay.invalid:25"}}}
	if _, err := withRelay.PruneConsoleSessions(ctx, 30*day); err != nil {
		t.Fatal(err)
	}
	if got := accounts(); got != "[confirmed disabled recent relinked]" {
		t.Errorf("with a relay: accounts %s, want the lapsed and the never mailed gone", got)
	}
	if n := count(t, st, `SELECT count(*) FROM holder_registrations WHERE uscc IN ('91530181MA6K00010A', '91530181MA6K00011B')`); n != 0 {
		t.Errorf("the lapsed registrations: %d left, want 0", n)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'account.registration_lapsed' AND actor = 'system'
		AND object_id IN ('lapsed', 'never-mailed')`); n != 2 {
		t.Errorf("the releases' audit rows: %d, want 2", n)
	}
}
