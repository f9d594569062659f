package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// IdempotencyHeader is the request header of API.md's idempotency rule.
const IdempotencyHeader = "Idempotency-Key"

// idempotent makes a POST/PUT with an Idempotency-Key safe to retry: the same
// key and body get the first response again and change nothing; the same key
// with another body is a 422. Keys are scoped by the principal (role, sub,
// county, USCC; on a public path, the client's address), the method and the
// path; a stored answer is replayed only once the request passes the route's
// access check again (mayReplay), so a caller who lost access, or never had
// it, learns nothing from a key.
func (s *Server) idempotent() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(IdempotencyHeader)
		if key == "" || (c.Request.Method != http.MethodPost && c.Request.Method != http.MethodPut) {
			c.Next()
			return
		}
		if len(key) > 200 {
			fail(c, errInvalid("请求无效", FieldError{Field: IdempotencyHeader, Message: "不超过200个字符"}))
			return
		}
		// A key is stored as text: bytes not UTF-8 or a control character
		// (a console form's key, or a header's obs-text) are the client's
		// error, not PostgreSQL's.
		if problem := textProblem(key, false); problem != "" {
			fail(c, errInvalid("请求无效", FieldError{Field: IdempotencyHeader, Message: problem}))
			return
		}
		sum, body, err := hashBody(c.Request)
		if err != nil {
			var tooLarge *http.MaxBytesError
			var spool spoolError
			switch {
			case errors.As(err, &tooLarge):
				fail(c, errTooLargeFor(c, tooLarge))
			case errors.As(err, &spool): // the server's disk, not the client's body
				s.Log.Error("request body not kept", "error", err)
				fail(c, errUnavailable("服务器暂时无法接收该请求内容，请稍后重试"))
			default:
				fail(c, errInvalid("无法读取请求内容"))
			}
			return
		}
		defer body.Close()
		c.Request.Body = body
		p := principal(c)
		k := store.IdempotencyKey{Role: string(p.Role), Sub: p.Sub, County: p.County, USCC: p.USCC,
			Method: c.Request.Method, Path: c.Request.URL.Path, Key: key, Claim: rand.Text()}
		if p.Role == auth.Public {
			// A public path has no principal: its client's address (as the
			// public limits name it) scopes the key, so that one member of
			// the public's key never refuses, or answers, another's filing.
			k.Sub = "public@" + c.ClientIP()
		}
		lease := s.idempotencyLease()
		if _, large := body.(*tempFile); large {
			// A large file takes a while to store (a video, 200 MB): its key
			// is held the while, not taken over by a retry.
			lease += 2 * time.Minute
		}
		leaseEnds := time.Now().Add(lease)
		stored, err := s.Store.ClaimIdempotencyKey(c, k, hex.EncodeToString(sum[:]), lease)
		switch {
		case errors.Is(err, store.ErrKeyReused):
			fail(c, errKeyReused())
			return
		case errors.Is(err, store.ErrKeyInFlight):
			c.Header("Retry-After", "1")
			fail(c, errConflict("使用该幂等键的请求仍在处理中，请稍后重试", nil))
			return
		case err != nil:
			fail(c, err)
			return
		case stored != nil:
			if !s.mayReplay(c) {
				return
			}
			c.Header("Idempotent-Replay", "true")
			c.Data(stored.Status, stored.ContentType, stored.Body)
			c.Abort()
			return
		}
		rec := &recordingWriter{ResponseWriter: c.Writer}
		c.Writer = rec
		c.Next()
		// Taken now: gin reuses the writer for the next request.
		answer := store.StoredResponse{Status: rec.Status(), ContentType: rec.Header().Get("Content-Type"), Body: rec.buf.Bytes()}
		release := c.GetBool(keyStaysFree)
		settle := func(ctx context.Context) error {
			// A passing failure: forget the key so the retry is processed.
			// So too a request refused because the record its key names
			// holds other content: kept, that refusal would meet the
			// first request's own retry, which should find its record.
			// And a request turned away by a rate limit (429): nothing
			// was done, and its retry is to be taken once the wait is over.
			if answer.Status >= 500 || answer.Status == http.StatusTooManyRequests || release {
				return s.Store.ReleaseIdempotencyKey(ctx, k)
			}
			return s.Store.CompleteIdempotencyKey(ctx, k, answer)
		}
		// Not the request's context, which a client that hangs up cancels;
		// bounded, as a server that stopped answering must not hold the request.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), s.Config.TemporalTimeout)
		defer cancel()
		if err := settle(ctx); err != nil {
			s.Log.Warn("idempotency key not yet settled; trying again until its lease ends", "error", err, "key", key)
			go s.settleLater("idempotency key "+key+" (left in flight until its lease ends)", settle, leaseEnds)
		}
	}
}

// bodyInMemory is the largest request body hashBody keeps in memory; a
// larger one (a file upload: a video is 200 MB) waits in a temporary file.
const bodyInMemory = 1 << 20

// hashBody reads r's body to its end for its SHA-256 and returns a body to
// read it again from the start; closing it removes what it was kept in. It
// goes by what it reads, not by Content-Length, which a body sent in-process
// (the console's upload) or in chunks does not give. An error of the disk
// the body waits on is a spoolError: the server's, not the client's.
func hashBody(r *http.Request) (sum [sha256.Size]byte, body io.ReadCloser, err error) {
	h := sha256.New()
	head, err := io.ReadAll(io.LimitReader(io.TeeReader(r.Body, h), bodyInMemory+1))
	if err != nil {
		return sum, nil, err
	}
	if len(head) <= bodyInMemory {
		h.Sum(sum[:0])
		return sum, io.NopCloser(bytes.NewReader(head)), nil
	}
	f, err := os.CreateTemp("", "laborbrand-body-*")
	if err != nil {
		return sum, nil, spoolError{err}
	}
	spooled := &tempFile{f}
	if _, err := f.Write(head); err != nil {
		spooled.Close()
		return sum, nil, spoolError{err}
	}
	if _, err := io.Copy(io.MultiWriter(f, h), r.Body); err != nil {
		spooled.Close()
		var written *os.PathError
		if errors.As(err, &written) {
			return sum, nil, spoolError{err}
		}
		return sum, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		spooled.Close()
		return sum, nil, spoolError{err}
	}
	h.Sum(sum[:0])
	return sum, spooled, nil
}

// spoolError is a failure of the temporary file a request body waits in.
type spoolError struct{ err error }

func (e spoolError) Error() string { return "keep request body: " + e.err.Error() }
func (e spoolError) Unwrap() error { return e.err }

// tempFile is a temporary file that is removed when closed.
type tempFile struct{ *os.File }

func (t *tempFile) Close() error {
	err := t.File.Close()
	if rerr := os.Remove(t.Name()); err == nil {
		err = rerr
	}
	return err
}

// errKeyReused refuses a request whose Idempotency-Key was used for another
// one: found in the keys, or in a record the key names (recordID) that was
// stored with other content by a request whose answer was lost.
func errKeyReused() *Error {
	return errInvalid("该幂等键已用于内容不同的请求", FieldError{Field: IdempotencyHeader, Message: "同一幂等键只能用于相同的请求内容"})
}

// sameJSON reports whether stored (a JSON column) holds v, whatever the
// order of its keys and its spacing.
func sameJSON(stored json.RawMessage, v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var a1, a2 any
	return json.Unmarshal(stored, &a1) == nil && json.Unmarshal(b, &a2) == nil && reflect.DeepEqual(a1, a2)
}

// keyStaysFree marks a request whose answer is not kept under its key: a
// refusal because the key names a record made from other content
// (refuseOtherRecord), or any refusal while the key names a record on
// file (keyNamesRecord).
const keyStaysFree = "laborbrand.key-stays-free"

// refuseOtherRecord refuses a request whose Idempotency-Key names a record
// stored with other content (recordID), and leaves the key free: the
// request that stored the record may still retry under it.
func refuseOtherRecord(c *gin.Context) {
	c.Set(keyStaysFree, true)
	fail(c, errKeyReused())
}

// keyNamesRecord reads, for a request with an Idempotency-Key, the record
// its key names (recordID); read answers store.ErrNotFound when there is
// none. Found, the request's first attempt made it and lost its answer: the
// handler answers from it (answerFromRecord) before checks whose answers
// may have changed since — a round that closed at midnight — and until it
// does, any refusal leaves the key free, so that another body refused under
// the key never meets the first request's own retry. ok is false when the
// read failed, which is answered.
func (s *Server) keyNamesRecord(c *gin.Context, read func() error) (found, ok bool) {
	if c.GetHeader(IdempotencyHeader) == "" {
		return false, true
	}
	switch err := read(); {
	case errors.Is(err, store.ErrNotFound):
		return false, true
	case err != nil:
		fail(c, err)
		return false, false
	}
	c.Set(keyStaysFree, true)
	return true, true
}

// answerFromRecord answers a request whose key names a record on file: by
// answer when it sends what the record was made from (same), refused when
// it sends other content.
func answerFromRecord(c *gin.Context, same bool, answer func()) {
	if !same {
		refuseOtherRecord(c)
		return
	}
	c.Set(keyStaysFree, false) // the answer is kept, as any other
	answer()
}

// settleLater stores a key's answer, or forgets it after a 5xx, once the
// database answers again: a blip between the answer and its storing would
// otherwise leave the key in flight, refusing the client's retry until the
// lease ends and losing the answer it should replay. Both writes may be
// repeated. It tries until the lease ends, within which no other request
// can take the key. (An import's audit row, written after its brands
// started, is retried the same way: what names what is settled.)
func (s *Server) settleLater(what string, settle func(context.Context) error, leaseEnds time.Time) {
	var err error
	for wait := 500 * time.Millisecond; time.Now().Add(wait).Before(leaseEnds); wait = min(2*wait, 5*time.Second) {
		time.Sleep(wait)
		ctx, cancel := context.WithDeadline(context.Background(), leaseEnds)
		err = settle(ctx)
		cancel()
		if err == nil {
			return
		}
	}
	s.Log.Error("not settled in time", "what", what, "error", err)
}

// idempotencyLease is how long a key may stay in flight before a retry takes
// it over: longer than any request can hold it — at most two Temporal calls
// (a submission), each bounded by TemporalTimeout, and a few queries; or a
// brand decision waiting for its process (awaitBrandProcess), at most its
// first call, half a timeout's wait with its reads, and one last call: 2.5
// timeouts.
func (s *Server) idempotencyLease() time.Duration {
	return 3 * s.Config.TemporalTimeout
}

// recordingWriter keeps a copy of the response body.
type recordingWriter struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) WriteString(s string) (int, error) {
	w.buf.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
