package workflows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The dates below are counted by hand on the State Council's 2026 schedule
// (国办发明电〔2025〕7号): 元旦 01-01..01-03 (work Sun 01-04), 春节 02-15..02-23
// (work Sat 02-14, Sat 02-28), 清明 04-04..04-06, 劳动节 05-01..05-05 (work Sat
// 05-09), 端午 06-19..06-21, 中秋 09-25..09-27, 国庆 10-01..10-07 (work Sun
// 09-20, Sat 10-10). 2026-03-02 is a Monday; March has no holiday.

// 第十四条: admission only once 24:00 of the notice's last day has passed —
// on the whole path of 第十条–第十四条 from submission to admission, with the
// service deadlines (RULES §3 Decision, counted by 民法典第二百零一条 from the
// day after) and the 公示 (RULES §3: the publication day is day 1).
func Test第十四条_AdmittedOnlyAfterNoticeEnds(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	// Submitted Mon 03-02: day 1 is Tue 03-03, day 20 is Mon 03-30.
	h.later(at("2026-03-02", 12), func() {
		wantDeadlines(t, "初审 row", h.row().Deadlines, map[string]string{"county_review": "2026-03-30"})
		wantDeadlines(t, "初审 query", h.state().Deadlines, map[string]string{"county_review": "2026-03-30"})
	})
	h.throughCityReview("2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06")
	// Approved Tue 03-03: 复审 is due 20 working days later, Tue 03-31.
	h.later(at("2026-03-03", 12), func() {
		wantDeadlines(t, "复审 row", h.row().Deadlines, map[string]string{"city_review": "2026-03-31"})
	})
	// Published Fri 03-06 = day 1; 03-09, 03-10, 03-11, Thu 03-12 = day 5.
	h.later(at("2026-03-06", 12), func() {
		r := h.row()
		if r.Stage != workflows.StagePublicNotice || r.NoticeStart != "2026-03-06" || r.NoticeEnd != "2026-03-12" {
			t.Errorf("after 复审: stage %s, notice %s..%s; want public_notice, 2026-03-06..2026-03-12", r.Stage, r.NoticeStart, r.NoticeEnd)
		}
		wantDeadlines(t, "公示", r.Deadlines, map[string]string{"public_notice": "2026-03-12"})
	})
	// The last notice day is not over at 23:00.
	h.later(at("2026-03-12", 23), func() {
		if s := h.state().Stage; s != workflows.StagePublicNotice {
			t.Errorf("03-12 23:00: stage %s, want public_notice until 24:00", s)
		}
		if _, _, _, found := h.brand(); found {
			t.Error("03-12 23:00: brand record exists before the notice ended")
		}
	})
	h.run()

	r := h.row()
	if r.Stage != workflows.StageAdmitted || r.BrandID != "B0001" || len(r.Deadlines) != 0 {
		t.Errorf("row: stage %s, brand %q, deadlines %+v; want admitted, B0001, none", r.Stage, r.BrandID, r.Deadlines)
	}
	if s := h.state(); s.Stage != workflows.StageAdmitted || s.BrandID != "B0001" {
		t.Errorf("query: stage %s, brand %q", s.Stage, s.BrandID)
	}
	id, status, admittedOn, found := h.brand()
	if !found || id != "B0001" || status != workflows.BrandStatusActive || admittedOn != "2026-03-13" {
		t.Errorf("brand: %q %q admitted %q (found %v); want B0001 active admitted 2026-03-13", id, status, admittedOn, found)
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 10:00 county_officer county_review.approve",
		"2026-03-04 10:00 city_officer experts.drawn",
		"2026-03-05 10:00 expert expert.opinion",
		"2026-03-05 10:00 expert expert.opinion",
		"2026-03-05 10:00 expert expert.opinion",
		"2026-03-06 10:00 city_officer city_review.approve",
		"2026-03-13 00:00 system admitted", // 24:00 of 03-12
	})
	if n := h.alertsSent(); n != 0 {
		t.Errorf("%d reminders in the outbox; every decision came before its first reminder", n)
	}
	// RULES §3: the holder is told of its admission, with the step.
	equal(t, "decisions told", h.decisionsTold(), []string{"applicant 【入库】" + h.in.BrandName + "：已纳入昆明市市级劳务品牌项目库"})
}

// 第十一条: a rejection at 初审 needs the officer's reason.
func Test第十一条_RejectAtCountyReviewNeedsOpinion(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.refused(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "  "},
		workflows.RejectInvalid, func(r workflows.Rejection) {
			if len(r.Fields) != 1 || r.Fields[0].Field != "opinion" {
				t.Errorf("fields %+v, want opinion", r.Fields)
			}
		})
	h.update(at("2026-03-03", 11), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "带动就业人数未达到第八条要求"}, ok(t, "初审 reject"))
	h.run()

	if r := h.row(); r.Stage != workflows.StageRejected || len(r.Deadlines) != 0 {
		t.Errorf("stage %s, deadlines %+v; want rejected, none", r.Stage, r.Deadlines)
	}
	es := h.events()
	equal(t, "history", lines(es), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 11:00 county_officer county_review.reject",
	})
	if e := es[len(es)-1]; e.Note != "带动就业人数未达到第八条要求" {
		t.Errorf("reason recorded %q", e.Note)
	}
}

// 第十二条: the city may reject at 复审 — with a reason, and without waiting
// for the drawn experts' opinions (RULES §3 Decision: only approval needs
// the quorum).
func Test第十二条_RejectAtCityReviewNeedsOpinionNotExperts(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "approve"}, ok(t, "初审"))
	h.refused(at("2026-03-04", 10), workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: city(), Decision: "reject"},
		workflows.RejectInvalid, nil)
	h.update(at("2026-03-04", 11), workflows.UpdateCityReview,
		workflows.CityReviewRequest{Actor: city(), Decision: "reject", Opinion: "品牌知名度不足"}, ok(t, "复审 reject"))
	h.run()

	if r := h.row(); r.Stage != workflows.StageRejected || len(r.Deadlines) != 0 {
		t.Errorf("stage %s, deadlines %+v; want rejected, none", r.Stage, r.Deadlines)
	}
	if _, _, _, found := h.brand(); found {
		t.Error("a rejected application has a brand record")
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 10:00 county_officer county_review.approve",
		"2026-03-04 11:00 city_officer city_review.reject",
	})
}

// RULES §3 Decision — waiting for a resubmission (退回补充): a returned
// application resubmitted with a stored form revision goes back to 初审 with
// a new service deadline.
func TestDecision_WaitingForResubmission_ResubmittedGetsNewCountyDeadline(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.refused(at("2026-03-03", 9), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "return"},
		workflows.RejectInvalid, nil)
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充商标注册证明"}, ok(t, "退回"))
	// Returned Tue 03-03: the wait ends 20 working days later, Tue 03-31.
	h.later(at("2026-03-03", 12), func() {
		r := h.row()
		if r.Stage != workflows.StageReturned {
			t.Errorf("stage %s, want returned", r.Stage)
		}
		wantDeadlines(t, "退回", r.Deadlines, map[string]string{"resubmission": "2026-03-31"})
	})
	rev := 0
	h.later(at("2026-03-10", 9), func() {
		var err error
		rev, _, err = h.store.SaveFormRevision(context.Background(), h.in.ApplicationID, "",
			map[string]any{"brand_name": h.in.BrandName, "brand_type": h.in.BrandType, "category": h.in.Category, "unit_name": h.in.UnitName},
			[]any{}, nil, at("2026-03-10", 9), "holder", "applicant")
		if err != nil || rev != 2 {
			t.Fatalf("save revision: %d, %v", rev, err)
		}
		h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev}, ok(t, "resubmit"))
	})
	// Resubmitted Tue 03-10: 初审 again, due 20 working days later across 清明
	// (04-04..04-06): 03-11..04-03 are days 1–18, Tue 04-07 and Wed 04-08 days 19–20.
	h.later(at("2026-03-10", 12), func() {
		r := h.row()
		if r.Stage != workflows.StageCountyReview || r.FormRevision != 2 {
			t.Errorf("after resubmission: stage %s, form revision %d; want county_review, 2", r.Stage, r.FormRevision)
		}
		wantDeadlines(t, "重新提交 row", r.Deadlines, map[string]string{"county_review": "2026-04-08"})
		wantDeadlines(t, "重新提交 query", h.state().Deadlines, map[string]string{"county_review": "2026-04-08"})
		h.sendRefused(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev},
			workflows.RejectConflict, nil)
	})
	h.update(at("2026-03-11", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "补充材料仍不符合要求"}, ok(t, "初审 reject"))
	h.run()

	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 10:00 county_officer county_review.return",
		"2026-03-10 09:00 applicant resubmitted",
		"2026-03-11 10:00 county_officer county_review.reject",
	})
}

// RULES §3 Decision — waiting for a resubmission (退回补充), issue 16 item 3:
// the holder is told of the return with the step itself — one message in
// its inbox (its USCC) with the officer's opinion, the resubmission
// deadline and the console's resubmission form; a refused return, the
// resubmission and the later 初审 write no such message.
func TestDecision_WaitingForResubmission_HolderToldOfTheReturn(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.refused(at("2026-03-03", 9), workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: "return"},
		workflows.RejectInvalid, nil)
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充商标注册证明"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		rev, _, err := h.store.SaveFormRevision(context.Background(), h.in.ApplicationID, "",
			map[string]any{"brand_name": h.in.BrandName, "brand_type": h.in.BrandType, "category": h.in.Category, "unit_name": h.in.UnitName},
			[]any{}, nil, at("2026-03-10", 9), "holder", "applicant")
		if err != nil {
			t.Fatal(err)
		}
		h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev}, ok(t, "resubmit"))
	})
	h.update(at("2026-03-11", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "补充材料仍不符合要求"}, ok(t, "初审"))
	h.run()

	msgs, err := h.store.Outbox(context.Background(), h.in.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	var told []store.Message
	for _, m := range msgs {
		if m.Kind == store.ReturnedKind {
			told = append(told, m)
		}
	}
	if len(told) != 1 {
		t.Fatalf("%d messages of the return, want 1: %+v", len(told), told)
	}
	m := told[0]
	if m.Audience != "applicant" || m.USCC != h.in.USCC || m.Due != "2026-03-31" || !m.CreatedAt.Equal(at("2026-03-03", 10)) {
		t.Errorf("the message is for %s %s, due %s, at %s; want the holder, due 2026-03-31, at the return",
			m.Audience, m.USCC, m.Due, m.CreatedAt)
	}
	if want := "【退回补充】" + h.in.BrandName + "：请修改后重新提交，期限至2026-03-31"; m.Title != want {
		t.Errorf("title %q, want %q", m.Title, want)
	}
	for _, want := range []string{"退回意见：请补充商标注册证明", "2026-03-31（当日24时止）", "/holder/applications/" + h.in.ApplicationID + "/resubmit"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the body does not say %q: %s", want, m.Body)
		}
	}
}

// RULES §3 Decision — waiting for a resubmission (退回补充): without a
// resubmission the application is withdrawn when the 20-working-day wait runs
// out, after reminders to the holder 3 and 1 working days before and on the
// due day.
func TestDecision_WaitingForResubmission_WithdrawnWhenWaitRunsOut(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充商标注册证明"}, ok(t, "退回"))
	h.later(at("2026-03-31", 23), func() {
		if s := h.state().Stage; s != workflows.StageReturned {
			t.Errorf("03-31 23:00: stage %s, want returned until 24:00", s)
		}
	})
	// A resubmission that comes with the lapse's instant is refused,
	// whichever the process meets first — the lapse (the application is
	// withdrawn) or the Update (its wait is over); before, the Update met
	// first was taken.
	h.refused(at("2026-04-01", 0), workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: 2},
		workflows.RejectConflict, func(r workflows.Rejection) {
			if r.Code != "resubmission_lapsed" && r.Code != "conflict" {
				t.Errorf("the resubmission at 24:00 refused with %q, want resubmission_lapsed (or conflict: withdrawn first)", r.Code)
			}
		})
	h.run()

	r := h.row()
	if r.Stage != workflows.StageWithdrawn || len(r.Deadlines) != 0 {
		t.Errorf("stage %s, deadlines %+v; want withdrawn, none", r.Stage, r.Deadlines)
	}
	equal(t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 10:00 county_officer county_review.return",
		"2026-04-01 00:00 system withdrawn", // 24:00 of Tue 03-31
	})
	// 3 working days before Tue 03-31 is Thu 03-26; 1 is Mon 03-30.
	equal(t, "reminders", h.alerts("resubmission"), []string{
		"reminder applicant 2026-03-26 09:00 due 2026-03-31",
		"reminder applicant 2026-03-30 09:00 due 2026-03-31",
		"reminder applicant 2026-03-31 09:00 due 2026-03-31",
	})
}

// RULES §6 (a decision is checked against the state it applies to;
// changeOneDecisionAtATime): while a resubmission waits for the store (here
// an hour) the process already shows the 初审 stage, so a county officer's
// approval sent meanwhile passes its validator. It is applied only after
// the resubmission has been: the store refuses the new name, the
// application stays returned, and the approval is refused against that —
// never applied on the half-made resubmission, recorded, and then lost
// when the resubmission is undone.
func TestDecision_ADecisionDuringAResubmissionIsCheckedAgainstWhatItLeaves(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	real := &activities.Activities{Store: h.store, Calendars: &store.Calendars{Store: h.store}}
	h.env.OnActivity(workflows.ActivityApplyResubmission, mock.Anything, mock.Anything).Return(real.ApplyResubmission).After(time.Hour).Once()
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请更换品牌名称"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		h.resubmitUnderATakenName(at("2026-03-10", 9), func(err error) {
			if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "name_taken" {
				t.Errorf("resubmission answered %v (%+v), want refused: name_taken", err, r)
			}
		})
	})
	h.later(at("2026-03-10", 9).Add(30*time.Minute), func() {
		if st := h.state(); st.Stage != workflows.StageCountyReview {
			t.Errorf("while the resubmission waits for the store the process shows %s, want county_review", st.Stage)
		}
		h.send(workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: county(), Decision: workflows.Approve}, func(err error) {
			if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Details["stage"] != workflows.StageReturned {
				t.Errorf("the approval sent during the resubmission answered %v (%+v), want refused: the application is returned", err, r)
			}
		})
	})
	h.later(at("2026-03-10", 12), h.stillReturnedAfterTheRefusal)
	h.run()
	h.returnedThenWithdrawn()
}

// 第十条, RULES §3 (one name, one open application) and §6 (refused means
// unrecorded): a resubmission whose new name another open application took
// after the API checked it is refused by the store for good — 409
// name_taken, nothing recorded, the application still returned with its
// wait — instead of a write retried for a year behind a 503.
func TestDecision_ResubmissionRacingForANameIsRefusedForGood(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请更换品牌名称"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		h.resubmitUnderATakenName(at("2026-03-10", 9), func(err error) {
			r, ok := rejection(err, workflows.RejectConflict)
			if !ok || r.Code != "name_taken" || len(r.Fields) != 1 || r.Fields[0].Field != "brand_name" {
				t.Errorf("resubmission answered %v (%+v), want refused: name_taken on brand_name", err, r)
			}
		})
	})
	h.later(at("2026-03-10", 12), func() {
		h.stillReturnedAfterTheRefusal()
		wantDeadlines(t, "after the refusal", h.state().Deadlines, map[string]string{"resubmission": "2026-03-31"})
	})
	h.run()
	h.returnedThenWithdrawn()
}

// RULES §6 (a refusal says why): a resubmission whose supplement is no
// longer on record is refused as such — 409 revision_gone, the application
// still returned — not as a name taken, which would send its holder to
// rename a brand whose name is free.
func TestDecision_AResubmissionOfASupplementNoLongerOnRecordSaysSo(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充材料"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: 7}, func(err error) {
			if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "revision_gone" || len(r.Fields) != 0 {
				t.Errorf("resubmission of revision 7, never stored, answered %v (%+v), want refused: revision_gone", err, r)
			}
		})
	})
	h.later(at("2026-03-10", 12), h.stillReturnedAfterTheRefusal)
	h.run()
	h.returnedThenWithdrawn()
}

// RULES §3 (a supplement that comes by the end of its last day is in
// time): one the API stored before the deadline and could not tell the
// process (Temporal out of reach, the API stopped, the day's last seconds)
// is taken as the holder's resubmission when the wait runs out
// (stored-resubmission-taken) — the application goes back to 初审 —,
// not closed as withdrawn.
func TestDecision_AResubmissionStoredInTimeIsTakenWhenTheWaitRunsOut(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充培训记录"}, ok(t, "退回"))
	h.later(at("2026-03-31", 23), func() { // stored at 23:00 of the last day; its Update never sent
		h.storeRevision(h.in.BrandName, at("2026-03-31", 23))
	})
	h.later(at("2026-04-01", 10), func() {
		if r := h.row(); r.Stage != workflows.StageCountyReview || r.FormRevision != 2 {
			t.Errorf("after the wait ran out: stage %s, revision %d; want county_review, 2", r.Stage, r.FormRevision)
		}
		if _, found := findEvent(h.events(), "withdrawn"); found {
			t.Error("the application was closed as withdrawn though its supplement was stored in time")
		}
		if e, found := findEvent(h.events(), "resubmitted"); !found || !e.At.Equal(at("2026-03-31", 23)) {
			t.Errorf("the resubmission's step %+v, want dated by its storing (2026-03-31 23:00)", e)
		}
	})
	h.update(at("2026-04-02", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "仍不符合条件"}, ok(t, "初审 of the supplement"))
	h.run()
}

// RULES §1 (the city may enter an application for a holder, 代录): a
// supplement a city officer stored in time on the holder's behalf, taken
// as the wait runs out, is on record as the officer's, as it is when its
// Update reaches the process at once — not as the holder's.
func TestDecision_ASupplementEnteredByTheCityIsTakenAsTheCitys(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充培训记录"}, ok(t, "退回"))
	h.later(at("2026-03-31", 23), func() {
		h.storeRevisionAs(h.in.BrandName, at("2026-03-31", 23), "city-1", "city_officer")
	})
	h.later(at("2026-04-01", 10), func() {
		if e, found := findEvent(h.events(), "resubmitted"); !found || e.Role != "city_officer" || e.Actor != "city-1" {
			t.Errorf("the resubmission's step %+v, want the city officer's (city-1, city_officer)", e)
		}
	})
	h.update(at("2026-04-02", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "reject", Opinion: "仍不符合条件"}, ok(t, "初审 of the supplement"))
	h.run()
}

// RULES §3 Decision (a return not answered in time closes the application
// as withdrawn): a revision stored on the return's day but before the
// return — never told to the process, its drop lost — is no answer to the
// return, and the wait's lapse does not take it as one.
func TestDecision_ARevisionStoredBeforeTheReturnIsNotItsResubmission(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请补充培训记录"}, ok(t, "退回"))
	h.later(at("2026-03-03", 11), func() {
		h.storeRevision(h.in.BrandName, at("2026-03-03", 9)) // stored at 09:00, an hour before the return
	})
	h.run()
	h.returnedThenWithdrawn()
}

// RULES §3 (one name, one brand): a resubmission whose new name a brand
// took after the API checked it — brought over by an import, or admitted —
// is refused by the store for good, as one another open application took
// is, nothing recorded.
func TestDecision_ResubmissionUnderANameABrandTookIsRefusedForGood(t *testing.T) {
	h := newHarness(t, at("2026-03-02", 9))
	h.update(at("2026-03-03", 10), workflows.UpdateCountyReview,
		workflows.CountyReviewRequest{Actor: county(), Decision: "return", Opinion: "请更换品牌名称"}, ok(t, "退回"))
	h.later(at("2026-03-10", 9), func() {
		ctx := context.Background()
		if _, err := h.store.Pool().Exec(ctx, `INSERT INTO brands (id, name, status, county_code, category, brand_type, unit_name, uscc,
			admitted_on, updated_at, name_key) VALUES ('B-IMPORTED', '滇池渔家', 'active', '530102', 'planting_breeding', 'regional', '另一协会',
			'51530102MJ0000009X', '2024-05-10', now(), $1)`, namekey.Key("滇池渔家")); err != nil {
			t.Fatal(err)
		}
		rev := h.storeRevision("滇池渔家", at("2026-03-10", 9))
		h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev, BrandName: "滇池渔家"}, func(err error) {
			if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "name_taken" {
				t.Errorf("resubmission answered %v (%+v), want refused: name_taken", err, r)
			}
		})
	})
	h.later(at("2026-03-10", 12), h.stillReturnedAfterTheRefusal)
	h.run()
	h.returnedThenWithdrawn()
}

// resubmitUnderATakenName has the holder resubmit under the name 滇池渔家
// just after another holder's application took it: the API's check passed,
// so the store is what refuses, in the handler. now is the callback's
// instant; check gets the answer.
func (h *harness) resubmitUnderATakenName(now time.Time, check func(error)) {
	h.t.Helper()
	ctx := context.Background()
	err := h.store.CreateApplication(ctx, store.NewApplication{ID: "A-OTHER", RoundID: h.in.RoundID, BrandName: "滇池渔家",
		BrandType: "regional", Category: h.in.Category, CountyCode: "530102", UnitName: "另一协会", USCC: "51530102MJ0000009X",
		Form: map[string]any{"brand_name": "滇池渔家"}, Eligibility: []any{}, SubmittedAt: now,
		SubmittedBy: "holder-2", SubmittedRole: "applicant", ProcessInput: h.in})
	if err != nil {
		h.t.Fatalf("the other application: %v", err)
	}
	rev := h.storeRevision("滇池渔家", now)
	h.send(workflows.UpdateResubmit, workflows.ResubmitRequest{Actor: holder(), Revision: rev, BrandName: "滇池渔家"}, check)
}

// storeRevision stores, as the API does before it tells the process, the
// holder's supplement under brandName at now; it returns its revision.
func (h *harness) storeRevision(brandName string, now time.Time) int {
	h.t.Helper()
	return h.storeRevisionAs(brandName, now, "holder", "applicant")
}

// storeRevisionAs stores a supplement as the API does for sub in role.
func (h *harness) storeRevisionAs(brandName string, now time.Time, sub, role string) int {
	h.t.Helper()
	rev, _, err := h.store.SaveFormRevision(context.Background(), h.in.ApplicationID, "",
		map[string]any{"brand_name": brandName, "brand_type": h.in.BrandType, "category": h.in.Category, "unit_name": h.in.UnitName},
		[]any{}, nil, now, sub, role)
	if err != nil {
		h.t.Fatalf("save revision: %v", err)
	}
	return rev
}

// stillReturnedAfterTheRefusal checks, in the record and in the process,
// that a refused resubmission left the application returned at revision 1.
func (h *harness) stillReturnedAfterTheRefusal() {
	h.t.Helper()
	if r := h.row(); r.Stage != workflows.StageReturned || r.FormRevision != 1 {
		h.t.Errorf("after the refusal: stage %s, revision %d; want returned, 1", r.Stage, r.FormRevision)
	}
	if st := h.state(); st.Stage != workflows.StageReturned {
		h.t.Errorf("process stage %s, want returned", st.Stage)
	}
}

// returnedThenWithdrawn checks the history of an application returned on
// 03-03 that nothing resubmitted: it closes when the wait runs out.
func (h *harness) returnedThenWithdrawn() {
	h.t.Helper()
	equal(h.t, "history", lines(h.events()), []string{
		"2026-03-02 09:00 applicant submitted",
		"2026-03-02 09:00 system county_review.opened",
		"2026-03-03 10:00 county_officer county_review.return",
		"2026-04-01 00:00 system withdrawn",
	})
}
