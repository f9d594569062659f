package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// bindJSON decodes the JSON body into v, refusing unknown fields, and checks
// its every string (cleanJSON). On failure it answers the request (413 or
// 422 naming the field) and returns false.
func bindJSON(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		fail(c, errTooLargeFor(c, tooLarge))
		return false
	case err != nil:
		fail(c, errInvalid("无法读取请求内容"))
		return false
	case !utf8.Valid(raw): // before decoding, which would replace the bytes
		fail(c, errInvalid("请求内容有误", cleanJSON(raw)...))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		// Nothing may follow the object — not even a stray } or ], which
		// More does not see: the filings' merging and limits read the body
		// as one object too.
		if _, end := dec.Token(); end != io.EOF {
			fail(c, errInvalid("请求内容须为单个JSON对象"))
			return false
		}
		if fields := cleanJSON(raw); len(fields) > 0 {
			fail(c, errInvalid("请求内容含有不允许的字符", fields...))
			return false
		}
		return true
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		fail(c, errInvalid("请求内容为空，须为JSON对象"))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		fail(c, errInvalid("请求内容有误", FieldError{Field: field, Message: fmt.Sprintf("类型错误：应为 %s", jsonType(typeErr.Type.Kind().String()))}))
	case errors.As(err, &syntaxErr):
		fail(c, errInvalid(fmt.Sprintf("JSON格式错误（第%d字节）", syntaxErr.Offset)))
	default:
		if name, ok := unknownField(err); ok {
			fail(c, errInvalid("请求内容有误", FieldError{Field: name, Message: "未知字段"}))
			return false
		}
		fail(c, errInvalid("JSON格式错误："+err.Error()))
	}
	return false
}

func unknownField(err error) (string, bool) {
	var name string
	if _, scanErr := fmt.Sscanf(err.Error(), "json: unknown field %q", &name); scanErr == nil {
		return name, true
	}
	return "", false
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice", "array":
		return "数组"
	case "struct", "map", "ptr":
		return "对象"
	default:
		return "数字"
	}
}
