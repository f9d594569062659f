package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var ctx = context.Background()

// appendAudit writes n audit rows, one transaction each, and returns their ids.
func appendAudit(t *testing.T, st *store.Store, n int) []int64 {
	t.Helper()
	at := time.Date(2026, 9, 28, 9, 0, 0, 0, calendar.Shanghai)
	for i := range n {
		err := st.InTx(ctx, func(tx pgx.Tx) error {
			return store.AppendAudit(ctx, tx, store.AuditEntry{
				At: at.Add(time.Duration(i) * time.Minute), Actor: "officer-anning", Role: "county_officer",
				Action: "county_review.approve", ObjectType: "application", ObjectID: fmt.Sprintf("APP-%d", i),
				Before: map[string]string{"stage": "county_review"}, After: map[string]any{"stage": "city_review", "n": i},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	rows, err := st.Pool().Query(ctx, `SELECT id FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// tamper runs sql with the append-only triggers off, as a superuser who goes
// around the application could.
func tamper(t *testing.T, st *store.Store, sql string, args ...any) {
	t.Helper()
	err := st.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

// RULES §6: every decision is written to an audit trail protected by a hash
// chain; an untouched chain verifies.
func TestAuditChainVerifiesWhenIntact(t *testing.T) {
	st := testenv.Store(t)
	n, brk, err := st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 0 {
		t.Fatalf("empty log: VerifyAudit = %d, %+v, %v", n, brk, err)
	}
	ids := appendAudit(t, st, 5)
	n, brk, err = st.VerifyAudit(ctx)
	if err != nil || brk != nil {
		t.Fatalf("VerifyAudit = %d, %+v, %v; want intact", n, brk, err)
	}
	if n != int64(len(ids)) || n != 5 {
		t.Errorf("VerifyAudit checked %d rows, want 5", n)
	}
	rows, err := st.AuditFor(ctx, "application", "APP-3")
	if err != nil || len(rows) != 1 || rows[0].Actor != "officer-anning" || !strings.Contains(string(rows[0].After), `"city_review"`) {
		t.Errorf("AuditFor(APP-3) = %+v, %v", rows, err)
	}
}

// RULES §6: the audit trail is append-only — the database itself refuses
// to change or remove a row, even for the application's own connection.
func TestAuditLogIsAppendOnly(t *testing.T) {
	st := testenv.Store(t)
	ids := appendAudit(t, st, 3)
	for _, sql := range []string{
		`UPDATE audit_log SET after = '{"stage":"admitted"}' WHERE id = $1`,
		`DELETE FROM audit_log WHERE id = $1`,
		`TRUNCATE audit_log`,
	} {
		verb := strings.Fields(sql)[0]
		t.Run(verb+" is refused", func(t *testing.T) {
			var args []any
			if strings.Contains(sql, "$1") {
				args = append(args, ids[1])
			}
			_, err := st.Pool().Exec(ctx, sql, args...)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s: err = %v, want the append-only refusal", verb, err)
			}
		})
	}
	if n, brk, err := st.VerifyAudit(ctx); err != nil || brk != nil || n != 3 {
		t.Fatalf("after the refused changes: VerifyAudit = %d, %+v, %v", n, brk, err)
	}
}

// RULES §6: a silent edit or removal made around the triggers is found, and
// `laborbrand audit verify` can name the first broken row.
func TestAuditVerifyNamesTheFirstBrokenRow(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, st *store.Store, ids []int64)
		broken func(ids []int64) int64
		reason string
	}{
		{
			name: "an edited after is the broken row",
			damage: func(t *testing.T, st *store.Store, ids []int64) {
				tamper(t, st, `UPDATE audit_log SET after = '{"stage":"admitted","n":2}' WHERE id = $1`, ids[2])
			},
			broken: func(ids []int64) int64 { return ids[2] },
			reason: "edited",
		},
		{
			name: "an edited actor is the broken row",
			damage: func(t *testing.T, st *store.Store, ids []int64) {
				tamper(t, st, `UPDATE audit_log SET actor = 'someone-else' WHERE id = $1`, ids[0])
			},
			broken: func(ids []int64) int64 { return ids[0] },
			reason: "edited",
		},
		{
			name: "a removed middle row breaks the chain at the next row",
			damage: func(t *testing.T, st *store.Store, ids []int64) {
				tamper(t, st, `DELETE FROM audit_log WHERE id = $1`, ids[2])
			},
			broken: func(ids []int64) int64 { return ids[3] },
			reason: "removed",
		},
		{
			name: "a removed first row breaks the chain at the new first row",
			damage: func(t *testing.T, st *store.Store, ids []int64) {
				tamper(t, st, `DELETE FROM audit_log WHERE id = $1`, ids[0])
			},
			broken: func(ids []int64) int64 { return ids[1] },
			reason: "removed",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := testenv.Store(t)
			ids := appendAudit(t, st, 5)
			tc.damage(t, st, ids)
			_, brk, err := st.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if brk == nil {
				t.Fatal("VerifyAudit found the chain intact")
			}
			if want := tc.broken(ids); brk.ID != want || !strings.Contains(brk.Reason, tc.reason) {
				t.Errorf("first break = row %d (%s), want row %d (%s)", brk.ID, brk.Reason, want, tc.reason)
			}
		})
	}
}

// API.md idempotency: same key + same body → the first response again; same
// key + different body → refused; scope (role, sub, county or USCC, method,
// path).
func TestIdempotencyKeys(t *testing.T) {
	st := testenv.Store(t)
	k := store.IdempotencyKey{Role: "county_officer", Sub: "officer-anning", County: "530181", Method: "POST",
		Path: "/api/v1/applications/A1/county-review", Key: "k-1"}
	claim := func(k store.IdempotencyKey, hash string) (*store.StoredResponse, error) {
		return st.ClaimIdempotencyKey(ctx, k, hash, time.Hour)
	}
	if r, err := claim(k, "body-a"); r != nil || err != nil {
		t.Fatalf("first claim = %+v, %v; want nil, nil", r, err)
	}
	t.Run("same key while the first request runs: in flight", func(t *testing.T) {
		if _, err := claim(k, "body-a"); !errors.Is(err, store.ErrKeyInFlight) {
			t.Fatalf("err = %v, want ErrKeyInFlight", err)
		}
	})
	t.Run("a key in flight past its lease is taken over by the same request only", func(t *testing.T) {
		k3 := k
		k3.Key = "k-abandoned"
		if r, err := claim(k3, "body-a"); r != nil || err != nil {
			t.Fatalf("claim = %+v, %v", r, err)
		}
		if _, err := st.ClaimIdempotencyKey(ctx, k3, "body-b", 0); !errors.Is(err, store.ErrKeyReused) {
			t.Fatalf("other body past the lease: err = %v, want ErrKeyReused", err)
		}
		if r, err := st.ClaimIdempotencyKey(ctx, k3, "body-a", 0); r != nil || err != nil {
			t.Fatalf("same body past the lease = %+v, %v; want the key (nil, nil)", r, err)
		}
		if _, err := claim(k3, "body-a"); !errors.Is(err, store.ErrKeyInFlight) {
			t.Fatalf("right after the takeover: err = %v, want ErrKeyInFlight", err)
		}
	})
	t.Run("a request whose key was taken over neither releases nor completes it", func(t *testing.T) {
		late, retry := k, k
		late.Key, retry.Key = "k-overrun", "k-overrun"
		late.Claim, retry.Claim = "late", "retry"
		if r, err := claim(late, "body-a"); r != nil || err != nil {
			t.Fatalf("claim = %+v, %v", r, err)
		}
		if r, err := st.ClaimIdempotencyKey(ctx, retry, "body-a", 0); r != nil || err != nil {
			t.Fatalf("the retry's takeover = %+v, %v", r, err)
		}
		// The request that ran past its lease fails, then answers late.
		if err := st.ReleaseIdempotencyKey(ctx, late); err != nil {
			t.Fatal(err)
		}
		third := retry
		third.Claim = "third"
		if _, err := claim(third, "body-a"); !errors.Is(err, store.ErrKeyInFlight) {
			t.Fatalf("a third request while the retry runs: err = %v, want ErrKeyInFlight", err)
		}
		if err := st.CompleteIdempotencyKey(ctx, late, store.StoredResponse{Status: 503, Body: []byte(`late`)}); err != nil {
			t.Fatal(err)
		}
		if err := st.CompleteIdempotencyKey(ctx, retry, store.StoredResponse{Status: 201, Body: []byte(`retry`)}); err != nil {
			t.Fatal(err)
		}
		if r, err := claim(third, "body-a"); err != nil || r == nil || r.Status != 201 || string(r.Body) != "retry" {
			t.Fatalf("the stored answer = %+v, %v; want the retry's 201", r, err)
		}
	})
	t.Run("same key, other body: reused, even while in flight", func(t *testing.T) {
		if _, err := claim(k, "body-b"); !errors.Is(err, store.ErrKeyReused) {
			t.Fatalf("err = %v, want ErrKeyReused", err)
		}
	})
	t.Run("the key is scoped by role, sub, county or USCC, method and path", func(t *testing.T) {
		other := func(change func(*store.IdempotencyKey)) store.IdempotencyKey {
			o := k
			change(&o)
			return o
		}
		for _, other := range []store.IdempotencyKey{
			other(func(o *store.IdempotencyKey) { o.Sub = "officer-wuhua" }),
			other(func(o *store.IdempotencyKey) { o.Role = "city_officer" }),
			other(func(o *store.IdempotencyKey) { o.County = "530102" }),
			other(func(o *store.IdempotencyKey) { o.USCC = "91530100MA6K0000X1" }),
			other(func(o *store.IdempotencyKey) { o.Method = "PUT" }),
			other(func(o *store.IdempotencyKey) { o.Path = "/api/v1/applications/A2/county-review" }),
		} {
			if r, err := claim(other, "body-b"); r != nil || err != nil {
				t.Errorf("claim %+v = %+v, %v; want a fresh claim", other, r, err)
			}
		}
	})

	first := store.StoredResponse{Status: 200, ContentType: "application/json; charset=utf-8", Body: []byte(`{"stage":"city_review"}`)}
	if err := st.CompleteIdempotencyKey(ctx, k, first); err != nil {
		t.Fatal(err)
	}
	t.Run("same key and body after completion: the stored response", func(t *testing.T) {
		r, err := claim(k, "body-a")
		if err != nil || r == nil || r.Status != first.Status || r.ContentType != first.ContentType || string(r.Body) != string(first.Body) {
			t.Fatalf("claim = %+v, %v; want %+v", r, err, first)
		}
	})
	t.Run("same key, other body after completion: reused", func(t *testing.T) {
		if _, err := claim(k, "body-b"); !errors.Is(err, store.ErrKeyReused) {
			t.Fatalf("err = %v, want ErrKeyReused", err)
		}
	})
	t.Run("release does not forget a completed key", func(t *testing.T) {
		if err := st.ReleaseIdempotencyKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		if r, err := claim(k, "body-a"); err != nil || r == nil {
			t.Fatalf("claim = %+v, %v; want the stored response", r, err)
		}
	})
	t.Run("release after a passing failure lets the retry claim the key", func(t *testing.T) {
		k2 := k
		k2.Key = "k-2"
		if r, err := claim(k2, "body-c"); r != nil || err != nil {
			t.Fatalf("claim = %+v, %v", r, err)
		}
		if err := st.ReleaseIdempotencyKey(ctx, k2); err != nil {
			t.Fatal(err)
		}
		if r, err := claim(k2, "body-c"); r != nil || err != nil {
			t.Fatalf("retry claim = %+v, %v; want nil, nil", r, err)
		}
	})
}

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// schedule2027 is a made-up official notice for 2027 whose 春节 block runs
// to 2027-02-11, one day longer than the statutory computation gives.
func schedule2027(t *testing.T) calendar.Schedule {
	var off []calendar.Date
	for _, s := range []string{"2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"} {
		off = append(off, date(t, s))
	}
	return calendar.Schedule{Year: 2027, Off: off, Work: []calendar.Date{date(t, "2027-02-20")},
		Notice: "国务院办公厅关于2027年部分节假日安排的通知（测试）"}
}

// RULES §5 and ARCHITECTURE "A calendar revision": a revision's version is
// seen only with its schedule. A reader while the revision's transaction is
// still open — a deadline computed, the fan-out, the starter's sweep — gets
// the version before it and the calendar before it, never the new number on
// the old schedule (which it would cache as the new one).
func TestCalendarVersionIsSeenOnlyWithItsRevision(t *testing.T) {
	st := testenv.Store(t)
	cals := &store.Calendars{Store: st}
	before, err := st.CalendarVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Hold the audit chain's lock, so the revision waits at its audit row,
	// after it has advanced the version and stored the schedule.
	holder, err := st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('audit_log'))`); err != nil {
		t.Fatal(err)
	}
	saved := make(chan error, 1)
	var version int
	go func() {
		var err error
		version, _, err = st.SaveCalendarYear(ctx, schedule2027(t), time.Now(), "root", "admin")
		saved <- err
	}()
	testenv.Eventually(t, 10*time.Second, "the revision waits at its audit row", func() error {
		var waiting bool
		err := st.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
			WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted)`).Scan(&waiting)
		if err == nil && !waiting {
			err = errors.New("not waiting yet")
		}
		return err
	})
	if v, err := st.CalendarVersion(ctx); err != nil || v != before {
		t.Errorf("version %d (%v) while the revision is open, want %d", v, err, before)
	}
	cal, err := cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Version() != before || !cal.Provisional(2027) {
		t.Errorf("calendar in force while the revision is open: version %d, provisional(2027) %v; want %d, true", cal.Version(), cal.Provisional(2027), before)
	}

	if err := holder.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-saved; err != nil {
		t.Fatal(err)
	}
	cal, err = cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Version() != version || version != before+1 || cal.Provisional(2027) {
		t.Errorf("after the commit: version %d (saved as %d), provisional(2027) %v; want %d, false", cal.Version(), version, cal.Provisional(2027), before+1)
	}
}

// RULES §5 and §6: a county's local off day added twice is one revision:
// the second changes nothing, so it neither advances the version (which
// would have every process with a deadline in that county re-read) nor
// writes an audit row.
func TestACountyOffDayAddedTwiceIsOneRevision(t *testing.T) {
	st := testenv.Store(t)
	day := date(t, "2027-03-15")
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai)
	for range 2 {
		if _, err := st.AddCountyOffDay(ctx, "530126", day, "测试用地方假日", at, "root", "admin"); err != nil {
			t.Fatal(err)
		}
	}
	var audited int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'calendar.county_off_day'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if v, err := st.CalendarVersion(ctx); err != nil || v != 1 || audited != 1 {
		t.Errorf("version %d (%v), %d audit rows; want 1 and 1", v, err, audited)
	}
}

// RULES §5: a year without an official notice is provisional; loading the
// notice advances the calendar version, the calendar in force picks it up,
// and the load is audited (RULES §6).
func TestLoadingAYearReplacesTheProvisionalCalendar(t *testing.T) {
	st := testenv.Store(t)
	cals := &store.Calendars{Store: st}
	from := date(t, "2027-02-04")
	cal, err := cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Version() != 0 || !cal.Provisional(2027) {
		t.Fatalf("fresh database: version %d, provisional(2027) %v; want 0, true", cal.Version(), cal.Provisional(2027))
	}
	if d, _ := cal.AddWorkdays(from, 1); d != date(t, "2027-02-11") {
		t.Fatalf("statutory 2027: 1 working day after %s = %s, want 2027-02-11", from, d)
	}

	at := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai)
	v1, _, err := st.SaveCalendarYear(ctx, schedule2027(t), at, "root", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 {
		t.Fatalf("version after the first load = %d, want ≥ 1", v1)
	}
	cal, err = cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Version() != v1 || cal.Provisional(2027) {
		t.Errorf("after the load: version %d, provisional(2027) %v; want %d, false", cal.Version(), cal.Provisional(2027), v1)
	}
	if d, _ := cal.AddWorkdays(from, 1); d != date(t, "2027-02-12") {
		t.Errorf("official 2027: 1 working day after %s = %s, want 2027-02-12", from, d)
	}
	if !cal.IsWorkday(date(t, "2027-02-20")) {
		t.Error("the adjusted working Saturday 2027-02-20 is not a working day")
	}

	t.Run("reloading the year gives the next version", func(t *testing.T) {
		sch := schedule2027(t)
		sch.Off = sch.Off[:len(sch.Off)-1] // the notice is corrected: 02-11 is a working day again
		v2, _, err := st.SaveCalendarYear(ctx, sch, at.Add(time.Hour), "root", "admin")
		if err != nil || v2 <= v1 {
			t.Fatalf("second load = %d, %v; want a version above %d", v2, err, v1)
		}
		cal, err := cals.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := cal.AddWorkdays(from, 1); cal.Version() != v2 || d != date(t, "2027-02-11") {
			t.Errorf("after the reload: version %d, date %s; want %d, 2027-02-11", cal.Version(), d, v2)
		}
	})
	t.Run("the same schedule loaded again changes nothing", func(t *testing.T) {
		cal, err := cals.Current(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sch := schedule2027(t)
		sch.Off = sch.Off[:len(sch.Off)-1] // as the reload above left it
		slices.Reverse(sch.Off)            // listed in another order
		v, changed, err := st.SaveCalendarYear(ctx, sch, at.Add(2*time.Hour), "root", "admin")
		if err != nil || changed || v != cal.Version() {
			t.Fatalf("identical load = %d, changed %v, %v; want the version in force %d, unchanged", v, changed, err, cal.Version())
		}
		if now, err := st.CalendarVersion(ctx); err != nil || now != cal.Version() {
			t.Errorf("calendar version after an identical load = %d (%v), want %d", now, err, cal.Version())
		}
	})
	t.Run("RULES §6: every calendar edit is audited", func(t *testing.T) {
		rows, err := st.AuditFor(ctx, "calendar_year", "2027")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Action != "calendar.load_year" || rows[0].Actor != "root" || rows[0].Role != "admin" {
			t.Fatalf("audit rows = %+v", rows)
		}
		var after struct {
			CalendarVersion int `json:"calendar_version"`
		}
		if err := json.Unmarshal(rows[0].After, &after); err != nil || after.CalendarVersion != v1 {
			t.Errorf("first load's audit after = %s, want calendar_version %d", rows[0].After, v1)
		}
		if n, brk, err := st.VerifyAudit(ctx); err != nil || brk != nil || n != 2 {
			t.Errorf("VerifyAudit = %d, %+v, %v", n, brk, err)
		}
	})
}

// RULES §5 and §6: a year the calendar has built in (2026) loaded as it is
// changes nothing; loaded with a correction, its audit row keeps the
// built-in schedule as what the load replaced.
func TestLoadingABuiltInYearAuditsWhatItReplaced(t *testing.T) {
	st := testenv.Store(t)
	embedded, ok := calendar.Default().Schedule(2026)
	if !ok {
		t.Fatal("no built-in schedule for 2026")
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai)
	v, changed, err := st.SaveCalendarYear(ctx, embedded, at, "root", "admin")
	if err != nil || changed || v != 0 {
		t.Fatalf("the built-in 2026 loaded as it is = %d, changed %v, %v; want 0, unchanged", v, changed, err)
	}
	if rows, err := st.AuditFor(ctx, "calendar_year", "2026"); err != nil || len(rows) != 0 {
		t.Fatalf("audit rows after a load that changed nothing = %d (%v), want none", len(rows), err)
	}

	corrected := embedded
	corrected.Notice += "（更正）"
	v, changed, err = st.SaveCalendarYear(ctx, corrected, at, "root", "admin")
	if err != nil || !changed || v != 1 {
		t.Fatalf("a corrected 2026 = %d, changed %v, %v; want version 1, changed", v, changed, err)
	}
	rows, err := st.AuditFor(ctx, "calendar_year", "2026")
	if err != nil || len(rows) != 1 {
		t.Fatalf("audit rows = %d (%v), want 1", len(rows), err)
	}
	var raw []byte
	if err := st.Pool().QueryRow(ctx, `SELECT before FROM audit_log WHERE id = $1`, rows[0].ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var before calendar.Schedule
	if err := json.Unmarshal(raw, &before); err != nil || !before.Equal(embedded) {
		t.Errorf("the load's audit before = %s (%v), want the built-in schedule", raw, err)
	}
}

// RULES §5 (全国年节及纪念日放假办法 第四条): a county's local off day changes
// that county's working days only.
func TestCountyOffDayChangesOnlyThatCounty(t *testing.T) {
	st := testenv.Store(t)
	cals := &store.Calendars{Store: st}
	day := date(t, "2027-03-03") // a Wednesday
	before, err := cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCountyOffDay(ctx, "530126", day, "火把节（测试）", time.Now(), "root", "admin"); err != nil {
		t.Fatal(err)
	}
	cal, err := cals.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Version() <= before.Version() {
		t.Errorf("version %d after a county off day, want above %d", cal.Version(), before.Version())
	}
	cases := []struct {
		county  string
		workday bool
	}{
		{"530126", false},
		{"530102", true},
		{"", true}, // the city calendar
	}
	for _, tc := range cases {
		if got := cal.ForCounty(tc.county).IsWorkday(day); got != tc.workday {
			t.Errorf("county %q: IsWorkday(%s) = %v, want %v", tc.county, day, got, tc.workday)
		}
	}
	if d, _ := cal.ForCounty("530126").AddWorkdays(date(t, "2027-03-02"), 1); d != date(t, "2027-03-04") {
		t.Errorf("530126: 1 working day after 2027-03-02 = %s, want 2027-03-04", d)
	}
	if rows, err := st.AuditFor(ctx, "calendar_county", "530126"); err != nil || len(rows) != 1 {
		t.Errorf("audit rows for the county = %+v, %v; want one", rows, err)
	}
}

// RELIABILITY (an outage delays, never hangs): a database that takes the
// connection and then says nothing — a partition, a server stuck starting
// — fails a connection attempt in seconds, so a request answers 503 and a
// process's attempt is retried, instead of waiting for their own deadline.
func TestAServerThatNeverAnswersFailsTheConnectionInSeconds(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// Never accepted: the kernel completes the connection into the
	// listener's backlog, and nothing ever answers the client's start-up.
	t.Cleanup(func() { l.Close() })
	st, err := store.Open(ctx, "postgres://laborbrand@"+l.Addr().String()+"/laborbrand?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	outer, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := st.Ping(outer); err == nil {
		t.Fatal("Ping succeeded against a server that never answers")
	}
	if outer.Err() != nil {
		t.Errorf("Ping waited for its caller's deadline: the connection has no timeout of its own")
	}
}
