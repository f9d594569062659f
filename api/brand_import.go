package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Bringing an existing library over (issue 14): the bureau's sheet of brands
// admitted before the system. Each row is checked as a submission is — the
// 推荐表's rules (internal/domain/form, uscc), the name key, the ban list,
// one brand per holder in the library — and each valid row starts its own
// brand process at the point of its life the sheet gives
// (internal/brandimport). A brand's id derives from its holder's USCC and
// its name, so the same sheet twice starts nothing twice.

// importMaxBytes bounds an uploaded sheet: 20,000 rows are ~2 MB.
const importMaxBytes = 20 << 20

// importParallel bounds the library checks and the process starts running
// at once: enough to import 1,000 rows in seconds, few enough to leave the
// API and Temporal to everyone else.
const importParallel = 16

// importWait bounds how long the answer waits for the started processes to
// write their records; those still writing carry on by themselves.
const importWait = 60 * time.Second

// importResult is the answer of POST /api/v1/brands/import.
type importResult struct {
	Rows     int                   `json:"rows"`     // data rows in the sheet
	Valid    int                   `json:"valid"`    // rows without errors
	Errors   []brandimport.Problem `json:"errors"`   // every failing cell, by row and column
	Imported int                   `json:"imported"` // brands whose process this upload started
	// Already counts valid rows whose brand an earlier upload brought in:
	// nothing is done for them.
	Already int  `json:"already"`
	DryRun  bool `json:"dry_run"`
	// Recorded counts the brands started by this upload whose process's
	// first step (the admission, with the standing the sheet gives) is on
	// record by the time of the answer; the rest follow within seconds.
	Recorded int `json:"recorded"`
	// Brands lists each valid row's brand: its id and whether this upload
	// started it (imported), found it (already) or is to start it (dry run).
	Brands []importedBrand `json:"brands"`
	// Seconds says how long each part took: reading and checking the sheet,
	// starting the processes, waiting for their records.
	Seconds importTimes `json:"seconds"`
}

type importTimes struct {
	Check  float64 `json:"check"`
	Start  float64 `json:"start"`
	Record float64 `json:"record"`
}

type importedBrand struct {
	Row     int    `json:"row"`
	BrandID string `json:"brand_id"`
	Name    string `json:"name"`
	Outcome string `json:"outcome"` // imported | already | to_import | failed
}

// importTemplate answers GET /api/v1/brands/import-template.xlsx.
func (s *Server) importTemplate(c *gin.Context) {
	zones, err := s.importZones(c)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="brand-import-template.xlsx"; filename*=UTF-8''%E5%8A%B3%E5%8A%A1%E5%93%81%E7%89%8C%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx`)
	c.Header("Content-Type", spreadsheet.ContentType)
	c.Status(http.StatusOK)
	if err := brandimport.Template(c.Writer, zones); err != nil {
		s.Log.Warn("import template", "error", err)
	}
}

// importZones are the functional zones a sheet may name (RULES §1): those
// taking brands, as KnownCounty does.
func (s *Server) importZones(ctx context.Context) ([]brandimport.Zone, error) {
	units, err := s.Store.ReviewUnits(ctx)
	var zones []brandimport.Zone
	for _, u := range units {
		if u.Active && u.Code != u.ReviewerCode {
			zones = append(zones, brandimport.Zone{Code: u.Code, Name: u.Name})
		}
	}
	return zones, err
}

// importBrands answers POST /api/v1/brands/import (?dry_run=true checks only).
func (s *Server) importBrands(c *gin.Context) {
	dryRun := false
	if v := c.Query("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fail(c, errInvalid("查询参数有误", FieldError{Field: "dry_run", Message: "须为 true 或 false"}))
			return
		}
		dryRun = b
	}
	raw, sum, ok := s.importFile(c)
	if !ok {
		return
	}
	audited := false
	defer func() {
		if !audited {
			s.auditRefusedImport(c, sum, dryRun)
		}
	}()
	sheet, err := s.readSheet(c, raw)
	switch {
	case errors.Is(err, errSheetBusy):
		c.Header("Retry-After", "10")
		fail(c, errConflict("另一份导入表正在读取，请稍后再上传", nil))
		return
	case errors.Is(err, spreadsheet.ErrTooManyRows):
		fail(c, errInvalid("导入表行数过多", FieldError{Field: "file", Message: fmt.Sprintf("一次最多导入%d行，请分表上传", brandimport.MaxRows)}))
		return
	case errors.Is(err, spreadsheet.ErrCellTooLong): // its message says which cell
		fail(c, errInvalid("导入表有内容过长的单元格", FieldError{Field: "file", Message: err.Error()}))
		return
	case errors.Is(err, spreadsheet.ErrWideRows): // its message says from which row
		fail(c, errInvalid("导入表右侧有多余的内容", FieldError{Field: "file", Message: err.Error()}))
		return
	case c.Request.Context().Err() != nil: // the clerk hung up, or waited for a sheet being read
		fail(c, c.Request.Context().Err())
		return
	case errors.Is(err, spreadsheet.ErrHeaderTooWide): // its message says where the stray cell is
		fail(c, errInvalid("导入表的表头过宽", FieldError{Field: "file", Message: err.Error()}))
		return
	case errors.Is(err, spreadsheet.ErrEncrypted):
		fail(c, errInvalid("无法读取导入表", FieldError{Field: "file", Message: "工作簿设有打开密码：请在 Excel 中取消密码（文件→信息→保护工作簿）后再上传"}))
		return
	case errors.Is(err, spreadsheet.ErrLegacyXLS):
		fail(c, errInvalid("无法读取导入表", FieldError{Field: "file", Message: "这是旧版 Excel 97–2003 工作簿（.xls）：请在 Excel 中另存为 .xlsx 后再上传"}))
		return
	case errors.Is(err, spreadsheet.ErrUnzipsTooLarge):
		fail(c, errInvalid("无法读取导入表", FieldError{Field: "file", Message: "工作簿解压后过大（其中可能有大量图片或空白内容）：请只保留导入模板的一张表后再上传"}))
		return
	case err != nil:
		fail(c, errInvalid("无法读取导入表", FieldError{Field: "file", Message: "须为 Excel 工作簿（.xlsx），请使用导入模板"}))
		return
	}
	var started []string // the brands whose processes this import started
	if !dryRun {
		// One import at a time checks the library and starts its rows:
		// two at once could each find a holder or a name free.
		release, ok, err := s.Store.LockImport(c)
		if err != nil {
			fail(c, err)
			return
		}
		if !ok {
			c.Header("Retry-After", "60")
			fail(c, errConflict("另一次品牌导入（或正在保存的申报、正在审批的品牌名称或持有单位变更）正在进行，请稍后再导入", nil))
			return
		}
		defer func() { s.releaseWhenOnRecord(release, started) }()
	}
	t0 := time.Now()
	today := s.today()
	run := s.beginImport(c, sum, principal(c).Sub, dryRun, len(sheet.Rows))
	defer run.finish(c)
	res := importResult{Rows: len(sheet.Rows), DryRun: dryRun, Errors: append([]brandimport.Problem{}, uncleanCells(sheet)...),
		Brands: []importedBrand{}} // lists are [] when empty, never null
	zones, err := s.importZones(c)
	if err != nil {
		fail(c, err)
		return
	}
	counties := s.Store.CountyCheck(c)
	rows, problems := brandimport.Parse(sheet, brandimport.Options{Today: today, KnownCounty: counties.Known, Zones: zones})
	if counties.Err != nil {
		fail(c, counties.Err)
		return
	}
	res.Errors = append(res.Errors, problems...)
	run.checked.Store(int64(len(sheet.Rows) - len(rows)))
	problems, err = s.checkLibrary(c, rows, today, run)
	if err != nil {
		fail(c, err)
		return
	}
	res.Errors = append(res.Errors, problems...)
	rows = withoutProblems(rows, res.Errors)
	res.Valid = len(rows)
	run.valid.Store(int64(res.Valid))
	res.Seconds.Check = time.Since(t0).Seconds()
	if started, err = s.startImported(c, rows, today, &res, run); err != nil {
		fail(c, err)
		return
	}
	brandimport.Locate(sheet.Header, res.Errors)
	slices.SortStableFunc(res.Errors, func(a, b brandimport.Problem) int { return a.Row - b.Row })
	p := principal(c)
	audited = true // brands may have started: never audited as refused, whatever this write does
	// Brands were started: their import is audited though the clerk's
	// connection dropped meanwhile (RULES §6), and though the database
	// missed the first write — tried again for ten minutes, the clerk told
	// what was imported meanwhile (a 500 would say nothing was).
	entry := store.AuditEntry{At: s.now(), Actor: p.Sub, Role: string(p.Role), Action: "import.brands",
		ObjectType: "import", ObjectID: sum, After: map[string]any{"dry_run": dryRun, "rows": res.Rows, "valid": res.Valid,
			"errors": len(res.Errors), "imported": res.Imported, "already": res.Already}}
	if err := s.Store.Audit(context.WithoutCancel(c), entry); err != nil {
		s.Log.Warn("an import's audit row not written yet", "sheet", sum, "error", err)
		go s.settleLater("the audit row of import "+sum, func(ctx context.Context) error { return s.Store.Audit(ctx, entry) },
			time.Now().Add(importHold))
	}
	run.finish(c)
	c.JSON(http.StatusOK, res)
}

// auditRefusedImport records an upload the import refused whole — a sheet
// it could not read, one another import held, a library it could not check
// — as API.md has every upload in the audit trail: its SHA-256, who, and
// why (RULES §6). Written though the clerk's connection dropped.
func (s *Server) auditRefusedImport(c *gin.Context, sum string, dryRun bool) {
	after := map[string]any{"dry_run": dryRun, "status": c.Writer.Status()}
	if e := refusalOf(c); e != nil {
		after["code"], after["message"] = e.Code, e.Message
		if len(e.Fields) > 0 {
			after["reason"] = e.Fields[0].Message
		}
	}
	p := principal(c)
	if err := s.Store.Audit(context.WithoutCancel(c), store.AuditEntry{At: s.now(), Actor: p.Sub, Role: string(p.Role),
		Action: "import.brands_refused", ObjectType: "import", ObjectID: sum, After: after}); err != nil {
		s.Log.Warn("an import's refusal not audited", "sheet", sum, "error", err)
	}
}

// errSheetBusy: another sheet is being read on this replica.
var errSheetBusy = errors.New("another sheet is being read")

// readSheet reads an uploaded sheet when no other is being read, waiting a
// few seconds for one that is.
func (s *Server) readSheet(ctx context.Context, raw io.Reader) (spreadsheet.Sheet, error) {
	select {
	case s.sheetReading <- struct{}{}:
		defer func() { <-s.sheetReading }()
	case <-time.After(5 * time.Second):
		return spreadsheet.Sheet{}, errSheetBusy
	case <-ctx.Done():
		return spreadsheet.Sheet{}, ctx.Err()
	}
	return spreadsheet.ReadNamed(raw, brandimport.SheetName, brandimport.MaxRows)
}

// importFile reads the multipart file; its SHA-256 names the upload in the
// audit trail.
func (s *Server) importFile(c *gin.Context) (io.Reader, string, bool) {
	fh, err := c.FormFile("file")
	if err != nil {
		if isTooLarge(err) {
			fail(c, errTooLarge(importMaxBytes))
			return nil, "", false
		}
		fail(c, errInvalid("缺少导入表", FieldError{Field: "file", Message: "须以 multipart/form-data 的 file 字段上传 .xlsx 工作簿"}))
		return nil, "", false
	}
	if fh.Size > importMaxBytes {
		fail(c, errTooLarge(importMaxBytes))
		return nil, "", false
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return nil, "", false
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		fail(c, err)
		return nil, "", false
	}
	h := sha256.Sum256(b)
	return bytes.NewReader(b), hex.EncodeToString(h[:]), true
}

// uncleanCells refuses control, bidirectional-override and invisible
// characters in any cell the import reads, as everywhere else (RULES §3). A
// bureau's own column (备注, a line break typed with Alt+Enter) is not
// read, so it refuses nothing.
func uncleanCells(sheet spreadsheet.Sheet) []brandimport.Problem {
	var out []brandimport.Problem
	for _, r := range sheet.Rows {
		for i, v := range r.Cells {
			if i >= len(sheet.Header) || !brandimport.Reads(sheet.Header[i]) {
				continue
			}
			if msg := textProblem(v, false); msg != "" && v != "" {
				out = append(out, brandimport.Problem{Row: r.Number, Column: sheet.Header[i], Message: msg})
			}
		}
	}
	return out
}

// checkLibrary checks each row against the library as a submission is
// (RULES §3, §4): a ban on its name or USCC, another brand of its holder,
// its name held by a brand or an open application. A row whose brand an
// earlier upload brought is no problem: its check is that it is there.
func (s *Server) checkLibrary(ctx context.Context, rows []brandimport.Row, today calendar.Date, run *importRun) ([]brandimport.Problem, error) {
	var mu sync.Mutex
	var problems []brandimport.Problem
	var firstErr error
	parallel(len(rows), func(i int) {
		r := rows[i]
		found, err := s.libraryProblems(ctx, r, today)
		run.checked.Add(1)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		problems = append(problems, found...)
	})
	return problems, firstErr
}

func (s *Server) libraryProblems(ctx context.Context, r brandimport.Row, today calendar.Date) ([]brandimport.Problem, error) {
	found, err := s.Store.ImportConflicts(ctx, r.ID(), r.Name, r.USCC, today.String())
	var out []brandimport.Problem
	for _, f := range found {
		col := brandimport.ColUSCC
		if f.OnName {
			col = brandimport.ColName
		}
		out = append(out, brandimport.Problem{Row: r.Line, Column: col, Message: f.Message})
	}
	return out, err
}

// withoutProblems keeps the rows no problem names.
func withoutProblems(rows []brandimport.Row, problems []brandimport.Problem) []brandimport.Row {
	bad := map[int]bool{}
	for _, p := range problems {
		bad[p.Row] = true
	}
	out := rows[:0:0]
	for _, r := range rows {
		if !bad[r.Line] {
			out = append(out, r)
		}
	}
	return out
}

// startImported starts the process of every valid row whose brand is not
// on record yet, importParallel at a time, then waits (at most importWait)
// for them to write their records. A dry run only says what it would do.
func (s *Server) startImported(c *gin.Context, rows []brandimport.Row, today calendar.Date, res *importResult, run *importRun) ([]string, error) {
	t0 := time.Now()
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID()
	}
	onRecord, err := s.Store.BrandsOnRecord(c, ids)
	if err != nil {
		return nil, err
	}
	res.Brands = make([]importedBrand, len(rows))
	var imported, already atomic.Int64
	var mu sync.Mutex
	var failures []brandimport.Problem
	unavailable := 0 // of the failures, starts Temporal did not answer
	var started []string
	var writing []string // started by an earlier import, record not yet written
	parallel(len(rows), func(i int) {
		r := rows[i]
		b := &res.Brands[i]
		*b = importedBrand{Row: r.Line, BrandID: ids[i], Name: r.Name, Outcome: "to_import"}
		switch {
		case onRecord[ids[i]]:
			b.Outcome = "already"
			already.Add(1)
			run.already.Add(1)
			return
		case res.DryRun:
			return
		}
		in := r.Input(s.Clock, s.Config.Brand, today)
		// The rows are started whether or not the clerk stays: a hang-up
		// midway would fail every row after it, some perhaps started.
		work := context.WithoutCancel(c)
		reviewer, revision, err := s.Store.Reviewer(work, in.CountyCode)
		if err == nil && reviewer != in.CountyCode { // a functional zone's brand: looked after by its bureau (RULES §1)
			in.ReviewerCode, in.ReviewerRevision = reviewer, revision
		}
		ctx, cancel := context.WithTimeout(work, s.Config.TemporalTimeout)
		defer cancel()
		ok, closed, described := false, false, false
		var status enumspb.WorkflowExecutionStatus
		if err == nil {
			ok, err = brandimport.Start(ctx, s.Temporal, s.Config.TaskQueue, in)
			if err != nil && ctx.Err() != nil {
				// A start whose answer did not come in time may have begun
				// the process: asked once more, a process found counts as
				// writing (the lock waits for it), none as not started.
				asked, cancel := context.WithTimeout(work, s.Config.TemporalTimeout)
				defer cancel()
				if ended, st, descErr := brandimport.Closed(asked, s.Temporal, ids[i]); descErr == nil {
					closed, status, err, described = ended, st, nil, true
				}
			}
		}
		if err == nil && !ok && !described {
			closed, status, err = brandimport.Closed(ctx, s.Temporal, ids[i])
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case closed:
			// Its process ended before it wrote the record: no import of
			// the row can bring it in, and no lock need wait for it.
			b.Outcome = "failed"
			run.failed.Add(1)
			s.Log.Error("import: the brand's process ended without its record", "brand", ids[i], "status", status.String())
			failures = append(failures, brandimport.Problem{Row: r.Line, Column: brandimport.ColName,
				Message: fmt.Sprintf("该品牌的管理流程已结束（%s）而品牌未入库，重新导入也无法补入：请联系系统管理员（流程 %s）",
					processEnd(status), workflows.BrandWorkflowID(ids[i]))})
		case err != nil:
			b.Outcome = "failed"
			run.failed.Add(1)
			unavailable++
			s.Log.Warn("import: start brand process", "brand", ids[i], "error", err)
			failures = append(failures, brandimport.Problem{Row: r.Line, Column: brandimport.ColName,
				Message: "未能启动该品牌的管理流程（工作流服务暂不可用），请稍后重新导入同一张表：已导入的不会重复"})
		case ok:
			b.Outcome = "imported"
			imported.Add(1)
			run.started.Add(1)
			started = append(started, ids[i])
		default: // its process exists and is writing its record
			b.Outcome = "already"
			already.Add(1)
			run.already.Add(1)
			writing = append(writing, ids[i])
		}
	})
	res.Imported, res.Already = int(imported.Load()), int(already.Load())
	res.Errors = append(res.Errors, failures...)
	if unavailable > 0 && unavailable == len(failures) && len(started) == 0 && res.Already == 0 {
		return nil, errUnavailable("工作流服务暂不可用，未能导入，请稍后重试")
	}
	res.Seconds.Start = time.Since(t0).Seconds()
	t1 := time.Now()
	res.Recorded = s.awaitRecords(c, started, run)
	res.Seconds.Record = time.Since(t1).Seconds()
	return append(started, writing...), nil
}

// processEnd names how a process ended, for the clerk's message.
func processEnd(st enumspb.WorkflowExecutionStatus) string {
	switch st {
	case enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED:
		return "被强制终止"
	case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED:
		return "出错失败"
	case enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:
		return "超时"
	case enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:
		return "被取消"
	}
	return "已完成"
}

// importHold bounds how long the library stays locked after an import has
// answered, for brands whose processes have not yet written their records.
const importHold = 10 * time.Minute

// releaseWhenOnRecord gives the library's lock back once every brand of ids
// has its record — what a submission's one-brand-per-holder check reads
// (RULES §3) — and not before, though the answer has gone: a brand whose
// process is slow to write (a worker down) must not let its holder apply
// meanwhile. Submissions are refused as unavailable until then, at most
// importHold; a brand still without its record after that is left to the
// checks of the records written.
func (s *Server) releaseWhenOnRecord(release func(), ids []string) {
	failures := 0
	onRecord := func(ctx context.Context) bool {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		on, err := s.Store.BrandsOnRecord(ctx, ids)
		if err != nil {
			failures++
		}
		return err == nil && len(on) == len(ids)
	}
	if len(ids) == 0 || onRecord(context.Background()) {
		release()
		return
	}
	s.Log.Warn("import: the library stays locked until the started brands have their records", "brands", len(ids), "at most", importHold)
	go func() {
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), importHold)
		defer cancel()
		for !onRecord(ctx) {
			if failures >= 30 { // the database gone (a server shutting down): its lock goes with the connection
				return
			}
			select {
			case <-ctx.Done():
				s.Log.Warn("import: lock given back with brands still not on record", "brands", len(ids), "after", importHold)
				return
			case <-time.After(time.Second):
			}
		}
	}()
}

// awaitRecords waits until the brands ids have recorded their first step
// (the admission, with the standing the sheet gives), or importWait has
// passed, and returns how many have.
func (s *Server) awaitRecords(ctx context.Context, ids []string, run *importRun) int {
	deadline := time.Now().Add(importWait)
	for {
		on, err := s.Store.BrandsBegun(ctx, ids)
		if err == nil {
			run.recorded.Store(int64(len(on)))
		}
		if err == nil && len(on) == len(ids) || time.Now().After(deadline) || ctx.Err() != nil {
			return len(on)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// parallel runs do(0..n-1), importParallel at a time.
func parallel(n int, do func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(importParallel, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				do(i)
			}
		}()
	}
	wg.Wait()
}
