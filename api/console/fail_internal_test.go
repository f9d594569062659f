package console

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
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

// Hostile input on public paths (RULES §3, rate limits): a page answering
// the API's 429 or 503 passes on its Retry-After, as the API does.
func TestAPageOfARefusalToWaitSaysHowLong(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(testenv.DownStore(t), []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/public/reports", nil)
		cs.fail(c, &APIError{Status: status, Message: "提交过于频繁，请稍后再试", RetryAfter: "42"})
		if w.Code != status || w.Header().Get("Retry-After") != "42" || !strings.Contains(w.Body.String(), "提交过于频繁") {
			t.Errorf("%d: status %d, Retry-After %q", status, w.Code, w.Header().Get("Retry-After"))
		}
	}
}

// API.md lapse_pending: a decision refused while its process takes a
// deadline's lapse (409 with Retry-After) is a refusal, shown with the
// API's reason and offered again — not "正在办理", which told the officer
// the decision was being applied; an earlier request holding the key
// still is.
func TestALapseUnderWayIsShownAsARefusalNotAsInProgress(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(testenv.DownStore(t), []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	answer := func(e *APIError) string {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/brands/B1/act/confirm",
			strings.NewReader(url.Values{"idempotency_key": {"K1"}, "note": {"已整改"}}.Encode()))
		c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		cs.fail(c, e)
		if w.Code != http.StatusConflict {
			t.Errorf("%s: status %d, want 409", e.Code, w.Code)
		}
		return w.Body.String()
	}
	lapse := "整改期限已于 2026-12-04 届满，系统正在办理届满后的处理，请稍后重试"
	body := answer(&APIError{Status: http.StatusConflict, Code: "lapse_pending", Message: lapse, RetryAfter: "5"})
	if !strings.Contains(body, "暂不能办理") || !strings.Contains(body, lapse) || strings.Contains(body, "同一请求已提交") || !strings.Contains(body, "重试") {
		t.Errorf("lapse_pending answered:\n%.1200s", body)
	}
	if body := answer(&APIError{Status: http.StatusConflict, Code: "conflict", Message: "使用该幂等键的请求仍在处理中，请稍后重试", RetryAfter: "1"}); !strings.Contains(body, "同一请求已提交") {
		t.Errorf("a key still held answered:\n%.1200s", body)
	}
}

// consoleOverADownDatabase is the console mounted on the real API, both over
// a database that does not answer.
func consoleOverADownDatabase(t *testing.T) *Console {
	gin.SetMode(gin.TestMode)
	down := testenv.DownStore(t)
	secret := []byte("secret-secret-secret-secret-secret")
	cs := New(down, secret, nil, DefaultConfig)
	(&api.Server{Store: down, Secret: secret, Pages: cs}).Handler() // mounts the console on the API's engine
	return cs
}

// RELIABILITY (PostgreSQL down → 503): a holder's autosave of a correction
// first asks the API whether the application is theirs and returned; when
// that read fails the page says the draft is not saved yet and to try again
// (503), never "该申请当前不能修改", which tells the holder to stop. The API
// here is the real one over a database that does not answer.
func TestAnAutosaveWhoseApplicationCannotBeReadAnswers503(t *testing.T) {
	cs := consoleOverADownDatabase(t)

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

// The retry of a keyed form (RELIABILITY: a retried decision is applied
// once, by its Idempotency-Key). A county officer's triage confirmed while
// the API cannot answer (503), or while the same request still holds its key
// (a double click: 409 with Retry-After), comes back as a page that sends
// the same form again, with the same key and what the officer typed — not a
// bare error page that loses both, nor the form under a new key, which would
// triage the report a second time.
func TestAKeyedFormThatFailedForAPassingReasonIsOfferedAgainWithItsKey(t *testing.T) {
	gin.SetMode(gin.TestMode)
	officer := store.Account{Username: "shilin", Role: string(auth.CountyOfficer), County: "530126"}
	form := url.Values{"csrf": {"page-token"}, "idempotency_key": {"K-triage-1"}, "confirm": {"1"},
		"action": {"dismiss"}, "note": {"经核查，牌匾系授权商铺悬挂，不予立案。"}}
	triage := func(t *testing.T, st *store.Store) *httptest.ResponseRecorder {
		secret := []byte("secret-secret-secret-secret-secret")
		cs := New(st, secret, nil, DefaultConfig)
		(&api.Server{Store: st, Secret: secret, Pages: cs}).Handler()
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, "/reports/R1/triage?status=open&county=530126", strings.NewReader(form.Encode()))
		c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		c.Params = gin.Params{{Key: "rid", Value: "R1"}}
		c.Set(sessionKey, &store.Session{Stage: "done", CSRFToken: "page-token", Account: officer})
		cs.triage(c)
		return w
	}
	offeredAgain := func(t *testing.T, w *httptest.ResponseRecorder, status int, heading string) {
		t.Helper()
		body := w.Body.String()
		if w.Code != status || !strings.Contains(body, heading) {
			t.Errorf("status %d, want %d %s:\n%.800s", w.Code, status, heading, body)
		}
		for _, want := range []string{`action="/reports/R1/triage?status=open&amp;county=530126"`,
			`name="idempotency_key" value="K-triage-1"`, `name="note" value="经核查，牌匾系授权商铺悬挂，不予立案。"`,
			`name="action" value="dismiss"`, `name="confirm" value="1"`, "重试"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not send the form again: no %s in\n%.1500s", want, body)
			}
		}
	}

	t.Run("the database does not answer: 503", func(t *testing.T) {
		offeredAgain(t, triage(t, testenv.DownStore(t)), http.StatusServiceUnavailable, "服务暂不可用")
	})
	t.Run("the same request holds the key: 409 in progress", func(t *testing.T) {
		st := testenv.Store(t)
		body, err := json.Marshal(map[string]any{"action": "dismiss", "note": form.Get("note")})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		held := store.IdempotencyKey{Role: officer.Role, Sub: officer.Username, County: officer.County,
			Method: http.MethodPost, Path: "/api/v1/reports/R1/triage", Key: "K-triage-1"}
		if _, err := st.ClaimIdempotencyKey(context.Background(), held, hex.EncodeToString(sum[:]), time.Minute); err != nil {
			t.Fatal(err)
		}
		offeredAgain(t, triage(t, st), http.StatusConflict, "正在办理")
	})
}

// A double click on 确认提交 (RELIABILITY: a retried submission is stored
// once): the second request finds the first still holding the key (409 in
// progress) while the first, submitted, deletes the holder's draft. The
// second must not keep the draft again, or the new-application form would
// offer the submitted 推荐表 as unfinished.
func TestASecondClickOnSubmitDoesNotPutTheSubmittedDraftBack(t *testing.T) {
	gin.SetMode(gin.TestMode)
	st := testenv.Store(t)
	var stored map[string]any
	raw, _ := json.Marshal(demo.Rose())
	_ = json.Unmarshal(raw, &stored)
	values := formValuesOf(stored)
	holder := store.Account{Username: "rose", Role: string(auth.Applicant), USCC: values["uscc"]}

	body, errs := applicationBody(values)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	sent, _ := json.Marshal(body)
	sum := sha256.Sum256(sent)
	first := store.IdempotencyKey{Role: holder.Role, Sub: holder.Username, USCC: holder.USCC,
		Method: http.MethodPost, Path: "/api/v1/applications", Key: "K-submit-1"}
	if _, err := st.ClaimIdempotencyKey(context.Background(), first, hex.EncodeToString(sum[:]), time.Minute); err != nil {
		t.Fatal(err)
	}

	secret := []byte("secret-secret-secret-secret-secret")
	cs := New(st, secret, nil, DefaultConfig)
	(&api.Server{Store: st, Secret: secret, Pages: cs}).Handler()
	form := url.Values{"csrf": {"page-token"}, "idempotency_key": {"K-submit-1"}, "step": {"submit"}}
	for k, v := range values {
		form.Set(k, v)
	}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/holder/apply", strings.NewReader(form.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.Set(sessionKey, &store.Session{Stage: "done", CSRFToken: "page-token", Account: holder})
	cs.applyPost(c)

	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "正在办理") {
		t.Fatalf("status %d, want 409 in progress:\n%.800s", w.Code, w.Body.String())
	}
	if d, err := st.Draft(context.Background(), holder.USCC, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the second click kept a draft (%v, %v): the submitted form would be offered again", d.UpdatedAt, err)
	}
}

// RELIABILITY (PostgreSQL down → 503) on the public forms: an objection or a
// report sent while the notice or the brands cannot be read comes back as
// typed, with the message to send it again (503) — not an error page that
// loses what a member of the public wrote. The API here is the real one
// over a database that does not answer.
func TestAPublicFilingSentWhileTheDatabaseIsDownComesBackAsTyped(t *testing.T) {
	cs := consoleOverADownDatabase(t)
	send := func(path string, form url.Values, params gin.Params, handle func(*gin.Context)) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		c.Params = params
		handle(c)
		return w
	}
	t.Run("第十三条: an objection", func(t *testing.T) {
		w := send("/public/notices/A1/objection", url.Values{"name": {"王某"}, "contact": {"13900001111"},
			"content": {"申报材料中的培训人数与实际不符"}, "evidence": {"培训签到表复印件"}}, gin.Params{{Key: "id", Value: "A1"}}, cs.fileObjection)
		body := w.Body.String()
		for _, want := range []string{"暂时无法提交，请稍后再次提交", "申报材料中的培训人数与实际不符", "培训签到表复印件", `action="/public/notices/A1/objection"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if w.Code != http.StatusServiceUnavailable || strings.Contains(body, "系统错误") {
			t.Errorf("status %d, page:\n%.1500s", w.Code, body)
		}
	})
	t.Run("第十五条（六）: a report", func(t *testing.T) {
		w := send("/public/report", url.Values{"name": {"玫瑰"}, "brand_id": {"B123"}, "content": {"在景区商铺悬挂未经授权的牌匾"},
			"contact": {"13900001111"}}, nil, cs.fileReport)
		body := w.Body.String()
		for _, want := range []string{"暂时无法提交，请稍后再次提交", "在景区商铺悬挂未经授权的牌匾", `<option value="B123" selected>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if w.Code != http.StatusServiceUnavailable || strings.Contains(body, "系统错误") {
			t.Errorf("status %d, page:\n%.1500s", w.Code, body)
		}
	})
}
