package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// updateApplication applies a decision to the application's running process
// and waits until it is applied and persisted (or refused).
func (s *Server) updateApplication(c *gin.Context, ref store.ApplicationRef, name string, arg any) error {
	return s.updateApplicationAs(c, ref, name, s.updateID(c), arg)
}

// updateApplicationAs is updateApplication with the Update's ID given.
func (s *Server) updateApplicationAs(c *gin.Context, ref store.ApplicationRef, name, updateID string, arg any) error {
	err := s.applyUpdateAs(c, workflows.ApplicationWorkflowID(ref.ID), ref.RunID, name, updateID, arg, nil)
	if err != nil && update.Closed(err) {
		stage := ref.Stage
		if fresh, e := s.Store.GetApplicationRef(c, ref.ID); e == nil {
			stage = fresh.Stage
		}
		if !workflows.IsFinalStage(stage) {
			s.Log.Warn("decision on an open application: process or Update not found", "application", ref.ID, "update", name, "error", err)
			// The application is open, so its process runs or is about to
			// (the starter starts a stored submission's process): the
			// process was not found, or the Update was lost with a Temporal
			// restart. A retry with the same Idempotency-Key applies it once.
			return errUnavailable("申请的办理流程暂时无法处理该决定，请稍后重试")
		}
		return errConflict("申请已办结（"+workflows.StageLabel(stage)+"），不能再办理", map[string]any{"stage": stage})
	}
	return err
}

// applyUpdate sends Update name to a running process and waits until it is
// applied and persisted, or refused; bounded by the Temporal timeout, so no
// worker means a 503, never a hung request.
func (s *Server) applyUpdate(c *gin.Context, workflowID, runID, name string, arg any) error {
	return s.applyUpdateAs(c, workflowID, runID, name, s.updateID(c), arg, nil)
}

// applyUpdateAs is applyUpdate with the Update's ID given — Temporal applies
// an ID once per run, so requests that mean the same step share one — and
// its result decoded into result (when not nil).
// The Update goes to runID, the run that wrote the process's last step, when
// known (update.ToRun).
func (s *Server) applyUpdateAs(c *gin.Context, workflowID, runID, name, updateID string, arg, result any) error {
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	// Noted before it is sent: should this request stop between the
	// process's answer and the writes, the writes sweep has the process make
	// them (settler).
	if err := s.Store.NoteDecisionSent(ctx, updateID, workflowID); err != nil {
		s.Log.Warn("a decision not noted before it is sent", "error", err)
		return errUnavailable("暂时无法办理该决定，请稍后重试")
	}
	handle, err := update.ToRun(ctx, s.Temporal, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, RunID: runID, UpdateName: name, Args: []any{arg},
		UpdateID: updateID, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	var raw json.RawMessage
	if err == nil {
		err = handle.Get(ctx, &raw)
	}
	if err != nil {
		if update.Answered(err) {
			s.forgetSent(ctx, updateID)
		}
		return err
	}
	if err := s.makeWrites(ctx, raw); err != nil {
		return err
	}
	s.forgetSent(ctx, updateID)
	if result == nil {
		return nil
	}
	return json.Unmarshal(raw, result)
}

// forgetSent forgets the note of a decision that is on record or refused.
// A note not forgotten only costs the process a settle-writes Update later.
func (s *Server) forgetSent(ctx context.Context, updateID string) {
	if err := s.Store.ForgetDecisionSent(ctx, updateID); err != nil {
		s.Log.Warn("a decision's note not forgotten; the writes sweep will", "update", updateID, "error", err)
	}
}

// makeWrites makes the writes the decision's result leaves to its caller
// (workflows.DecisionResult.Writes), so that it is on record before the
// answer. The process makes them too; both land once. A failure is a 503:
// the decision is applied and its process will write it, and a retry with
// the same Idempotency-Key writes it again.
func (s *Server) makeWrites(ctx context.Context, raw json.RawMessage) error {
	writes := records.WritesOf(raw)
	if len(writes) == 0 {
		return nil // a result without writes: nothing left to the caller
	}
	if s.Writes == nil {
		return errors.New("the API has no DecisionWriter for a decision's writes")
	}
	if err := s.Writes.Write(ctx, writes); err != nil {
		s.Log.Warn("a decision's writes: retry", "error", err)
		return errUnavailable("决定已受理，记录暂时无法写入，请用同一 Idempotency-Key 重试")
	}
	return nil
}

// decide applies a decision and answers with the updated view.
func (s *Server) decide(c *gin.Context, ref store.ApplicationRef, name string, arg any) {
	if err := s.updateApplication(c, ref, name, arg); err != nil {
		fail(c, err)
		return
	}
	s.respondApplication(c, http.StatusOK, ref.ID)
}

// updateID derives the Update's ID from the Idempotency-Key, so that a
// retried request is deduplicated by Temporal as well; without a key every
// request is a new Update. A request has one: asked again, it is the same
// (a record stored with its Update names the one then sent).
func (s *Server) updateID(c *gin.Context) string {
	if id := c.GetString(updateIDKey); id != "" {
		return id
	}
	id := newID("U")
	if key := c.GetHeader(IdempotencyHeader); key != "" {
		sum := sha256.Sum256([]byte(principal(c).Sub + "\x00" + c.Request.URL.Path + "\x00" + key))
		id = "K" + hex.EncodeToString(sum[:12])
	}
	c.Set(updateIDKey, id)
	return id
}

// updateIDKey keeps a request's Update ID in its context.
const updateIDKey = "laborbrand.update_id"

type countyReviewBody struct {
	Decision    workflows.ReviewDecision `json:"decision" enum:"county_decision" doc:"approve 通过，reject 不予推荐，return 退回补充"`
	Opinion     string                   `json:"opinion,omitempty" doc:"初审意见：不予推荐或退回时必填，不超过5000字" maxLength:"5000"`
	Relaxations []workflows.Relaxation   `json:"relaxations,omitempty" doc:"放宽的条件及理由（第八条、第九条的个别条件；至多10项，理由各不超过2000字）" maxItems:"10"`
	// FormRevision is the revision the officer reviewed (the console sends
	// the one its page showed).
	FormRevision int `json:"form_revision,omitempty" doc:"所审核的推荐表版本（申请视图的 form_revision）；与现行版本不同时 409 form_changed，须按新材料审核"`
}

// reviewedCurrentForm refuses a review of a revision of the form that a
// resubmission has since replaced (409 form_changed), as the process
// refuses one read before it; 0 names none. It answers itself.
func reviewedCurrentForm(c *gin.Context, ref store.ApplicationRef, rev int) bool {
	if rev == 0 || rev == ref.FormRevision {
		return true
	}
	fail(c, &Error{Status: http.StatusConflict, Code: "form_changed",
		Message: fmt.Sprintf("申请材料已更新为第%d版，请刷新页面后按新材料审核", ref.FormRevision),
		Details: map[string]any{"stage": ref.Stage, "form_revision": ref.FormRevision}})
	return false
}

// reviewTextProblems bounds a review's free text: it travels in the
// decision's Update and its step, kept in Temporal's history as well as
// PostgreSQL, and a body of 1 MiB of opinion would be kept twice for good.
func reviewTextProblems(opinion string, relaxations []workflows.Relaxation) []FieldError {
	var fields []FieldError
	if utf8.RuneCountInString(opinion) > 5000 {
		fields = append(fields, FieldError{Field: "opinion", Message: "不超过5000字"})
	}
	if len(relaxations) > 10 {
		fields = append(fields, FieldError{Field: "relaxations", Message: "至多10项"})
	}
	for i, r := range relaxations {
		if utf8.RuneCountInString(r.Reason) > 2000 {
			fields = append(fields, FieldError{Field: fmt.Sprintf("relaxations[%d].reason", i), Message: "不超过2000字"})
		}
		if len(r.Criterion) > 100 {
			fields = append(fields, FieldError{Field: fmt.Sprintf("relaxations[%d].criterion", i), Message: "不是有效的条件代码"})
		}
	}
	return fields
}

// countyReview is the 初审 of 第十一条, by the brand's county only.
func (s *Server) countyReview(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b countyReviewBody
	if !bindJSON(c, &b) {
		return
	}
	if fields := reviewTextProblems(b.Opinion, b.Relaxations); len(fields) > 0 {
		fail(c, errInvalid("初审意见有误", fields...))
		return
	}
	if !reviewedCurrentForm(c, ref, b.FormRevision) {
		return
	}
	s.decide(c, ref, workflows.UpdateCountyReview, workflows.CountyReviewRequest{Actor: actorOf(principal(c)),
		Decision: b.Decision, Opinion: strings.TrimSpace(b.Opinion), Unmet: unmetCriteria(ref), Relaxations: b.Relaxations,
		Judged: judgedCriteria(ref), FormRevision: ref.FormRevision})
}

type expertDrawBody struct {
	Count *int `json:"count,omitempty" min:"1" doc:"抽取人数，缺省 5"`
	Drawn *int `json:"drawn,omitempty" min:"0" doc:"提交者所见的已抽取专家人数；其间他人已抽取的（人数不同），本次不抽取，409。不给则不核对"`
}

// expertDraw draws experts for 复审 (第十二条).
func (s *Server) expertDraw(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b expertDrawBody
	if !bindJSON(c, &b) {
		return
	}
	n := 5
	if b.Count != nil {
		n = *b.Count
	}
	if b.Drawn != nil && *b.Drawn < 0 {
		fail(c, errInvalid("已抽取人数有误", FieldError{Field: "drawn", Message: "须为不小于0的整数"}))
		return
	}
	s.decide(c, ref, workflows.UpdateExpertDraw, workflows.ExpertDrawRequest{Actor: actorOf(principal(c)), Count: n, Drawn: b.Drawn})
}

type expertOpinionBody struct {
	Score     *int   `json:"score" min:"0" max:"100" doc:"评分，0–100"`
	Recommend *bool  `json:"recommend" doc:"是否推荐入库"`
	Comment   string `json:"comment,omitempty" doc:"评审意见，不超过2000字" maxLength:"2000"`
}

// expertOpinion is a drawn expert's opinion; the token's sub is its id.
func (s *Server) expertOpinion(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b expertOpinionBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	// The range is the validator's (第十二条 opinions); here only the shape.
	if b.Score == nil {
		fields = append(fields, FieldError{Field: "score", Message: "必填，0至100之间的整数"})
	}
	if b.Recommend == nil {
		fields = append(fields, FieldError{Field: "recommend", Message: "必填，是否推荐入库"})
	}
	if len([]rune(b.Comment)) > 2000 {
		fields = append(fields, FieldError{Field: "comment", Message: "不超过2000字"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("专家意见有误", fields...))
		return
	}
	s.decide(c, ref, workflows.UpdateExpertOpinion, workflows.ExpertOpinionRequest{Actor: actorOf(principal(c)),
		Score: *b.Score, Recommend: *b.Recommend, Comment: b.Comment})
}

type siteVisitBody struct {
	VisitedOn string `json:"visited_on" format:"date" doc:"核查日期"`
	Findings  string `json:"findings" doc:"核查情况，不超过5000字" maxLength:"5000"`
}

// siteVisit records a site visit (第十二条 "必要时").
func (s *Server) siteVisit(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b siteVisitBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	day, err := calendar.ParseDate(b.VisitedOn)
	if err != nil {
		fields = append(fields, FieldError{Field: "visited_on", Message: "须为日期 YYYY-MM-DD"})
	}
	if n := len([]rune(strings.TrimSpace(b.Findings))); n == 0 || n > 5000 {
		fields = append(fields, FieldError{Field: "findings", Message: "必填，不超过5000字"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("实地核查记录有误", fields...))
		return
	}
	s.decide(c, ref, workflows.UpdateSiteVisit, workflows.SiteVisitRequest{Actor: actorOf(principal(c)), VisitedOn: day, Findings: b.Findings})
}

type cityReviewBody struct {
	Decision     workflows.ReviewDecision `json:"decision" enum:"city_decision" doc:"approve 通过（进入公示），reject 不予入库"`
	Opinion      string                   `json:"opinion,omitempty" doc:"复审意见：不予入库时必填，不超过5000字" maxLength:"5000"`
	Relaxations  []workflows.Relaxation   `json:"relaxations,omitempty" doc:"放宽的条件及理由（至多10项，理由各不超过2000字）" maxItems:"10"`
	FormRevision int                      `json:"form_revision,omitempty" doc:"所审核的推荐表版本；与现行版本不同时 409 form_changed"`
}

// cityReview is the 复审 of 第十二条.
func (s *Server) cityReview(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	var b cityReviewBody
	if !bindJSON(c, &b) {
		return
	}
	if fields := reviewTextProblems(b.Opinion, b.Relaxations); len(fields) > 0 {
		fail(c, errInvalid("复审意见有误", fields...))
		return
	}
	if !reviewedCurrentForm(c, ref, b.FormRevision) {
		return
	}
	s.decide(c, ref, workflows.UpdateCityReview, workflows.CityReviewRequest{Actor: actorOf(principal(c)),
		Decision: b.Decision, Opinion: strings.TrimSpace(b.Opinion), Unmet: unmetCriteria(ref), Relaxations: b.Relaxations,
		Judged: judgedCriteria(ref), FormRevision: ref.FormRevision})
}

// judgedCriteria are the criteria of the application's current form that
// are the reviewer's judgement (a distinct name, a trained workforce): the
// officer who approves confirms them, and the history says so (RULES §2).
func judgedCriteria(ref store.ApplicationRef) []string {
	var checks []form.Check
	if err := json.Unmarshal(ref.Eligibility, &checks); err != nil {
		return nil
	}
	var judged []string
	for _, c := range checks {
		if c.Result == form.ResultReviewer {
			judged = append(judged, c.Criterion)
		}
	}
	return judged
}

// unmetCriteria are the criteria the application's current form does not
// meet, from its stored checklist: the facts the review's validator gates an
// approval on (RULES §2 the gate).
func unmetCriteria(ref store.ApplicationRef) []workflows.UnmetCriterion {
	var checks []form.Check
	if err := json.Unmarshal(ref.Eligibility, &checks); err != nil {
		return nil // a checklist is written with every revision; none means nothing to gate
	}
	var unmet []workflows.UnmetCriterion
	for _, c := range checks {
		if c.Result == form.ResultNotMet {
			unmet = append(unmet, workflows.UnmetCriterion{Criterion: c.Criterion, Relaxable: c.Relaxable})
		}
	}
	return unmet
}
