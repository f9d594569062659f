package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// RELIABILITY (PostgreSQL down → 503): a console page whose own read finds
// the database down says so, with 503, as the API does — not 500 "系统错误",
// which tells an officer that something is broken for good.
func TestAConsolePageWithTheDatabaseDownAnswers503(t *testing.T) {
	gin.SetMode(gin.TestMode)
	down := testenv.DownStore(t)
	_, readErr := down.AccountByUsername(context.Background(), "anning")

	cs := New(down, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/login", nil)
	cs.fail(c, readErr)
	if body := w.Body.String(); w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "服务暂不可用") || strings.Contains(body, "系统错误") {
		t.Errorf("status %d, page:\n%.600s", w.Code, body)
	}
}

// RELIABILITY (PostgreSQL down → 503): a holder's autosave of a correction
// first asks the API whether the application is theirs and returned; when
// that read fails the page says the draft is not saved yet and to try again
// (503), never "该申请当前不能修改", which tells the holder to stop. The API
// here is the real one over a database that does not answer.
func TestAnAutosaveWhoseApplicationCannotBeReadAnswers503(t *testing.T) {
	gin.SetMode(gin.TestMode)
	down := testenv.DownStore(t)
	secret := []byte("secret-secret-secret-secret-secret")
	cs := New(down, secret, nil, DefaultConfig)
	(&api.Server{Store: down, Secret: secret, Pages: cs}).Handler() // mounts the console on the API's engine

	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/holder/applications/A1/resubmit/draft",
		strings.NewReader(url.Values{"brand_name": {"安宁玫瑰"}}.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.Params = gin.Params{{Key: "id", Value: "A1"}}
	c.Set(sessionKey, &store.Session{Stage: "done", Account: store.Account{
		Username: "lotus", Role: string(auth.Applicant), USCC: "91530181MA6K0009XD"}})
	cs.saveDraft(c)
	if body := w.Body.String(); w.Code != http.StatusServiceUnavailable || !strings.Contains(body, "草稿暂未保存，请稍后再试") ||
		strings.Contains(body, "不能修改") {
		t.Errorf("status %d, answer:\n%.600s", w.Code, body)
	}
}
