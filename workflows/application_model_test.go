package workflows_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The model-based test of the admission procedure (issue 17 item 4): random
// sequences of what officers, experts and the public do to an application —
// 初审 either way, resubmissions, expert draws and opinions, site visits,
// 复审, objections and rulings, at random hours over a few weeks — in the
// time-skipping environment on the real activities and database. After
// every step the stage and its deadlines must agree (RULES §3) and the
// PostgreSQL row must say what the process says.
var appModelRuns = flag.Int("model.apps", 40, "random applications the model-based test runs")

func TestDecision_Admission_RandomApplicationsKeepTheRules(t *testing.T) {
	seeds := []uint64{*modelSeed}
	if *modelSeed == 0 {
		seeds = seeds[:0]
		base := uint64(time.Now().UnixNano())
		for i := range *appModelRuns {
			seeds = append(seeds, base+uint64(i))
		}
	}
	started := time.Now()
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runApplicationLife(t, seed) })
	}
	t.Logf("%d applications in %s; stages reached: %v", len(seeds), time.Since(started).Round(time.Millisecond), appModelStages)
}

// appModelStages counts the stages the random applications ended in.
var appModelStages = map[string]int{}

func runApplicationLife(t *testing.T, seed uint64) {
	t.Logf("seed %d (rerun: go test ./workflows -run TestDecision_Admission_RandomApplications -model.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0xadd))
	h := newHarness(t, at("2026-03-02", 9))
	decisions := []workflows.ReviewDecision{workflows.Approve, workflows.Approve, workflows.Return, workflows.Reject}
	steps := []struct {
		name string
		do   func(i int, st workflows.StateView) (string, any)
	}{
		{"初审", func(int, workflows.StateView) (string, any) {
			return workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: decisions[rng.IntN(len(decisions))], Opinion: "初审意见"}
		}},
		{"resubmission", func(i int, _ workflows.StateView) (string, any) {
			rev, _, err := h.store.SaveFormRevision(context.Background(), h.in.ApplicationID, "",
				map[string]any{"brand_name": h.in.BrandName, "brand_type": h.in.BrandType, "category": h.in.Category, "unit_name": h.in.UnitName},
				[]any{}, nil, h.env.Now(), "holder", "applicant")
			if err != nil {
				t.Fatalf("save revision: %v", err)
			}
			return workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev}
		}},
		{"expert draw", func(int, workflows.StateView) (string, any) {
			return workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 3 + rng.IntN(3)}
		}},
		{"expert opinion", func(_ int, st workflows.StateView) (string, any) {
			expert := "E99"
			if len(st.Drawn) > 0 {
				expert = st.Drawn[rng.IntN(len(st.Drawn))]
			}
			return workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{Actor: workflows.Actor{Sub: expert, Role: "expert"},
				Score: 60 + rng.IntN(40), Recommend: rng.IntN(4) > 0, Comment: "评审意见"}
		}},
		{"site visit", func(int, workflows.StateView) (string, any) {
			return workflows.UpdateSiteVisit, workflows.SiteVisitRequest{Actor: city(), VisitedOn: calendar.DateOf(h.env.Now()), Findings: "实地核查属实"}
		}},
		{"复审", func(int, workflows.StateView) (string, any) {
			d := workflows.Approve
			if rng.IntN(4) == 0 {
				d = workflows.Reject
			}
			return workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: d, Opinion: "复审意见"}
		}},
		{"objection", func(i int, _ workflows.StateView) (string, any) {
			id := fmt.Sprintf("OB%d", i)
			today := calendar.DateOf(h.env.Now()).String()
			h.draftObjection(id, "mail", today)
			return workflows.UpdateObjection, workflows.ObjectionRequest{Actor: city(), ObjectionID: id, ReceivedOn: date(today), Via: "mail"}
		}},
		{"ruling", func(_ int, st workflows.StateView) (string, any) {
			id := "none"
			for _, o := range st.Objections {
				if !o.Ruled {
					id = o.ID
				}
			}
			return workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: city(), ObjectionID: id, Upheld: rng.IntN(3) == 0, Reason: "经核查"}
		}},
	}
	when := h.start
	var log []string
	ended := false
	for i := range 16 {
		when = when.Add(time.Duration(2+rng.IntN(60)) * time.Hour)
		pick := rng.IntN(len(steps))
		natural := rng.IntN(3) > 0 // two steps in three are what the stage waits for
		h.later(when, func() {
			st := h.state()
			if workflows.IsFinalStage(st.Stage) {
				return
			}
			if natural {
				pick = naturalStep(st)
			}
			step := steps[pick]
			name, arg := step.do(i, st)
			h.send(name, arg, func(err error) {
				outcome := "applied"
				if err != nil {
					if _, ok := anyRejection(err); !ok {
						t.Errorf("%s: %v, want applied or refused", step.name, err)
					}
					outcome = "refused"
				}
				log = append(log, step.name+" "+outcome)
			})
		})
		// Checked half a minute after the process's own instants: a
		// notice's end decides a minute past 24:00 (its grace), and a
		// check at that very instant reads the state in the middle of the
		// step — the notice's deadline gone, the decision not yet made.
		h.later(when.Add(time.Hour+offTheHour+30*time.Second), func() {
			if ended {
				return
			}
			st := h.state()
			for _, broken := range admissionInvariants(st) {
				t.Errorf("after %q: %s", log, broken)
			}
			if r := h.row(); r.Stage != st.Stage {
				t.Errorf("after %q: row stage %s, process %s", log, r.Stage, st.Stage)
			}
			ended = workflows.IsFinalStage(st.Stage)
		})
	}
	// Whatever is still open at the end is left to run out: the process
	// is cancelled, as a test over.
	h.env.RegisterDelayedCallback(func() { h.env.CancelWorkflow() }, when.Add(24*time.Hour).Sub(h.start))
	h.env.ExecuteWorkflow(workflows.ApplicationWorkflow, h.in)
	if err := h.env.GetWorkflowError(); err != nil && !strings.Contains(err.Error(), "canceled") {
		t.Errorf("after %q: the process failed: %v", log, err)
	}
	appModelStages[h.row().Stage]++
}

// naturalStep is the index in runApplicationLife's steps of what the stage
// waits for, so that random lives also get through 公示 to admission.
func naturalStep(st workflows.StateView) int {
	switch st.Stage {
	case workflows.StageReturned:
		return 1
	case workflows.StageCityReview:
		switch {
		case len(st.Drawn) == 0:
			return 2
		case len(st.Opinions) < 3:
			return 3
		}
		return 5
	case workflows.StagePublicNotice:
		return 6
	case workflows.StageObjectionReview:
		return 7
	}
	return 0
}

// admissionInvariants lists every rule of RULES §3 the state breaks: each
// stage runs exactly its own deadlines.
func admissionInvariants(st workflows.StateView) []string {
	var broken []string
	kinds := map[string]int{}
	for _, d := range st.Deadlines {
		base, _, _ := strings.Cut(d.Kind, ":")
		kinds[base]++
	}
	want := map[string][]string{
		workflows.StageCountyReview:    {"county_review"},
		workflows.StageReturned:        {"resubmission"},
		workflows.StageCityReview:      {"city_review"},
		workflows.StagePublicNotice:    {"public_notice"},
		workflows.StageObjectionReview: {},
	}
	stageKeys, open := want[st.Stage]
	switch {
	case workflows.IsFinalStage(st.Stage):
		if len(st.Deadlines) > 0 {
			broken = append(broken, fmt.Sprintf("final stage %s with deadlines %v", st.Stage, kinds))
		}
	case !open:
		broken = append(broken, "unknown stage "+st.Stage)
	default:
		for _, k := range stageKeys {
			if kinds[k] != 1 {
				broken = append(broken, fmt.Sprintf("stage %s without exactly one %s deadline: %v", st.Stage, k, kinds))
			}
		}
		for k := range kinds {
			if !slices.Contains(stageKeys, k) && k != "objection_ruling" && k != "objection_day" {
				broken = append(broken, fmt.Sprintf("stage %s runs a %s deadline", st.Stage, k))
			}
		}
	}
	unruled := 0
	for _, o := range st.Objections {
		if !o.Ruled {
			unruled++
		}
	}
	if st.Stage == workflows.StageObjectionReview && unruled == 0 && len(st.ObjectionDays) == 0 {
		broken = append(broken, "objection review with every objection ruled")
	}
	for _, e := range st.Opinions {
		if !slices.Contains(st.Drawn, e) {
			broken = append(broken, "an opinion from "+e+", who was not drawn")
		}
	}
	return broken
}

// 第十二条, found by the model-based test: a draw when every eligible expert
// of the pool has been drawn already wrote a draw of nobody (a NULL the
// database refused) and retried it for ever behind a 503. It is refused for
// good — 409 no_experts_available, nothing recorded — and the pool can be
// topped up and drawn again.
func Test第十二条_DrawWithNobodyLeftIsRefused(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.update(at("2026-03-04", 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 6}, ok(t, "draw of the whole pool"))
	h.later(at("2026-03-04", 11), func() {
		h.send(workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 2}, func(err error) {
			if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "no_experts_available" {
				t.Errorf("a draw with nobody left: %v, want refused: no_experts_available", err)
			}
		})
	})
	h.later(at("2026-03-04", 12), func() {
		if st := h.state(); len(st.Drawn) != 6 || st.Stage != workflows.StageCityReview {
			t.Errorf("after the refusal: %s, %d drawn, want city_review with the 6 of the first draw", st.Stage, len(st.Drawn))
		}
		var draws int
		if err := h.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM expert_draws WHERE application_id = $1`, h.in.ApplicationID).Scan(&draws); err != nil || draws != 1 {
			t.Errorf("%d draws recorded (%v), want 1", draws, err)
		}
	})
	h.update(at("2026-03-05", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不予入库"}, ok(t, "复审"))
	h.run()
}
