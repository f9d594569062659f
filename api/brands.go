package api

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"golang.org/x/text/unicode/norm"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// canReadBrand reports whether p may read brand ref (API.md "Who may do
// what"): the holder its own, a county its county's (and a functional
// zone's it reviews, RULES §1), the city and supervisors every brand.
func canReadBrand(p auth.Principal, ref store.BrandRef) bool {
	switch p.Role {
	case auth.Applicant:
		return p.USCC == ref.USCC
	case auth.CountyOfficer:
		return p.County == ref.CountyCode || p.County == ref.ReviewerCode
	case auth.CityOfficer, auth.Supervisor:
		return true
	}
	return false
}

// brand loads the brand of the :id path parameter and checks that the caller
// may read it; it answers 404/403 itself and returns false. Route roles
// decide who may act; this decides on which brand.
func (s *Server) brand(c *gin.Context) (store.BrandRef, bool) {
	ref, err := s.Store.GetBrandRef(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return ref, false
	}
	if !canReadBrand(principal(c), ref) {
		msg := "无权查看或办理该劳务品牌"
		switch principal(c).Role {
		case auth.CountyOfficer:
			msg = "县级人社部门只能办理本县（市、区）的劳务品牌"
		case auth.Applicant:
			msg = "只能办理本单位（账户登记的统一社会信用代码）的劳务品牌"
		}
		fail(c, errForbidden(msg))
		return ref, false
	}
	return ref, true
}

// updateBrand applies a decision to the brand's running process and waits
// until it is applied and persisted (or refused). A brand whose process has
// ended (removed) refuses every decision with 409.
func (s *Server) updateBrand(c *gin.Context, ref store.BrandRef, name string, arg any) error {
	workflowID, updateID := workflows.BrandWorkflowID(ref.ID), s.updateID(c)
	err := s.applyUpdateAs(c, workflowID, ref.RunID, name, updateID, arg, nil)
	if err == nil || !update.Closed(err) {
		return err
	}
	return s.awaitBrandProcess(c, ref, workflowID, func() error {
		return s.applyUpdateAs(c, workflowID, "", name, updateID, arg, nil)
	})
}

// awaitBrandProcess answers a decision its brand's process could not take.
//
// A brand admitted a moment ago is on record before its process runs: the
// application's process records the admission, then starts the brand's.
// A decision sent in between waits for the process and is sent again (the
// same Update ID, so Temporal applies it once), instead of a 503 to an
// officer who acted at once. The wait, its reads included, ends half the
// Temporal timeout after it began, and a send that comes back after that
// is the last: with the first send, a request takes at most 2.5 timeouts,
// within its idempotency lease. A process that ran and stopped while its
// brand is not removed is not waited for: it is an operator's matter.
func (s *Server) awaitBrandProcess(c *gin.Context, ref store.BrandRef, workflowID string, send func() error) error {
	const starting = "该品牌的管理流程正在启动，请稍后重试"
	waiting, cancel := context.WithTimeout(c.Request.Context(), s.Config.TemporalTimeout/2)
	defer cancel()
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		// Described before the row is read: a process completes only once
		// its removal is on record, so a removal at this moment reads as one.
		status, stopped := s.processStopped(waiting, workflowID, ref.RunID != "")
		if fresh, err := s.Store.GetBrandRef(waiting, ref.ID); err == nil {
			ref = fresh
		}
		if ref.Status == workflows.BrandStatusRemoved {
			return errConflict("该劳务品牌已移出项目库，不能再办理", map[string]any{"status": ref.Status})
		}
		if stopped {
			s.Log.Error("a brand's process is not running, and the brand is not removed",
				"brand", ref.ID, "workflow", workflowID, "status", status)
			return errUnavailable("该品牌的管理流程未在运行，请联系系统运维人员处理")
		}
		select {
		case <-time.After(wait):
		case <-waiting.Done():
		}
		if c.Request.Context().Err() != nil {
			return errUnavailable(starting)
		}
		if err := send(); err == nil || !update.Closed(err) {
			return err
		}
		if waiting.Err() != nil {
			return errUnavailable(starting)
		}
	}
}

// processStopped reports whether the workflow ran and is no longer running,
// with its status. A workflow Temporal does not know has not started yet —
// unless it ran (its first step wrote a run ID) and its history has passed
// the namespace's retention. One that cannot be described now is not
// known to have stopped.
func (s *Server) processStopped(ctx context.Context, workflowID string, ran bool) (string, bool) {
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflowID, "")
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &notFound):
		return "not found, after it ran", ran
	case err != nil:
		return "", false
	}
	status := d.GetWorkflowExecutionInfo().GetStatus()
	return status.String(), status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
}

// decideBrand applies a decision and answers with the updated brand view.
func (s *Server) decideBrand(c *gin.Context, ref store.BrandRef, name string, arg any) {
	if err := s.updateBrand(c, ref, name, arg); err != nil {
		fail(c, err)
		return
	}
	s.respondBrand(c, http.StatusOK, ref.ID)
}

// brandView reads the brand's view as the caller may see it: the holder
// never sees anything tied to reports (第十五条).
func (s *Server) brandView(c *gin.Context, id string) (store.BrandView, error) {
	v, err := s.Store.GetBrandView(c, id, principal(c).Role == auth.Applicant)
	if err != nil {
		return v, err
	}
	s.provisionalCheck(c).settleBrand(&v)
	return v, nil
}

func (s *Server) respondBrand(c *gin.Context, status int, id string) {
	v, err := s.brandView(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, v)
}

// recordID names a record the API creates before its Update: derived from
// the Idempotency-Key when there is one, so that a retry after a timeout
// finds the record of the first attempt instead of making a second.
func (s *Server) recordID(c *gin.Context, prefix string) string {
	key := c.GetHeader(IdempotencyHeader)
	if key == "" {
		return newID(prefix)
	}
	return contentID(prefix, principal(c).Sub+"\x00"+c.Request.URL.Path+"\x00"+key)
}

// contentID names a record by what makes it the one it is (key).
func contentID(prefix, key string) string {
	sum := sha256.Sum256([]byte(prefix + "\x00" + key))
	return prefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:12]
}

func (s *Server) getBrand(c *gin.Context) {
	if _, ok := s.brand(c); ok {
		s.respondBrand(c, http.StatusOK, c.Param("id"))
	}
}

type brandList struct {
	Items []store.BrandSummary `json:"items" doc:"本页的记录"`
	Next  *string              `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// listBrands lists brands: a county officer its county's, a holder its own.
func (s *Server) listBrands(c *gin.Context) {
	f, ok := s.brandScope(c)
	if !ok {
		return
	}
	items, next, ok := s.pageBrands(c, f)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, brandList{Items: items, Next: next})
}

// brandScope reads the filters of GET /api/v1/brands (and its export) and
// narrows them to what the caller may read: a county officer its county's
// brands, a holder its own. It answers 403 itself and returns false.
func (s *Server) brandScope(c *gin.Context) (store.BrandFilter, bool) {
	p := principal(c)
	f := store.BrandFilter{Status: c.Query("status"), County: c.Query("county"), Category: c.Query("category"), Name: nameSearch(c.Query("name"))}
	switch p.Role {
	case auth.CountyOfficer:
		county, ok := s.officerCounty(c, f.County, "劳务品牌")
		if !ok {
			return f, false
		}
		f.LooksAfter = p.County // its county's brands and its functional zones' (RULES §1)
		if f.County = ""; county != p.County {
			f.County = county // one of those zones
		}
	case auth.Applicant:
		f.USCC = p.USCC
	}
	return f, true
}

// checkBrandFilter adds the filters' failing fields: a value outside its
// vocabulary is a 422 naming the parameter.
func (s *Server) checkBrandFilter(c *gin.Context, fields *fieldCheck, f store.BrandFilter) {
	if f.Status != "" && !validBrandStatus(f.Status) {
		fields.add("status", "须为 active、rectifying、suspended 或 removed")
	}
	fields.category(f.Category)
	s.county(c, fields, f.County)
	if utf8.RuneCountInString(f.Name) > maxNameSearch {
		fields.add("name", fmt.Sprintf("查找的名称不能超过%d个字", maxNameSearch))
	}
}

// maxNameSearch bounds the catalogue's name search: a brand's or a unit's
// name is never longer.
const maxNameSearch = 50

// nameSearch is a name search as people type it: full-width letters and
// digits folded to their ordinary forms (NFKC), spaces around it dropped.
func nameSearch(q string) string {
	return strings.TrimSpace(norm.NFKC.String(q))
}

// pageBrands reads a page of brands after validating the query; it answers
// the request itself when it returns false.
func (s *Server) pageBrands(c *gin.Context, f store.BrandFilter) ([]store.BrandSummary, *string, bool) {
	var fields fieldCheck
	s.checkBrandFilter(c, &fields, f)
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return nil, nil, false
	}
	items, next, err := s.Store.ListBrands(c, f)
	if err != nil {
		fail(c, err)
		return nil, nil, false
	}
	return items, nextCursor(next), true
}

func validBrandStatus(s string) bool {
	switch s {
	case workflows.BrandStatusActive, workflows.BrandStatusRectifying, workflows.BrandStatusSuspended, workflows.BrandStatusRemoved:
		return true
	}
	return false
}

// The holder's requests (API.md: evaluation report, change request). Each
// row is stored in PostgreSQL first — figures and new values stay there —
// and the process is told its id; a refused request leaves nothing behind.

// majorFields are RULES §4's major information; every other field of the
// 推荐表 is basic.
var majorFields = map[string]bool{"brand_name": true, "unit_name": true, "uscc": true, "brand_type": true, "category": true}

// unchangeable are form fields that are not brand information a change
// registration can alter: the round and commitment belong to the application,
// and the county decides who supervises the brand.
var unchangeable = map[string]string{
	"round_id": "申报批次不属于变更登记事项", "commitment": "申报承诺不属于变更登记事项",
	"uscc_override_reason": "不属于变更登记事项", "county_code": "所在县（市、区）不能通过变更登记更改",
}

type changeBody struct {
	Changes map[string]json.RawMessage `json:"changes" doc:"要变更的推荐表字段及其新值（ApplicationForm 的字段名）"`
	Reason  string                     `json:"reason" doc:"变更理由"`
}

// changeCreated answers a change request: the request, and the brand after it.
type changeCreated struct {
	store.ChangeView
	Brand store.BrandView `json:"brand"`
}

// requestChange takes the holder's change registration (附件2): every
// changed field validated by the 推荐表's own rules, a new name or USCC
// checked against the ban list (第十五条（四）), the library and the open
// applications (RULES §3).
func (s *Server) requestChange(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	var b changeBody
	if !bindJSON(c, &b) {
		return
	}
	changes, f, err := s.validateChanges(c, ref.ID, b.Changes)
	if err != nil {
		fail(c, err)
		return
	}
	reason := f.text("reason", b.Reason, 2000, "必填：变更原因，不超过2000字")
	if f.failed(c, "变更申请有误") {
		return
	}
	newName, _ := changes["brand_name"].(string)
	newUSCC, _ := changes["uscc"].(string)
	if (newName != "" || newUSCC != "") && !s.nameFree(c, newName, newUSCC, "", ref.ID, "changes.") {
		return
	}
	if newUSCC != "" && !s.noSelfRegistration(c, newUSCC, changeToSelfRegistered) {
		return
	}
	major := false
	for k := range changes {
		major = major || majorFields[k]
	}
	p := principal(c)
	id := s.recordID(c, "CH")
	newUnit, _ := changes["unit_name"].(string)
	newCategory, _ := changes["category"].(string)
	request := workflows.ChangeRequest{Actor: actorOf(p), ChangeID: id, Major: major, NewName: newName, NewUnitName: newUnit,
		NewUSCC: newUSCC, NewCategory: newCategory}
	tell, err := s.untold(c, ref, workflows.UpdateChangeRequest, request)
	if err != nil {
		fail(c, err)
		return
	}
	created, err := s.Store.SaveChange(c, store.NewChange{ID: id, BrandID: ref.ID, Changes: changes, Reason: reason,
		Major: major, RequestedAt: s.now(), RequestedBy: p.Sub, Tell: tell})
	if err != nil {
		fail(c, err)
		return
	}
	if !created { // stored by a request under this key whose answer was lost: the same one?
		stored, err := s.Store.GetChange(c, id)
		if err != nil {
			fail(c, err)
			return
		}
		if stored.Reason != reason || !sameJSON(stored.Changes, changes) {
			refuseOtherRecord(c)
			return
		}
	}
	view, ok := s.handOver(c, ref, workflows.UpdateChangeRequest, request, created, storedRecord{"change request", id, s.Store.DeleteChange})
	if !ok {
		return
	}
	ch, err := s.Store.GetChange(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, changeCreated{ChangeView: ch, Brand: view})
}

// changeStillFree checks a change request's new name and USCC as
// requestChange did: false, answered 409 naming changes.brand_name or
// changes.uscc, when either is taken or banned now. At the city's step, whose
// approval writes them (a city officer's), a change of either holds the library's lock shared
// from the check (release gives it back, once the approval's writes are
// made): an import checking the library meanwhile would find them free too.
func (s *Server) changeStillFree(c *gin.Context, ref store.BrandRef, ch store.ChangeView) (release func(), ok bool) {
	var changes struct {
		BrandName string `json:"brand_name"`
		USCC      string `json:"uscc"`
	}
	if err := json.Unmarshal(ch.Changes, &changes); err != nil {
		fail(c, err)
		return nil, false
	}
	if changes.BrandName == "" && changes.USCC == "" {
		return func() {}, true
	}
	held := func() {}
	// Only the city's approval writes them (附件2). Asked by who approves,
	// not by the change's row, which a county step its caller did not write
	// yet still shows at the county's while the process is at the city's.
	if principal(c).Role == auth.CityOfficer {
		if held, ok = s.holdLibrary(c); !ok {
			return nil, false
		}
		if changes.USCC != "" {
			// A self-registration under the new code waits for the
			// approval's write, and then finds the brand (RULES §6).
			releaseCode, err := s.Store.HoldHolderCode(c, changes.USCC)
			if err != nil {
				held()
				fail(c, err)
				return nil, false
			}
			releaseLibrary := held
			held = func() { releaseCode(); releaseLibrary() }
		}
	}
	free := false
	defer func() { // on every way out that keeps no lock, a panic's too
		if !free {
			held()
		}
	}()
	free = s.nameFree(c, changes.BrandName, changes.USCC, "", ref.ID, "changes.") &&
		(changes.USCC == "" || s.noSelfRegistration(c, changes.USCC, changeToSelfRegistered))
	if !free {
		return nil, false
	}
	return held, true
}

// selfRegisteredRefusal is how a record an officer makes for a holder is
// refused when its USCC is one someone registered under at the console by
// themselves: the message, the field and the field's message.
type selfRegisteredRefusal struct{ message, field, fieldMessage string }

var (
	changeToSelfRegistered = selfRegisteredRefusal{
		"该统一社会信用代码下已有自行注册的单位账号，变更后该账号即可办理本品牌；须先由系统管理员核实，不属于本单位的予以停用，再登记变更",
		"changes.uscc", "该统一社会信用代码下已有自行注册的单位账号，须先由系统管理员核实"}
	enteredForSelfRegistered = selfRegisteredRefusal{
		"该统一社会信用代码下已有自行注册的单位账号，代为录入后该账号即可查看和办理本申请：请申报单位使用其账号自行申报（初审时核对营业执照），或由系统管理员核实，不属于本单位的予以停用后再代为录入",
		"uscc", "该统一社会信用代码下已有自行注册的单位账号，须先由系统管理员核实"}
)

// noSelfRegistration refuses a record an officer makes for a holder — a
// change of holder to a new USCC, an application the city enters for its
// holder (代录) — when someone has registered under its USCC at the
// console by themselves: the holder's accounts read and act on it, and a
// self-registration proves nothing of who registered (RULES §4, §6). An
// administrator checks the account first, and disables it if it is not
// the unit's. It answers 409 itself.
func (s *Server) noSelfRegistration(c *gin.Context, uscc string, r selfRegisteredRefusal) bool {
	switch registered, err := s.Store.SelfRegistered(c, uscc); {
	case err != nil:
		fail(c, err)
		return false
	case !registered:
		return true
	}
	fail(c, errConflict(r.message, nil).on(FieldError{Field: r.field, Message: r.fieldMessage}))
	return false
}

// storedRecord is a record a request stored before it handed the record to
// a process, and how to remove it.
type storedRecord struct {
	kind, id string
	remove   func(ctx context.Context, id string) error
}

// undoRefused removes a record this request stored and the process refused.
// Not under the request's context: a caller that hung up on its answer must
// not leave the record behind; bounded as a write after the answer is
// (settleLater). A removal that fails anyway is logged: the record stays
// with its Update stored, which the starter's sweep sends again, and removes
// the record when it is refused again.
func (s *Server) undoRefused(c *gin.Context, r storedRecord) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), s.Config.TemporalTimeout)
	defer cancel()
	if err := r.remove(ctx, r.id); err != nil {
		s.Log.Error("a record the process refused was not removed", "kind", r.kind, "id", r.id, "path", c.Request.URL.Path, "error", err)
	}
}

// handOver gives the brand's process a record the holder filed (stored
// first, so its content never enters workflow history) and returns the
// updated brand view; the request is answered on failure. When the process
// refuses the Update, the record this request created is removed, so nothing
// is left half-written. When the answer is unknown (Temporal unavailable, a
// timeout), the record stays: the Update may still be applied, and a retry
// with the same Idempotency-Key finds it; with none, the starter's sweep
// sends the Update stored with the record again, under its ID, and the
// record is either known to the process or removed.
func (s *Server) handOver(c *gin.Context, ref store.BrandRef, name string, arg any, created bool, record storedRecord) (store.BrandView, bool) {
	if err := s.updateBrand(c, ref, name, arg); err != nil {
		if created && refused(err) {
			s.undoRefused(c, record)
		}
		fail(c, err)
		return store.BrandView{}, false
	}
	s.told(c)
	view, err := s.brandView(c, ref.ID)
	if err != nil {
		fail(c, err)
		return view, false
	}
	return view, true
}

// untold is the Update that tells ref's process of a record this request
// files (name(arg), under the request's Update ID), stored with the record
// so that a telling that fails is made again (store.UntoldUpdate).
func (s *Server) untold(c *gin.Context, ref store.BrandRef, name string, arg any) (*store.UntoldUpdate, error) {
	args, err := json.Marshal(arg)
	if err != nil {
		return nil, err
	}
	return &store.UntoldUpdate{UpdateID: s.updateID(c), WorkflowID: workflows.BrandWorkflowID(ref.ID), UpdateName: name, Args: args}, nil
}

// told forgets the stored Update this request's process answered. One not
// forgotten (the database unreachable now) is sent again by the sweep
// under its ID, and answered as applied: logged, not failed.
func (s *Server) told(c *gin.Context) { s.toldAs(c, s.updateID(c)) }

// toldAs forgets the stored Update updateID, which its process answered.
func (s *Server) toldAs(c *gin.Context, updateID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), s.Config.TemporalTimeout)
	defer cancel()
	if err := s.Store.Told(ctx, updateID); err != nil {
		s.Log.Warn("a told Update stays stored; the sweep sends it again", "update", updateID, "path", c.Request.URL.Path, "error", err)
	}
}

// validateChanges checks each changed field by the 推荐表's rules, applied
// to the admitted form with the changes laid over it, and returns the
// changes normalised as form.Normalize leaves them. Field names in errors
// are "changes.<field>".
func (s *Server) validateChanges(c *gin.Context, brandID string, in map[string]json.RawMessage) (map[string]any, fieldCheck, error) {
	var f fieldCheck
	if len(in) == 0 {
		f.add("changes", "必填：至少一项变更内容")
		return nil, f, nil
	}
	base, err := s.Store.BrandForm(c, brandID)
	if err != nil {
		return nil, fieldCheck{}, err
	}
	keys := slices.Sorted(maps.Keys(in))
	var valid []string
	for _, k := range keys {
		if msg, ok := unchangeable[k]; ok {
			f.add("changes."+k, msg)
			continue
		}
		if strings.Contains(k, ".") || form.FieldLabel(k) == k {
			f.add("changes."+k, "推荐表中没有这一项")
			continue
		}
		var probe form.Application
		if err := json.Unmarshal([]byte(`{"`+k+`":`+string(in[k])+`}`), &probe); err != nil {
			f.add("changes."+k, form.FieldLabel(k)+"：取值类型不符合推荐表要求")
			continue
		}
		base[k] = in[k]
		valid = append(valid, k)
	}
	raw, _ := json.Marshal(base)
	var merged form.Application
	if err := json.Unmarshal(raw, &merged); err != nil {
		return nil, fieldCheck{}, fmt.Errorf("merge changes of %s: %w", brandID, err)
	}
	counties := s.Store.CountyCheck(c)
	errs := form.Validate(merged, form.Options{Today: s.today().String(), KnownCounty: counties.Known})
	if counties.Err != nil {
		return nil, fieldCheck{}, counties.Err
	}
	for _, e := range errs {
		for _, k := range valid {
			if e.Field == k || strings.HasPrefix(e.Field, k+".") {
				f.add("changes."+e.Field, e.Message)
			}
		}
	}
	form.Normalize(&merged)
	var normal map[string]any
	raw, _ = json.Marshal(merged)
	json.Unmarshal(raw, &normal)
	out := map[string]any{}
	for _, k := range valid {
		out[k] = normal[k]
	}
	return out, f, nil
}
