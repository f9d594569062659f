package api

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// Hostile input on every public path (the brief's Bad input): a client
// sending a small body a byte at a time holds its connection for
// smallBodyWait, not for the server's read timeout (sized for a 200 MB
// video); a file's body keeps the server's; a body sent in time is not cut
// off by the wait however long the answer takes, and a request without a
// body is not cancelled by it.
func TestASlowSmallBodyIsCutOffAtItsWait(t *testing.T) {
	gin.SetMode(gin.TestMode)
	defer func(w time.Duration) { smallBodyWait = w }(smallBodyWait)
	smallBodyWait = 300 * time.Millisecond
	s := &Server{Config: Config{MaxBodyBytes: 1 << 20}, Log: slog.New(slog.DiscardHandler)}
	read := make(chan error, 1)
	r := gin.New()
	r.Use(s.limitBody())
	handler := func(c *gin.Context) {
		_, err := io.ReadAll(c.Request.Body)
		read <- err
		if err != nil {
			c.Status(http.StatusRequestTimeout)
			return
		}
		time.Sleep(2 * smallBodyWait) // answering takes longer than the body's wait
		if c.Request.Context().Err() != nil {
			c.String(http.StatusServiceUnavailable, "the request was cancelled")
			return
		}
		c.String(http.StatusOK, "ok")
	}
	r.POST("/api/v1/public/reports", handler)
	r.POST("/api/v1/applications/A1/attachments", handler)
	srv := httptest.NewServer(r)
	defer srv.Close()

	send := func(path string, pause time.Duration) string {
		t.Helper()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{")
		time.Sleep(pause)
		io.WriteString(conn, "}")
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		return strings.TrimSpace(line)
	}

	if got := send("/api/v1/public/reports", 4*smallBodyWait); !strings.Contains(got, "408") {
		t.Errorf("a form's body sent slower than its wait: answered %q, want it cut off (408)", got)
	}
	if err := <-read; err == nil {
		t.Error("the slow body was read whole")
	}
	if got := send("/api/v1/applications/A1/attachments", 2*smallBodyWait); !strings.Contains(got, "200") {
		t.Errorf("a file's body slower than a form's wait: answered %q, want 200", got)
	}
	<-read
	if got := send("/api/v1/public/reports", 0); !strings.Contains(got, "200") {
		t.Errorf("a form sent at once, answered after longer than the wait: %q, want 200", got)
	}
	<-read
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/v1/public/reports HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, _ := bufio.NewReader(conn).ReadString('\n'); !strings.Contains(line, "200") {
		t.Errorf("a request without a body, answered after longer than the wait: %q, want 200 (not cancelled)", strings.TrimSpace(line))
	}
	<-read
}
