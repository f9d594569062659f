package console

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §3 (files kept are bounded): the upload page refuses, before the
// first piece, a file the API would refuse for the application's quota.
func TestUploadStartChecksTheApplicationsQuota(t *testing.T) {
	q := store.AttachmentQuota
	full := make([]store.Attachment, q.Files)
	if withinQuota(full, 1) {
		t.Errorf("a file past %d files was let through", q.Files)
	}
	if !withinQuota(full[:q.Files-1], 1) {
		t.Errorf("the %dth file was refused", q.Files)
	}
	big := []store.Attachment{{Size: q.Bytes - 100}}
	if withinQuota(big, 101) || !withinQuota(big, 100) {
		t.Errorf("the %d bytes' bound is not where it should be", q.Bytes)
	}
}

// An upload the API refuses for several fields at once says every one of
// them on the page, not the one a map happened to give last.
func TestAnUploadRefusedForSeveralFieldsSaysEachOne(t *testing.T) {
	gin.SetMode(gin.TestMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	(&Console{}).uploadRefused(c, &APIError{Status: http.StatusUnprocessableEntity, Message: "文件有误",
		Fields: map[string]string{"kind": "须为 overview、picture、video、licence 或 other", "file": "图片须为JPEG、PNG 或 WebP 图片"}})
	var ans uploadAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	if w.Code != 422 || ans.Field != "file" || ans.Error != "文件有误：图片须为JPEG、PNG 或 WebP 图片；须为 overview、picture、video、licence 或 other" {
		t.Errorf("%d %+v", w.Code, ans)
	}
}
