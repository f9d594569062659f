package workflows_test

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The model-based test of a brand's life (issue 17 item 4): random
// sequences of everything that can happen to a brand — findings of every
// level, lapses, interviews, confirmations, proposals and their decisions,
// removal reports, evaluation reports and assessments, change requests and
// their opinions, reports (举报) and their triage, calendar revisions,
// continue-as-new at every evaluation cycle — run in the time-skipping environment on the real
// activities and database, and after every step the state is checked
// against the rules of RULES §4 (brandInvariants) and against a reference
// model that predicts the open matters, the status and the suspension count
// from the steps applied and the lapses seen (refBrand). A failing sequence names
// its seed; rerun it alone with -model.seed, and keep it as a named test.
// The lives share one database, and so the county days off the earlier ones
// declared: a failure that needs them is rerun with the lives before it,
// -model.base and -model.runs (its message says which).
var (
	modelRuns = flag.Int("model.runs", 300, "random brand lives the model-based test runs")
	modelSeed = flag.Uint64("model.seed", 0, "run only this seed of the model-based test")
	modelBase = flag.Uint64("model.base", 0, "the first seed of the lives run (0: the clock's)")
	modelOps  = flag.Int("model.ops", 30, "steps in each random brand life")
)

func TestDecision_OpenMatters_RandomLivesKeepTheRules(t *testing.T) {
	st := testenv.Store(t)
	seeds := []uint64{*modelSeed}
	base := cmp.Or(*modelBase, uint64(time.Now().UnixNano()))
	if *modelSeed == 0 {
		seeds = seeds[:0]
		for i := range *modelRuns {
			seeds = append(seeds, base+uint64(i))
		}
	}
	started := time.Now()
	for i, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			if *modelSeed == 0 {
				t.Logf("with the lives before it: go test ./workflows -run TestDecision_OpenMatters_RandomLives -model.base=%d -model.runs=%d", base, i+1)
			}
			runModelLife(t, newModelHarness(t, st, i), seed, *modelOps)
		})
	}
	t.Logf("%d lives of %d steps in %s; steps applied/refused: %v", len(seeds), *modelOps, time.Since(started).Round(time.Millisecond), modelTally)
}

// readsInChinese says what of a history step a person would read as a code:
// its action without a name, or a code (snake_case) left in its note as the
// console shows it (workflows.StepNote). The lives' own words are Chinese.
func readsInChinese(e event) []string {
	var broken []string
	if workflows.ActionLabel(e.Action) == e.Action {
		broken = append(broken, "the action has no Chinese name")
	}
	if code := snakeCase.FindString(workflows.StepNote(e.Action, e.Note)); code != "" {
		broken = append(broken, "the note shows the code "+code)
	}
	return broken
}

var snakeCase = regexp.MustCompile(`[a-z]+_[a-z_]+`)

// Regression seeds found by the model-based test are kept here by name.

// newModelHarness is a brand harness for life n on a shared database: each
// life is a brand of its own.
func newModelHarness(t *testing.T, st *store.Store, n int) *brandHarness {
	admitted := "2024-01-15"
	in := workflows.BrandInput{BrandID: fmt.Sprintf("M%05d", n), ApplicationID: fmt.Sprintf("AM%05d", n), Name: fmt.Sprintf("随机品牌%d", n),
		BrandType: "regional", Category: "planting_breeding", CountyCode: "530181", UnitName: fmt.Sprintf("随机协会%d", n),
		USCC: fmt.Sprintf("515301%06dMJ000X", n), AdmittedOn: date(admitted), Policy: workflows.DefaultBrandPolicy}
	start := at(admitted, 9)
	seedBrand(t, st, in, start)
	return &brandHarness{t: t, store: st, in: in, start: start}
}

// modelWorld is where a random life happens: the time-skipping harness
// (brandHarness), or a brand on the dev server (liveBrand) whose histories
// are then replayed.
type modelWorld interface {
	testingT() *testing.T
	db() *store.Store
	brand() workflows.BrandInput
	businessNow() time.Time
	countyOfficer() workflows.Actor
	holder() workflows.Actor
	// tell sends a signal to the brand's process now.
	tell(signal string, arg any)
	// lostSignal records whether a report was filed whose signal was lost
	// and no read has happened since.
	lostSignal(bool)
}

// modelStep is one thing that happens to the brand, at a business instant:
// an Update to send, or (update "") something done directly — a report
// filed, a calendar revised — with the process told by its signal.
type modelStep struct {
	name string
	do   func(w modelWorld, id string, st workflows.BrandState) (update string, arg any)
}

var findingReasons = []string{"late_information", "logo_misuse", "unauthorized_plaque", "major_info_not_reported",
	"serious_dishonesty_list", "rectification_measures_inadequate"}

func modelSteps(rng *rand.Rand) []modelStep {
	city := cityOfficer()
	return []modelStep{
		{"finding", func(w modelWorld, id string, st workflows.BrandState) (string, any) {
			actor := w.countyOfficer()
			if rng.IntN(3) == 0 {
				actor = city
			}
			return workflows.UpdateFinding, workflows.FindingRequest{Actor: actor, FindingID: "F-" + id,
				Reason: findingReasons[rng.IntN(len(findingReasons))], Description: "随机发现的问题"}
		}},
		{"confirm", func(w modelWorld, _ string, _ workflows.BrandState) (string, any) {
			return workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: w.countyOfficer(), Note: "已整改"}
		}},
		{"interview", func(w modelWorld, _ string, _ workflows.BrandState) (string, any) {
			return workflows.UpdateInterview, workflows.InterviewRequest{Actor: w.countyOfficer(), HeldOn: calendar.DateOf(w.businessNow()), Note: "约谈"}
		}},
		{"suspension decision", func(modelWorld, string, workflows.BrandState) (string, any) {
			return workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: city, Suspend: rng.IntN(2) == 0, Reason: "随机决定"}
		}},
		{"removal report", func(w modelWorld, _ string, _ workflows.BrandState) (string, any) {
			return workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: w.countyOfficer(), Reasons: []string{"serious_violation"}, Description: "严重违法"}
		}},
		{"removal decision", func(modelWorld, string, workflows.BrandState) (string, any) {
			return workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: city, Remove: rng.IntN(8) == 0, Reason: "随机决定"}
		}},
		{"evaluation report", func(w modelWorld, id string, st workflows.BrandState) (string, any) {
			period := "2099-2101"
			if st.Evaluation != nil && st.Evaluation.ReportID == "" {
				period = st.Evaluation.Period
				fileEvaluationIn(w, "EV-"+id, period)
			}
			return workflows.UpdateEvaluationReport, workflows.EvaluationReportRequest{Actor: w.holder(), ReportID: "EV-" + id, Period: period}
		}},
		{"change request", func(w modelWorld, id string, _ workflows.BrandState) (string, any) {
			major := rng.IntN(2) == 0
			_, err := w.db().SaveChange(context.Background(), store.NewChange{ID: "C-" + id, BrandID: w.brand().BrandID,
				Changes: map[string]any{"contact_phone": "0871-" + id}, Reason: "随机变更", Major: major, RequestedAt: w.businessNow(), RequestedBy: "holder"})
			if err != nil {
				w.testingT().Fatal(err)
			}
			return workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: w.holder(), ChangeID: "C-" + id, Major: major}
		}},
		{"change opinion", func(w modelWorld, _ string, st workflows.BrandState) (string, any) {
			county := w.countyOfficer()
			change, actor := "C-none", county
			if len(st.Changes) > 0 {
				c := st.Changes[rng.IntN(len(st.Changes))]
				change = c.ID
				if c.Step == "city" {
					actor = city
				}
			}
			if rng.IntN(6) == 0 { // the wrong office, now and then
				actor = map[bool]workflows.Actor{true: city, false: county}[actor.Role == county.Role]
			}
			return workflows.UpdateChangeOpinion, workflows.ChangeOpinionRequest{Actor: actor, ChangeID: change, Approve: rng.IntN(3) > 0, Opinion: "随机审核意见"}
		}},
		{"report filed", func(w modelWorld, id string, st workflows.BrandState) (string, any) {
			if st.Status != workflows.BrandStatusRemoved {
				tell := rng.IntN(8) > 0 // now and then the signal is lost
				fileReportIn(w, "RP-"+id, tell)
				w.lostSignal(!tell) // a signal's read sees every report, the lost one's too
			}
			return "", nil
		}},
		{"report triage", func(w modelWorld, _ string, _ workflows.BrandState) (string, any) {
			report := someReportOf(w, rng)
			switch rng.IntN(6) {
			case 0, 1:
				return workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: w.countyOfficer(), ReportID: report,
					Action: workflows.TriageFinding, Reason: findingReasons[rng.IntN(len(findingReasons))], FindingID: "F-" + report, Note: "属实"}
			case 2:
				return workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: w.countyOfficer(), ReportID: report,
					Action: workflows.TriageRemovalReport, Reasons: []string{workflows.RemovalReasons[rng.IntN(len(workflows.RemovalReasons))]}, Note: "属实，报请移出"}
			}
			return workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: w.countyOfficer(), ReportID: report, Action: workflows.TriageDismiss, Note: "不属实"}
		}},
		{"calendar revised", func(w modelWorld, _ string, _ workflows.BrandState) (string, any) {
			reviseCalendarOf(w, rng)
			return "", nil
		}},
		{"assessment", func(_ modelWorld, _ string, st workflows.BrandState) (string, any) {
			report := "none"
			if st.Evaluation != nil && st.Evaluation.ReportID != "" {
				report = st.Evaluation.ReportID
			} else if len(st.Assessing) > 0 {
				report = st.Assessing[0].ReportID
			}
			outcome := []workflows.AssessmentOutcome{workflows.OutcomePass, workflows.OutcomeFindings, workflows.OutcomeRemovalProposed}[rng.IntN(3)]
			return workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: city, ReportID: report, Outcome: outcome, Opinion: "随机评估意见"}
		}},
	}
}

// runModelLife drives one random life: steps at random days from 2025 on,
// each followed two hours later by the check of every rule.
func runModelLife(t *testing.T, h *brandHarness, seed uint64, ops int) {
	t.Logf("seed %d (rerun: go test ./workflows -run TestDecision_OpenMatters_RandomLives -model.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	steps := modelSteps(rng)
	when := at("2025-02-03", 10)
	var log []string
	lastCount := 0
	// The reference model follows the steps applied and the lapses the
	// history shows (its system steps, read as they come).
	var ref refBrand
	seen := 0
	catchUp := func() {
		es := h.events()
		for i, e := range es[seen:] {
			if e.Role == "system" {
				ref.lapsed(e, es[seen+i+1:])
			}
			for _, broken := range readsInChinese(e) {
				t.Errorf("step %s %q: %s", e.Action, e.Note, broken)
			}
		}
		seen = len(es)
	}
	for i := range ops {
		when = when.Add(time.Duration(1+rng.IntN(45)) * 24 * time.Hour)
		step := steps[rng.IntN(len(steps))]
		id := fmt.Sprintf("%s-s%d", h.in.BrandID, i)
		h.later(when, func() {
			catchUp()
			st := h.state()
			name, arg := step.do(h, id, st)
			if name == "" {
				modelTally[step.name+" done"]++
				log = append(log, fmt.Sprintf("%s %s", h.env.Now().In(calendar.Shanghai).Format("2006-01-02"), step.name))
				return
			}
			h.send(id, name, arg, func(err error) {
				if err == nil && name == workflows.UpdateReportTriage {
					h.lostSignal(false) // a triage reads the reports again
				}
				outcome := "applied"
				if err == nil {
					ref.applied(arg)
				}
				if err != nil {
					if _, ok := anyRejection(err); !ok {
						t.Errorf("%s on %s: %v, want applied or refused", step.name, h.env.Now().In(calendar.Shanghai).Format("2006-01-02"), err)
					}
					outcome = "refused"
				}
				modelTally[step.name+" "+outcome]++
				log = append(log, fmt.Sprintf("%s %s %s", h.env.Now().In(calendar.Shanghai).Format("2006-01-02"), step.name, outcome))
			})
		})
		h.later(when.Add(2*time.Hour+offTheHour), func() {
			catchUp()
			st := h.state()
			for _, broken := range brandInvariants(st) {
				t.Errorf("after %q: %s", log, broken)
			}
			oldest, err := h.store.OldestOpenReport(context.Background(), h.in.BrandID)
			if err != nil {
				t.Fatal(err)
			}
			for _, broken := range ref.differences(st, oldest != nil, !h.untold) {
				t.Errorf("after %q: %s", log, broken)
			}
			for _, broken := range h.rowMatches(st) {
				t.Errorf("after %q: %s", log, broken)
			}
			for _, broken := range h.registerMatches(st) {
				t.Errorf("after %q: %s", log, broken)
			}
			if st.SuspensionCount < lastCount {
				t.Errorf("after %q: the suspension count went down from %d to %d", log, lastCount, st.SuspensionCount)
			}
			lastCount = st.SuspensionCount
		})
	}
	h.run(when.Add(24 * time.Hour).In(calendar.Shanghai).Format("2006-01-02"))
	decided := 0
	for _, a := range h.actions() {
		if strings.HasSuffix(a, " suspension.decided") || strings.HasSuffix(a, " renewal.decided") {
			decided++
		}
	}
	if final := h.row(); final.SuspensionCount != decided {
		t.Errorf("suspension count %d, but %d suspension and renewal decisions in the history", final.SuspensionCount, decided)
	}
}

// modelTally counts the steps applied and refused, to show what the lives
// exercised.
var modelTally = map[string]int{}

// anyRejection reports whether err is a refusal of any kind (a validator's
// or a handler's): the caller's 4xx, never a failure of the process.
func anyRejection(err error) (workflows.Rejection, bool) {
	for _, kind := range []string{workflows.RejectConflict, workflows.RejectInvalid, workflows.RejectForbidden} {
		if r, ok := rejection(err, kind); ok {
			return r, true
		}
	}
	return workflows.Rejection{}, false
}

// periods are the deadlines that are not matters: nobody acts on them.
var periods = []string{"evaluation_window", "suspension_end", "renewal_window"}

// brandInvariants lists every rule of RULES §4 st breaks.
func brandInvariants(st workflows.BrandState) []string {
	var broken []string
	fail := func(format string, a ...any) { broken = append(broken, fmt.Sprintf(format, a...)) }
	keys := map[string]bool{}
	for _, d := range st.Deadlines.Items {
		if keys[d.Key] {
			fail("deadline %s armed twice", d.Key)
		}
		keys[d.Key] = true
		base, id, _ := strings.Cut(d.Key, ":")
		known := slices.Contains(periods, base) || slices.Contains([]string{"rectification", "interview", "suspension_decision",
			"renewal_decision", "removal_decision", "evaluation_report", "evaluation_assessment", "change", "report_triage"}, base)
		if !known {
			fail("deadline %s belongs to no matter", d.Key)
		}
		switch {
		case base == "rectification" && id != "" && !slices.ContainsFunc(st.LateInformation, func(r workflows.Rectification) bool { return r.FindingID == id }):
			fail("deadline %s outlives its late-information order", d.Key)
		case base == "evaluation_assessment" && id != "" && !slices.ContainsFunc(st.Assessing, func(e workflows.Evaluation) bool { return e.ReportID == id }):
			fail("deadline %s outlives its evaluation", d.Key)
		case base == "change" && !slices.ContainsFunc(st.Changes, func(c workflows.ChangeState) bool { return c.ID == id }):
			fail("deadline %s outlives its change request", d.Key)
		}
	}
	for _, o := range st.LateInformation {
		if !keys["rectification:"+o.FindingID] {
			fail("late-information order %s has no deadline", o.FindingID)
		}
	}
	for _, e := range st.Assessing {
		if !keys["evaluation_assessment:"+e.ReportID] {
			fail("report %s awaiting assessment has no deadline", e.ReportID)
		}
	}
	for _, c := range st.Changes {
		if !keys["change:"+c.ID] {
			fail("change request %s (step %s) has no deadline", c.ID, c.Step)
		}
	}
	if st.Status == workflows.BrandStatusRemoved {
		if len(st.Deadlines.Items) > 0 || st.Pending != nil || len(st.Changes) > 0 {
			fail("removed, yet deadlines %v, pending %+v and change requests %+v remain", keysOf(st), st.Pending, st.Changes)
		}
		return broken
	}
	want := workflows.BrandStatusActive
	switch {
	case st.Suspension != nil:
		want = workflows.BrandStatusSuspended
	case st.Rectification != nil || len(st.LateInformation) > 0:
		want = workflows.BrandStatusRectifying
	}
	if st.Status != want {
		fail("status %s, want %s from its matters", st.Status, want)
	}
	r := st.Rectification
	if open := r != nil && r.WindowOpen; open != keys["rectification"] {
		fail("rectification window open %v, deadline armed %v", open, keys["rectification"])
	}
	if r != nil && !r.WindowOpen && !keys["interview"] && !keys["suspension_decision"] {
		fail("a level-%d order without its window waits for nothing (deadlines %v)", r.Level, keysOf(st))
	}
	if (st.Suspension != nil) != keys["suspension_end"] {
		fail("suspension %+v, its end armed %v", st.Suspension, keys["suspension_end"])
	}
	if keys["renewal_decision"] && st.Suspension == nil {
		fail("a renewal is due without a suspension")
	}
	if keys["renewal_window"] && (st.Suspension == nil || !keys["renewal_decision"]) {
		fail("a renewal window opens without a suspension and its renewal (deadlines %v)", keysOf(st))
	}
	if awaiting := st.Evaluation != nil && st.Evaluation.ReportID != ""; awaiting != keys["evaluation_assessment"] {
		fail("evaluation %+v awaiting assessment %v, its deadline armed %v", st.Evaluation, awaiting, keys["evaluation_assessment"])
	}
	if keys["evaluation_report"] && (st.Evaluation == nil || st.Evaluation.ReportID != "") {
		fail("a report is due without an open evaluation")
	}
	if !keys["evaluation_window"] {
		fail("no next evaluation window")
	}
	if got, want := pendingOf(st), mostUrgentDecision(st); got != want {
		fail("pending %q, want the decision due soonest, %q", got, want)
	}
	return broken
}

// mostUrgentDecision is "kind due" of the decision due soonest, as a
// reader of the rules would find it.
func mostUrgentDecision(st workflows.BrandState) string {
	kinds := map[string]string{"interview": "interview", "suspension_decision": "suspension", "renewal_decision": "suspension_renewal",
		"removal_decision": "removal", "evaluation_report": "evaluation_report", "evaluation_assessment": "evaluation_assessment"}
	var best *workflows.Deadline
	for _, d := range st.Deadlines.Items {
		base, _, _ := strings.Cut(d.Key, ":")
		if kinds[base] != "" && (best == nil || d.Value().DueAt.Before(best.Value().DueAt)) {
			best = d
		}
	}
	if best == nil {
		return ""
	}
	base, _, _ := strings.Cut(best.Key, ":")
	return kinds[base] + " " + best.Value().Due.String()
}

func keysOf(st workflows.BrandState) []string {
	var out []string
	for _, d := range st.Deadlines.Items {
		out = append(out, d.Key)
	}
	return out
}

// rowMatches compares the brand's PostgreSQL row with the process's state:
// what the API shows must be what the process holds.
func (h *brandHarness) rowMatches(st workflows.BrandState) []string {
	var broken []string
	r := h.row()
	if r.Status != st.Status || r.SuspensionCount != st.SuspensionCount {
		broken = append(broken, fmt.Sprintf("row %s × %d, process %s × %d", r.Status, r.SuspensionCount, st.Status, st.SuspensionCount))
	}
	var raw []byte
	if err := h.store.Pool().QueryRow(context.Background(), `SELECT open_matters FROM brands WHERE id = $1`, h.in.BrandID).Scan(&raw); err != nil {
		return append(broken, err.Error())
	}
	var matters []struct{ Kind, ID string }
	_ = json.Unmarshal(raw, &matters)
	var got, want []string
	for _, m := range matters {
		got = append(got, m.Kind+":"+m.ID)
	}
	for _, d := range st.Deadlines.Items {
		base, id, _ := strings.Cut(d.Key, ":")
		if slices.Contains(periods, base) {
			continue
		}
		kind := map[string]string{"suspension_decision": "suspension", "renewal_decision": "suspension_renewal", "removal_decision": "removal"}[base]
		if kind == "" {
			kind = base
		}
		want = append(want, kind+":"+id)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		broken = append(broken, fmt.Sprintf("row open matters %v, process %v", got, want))
	}
	return broken
}

// someReportOf is a report on the brand to triage: mostly one still open,
// now and then one already triaged.
func someReportOf(w modelWorld, rng *rand.Rand) string {
	t := w.testingT()
	t.Helper()
	rows, err := w.db().Pool().Query(context.Background(), `SELECT id FROM reports WHERE brand_id = $1 ORDER BY status <> 'open', received_at`, w.brand().BrandID)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		return "RP-none"
	}
	return ids[rng.IntN(min(len(ids), 3))]
}

// fileReportIn files report id on the brand now, as the API does: the
// report on record, then (tell) the process told.
func fileReportIn(w modelWorld, id string, tell bool) {
	fileReportReceived(w, id, w.businessNow(), tell)
}

// fileReportReceived is fileReportIn for a report received at receivedAt,
// which may be before now (a filing committed late).
func fileReportReceived(w modelWorld, id string, receivedAt time.Time, tell bool) {
	t := w.testingT()
	t.Helper()
	_, err := w.db().SaveReport(context.Background(), store.NewReport{ID: id, BrandID: w.brand().BrandID, Content: "冒用标识",
		Evidence: "照片", Contact: "13800000000", ReceivedAt: receivedAt})
	if err != nil {
		t.Fatal(err)
	}
	if tell {
		w.tell(workflows.SignalReportsChanged, records.ReportFiled{ReportID: id})
	}
}

// fileEvaluationIn stores an evaluation report as the API does before its
// Update.
func fileEvaluationIn(w modelWorld, id, period string) {
	_, err := w.db().Pool().Exec(context.Background(), `INSERT INTO evaluations (id, brand_id, period, report, filed_at)
		VALUES ($1, $2, $3, '{"violations": "无"}', $4) ON CONFLICT (id) DO NOTHING`, id, w.brand().BrandID, period, w.businessNow())
	if err != nil {
		w.testingT().Fatal(err)
	}
}

// reviseCalendarOf declares a day off of the brand's county on a random
// day of the next two months, as an administrator would (RULES §5), and
// tells the process of the new calendar version.
func reviseCalendarOf(w modelWorld, rng *rand.Rand) {
	t := w.testingT()
	t.Helper()
	ctx := context.Background()
	day := calendar.DateOf(w.businessNow()).AddDays(1 + rng.IntN(60))
	if _, err := w.db().AddCountyOffDay(ctx, w.brand().CountyCode, day, "随机县级假日", w.businessNow(), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	cal, err := (&store.Calendars{Store: w.db()}).Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.tell(workflows.SignalCalendarChanged, records.CalendarChanged{Version: cal.Version()})
}

// The time-skipping harness as a modelWorld.
func (h *brandHarness) testingT() *testing.T           { return h.t }
func (h *brandHarness) db() *store.Store               { return h.store }
func (h *brandHarness) brand() workflows.BrandInput    { return h.in }
func (h *brandHarness) businessNow() time.Time         { return h.env.Now() }
func (h *brandHarness) countyOfficer() workflows.Actor { return county530181() }
func (h *brandHarness) holder() workflows.Actor        { return brandHolder() }
func (h *brandHarness) tell(signal string, arg any)    { h.signal(signal, arg) }
func (h *brandHarness) lostSignal(lost bool)           { h.untold = lost }

// registerMatches checks the process against what only PostgreSQL knows:
// the triage matter is open exactly while a report waits, kept by the
// oldest (RULES §4) — once the process has read them: a report whose
// signal was lost is seen at the next read (a triage, a signal, a new run);
// every deadline still running is the one its rule
// gives on the calendar in force (RULES §5), whatever was revised.
func (h *brandHarness) registerMatches(st workflows.BrandState) []string {
	var broken []string
	ctx := context.Background()
	if st.Status != workflows.BrandStatusRemoved && !h.untold {
		oldest, err := h.store.OldestOpenReport(ctx, h.in.BrandID)
		if err != nil {
			return []string{err.Error()}
		}
		want := ""
		if oldest != nil {
			want = "report_triage:" + oldest.ID
		}
		got := ""
		for _, d := range st.Deadlines.Items {
			if strings.HasPrefix(d.Key, "report_triage:") {
				got = d.Key
			}
		}
		if got != want {
			broken = append(broken, fmt.Sprintf("triage matter %q, but the oldest report waiting is %q", got, want))
		}
	}
	acts := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	for _, d := range st.Deadlines.Items {
		if d.Expired {
			continue
		}
		s, err := acts.ComputeDeadline(ctx, d.Rule)
		if err != nil {
			return append(broken, err.Error())
		}
		if s.Deadline.Due != d.Value().Due {
			broken = append(broken, fmt.Sprintf("deadline %s due %s, but its rule gives %s on the calendar in force", d.Key, d.Value().Due, s.Deadline.Due))
		}
	}
	return broken
}
