package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §1 (the 14 初审 units) and RELIABILITY (PostgreSQL down → 503): a
// form checked while the database cannot be asked whether its county is
// served answers 503, never a 422 telling the holder their county is wrong.
// A fault run found the 422 when PostgreSQL stopped between the idempotency
// claim and the form check; the import's and the in-flight bringer's checks
// share the same store.CountyCheck.
func TestRule1_AFormCheckedWhileTheDatabaseIsDownIsNotTakenForAnUnservedCounty(t *testing.T) {
	s := &Server{Store: testenv.DownStore(t)}

	form := demo.Rose()
	body, err := json.Marshal(form)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/applications", bytes.NewReader(body))
	c.Set(principalKey, auth.Principal{Sub: "holder", Role: auth.Applicant, USCC: form["uscc"].(string)})

	if _, ok := s.bindForm(c, "", ""); ok {
		t.Fatal("the form passed its check with no database to ask")
	}
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
		t.Errorf("status %d Retry-After %q, want 503 with Retry-After 5 (API.md): %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if got := w.Body.String(); !strings.Contains(got, "数据库暂不可用") || strings.Contains(got, "不在受理范围内") {
		t.Errorf("answer %s: want the database's 503 and no word on the county", got)
	}
}

// RELIABILITY (PostgreSQL down → 503): a record that a decision's path names
// (an evaluation report, a change request, an objection), read while the
// database does not answer, is not taken for one that does not exist: the
// officer gets the database's 503, not a 404 saying there is no such record.
func TestARecordReadWhileTheDatabaseIsDownIsNotTakenForMissing(t *testing.T) {
	down := testenv.DownStore(t)
	ctx := context.Background()
	_, evalErr := down.GetEvaluation(ctx, "EV1")
	_, changeErr := down.GetChange(ctx, "CH1")
	_, _, objectionErr := down.GetObjectionReceipt(ctx, "OB1")
	for _, tc := range []struct {
		name   string
		err    error
		owned  bool
		status int // 0: the request goes on
	}{
		{"found and the path's", nil, true, 0},
		{"found and another brand's", nil, false, http.StatusNotFound},
		{"not on record", store.ErrNotFound, false, http.StatusNotFound},
		{"an evaluation report, database down", evalErr, false, http.StatusServiceUnavailable},
		{"a change request, database down", changeErr, false, http.StatusServiceUnavailable},
		{"an objection, database down", objectionErr, false, http.StatusServiceUnavailable},
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		goesOn := found(c, tc.err, tc.owned, "该品牌没有这份评估报告")
		switch {
		case tc.status == 0 && !goesOn:
			t.Errorf("%s: refused with %d %s", tc.name, w.Code, w.Body)
		case tc.status != 0 && (goesOn || w.Code != tc.status):
			t.Errorf("%s: status %d (goes on: %v), want %d: %s", tc.name, w.Code, goesOn, tc.status, w.Body)
		}
	}
}

// RULES §1 (the 14 初审 units) and RELIABILITY (PostgreSQL down → 503): a
// list's ?county, checked while the database does not answer, stops the
// request with the database's 503. It was let through unchecked, so that a
// read failing between the check and the list answered a bogus county with
// an empty 200 (and the statistics cache kept it).
func TestRule1_AListsCountyCheckedWhileTheDatabaseIsDownIsNotLetThrough(t *testing.T) {
	s := &Server{Store: testenv.DownStore(t)}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/brands?county=530199", nil)

	var fields fieldCheck
	s.county(c, &fields, "530199")
	if !fields.failed(c, "查询参数有误") {
		t.Fatal("the list went on with its county unchecked")
	}
	if w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "没有这个县") {
		t.Errorf("status %d %s: want the database's 503 and no word on the county", w.Code, w.Body)
	}
}

// API.md auth, RELIABILITY (PostgreSQL down → 503): the token revocations
// read while the database does not answer are the list last read — a
// request is neither refused for nothing nor let through by a revocation
// forgotten —; with none ever read, the request is the database's 503.
func TestRevocationsWhileTheDatabaseIsDownAreTheListLastRead(t *testing.T) {
	s := &Server{Store: testenv.DownStore(t), Log: slog.New(slog.DiscardHandler), Config: Config{RevocationsFor: time.Millisecond}}
	leaked := auth.Principal{Sub: "county_officer-530113", Role: auth.CountyOfficer, County: "530113", IssuedAt: time.Now().Add(-time.Hour)}
	if _, err := s.revoked(context.Background(), leaked); err == nil {
		t.Error("no list ever read, the database down: answered, want its error")
	}
	s.revocations.before = map[string]time.Time{leaked.Sub: time.Now()} // read before the database went down
	time.Sleep(2 * time.Millisecond)
	revoked, err := s.revoked(context.Background(), leaked)
	if err != nil || !revoked {
		t.Errorf("the database down, a list read before: revoked %v, %v; want revoked by the list", revoked, err)
	}
}
