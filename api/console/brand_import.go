package console

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// The import page (issue 14 item 4): a city bringing its library kept
// before the system over. Download the template, upload the filled-in
// sheet, see every row's errors by row and column (the API's dry run),
// confirm, and watch the import's progress bar while it runs. The sheet a
// person checked is kept for them (store.KeepImportSheet) so that the
// confirmation imports exactly that file without a second upload; the
// import itself is the API's POST /api/v1/brands/import, in-process as the
// signed-in person, and the bar is fed from its progress endpoint by
// assets/import.js.

// importPath is the page; its upload is bounded like the API's.
const (
	importPath     = "/import"
	importMaxBytes = 20 << 20
)

func (cs *Console) mountImport(in *gin.RouterGroup) {
	g := in.Group(importPath, cs.requireImporter())
	g.GET("", cs.importPage)
	g.POST("", cs.checkSheet)
	g.POST("/run", cs.runImport)
	g.GET("/progress", cs.importProgress)
	g.GET("/template.xlsx", func(c *gin.Context) {
		cs.passThrough(c, "/api/v1/brands/import-template.xlsx", false)
	})
}

// importNav is the page's entry for those who may import.
func importNav(role auth.Role) []navItem {
	if mayImport(role) {
		return []navItem{{"导入品牌库", importPath}}
	}
	return nil
}

func mayImport(role auth.Role) bool { return role == auth.Admin || role == auth.CityOfficer }

// requireImporter lets only the administrator and the city through, as
// the API does.
func (cs *Console) requireImporter() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !mayImport(auth.Role(session(c).Account.Role)) {
			cs.errorPage(c, http.StatusForbidden, "无权访问", "只有市级工作专班和系统管理员可以导入品牌库。")
			return
		}
		c.Next()
	}
}

// importAnswer is the API's answer to an import or its dry run.
type importAnswer struct {
	Rows     int `json:"rows"`
	Valid    int `json:"valid"`
	Imported int `json:"imported"`
	Already  int `json:"already"`
	Recorded int `json:"recorded"`
	Errors   []struct {
		Row     int    `json:"row"`
		Column  string `json:"column"`
		Cell    string `json:"cell"`
		Message string `json:"message"`
	} `json:"errors"`
	Brands []struct {
		Outcome string `json:"outcome"`
	} `json:"brands"`
}

// ToImport counts the brands a dry run would start.
func (a importAnswer) ToImport() int {
	n := 0
	for _, b := range a.Brands {
		if b.Outcome == "to_import" {
			n++
		}
	}
	return n
}

// importView is the page at each of its steps.
type importView struct {
	FileName string
	Sheet    string        // the checked sheet's SHA-256, for the confirmation
	Checked  *importAnswer // the dry run
	Imported *importAnswer // the import
	Error    string
}

func (cs *Console) importPage(c *gin.Context) {
	cs.render(c, http.StatusOK, "import", "导入品牌库", importView{})
}

// checkSheet is the upload: the API's dry run of the sheet, every error
// in a table, and the sheet kept for the confirmation.
func (cs *Console) checkSheet(c *gin.Context) {
	v := importView{}
	fh, err := c.FormFile("file")
	if err != nil {
		v.Error = "请选择填好的导入表（.xlsx）。"
		cs.render(c, http.StatusUnprocessableEntity, "import", "导入品牌库", v)
		return
	}
	v.FileName = fh.Filename
	if fh.Size > importMaxBytes {
		v.Error = fmt.Sprintf("导入表过大（上限 %d MB），请分表上传。", importMaxBytes>>20)
		cs.render(c, http.StatusRequestEntityTooLarge, "import", "导入品牌库", v)
		return
	}
	f, err := fh.Open()
	if err != nil {
		cs.fail(c, err)
		return
	}
	sheet, err := io.ReadAll(io.LimitReader(f, importMaxBytes+1))
	f.Close()
	if err != nil {
		cs.fail(c, err)
		return
	}
	sum := sha256.Sum256(sheet)
	v.Sheet = hex.EncodeToString(sum[:])
	answer, err := cs.sendSheet(c, true, sheet)
	if e, refused := err.(*APIError); refused && e.Status < 500 && e.Status != http.StatusForbidden {
		v.Error = e.Message
		for _, msg := range e.Fields {
			v.Error += "：" + msg
		}
		cs.render(c, e.Status, "import", "导入品牌库", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	v.Checked = &answer
	if answer.ToImport() > 0 {
		if err := cs.Store.KeepImportSheet(c, session(c).Account.ID, v.Sheet, sheet, time.Now()); err != nil {
			cs.fail(c, err)
			return
		}
	}
	cs.render(c, http.StatusOK, "import", "导入品牌库", v)
}

// runImport imports the sheet the person checked and confirmed.
func (cs *Console) runImport(c *gin.Context) {
	acct := session(c).Account
	v := importView{Sheet: c.PostForm("sheet")}
	sheet, err := cs.Store.KeptImportSheet(c, acct.ID, v.Sheet)
	if errors.Is(err, store.ErrNotFound) {
		v.Sheet, v.Error = "", "没有待导入的导入表（已导入，或检查已超过一天）。请重新上传并检查。"
		cs.render(c, http.StatusConflict, "import", "导入品牌库", v)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	answer, err := cs.sendSheet(c, false, sheet)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if err := cs.Store.DropImportSheet(c, acct.ID, v.Sheet); err != nil {
		cs.Log.Warn("console: import sheet", "error", err) // a day later it goes anyway
	}
	v.Imported = &answer
	cs.render(c, http.StatusOK, "import", "导入品牌库", v)
}

// importProgress is the bar's feed: the API's progress of the sheet as a
// percentage and a sentence.
func (cs *Console) importProgress(c *gin.Context) {
	var p store.ImportProgress
	err := cs.callAPI(c, http.MethodGet, "/api/v1/brands/import/progress?sheet="+url.QueryEscape(c.Query("sheet")), nil, "", &p)
	var e *APIError
	switch {
	case errors.As(err, &e) && e.Status == http.StatusNotFound:
		c.JSON(http.StatusOK, progressAnswer{Text: "正在读取导入表…"})
	case err != nil:
		status := http.StatusServiceUnavailable
		if errors.As(err, &e) && e.Status < 500 {
			status = e.Status
		}
		c.JSON(status, progressAnswer{Text: "暂时无法读取导入进度"})
	default:
		c.JSON(http.StatusOK, progressOf(p))
	}
}

type progressAnswer struct {
	Percent int    `json:"percent"`
	Text    string `json:"text"`
	Done    bool   `json:"done"`
}

// progressOf weighs an import's steps by the time they take: checking the
// rows is quick (a tenth), starting the processes the most (seven tenths),
// the records they write follow (two tenths). A dry run's progress is
// that of no import yet.
func progressOf(p store.ImportProgress) progressAnswer {
	switch {
	case p.DryRun || p.Rows == 0:
		return progressAnswer{Text: "正在开始导入…"}
	case p.Done:
		return progressAnswer{Percent: 100, Done: true, Text: fmt.Sprintf("导入完成：已启动 %d 个品牌的管理流程", p.Started)}
	case p.Checked < p.Rows:
		return progressAnswer{Percent: 10 * p.Checked / p.Rows, Text: fmt.Sprintf("正在检查：%d / %d 行", p.Checked, p.Rows)}
	case p.Valid == 0:
		return progressAnswer{Percent: 99, Text: "检查完毕，没有可导入的行"}
	}
	handled := min(p.Started+p.Already+p.Failed, p.Valid)
	written := min(p.Recorded+p.Already, p.Valid)
	return progressAnswer{Percent: min(99, 10+70*handled/p.Valid+20*written/p.Valid),
		Text: fmt.Sprintf("正在导入：已启动 %d / %d 个品牌，已写入 %d 条记录", p.Started+p.Already, p.Valid, p.Recorded)}
}

// sendSheet posts the sheet to POST /api/v1/brands/import as the
// signed-in person, in-process, as the attachment upload does.
func (cs *Console) sendSheet(c *gin.Context, dryRun bool, sheet []byte) (importAnswer, error) {
	var a importAnswer
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "import.xlsx")
	if err != nil {
		return a, err
	}
	_, _ = fw.Write(sheet)
	if err := mw.Close(); err != nil {
		return a, err
	}
	return a, cs.postMultipart(c, fmt.Sprintf("/api/v1/brands/import?dry_run=%t", dryRun), mw.FormDataContentType(), &body, int64(body.Len()), "", http.StatusOK, &a)
}
