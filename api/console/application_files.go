package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// attachment serves an application's file through the API as the
// signed-in person (GET /api/v1/applications/{id}/attachments/{aid}):
// ?inline=1 shows a picture or a PDF in the browser, otherwise it
// downloads under its own name.
func (cs *Console) attachment(c *gin.Context) {
	cs.passThrough(c, "/api/v1/applications/"+url.PathEscape(c.Param("id"))+"/attachments/"+url.PathEscape(c.Param("aid")), c.Query("inline") == "1")
}

// formPDF is 附件1 filled from the application (GET /api/v1/applications/
// {id}/form.pdf), for printing, signing and sealing.
func (cs *Console) formPDF(c *gin.Context) {
	cs.passThrough(c, "/api/v1/applications/"+url.PathEscape(c.Param("id"))+"/form.pdf", c.Query("inline") == "1")
}

// passThrough answers with the API's answer to a GET of path — a file —
// or, when the API refuses, with the console's page for its refusal.
func (cs *Console) passThrough(c *gin.Context, path string, inline bool) {
	rec, err := cs.fetchFile(c, path)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if rec.status != http.StatusOK {
		msg := map[int]string{403: "您无权查看该文件。", 404: "文件不存在或已被删除。"}[rec.status]
		if msg == "" {
			msg = "暂时无法读取该文件，请稍后重试。"
		}
		cs.fail(c, &APIError{Status: rec.status, Code: "refused", Message: msg})
		return
	}
	for _, h := range []string{"Content-Type", "Content-Disposition", "Content-Length", "ETag"} {
		if v := rec.header.Get(h); v != "" {
			c.Header(h, v)
		}
	}
	if inline {
		c.Header("Content-Disposition", "inline")
	}
	c.Header("Cache-Control", "private, no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(rec.body.Bytes())
	c.Abort()
}

// fetchFile GETs path from the API in-process as the signed-in person (the
// session is not an API credential) and returns the API's answer whole.
func (cs *Console) fetchFile(c *gin.Context, path string) (*recorder, error) {
	token, err := auth.Sign(cs.Secret, principalOf(session(c).Account), time.Now(), callTokenTTL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(c.Request.Context(), http.MethodGet, path, http.NoBody)
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = c.Request.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+token)
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	cs.engine.ServeHTTP(rec, req)
	return rec, nil
}
