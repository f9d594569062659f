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
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// Signed paper, facts in the record (issue 14): a printed form comes back
// signed, sealed and dated in ink; whoever uploads the scan states who
// signed, when and whether the seal is on it, and the record keeps both.

// signedScanTypes are the scans accepted, decided by content.
var signedScanTypes = []string{"application/pdf", "image/jpeg", "image/png"}

const (
	signedScanLimit = 20 << 20
	signerMax       = 50
)

// schemeIssued is the day the scheme was issued: nothing was signed for it
// before (附件1).
var schemeIssued, _ = calendar.ParseDate("2025-08-01")

// signedScan reads and checks the multipart body: file, signer, signed_on
// (from earliest to today) and seal_present. It answers 413/422 itself and
// returns false.
func (s *Server) signedScan(c *gin.Context, form string, earliest calendar.Date) (store.SignedForm, []byte, bool) {
	var fields fieldCheck
	signer := fields.text("signer", strings.TrimSpace(c.PostForm("signer")), signerMax, fmt.Sprintf("必填：签字人姓名，不超过 %d 个字", signerMax))
	today := calendar.DateOf(s.now())
	signedOn := fields.pastDate("signed_on", strings.TrimSpace(c.PostForm("signed_on")), today)
	if signedOn.Valid() && signedOn.Before(earliest) {
		fields.add("signed_on", "不能早于 "+earliest.String()+"（该表的记录形成之日）")
	}
	seal, sealGiven := map[string]bool{"true": true, "false": false}[c.PostForm("seal_present")]
	if !sealGiven {
		fields.add("seal_present", "必填：true（已盖章）或 false（未盖章）")
	}
	f := store.SignedForm{ID: s.recordID(c, "S"), Form: form, Signer: signer, SignedOn: signedOn.String(), SealPresent: seal,
		UploadedAt: s.now(), UploadedRole: string(principal(c).Role)}
	fh, err := c.FormFile("file")
	switch {
	case err != nil && isTooLarge(err):
		fail(c, errTooLarge(signedScanLimit))
		return f, nil, false
	case err != nil:
		fields.add("file", "须以 multipart/form-data 的 file 字段上传签字盖章后的扫描件（PDF、JPEG 或 PNG）")
	case fh.Size > signedScanLimit:
		fail(c, errTooLarge(signedScanLimit))
		return f, nil, false
	}
	var data []byte
	if err == nil {
		file, err := fh.Open()
		if err != nil {
			fail(c, err)
			return f, nil, false
		}
		defer file.Close()
		if data, err = io.ReadAll(io.LimitReader(file, signedScanLimit+1)); err != nil || len(data) > signedScanLimit {
			fail(c, errTooLarge(signedScanLimit))
			return f, nil, false
		}
		base, _, _ := strings.Cut(mimetype.Detect(data).String(), ";")
		if !slices.Contains(signedScanTypes, base) {
			fields.add("file", "扫描件须为 PDF、JPEG 或 PNG，收到的是 "+base)
		}
		sum := sha256.Sum256(data)
		f.Name, f.ContentType, f.Size, f.SHA256 = filepath.Base(fh.Filename), base, int64(len(data)), hex.EncodeToString(sum[:])
	}
	if fields.failed(c, "签字件信息有误") {
		return f, nil, false
	}
	return f, data, true
}

// uploadApplicationSignedForm keeps the signed 附件1 of an application.
func (s *Server) uploadApplicationSignedForm(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	f, data, ok := s.signedScan(c, "attachment1", schemeIssued)
	if !ok {
		return
	}
	s.saveSignedForm(c, f, ref.ID, "", data)
}

// uploadChangeSignedForm keeps the signed 附件2 of a change request.
func (s *Server) uploadChangeSignedForm(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	ch, ok := s.brandChange(c, ref)
	if !ok {
		return
	}
	f, data, ok := s.signedScan(c, "attachment2", calendar.DateOf(ch.RequestedAt))
	if !ok {
		return
	}
	f.ChangeID = &ch.ID
	s.saveSignedForm(c, f, "", ref.ID, data)
}

// uploadRemovalSignedForm keeps the signed 附件3 of a removal report.
func (s *Server) uploadRemovalSignedForm(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	r, ok := s.brandRemoval(c, ref)
	if !ok {
		return
	}
	earliest := schemeIssued
	if r.ReportedAt != nil {
		earliest = calendar.DateOf(*r.ReportedAt)
	}
	f, data, ok := s.signedScan(c, "attachment3", earliest)
	if !ok {
		return
	}
	s.saveSignedForm(c, f, "", ref.ID, data)
}

func (s *Server) saveSignedForm(c *gin.Context, f store.SignedForm, applicationID, brandID string, data []byte) {
	stored, err := s.Store.SaveSignedForm(c, f, applicationID, brandID, data, principal(c).Sub)
	if errors.Is(err, store.ErrQuotaReached) {
		whose := "本单位为每个劳务品牌上传的签字件"
		if applicationID != "" {
			whose = "本单位为每份申请上传的签字件"
		}
		fail(c, errQuotaReached(whose, store.SignedFormQuota))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if stored.SHA256 != f.SHA256 || stored.Form != f.Form || stored.Signer != f.Signer || stored.SignedOn != f.SignedOn ||
		stored.SealPresent != f.SealPresent {
		refuseOtherRecord(c)
		return
	}
	c.JSON(http.StatusCreated, stored)
}

// getSignedForm answers a signed scan of an application or a brand.
func (s *Server) getSignedForm(objectType string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.Param("id")
		if objectType == "brand" {
			if _, ok := s.brand(c); !ok {
				return
			}
		} else if _, ok := s.application(c); !ok {
			return
		} else if principal(c).Role == auth.Expert {
			// The signed 附件1 shows the contact person and phone an
			// expert's copy of the form leaves out (RULES §6).
			fail(c, errForbidden("专家不能查看签章扫描件（含联系人信息）"))
			return
		}
		f, data, err := s.Store.GetSignedForm(c, objectType, id, c.Param("sid"))
		if err != nil {
			fail(c, err)
			return
		}
		c.Header("Content-Disposition", "attachment; filename*=UTF-8''"+urlEscape(f.Name))
		c.Header("Cache-Control", "private, no-store")
		c.Header("Last-Modified", f.UploadedAt.UTC().Format(time.RFC1123))
		c.Data(http.StatusOK, f.ContentType, data)
	}
}
