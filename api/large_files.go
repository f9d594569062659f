package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// A file on its way into PostgreSQL is held in memory about twice — its
// bytes, and the driver's message that carries them — so a replica takes
// the large ones one at a time: a 200 MB video is then ~400 MB of the API
// pod's memory, never a multiple of it (docs/DEPLOYMENT.md sizes the pod
// by it). The request's body itself waits on disk until then (hashBody, the
// multipart form), and files are read out in pieces (WriteAttachment), so
// neither counts. Smaller files — pictures, PDFs, scans — pass freely.
const (
	largeFile         = 32 << 20
	largeFileSlots    = 1
	largeFilePatience = 30 * time.Second
)

// largeFiles are a replica's slots for large files.
type largeFiles chan struct{}

func newLargeFiles() largeFiles { return make(largeFiles, largeFileSlots) }

// take waits up to largeFilePatience for a slot for a file of size bytes
// and returns its release, or answers 503 with Retry-After and returns
// false. A small file needs no slot.
func (l largeFiles) take(c *gin.Context, size int64) (release func(), ok bool) {
	if size <= largeFile {
		return func() {}, true
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), largeFilePatience)
	defer cancel()
	select {
	case l <- struct{}{}:
		return func() { <-l }, true
	case <-ctx.Done():
		c.Header("Retry-After", "30")
		fail(c, &Error{Status: http.StatusServiceUnavailable, Code: "unavailable",
			Message: "正在处理其他大文件，请稍后重试（已上传的内容不会丢失，重试即可）"})
		return nil, false
	}
}
