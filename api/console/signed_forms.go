package console

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Signed paper: a printed form comes back signed, sealed and dated in ink,
// and its scan is kept with the record (docs/API.md, "Signed paper"). The
// holder uploads its 附件1 on the materials page (holder_files.go); the
// pages here take the rest — the officers' 附件1, the 附件2 of a change
// from the holder or its officers, the 附件3 of a removal from the
// officers — and every scan is opened through the API as the signed-in
// person, so a drawn expert is refused a 附件1 as the API refuses it.

// signedPage is the page on which one form's signed scan is uploaded.
type signedPage struct {
	Title     string // the signed form, as the heading names it
	Paper     string // the printed form, as its download link names it
	Record    string // the record the form belongs to
	Back      string // the record's page
	BackLabel string
	PDF       string // the printed form's address
	How       string // who signs and seals it
	Action    string // the upload's address
	Scans     scanList
	Signed    map[string]string // the form as posted, kept when refused
	Errors    map[string]string
	Message   string
	Key       string // the form's idempotency key
	Done      bool
	api       string // the API's address the scan is posted to
}

// scanList is one record's signed scans as the signed_scans partial lists
// them: each opens at At + its id; Revision is the application's current
// 推荐表 (a 附件1's scan of an older one says so, and AskAgain asks the
// holder for a new one).
type scanList struct {
	Scans    []store.SignedForm
	At       string
	Revision int
	AskAgain bool
}

func init() {
	funcs["scanList"] = func(scans []store.SignedForm, at string, revision int, askAgain bool) scanList {
		return scanList{scans, at, revision, askAgain}
	}
	funcs["scansOf"] = scansOf
}

// scansOf are the scans of one form (and, for 附件2, of one change).
func scansOf(scans []store.SignedForm, form, changeID string) []store.SignedForm {
	var out []store.SignedForm
	for _, s := range scans {
		if s.Form == form && (changeID == "" || s.ChangeID != nil && *s.ChangeID == changeID) {
			out = append(out, s)
		}
	}
	return out
}

// signedScanMax is the API's largest signed scan.
const signedScanMax = 20 << 20

// paperLoader reads the record a signed page is for through the API and
// says what the page shows; false when it has answered already.
type paperLoader func(cs *Console, c *gin.Context) (signedPage, bool)

func (cs *Console) mountSignedForms(in gin.IRoutes) {
	in.GET("/applications/:id/signed-forms", cs.signedFormPage(applicationPaper))
	in.POST("/applications/:id/signed-forms", cs.uploadSigned(applicationPaper))
	in.GET("/applications/:id/signed-forms/:sid", cs.scan("applications"))
	in.GET("/brands/:id/changes/:cid/signed-forms", cs.signedFormPage(changePaper))
	in.POST("/brands/:id/changes/:cid/signed-forms", cs.uploadSigned(changePaper))
	in.GET("/brands/:id/removal-report/signed-forms", cs.signedFormPage(removalPaper))
	in.POST("/brands/:id/removal-report/signed-forms", cs.uploadSigned(removalPaper))
	in.GET("/brands/:id/signed-forms/:sid", cs.scan("brands"))
}

// scan opens one signed scan of an application or a brand.
func (cs *Console) scan(records string) gin.HandlerFunc {
	return func(c *gin.Context) {
		cs.passThrough(c, "/api/v1/"+records+"/"+url.PathEscape(c.Param("id"))+"/signed-forms/"+url.PathEscape(c.Param("sid")),
			c.Query("inline") == "1")
	}
}

// mayUpload reports whether the signed-in role may upload a scan of form,
// as the API's routes allow: 附件1 and 附件2 the holder and its county and
// city officers, 附件3 the officers. Refused, the page says so.
func (cs *Console) mayUpload(c *gin.Context, form string) bool {
	switch auth.Role(session(c).Account.Role) {
	case auth.CountyOfficer, auth.CityOfficer:
		return true
	case auth.Applicant:
		if form != "attachment3" {
			return true
		}
	}
	cs.errorPage(c, http.StatusForbidden, "无权访问", "签字件由品牌持有单位或县（市、区）、市人社部门上传。")
	return false
}

func applicationPaper(cs *Console, c *gin.Context) (signedPage, bool) {
	if !cs.mayUpload(c, "attachment1") {
		return signedPage{}, false
	}
	var app store.ApplicationView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(c.Param("id")), nil, "", &app); err != nil {
		cs.fail(c, err)
		return signedPage{}, false
	}
	at := "/applications/" + url.PathEscape(app.ID)
	return signedPage{Title: "签字盖章的推荐表（附件1）", Paper: "推荐表（附件1）", Record: "申请 " + app.ID + " · " + app.BrandName,
		Back: at, BackLabel: "申请 " + app.ID, PDF: at + "/form.pdf", How: "由承诺人（法定代表人）签字、加盖单位公章",
		Action: at + "/signed-forms", api: "/api/v1/applications/" + url.PathEscape(app.ID) + "/signed-forms",
		Scans: scanList{Scans: app.SignedForms, At: at + "/signed-forms/", Revision: app.FormRevision}}, true
}

func changePaper(cs *Console, c *gin.Context) (signedPage, bool) {
	if !cs.mayUpload(c, "attachment2") {
		return signedPage{}, false
	}
	b, ok := cs.brandOf(c)
	if !ok {
		return signedPage{}, false
	}
	for _, ch := range b.Changes {
		if ch.ID != c.Param("cid") {
			continue
		}
		at := "/brands/" + url.PathEscape(b.ID)
		return signedPage{Title: "签字盖章的登记变更表（附件2）", Paper: "登记变更表（附件2）",
			Record: b.Name + " · 变更申请 " + ch.ID + " · " + changeStatusLabel(ch.Status), Back: at, BackLabel: b.Name,
			PDF: at + "/changes/" + url.PathEscape(ch.ID) + "/form.pdf", How: "由申请人（法定代表人）签字、加盖单位公章",
			Action: at + "/changes/" + url.PathEscape(ch.ID) + "/signed-forms",
			api:    "/api/v1/brands/" + url.PathEscape(b.ID) + "/changes/" + url.PathEscape(ch.ID) + "/signed-forms",
			Scans:  scanList{Scans: scansOf(b.SignedForms, "attachment2", ch.ID), At: at + "/signed-forms/"}}, true
	}
	cs.errorPage(c, http.StatusNotFound, "变更申请不存在", "该品牌没有这项变更申请，请从品牌页面重新进入。")
	return signedPage{}, false
}

func removalPaper(cs *Console, c *gin.Context) (signedPage, bool) {
	if !cs.mayUpload(c, "attachment3") {
		return signedPage{}, false
	}
	b, ok := cs.brandOf(c)
	if !ok {
		return signedPage{}, false
	}
	if !removalProposed(b) {
		cs.errorPage(c, http.StatusNotFound, "尚无移出情况表", "该品牌未被报请移出项目库，没有移出情况表（附件3）可签。")
		return signedPage{}, false
	}
	at := "/brands/" + url.PathEscape(b.ID)
	return signedPage{Title: "签字盖章的移出情况表（附件3）", Paper: "移出情况表（附件3）", Record: b.Name + " · " + b.ID,
		Back: at, BackLabel: b.Name, PDF: at + "/removal-report.pdf", How: "由报送单位负责人签字、加盖单位公章",
		Action: at + "/removal-report/signed-forms", api: "/api/v1/brands/" + url.PathEscape(b.ID) + "/removal-report/signed-forms",
		Scans: scanList{Scans: scansOf(b.SignedForms, "attachment3", ""), At: at + "/signed-forms/"}}, true
}

// brandOf reads the brand of the address through the API.
func (cs *Console) brandOf(c *gin.Context) (store.BrandView, bool) {
	var b store.BrandView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/brands/"+url.PathEscape(c.Param("id")), nil, "", &b); err != nil {
		cs.fail(c, err)
		return b, false
	}
	return b, true
}

// removalProposed reports whether the brand was ever proposed for removal,
// as far as its view tells: a proposal waiting, a proposal or decision in
// its history, its removal, or a 附件3 already signed — or may have been,
// its history longer than the view. (The API, which reads the whole
// history, decides the upload.)
func removalProposed(b store.BrandView) bool {
	if b.Status == "removed" || len(scansOf(b.SignedForms, "attachment3", "")) > 0 || b.HistoryTotal > len(b.History) {
		return true // a history longer than its view may hold a proposal: the API decides
	}
	for _, m := range b.OpenMatters {
		if m.Kind == workflows.PendingRemoval {
			return true
		}
	}
	for _, h := range b.History {
		switch h.Action {
		case "removal.reported", "removal.decided", "removal.declined", "evaluation.removal_proposed":
			return true
		}
	}
	return false
}

func (cs *Console) signedFormPage(load paperLoader) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := load(cs, c)
		if !ok {
			return
		}
		p.Signed, p.Errors, p.Key, p.Done = map[string]string{}, map[string]string{}, newToken(), c.Query("signed") != ""
		cs.render(c, http.StatusOK, "signed_form", p.Title, p)
	}
}

// uploadSigned sends the scan and its facts to the API, which checks them
// and the file; refused, the page comes back with what was typed and the
// API's words beside each field, under a new key (corrected, it is another
// request, not the refused one sent again).
func (cs *Console) uploadSigned(load paperLoader) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := load(cs, c)
		if !ok {
			return
		}
		p.Signed, p.Errors, p.Key = formValues(c, "signer", "signed_on", "seal_present"), map[string]string{}, newToken()
		refused := func(status int, message string, inFlight bool) {
			if p.Message = message; inFlight {
				p.Key = formKey(c) // sent again, the same request: answered as the first
			}
			cs.render(c, status, "signed_form", p.Title, p)
		}
		_, err := cs.sendSignedScan(c, p.api, p.Signed, p.Errors, refused)
		if err == errAnswered {
			return
		}
		if err != nil {
			cs.fail(c, err)
			return
		}
		c.Redirect(http.StatusSeeOther, p.Action+"?signed=1")
	}
}

// errAnswered: sendSignedScan has answered the request (the form refused).
var errAnswered = errors.New("answered")

// sendSignedScan posts the form's file with the facts signed to apiPath.
// A form without a file, or one the API refuses, fills errs (the file's
// under signed_file) and is answered by refused with its status and the
// API's message — inFlight when the same request, sent before, is still
// being stored (a double click): the form keeps its key then, so that
// sending it again is answered as the first, not stored twice;
// errAnswered is returned then.
func (cs *Console) sendSignedScan(c *gin.Context, apiPath string, signed, errs map[string]string, refused func(status int, message string, inFlight bool)) (store.SignedForm, error) {
	var stored store.SignedForm
	fh, err := c.FormFile("file")
	if err != nil {
		errs["signed_file"] = "请选择签字盖章后的扫描件"
		refused(http.StatusUnprocessableEntity, "", false)
		return stored, errAnswered
	}
	f, err := fh.Open()
	if err != nil {
		return stored, err
	}
	defer f.Close()
	key := formKey(c)
	size := min(fh.Size, signedScanMax+1)
	contentType, body, framing, err := fileBody([][2]string{{"signer", signed["signer"]}, {"signed_on", signed["signed_on"]},
		{"seal_present", signed["seal_present"]}}, fh.Filename, io.LimitReader(f, size), key)
	if err != nil {
		return stored, err
	}
	err = cs.postMultipart(c, apiPath, contentType, body, framing+size, key, http.StatusCreated, &stored)
	var no *APIError
	if errors.As(err, &no) && no.Status < 500 {
		for field, msg := range no.Fields {
			if field == "file" {
				field = "signed_file"
			}
			errs[field] = msg
		}
		refused(no.Status, no.Message, no.InFlight())
		return stored, errAnswered
	}
	return stored, err
}
