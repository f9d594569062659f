package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §1 (the 14 初审 units) and RELIABILITY (PostgreSQL down → 503): a
// form checked while the database cannot be asked whether its county is
// served answers 503, never a 422 telling the holder their county is wrong.
// A fault run found the 422 when PostgreSQL stopped between the idempotency
// claim and the form check.
func TestRule1_AFormCheckedWhileTheDatabaseIsDownIsNotTakenForAnUnservedCounty(t *testing.T) {
	st, err := store.Open(context.Background(), "postgres://postgres@"+closedAddress(t)+"/laborbrand?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	s := &Server{Store: st}

	form := demo.Rose()
	body, err := json.Marshal(form)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/applications", bytes.NewReader(body))
	c.Set(principalKey, auth.Principal{Sub: "holder", Role: auth.Applicant, USCC: form["uscc"].(string)})

	if _, ok := s.bindForm(c); ok {
		t.Fatal("the form passed its check with no database to ask")
	}
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503: %s", w.Code, w.Body)
	}
	if got := w.Body.String(); !strings.Contains(got, "数据库暂不可用") || strings.Contains(got, "不在受理范围内") {
		t.Errorf("answer %s: want the database's 503 and no word on the county", got)
	}
}

// closedAddress is a local address nobody listens on: connections are refused.
func closedAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
