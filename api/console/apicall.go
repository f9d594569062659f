package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// APIError is the API's error answer (API.md § Errors) as a page uses it:
// the message for the page and each field's message by its JSON name, for
// the form field of that name.
type APIError struct {
	Status     int
	Code       string
	Message    string
	Fields     map[string]string
	RetryAfter string // the answer's Retry-After, when it has one
	fieldOrder []string
}

func (e *APIError) Error() string { return fmt.Sprintf("API %d %s: %s", e.Status, e.Code, e.Message) }

// InFlight reports the API's answer to a request whose idempotency key an
// earlier request still being processed holds (a double click, a retry while
// the first waits on its process): the same request, to be sent again with
// the same key — never a refusal to correct under a new key, which would be
// a second decision. A lapse under way (lapse_pending) also comes with a
// Retry-After, but refuses the request: it was not taken, and is judged
// anew on what the lapse left when sent again.
func (e *APIError) InFlight() bool {
	return e.Status == http.StatusConflict && e.Code == "conflict" && e.RetryAfter != ""
}

// LapsePending reports the refusal of a decision while its process takes a
// deadline's lapse: a refusal of the moment, to be sent again shortly.
func (e *APIError) LapsePending() bool {
	return e.Status == http.StatusConflict && e.Code == "lapse_pending"
}

// callTokenTTL is how long the bearer token of one in-process call lives.
const callTokenTTL = 2 * time.Minute

// apiList is a page of one of the API's lists: its items, and the cursor of
// the next page (nil on the last, and absent from lists that are not paged).
type apiList[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

// callAPI sends one JSON request through the API's own engine as the
// signed-in person — a short-lived bearer token of the session's principal
// — so the API authorises, validates, deduplicates (idempotencyKey, when
// not empty) and answers exactly as it does for any client. A 2xx answer
// is decoded into out (when not nil); any other is an *APIError.
func (cs *Console) callAPI(c *gin.Context, method, path string, body any, idempotencyKey string, out any) error {
	p, err := cs.principalNow(c)
	if err != nil {
		return err
	}
	token, err := auth.Sign(cs.Secret, p, time.Now(), callTokenTTL)
	if err != nil {
		return fmt.Errorf("token for %s: %w", p.Sub, err)
	}
	return cs.send(c, method, path, body, token, idempotencyKey, out)
}

// callPublic sends one request as a member of the public: no token, so
// only the API's public paths answer, rate limits by the same client
// address as the browser's.
func (cs *Console) callPublic(c *gin.Context, method, path string, body any, out any) error {
	return cs.send(c, method, path, body, "", "", out)
}

// send serves one JSON request through the API's engine in-process.
func (cs *Console) send(c *gin.Context, method, path string, body any, token, idempotencyKey string, out any) error {
	var reader io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", method, path, err)
		}
		reader = bytes.NewReader(b)
	}
	ctx := c.Request.Context()
	if idempotencyKey != "" {
		// A decision goes on when the browser hangs up (a double click
		// aborts the first request): cut off halfway, the API would answer
		// the decision it may have applied as a failure and release its key.
		// Bounded as the call's token is.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), callTokenTTL)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, method, path, reader)
	if err != nil {
		return err
	}
	req.RemoteAddr = c.Request.RemoteAddr                        // the API sees the same client
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP"} { // whichever the ingress sets (gin's RemoteIPHeaders)
		if v := c.Request.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set(api.IdempotencyHeader, idempotencyKey)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	cs.engine.ServeHTTP(rec, req)
	if rec.status >= 200 && rec.status < 300 {
		if out == nil {
			return nil
		}
		if err := json.Unmarshal(rec.body.Bytes(), out); err != nil {
			return fmt.Errorf("decode %s %s: %w", method, path, err)
		}
		return nil
	}
	return apiErrorOf(rec.status, rec.header, rec.body.Bytes())
}

// apiErrorOf reads the API's error body (API.md Errors); an answer that
// is none is an internal error.
func apiErrorOf(status int, header http.Header, body []byte) *APIError {
	var answer struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Fields  []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.Error.Code == "" {
		return &APIError{Status: status, Code: "internal", Message: "服务器内部错误"}
	}
	e := &APIError{Status: status, Code: answer.Error.Code, Message: answer.Error.Message, Fields: map[string]string{},
		RetryAfter: header.Get("Retry-After")}
	for _, f := range answer.Error.Fields {
		e.Fields[f.Field] = f.Message
		e.fieldOrder = append(e.fieldOrder, f.Field)
	}
	return e
}

// said is the whole of what the API said: its message, then each failing
// field's, in the API's order (a page of its own shows no form to mark).
func (e *APIError) said() string {
	parts := []string{e.Message}
	for _, f := range e.fieldOrder {
		parts = append(parts, e.Fields[f])
	}
	return strings.Join(parts, "：")
}

// recorder keeps an in-process answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	wrote  bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

// postMultipart posts a multipart body (a file upload) to the API as the
// signed-in person, in-process, and decodes an answer of status want into
// out; any other answer is the API's refusal.
func (cs *Console) postMultipart(c *gin.Context, path, contentType string, body io.Reader, length int64, idempotencyKey string, want int, out any) error {
	p, err := cs.principalNow(c) // an upload may have been read for minutes
	if err != nil {
		return err
	}
	token, err := auth.Sign(cs.Secret, p, time.Now(), callTokenTTL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(c.Request.Context(), http.MethodPost, path, body)
	if err != nil {
		return err
	}
	req.RemoteAddr = c.Request.RemoteAddr
	if length > 0 { // else unknown, as http.NewRequest leaves a reader it cannot measure
		req.ContentLength = length
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	if idempotencyKey != "" {
		req.Header.Set(api.IdempotencyHeader, idempotencyKey)
	}
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	cs.engine.ServeHTTP(rec, req)
	if rec.status == want {
		return json.Unmarshal(rec.body.Bytes(), out)
	}
	return apiErrorOf(rec.status, rec.header, rec.body.Bytes())
}
