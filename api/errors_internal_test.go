package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// API.md errors: a 409 for a brand name taken names the field, so a form
// shows the refusal beside it — also when the process refuses it (a
// resubmission whose name another application took meanwhile).
func TestAProcessesConflictKeepsTheFieldItNames(t *testing.T) {
	r := workflows.Rejection{Code: "name_taken", Message: "该品牌名称已被另一件在办申请使用，请修改名称后重新提交",
		Details: map[string]any{"stage": "returned"}, Fields: []workflows.RejectedField{{Field: "brand_name", Message: "名称已被占用"}}}
	err := temporal.NewApplicationErrorWithOptions(r.Message, workflows.RejectConflict, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{r}})
	e := toAPIError(err)
	if e.Status != http.StatusConflict || e.Code != "name_taken" || len(e.Fields) != 1 || e.Fields[0].Field != "brand_name" {
		t.Errorf("answered %d %s fields %+v, want 409 name_taken naming brand_name", e.Status, e.Code, e.Fields)
	}
}

// API.md errors: every error body is {"error": {"code", "message", "fields",
// "details"}} — fields and details there even when empty, so a client reads
// error.fields.length or error.details.stage without asking first.
func TestEveryErrorBodyHasFieldsAndDetails(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, refusal := range []*Error{
		errForbidden("无权办理"),
		errInvalid("请求有误", FieldError{Field: "opinion", Message: "请填写意见"}),
		errConflict("当前阶段不能办理", map[string]any{"stage": "public_notice"}),
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		fail(c, refusal)
		var body struct {
			Error map[string]json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v in %s", refusal.Code, err, w.Body)
		}
		for _, key := range []string{"code", "message", "fields", "details"} {
			if _, ok := body.Error[key]; !ok {
				t.Errorf("%d %s: no %q in %s", w.Code, refusal.Code, key, w.Body)
			}
		}
		if string(body.Error["fields"]) == "null" || string(body.Error["details"]) == "null" {
			t.Errorf("%d %s: fields or details null in %s", w.Code, refusal.Code, w.Body)
		}
	}
}

// API.md brand decisions (lapse_pending): a decision refused while the
// brand's process takes a lapse is a refusal of the moment — Retry-After
// says when to send it again, and its Idempotency-Key is not kept with the
// 409, so the same request sent again is judged on what the lapse left.
func TestALapsePendingRefusalAsksToBeSentAgain(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := workflows.Rejection{Code: "lapse_pending", Message: "整改期限已于 2026-02-27 届满，系统正在办理届满后的处理，请稍后刷新页面再办理",
		Details: map[string]any{"deadline": "rectification", "due": "2026-02-27"}}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	fail(c, temporal.NewApplicationErrorWithOptions(r.Message, workflows.RejectConflict, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{r}}))
	if w.Code != http.StatusConflict || w.Header().Get("Retry-After") == "" || !c.GetBool(keyStaysFree) {
		t.Errorf("answered %d, Retry-After %q, key kept %v; want 409 with Retry-After and the key left free",
			w.Code, w.Header().Get("Retry-After"), !c.GetBool(keyStaysFree))
	}
}
