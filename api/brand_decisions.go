package api

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Decisions on an admitted brand (第十五条) — the officers', and the
// holder's evaluation report: each is an Update of the brand's process,
// answered with the updated brand view.

// fieldCheck collects the failing fields of one request, and a check that
// could not be made because a read failed (unavailable): the request is then
// answered with that read's error (503 for a database that did not answer),
// never judged on what could not be read.
type fieldCheck struct {
	fields      []FieldError
	unavailable error
}

func (f *fieldCheck) add(field, msg string) {
	f.fields = append(f.fields, FieldError{Field: field, Message: msg})
}

// text requires v (trimmed) to have 1..max characters.
func (f *fieldCheck) text(field, v string, max int, msg string) string {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n == 0 || n > max {
		f.add(field, msg)
	}
	return v
}

// pastDate requires v to be a date not after today.
func (f *fieldCheck) pastDate(field, v string, today calendar.Date) calendar.Date {
	d, err := calendar.ParseDate(v)
	switch {
	case err != nil:
		f.add(field, "必填：日期 YYYY-MM-DD")
	case d.After(today):
		f.add(field, "不能晚于今天（"+today.String()+"）")
	}
	return d
}

func (f *fieldCheck) failed(c *gin.Context, msg string) bool {
	switch {
	case f.unavailable != nil:
		fail(c, f.unavailable)
	case len(f.fields) > 0:
		fail(c, errInvalid(msg, f.fields...))
	default:
		return false
	}
	return true
}

type findingBody struct {
	Reason      string `json:"reason" enum:"finding_reason" doc:"问题代码（第十五条（一）–（三））：级别由代码决定；rectification_measures_inadequate 仅在二级整改期间"`
	Description string `json:"description" doc:"问题描述，不超过5000字" maxLength:"5000"`
	ReportID    string `json:"report_id,omitempty" doc:"由此前不予立案的举报认定问题时，该举报的编号（待处理的举报请在核查处理时认定；已认定问题、已报请移出或已终止的不可再用）"`
}

// finding records a finding (第十五条（一）–（三）): its level follows from the
// reason; a county officer for its own county, or the city.
func (s *Server) finding(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b findingBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	desc := f.text("description", b.Description, 5000, "必填：问题情况说明，不超过5000字")
	findingID := s.recordID(c, "FD") // the Idempotency-Key's: a retry names the finding its first attempt made
	if b.ReportID != "" {
		// A report the store could not be asked about is no field error:
		// the database's 503 answers.
		switch r, err := s.Store.GetReport(c, b.ReportID); {
		case errors.Is(err, store.ErrNotFound) || err == nil && r.BrandID != ref.ID:
			f.add("report_id", "该品牌没有这件举报")
		case err == nil && r.Status == "open":
			// An open report is settled by its triage, which closes it and
			// its deadline; a finding that only named it would leave it open
			// and able to open a second one.
			f.add("report_id", "该举报尚未核查处理：请在“举报”页面对其核查处理时选择“认定问题”，整改由此下达，举报随之办结")
		case err == nil && r.Status != reportDismissed:
			// Decided already — by the finding or the removal report its
			// triage opened, or closed with its brand's removal: a second
			// finding would be a second decision on one report. A report
			// dismissed may still be named by a finding made later.
			f.add("report_id", "该举报已处理（已认定问题、已报请移出或已终止），不能再据此认定问题；新发现的问题请直接认定，不填举报编号")
		case err != nil:
			fail(c, err)
			return
		default: // dismissed: named by one finding at most
			named, err := s.Store.ReportNamedByFinding(c, b.ReportID, findingID)
			if err != nil {
				fail(c, err)
				return
			}
			if named {
				f.add("report_id", "已有问题认定依据该举报，不能再据此认定问题；新发现的问题请直接认定，不填举报编号")
			}
		}
	}
	if f.failed(c, "问题认定有误") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateFinding, workflows.FindingRequest{Actor: actorOf(principal(c)),
		FindingID: findingID, Reason: b.Reason, Description: desc, ReportID: b.ReportID})
}

// confirmRectification is the county's confirmation that the brand has
// rectified (第十五条（一）（二）): the brand is active again.
func (s *Server) confirmRectification(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b noteBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	note := f.text("note", b.Note, 5000, "必填：整改核查情况，不超过5000字")
	findingID := strings.TrimSpace(b.FindingID)
	if len(findingID) > 100 {
		f.add("finding_id", "不超过100个字符")
	}
	if f.failed(c, "整改确认有误") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: actorOf(principal(c)), Note: note, FindingID: findingID})
}

// noteBody is a confirmation's (NoteRequest in the contract, a name clients
// generate from): a note, and the order confirmed where two run.
type noteBody struct {
	Note      string `json:"note" doc:"整改核查情况，不超过5000字" maxLength:"5000"`
	FindingID string `json:"finding_id,omitempty" doc:"所确认整改的问题编号（open_matters 中 rectification 事项的 id）；同时有两项整改时指明哪一项，省略时为品牌正在进行的整改" maxLength:"100"`
}

type interviewBody struct {
	HeldOn string `json:"held_on" format:"date" doc:"约谈日期；三个月整改期自此日起算"`
	Note   string `json:"note" doc:"约谈记录，不超过5000字" maxLength:"5000"`
}

// interview records the county's 约谈 (第十五条（二）); the three-month
// window runs from the interview date.
func (s *Server) interview(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b interviewBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	held := f.pastDate("held_on", b.HeldOn, s.today())
	note := f.text("note", b.Note, 5000, "必填：约谈记录，不超过5000字")
	if f.failed(c, "约谈记录有误") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateInterview, workflows.InterviewRequest{Actor: actorOf(principal(c)), HeldOn: held, Note: note})
}

type provinceReportBody struct {
	ReportedOn string `json:"reported_on" format:"date" doc:"报省日期"`
	DocNo      string `json:"doc_no" doc:"报省文号" maxLength:"100"`
}

type suspensionBody struct {
	Suspend        *bool               `json:"suspend" doc:"true 暂停（或延长暂停）标识使用权，false 不暂停"`
	Reason         string              `json:"reason" doc:"决定理由，不超过5000字" maxLength:"5000"`
	ProvinceReport *provinceReportBody `json:"province_report,omitempty" doc:"县（市、区）人社部门就暂停上报省级人社部门的日期和文号（第十五条（三））"`
}

// suspensionDecision is the city's decision on a proposed suspension or on
// renewing one (第十五条（三）), with the county's report to the province
// when one was made.
func (s *Server) suspensionDecision(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b suspensionBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	if b.Suspend == nil {
		f.add("suspend", "必填：是否暂停（或延长暂停）标识使用权")
	}
	reason := f.text("reason", b.Reason, 5000, "必填：决定理由，不超过5000字")
	var province *workflows.ProvinceReport
	if pr := b.ProvinceReport; pr != nil {
		day := f.pastDate("province_report.reported_on", pr.ReportedOn, s.today())
		doc := f.text("province_report.doc_no", pr.DocNo, 100, "必填：报省文号，不超过100字")
		province = &workflows.ProvinceReport{ReportedOn: day, DocNo: doc}
	}
	if f.failed(c, "暂停决定有误") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateSuspensionDecision, workflows.SuspensionDecisionRequest{Actor: actorOf(principal(c)),
		Suspend: *b.Suspend, Reason: reason, ProvinceReport: province})
}

type removalReportBody struct {
	// Reasons are the 附件3 boxes ticked; a single Reason is still accepted.
	Reasons     []string `json:"reasons,omitempty" enum:"removal_reason" doc:"移出理由（附件3），可多项"`
	Reason      string   `json:"reason,omitempty" enum:"removal_reason" doc:"单项移出理由（旧写法，与 reasons 二选一）"`
	Description string   `json:"description" doc:"情况说明，不超过5000字" maxLength:"5000"`
}

// removalReport is the county's report proposing removal (附件3, 第十五条（四）).
func (s *Server) removalReport(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b removalReportBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	desc := f.text("description", b.Description, 5000, "必填：情况说明，不超过5000字")
	checkRemovalReasons(&f, b.Reasons)
	if f.failed(c, "移出报告有误") {
		return
	}
	// The codes are the validator's (附件3); here only the shape.
	s.decideBrand(c, ref, workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: actorOf(principal(c)),
		Reasons: b.Reasons, Reason: b.Reason, Description: desc})
}

// checkRemovalReasons bounds the 附件3 boxes ticked: each at most once,
// so that a request cannot carry an endless list into the brand's history.
// Which codes are valid is the process's validator's to say.
func checkRemovalReasons(f *fieldCheck, reasons []string) {
	seen := map[string]bool{}
	for _, r := range reasons {
		if seen[r] || len(seen) == len(workflows.RemovalReasons) {
			f.add("reasons", "每种移出情形只能选一次")
			return
		}
		seen[r] = true
	}
}

type removalDecisionBody struct {
	Remove *bool  `json:"remove" doc:"true 移出项目库，false 不移出"`
	Reason string `json:"reason" doc:"决定理由"`
}

// removalDecision is the city's decision on a proposed removal (第十五条（四）).
func (s *Server) removalDecision(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b removalDecisionBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	if b.Remove == nil {
		f.add("remove", "必填：是否移出项目库")
	}
	reason := f.text("reason", b.Reason, 5000, "必填：决定理由，不超过5000字")
	if f.failed(c, "移出决定有误") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: actorOf(principal(c)),
		Remove: *b.Remove, Reason: reason})
}

type assessmentBody struct {
	Outcome workflows.AssessmentOutcome `json:"outcome" doc:"pass 通过，findings 有问题（一级整改），removal_proposed 建议移出"`
	Opinion string                      `json:"opinion,omitempty" doc:"评估意见：findings 与 removal_proposed 必填，不超过5000字" maxLength:"5000" doc:"意见"`
}

// assessment is the city's 综合评估 of an evaluation report (第十五条).
func (s *Server) assessment(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b assessmentBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	// A pass may go without words; findings and a removal proposal must say why.
	opinion := strings.TrimSpace(b.Opinion)
	if b.Outcome != workflows.OutcomePass || opinion != "" {
		opinion = f.text("opinion", b.Opinion, 5000, "必填：评估意见（发现问题或不再符合条件时须写明），不超过5000字")
	}
	if f.failed(c, "评估意见有误") {
		return
	}
	e, err := s.Store.GetEvaluation(c, c.Param("eid"))
	if !found(c, err, err == nil && e.BrandID == ref.ID, "该品牌没有这份评估报告") {
		return
	}
	s.decideBrand(c, ref, workflows.UpdateEvaluationAssessment, workflows.AssessmentRequest{Actor: actorOf(principal(c)),
		ReportID: c.Param("eid"), Outcome: b.Outcome, Opinion: opinion})
}

type changeOpinionBody struct {
	Approve *bool  `json:"approve" doc:"是否同意"`
	Opinion string `json:"opinion" doc:"意见"`
}

// changeOpinion is an opinion on a change request (附件2): a county officer
// gives the county step, the city the city step; the process checks that
// the request is at that step.
func (s *Server) changeOpinion(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b changeOpinionBody
	if !bindJSON(c, &b) {
		return
	}
	var f fieldCheck
	if b.Approve == nil {
		f.add("approve", "必填：是否同意变更")
	}
	opinion := f.text("opinion", b.Opinion, 5000, "必填：审核意见，不超过5000字")
	if f.failed(c, "变更审核意见有误") {
		return
	}
	ch, ok := s.brandChange(c, ref)
	if !ok {
		return
	}
	// RULES §3: a new name or holder is checked again where it is agreed to,
	// as an application's name is at each submission — it may have been
	// taken, or banned, since the request — and no import checks the
	// library from that check until the approval's writes are made.
	if *b.Approve {
		release, ok := s.changeStillFree(c, ref, ch)
		if !ok {
			return
		}
		defer release()
	}
	s.decideBrand(c, ref, workflows.UpdateChangeOpinion, workflows.ChangeOpinionRequest{Actor: actorOf(principal(c)),
		ChangeID: c.Param("cid"), Approve: *b.Approve, Opinion: opinion})
}

// evaluationBody is the holder's biennial status report (第十五条): counts
// of the period's violations, major complaints and major accidents, the
// current figures, and a summary.
type evaluationBody struct {
	Period           string   `json:"period" doc:"评估周期，如 2026-2028"`
	Violations       *int64   `json:"violations" doc:"周期内的违法违纪行为次数"`
	MajorComplaints  *int64   `json:"major_complaints" doc:"重大投诉次数"`
	MajorAccidents   *int64   `json:"major_accidents" doc:"重大质量安全事故次数"`
	DirectEmployees  *int64   `json:"direct_employees" doc:"直接从业人数"`
	DrivenEmployment *int64   `json:"driven_employment" doc:"带动就业人数"`
	LaborIncomeWan   *float64 `json:"labor_income_wan" doc:"劳务经济收入（万元）"`
	TraineesTwoYears *int64   `json:"trainees_two_years" doc:"近两年培训人次"`
	Summary          string   `json:"summary" doc:"发展情况综述，不超过2000字" maxLength:"2000"`
}

var periodPattern = regexp.MustCompile(`^([0-9]{4})-([0-9]{4})$`)

func (b *evaluationBody) validate() fieldCheck {
	var f fieldCheck
	if m := periodPattern.FindStringSubmatch(b.Period); m == nil || m[2] <= m[1] {
		f.add("period", "必填：评估周期，如 2026-2028")
	}
	for _, n := range []struct {
		field string
		v     *int64
	}{{"violations", b.Violations}, {"major_complaints", b.MajorComplaints}, {"major_accidents", b.MajorAccidents},
		{"direct_employees", b.DirectEmployees}, {"driven_employment", b.DrivenEmployment}, {"trainees_two_years", b.TraineesTwoYears}} {
		if n.v == nil || !form.ValidCount(*n.v) {
			f.add(n.field, fmt.Sprintf("必填：0至%d的整数", form.CountMax))
		}
	}
	if w := b.LaborIncomeWan; w == nil || !form.ValidWan(*w) {
		f.add("labor_income_wan", "必填：0至10亿万元的金额（万元），最多两位小数")
	}
	b.Summary = f.text("summary", b.Summary, 2000, "必填：发展情况综述，不超过2000字")
	return f
}

// evaluationCreated answers a filed report: the report, and the brand after it.
type evaluationCreated struct {
	store.EvaluationView
	Brand store.BrandView `json:"brand"`
}

// fileEvaluation takes the holder's biennial status report (第十五条).
func (s *Server) fileEvaluation(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b evaluationBody
	if !bindJSON(c, &b) {
		return
	}
	if f := b.validate(); f.failed(c, "发展情况报告有误") {
		return
	}
	id := s.recordID(c, "EV")
	request := workflows.EvaluationReportRequest{Actor: actorOf(principal(c)), ReportID: id, Period: b.Period}
	tell, err := s.untold(c, ref, workflows.UpdateEvaluationReport, request)
	if err != nil {
		fail(c, err)
		return
	}
	created, err := s.Store.SaveEvaluation(c, store.NewEvaluation{ID: id, BrandID: ref.ID, Period: b.Period, Report: b, FiledAt: s.now(), Tell: tell})
	if err != nil {
		fail(c, err)
		return
	}
	if !created { // stored by a request under this key whose answer was lost: the same one?
		stored, err := s.Store.GetEvaluation(c, id)
		if err != nil {
			fail(c, err)
			return
		}
		if stored.Period != b.Period || !sameJSON(stored.Report, b) {
			refuseOtherRecord(c)
			return
		}
	}
	view, ok := s.handOver(c, ref, workflows.UpdateEvaluationReport, request, created, storedRecord{"evaluation report", id, s.Store.DeleteEvaluation})
	if !ok {
		return
	}
	ev, err := s.Store.GetEvaluation(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, evaluationCreated{EvaluationView: ev, Brand: view})
}

// holdLibrary takes the library's lock shared (store.HoldLibrary), answering
// 503 itself while an import holds it.
func (s *Server) holdLibrary(c *gin.Context) (release func(), ok bool) {
	release, ok, err := s.Store.HoldLibrary(c)
	switch {
	case err != nil:
		fail(c, err)
	case !ok:
		c.Header("Retry-After", "60")
		fail(c, errUnavailable("市级工作专班正在导入已入库品牌，暂不能同意变更品牌名称或持有单位，请约一分钟后重新提交"))
	}
	return release, ok
}
