package api

import (
	"context"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultSpoolBytes is how many bytes requests may hold in temporary files at
// once when LB_SPOOL_BYTES is unset: 3 GiB, under the 4 GiB the chart gives
// the API's /tmp, leaving room for what else waits there.
const DefaultSpoolBytes = 3 << 30

// spoolBudget bounds the bytes requests hold in temporary files at once. A
// large body waits on disk, not in memory: a keyed one while its hash is
// taken (hashBody) and a form's file once more (gin's multipart form), so ten
// videos arriving together would fill a pod's /tmp and get it evicted,
// taking every request it serves with it. A request that does not fit is
// turned away with a 503 before anything is read; its client sends it again
// later.
type spoolBudget struct {
	mu          sync.Mutex
	total, left int64
	held        prometheus.Gauge
}

func newSpoolBudget(total int64, reg prometheus.Registerer) *spoolBudget {
	held := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "laborbrand_http_spool_bytes",
		Help: "Bytes reserved on disk for request bodies and form files being received.",
	})
	reg.MustRegister(held)
	return &spoolBudget{total: total, left: total, held: held}
}

// take reserves n bytes, reporting whether they fit. A request larger than
// what is left is taken when nothing else holds any of the budget — nothing
// but own, what the request it is part of holds (the console's page, whose
// form it sends on in-process) — so a budget set below one upload's size
// slows uploads down but never refuses them all.
func (b *spoolBudget) take(n, own int64) bool {
	if n <= 0 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left && b.left+own < b.total {
		return false
	}
	b.left -= n
	b.held.Add(float64(n))
	return true
}

// give returns n bytes taken before.
func (b *spoolBudget) give(n int64) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.left += n
	b.held.Sub(float64(n))
}

// spoolRoom takes, for a write of the API whose caller is authenticated,
// the room its body may hold on disk (onDisk) from the spool budget, and
// gives it back when the request ends; a body that does not fit is turned
// away with a 503 before anything of it is read. After authentication, so
// that nobody can hold the budget without signing in (a chunked body
// trickled in for the read timeout would hold 400 MB).
func (s *Server) spoolRoom() gin.HandlerFunc {
	return func(c *gin.Context) {
		release, ok := s.takeSpoolRoom(c)
		if !ok {
			fail(c, errSpoolFull())
			return
		}
		defer release()
		c.Next()
	}
}

// SpoolRoom takes from the API's spool budget the room c's body may hold on
// disk, for pages that read a form themselves (the console's uploads): it
// reports false when the room is taken, and else returns what gives it back.
type SpoolRoom func(c *gin.Context) (release func(), ok bool)

// spoolHeld is the context key of the bytes a request and those it is part
// of hold of the budget: the console's page sends its requests to the API
// in-process, in its own request's context.
type spoolHeld struct{}

// takeSpoolRoom is the server's SpoolRoom. What it takes is carried in the
// request's context, for the requests sent on in-process.
func (s *Server) takeSpoolRoom(c *gin.Context) (func(), bool) {
	room := onDisk(c.Request, c.GetInt64(bodyLimitKey))
	own, _ := c.Request.Context().Value(spoolHeld{}).(int64)
	if !s.spool.take(room, own) {
		s.Log.Warn("request body turned away: the spool budget is taken", "path", c.Request.URL.Path, "bytes", room)
		return nil, false
	}
	if room > 0 {
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), spoolHeld{}, own+room))
	}
	return func() { s.spool.give(room) }, true
}

// SpoolFullMessage is what a person whose upload found no room is told.
const SpoolFullMessage = "服务器正在接收其他大文件，暂无空间接收本文件，未保存；请稍后重试"

// onDisk is what r may hold in temporary files when its body may reach limit:
// nothing for a body that stays in memory; its length (the limit when it
// gives none: chunked, or sent in-process by the console, whose reader
// http.NewRequest cannot measure and gives the length 0) for the form's
// file, and as much again when an Idempotency-Key makes it wait in a file of
// its own first.
func onDisk(r *http.Request, limit int64) int64 {
	size := r.ContentLength
	if size == 0 && r.Body != nil && r.Body != http.NoBody {
		size = -1 // a body of unknown length: a server's request with no body has NoBody
	}
	if size < 0 || size > limit {
		size = limit
	}
	if size <= bodyInMemory {
		return 0
	}
	if r.Header.Get(IdempotencyHeader) != "" {
		size *= 2
	}
	return size
}

// errSpoolFull answers a large request the server has no room for now.
func errSpoolFull() *Error {
	return errUnavailable(SpoolFullMessage)
}
