package api

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// newID returns prefix + 12 random base32 characters.
func newID(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)[:12]
}

func (s *Server) today() calendar.Date { return calendar.DateOf(s.now()) }

// bindForm decodes and validates a 推荐表 (附件1): 422 with every failing
// field at once. It answers the request itself when it returns false.
// ownCounty is the county of the application a resubmission supplements,
// "" for a new one: a functional zone that no longer takes applications
// (RULES §1) still takes the resubmission of one it has.
func (s *Server) bindForm(c *gin.Context, ownCounty, overriddenUSCC string) (form.Application, bool) {
	var a form.Application
	if !bindJSON(c, &a) {
		return a, false
	}
	p := principal(c)
	form.Normalize(&a)
	counties := s.Store.CountyCheck(c)
	fields := form.Validate(a, form.Options{
		Today:          s.today().String(),
		OnBehalf:       p.Role == auth.CityOfficer,
		OverriddenUSCC: overriddenUSCC,
		KnownCounty:    func(code string) bool { return code != "" && code == ownCounty || counties.Known(code) },
	})
	if counties.Err != nil {
		fail(c, counties.Err)
		return a, false
	}
	if len(fields) > 0 {
		fail(c, errInvalid("申报材料有误，请按提示修改", toFieldErrors(fields)...))
		return a, false
	}
	if p.Role == auth.Applicant && a.USCC != p.USCC {
		fail(c, errForbidden("只能以本单位（账户登记的统一社会信用代码）申报"))
		return a, false
	}
	return a, true
}

func toFieldErrors(in []form.FieldError) []FieldError {
	out := make([]FieldError, len(in))
	for i, f := range in {
		out[i] = FieldError{Field: f.Field, Message: f.Message}
	}
	return out
}

// submitApplication takes a 推荐表 (第十条): validated, in an open round,
// not banned, one open application per brand name and holder; then the
// application's process starts.
func (s *Server) submitApplication(c *gin.Context) {
	// With an Idempotency-Key, a retry whose first attempt was stored (and
	// then lost its answer) is answered from that application.
	id := s.recordID(c, "A")
	var stored json.RawMessage
	found, ok := s.keyNamesRecord(c, func() (err error) { stored, err = s.Store.SubmittedForm(c, id); return err })
	if !ok {
		return
	}
	a, ok := s.bindForm(c, "", "")
	if !ok {
		return
	}
	// The application on file answers the same 推荐表; another is refused.
	answerStored := func(stored json.RawMessage) {
		answerFromRecord(c, sameSubmission(stored, a), func() { s.respondApplication(c, http.StatusCreated, id) })
	}
	if found {
		answerStored(stored)
		return
	}
	today := s.today().String()
	round, ok := s.openRound(c, a.RoundID, today)
	if !ok {
		return
	}
	a.RoundID = round.ID
	ban, err := s.Store.FindBan(c, a.BrandName, a.USCC, today)
	if err != nil {
		fail(c, err)
		return
	}
	if ban != nil { // 第十五条（四）: five years from removal
		fail(c, errConflict(fmt.Sprintf("该品牌或申报单位被移出项目库，%s（含当日）前不得再次申报", ban.Until),
			map[string]any{"banned_until": ban.Until, "banned_name": ban.BrandName}).on(banFields(ban, "")...))
		return
	}
	// RULES §3: a brand in the library is not submitted again — under its
	// name (the name key, checked when the application is stored) or under
	// its holder's USCC.
	if brandID, err := s.Store.HolderBrandInLibrary(c, a.USCC); err != nil || brandID != "" {
		if err == nil {
			err = holderInLibrary(brandID)
		}
		fail(c, err)
		return
	}
	p := principal(c)
	// RULES §6: an application the city enters for its holder is not
	// handed to an account a stranger may have registered under its code.
	if p.Role == auth.CityOfficer && !s.noSelfRegistration(c, a.USCC, enteredForSelfRegistered) {
		return
	}
	in := workflows.ApplicationInput{ApplicationID: id, RoundID: round.ID, BrandName: a.BrandName, BrandType: a.BrandType,
		Category: a.Category, CountyCode: a.CountyCode, UnitName: a.UnitName, USCC: a.USCC, SubmittedOn: s.today(),
		Clock: s.Clock, Policy: s.Config.Admission, BrandPolicy: &s.Config.Brand}
	rec := store.NewApplication{ID: id, RoundID: round.ID, BrandName: a.BrandName, BrandType: a.BrandType,
		Category: a.Category, CountyCode: a.CountyCode, UnitName: a.UnitName, USCC: a.USCC, Form: a,
		Eligibility: form.Eligibility(a), NameWarnings: form.NameWarnings(a.BrandName), OnBehalf: p.Role == auth.CityOfficer,
		USCCOverrideReason: a.USCCOverrideReason, SubmittedAt: s.now(), SubmittedBy: p.Sub, SubmittedRole: string(p.Role)}
	// The 初审 bureau as of the commit (RULES §1): a zone saved between the
	// read and the commit is read again.
	for range 3 {
		if in.ReviewerCode, in.ReviewerRevision, err = s.Store.Reviewer(c, a.CountyCode); err != nil {
			fail(c, err)
			return
		}
		rec.ProcessInput, rec.ReviewerRevision = in, in.ReviewerRevision
		if err = s.Store.CreateApplication(c, rec); !errors.Is(err, store.ErrReviewerChanged) {
			break
		}
	}
	if errors.Is(err, store.ErrApplicationExists) {
		// Stored meanwhile by a request under this key whose answer was
		// lost: the same 推荐表? Its process was started by the first
		// attempt, or is by the starter.
		stored, err := s.Store.SubmittedForm(c, id)
		if err != nil {
			fail(c, err)
			return
		}
		answerStored(stored)
		return
	}
	if errors.Is(err, store.ErrOpenApplication) {
		fail(c, errConflict("该品牌名称或申报单位已有正在办理的申请（名称按规范形式比较：全角、大小写、空格、不可见字符与形近字母不计）", nil).
			on(openApplicationField(err, "")))
		return
	}
	if errors.Is(err, store.ErrNameInLibrary) {
		fail(c, errConflict("项目库中已有同名劳务品牌（名称按规范形式比较）", nil).on(nameInLibrary("")))
		return
	}
	if errors.Is(err, store.ErrHolderSelfRegistered) { // registered since the check above
		r := enteredForSelfRegistered
		fail(c, errConflict(r.message, nil).on(FieldError{Field: r.field, Message: r.fieldMessage}))
		return
	}
	if errors.Is(err, store.ErrImportInProgress) {
		// A 503, not a 409: the key's answer is not kept, so the same
		// request sent again once the import is done is stored.
		c.Header("Retry-After", "60")
		fail(c, errUnavailable("市级工作专班正在导入已入库品牌，暂不受理申报，请约一分钟后重新提交（已填写的内容不会丢失）"))
		return
	}
	if held := (*store.HolderInLibraryError)(nil); errors.As(err, &held) { // imported since the check above
		fail(c, holderInLibrary(held.BrandID))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	// The submission stands from here. Its process starts now, or, if
	// Temporal cannot be reached, by the worker's starter once it is back;
	// the answer is the stored application either way.
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	// The process records its first stage and deadline at once; the start
	// waits for it so the answer shows them. If it is slow, the answer shows
	// the submission without them.
	if _, err := s.starter().StartToFirstStage(ctx, in); err != nil {
		s.Log.Warn("application stored, its start not confirmed: the starter starts its process or finds it started", "application", id, "error", err)
	}
	s.respondApplication(c, http.StatusCreated, id)
}

// openRound finds the round to submit to: the one named, or the one open.
func (s *Server) openRound(c *gin.Context, id, today string) (store.Round, bool) {
	if id != "" {
		r, err := s.Store.GetRound(c, id)
		if errors.Is(err, store.ErrNotFound) {
			fail(c, errInvalid("申报批次不存在", FieldError{Field: "round_id", Message: "没有这个申报批次"}))
			return r, false
		}
		if err != nil {
			fail(c, err)
			return r, false
		}
		if today < r.OpensOn || today > r.ClosesOn {
			fail(c, errConflict(fmt.Sprintf("申报批次“%s”的申报时间为 %s 至 %s，当前不在申报期内", r.Name, r.OpensOn, r.ClosesOn),
				map[string]any{"round_id": r.ID, "opens_on": r.OpensOn, "closes_on": r.ClosesOn}))
			return r, false
		}
		return r, true
	}
	open, err := s.Store.OpenRounds(c, today)
	if err != nil {
		fail(c, err)
		return store.Round{}, false
	}
	switch len(open) {
	case 0:
		fail(c, errConflict("当前没有开放的申报批次（第十条：在规定日期内申报）", nil))
		return store.Round{}, false
	case 1:
		return open[0], true
	}
	fail(c, errInvalid("当前有多个开放的申报批次，请指定", FieldError{Field: "round_id", Message: "必填：有多个开放的申报批次"}))
	return store.Round{}, false
}

// viewFor is how much of an application p sees: an expert not the contact
// person, nor the other experts' opinions; an objection's content and
// objector only the city, who rules on it (第十三条), and the supervisor —
// never the applicant, who is not told who its reviewers are either.
func viewFor(p auth.Principal) store.ViewOptions {
	opts := store.ViewOptions{Form: true, WithoutContact: p.Role == auth.Expert,
		Objections: p.Role == auth.CityOfficer || p.Role == auth.Supervisor}
	switch p.Role {
	case auth.Applicant:
		opts.ExpertsAs = store.ExpertsToTheApplicant
	case auth.Expert:
		opts.ExpertsAs, opts.Expert = store.ExpertsToAnExpert, p.Sub
	}
	return opts
}

// respondApplication answers with the application's view as the caller may see it.
func (s *Server) respondApplication(c *gin.Context, status int, id string) {
	v, err := s.Store.GetApplicationView(c, id, viewFor(principal(c)))
	if err != nil {
		fail(c, err)
		return
	}
	v.Deadlines = s.provisionalCheck(c).settleList(v.Deadlines)
	c.JSON(status, v)
}

func (s *Server) getApplication(c *gin.Context) {
	if _, ok := s.application(c); ok {
		s.respondApplication(c, http.StatusOK, c.Param("id"))
	}
}

type applicationList struct {
	Items []store.ApplicationSummary `json:"items" doc:"本页的记录"`
	Next  *string                    `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// listApplications lists applications; a county officer sees its county's only.
func (s *Server) listApplications(c *gin.Context) {
	f, ok := s.applicationScope(c)
	if !ok {
		return
	}
	var fields fieldCheck
	s.checkApplicationFilter(c, &fields, f)
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.ListApplications(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	s.settleSummaries(c, items)
	c.JSON(http.StatusOK, applicationList{Items: items, Next: nextCursor(next)})
}

// applicationScope reads the filters of GET /api/v1/applications (and its
// export), a county officer's narrowed to its county; it answers 403 itself
// and returns false.
func (s *Server) applicationScope(c *gin.Context) (store.ApplicationFilter, bool) {
	f := store.ApplicationFilter{Stage: c.Query("stage"), County: c.Query("county"), Round: c.Query("round")}
	ok := true
	if principal(c).Role == auth.CountyOfficer {
		f.County, ok = s.officerCounty(c, f.County, "申请")
	}
	return f, ok
}

// checkApplicationFilter adds the filters' failing fields.
func (s *Server) checkApplicationFilter(c *gin.Context, fields *fieldCheck, f store.ApplicationFilter) {
	fields.oneOf("stage", f.Stage, applicationStages)
	s.county(c, fields, f.County)
	if f.Round == "" {
		return
	}
	switch _, err := s.Store.GetRound(c, f.Round); {
	case errors.Is(err, store.ErrNotFound):
		fields.add("round", "没有这个申报批次")
	case err != nil:
		fields.unavailable = err
	}
}

// resubmit takes the supplemented form of a returned application (RULES §3).
func (s *Server) resubmit(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	p := principal(c)
	if p.Role == auth.Applicant && p.USCC != ref.USCC {
		fail(c, errForbidden("只能重新提交本单位的申请"))
		return
	}
	if p.Role == auth.CityOfficer && !ref.OnBehalf { // API.md: the city resubmits only what it entered (代录)
		fail(c, errForbidden("市级只能重新提交由其代录的申请；本申请由申报单位自行提交，须由其补充后重新提交"))
		return
	}
	// Named by the Idempotency-Key: a retry after a lost answer is
	// answered from the revision its first attempt stored, with the same
	// Update (its ID too is the key's), before the checks below.
	request := s.recordID(c, "RV")
	var storedRev int
	var storedForm json.RawMessage
	found, ok := s.keyNamesRecord(c, func() (err error) {
		storedRev, storedForm, err = s.Store.FormRevisionByRequest(c, ref.ID, request)
		return err
	})
	if !ok {
		return
	}
	overridden := "" // RULES §2: a code the city let through stays through on resubmission
	if ref.USCCOverridden {
		overridden = ref.USCC
	}
	a, ok := s.bindForm(c, ref.CountyCode, overridden)
	if !ok {
		return
	}
	// The revision on file answers the same 推荐表, with its Update; another
	// is refused.
	answerStored := func(rev int, stored json.RawMessage) {
		answerFromRecord(c, sameJSON(stored, a), func() { s.decide(c, ref, workflows.UpdateResubmit, resubmission(p, rev, a)) })
	}
	if found {
		answerStored(storedRev, storedForm)
		return
	}
	// RULES §3: a resubmission supplements the same holder's application to
	// the same county; a new holder or county is a new application.
	var fields []FieldError
	if a.CountyCode != ref.CountyCode {
		fields = append(fields, FieldError{Field: "county_code", Message: "重新提交不能更改所在县（市、区）；所在县有误的，请待本申请办结（逾期未补充的按撤回处理）后向正确的县（市、区）重新申报"})
	}
	if a.USCC != ref.USCC {
		fields = append(fields, FieldError{Field: "uscc", Message: "重新提交不能更改申报单位的统一社会信用代码"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("重新提交的材料有误", fields...))
		return
	}
	if !s.nameFree(c, a.BrandName, a.USCC, ref.ID, "", "") {
		return
	}
	rev, earlier, err := s.Store.SaveFormRevision(c, ref.ID, request, a, form.Eligibility(a),
		form.NameWarnings(a.BrandName), s.now(), p.Sub, string(p.Role))
	if err != nil {
		fail(c, err)
		return
	}
	if earlier != nil { // stored meanwhile under the key
		answerStored(rev, earlier)
		return
	}
	if err := s.updateApplication(c, ref, workflows.UpdateResubmit, resubmission(p, rev, a)); err != nil {
		if refused(err) {
			if applied, lookErr := s.Store.FormRevisionApplied(c, ref.ID, rev); lookErr == nil && applied {
				// Taken as the wait ran out, stored in time (RULES §3): the
				// refusal came after it.
				s.respondApplication(c, http.StatusOK, ref.ID)
				return
			}
			// Not returned (any more): the revision goes — but for one refused
			// as late, which the wait's end takes if it was stored in time.
			// Its number is not given again (the process was told it): the
			// next revision's follows it, so a history may skip a number.
			if toAPIError(err).Code != "resubmission_lapsed" {
				s.undoRefused(c, storedRecord{"form revision", ref.ID, func(ctx context.Context, id string) error {
					return s.Store.DropFormRevision(ctx, id, rev)
				}})
			}
		}
		fail(c, err)
		return
	}
	s.respondApplication(c, http.StatusOK, ref.ID)
}

// resubmission is the process's Update for revision rev of the form a.
func resubmission(p auth.Principal, rev int, a form.Application) workflows.ResubmitRequest {
	return workflows.ResubmitRequest{Actor: actorOf(p), Revision: rev,
		BrandName: a.BrandName, BrandType: a.BrandType, Category: a.Category, UnitName: a.UnitName}
}

// sameSubmission reports whether stored, the 推荐表 an application was
// submitted with, is a: a round that a names none of is the one stored.
func sameSubmission(stored json.RawMessage, a form.Application) bool {
	if a.RoundID == "" {
		var on struct {
			RoundID string `json:"round_id"`
		}
		_ = json.Unmarshal(stored, &on)
		a.RoundID = on.RoundID
	}
	return sameJSON(stored, a)
}

// nameFree checks a brand name and USCC about to be used (a resubmission,
// a change of name or holder) against the ban list, the library and the
// open applications — the name by its key (RULES §3, one name, one brand),
// the USCC as a holder's (one brand per holder); the asker's own
// application or brand does not count. It answers 409 itself, naming the
// field taken as the request calls it (fieldPrefix + "brand_name" or
// "uscc"), and returns false when the name or USCC is taken.
func (s *Server) nameFree(c *gin.Context, name, uscc, exceptApplication, exceptBrand, fieldPrefix string) bool {
	ban, err := s.Store.FindBan(c, name, uscc, s.today().String())
	if err != nil {
		fail(c, err)
		return false
	}
	if ban != nil { // 第十五条（四）: five years from removal
		fail(c, errConflict(fmt.Sprintf("该品牌名称或统一社会信用代码属于被移出项目库的品牌，%s（含当日）前不得使用", ban.Until),
			map[string]any{"banned_until": ban.Until, "banned_name": ban.BrandName}).on(banFields(ban, fieldPrefix)...))
		return false
	}
	if uscc != "" && !s.holderFree(c, uscc, exceptApplication, exceptBrand, fieldPrefix) {
		return false
	}
	if name == "" {
		return true
	}
	taken, err := s.Store.NameTaken(c, name, exceptApplication, exceptBrand)
	switch {
	case err != nil:
		fail(c, err)
		return false
	case taken != nil && taken.Kind == "brand":
		fail(c, errConflict("项目库中已有同名劳务品牌（名称按规范形式比较）", map[string]any{"brand_id": taken.ID}).
			on(nameInLibrary(fieldPrefix)))
		return false
	case taken != nil:
		fail(c, errConflict("该品牌名称已有正在办理的申请（名称按规范形式比较）", nil).
			on(openApplicationField(store.ErrOpenApplicationName, fieldPrefix)))
		return false
	}
	return true
}

// holderFree is nameFree's check of a USCC: a unit holds one brand in the
// library, and has no brand while an application of its is open.
func (s *Server) holderFree(c *gin.Context, uscc, exceptApplication, exceptBrand, fieldPrefix string) bool {
	taken, err := s.Store.HolderTaken(c, uscc, exceptApplication, exceptBrand)
	switch {
	case err != nil:
		fail(c, err)
		return false
	case taken != nil && taken.Kind == "brand":
		fail(c, errConflict("该统一社会信用代码的单位已有劳务品牌在项目库中", map[string]any{"brand_id": taken.ID}).
			on(FieldError{Field: fieldPrefix + "uscc", Message: "该统一社会信用代码的单位已有劳务品牌在项目库中"}))
		return false
	case taken != nil:
		fail(c, errConflict("该统一社会信用代码的单位已有正在办理的申请", nil).
			on(openApplicationField(store.ErrOpenApplicationHolder, fieldPrefix)))
		return false
	}
	return true
}

// banFields are the fields a ban matched, prefixed as the request names
// them (a change registration's are "changes.brand_name", "changes.uscc").
func banFields(ban *store.ActiveBan, prefix string) []FieldError {
	var fields []FieldError
	msg := "属于被移出项目库的品牌，" + ban.Until + "（含当日）前不得使用"
	if ban.ByName {
		fields = append(fields, FieldError{Field: prefix + "brand_name", Message: "该名称" + msg})
	}
	if ban.ByUSCC {
		fields = append(fields, FieldError{Field: prefix + "uscc", Message: "该统一社会信用代码" + msg})
	}
	return fields
}

// nameInLibrary is the name field of a 409 for a name a brand holds.
func nameInLibrary(prefix string) FieldError {
	return FieldError{Field: prefix + "brand_name", Message: "项目库中已有同名劳务品牌（按规范形式比较）"}
}

// openApplicationField is the field of a 409 for a name or USCC an open
// application holds: err says which (store.ErrOpenApplicationName or
// store.ErrOpenApplicationHolder).
func openApplicationField(err error, prefix string) FieldError {
	if errors.Is(err, store.ErrOpenApplicationHolder) {
		return FieldError{Field: prefix + "uscc", Message: "该统一社会信用代码的单位已有正在办理的申请"}
	}
	return FieldError{Field: prefix + "brand_name", Message: "已有正在办理的申请使用该名称（按规范形式比较）"}
}

// holderInLibrary is the refusal of a holder whose brand is in the library
// (RULES §3: one brand per holder).
func holderInLibrary(brandID string) *Error {
	return errConflict("该申报单位的劳务品牌已在项目库中，不能再次申报", map[string]any{"brand_id": brandID}).
		on(FieldError{Field: "uscc", Message: "该统一社会信用代码的单位已有劳务品牌在项目库中"})
}
