package workflows

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// registerUpdates registers every decision of the admission procedure.
// Validators only read state: a refused Update leaves no trace in history.
func (w *applicationWorkflow) registerUpdates(ctx workflow.Context) error {
	updates := []update{
		{UpdateCountyReview, rechecked(&w.process, w.validateCountyReview, w.countyReview, w.result), w.validateCountyReview},
		{UpdateResubmit, afterArrival(w, rechecked(&w.process, w.validateResubmit, w.resubmit, w.result)), w.validateResubmit},
		{UpdateExpertDraw, afterArrival(w, rechecked(&w.process, w.validateExpertDraw, w.expertDraw, w.result)), w.validateExpertDraw},
		{UpdateExpertOpinion, afterArrival(w, rechecked(&w.process, w.validateExpertOpinion, w.expertOpinion, w.result)), w.validateExpertOpinion},
		{UpdateSiteVisit, afterArrival(w, rechecked(&w.process, w.validateSiteVisit, w.siteVisit, w.result)), w.validateSiteVisit},
		{UpdateCityReview, afterArrival(w, rechecked(&w.process, w.validateCityReview, w.cityReview, w.result)), w.validateCityReview},
		{UpdateObjection, afterArrival(w, rechecked(&w.process, w.validateObjection, w.objection, w.result)), w.validateObjection},
		{UpdateObjectionRuling, afterArrival(w, rechecked(&w.process, w.validateObjectionRuling, w.objectionRuling, w.result)), w.validateObjectionRuling},
		{UpdateObjectionDay, w.openObjectionDay, w.validateObjectionDayTold},
		{UpdateObjectionsRuled, afterArrival(w, rechecked(&w.process, w.validateObjectionsRuled, w.objectionsRuled, w.result)), w.validateObjectionsRuled},
		{UpdateBureau, w.changeBureau, w.validateBureau},
	}
	if err := workflow.SetUpdateHandler(ctx, UpdateReady, func(ctx workflow.Context) (DecisionResult, error) {
		err := workflow.Await(ctx, func() bool { return w.st.Started && !w.starting })
		return w.result(), err
	}); err != nil {
		return err
	}
	return registerUpdates(ctx, updates)
}

// afterArrival makes decide wait, on a process brought over from the old
// system, until it has arrived at its stage — its deadline armed and its row
// written (bringOver) — so that no decision taken in that moment is followed
// by the arrival's deadline and task on a closed application
// (changeBroughtOverArrivesFirst). 初审 waits for any first stage itself
// (countyReview), and a day of objections told meanwhile waits for the
// arrival too (openObjectionDay).
func afterArrival[R any](w *applicationWorkflow, decide func(workflow.Context, R) (DecisionResult, error)) func(workflow.Context, R) (DecisionResult, error) {
	return func(ctx workflow.Context, r R) (DecisionResult, error) {
		if w.broughtOver != nil && !w.arrived() &&
			workflow.GetVersion(ctx, changeBroughtOverArrivesFirst, workflow.DefaultVersion, 1) == 1 {
			if err := workflow.Await(ctx, w.arrived); err != nil {
				return w.result(), err
			}
		}
		return decide(ctx, r)
	}
}

func (w *applicationWorkflow) requireStage(action string, stages ...string) error {
	for _, s := range stages {
		if w.st.Stage == s {
			return nil
		}
	}
	return conflict(fmt.Sprintf("申请当前处于“%s”阶段，不能%s", StageLabel(w.st.Stage), action), "stage", w.st.Stage)
}

func (w *applicationWorkflow) result() DecisionResult { return DecisionResult{Stage: w.st.Stage} }

// 第十一条: 初审 by the county of the brand — approve, reject (with reason),
// or return for supplement.
func (w *applicationWorkflow) validateCountyReview(ctx workflow.Context, r CountyReviewRequest) error {
	if err := w.requireStage("进行初审", StageCountyReview); err != nil {
		return err
	}
	if r.Actor.Role != string(auth.CountyOfficer) || r.Actor.County != w.reviewer() {
		return forbidden("初审由申请品牌所在县（市、区）人社部门办理")
	}
	switch r.Decision {
	case Approve:
	case Reject, Return:
		if strings.TrimSpace(r.Opinion) == "" {
			return invalid("请填写意见", RejectedField{Field: "opinion", Message: "不通过或退回补充时须写明理由"})
		}
	default:
		return invalid("初审结论无效", RejectedField{Field: "decision", Message: "须为 approve、reject 或 return"})
	}
	if err := w.reviewedRevision(r.FormRevision); err != nil {
		return err
	}
	return eligibilityGate(r.Decision, r.Unmet, r.Relaxations)
}

// reviewedRevision refuses a review read from another revision of the
// form than the one in force (a return and a resubmission came between the
// API's read and the Update): its unmet and judged criteria are that
// revision's, and the gate (RULES §2) would pass or refuse on them. A
// review that names none (sent before it was named) is not checked. The
// first submission is revision 1, which a process holds as 0 until a
// resubmission replaces it.
func (w *applicationWorkflow) reviewedRevision(rev int) error {
	inForce := max(w.st.FormRevision, 1)
	if rev == 0 || rev == inForce {
		return nil
	}
	return reject(RejectConflict, Rejection{Code: "form_changed",
		Message: fmt.Sprintf("申请材料已更新为第%d版，请刷新页面后按新材料审核", inForce),
		Details: map[string]any{"stage": w.st.Stage, "form_revision": inForce}})
}

func (w *applicationWorkflow) countyReview(ctx workflow.Context, r CountyReviewRequest) (DecisionResult, error) {
	defer w.holdSteps()() // the decision is on record before any step it leads to
	// A decision delivered with the first workflow task waits for the first
	// stage to be recorded, then checks that no other decision came first.
	if err := workflow.Await(ctx, func() bool { return w.st.Started && !w.starting }); err != nil {
		return w.result(), err
	}
	if err := w.requireStage("进行初审", StageCountyReview); err != nil {
		return w.result(), err
	}
	next := map[ReviewDecision]string{Approve: StageCityReview, Reject: StageRejected, Return: StageReturned}[r.Decision]
	step := w.actorStep(ctx, r.Actor, "county_review."+string(r.Decision), r.Opinion+relaxationNote(r.Decision, r.Relaxations))
	noteJudgement(&step, r.Decision, r.Relaxations, r.Judged)
	err := w.enter(ctx, next, step)
	return w.result(), err
}

// RULES §3 Decision: a returned application may be resubmitted while the
// wait lasts.
func (w *applicationWorkflow) validateResubmit(ctx workflow.Context, r ResubmitRequest) error {
	if err := w.requireStage("重新提交", StageReturned); err != nil {
		return err
	}
	ownHolder := r.Actor.Role == string(auth.Applicant) && r.Actor.USCC == w.in.USCC
	if !ownHolder && r.Actor.Role != string(auth.CityOfficer) {
		return forbidden("只有申报单位（或市级代录）可以重新提交")
	}
	// RULES §3: the supplement comes by the end of its last day; one that
	// comes with the lapse's instant, before the process has closed the
	// application, is too late. On an older calendar than the process
	// knows, the day that ran out is no longer moved by the newer one
	// (changeRanOutNeverMoves): it refuses too; before, the newer calendar
	// was awaited.
	d := w.st.Deadlines.get(keyResubmission)
	ranOut := d != nil && !w.now(ctx).Before(d.Value().DueAt)
	stale := d != nil && d.Value().CalendarVersion < w.st.Deadlines.CalendarVersion
	if ranOut && (!stale && ruleChanged(ctx, changeResubmissionBeforeLapse) || stale && ruleChanged(ctx, changeRanOutNeverMoves)) {
		return reject(RejectConflict, Rejection{Code: "resubmission_lapsed",
			Message: fmt.Sprintf("补充材料期限已于 %s 届满，不能再重新提交", d.Value().Due),
			Details: map[string]any{"stage": w.st.Stage, "due": d.Value().Due.String()}})
	}
	// Revision 1 is the first submission; a resubmission is a later one.
	if r.Revision < 2 || (r.Revision <= w.st.FormRevision && w.st.FormRevision != 0) {
		return conflict("该版本的申报材料已提交过", "stage", w.st.Stage)
	}
	return nil
}

func (w *applicationWorkflow) resubmit(ctx workflow.Context, r ResubmitRequest) (DecisionResult, error) {
	return w.applyResubmission(ctx, r, w.actorStep(ctx, r.Actor, "resubmitted", fmt.Sprintf("补充材料后重新提交（第%d版）", r.Revision)))
}

// applyResubmission makes revision r current and opens the 初审 again,
// recording step; the store refusing it (its name taken) undoes it.
func (w *applicationWorkflow) applyResubmission(ctx workflow.Context, r ResubmitRequest, step records.Step) (DecisionResult, error) {
	defer w.holdSteps()() // the decision is on record before any step it leads to
	undo := w.undoResubmission()
	w.st.FormRevision, w.st.ToldRevision = r.Revision, max(w.st.ToldRevision, r.Revision)
	// The supplement may rename the brand or its unit: the process follows
	// (its input travels on across continue-as-new).
	setIfGiven(&w.in.BrandName, r.BrandName)
	setIfGiven(&w.in.BrandType, r.BrandType)
	setIfGiven(&w.in.Category, r.Category)
	setIfGiven(&w.in.UnitName, r.UnitName)
	w.st.Stage = StageCountyReview
	w.changes++
	w.st.Deadlines.remove(keyResubmission)
	if _, err := w.st.Deadlines.arm(ctx, w, keyCountyReview, "初审", []string{string(auth.CountyOfficer)},
		w.ruleFor(ctx, auth.CountyOfficer, keyCountyReview, calendar.DateOf(step.At), deadline.Workdays, w.in.Policy.ServiceDays, w.in.Policy.Alerts)); err != nil {
		return w.result(), err
	}
	w.attachState(ctx, &step)
	err := execute(ctx, recording, ActivityApplyResubmission,
		records.ResubmissionRecord{Step: step, Revision: r.Revision}).Get(ctx, nil)
	if refused(err) {
		// Nothing was written: the application stays returned, as it was,
		// and shows so.
		undo()
		w.describe(ctx, records.Step{})
		if refusalDetail(err) == RefusedRevisionGone {
			return w.result(), reject(RejectConflict, Rejection{Code: "revision_gone", Message: "该版本的补充材料已不在案，请重新填写并提交",
				Details: map[string]any{"stage": w.st.Stage, "revision": r.Revision}})
		}
		return w.result(), reject(RejectConflict, Rejection{Code: "name_taken", Message: "该品牌名称已被占用（另一件在办申请或项目库中的品牌），请修改名称后重新提交",
			Details: map[string]any{"stage": w.st.Stage}, Fields: []RejectedField{{Field: "brand_name", Message: "名称已被占用"}}})
	}
	if err == nil {
		w.changes++
		err = w.upsertSearch(ctx)
	}
	return w.result(), err
}

// 第十二条: the city draws experts from the pool.
// requireCity refuses a decision that is the city's — the draw, a site
// visit, 复审, an objection's ruling (第十二条, 第十三条) — from any other
// role. The API's routes refuse it first; the process does too, as it
// refuses a 初审 from another county, so that no other caller of its
// Updates can decide for the city (change city-decisions-by-role, asked
// only where it refuses).
func (w *applicationWorkflow) requireCity(ctx workflow.Context, a Actor) error {
	if a.Role == string(auth.CityOfficer) || !ruleChanged(ctx, changeCityDecisionsByRole) {
		return nil
	}
	return forbidden("此事项由市级人社部门办理")
}

func (w *applicationWorkflow) validateExpertDraw(ctx workflow.Context, r ExpertDrawRequest) error {
	if err := w.requireStage("抽取专家", StageCityReview); err != nil {
		return err
	}
	if err := w.requireCity(ctx, r.Actor); err != nil {
		return err
	}
	if r.Count < 1 || r.Count > 15 {
		return invalid("抽取人数无效", RejectedField{Field: "count", Message: "须为1至15之间的整数"})
	}
	// Two officers drawing at once would both draw: the second is told of
	// the first's experts and decides again whether more are needed.
	if r.Drawn != nil && *r.Drawn != len(w.st.Drawn) {
		return conflict(fmt.Sprintf("已有其他人员抽取了专家，本申请现已抽取%d名；请查看后再决定是否补充抽取", len(w.st.Drawn)),
			"stage", w.st.Stage)
	}
	return nil
}

func (w *applicationWorkflow) expertDraw(ctx workflow.Context, r ExpertDrawRequest) (DecisionResult, error) {
	if workflow.GetVersion(ctx, changeDrawHoldsSteps, workflow.DefaultVersion, 1) == 1 {
		defer w.holdSteps()() // the draw is on record before a step that rewrites the tasks
	}
	var seed uint64
	// The seed is random but recorded (a side effect), so a replay draws the same experts.
	if err := workflow.SideEffect(ctx, func(workflow.Context) any { return randomSeed() }).Get(&seed); err != nil {
		return w.result(), err
	}
	w.st.DrawCount++
	last := w.st.Last // shown again if the draw is refused
	step := w.actorStep(ctx, r.Actor, "experts.drawn", fmt.Sprintf("抽取专家%d名", r.Count))
	w.attachState(ctx, &step)
	req := records.DrawRequest{Step: step, DrawNo: w.st.DrawCount, Seed: seed, Count: r.Count,
		Category: w.in.Category, CountyCode: w.in.CountyCode, USCC: w.in.USCC, Exclude: w.st.Drawn}
	if reviewer := w.reviewer(); reviewer != w.in.CountyCode {
		req.ReviewerCode = reviewer
	}
	if d := w.st.Deadlines.get(keyCityReview); d != nil {
		// Each drawn expert owes an opinion by the 复审 deadline.
		req.ExpertTask = &records.Task{Kind: "expert_opinion", ObjectType: "application", ObjectID: w.in.ApplicationID,
			BrandName: w.in.BrandName, CountyCode: w.in.CountyCode, Audience: "expert",
			Due: d.Value().Due.String(), DueAt: d.Value().DueAt, Provisional: d.Value().Provisional}
	}
	var res expertdraw.Result
	if err := execute(ctx, recording, ActivityDrawExperts, req).Get(ctx, &res); err != nil {
		if refused(err) { // nothing was written
			w.st.DrawCount--
			w.st.Last = last
			w.describe(ctx, records.Step{})
			if refusalDetail(err) == RefusedAppliedBefore { // its experts are in Drawn, carried from that run
				return w.result(), nil
			}
			return w.result(), reject(RejectConflict, Rejection{Code: "no_experts_available",
				Message: "专家库中已没有可抽取的专家（已抽取或应回避的除外），请先补充专家库", Details: map[string]any{"stage": w.st.Stage}})
		}
		return w.result(), err
	}
	w.st.Drawn = append(w.st.Drawn, res.Drawn...)
	w.describe(ctx, records.Step{}) // the experts drawn, counted
	return w.result(), nil
}

// 第十二条: each drawn expert files one opinion.
func (w *applicationWorkflow) validateExpertOpinion(ctx workflow.Context, r ExpertOpinionRequest) error {
	if err := w.requireStage("提交专家意见", StageCityReview); err != nil {
		return err
	}
	if !slices.Contains(w.st.Drawn, r.Actor.Sub) {
		return forbidden("只有为本申请抽取的专家可以提交意见")
	}
	if slices.Contains(w.st.Opinions, r.Actor.Sub) {
		return conflict("该专家已提交过意见", "stage", w.st.Stage)
	}
	if r.Score < 0 || r.Score > 100 {
		return invalid("评分无效", RejectedField{Field: "score", Message: "须为0至100之间的整数"})
	}
	return nil
}

func (w *applicationWorkflow) expertOpinion(ctx workflow.Context, r ExpertOpinionRequest) (DecisionResult, error) {
	w.st.Opinions = append(w.st.Opinions, r.Actor.Sub)
	w.changes++
	step := w.actorStep(ctx, r.Actor, "expert.opinion", fmt.Sprintf("评分%d", r.Score))
	w.attachState(ctx, &step)
	err := execute(ctx, recording, ActivitySaveOpinion,
		records.OpinionRecord{Step: step, ExpertID: r.Actor.Sub, Score: r.Score, Recommend: r.Recommend, Comment: r.Comment}).Get(ctx, nil)
	return w.result(), err
}

// 第十二条: a site visit when necessary (必要时).
func (w *applicationWorkflow) validateSiteVisit(ctx workflow.Context, r SiteVisitRequest) error {
	if err := w.requireStage("登记实地核查", StageCityReview); err != nil {
		return err
	}
	if err := w.requireCity(ctx, r.Actor); err != nil {
		return err
	}
	if r.VisitedOn.After(w.today(ctx)) {
		return invalid("核查日期无效", RejectedField{Field: "visited_on", Message: "不能晚于今天"})
	}
	return nil
}

func (w *applicationWorkflow) siteVisit(ctx workflow.Context, r SiteVisitRequest) (DecisionResult, error) {
	step := w.actorStep(ctx, r.Actor, "site_visit", "实地核查 "+r.VisitedOn.String())
	w.attachState(ctx, &step)
	err := execute(ctx, recording, ActivitySaveSiteVisit,
		records.SiteVisitRecord{Step: step, ID: workflow.GetCurrentUpdateInfo(ctx).ID, VisitedOn: r.VisitedOn, Findings: r.Findings}).Get(ctx, nil)
	return w.result(), err
}

// 第十二条 and RULES §3 Decision: approval needs opinions from at least the
// quorum of drawn experts; a rejection does not.
func (w *applicationWorkflow) validateCityReview(ctx workflow.Context, r CityReviewRequest) error {
	if err := w.requireStage("进行复审", StageCityReview); err != nil {
		return err
	}
	if err := w.requireCity(ctx, r.Actor); err != nil {
		return err
	}
	switch r.Decision {
	case Approve:
		if n, q := len(w.st.Opinions), w.in.Policy.ExpertQuorum; n < q {
			return reject(RejectConflict, Rejection{Code: "expert_quorum",
				Message: fmt.Sprintf("复审通过须至少%d位抽取专家提交意见，目前%d位", q, n),
				Details: map[string]any{"stage": w.st.Stage, "opinions": n, "quorum": q}})
		}
	case Reject:
		if strings.TrimSpace(r.Opinion) == "" {
			return invalid("请填写意见", RejectedField{Field: "opinion", Message: "不通过时须写明理由"})
		}
	default:
		return invalid("复审结论无效", RejectedField{Field: "decision", Message: "须为 approve 或 reject"})
	}
	if err := w.reviewedRevision(r.FormRevision); err != nil {
		return err
	}
	return eligibilityGate(r.Decision, r.Unmet, r.Relaxations)
}

func (w *applicationWorkflow) cityReview(ctx workflow.Context, r CityReviewRequest) (DecisionResult, error) {
	defer w.holdSteps()() // the decision is on record before any step it leads to
	next := StagePublicNotice
	if r.Decision == Reject {
		next = StageRejected
	}
	step := w.actorStep(ctx, r.Actor, "city_review."+string(r.Decision), r.Opinion+relaxationNote(r.Decision, r.Relaxations))
	noteJudgement(&step, r.Decision, r.Relaxations, r.Judged)
	err := w.enter(ctx, next, step)
	return w.result(), err
}

// 第十三条: objections are received during the notice period; a mailed one
// counts from its postmark date.
func (w *applicationWorkflow) validateObjection(ctx workflow.Context, r ObjectionRequest) error {
	if err := w.requireStage("受理异议", StagePublicNotice, StageObjectionReview); err != nil {
		return err
	}
	if r.ReceivedOn.Before(w.st.NoticeStart) || r.ReceivedOn.After(w.st.NoticeEnd) {
		return reject(RejectConflict, Rejection{Code: "outside_notice_period",
			Message: fmt.Sprintf("异议须在公示期内（%s 至 %s）提出", w.st.NoticeStart, w.st.NoticeEnd),
			Details: map[string]any{"stage": w.st.Stage, "notice_start": w.st.NoticeStart.String(), "notice_end": w.st.NoticeEnd.String()}})
	}
	for _, o := range w.st.Objections {
		if o.ID == r.ObjectionID {
			return conflict("该异议已受理", "stage", w.st.Stage)
		}
	}
	return nil
}

func (w *applicationWorkflow) objection(ctx workflow.Context, r ObjectionRequest) (DecisionResult, error) {
	defer w.holdSteps()() // the notice must not end before the objection is on record
	w.st.Objections = append(w.st.Objections, ObjectionState{ID: r.ObjectionID, ReceivedOn: r.ReceivedOn})
	w.changes++
	// 第十三条 + 民法典第二百零一条: 10 working days counted from the day after receipt.
	d, err := w.st.Deadlines.arm(ctx, w, keyObjection+r.ObjectionID, "异议裁定", []string{string(auth.CityOfficer)},
		w.ruleFor(ctx, auth.CityOfficer, keyObjection+r.ObjectionID, r.ReceivedOn, deadline.Workdays, w.in.Policy.ObjectionRulingDays, w.in.Policy.Alerts))
	if err != nil {
		return w.result(), err
	}
	step := w.actorStep(ctx, r.Actor, "objection.received", fmt.Sprintf("收到异议（%s，%s），裁定期限 %s", viaLabel(r.Via), r.ReceivedOn, d.Value().Due))
	w.attachState(ctx, &step)
	err = execute(ctx, recording, ActivityAcceptObjection,
		records.ObjectionRecord{Step: step, ObjectionID: r.ObjectionID, RulingDue: d.Value().Due}).Get(ctx, nil)
	w.changes++
	if err == nil {
		err = w.upsertSearch(ctx)
	}
	return w.result(), err
}

// 第十三条: the city rules on each objection; an upheld one rejects.
func (w *applicationWorkflow) validateObjectionRuling(ctx workflow.Context, r ObjectionRulingRequest) error {
	if err := w.requireStage("裁定异议", StagePublicNotice, StageObjectionReview); err != nil {
		return err
	}
	if err := w.requireCity(ctx, r.Actor); err != nil {
		return err
	}
	for _, o := range w.st.Objections {
		if o.ID == r.ObjectionID {
			if o.Ruled { // as a ruling on an objection received by day is refused
				return reject(RejectConflict, Rejection{Code: "already_ruled", Message: "该异议已裁定", Details: map[string]any{"stage": w.st.Stage}})
			}
			if strings.TrimSpace(r.Reason) == "" {
				return invalid("请填写裁定理由", RejectedField{Field: "reason", Message: "必填"})
			}
			return nil
		}
	}
	return reject(RejectConflict, Rejection{Code: "unknown_objection", Message: "该申请没有这项异议",
		Details: map[string]any{"stage": w.st.Stage}})
}

func (w *applicationWorkflow) objectionRuling(ctx workflow.Context, r ObjectionRulingRequest) (DecisionResult, error) {
	if err := w.afterNoticeEnd(ctx, func() error { return w.validateObjectionRuling(ctx, r) }); err != nil {
		return w.result(), err
	}
	defer w.holdSteps()() // the ruling is on record before the admission it may lead to
	for i := range w.st.Objections {
		if w.st.Objections[i].ID == r.ObjectionID {
			w.st.Objections[i].Ruled, w.st.Objections[i].Upheld = true, r.Upheld
		}
	}
	w.st.Deadlines.remove(keyObjection + r.ObjectionID)
	w.changes++
	verdict := "异议不成立"
	if r.Upheld {
		verdict = "异议成立，申请不予入库"
		w.st.Stage = StageRejected
		w.st.Deadlines.Items = nil
	}
	step := w.actorStep(ctx, r.Actor, "objection.ruled", verdict)
	w.attachState(ctx, &step)
	err := execute(ctx, recording, ActivityRuleObjection,
		records.RulingRecord{Step: step, ObjectionID: r.ObjectionID, Upheld: r.Upheld, Reason: r.Reason}).Get(ctx, nil)
	if err == nil {
		err = w.upsertSearch(ctx)
	}
	return w.result(), err
}

func viaLabel(via string) string {
	if via == "mail" {
		return "邮寄，以邮戳日期为准"
	}
	return "网上提交"
}

// StageLabel is a stage's Chinese name.
func StageLabel(stage string) string {
	switch stage {
	case StageCountyReview:
		return "县级初审"
	case StageReturned:
		return "退回补充"
	case StageCityReview:
		return "市级复审"
	case StagePublicNotice:
		return "公示"
	case StageObjectionReview:
		return "异议复核"
	case StageAdmitted:
		return "已入库"
	case StageRejected:
		return "未通过"
	case StageWithdrawn:
		return "已撤回"
	}
	return stage
}

func setIfGiven(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// randomSeed draws an expert draw's seed; call it only inside
// workflow.SideEffect, which records it so a replay draws the same.
func randomSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// refused reports whether err is an activity's final refusal (RefusedError).
func refused(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == RefusedError
}

// refusalDetail is the detail a refusal names, if any.
func refusalDetail(err error) string {
	var appErr *temporal.ApplicationError
	var detail string
	if errors.As(err, &appErr) && appErr.HasDetails() && appErr.Details(&detail) == nil {
		return detail
	}
	return ""
}

// undoResubmission returns a func that puts back what a resubmission
// changes — the form's revision, the names, the stage and its deadlines —
// and nothing else: a calendar revision the process took while the name
// was being checked stays taken.
func (w *applicationWorkflow) undoResubmission() func() {
	rev, in, stage, items, last := w.st.FormRevision, w.in, w.st.Stage, slices.Clone(w.st.Deadlines.Items), w.st.Last
	return func() {
		w.st.FormRevision, w.in, w.st.Stage, w.st.Deadlines.Items, w.st.Last = rev, in, stage, items, last
		w.changes++
	}
}
