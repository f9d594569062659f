package console

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The holder's materials (第十条: overview, pictures, video, licence) are
// uploaded to the application while it may still change: before 初审, or
// when returned. A browser sends a file in pieces of at most uploadPart
// bytes with their offset (assets/upload.js); the pieces are kept in the
// database, so a broken connection or a closed browser resumes where it
// stopped, and the whole file goes to the API's attachment endpoint — the
// API sniffs its type and checks its size — once every byte is here.

const (
	uploadPart    = 960 << 10        // a piece, within the API's 1 MiB body limit with its form
	uploadMax     = 200 << 20        // the API's largest attachment (a video)
	openUploadMax = 10               // unfinished uploads one holder may keep
	uploadKept    = store.UploadKept // an unfinished upload untouched this long is forgotten
)

// materialsView is the upload page of one application.
type materialsView struct {
	App      store.ApplicationView
	Open     bool // materials may be uploaded at this stage
	Kinds    []option
	Kind     string // the kind chosen, kept when the page comes back with an error
	Message  string
	Errors   map[string]string
	Uploaded string // the file just uploaded (the page without script)
	PartSize int
	// UploadKey is the form's idempotency key for an upload without
	// script: sent twice (a double click, a resend), the file is stored once.
	UploadKey string
	// Signed is the signed 附件1's form as posted, kept when it comes back
	// with an error; SignedKey its idempotency key; SignedDone the notice.
	Signed     map[string]string
	SignedKey  string
	SignedDone bool
	// Confirm is the file the holder asked to take back, its confirmation
	// shown; Removed says one was.
	Confirm *store.Attachment
	Removed bool
}

var materialKinds = []option{{"overview", "品牌概况（PDF、Word 或文本，20 MB 以内）"}, {"picture", "图片（JPEG、PNG 或 WebP，20 MB 以内）"},
	{"video", "视频（MP4、MOV 或 WebM，200 MB 以内）"}, {"licence", "营业执照等证照（PDF 或图片，20 MB 以内）"}, {"other", "其他材料（50 MB 以内）"}}

func (cs *Console) mountHolderFiles(in gin.IRoutes) {
	in.GET("/holder/applications/:id/materials", cs.holderOnly, cs.materialsPage)
	in.POST("/holder/applications/:id/attachments", cs.holderOnly, cs.uploadWhole)
	in.POST("/holder/applications/:id/uploads", cs.holderOnly, cs.startUpload)
	in.POST("/holder/applications/:id/uploads/:uid", cs.holderOnly, cs.uploadPiece)
	in.POST("/holder/applications/:id/signed-forms", cs.holderOnly, cs.uploadSignedForm)
	in.POST("/holder/applications/:id/attachments/:aid/remove", cs.holderOnly, cs.removeAttachment)
}

func (cs *Console) loadMaterials(c *gin.Context) (materialsView, bool) {
	v := materialsView{Kinds: materialKinds, Errors: map[string]string{}, PartSize: uploadPart, UploadKey: newToken(),
		Signed: map[string]string{}, SignedKey: newToken()}
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(c.Param("id")), nil, "", &v.App); err != nil {
		cs.fail(c, err)
		return v, false
	}
	v.Open = v.App.Stage == workflows.StageCountyReview || v.App.Stage == workflows.StageReturned
	return v, true
}

func (cs *Console) materialsPage(c *gin.Context) {
	v, ok := cs.loadMaterials(c)
	if !ok {
		return
	}
	// Said only of a file the application has: the address is not a
	// place for any text to be shown as the system's.
	for _, a := range v.App.Attachments {
		if a.Name == c.Query("uploaded") {
			v.Uploaded = a.Name
		}
	}
	v.SignedDone = c.Query("signed") != ""
	v.Removed = c.Query("removed") != ""
	cs.render(c, http.StatusOK, "holder_materials", "上传申报材料", v)
}

// postedFile opens the file a form of the materials page posted, with the
// form's idempotency key ("" when it is not one newToken made); a form
// without a file comes back with missing beside field, and false.
func (cs *Console) postedFile(c *gin.Context, v materialsView, field, missing string) (*multipart.FileHeader, multipart.File, string, bool) {
	fh, err := c.FormFile("file")
	if err != nil {
		v.Errors[field] = missing
		cs.render(c, http.StatusUnprocessableEntity, "holder_materials", "上传申报材料", v)
		return nil, nil, "", false
	}
	f, err := fh.Open()
	if err != nil {
		cs.fail(c, err)
		return nil, nil, "", false
	}
	return fh, f, formKey(c), true
}

// formKey is a file form's idempotency key, "" when it is not one newToken
// made: the multipart boundary is drawn from it.
func formKey(c *gin.Context) string {
	if key := c.PostForm("idempotency_key"); looksLikeToken(key) {
		return key
	}
	return ""
}

// uploadSignedForm sends the scan of the printed 附件1, signed by the legal
// representative and sealed (第十条: 推荐表 signed and sealed), with who
// signed, when and whether it is sealed, to the API — which checks them
// and the file. Refused, the page comes back with what was typed, under a
// new key (loadMaterials'): corrected, it is another request, not the
// refused one sent again.
func (cs *Console) uploadSignedForm(c *gin.Context) {
	v, ok := cs.loadMaterials(c)
	if !ok {
		return
	}
	v.Signed = formValues(c, "signer", "signed_on", "seal_present")
	_, err := cs.sendSignedScan(c, "/api/v1/applications/"+url.PathEscape(v.App.ID)+"/signed-forms", v.Signed, v.Errors,
		func(status int, message string, inFlight bool) {
			if v.Message = message; inFlight {
				v.SignedKey = formKey(c) // sent again, the same request: answered as the first
			}
			cs.render(c, status, "holder_materials", "上传申报材料", v)
		})
	if err == errAnswered {
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/holder/applications/"+url.PathEscape(v.App.ID)+"/materials?signed=1")
}

// removeAttachment takes back a file uploaded by mistake while materials
// may still change (DELETE /api/v1/applications/{id}/attachments/{aid}):
// first the page asks, naming the file; confirmed, the API removes it.
func (cs *Console) removeAttachment(c *gin.Context) {
	v, ok := cs.loadMaterials(c)
	if !ok {
		return
	}
	confirmed := c.PostForm("confirm") == "1"
	removed := "/holder/applications/" + url.PathEscape(v.App.ID) + "/materials?removed=1"
	i := slices.IndexFunc(v.App.Attachments, func(a store.Attachment) bool { return a.ID == c.Param("aid") })
	switch {
	case i < 0 && confirmed: // taken back by the first of two clicks on 确认撤回
		c.Redirect(http.StatusSeeOther, removed)
		return
	case i < 0:
		v.Message = "该材料已撤回或不存在。"
		cs.render(c, http.StatusNotFound, "holder_materials", "上传申报材料", v)
		return
	case !v.Open: // a page left open past 初审: said before the confirmation
		v.Message = "申请已进入审核后续阶段，材料不能再撤回（仅初审前或退回补充时可撤回）。"
		cs.render(c, http.StatusConflict, "holder_materials", "上传申报材料", v)
		return
	case !confirmed:
		v.Confirm = &v.App.Attachments[i]
		cs.render(c, http.StatusOK, "holder_materials", "上传申报材料", v)
		return
	}
	var gone store.Attachment
	err := cs.callAPI(c, http.MethodDelete, "/api/v1/applications/"+url.PathEscape(v.App.ID)+"/attachments/"+url.PathEscape(v.App.Attachments[i].ID), nil, "", &gone)
	var refused *APIError
	if errors.As(err, &refused) && refused.Status == http.StatusNotFound { // the other click's, meanwhile
		c.Redirect(http.StatusSeeOther, removed)
		return
	}
	if errors.As(err, &refused) && refused.Status < 500 {
		v.Message = refused.said()
		cs.render(c, refused.Status, "holder_materials", "上传申报材料", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, removed)
}

// uploadWhole is the page's form without script: one file in one request.
func (cs *Console) uploadWhole(c *gin.Context) {
	v, ok := cs.loadMaterials(c)
	if !ok {
		return
	}
	kind := c.PostForm("kind")
	v.Kind = kind
	fh, f, key, ok := cs.postedFile(c, v, "file", "请选择要上传的文件")
	if !ok {
		return
	}
	defer f.Close()
	a, err := cs.sendAttachment(c, v.App.ID, kind, fh.Filename, io.LimitReader(f, uploadMax+1), min(fh.Size, uploadMax+1), key)
	var refused *APIError
	if errors.As(err, &refused) && refused.Status < 500 {
		v.Message, v.Errors = refused.Message, refused.Fields
		cs.render(c, refused.Status, "holder_materials", "上传申报材料", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/holder/applications/"+v.App.ID+"/materials?"+url.Values{"uploaded": {a.Name}}.Encode())
}

// uploadAnswer is the JSON the page's script reads: the bytes the server
// holds (the next piece starts there), or a Chinese message for a field.
type uploadAnswer struct {
	ID         string            `json:"id,omitempty"`
	Received   int64             `json:"received"`
	Size       int64             `json:"size"`
	Done       bool              `json:"done,omitempty"`
	Attachment *store.Attachment `json:"attachment,omitempty"`
	Error      string            `json:"error,omitempty"`
	Field      string            `json:"field,omitempty"`
}

// startUpload begins, or finds again, the upload of one file: the same
// file (its fingerprint: name, size, modification time) chosen again for
// the same application resumes from the bytes already here.
func (cs *Console) startUpload(c *gin.Context) {
	acct := session(c).Account
	id := c.Param("id")
	var app store.ApplicationView
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(id), nil, "", &app); err != nil {
		cs.uploadRefused(c, err)
		return
	}
	id = app.ID // the upload's key, whatever the address spelled
	if app.Stage != workflows.StageCountyReview && app.Stage != workflows.StageReturned {
		c.JSON(http.StatusConflict, uploadAnswer{Error: "申请已进入审核后续阶段，不能再上传材料（仅初审前或退回补充时可上传）"})
		return
	}
	kind, name := c.PostForm("kind"), filepath.Base(strings.TrimSpace(c.PostForm("name")))
	size, err := strconv.ParseInt(c.PostForm("size"), 10, 64)
	fingerprint := c.PostForm("fingerprint")
	switch {
	case !knownKind(kind):
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{Error: "请选择材料类型", Field: "kind"})
		return
	case err != nil || size <= 0:
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{Error: "请选择要上传的文件（不能是空文件）", Field: "file"})
		return
	case size > kindLimit(kind):
		// Said before a byte is sent: a 150 MB video chosen as 品牌概况
		// is not uploaded in full to be refused at the end.
		c.JSON(http.StatusRequestEntityTooLarge, uploadAnswer{Error: api.ErrAttachmentTooLarge(kind) + "，请核对材料类型或压缩文件", Field: "file"})
		return
	case name == "" || name == "." || utf8.RuneCountInString(name) > 200 || len(fingerprint) > 400 ||
		!utf8.ValidString(name+fingerprint) || strings.ContainsRune(name+fingerprint, 0):
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{Error: "文件名过长或无效，请改名后再上传", Field: "file"})
		return
	case api.TextProblem(name, false) != "":
		// The API refuses such a name when the file is sent: said now,
		// not after the last piece.
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{Error: "文件名" + api.TextProblem(name, false) + "，请改名后再上传", Field: "file"})
		return
	}
	now := time.Now()
	u, err := cs.Store.StartUpload(c, store.Upload{ID: "U" + newToken()[:20], USCC: acct.USCC, ApplicationID: id, Kind: kind, Name: name,
		Size: size, Fingerprint: kind + "|" + fingerprint, UpdatedAt: now}, store.UploadLimit{Max: openUploadMax, StaleBefore: now.Add(-uploadKept)})
	if errors.Is(err, store.ErrTooManyUploads) {
		c.JSON(http.StatusTooManyRequests, uploadAnswer{Error: "未完成的上传过多，请先完成或放弃已开始的上传", Field: "file"})
		return
	}
	if err != nil {
		cs.uploadRefused(c, err)
		return
	}
	if u.Received == u.Size { // every byte came before: only the sending is left (perhaps stored already)
		cs.finishUpload(c, u)
		return
	}
	if !withinQuota(app.Attachments, size) { // said before a piece is sent, not after the last
		if u.Received == 0 { // not one another tab may still be sending
			if err := cs.Store.DeleteUpload(c, u.ID); err != nil {
				cs.Log.Warn("console: delete upload", "upload", u.ID, "error", err)
			}
		}
		c.JSON(http.StatusConflict, uploadAnswer{Error: api.ErrAttachmentQuota(), Field: "file"})
		return
	}
	c.JSON(http.StatusOK, uploadAnswer{ID: u.ID, Received: u.Received, Size: u.Size})
}

// withinQuota reports whether one more file of size leaves an application
// with files within the API's quota (store.AttachmentQuota): a file past
// it is refused before its first piece.
func withinQuota(files []store.Attachment, size int64) bool {
	total := size
	for _, f := range files {
		total += f.Size
	}
	return len(files) < store.AttachmentQuota.Files && total <= store.AttachmentQuota.Bytes
}

// kindLimit is the largest file of a material kind (the API's limit).
func kindLimit(kind string) int64 {
	limit, _ := api.AttachmentLimit(kind)
	return min(limit, uploadMax)
}

// uploadPiece keeps one piece at its offset; the last one sends the file
// to the API. A piece not at the received end answers 409 with the offset
// to continue from — unless every byte is here, when the file is sent (a
// retry of the last piece whose answer was lost).
func (cs *Console) uploadPiece(c *gin.Context) {
	acct := session(c).Account
	u, err := cs.Store.UploadOf(c, acct.USCC, c.Param("id"), c.Param("uid"))
	if errors.Is(err, store.ErrNotFound) {
		c.JSON(http.StatusNotFound, uploadAnswer{Error: "上传已失效，请重新选择文件"})
		return
	} else if err != nil {
		cs.uploadRefused(c, err)
		return
	}
	offset, err := strconv.ParseInt(c.PostForm("offset"), 10, 64)
	fh, ferr := c.FormFile("piece")
	if err != nil || ferr != nil || fh.Size <= 0 || fh.Size > uploadPart {
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{Received: u.Received, Size: u.Size, Error: "上传数据有误，请重试"})
		return
	}
	f, err := fh.Open()
	if err != nil {
		cs.uploadRefused(c, err)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, uploadPart+1))
	f.Close()
	if err != nil {
		cs.uploadRefused(c, err)
		return
	}
	u, err = cs.Store.AppendUpload(c, u, offset, data, time.Now())
	switch {
	case errors.Is(err, store.ErrUploadPieceTooSmall):
		c.JSON(http.StatusUnprocessableEntity, uploadAnswer{ID: u.ID, Received: u.Received, Size: u.Size,
			Error: fmt.Sprintf("除最后一段外，每段须不少于 %d KB", store.UploadPartMin>>10)})
	case errors.Is(err, store.ErrUploadOffset) && u.Received < u.Size:
		c.JSON(http.StatusConflict, uploadAnswer{ID: u.ID, Received: u.Received, Size: u.Size, Error: "从已收到的位置继续上传"})
	case errors.Is(err, store.ErrUploadOffset), err == nil && u.Received == u.Size:
		cs.finishUpload(c, u)
	case err != nil:
		cs.uploadRefused(c, err)
	default:
		c.JSON(http.StatusOK, uploadAnswer{ID: u.ID, Received: u.Received, Size: u.Size})
	}
}

// finishUpload sends a whole upload to the API, under the upload's id as
// its idempotency key: sent again after an answer was lost, it is the one
// attachment, not a second. The bytes are kept until the API has stored
// or refused the file; after a failure of the moment, the holder's retry
// sends them again instead of uploading them anew.
func (cs *Console) finishUpload(c *gin.Context, u store.Upload) {
	pieces := &readerOf{r: cs.Store.UploadReader(c, u)}
	a, err := cs.sendAttachment(c, u.ApplicationID, u.Kind, u.Name, pieces, u.Size, "upload-"+u.ID)
	if pieces.err != nil {
		// The pieces could not be read (the database for a moment, or a
		// piece gone): whatever the API made of the short body, nothing was
		// stored, and the pieces stay for the holder's retry.
		cs.uploadRefused(c, fmt.Errorf("read upload %s: %w", u.ID, pieces.err))
		return
	}
	var refused *APIError
	if err == nil || errors.As(err, &refused) && refused.Status < 500 && !refused.InFlight() && refused.Fields[api.IdempotencyHeader] == "" {
		if derr := cs.Store.DeleteUpload(c, u.ID); derr != nil {
			cs.Log.Warn("console: delete upload", "upload", u.ID, "error", derr)
		}
	}
	if err != nil {
		cs.uploadRefused(c, err)
		return
	}
	c.JSON(http.StatusCreated, uploadAnswer{ID: u.ID, Received: u.Received, Size: u.Size, Done: true, Attachment: &a})
}

// readerOf is r, remembering the error that ended it (not io.EOF).
type readerOf struct {
	r   io.Reader
	err error
}

func (r *readerOf) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// uploadRefused answers the script with the API's refusal, or a logged
// server error.
func (cs *Console) uploadRefused(c *gin.Context, err error) {
	var refused *APIError
	if errors.As(err, &refused) && refused.InFlight() {
		// The same file is being stored by an earlier attempt: the script
		// waits and asks again (a 409 would send it back to offset 0).
		c.Header("Retry-After", cmp.Or(refused.RetryAfter, "1"))
		c.JSON(http.StatusServiceUnavailable, uploadAnswer{Error: "正在保存该文件，请稍候"})
		return
	}
	if errors.As(err, &refused) && refused.Status < 500 {
		ans := uploadAnswer{Error: refused.Message}
		if fields := slices.Sorted(maps.Keys(refused.Fields)); len(fields) > 0 {
			// Every field's message, under the first field.
			msgs := make([]string, len(fields))
			for i, f := range fields {
				msgs[i] = refused.Fields[f]
			}
			ans.Field, ans.Error = fields[0], refused.Message+"："+strings.Join(msgs, "；")
		}
		if refused.RetryAfter != "" {
			c.Header("Retry-After", refused.RetryAfter)
		}
		c.JSON(refused.Status, ans)
		return
	}
	cs.Log.Error("console: upload", "path", c.Request.URL.Path, "error", err)
	c.JSON(http.StatusServiceUnavailable, uploadAnswer{Error: "暂时无法保存上传的内容，请稍后继续"})
}

func knownKind(kind string) bool {
	for _, k := range materialKinds {
		if k.Value == kind {
			return true
		}
	}
	return false
}

// sendAttachment posts one file to the API's attachment endpoint (POST
// /api/v1/applications/{id}/attachments, multipart kind and file) as the
// signed-in holder, in-process.
func (cs *Console) sendAttachment(c *gin.Context, appID, kind, name string, data io.Reader, size int64, idempotencyKey string) (store.Attachment, error) {
	var a store.Attachment
	contentType, body, framing, err := attachmentBody(kind, name, data, idempotencyKey)
	if err != nil {
		return a, err
	}
	// Its length stated, the API takes the room the file needs on disk,
	// not its route's limit (200 MB) for a body it cannot measure.
	return a, cs.postMultipart(c, "/api/v1/applications/"+appID+"/attachments", contentType, body, framing+size, idempotencyKey, http.StatusCreated, &a)
}

// attachmentBody is the multipart body of one file. Under an idempotency
// key it is the same bytes every time — the key's own boundary, where a
// writer would draw a random one — so the request sent again is answered
// as the first, not refused as another under the same key. The file's
// bytes are read where they are, not copied into the body: a video is
// 200 MB.
func attachmentBody(kind, name string, data io.Reader, idempotencyKey string) (contentType string, body io.Reader, framing int64, err error) {
	return fileBody([][2]string{{"kind", kind}}, name, data, idempotencyKey)
}

// fileBody is the multipart body of fields (name and value, in order) and
// one file, as attachmentBody.
func fileBody(fields [][2]string, name string, data io.Reader, idempotencyKey string) (contentType string, body io.Reader, framing int64, err error) {
	var frame bytes.Buffer
	mw := multipart.NewWriter(&frame)
	if idempotencyKey != "" {
		if err := mw.SetBoundary("lb-" + idempotencyKey); err != nil {
			return "", nil, 0, err
		}
	}
	for _, f := range fields {
		_ = mw.WriteField(f[0], f[1])
	}
	if _, err := mw.CreateFormFile("file", name); err != nil {
		return "", nil, 0, err
	}
	head := frame.Len() // the file's bytes go here, before the closing boundary
	if err := mw.Close(); err != nil {
		return "", nil, 0, err
	}
	return mw.FormDataContentType(), io.MultiReader(bytes.NewReader(frame.Bytes()[:head]), data,
		bytes.NewReader(frame.Bytes()[head:])), int64(frame.Len()), nil
}

// looksLikeToken reports whether s could be a key newToken made: the
// multipart boundary is drawn from it, which takes no other characters.
func looksLikeToken(s string) bool {
	return len(s) >= 16 && len(s) <= 64 && looksLikeID(s)
}
