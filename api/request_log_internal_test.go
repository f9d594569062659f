package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// RELIABILITY (what an operator is paged for): a request whose client hung
// up — a county line dropped in the middle of an upload — fails with its
// context, and its 503 is logged as the client's doing (info, client_gone),
// not as an error of the server; a 503 the server gives a client still there
// stays an error.
func TestARequestWhoseClientHungUpIsNotLoggedAsAnOutage(t *testing.T) {
	var mu sync.Mutex
	var logged bytes.Buffer
	s := &Server{Log: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logged}, nil))}
	reached := make(chan struct{}, 1)
	r := gin.New()
	r.Use(s.requestLog())
	r.GET("/slow", func(c *gin.Context) {
		reached <- struct{}{}
		<-c.Request.Context().Done() // a store call failing as its context ends
		fail(c, c.Request.Context().Err())
	})
	r.GET("/down", func(c *gin.Context) { fail(c, errUnavailable("数据库暂不可用，请稍后重试")) })
	srv := httptest.NewServer(r)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow", nil)
	go func() { <-reached; cancel() }()
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("the client's request: %v, want it cancelled", err)
	}
	if resp, err := http.Get(srv.URL + "/down"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("/down: %v %v", resp, err)
	}

	lines := func() string { mu.Lock(); defer mu.Unlock(); return logged.String() }
	for deadline := time.Now().Add(5 * time.Second); strings.Count(lines(), "\n") < 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("two request lines not logged:\n%s", lines())
		}
	}
	for line := range strings.Lines(lines()) {
		switch {
		case strings.Contains(line, `"path":"/slow"`):
			if !strings.Contains(line, `"level":"INFO"`) || !strings.Contains(line, `"client_gone":true`) {
				t.Errorf("the hung-up request logged as %s", line)
			}
		case strings.Contains(line, `"path":"/down"`):
			if !strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, "client_gone") {
				t.Errorf("the server's own 503 logged as %s", line)
			}
		}
	}
}

// 等保 数据保密性 (secrets kept hashed stay secret): a token carried in the
// path — the link of a holder's confirmation e-mail — is not written to the
// request log, which operators and a log pipeline read: it would confirm
// the address for whoever read it within its day.
func TestATokenInThePathIsNotLogged(t *testing.T) {
	var mu sync.Mutex
	var logged bytes.Buffer
	s := &Server{Log: slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logged}, nil))}
	r := gin.New()
	r.Use(s.requestLog())
	r.GET("/register/confirm/:token", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.GET("/brands/:id", func(c *gin.Context) { c.Status(http.StatusOK) })
	for _, path := range []string{"/register/confirm/secret-token-1234", "/brands/B1"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logged.String(), "secret-token-1234") || !strings.Contains(logged.String(), `"path":"/register/confirm/:token"`) {
		t.Errorf("the confirmation's token is logged, or its route is not:\n%s", logged.String())
	}
	if !strings.Contains(logged.String(), `"path":"/brands/B1"`) {
		t.Errorf("another path is no longer logged as asked:\n%s", logged.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
