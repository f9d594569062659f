package console

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// RELIABILITY (PostgreSQL down → 503): a console page whose own read finds
// the database down says so, with 503, as the API does — not 500 "系统错误",
// which tells an officer that something is broken for good.
func TestAConsolePageWithTheDatabaseDownAnswers503(t *testing.T) {
	gin.SetMode(gin.TestMode)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens: every connection is refused
	down, err := store.Open(context.Background(), "postgres://postgres@"+addr+"/laborbrand?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(down.Close)
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
