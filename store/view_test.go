package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// A view reads its parts in one batch (store/batch.go). A record that does
// not exist is ErrNotFound — the API's 404 (docs/API.md, errors) — and a
// view read after it on the same pool is whole, its empty parts empty lists
// ([] in JSON), not nil.
func TestViewOfAnUnknownRecordIsNotFound(t *testing.T) {
	st := testenv.Store(t)
	if _, err := st.GetApplicationView(ctx, "A-NOBODY", store.ViewOptions{Form: true}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("application view: err = %v, want ErrNotFound", err)
	}
	for _, forHolder := range []bool{false, true} {
		if _, err := st.GetBrandView(ctx, "B-NOBODY", forHolder); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("brand view (for the holder: %v): err = %v, want ErrNotFound", forHolder, err)
		}
	}

	// An imported brand (no application) with nothing on record yet.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, name, status, county_code, category, brand_type, unit_name,
		uscc, admitted_on, updated_at, name_key) VALUES ('B-EMPTY', '空白品牌', 'active', '530102', 'manufacturing', 'regional',
		'空白品牌协会', '51530102MJ0000000X', '2024-06-01', now(), 'b-empty')`); err != nil {
		t.Fatal(err)
	}
	v, err := st.GetBrandView(ctx, "B-EMPTY", false)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != "B-EMPTY" || v.Name != "空白品牌" || v.AdmittedOn != "2024-06-01" {
		t.Errorf("brand row = %q %q %q", v.ID, v.Name, v.AdmittedOn)
	}
	if v.Findings == nil || v.Evaluations == nil || v.SignedForms == nil || v.Changes == nil || v.Reports == nil || v.History == nil {
		t.Errorf("a part is nil, want empty: findings %v evaluations %v signed %v changes %v reports %v history %v",
			v.Findings == nil, v.Evaluations == nil, v.SignedForms == nil, v.Changes == nil, v.Reports == nil, v.History == nil)
	}
	holder, err := st.GetBrandView(ctx, "B-EMPTY", true)
	if err != nil {
		t.Fatal(err)
	}
	if holder.Reports != nil {
		t.Errorf("the holder's view reads the reports: %v", holder.Reports)
	}
}

// A brand's history grows with every step for as long as it is in the
// library; its view shows the latest 200 in time order and counts them all
// (docs/API.md, brand view), and a holder's view neither shows nor counts
// the steps that say reports wait for triage or that one was dismissed
// (RULES §4 and §6: reporters are protected).
func TestBrandViewShowsTheLatestHistory(t *testing.T) {
	st := testenv.Store(t)
	bareBrand(t, st, "B-LONG", "2016-06-01")
	// 260 steps a day apart; every tenth says reports wait for triage or
	// that one was dismissed, in turn.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key)
		SELECT 'B-LONG', timestamptz '2016-06-01 09:00+08' + n * interval '1 day', 'system', 'system',
		       CASE WHEN n % 20 = 0 THEN 'report.dismissed' WHEN n % 10 = 0 THEN 'reports.waiting' ELSE 'step' END,
		       'n' || n, 'b-long-' || n
		FROM generate_series(1, 260) n`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		forHolder     bool
		total         int
		first, latest string
	}{
		{forHolder: false, total: 260, first: "n61", latest: "n260"},
		{forHolder: true, total: 234, first: "n38", latest: "n259"},
	} {
		v, err := st.GetBrandView(ctx, "B-LONG", c.forHolder)
		if err != nil {
			t.Fatal(err)
		}
		if v.HistoryTotal != c.total || len(v.History) != 200 {
			t.Fatalf("for the holder %v: %d entries of %d, want 200 of %d", c.forHolder, len(v.History), v.HistoryTotal, c.total)
		}
		if v.History[0].Note != c.first || v.History[199].Note != c.latest {
			t.Errorf("for the holder %v: entries %s … %s, want %s … %s", c.forHolder, v.History[0].Note, v.History[199].Note, c.first, c.latest)
		}
		for i, h := range v.History {
			if i > 0 && h.At.Before(v.History[i-1].At) {
				t.Fatalf("for the holder %v: entry %d (%s) before the one above it", c.forHolder, i, h.Note)
			}
			if c.forHolder && (h.Action == "reports.waiting" || h.Action == "report.dismissed") {
				t.Errorf("the holder sees a report: %s %s", h.Action, h.Note)
			}
		}
	}
}

// A calendar revision's step names the deadlines it moved; for a holder it
// names none of the triage of reports, one that moved only that is not in
// the holder's history at all, and the brand's updated_at is the time of
// the holder's newest step (RULES §6: reporters are protected).
func TestBrandViewHidesTheTriageDeadlineARevisionMoved(t *testing.T) {
	st := testenv.Store(t)
	bareBrand(t, st, "B-REV", "2024-06-01")
	const head = "节假日安排更新，期限重新计算："
	notes := []string{
		head + "report_triage:R1 → 2026-10-09",
		head + "rectification → 2026-10-12；report_triage:R1 → 2026-10-09；evaluation_report → 2026-06-30",
		head + "rectification → 2026-10-13",
		head + "report_triage:R2 → 2026-10-20",
	}
	for i, n := range notes {
		if _, err := st.Pool().Exec(ctx, `INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key)
			VALUES ('B-REV', timestamptz '2026-09-01 09:00+08' + $1 * interval '1 day', 'system', 'system',
			'deadlines.recomputed', $2, 'b-rev-' || $1)`, i, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE brands SET updated_at = timestamptz '2026-09-04 09:00+08' WHERE id = 'B-REV'`); err != nil {
		t.Fatal(err)
	}
	officer, err := st.GetBrandView(ctx, "B-REV", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := historyNotes(officer); !slices.Equal(got, notes) {
		t.Errorf("the officer's history %q, want every step as written", got)
	}
	holder, err := st.GetBrandView(ctx, "B-REV", true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{head + "rectification → 2026-10-12；evaluation_report → 2026-06-30", notes[2]}
	if got := historyNotes(holder); !slices.Equal(got, want) || holder.HistoryTotal != 2 {
		t.Fatalf("the holder's history %q (total %d), want %q", got, holder.HistoryTotal, want)
	}
	// The last step, which the holder does not see, is not its last update.
	if newest := holder.History[len(holder.History)-1].At; !holder.UpdatedAt.Equal(newest) || holder.UpdatedAt.Equal(officer.UpdatedAt) {
		t.Errorf("the holder's updated_at %v, want its newest step's %v, not the row's %v", holder.UpdatedAt, newest, officer.UpdatedAt)
	}
}

// bareBrand puts a brand on record with no process and no steps, for the
// steps a test writes itself.
func bareBrand(t *testing.T, st *store.Store, id, admittedOn string) {
	t.Helper()
	if _, err := st.Pool().Exec(ctx, `INSERT INTO brands (id, name, status, county_code, category, brand_type, unit_name,
		uscc, admitted_on, updated_at, name_key) VALUES ($1, $1, 'active', '530102', 'manufacturing', 'regional',
		$1, $1, $2, now(), $1)`, id, admittedOn); err != nil {
		t.Fatal(err)
	}
}

func historyNotes(v store.BrandView) []string {
	var out []string
	for _, h := range v.History {
		out = append(out, h.Note)
	}
	return out
}

// At the bound and under it (docs/API.md, brand view): 200 steps are all
// shown, 201 leave out the oldest, and a short history's total is its
// length — for a holder, without the steps that say reports wait for
// triage.
func TestBrandViewHistoryAtTheBound(t *testing.T) {
	st := testenv.Store(t)
	for _, c := range []struct {
		id           string
		steps        int
		waiting      int // steps of those, from the first, that say reports wait for triage
		forHolder    bool
		shown, total int
		first        string
	}{
		{id: "B-200", steps: 200, shown: 200, total: 200, first: "n1"},
		{id: "B-201", steps: 201, shown: 200, total: 201, first: "n2"},
		{id: "B-FEW", steps: 5, waiting: 2, shown: 5, total: 5, first: "n1"},
		{id: "B-FEW", steps: 5, waiting: 2, forHolder: true, shown: 3, total: 3, first: "n3"},
	} {
		if !c.forHolder {
			bareBrand(t, st, c.id, "2024-06-01")
			if _, err := st.Pool().Exec(ctx, `INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key)
				SELECT $1, timestamptz '2024-06-01 09:00+08' + n * interval '1 hour', 'system', 'system',
				       CASE WHEN n <= $3 THEN 'reports.waiting' ELSE 'step' END, 'n' || n, $1 || '-' || n
				FROM generate_series(1, $2::int) n`, c.id, c.steps, c.waiting); err != nil {
				t.Fatal(err)
			}
		}
		v, err := st.GetBrandView(ctx, c.id, c.forHolder)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.History) != c.shown || v.HistoryTotal != c.total {
			t.Errorf("%s for the holder %v: %d shown of %d, want %d of %d", c.id, c.forHolder, len(v.History), v.HistoryTotal, c.shown, c.total)
			continue
		}
		if v.History[0].Note != c.first || v.History[c.shown-1].Note != fmt.Sprintf("n%d", c.steps) {
			t.Errorf("%s for the holder %v: entries %s … %s, want %s … n%d", c.id, c.forHolder,
				v.History[0].Note, v.History[c.shown-1].Note, c.first, c.steps)
		}
	}
}

// An application's view shows its latest 200 history entries and 100
// objections, open ones first, and counts them all (docs/API.md,
// application view); only an application with more than it shows pays for
// the counts, and the counts are the same either way.
func TestApplicationViewListsAtTheirBounds(t *testing.T) {
	st := testenv.Store(t)
	exec(t, st, `INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
		VALUES ('R-BOUND', '2026年第一批', '2026-03-01', '2026-04-30', now(), 't')`)
	for _, c := range []struct {
		id                        string
		steps, objections, open   int
		shownSteps, shownObjected int
		firstStep                 string
	}{
		{id: "A-200", steps: 200, objections: 100, open: 30, shownSteps: 200, shownObjected: 100, firstStep: "n1"},
		{id: "A-201", steps: 201, objections: 101, open: 30, shownSteps: 200, shownObjected: 100, firstStep: "n2"},
		{id: "A-FEW", steps: 3, objections: 4, open: 1, shownSteps: 3, shownObjected: 4, firstStep: "n1"},
	} {
		exec(t, st, fmt.Sprintf(`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code,
			unit_name, uscc, form, eligibility, submitted_at, submitted_by, updated_at, name_key)
			VALUES ('%[1]s', 'R-BOUND', 'public_notice', '%[1]s', 'enterprise', 'manufacturing', '530102', 'u', '%[1]s',
			'{}', '[]', '2026-03-02 09:00+08', 't', now(), '%[1]s')`, c.id),
			fmt.Sprintf(`INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key)
			SELECT '%[1]s', timestamptz '2026-03-02 09:00+08' + n * interval '1 hour', 's', 'system', 'step', 'n' || n, '%[1]s-' || n
			FROM generate_series(1, %[2]d) n`, c.id, c.steps),
			// The last c.open objections are open; the others ruled, a draft besides.
			fmt.Sprintf(`INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, status,
			ruling_due, ruled_at, created_at)
			SELECT '%[1]s-O' || n, '%[1]s', 'public', '2026-04-01', 'x', 'x', 'x', 'x',
			       CASE WHEN n > %[2]d - %[3]d THEN 'open' ELSE 'dismissed' END, '2026-04-10',
			       CASE WHEN n > %[2]d - %[3]d THEN NULL ELSE timestamptz '2026-04-05 09:00+08' + n * interval '1 minute' END,
			       timestamptz '2026-04-01 09:00+08' + n * interval '1 minute'
			FROM generate_series(1, %[2]d) n`, c.id, c.objections, c.open),
			fmt.Sprintf(`INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at)
			VALUES ('%[1]s-DRAFT', '%[1]s', 'public', '2026-04-01', 'x', 'x', 'x', 'x', now())`, c.id))

		v, err := st.GetApplicationView(ctx, c.id, store.ViewOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.History) != c.shownSteps || v.HistoryTotal != c.steps {
			t.Errorf("%s: %d entries shown of %d, want %d of %d", c.id, len(v.History), v.HistoryTotal, c.shownSteps, c.steps)
		} else if v.History[0].Note != c.firstStep || v.History[len(v.History)-1].Note != fmt.Sprintf("n%d", c.steps) {
			t.Errorf("%s: entries %s … %s, want %s … n%d", c.id, v.History[0].Note, v.History[len(v.History)-1].Note, c.firstStep, c.steps)
		}
		if len(v.Objections) != c.shownObjected || v.ObjectionsTotal != c.objections || v.ObjectionsOpen != c.open {
			t.Errorf("%s: %d objections shown of %d, %d open; want %d of %d, %d open", c.id, len(v.Objections),
				v.ObjectionsTotal, v.ObjectionsOpen, c.shownObjected, c.objections, c.open)
		}
		for i, o := range v.Objections {
			if (i < c.open) != (o.Ruling == nil) {
				t.Errorf("%s: objection %d (%s) out of order: open ones first", c.id, i, o.ID)
				break
			}
		}
	}
}
