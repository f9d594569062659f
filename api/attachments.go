package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// attachmentKinds are the materials of 第十条 and their accepted types,
// decided by the file's content (sniffed), never by its name.
var attachmentKinds = map[string]struct {
	label   string
	types   []string
	accepts string // the types, as the refusal names them
	limit   int64
}{
	"overview": {"品牌概况", []string{"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/msword", "text/plain"}, "PDF、Word 或文本文件", 20 << 20},
	"picture":  {"图片", []string{"image/jpeg", "image/png", "image/webp"}, "JPEG、PNG 或 WebP 图片", 20 << 20},
	"video":    {"视频", []string{"video/mp4", "video/quicktime", "video/webm"}, "MP4、MOV 或 WebM 视频", maxUploadBytes},
	"licence":  {"营业执照等证照", []string{"application/pdf", "image/jpeg", "image/png"}, "PDF、JPEG 或 PNG 文件", 20 << 20},
	"other":    {"其他材料", []string{"application/pdf", "image/jpeg", "image/png", "application/zip", "text/plain"}, "PDF、JPEG、PNG、ZIP 或文本文件", 50 << 20},
}

// AttachmentLimit is the largest file of an attachment kind (第十条's
// materials), and whether the kind is one: for a client that checks a file
// before sending it.
func AttachmentLimit(kind string) (int64, bool) {
	k, ok := attachmentKinds[kind]
	return k.limit, ok
}

// ErrAttachmentTooLarge is the refusal of a file over its kind's limit,
// named in the kind's words.
func ErrAttachmentTooLarge(kind string) string {
	k := attachmentKinds[kind]
	return fmt.Sprintf("%s须在 %s 以内", k.label, sizeLimitText(k.limit))
}

// uploadAttachment stores one file of an application.
func (s *Server) uploadAttachment(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	p := principal(c)
	if p.Role == auth.Applicant && p.USCC != ref.USCC {
		fail(c, errForbidden("只能为本单位的申请上传材料"))
		return
	}
	if p.Role == auth.CityOfficer && !ref.OnBehalf { // as its files' removal (API.md: 代录 only)
		fail(c, errForbidden("市级只能为由其代录的申请上传材料"))
		return
	}
	keyed := c.GetHeader(IdempotencyHeader) != ""
	if !keyed && !takesFiles(ref.Stage) { // refused before the file is read into memory
		fail(c, errFilesTaken(ref.Stage))
		return
	}
	kind := c.PostForm("kind")
	rule, known := attachmentKinds[kind]
	if !known {
		fail(c, errInvalid("材料类型有误", FieldError{Field: "kind", Message: "须为 overview、picture、video、licence 或 other"}))
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		if isTooLarge(err) {
			fail(c, errTooLarge(maxUploadBytes))
			return
		}
		fail(c, errInvalid("缺少文件", FieldError{Field: "file", Message: "须以 multipart/form-data 的 file 字段上传"}))
		return
	}
	if fh.Size > rule.limit {
		fail(c, errTooLargeFile(kind))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	// The file is read where it lies (on disk, beyond 32 MiB) — for its type,
	// for its digest, then into PostgreSQL as it is read — never whole in
	// memory: a video is 200 MB.
	mt, err := mimetype.DetectReader(f)
	if err != nil {
		fail(c, err)
		return
	}
	base := strings.SplitN(mt.String(), ";", 2)[0]
	if !slices.Contains(rule.types, base) {
		fail(c, errInvalid("文件类型不符", FieldError{Field: "file", Message: fmt.Sprintf("%s须为%s（按文件内容识别，与扩展名无关）", rule.label, rule.accepts)}))
		return
	}
	digest := sha256.New()
	size, err := readFrom(f, digest)
	if err != nil {
		fail(c, err)
		return
	}
	want := store.Attachment{ID: s.recordID(c, "F"), Kind: kind, Name: filepath.Base(fh.Filename), ContentType: base,
		Size: size, SHA256: hex.EncodeToString(digest.Sum(nil)), CreatedAt: s.now()}
	// A file its key names is answered as it stands, though the
	// application may have moved past the stage that took it since.
	var stored store.Attachment
	found, ok := s.keyNamesRecord(c, func() (err error) { stored, err = s.Store.AttachmentOnRecord(c, ref.ID, want.ID); return err })
	if !ok {
		return
	}
	if found {
		answerFromRecord(c, sameAttachment(stored, want), func() { c.JSON(http.StatusCreated, stored) })
		return
	}
	if !takesFiles(ref.Stage) {
		fail(c, errFilesTaken(ref.Stage))
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		fail(c, err)
		return
	}
	a, err := s.Store.SaveAttachment(c, ref.ID, want, f, filesStages, p.Sub, string(p.Role))
	var taken *store.FilesTakenError
	switch {
	case errors.Is(err, store.ErrQuotaReached):
		fail(c, errQuotaReached("每份申请", store.AttachmentQuota))
		return
	case errors.As(err, &taken): // decided while the file was read (a video takes seconds)
		fail(c, errFilesTaken(taken.Stage))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if !sameAttachment(a, want) {
		refuseOtherRecord(c)
		return
	}
	c.JSON(http.StatusCreated, a)
}

// takesFiles reports whether an application in stage takes files: they
// belong to it while the holder may still change it — before the county's
// 初审 decision, or when returned for supplement.
func takesFiles(stage string) bool {
	return slices.Contains(filesStages, stage)
}

// filesStages are the stages whose files are the holder's to change.
var filesStages = []string{workflows.StageCountyReview, workflows.StageReturned}

func errFilesTaken(stage string) *Error {
	return errConflict("申请已进入审核后续阶段，不能再上传材料（仅初审前或退回补充时可上传）", map[string]any{"stage": stage})
}

// readFrom reads f from its start to its end into w, and says how many
// bytes it read.
func readFrom(f io.ReadSeeker, w io.Writer) (int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return io.Copy(w, f)
}

// sameAttachment reports whether the file on record is the one a request
// sends: the same content, kind and name.
func sameAttachment(stored, sent store.Attachment) bool {
	return stored.SHA256 == sent.SHA256 && stored.Kind == sent.Kind && stored.Name == sent.Name
}

// removeAttachment takes a file uploaded by mistake off the application
// while its files are still the holder's to change (takesFiles): before
// the county's 初审 decision, or when returned. The history keeps the
// file's name and digest.
func (s *Server) removeAttachment(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	p := principal(c)
	if p.Role == auth.Applicant && p.USCC != ref.USCC {
		fail(c, errForbidden("只能撤回本单位申请的材料"))
		return
	}
	a, err := s.Store.RemoveAttachment(c, ref.ID, c.Param("aid"), filesStages, s.now(), p.Sub, string(p.Role))
	var taken *store.FilesTakenError
	switch {
	case errors.Is(err, store.ErrNotFound):
		fail(c, errNotFound("该申请没有这份材料（可能已撤回）"))
	case errors.As(err, &taken):
		fail(c, errConflict("申请已进入审核后续阶段，材料不能再撤回（仅初审前或退回补充时可撤回）", map[string]any{"stage": taken.Stage}))
	case errors.Is(err, store.ErrNotEnteredOnBehalf):
		fail(c, errForbidden("市级只能撤回由其代录的申请的材料"))
	case err != nil:
		fail(c, err)
	default:
		c.JSON(http.StatusOK, a)
	}
}

// getAttachment returns a stored file.
func (s *Server) getAttachment(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	a, err := s.Store.AttachmentOnRecord(c, ref.ID, c.Param("aid"))
	if err != nil {
		fail(c, err)
		return
	}
	begin := func() {
		c.Header("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", urlEscape(a.Name)))
		c.Header("X-Content-Type-Options", "nosniff")
		c.Header("Content-Type", a.ContentType)
		c.Header("Content-Length", strconv.FormatInt(a.Size, 10))
		c.Status(http.StatusOK)
		c.Writer.WriteHeaderNow()
	}
	if err := s.Store.WriteAttachment(c, ref.ID, a, begin, &paced{w: c.Writer, rc: http.NewResponseController(c.Writer)}); err != nil {
		if !c.Writer.Written() {
			fail(c, err)
			return
		}
		// The answer has begun: the client sees a file shorter than its
		// Content-Length, and the reason is logged.
		s.Log.Warn("attachment cut short", "application", ref.ID, "attachment", a.ID, "error", err)
		c.Abort()
	}
}

// paced writes to a client that must take each slice of a piece within
// sliceWait: one that stops reading (a paused player, on purpose) fails
// the write and lets its piece go, where net/http alone would wait for
// ever; a slow one (a county line) is given the time each slice takes.
type paced struct {
	w  io.Writer
	rc *http.ResponseController
}

const (
	pacedSlice = 256 << 10
	sliceWait  = time.Minute
)

func (p *paced) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		n := min(len(b), pacedSlice)
		// A writer without deadlines passes on.
		if err := p.rc.SetWriteDeadline(time.Now().Add(sliceWait)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return written, err
		}
		m, err := p.w.Write(b[:n])
		written += m
		if err != nil {
			return written, err
		}
		b = b[n:]
	}
	return written, nil
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// errTooLargeFile is a file over its kind's limit: a 413 naming the kind
// and its limit, on the field file.
func errTooLargeFile(kind string) *Error {
	e := errTooLarge(attachmentKinds[kind].limit)
	e.Fields = []FieldError{{Field: "file", Message: ErrAttachmentTooLarge(kind)}}
	return e
}

// ErrAttachmentQuota is the refusal of a file past an application's
// quota (store.AttachmentQuota), for a client that checks before sending.
func ErrAttachmentQuota() string {
	return errQuotaReached("每份申请", store.AttachmentQuota).Message
}

// errQuotaReached refuses a file that would take its record (whose, as the
// message names it) past q: nothing is stored.
func errQuotaReached(whose string, q store.FileQuota) *Error {
	return &Error{Status: http.StatusConflict, Code: "file_quota_reached",
		Message: fmt.Sprintf("%s至多保存 %d 个文件、合计 %s，已达上限，本文件未保存", whose, q.Files, sizeLimitText(q.Bytes))}
}
