package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
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
