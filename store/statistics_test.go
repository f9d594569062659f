package store_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// exec runs seed statements, failing the test on the first error.
func exec(t testing.TB, st *store.Store, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := st.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

// Issue 14 item 5: each figure counted from the records it summarises — a
// round of four applications in two counties, four brands on four rungs of
// the ladder, objections, decisions, escalated deadlines and an overdue task.
func TestStatisticsCountTheRecords(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'admitted', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '甲'),
			('A2', 'R1', 'rejected', '乙', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U2', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '乙'),
			('A3', 'R1', 'county_review', '丙', 'regional', 'planting_breeding', '530181', 'u', 'U3', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '丙'),
			('A4', 'R1', 'returned', '丁', 'regional', 'planting_breeding', '530181', 'u', 'U4', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '丁')`,
		// 初审 stays of 10, 4 and 2 days (A3's is open); 复审 10 days; 公示 to admission 7 days.
		`INSERT INTO application_events (application_id, at, actor, role, action, dedupe_key) VALUES
			('A1', '2026-03-02 09:00+08', 's', 'system', 'county_review.opened', 'e1'),
			('A1', '2026-03-12 09:00+08', 'o', 'county_officer', 'county_review.approve', 'e2'),
			('A1', '2026-03-22 09:00+08', 'c', 'city_officer', 'city_review.approve', 'e3'),
			('A1', '2026-03-29 09:00+08', 's', 'system', 'admitted', 'e4'),
			('A2', '2026-03-02 09:00+08', 's', 'system', 'county_review.opened', 'e5'),
			('A2', '2026-03-06 09:00+08', 'o', 'county_officer', 'county_review.reject', 'e6'),
			('A3', '2026-03-02 09:00+08', 's', 'system', 'county_review.opened', 'e7'),
			('A4', '2026-03-02 09:00+08', 's', 'system', 'county_review.opened', 'e8'),
			('A4', '2026-03-04 09:00+08', 'o', 'county_officer', 'county_review.return', 'e9')`,
		`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, rectification, name_key) VALUES
			('B1', 'A1', '甲', 'active', '530126', 'culture_tourism_crafts', 'enterprise', 'u', 'U1', '2026-03-29', now(), NULL, 'k' || random()),
			('B2', NULL, '戊', 'rectifying', '530126', 'culture_tourism_crafts', 'enterprise', 'u', 'U5', '2024-05-10', now(), '{"level": 2}', 'k' || random()),
			('B3', NULL, '己', 'suspended', '530181', 'planting_breeding', 'regional', 'u', 'U6', '2024-05-10', now(), NULL, 'k' || random()),
			('B4', NULL, '庚', 'removed', '530181', 'planting_breeding', 'regional', 'u', 'U7', '2024-05-10', now(), NULL, 'k' || random())`,
		`INSERT INTO brand_events (brand_id, at, actor, role, action, dedupe_key) VALUES
			('B2', '2026-03-10 09:00+08', 'o', 'county_officer', 'interview.held', 'b1'),
			('B3', '2026-03-11 09:00+08', 'c', 'city_officer', 'suspension.decided', 'b2'),
			('B3', '2026-03-13 09:00+08', 'c', 'city_officer', 'renewal.decided', 'b3')`, // a renewal is the city's decision too
		`INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, status, created_at) VALUES
			('O1', 'A1', 'public', '2026-03-23', 'n', 'c', 'x', 'e', 'dismissed', '2026-03-23 10:00+08'),
			('O2', 'A1', 'public', '2026-03-24', 'n', 'c', 'x', 'e', 'dismissed', '2026-03-24 10:00+08'),
			('O3', 'A1', 'mail', '2026-03-24', 'n', 'c', 'x', 'e', 'upheld', '2026-03-25 10:00+08'),
			('O4', 'A1', 'public', '2026-03-24', 'n', 'c', 'x', 'e', 'draft', '2026-03-25 10:00+08')`,
		// A3's 初审 escalated twice (one missed deadline of 530181, still open), A1's 复审 once (the city's, decided
		// late), and B2's rectification, a holder's deadline, which is no office's.
		`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at) VALUES
			('x1', 'escalation', 'county_officer', '530181', 'application', 'A3', 't', 'b', '2026-03-30', now()),
			('x2', 'escalation', 'supervisor', '530181', 'application', 'A3', 't', 'b', '2026-03-30', now()),
			('x3', 'escalation', 'county_officer', '530181', 'application', 'A3', 't', 'b', '2026-03-30', now()),
			('x4', 'escalation', 'city_officer', '530126', 'application', 'A1', 't', 'b', '2026-03-20', now()),
			('x5', 'escalation', 'applicant', '530126', 'brand', 'B2', 't', 'b', '2026-03-20', now()),
			('x6', 'escalation', 'county_officer', '530126', 'brand', 'B2', 't', 'b', '2026-03-20', now()),
			('x7', 'reminder', 'county_officer', '530126', 'application', 'A2', 't', 'b', '2026-03-20', now())`,
		`INSERT INTO tasks (object_type, object_id, kind, audience, county_code, brand_name, due, due_at, provisional) VALUES
			('application', 'A3', 'county_review', 'county_officer', '530181', '丙', '2026-03-30', '2026-03-31 00:00+08', false),
			('application', 'A3', 'county_review', 'supervisor', '530181', '丙', '2026-03-30', '2026-03-31 00:00+08', false)`,
	)
	now := time.Date(2026, 4, 10, 10, 0, 0, 0, calendar.Shanghai)

	s, err := st.Statistics(ctx, store.StatisticsFilter{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, "brands by county × category × status", s.Brands, `[
		{"county_code":"530126","category":"culture_tourism_crafts","status":"active","count":1},
		{"county_code":"530126","category":"culture_tourism_crafts","status":"rectifying","count":1},
		{"county_code":"530181","category":"planting_breeding","status":"removed","count":1},
		{"county_code":"530181","category":"planting_breeding","status":"suspended","count":1}]`)
	slices.SortFunc(s.Ladder, func(a, b store.LadderCount) int { return cmpString(a.Level, b.Level) })
	wantJSON(t, "第十五条 ladder", s.Ladder, `[{"level":"active","count":1},{"level":"level_2","count":1},
		{"level":"removed","count":1},{"level":"suspended","count":1}]`)
	wantJSON(t, "applications by round and stage", s.Applications, `[
		{"round_id":"R1","round_name":"2026年第一批","stage":"admitted","count":1},
		{"round_id":"R1","round_name":"2026年第一批","stage":"county_review","count":1},
		{"round_id":"R1","round_name":"2026年第一批","stage":"rejected","count":1},
		{"round_id":"R1","round_name":"2026年第一批","stage":"returned","count":1}]`)
	wantJSON(t, "pass rates: approvals over verdicts, returns aside", s.Reviews, `[
		{"review":"county_review","approved":1,"rejected":1,"returned":1,"pass_rate":0.5},
		{"review":"city_review","approved":1,"rejected":0,"returned":0,"pass_rate":1}]`)
	wantJSON(t, "objections by way and outcome, drafts aside", s.Objections, `[
		{"via":"mail","status":"upheld","count":1},{"via":"public","status":"dismissed","count":2}]`)
	wantJSON(t, "deadlines per office", s.Deadlines, `[
		{"office":"city","decided":3,"met":2,"missed":1,"overdue_now":0,"met_rate":0.6666666666666666},
		{"office":"530126","decided":3,"met":3,"missed":0,"overdue_now":0,"met_rate":1},
		{"office":"530181","decided":1,"met":1,"missed":1,"overdue_now":1,"met_rate":0.5}]`)
	if len(s.StageDays) != 3 {
		t.Fatalf("stage days %+v", s.StageDays)
	}
	for i, want := range []store.StageDays{{Stage: "county_review", Stays: 3, Median: 4, P90: 8.8},
		{Stage: "city_review", Stays: 1, Median: 10, P90: 10}, {Stage: "public_notice", Stays: 1, Median: 7, P90: 7}} {
		got := s.StageDays[i]
		if got.Stage != want.Stage || got.Stays != want.Stays || math.Abs(got.Median-want.Median) > 1e-9 || math.Abs(got.P90-want.P90) > 1e-9 {
			t.Errorf("days in %s: %+v, want %+v", want.Stage, got, want)
		}
	}
	if s.BrandsTotal != 4 || s.AdmittedIn != 4 {
		t.Errorf("brands %d, admitted in the period %d; want 4 and 4", s.BrandsTotal, s.AdmittedIn)
	}

	t.Run("a county sees its own figures", func(t *testing.T) {
		s, err := st.Statistics(ctx, store.StatisticsFilter{County: "530181", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if s.BrandsTotal != 2 || len(s.Applications) != 2 || s.Reviews[0].Returned != 1 || s.Reviews[0].Approved != 0 ||
			len(s.Objections) != 0 {
			t.Errorf("530181's figures: %+v", s)
		}
		// The city's decisions on the county's brands count for the city.
		wantJSON(t, "530181's deadlines", s.Deadlines, `[
			{"office":"city","decided":2,"met":2,"missed":0,"overdue_now":0,"met_rate":1},
			{"office":"530181","decided":1,"met":1,"missed":1,"overdue_now":1,"met_rate":0.5}]`)
	})
	t.Run("a year's flows are that year's; the brands are as they are now", func(t *testing.T) {
		s, err := st.Statistics(ctx, store.StatisticsFilter{Year: 2024, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if s.BrandsTotal != 4 || s.AdmittedIn != 3 || len(s.Applications) != 0 || s.Reviews[0].PassRate != nil ||
			len(s.Deadlines) != 0 || len(s.StageDays) != 0 {
			t.Errorf("2024's figures: %+v", s)
		}
	})
}

// RULES §1: a functional zone's 初审 is its reviewing bureau's, so the
// bureau's office counts the zone's decisions beside the zone's escalations
// and overdue tasks (met = decided − missed and no longer open); ?county=
// selects by where the application is, the zone itself.
func TestDecision_StatisticsCountAZonesDeadlinesUnderItsBureau(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO review_units (county_code, name, reviewer_code) VALUES ('530199', '昆明高新区', '530181')`,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('Z1', 'R1', 'city_review', '甲', 'enterprise', 'culture_tourism_crafts', '530199', 'u', 'U1', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '甲'),
			('Z2', 'R1', 'county_review', '乙', 'enterprise', 'culture_tourism_crafts', '530199', 'u', 'U2', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '乙')`,
		`INSERT INTO application_events (application_id, at, actor, role, action, dedupe_key) VALUES
			('Z1', '2026-03-31 09:00+08', 'o', 'county_officer', 'county_review.approve', 'e1')`,
		// Both 初审 escalated to the bureau: Z1's decided late, Z2's still open.
		`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at) VALUES
			('x1', 'escalation', 'county_officer', '530181', 'application', 'Z1', 't', 'b', '2026-03-30', now()),
			('x2', 'escalation', 'county_officer', '530181', 'application', 'Z2', 't', 'b', '2026-03-30', now())`,
		`INSERT INTO tasks (object_type, object_id, kind, audience, county_code, brand_name, due, due_at, provisional) VALUES
			('application', 'Z2', 'county_review', 'county_officer', '530181', '乙', '2026-03-30', '2026-03-31 00:00+08', false)`,
	)
	now := time.Date(2026, 4, 10, 10, 0, 0, 0, calendar.Shanghai)
	for county, want := range map[string]string{
		"":       `[{"office":"530181","decided":1,"met":0,"missed":2,"overdue_now":1,"met_rate":0}]`,
		"530199": `[{"office":"530181","decided":1,"met":0,"missed":2,"overdue_now":1,"met_rate":0}]`,
		"530181": `[]`, // the bureau's own county has no application here
	} {
		s, err := st.Statistics(ctx, store.StatisticsFilter{County: county, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON(t, "deadlines, county="+county, s.Deadlines, want)
	}
}

// RULES §3: the objections received on one day — or on days off whose
// ruling deadline is one day — share one ruling deadline, so the city's
// on-time figures count their rulings as one decision, not one per
// objection (nor twice for an upheld one), as its escalations are one.
func TestDecision_StatisticsCountADaysObjectionRulingsOnce(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'rejected', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '甲')`,
		// Saturday's and Sunday's objections share Monday's clock, and its due day.
		`INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, status, created_at, ruled_at, ruling_due) VALUES
			('O1', 'A1', 'public', '2026-03-21', 'n', 'c', 'x', 'e', 'dismissed', '2026-03-21 10:00+08', '2026-03-30 10:00+08', '2026-04-03'),
			('O2', 'A1', 'public', '2026-03-22', 'n', 'c', 'x', 'e', 'dismissed', '2026-03-22 11:00+08', '2026-03-30 10:05+08', '2026-04-03'),
			('O3', 'A1', 'mail', '2026-03-24', 'n', 'c', 'x', 'e', 'upheld', '2026-03-24 10:00+08', '2026-03-31 10:00+08', '2026-04-07'),
			('O4', 'A1', 'public', '2026-03-24', 'n', 'c', 'x', 'e', 'open', '2026-03-24 11:00+08', NULL, '2026-04-07')`,
		// The upheld ruling is recorded as the application's step too.
		`INSERT INTO application_events (application_id, at, actor, role, action, dedupe_key) VALUES
			('A1', '2026-03-30 10:00+08', 'c', 'city_officer', 'objection.ruled', 'ruling/O1'),
			('A1', '2026-03-30 10:05+08', 'c', 'city_officer', 'objection.ruled', 'ruling/O2'),
			('A1', '2026-03-31 10:00+08', 'c', 'city_officer', 'objection.ruled', 'ruling/O3'),
			('A1', '2026-03-31 10:00+08', 'c', 'city_officer', 'objection.upheld', 'e1')`,
	)
	s, err := st.Statistics(ctx, store.StatisticsFilter{Now: time.Date(2026, 4, 10, 10, 0, 0, 0, calendar.Shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, "the city's rulings: one per day of receipt", s.Deadlines,
		`[{"office":"city","decided":2,"met":2,"missed":0,"overdue_now":0,"met_rate":1}]`)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wantJSON compares v with the JSON want, white space aside.
func wantJSON(t *testing.T, what string, v any, want string) {
	t.Helper()
	raw, _ := json.Marshal(v)
	var g, w any
	json.Unmarshal(raw, &g)
	got, _ := json.Marshal(g)
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad want: %v", what, err)
	}
	canon, _ := json.Marshal(w)
	if string(got) != string(canon) {
		t.Errorf("%s:\n got %s\nwant %s", what, got, canon)
	}
}

// API.md statistics (met are the decisions made in time; public_notice
// until admission or rejection): every decision that concludes an office's
// deadline counts for that office — a change's opinion for the office that
// gave it, a report's triage (第十五条（六）) for the county — and a notice
// ended by an upheld objection (第十三条) is a stay like one ended by
// admission, whichever way its ruling was recorded.
func TestDecision_StatisticsCountChangesTriagesAndUpheldObjections(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'rejected', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '甲'),
			('A2', 'R1', 'rejected', '乙', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U2', '{}', '[]', '2026-03-02 09:00+08', 't', now(), '乙')`,
		// A1's notice ends by objection.upheld after 10 days; A2's, recorded
		// before that step, by the upheld ruling after 6 (its dismissed one
		// before that ends nothing).
		`INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key) VALUES
			('A1', '2026-03-10 09:00+08', 'c', 'city_officer', 'city_review.approve', '', 'e1'),
			('A1', '2026-03-20 09:00+08', 'c', 'city_officer', 'objection.ruled', '异议成立（异议 O1）', 'e2'),
			('A1', '2026-03-20 09:00+08', 'c', 'city_officer', 'objection.upheld', '异议成立，申请不予入库（异议 O1）', 'e3'),
			('A2', '2026-03-10 09:00+08', 'c', 'city_officer', 'city_review.approve', '', 'e4'),
			('A2', '2026-03-15 09:00+08', 'c', 'city_officer', 'objection.ruled', '异议不成立', 'e5'),
			('A2', '2026-03-16 09:00+08', 'c', 'city_officer', 'objection.ruled', '异议成立，申请不予入库', 'e6')`,
		`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, name_key) VALUES
			('B1', NULL, '戊', 'active', '530126', 'culture_tourism_crafts', 'enterprise', 'u', 'U5', '2024-05-10', now(), 'k' || random())`,
		// Two changes: one approved by the county then the city, one
		// refused by the county; a third refused by the city.
		`INSERT INTO brand_events (brand_id, at, actor, role, action, dedupe_key) VALUES
			('B1', '2026-03-05 09:00+08', 'o', 'county_officer', 'change.county_opinion', 'b1'),
			('B1', '2026-03-10 09:00+08', 'c', 'city_officer', 'change.approved', 'b2'),
			('B1', '2026-03-12 09:00+08', 'o', 'county_officer', 'change.refused', 'b3'),
			('B1', '2026-03-13 09:00+08', 'o', 'county_officer', 'change.county_opinion', 'b4'),
			('B1', '2026-03-14 09:00+08', 'c', 'city_officer', 'change.refused', 'b5')`,
		// Three reports triaged (dismissed, a finding, reported for
		// removal); one open, one closed by a removal: no decisions.
		`INSERT INTO reports (id, brand_id, county_code, content, evidence, contact, status, received_at, triaged_at) VALUES
			('R1', 'B1', '530126', 'x', '', '', 'dismissed', '2026-03-01 09:00+08', '2026-03-15 09:00+08'),
			('R2', 'B1', '530126', 'x', '', '', 'finding', '2026-03-01 09:00+08', '2026-03-16 09:00+08'),
			('R3', 'B1', '530126', 'x', '', '', 'removal_report', '2026-03-01 09:00+08', '2026-03-17 09:00+08'),
			('R4', 'B1', '530126', 'x', '', '', 'open', '2026-03-01 09:00+08', NULL),
			('R5', 'B1', '530126', 'x', '', '', 'closed', '2026-03-01 09:00+08', '2026-03-18 09:00+08')`,
		// The county's triage of R4, escalated and still open.
		`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at) VALUES
			('x1', 'escalation', 'county_officer', '530126', 'brand', 'B1', 't', 'b', '2026-03-20', now())`,
		`INSERT INTO tasks (object_type, object_id, kind, audience, county_code, brand_name, due, due_at, provisional) VALUES
			('brand', 'B1', 'report_triage:R4', 'county_officer', '530126', '戊', '2026-03-20', '2026-03-21 00:00+08', false)`,
	)
	s, err := st.Statistics(ctx, store.StatisticsFilter{Now: time.Date(2026, 4, 10, 10, 0, 0, 0, calendar.Shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	// The city's: the two changes' and the two 复审 approvals.
	wantJSON(t, "the offices' decisions", s.Deadlines, `[
		{"office":"city","decided":4,"met":4,"missed":0,"overdue_now":0,"met_rate":1},
		{"office":"530126","decided":6,"met":6,"missed":1,"overdue_now":1,"met_rate":0.8571428571428571}]`)
	if len(s.StageDays) != 1 || s.StageDays[0].Stage != "public_notice" || s.StageDays[0].Stays != 2 || s.StageDays[0].Median != 8 {
		t.Errorf("stage days %+v, want public_notice: 2 stays, median 8 days", s.StageDays)
	}
}

// API.md statistics (met are the decisions made in time): a decision made
// after its deadline was escalated is late in the year it is made, and its
// miss counts in the year its last day fell — one due on 2025-12-30 and
// made on 2026-01-06 takes nothing from 2025's decisions made in time, nor
// counts as made in time in 2026.
func TestDecision_StatisticsCountALateDecisionInTheYearItIsMade(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by) VALUES ('R1', '2025年第二批', '2025-11-01', '2025-12-31', now(), 't')`,
		`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc, form, eligibility,
			submitted_at, submitted_by, updated_at, name_key) VALUES
			('A1', 'R1', 'city_review', '甲', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U1', '{}', '[]', '2025-12-01 09:00+08', 't', now(), '甲'),
			('A2', 'R1', 'city_review', '乙', 'enterprise', 'culture_tourism_crafts', '530126', 'u', 'U2', '{}', '[]', '2025-12-01 09:00+08', 't', now(), '乙')`,
		// A2's 初审 in time in 2025; A1's due 2025-12-30, escalated, made 2026-01-06.
		`INSERT INTO application_events (application_id, at, actor, role, action, dedupe_key) VALUES
			('A2', '2025-12-10 09:00+08', 'o', 'county_officer', 'county_review.approve', 'e1'),
			('A1', '2026-01-06 09:00+08', 'o', 'county_officer', 'county_review.approve', 'e2')`,
		`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at) VALUES
			('x1', 'escalation', 'county_officer', '530126', 'application', 'A1', 't', 'b', '2025-12-30', now()),
			('x2', 'escalation', 'supervisor', '530126', 'application', 'A1', 't', 'b', '2025-12-30', now())`,
	)
	now := time.Date(2026, 2, 10, 10, 0, 0, 0, calendar.Shanghai)
	for year, want := range map[int]string{
		2025: `[{"office":"530126","decided":1,"met":1,"missed":1,"overdue_now":0,"met_rate":0.5}]`,
		2026: `[{"office":"530126","decided":1,"met":0,"missed":0,"overdue_now":0,"met_rate":null}]`,
	} {
		s, err := st.Statistics(ctx, store.StatisticsFilter{Year: year, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON(t, fmt.Sprint(year, "'s deadlines"), s.Deadlines, want)
	}
}

// API.md statistics (met are the decisions made in time): a late decision
// is the one that concludes the escalated deadline — a brand's report
// triage escalated and still open is not concluded by the county's opinion
// on a change of the same brand given in time after it; two of its
// deadlines escalated on one day are two misses.
func TestDecision_StatisticsMatchALateDecisionToItsOwnDeadline(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st,
		`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, name_key) VALUES
			('B1', NULL, '戊', 'active', '530126', 'culture_tourism_crafts', 'enterprise', 'u', 'U5', '2024-05-10', now(), 'k' || random())`,
		`INSERT INTO brand_events (brand_id, at, actor, role, action, dedupe_key) VALUES
			('B1', '2026-03-25 09:00+08', 'o', 'county_officer', 'change.county_opinion', 'b1')`,
		`INSERT INTO reports (id, brand_id, county_code, content, evidence, contact, status, received_at) VALUES
			('R4', 'B1', '530126', 'x', '', '', 'open', '2026-03-01 09:00+08')`,
		// R4's triage and the interview, both due 03-20 and escalated: each to the county, the supervisor and the city.
		`INSERT INTO outbox (dedupe_key, kind, audience, county_code, object_type, object_id, title, body, due, created_at) VALUES
			('brand-B1/report_triage:R4/2026-03-20/3/county_officer', 'escalation', 'county_officer', '530126', 'brand', 'B1', 't', 'b', '2026-03-20', now()),
			('brand-B1/report_triage:R4/2026-03-20/3/supervisor', 'escalation', 'supervisor', '530126', 'brand', 'B1', 't', 'b', '2026-03-20', now()),
			('brand-B1/report_triage:R4/2026-03-20/3/city_officer', 'escalation', 'city_officer', '530126', 'brand', 'B1', 't', 'b', '2026-03-20', now()),
			('brand-B1/interview/2026-03-20/3/county_officer', 'escalation', 'county_officer', '530126', 'brand', 'B1', 't', 'b', '2026-03-20', now())`,
	)
	s, err := st.Statistics(ctx, store.StatisticsFilter{Now: time.Date(2026, 4, 10, 10, 0, 0, 0, calendar.Shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, "the county's change opinion in time beside two escalated deadlines", s.Deadlines,
		`[{"office":"530126","decided":1,"met":1,"missed":2,"overdue_now":0,"met_rate":0.3333333333333333}]`)
}
