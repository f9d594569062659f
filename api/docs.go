package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The API reference at /docs: Redoc (vendored in api/redoc, no CDN) over
// /openapi.json, for the people who write a bureau's integration.

//go:embed redoc/redoc.standalone.js
var redocJS []byte

// docsPage loads Redoc and points it at the document; no inline script, so
// the page runs under a policy that allows only this server's scripts.
const docsPage = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>昆明市市级劳务品牌项目库 API 参考</title>
<style>body { margin: 0; }</style>
</head>
<body>
<noscript>API 参考需要启用 JavaScript；文档本身见 <a href="/openapi.json">/openapi.json</a>。</noscript>
<redoc spec-url="/openapi.json" hide-download-button="false" expand-responses="200,201"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
`

// docsPolicy is the Content-Security-Policy of the reference: Redoc styles
// itself with inline <style> elements and searches in a blob: worker; the
// rest stays as strict as every other answer's.
const docsPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// docsRoutes registers /docs explicitly, beside whatever else serves HTML.
func (s *Server) docsRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/docs", Public: true, Produces: "text/html",
		Summary: "The API reference (Redoc) over /openapi.json"}, s.docs)
	s.handle(r, op{Method: http.MethodGet, Path: "/docs/redoc.standalone.js", Public: true, Produces: "text/javascript",
		Summary: "Redoc 2.5.4, vendored (api/redoc)"}, s.redoc)
}

func (s *Server) docs(c *gin.Context) {
	c.Header("Content-Security-Policy", docsPolicy)
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(docsPage))
}

func (s *Server) redoc(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", redocJS)
}
