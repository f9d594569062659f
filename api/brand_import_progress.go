package api

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// The progress of an import (issue 14 item 4). POST /api/v1/brands/import
// answers only once every row is checked and started — some 40 s for
// 1,000 rows — so a client watches it meanwhile with GET
// /api/v1/brands/import/progress?sheet=<SHA-256 of the uploaded file>.
// Why the sheet's hash and not an id the import hands out: a client knows
// the hash before it sends the file, so it polls alongside its one POST
// without a second request to open an import, and the POST's contract
// stays as it was. The same sheet uploaded again is the same import
// (nothing is imported twice), so one row per sheet — its latest run — is
// all there is to watch. Progress is written to PostgreSQL, not kept in
// the API's memory, so any replica answers for an import another runs.

// importProgressEvery is how often a running import writes its counts.
const importProgressEvery = 500 * time.Millisecond

// sheetHash is a sheet's SHA-256 in lower-case hex.
var sheetHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// importRun counts one import's progress as its goroutines go, and writes
// it every importProgressEvery until finish.
type importRun struct {
	s                                *Server
	p                                store.ImportProgress
	checked, valid, started, already atomic.Int64
	failed, recorded                 atomic.Int64
	stop                             chan struct{}
	wg                               sync.WaitGroup
	finished                         sync.Once
}

// beginImport records the run of sheet beginning and starts writing its
// progress. Progress is a help to the watcher, never a reason to fail the
// import: a write that fails is logged.
func (s *Server) beginImport(ctx context.Context, sheet, actor string, dryRun bool, rows int) *importRun {
	now := time.Now().Truncate(time.Microsecond) // as PostgreSQL keeps it: the run's key
	r := &importRun{s: s, stop: make(chan struct{}),
		p: store.ImportProgress{Sheet: sheet, DryRun: dryRun, Actor: actor, Rows: rows, BeganAt: now, UpdatedAt: now}}
	if err := s.Store.BeginImport(ctx, r.p); err != nil {
		s.Log.Warn("import progress", "sheet", sheet, "error", err)
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		tick := time.NewTicker(importProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-tick.C:
				r.write(context.WithoutCancel(ctx), false)
			}
		}
	}()
	return r
}

// finish writes the final counts, done, once: before the answer is
// written, so that a client that has the answer reads done; the deferred
// call finishes a refused import.
func (r *importRun) finish(ctx context.Context) {
	r.finished.Do(func() {
		close(r.stop)
		r.wg.Wait()
		r.write(context.WithoutCancel(ctx), true)
	})
}

func (r *importRun) write(ctx context.Context, done bool) {
	p := r.p
	p.Checked, p.Valid, p.Started = int(r.checked.Load()), int(r.valid.Load()), int(r.started.Load())
	p.Already, p.Failed, p.Recorded = int(r.already.Load()), int(r.failed.Load()), int(r.recorded.Load())
	p.Done, p.UpdatedAt = done, time.Now()
	if err := r.s.Store.UpdateImport(ctx, p); err != nil {
		r.s.Log.Warn("import progress", "sheet", p.Sheet, "error", err)
	}
}

// importProgress answers GET /api/v1/brands/import/progress?sheet=.
func (s *Server) importProgress(c *gin.Context) {
	sheet := c.Query("sheet")
	if !sheetHash.MatchString(sheet) {
		fail(c, errInvalid("查询参数有误", FieldError{Field: "sheet", Message: "须为导入表文件的 SHA-256（64位小写十六进制）"}))
		return
	}
	p, err := s.Store.ImportProgressOf(c, sheet)
	if errors.Is(err, store.ErrNotFound) {
		fail(c, errNotFound("没有该导入表的导入记录（一周内）"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
