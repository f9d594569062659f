package console

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// assets are the console's static files: its stylesheets, its own scripts
// and the vendored htmx (assets/LICENSES.md names versions and licences).
//
//go:embed assets
var assets embed.FS

// asset serves an embedded file. They change only with a release: a
// browser may keep them for an hour.
func (cs *Console) asset(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	b, err := fs.ReadFile(assets, "assets/"+name)
	if err != nil || strings.HasSuffix(name, ".md") {
		cs.NotFound(c)
		return
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	ct := types[path.Ext(name)]
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, ct, b)
}
