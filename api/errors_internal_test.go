package api

import (
	"net/http"
	"testing"

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
