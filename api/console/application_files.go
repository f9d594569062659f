package console

import (
	"bytes"
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

// passThrough answers with the API's answer to a GET of path — a file,
// passed on as the API writes it, never held whole (a video is 200 MB) —
// or, when the API refuses, with the console's page for its refusal.
func (cs *Console) passThrough(c *gin.Context, path string, inline bool) {
	token, err := auth.Sign(cs.Secret, principalOf(session(c).Account), time.Now(), callTokenTTL)
	if err != nil {
		cs.fail(c, err)
		return
	}
	req, err := http.NewRequestWithContext(c.Request.Context(), http.MethodGet, path, http.NoBody)
	if err != nil {
		cs.fail(c, err)
		return
	}
	req.RemoteAddr = c.Request.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+token)
	w := &passWriter{out: c.Writer, header: http.Header{}, inline: inline}
	cs.engine.ServeHTTP(w, req)
	c.Abort()
	if w.passing {
		return
	}
	cs.fail(c, fileRefusal(w.status, w.header, w.kept.Bytes(), "文件不存在或已被删除。"))
}

// fileRefusal is the page for the API's refusal of a file: its own words
// for a 403 or a 404 (notFound), what the API said otherwise — a filter
// it refused, a font it lacks, a moment's overload —, and no more than
// "try again" for an answer that says nothing.
func fileRefusal(status int, header http.Header, body []byte, notFound string) *APIError {
	switch status {
	case http.StatusForbidden:
		return &APIError{Status: status, Code: "forbidden", Message: "您无权查看该文件。"}
	case http.StatusNotFound:
		return &APIError{Status: status, Code: "not_found", Message: notFound}
	}
	e := apiErrorOf(status, header, body)
	if e.Code == "internal" {
		return &APIError{Status: status, Code: "refused", Message: "暂时无法读取该文件，请稍后重试。", RetryAfter: e.RetryAfter}
	}
	e.Message = e.said()
	return e
}

// passWriter passes the API's 200 answer on to the browser as it is
// written, with the headers a file needs; any other answer is kept back
// (its body dropped) for the console to answer with a page of its own.
type passWriter struct {
	out     http.ResponseWriter
	header  http.Header
	inline  bool
	status  int
	passing bool
	kept    bytes.Buffer // a refusal's body, up to passKept
}

// passKept bounds the refusal kept back: an error body is a few hundred
// bytes.
const passKept = 64 << 10

func (w *passWriter) Header() http.Header { return w.header }

// Unwrap lets the API set deadlines on the browser's connection
// (http.ResponseController) while it passes a file on.
func (w *passWriter) Unwrap() http.ResponseWriter { return w.out }

func (w *passWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	if status != http.StatusOK {
		return
	}
	w.passing = true
	for _, h := range []string{"Content-Type", "Content-Disposition", "Content-Length", "ETag"} {
		if v := w.header.Get(h); v != "" {
			w.out.Header().Set(h, v)
		}
	}
	if w.inline {
		w.out.Header().Set("Content-Disposition", "inline")
	}
	w.out.Header().Set("Cache-Control", "private, no-store")
	w.out.Header().Set("X-Content-Type-Options", "nosniff")
	w.out.WriteHeader(http.StatusOK)
}

func (w *passWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if !w.passing {
		if room := passKept - w.kept.Len(); room > 0 {
			w.kept.Write(b[:min(len(b), room)])
		}
		return len(b), nil
	}
	return w.out.Write(b)
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
