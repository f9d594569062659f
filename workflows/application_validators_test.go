package workflows_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §3 stages, across 第十一条, 第十二条 and 第十三条 (each case names
// its article): every decision belongs to one stage and one actor; the
// validators refuse the others before anything is written (409 for the
// wrong stage, with the current stage in the details; 403 for the wrong
// actor).
func TestEachDecisionBelongsToOneStageAndOneActor(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	other := workflows.Actor{Sub: "officer-530102", Role: "county_officer", County: "530102"}
	cityAsCounty := workflows.Actor{Sub: "city-1", Role: "city_officer", County: "530181"}
	for _, c := range []struct {
		rule    string
		update  string
		arg     any
		errType string
		stage   string // details.stage of a conflict
	}{
		{"第十二条 复审 during 初审", workflows.UpdateCityReview,
			workflows.CityReviewRequest{Actor: city(), Decision: "approve"}, workflows.RejectConflict, "county_review"},
		{"第十二条 expert draw during 初审", workflows.UpdateExpertDraw,
			workflows.ExpertDrawRequest{Actor: city(), Count: 5}, workflows.RejectConflict, "county_review"},
		{"第十二条 expert opinion during 初审", workflows.UpdateExpertOpinion,
			workflows.ExpertOpinionRequest{Actor: workflows.Actor{Sub: "E01", Role: "expert"}, Score: 80}, workflows.RejectConflict, "county_review"},
		{"第十三条 objection before the notice", workflows.UpdateObjection,
			workflows.ObjectionRequest{Actor: city(), ObjectionID: "OB1", ReceivedOn: date("2026-03-03"), Via: "public"}, workflows.RejectConflict, "county_review"},
		{"退回补充 resubmission of an application not returned", workflows.UpdateResubmit,
			workflows.ResubmitRequest{Actor: holder(), Revision: 2}, workflows.RejectConflict, "county_review"},
		{"第十一条 初审 by another county's officer", workflows.UpdateCountyReview,
			workflows.CountyReviewRequest{Actor: other, Decision: "approve"}, workflows.RejectForbidden, ""},
		{"第十一条 初审 by the city", workflows.UpdateCountyReview,
			workflows.CountyReviewRequest{Actor: cityAsCounty, Decision: "approve"}, workflows.RejectForbidden, ""},
		{"第十一条 unknown decision", workflows.UpdateCountyReview,
			workflows.CountyReviewRequest{Actor: county(), Decision: "maybe"}, workflows.RejectInvalid, ""},
		// RULES §2 the gate: a review read from another revision of the form
		// (a return and a resubmission came between) gates on that one's
		// criteria: refused, for the officer to review the form in force.
		{"第十一条 初审 of another revision of the form", workflows.UpdateCountyReview,
			workflows.CountyReviewRequest{Actor: county(), Decision: "approve", FormRevision: 2}, workflows.RejectConflict, "county_review"},
	} {
		h.refused(at("2026-03-03", 10), c.update, c.arg, c.errType, func(r workflows.Rejection) {
			if got, _ := r.Details["stage"].(string); got != c.stage {
				t.Errorf("%s: details.stage %q, want %q (%+v)", c.rule, got, c.stage, r)
			}
		})
	}
	h.update(at("2026-03-03", 11), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合条件", FormRevision: 1}, ok(t, "初审"))
	h.run()

	// A refused Update leaves no trace.
	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 11:00 county_officer county_review.reject",
	})
}

// 第十二条 and RULES §3 Decision: 复审 approval needs opinions from at least
// 3 drawn experts; only a drawn expert may file one, and only once.
func Test第十二条_ApprovalNeedsExpertQuorum(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.update(at("2026-03-04", 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	h.opinions(at("2026-03-05", 10), 2)
	h.refused(at("2026-03-05", 11), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "approve"},
		workflows.RejectConflict, func(r workflows.Rejection) {
			if r.Code != "expert_quorum" || fmt.Sprint(r.Details["opinions"]) != "2" || fmt.Sprint(r.Details["quorum"]) != "3" {
				t.Errorf("rejection %+v, want expert_quorum with 2 of 3 opinions", r)
			}
		})
	h.later(at("2026-03-05", 12), func() {
		s := h.state()
		if len(s.Drawn) != 5 || len(s.Opinions) != 2 {
			t.Fatalf("drawn %v, opinions %v", s.Drawn, s.Opinions)
		}
		notDrawn := ""
		for i := 1; i <= 6; i++ {
			if id := fmt.Sprintf("E%02d", i); !slices.Contains(s.Drawn, id) {
				notDrawn = id
			}
		}
		h.sendRefused(workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{
			Actor: workflows.Actor{Sub: notDrawn, Role: "expert"}, Score: 90, Recommend: true}, workflows.RejectForbidden, nil)
		h.sendRefused(workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{
			Actor: workflows.Actor{Sub: s.Opinions[0], Role: "expert"}, Score: 90, Recommend: true}, workflows.RejectConflict, nil)
		h.send(workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{
			Actor: workflows.Actor{Sub: s.Drawn[2], Role: "expert"}, Score: 70, Recommend: true}, ok(t, "third opinion"))
	})
	h.update(at("2026-03-05", 13), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "approve"}, ok(t, "复审 with quorum"))
	h.run()

	if s := h.state(); s.Stage != workflows.StageAdmitted || len(s.Opinions) != 3 {
		t.Errorf("stage %s, opinions %v; want admitted with 3", s.Stage, s.Opinions)
	}
}

// 第十一条: a 初审 decision sent as the application is submitted — before
// the process has recorded its first stage — is taken, not refused; a
// second one sent at the same moment finds the decision taken.
func Test第十一条_DecisionSentWithSubmissionIsTaken(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-02", 9), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合第八条"}, ok(t, "初审"))
	h.update(at("2026-03-02", 9), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, func(err error) {
			if r, isConflict := rejection(err, workflows.RejectConflict); !isConflict || r.Details["stage"] != workflows.StageRejected {
				t.Errorf("second decision: %v, want a conflict in stage rejected", err)
			}
		})
	h.run()

	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-02 09:00 county_officer county_review.reject",
	})
}

// RULES §2: a criterion that is the reviewer's judgement (a distinct name,
// a trained workforce) is confirmed by the officer who approves, and the
// history records that confirmation. A rejection confirms nothing.
func TestRULES2_TheApprovingOfficerConfirmsTheReviewersCriteria(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	judged := []string{"distinct_name_reputation", "trained_workforce"}
	h.update(at("2026-03-03", 11), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Opinion: "同意推荐", Judged: judged}, ok(t, "初审"))
	h.update(at("2026-03-04", 10), workflows.UpdateCityReview,
		workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "经复审不予推荐", Judged: judged}, ok(t, "复审 reject"))
	h.run()
	es := h.events()
	if es[2].Action != "county_review.approve" || es[2].Note != "同意推荐；经审核确认：品牌名称、商标与市场认可度、从业人员技能与资质" {
		t.Errorf("the approval %s: note %q does not record the confirmation", es[2].Action, es[2].Note)
	}
	if es[3].Action != "city_review.reject" || es[3].Note != "经复审不予推荐" {
		t.Errorf("the rejection %s: note %q, want the opinion alone", es[3].Action, es[3].Note)
	}
}

// 第十一条 "筛选出符合条件的", RULES §2 the gate: the county may not approve
// while a criterion is not met — 422 eligibility_not_met naming them — but
// may return or reject; 第九条（五）: a 非遗 enterprise's trainees may be
// relaxed with a reason, which the history records. A relaxation of a
// criterion that is met, or not relaxable, is refused.
func Test第十一条_ApprovalRefusedWhileACriterionIsNotMet(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	unmet := []workflows.UnmetCriterion{{Criterion: "labor_income"}, {Criterion: "trainees_two_years", Relaxable: true}}
	trainees := workflows.Relaxation{Criterion: "trainees_two_years", Reason: "非遗技艺传承，适当放宽"}
	notMet := func(want ...string) func(workflows.Rejection) {
		return func(r workflows.Rejection) {
			got := fmt.Sprint(r.Details["criteria"])
			if r.Code != "eligibility_not_met" || got != fmt.Sprint(want) {
				t.Errorf("rejection %+v, want eligibility_not_met with criteria %v", r, want)
			}
		}
	}
	h.refused(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Unmet: unmet},
		workflows.RejectInvalid, notMet("labor_income", "trainees_two_years"))
	h.refused(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Unmet: unmet, Relaxations: []workflows.Relaxation{trainees}},
		workflows.RejectInvalid, notMet("labor_income"))
	h.refused(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Unmet: unmet[1:],
			Relaxations: []workflows.Relaxation{{Criterion: "labor_income", Reason: "收入口径不同"}}},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if r.Code != "validation_failed" || len(r.Fields) != 1 || r.Fields[0].Field != "relaxations[0].criterion" {
				t.Errorf("rejection %+v, want the relaxation of a met criterion refused", r)
			}
		})
	h.refused(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Unmet: unmet[1:],
			Relaxations: []workflows.Relaxation{{Criterion: "trainees_two_years", Reason: " "}}},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if len(r.Fields) != 1 || r.Fields[0].Field != "relaxations[0].reason" {
				t.Errorf("rejection %+v, want a relaxation without a reason refused", r)
			}
		})
	h.update(at("2026-03-03", 11), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "approve", Opinion: "同意推荐", Unmet: unmet[1:],
			Relaxations: []workflows.Relaxation{trainees}}, ok(t, "初审 with the relaxation"))
	h.update(at("2026-03-04", 10), workflows.UpdateCityReview,
		workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "经复审不予推荐", Unmet: unmet[1:],
			Relaxations: []workflows.Relaxation{trainees}}, ok(t, "复审 reject"))
	h.run()
	es := h.events()
	equal(t, "history", lines(es), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 11:00 county_officer county_review.approve",
		"2026-03-04 10:00 city_officer city_review.reject",
	})
	if es[2].Note != "同意推荐；放宽“近两年培训人员”：非遗技艺传承，适当放宽" {
		t.Errorf("the approval's note %q does not record the relaxation by its title with its reason", es[2].Note)
	}
	// A rejection grants nothing: a relaxation sent with it is not said.
	if es[3].Note != "经复审不予推荐" {
		t.Errorf("the rejection's note %q, want its opinion alone", es[3].Note)
	}
}

// 第十二条, 第十三条 (RULES §2 roles): the draw, a site visit, 复审 and an
// objection's ruling are the city's; the process refuses them from a
// county officer (403), as it refuses a 初审 from another county, though
// the API's routes refuse them first.
func TestTheCitysDecisionsAreRefusedFromACountyOfficer(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	for _, c := range []struct {
		rule   string
		update string
		arg    any
	}{
		{"第十二条 expert draw", workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: county(), Count: 5}},
		{"第十二条 site visit", workflows.UpdateSiteVisit, workflows.SiteVisitRequest{Actor: county(), VisitedOn: date("2026-03-03")}},
		{"第十二条 复审", workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: county(), Decision: "reject", Opinion: "不符合"}},
	} {
		h.refused(at("2026-03-04", 10), c.update, c.arg, workflows.RejectForbidden, func(r workflows.Rejection) {
			if r.Message != "此事项由市级人社部门办理" {
				t.Errorf("%s by a county officer: %+v", c.rule, r)
			}
		})
	}
	h.update(at("2026-03-04", 11), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5}, ok(t, "draw"))
	h.opinions(at("2026-03-05", 10), 3)
	h.update(at("2026-03-05", 13), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "approve"}, ok(t, "复审"))
	for _, c := range []struct {
		rule   string
		update string
		arg    any
	}{
		{"第十三条 an objection's ruling", workflows.UpdateObjectionRuling, workflows.ObjectionRulingRequest{Actor: county(), ObjectionID: "OB1", Reason: "不成立"}},
		{"第十三条 a day's objections ruled", workflows.UpdateObjectionsRuled, workflows.ObjectionsRuledRequest{Actor: county(), ReceivedOn: date("2026-03-06")}},
	} {
		h.refused(at("2026-03-06", 10), c.update, c.arg, workflows.RejectForbidden, func(r workflows.Rejection) {
			if r.Message != "此事项由市级人社部门办理" {
				t.Errorf("%s by a county officer: %+v", c.rule, r)
			}
		})
	}
	h.run()
	if s := h.state(); s.Stage != workflows.StageAdmitted {
		t.Errorf("stage %s, want admitted", s.Stage)
	}
}

// 第十二条 (the city draws the experts): a draw that says how many experts
// its officer saw drawn is refused when another officer has drawn since —
// two officers drawing at once would draw twice the panel — and nothing is
// drawn; told the number now, the officer may still draw more.
func Test第十二条_ADrawMadeMeanwhileRefusesAnotherSeenBeforeIt(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	none, five := 0, 5
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.update(at("2026-03-04", 10), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5, Drawn: &none}, ok(t, "the first officer's draw"))
	h.refused(at("2026-03-04", 11), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 5, Drawn: &none},
		workflows.RejectConflict, func(r workflows.Rejection) {
			if r.Code != "conflict" || !strings.Contains(r.Message, "现已抽取5名") {
				t.Errorf("rejection %+v, want a conflict naming the 5 drawn", r)
			}
		})
	h.later(at("2026-03-04", 12), func() {
		if s := h.state(); len(s.Drawn) != 5 {
			t.Errorf("after the refused draw: drawn %v; want the first's 5", s.Drawn)
		}
	})
	h.update(at("2026-03-04", 13), workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: city(), Count: 1, Drawn: &five}, ok(t, "a draw of one more, seen the five"))
	h.later(at("2026-03-04", 14), func() {
		if s := h.state(); len(s.Drawn) != 6 {
			t.Errorf("drawn %v, want 6", s.Drawn)
		}
	})
	h.update(at("2026-03-05", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "不符合条件"}, ok(t, "复审"))
	h.run()
}
