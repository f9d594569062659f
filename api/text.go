package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// Clean text (RULES §3 Decision, issue 12): every text that reaches a
// handler — a JSON string or key, a path segment, a query parameter, the
// Idempotency-Key, a multipart field or file name — is checked here and only
// here. It refuses invalid UTF-8, NUL and other control characters (a long
// text may hold newlines and tabs, a one-line field not even those), the
// bidirectional overrides and isolates that make "invoice\u202egnp.exe"
// read as "invoiceexe.png", and content made of invisible characters only.
// Invisible characters inside visible text pass: a brand name's zero-width
// joiner is folded away by its name key (internal/domain/namekey).

// longText are the JSON fields whose text may run over several lines.
var longText = map[string]bool{
	"content": true, "evidence": true, "reason": true, "opinion": true, "comment": true, "findings": true,
	"note": true, "description": true, "summary": true, "development_plan": true, "typical_persons": true,
	"follow_up_service": true,
}

// textProblem says, in Chinese, what is wrong with s as a text field; ""
// when it is clean. multiline admits newlines and tabs.
func textProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "含无效的UTF-8编码"
	}
	visible := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if !multiline {
				return "不能含换行符或制表符"
			}
		case r == utf8.RuneError:
			return "含替换字符U+FFFD（编码有误）"
		case unicode.Is(unicode.Cc, r):
			return fmt.Sprintf("不能含控制字符U+%04X", r)
		case bidiControl(r):
			return fmt.Sprintf("不能含双向文字控制符U+%04X（可用于伪装文字方向）", r)
		case (r == '\u2028' || r == '\u2029') && !multiline:
			return "不能含换行符"
		case !namekey.Invisible(r):
			visible = true
		}
	}
	if !visible && strings.TrimSpace(s) != "" {
		return "不能仅由不可见字符组成"
	}
	return ""
}

// TextProblem is textProblem for the forms the console reads itself (a
// holder's registration), so that they refuse what the API refuses.
func TextProblem(s string, multiline bool) string { return textProblem(s, multiline) }

// bidiControl reports the embeddings, overrides (U+202A–U+202E) and
// isolates (U+2066–U+2069) of the Unicode bidirectional algorithm.
func bidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// cleanJSON checks every string, and every object key, of a JSON body,
// naming each failing field as the validators do ("trademark.registration_no",
// "honours[2]"). The body's bytes must be UTF-8: encoding/json would
// silently replace what is not.
func cleanJSON(raw []byte) []FieldError {
	if !utf8.Valid(raw) {
		return []FieldError{{Field: "body", Message: fmt.Sprintf("第%d字节起不是有效的UTF-8编码", invalidAt(raw))}}
	}
	var fields []FieldError
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	walkJSON(dec, "", "", &fields) // a syntax error is the decoder's to report
	return fields
}

// walkJSON reads one JSON value from dec, checking its strings; key is the
// object key it belongs to (for an array element, the array's key).
func walkJSON(dec *json.Decoder, path, key string, fields *[]FieldError) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case string:
		if msg := textProblem(t, longText[key]); msg != "" {
			*fields = append(*fields, FieldError{Field: fieldName(path), Message: msg})
		}
	case json.Delim:
		for i := 0; dec.More(); i++ {
			if t == '[' {
				if err := walkJSON(dec, fmt.Sprintf("%s[%d]", path, i), key, fields); err != nil {
					return err
				}
				continue
			}
			k, err := dec.Token()
			if err != nil {
				return err
			}
			name, _ := k.(string)
			sub := name
			if path != "" {
				sub = path + "." + name
			}
			if msg := textProblem(name, false); msg != "" {
				*fields = append(*fields, FieldError{Field: fieldName(path), Message: "字段名" + msg})
				return nil
			}
			if err := walkJSON(dec, sub, name, fields); err != nil {
				return err
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err
	}
	return nil
}

func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// invalidAt is the 1-based offset of raw's first byte that is not UTF-8.
func invalidAt(raw []byte) int {
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n <= 1 {
			return i + 1
		}
		i += n
	}
	return len(raw)
}

// cleanRequest refuses, with 422 and the field, a request whose path,
// query or Idempotency-Key is not clean one-line text. It runs before any
// route: a NUL or a stray byte in a path used to reach PostgreSQL as a
// parameter and come back as a 500. A page's address is answered with the
// pages' own error page.
func (s *Server) cleanRequest() gin.HandlerFunc {
	return func(c *gin.Context) {
		if overlongPath(c.Request.URL.Path) {
			// No record has such an id; and an idempotency key keeps the
			// path in an index whose entries PostgreSQL bounds (a 500).
			s.refuse(c, errNotFound("没有这个地址"), pageAnswer{http.StatusNotFound,
				"页面不存在", "您访问的地址过长，不是本系统的地址，请从导航重新进入。"})
			return
		}
		var fields []FieldError
		for _, seg := range strings.Split(c.Request.URL.Path, "/") {
			if msg := textProblem(seg, false); msg != "" {
				fields = append(fields, FieldError{Field: "path", Message: "路径" + msg})
				break
			}
		}
		query, err := url.ParseQuery(c.Request.URL.RawQuery)
		if err != nil {
			fields = append(fields, FieldError{Field: "query", Message: "查询参数编码有误"})
		}
		for name, values := range query {
			if msg := textProblem(name, false); msg != "" {
				fields = append(fields, FieldError{Field: "query", Message: "查询参数名" + msg})
				continue
			}
			for _, v := range values {
				if msg := textProblem(v, false); msg != "" {
					fields = append(fields, FieldError{Field: name, Message: msg})
				}
			}
		}
		if key := c.GetHeader(IdempotencyHeader); key != "" {
			if msg := textProblem(key, false); msg != "" {
				fields = append(fields, FieldError{Field: IdempotencyHeader, Message: msg})
			}
		}
		if len(fields) > 0 {
			s.refuse(c, errInvalid("请求含有不允许的字符", fields...), pageAnswer{http.StatusBadRequest,
				"地址有误", "您访问的地址含有无法识别的字符，请检查地址，或从导航重新进入。"})
			return
		}
		c.Next()
	}
}

// maxPathSegment and maxPath bound a request's path: every id the system
// gives is at most 100 characters, and no address of its has a segment of
// more than twice that.
const (
	maxPathSegment = 200
	maxPath        = 1000
)

// overlongPath reports whether path is longer than any address of the
// system's, as a whole or in one of its segments.
func overlongPath(path string) bool {
	if len(path) > maxPath {
		return true
	}
	for seg := range strings.SplitSeq(path, "/") {
		if len(seg) > maxPathSegment {
			return true
		}
	}
	return false
}

// cleanMultipart checks a multipart body's field values and file names; it
// runs on upload routes, after the caller is authenticated. The parsed form
// stays on the request for the handler.
func (s *Server) cleanMultipart() gin.HandlerFunc {
	return func(c *gin.Context) {
		if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "multipart/form-data" {
			c.Next()
			return
		}
		form, err := c.MultipartForm()
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				fail(c, errTooLargeFor(c, tooLarge))
				return
			}
			c.Next() // a malformed form: the handler names what is missing
			return
		}
		// A large file waits in a temporary file. net/http removes those
		// after a request it served, but not after one the console sends
		// in-process: every video uploaded through it would stay on disk.
		defer form.RemoveAll()
		var fields []FieldError
		for name, values := range form.Value {
			for _, v := range values {
				if msg := textProblem(v, false); msg != "" {
					fields = append(fields, FieldError{Field: name, Message: msg})
				}
			}
		}
		for name, files := range form.File {
			for _, fh := range files {
				if msg := textProblem(fh.Filename, false); msg != "" {
					fields = append(fields, FieldError{Field: name, Message: "文件名" + msg})
				}
			}
		}
		if len(fields) > 0 {
			fail(c, errInvalid("上传内容含有不允许的字符", fields...))
			return
		}
		c.Next()
	}
}
