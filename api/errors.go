package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// FieldError names one failing field of a request.
type FieldError struct {
	Field   string `json:"field" doc:"字段名（JSON 名；嵌套字段以点号连接，如 province_report.doc_no；查询参数与请求头以其名称）"`
	Message string `json:"message" doc:"中文说明：该字段为何有误、应如何填写"`
}

// Error is the error body of API.md: code in English, message in Chinese.
type Error struct {
	Status  int            `json:"-"`
	Code    string         `json:"code" doc:"英文错误代码，供程序判断；各接口的错误答复列出其可能的代码（x-error-codes）"`
	Message string         `json:"message" doc:"中文说明，可直接展示给用户"`
	Fields  []FieldError   `json:"fields" doc:"空列表表示无字段可指；422：逐项列出有误的字段；409：名称或统一社会信用代码已被占用、被禁用时，列出与之冲突的字段；413：超过该类材料上限的文件"`
	Details map[string]any `json:"details" doc:"空对象表示无补充信息；冲突时记录的当前状态等补充信息（如 stage、status、brand_id）"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

type errorBody struct {
	Error *Error `json:"error"`
}

func errUnauthorized(msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: msg}
}
func errForbidden(msg string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: msg}
}
func errNotFound(msg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: msg}
}
func errConflict(msg string, details map[string]any) *Error {
	return &Error{Status: http.StatusConflict, Code: "conflict", Message: msg, Details: details}
}

// on names the fields a refusal is about, so that a form shows it beside
// them: a 409 whose name or USCC is taken says which.
func (e *Error) on(fields ...FieldError) *Error {
	e.Fields = append(e.Fields, fields...)
	return e
}
func errInvalid(msg string, fields ...FieldError) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Message: msg, Fields: fields}
}

// unavailableRetrySeconds is the Retry-After of a 503 unavailable.
const unavailableRetrySeconds = 5

func errUnavailable(msg string) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "unavailable", Message: msg}
}

// fail answers c with err mapped to its HTTP status — the one place where
// errors become status codes.
func fail(c *gin.Context, err error) {
	e := toAPIError(err)
	if e.Status >= 500 {
		c.Error(err) // logged by the request logger
	}
	if e.Code == "unavailable" && c.Writer.Header().Get("Retry-After") == "" { // a restart or failover of Temporal or PostgreSQL takes seconds
		c.Header("Retry-After", strconv.Itoa(unavailableRetrySeconds))
	}
	if e.Code == lapsePending {
		// A refusal of the moment: the process takes the lapse within
		// seconds, and the request sent again — under its key too — is
		// judged on what the lapse left.
		c.Header("Retry-After", strconv.Itoa(unavailableRetrySeconds))
		c.Set(keyStaysFree, true)
	}
	c.Set(keyRefusal, e)
	c.AbortWithStatusJSON(e.Status, errorBody{Error: e.whole()})
}

// keyRefusal holds the error a request was answered with, for a handler
// that records its refusals (an import's, in the audit trail).
const keyRefusal = "laborbrand.refusal"

// refusalOf is the error c was answered with, nil when none.
func refusalOf(c *gin.Context) *Error {
	v, _ := c.Get(keyRefusal)
	e, _ := v.(*Error)
	return e
}

// whole is e as API.md spells every error body: fields and details always
// there, empty when there is nothing to say, so that a client reads them
// without asking first whether they came.
func (e *Error) whole() *Error {
	body := *e
	if body.Fields == nil {
		body.Fields = []FieldError{}
	}
	if body.Details == nil {
		body.Details = map[string]any{}
	}
	return &body
}

// found answers for a record that a path names and that must be the path's
// brand's or application's (owned): 404 with notFound when the store has no
// such record or it is another's, and the read's own error (503 when the
// database is down) when the store could not be asked — never "no such
// record" for a database that did not answer. It reports whether the
// request goes on.
func found(c *gin.Context, err error, owned bool, notFound string) bool {
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && !owned:
		fail(c, errNotFound(notFound))
		return false
	case err != nil:
		fail(c, err)
		return false
	}
	return true
}

func toAPIError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		if e := fromRejection(appErr); e != nil {
			return e
		}
		if appErr.Type() == workflows.RunEnding { // sent again, the next run takes it
			return errUnavailable("该品牌的流程正在转入新一期运行，请稍后重试（已保存的材料不会丢失）")
		}
	}
	var notFound *serviceerror.NotFound
	switch {
	case errors.Is(err, store.ErrNotFound), errors.As(err, &notFound):
		return errNotFound("未找到该记录")
	case errors.Is(err, store.ErrBadCursor):
		return errInvalid("查询参数有误", FieldError{Field: "cursor", Message: "无效的分页游标"})
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return errUnavailable("处理超时：工作流服务或后台处理程序未及时响应，请稍后重试")
	case isTemporalUnavailable(err):
		return errUnavailable("工作流服务暂不可用，请稍后重试")
	case store.IsUnavailable(err):
		return errUnavailable("数据库暂不可用，请稍后重试")
	}
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "服务器内部错误"}
}

// lapsePending is the code of a brand decision refused while its process
// takes a lapse that ran out (workflows: lapse-before-decision).
const lapsePending = "lapse_pending"

// fromRejection maps a workflow's refusal (an Update validator or handler
// error of workflows.Rejection) to the caller's 4xx.
func fromRejection(appErr *temporal.ApplicationError) *Error {
	var r workflows.Rejection
	if !appErr.HasDetails() || appErr.Details(&r) != nil {
		return nil
	}
	e := &Error{Code: r.Code, Message: r.Message, Details: r.Details}
	switch appErr.Type() {
	case workflows.RejectConflict:
		e.Status = http.StatusConflict
	case workflows.RejectForbidden:
		e.Status = http.StatusForbidden
	case workflows.RejectInvalid:
		e.Status = http.StatusUnprocessableEntity
	default:
		return nil
	}
	// A 422 names its failing fields; a 409 may too (a name taken, API.md).
	for _, f := range r.Fields {
		e.Fields = append(e.Fields, FieldError{Field: f.Field, Message: f.Message})
	}
	return e
}

func isTemporalUnavailable(err error) bool {
	var unavailable *serviceerror.Unavailable
	var deadline *serviceerror.DeadlineExceeded
	var busy *serviceerror.ResourceExhausted
	return errors.As(err, &unavailable) || errors.As(err, &deadline) || errors.As(err, &busy)
}

// refused reports whether err is a refusal (a 4xx answer): the request was
// not applied and will not be.
func refused(err error) bool {
	status := toAPIError(err).Status
	return status >= 400 && status < 500
}
