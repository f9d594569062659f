package activities_test

import (
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// smtpServer is a real SMTP server on a local port, speaking just enough of
// RFC 5321 for a relay's client: it records every message it is given and
// refuses the first refuse of them with a temporary error.
type smtpServer struct {
	Addr   string
	refuse int

	mu       sync.Mutex
	received []smtpMessage
}

type smtpMessage struct {
	From     string
	To       []string
	Data     []byte
	Accepted bool
}

func startSMTPServer(t *testing.T, refuse int) *smtpServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := &smtpServer{Addr: l.Addr().String(), refuse: refuse}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

// messages are the messages received so far, refused ones included.
func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.received...)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	c := textproto.NewConn(conn)
	var m smtpMessage
	reply := func(line string) bool { return c.PrintfLine("%s", line) == nil }
	if !reply("220 test ESMTP") {
		return
	}
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO", "NOOP":
			reply("250 test")
		case "MAIL":
			m = smtpMessage{From: arg}
			reply("250 ok")
		case "RCPT":
			m.To = append(m.To, strings.TrimPrefix(arg, "TO:"))
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			data, err := io.ReadAll(c.DotReader())
			if err != nil {
				return
			}
			m.Data = data
			s.mu.Lock()
			m.Accepted = len(s.received) >= s.refuse
			s.received = append(s.received, m)
			s.mu.Unlock()
			if m.Accepted {
				reply("250 queued")
			} else {
				reply("451 try again later")
			}
		case "RSET":
			m = smtpMessage{}
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}
