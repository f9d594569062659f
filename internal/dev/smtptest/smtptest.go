// Package smtptest is a real SMTP server on a local port for tests: what
// the system mails (the outbox's deliveries, a holder's confirmation)
// arrives there over TCP as it would at the bureau's relay.
package smtptest

import (
	"io"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Server is a real SMTP server on a local port, speaking just enough of
// RFC 5321 for a relay's client: it records every message it is given and
// refuses the first refuse of them with a temporary error.
type Server struct {
	Addr   string
	refuse int
	// HangUpOnQuit: the server closes the connection at QUIT without its
	// 221, as a relay that drops it after accepting the mail.
	HangUpOnQuit bool
	// NoSuchMailbox are addresses the server refuses at RCPT with 550
	// 5.1.1, as a relay refuses a mailbox that does not exist; RefuseRCPT
	// maps others to the reply line it gives them instead (set before
	// sending).
	NoSuchMailbox []string
	RefuseRCPT    map[string]string

	mu       sync.Mutex
	received []Message
}

// Message is one message the server was given.
type Message struct {
	From     string
	To       []string
	Data     []byte
	Accepted bool
}

// Start listens on a free local port until t ends; the first refuse
// messages are refused with 451.
func Start(t testing.TB, refuse int) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := &Server{Addr: l.Addr().String(), refuse: refuse}
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

// Messages are the messages received so far, refused ones included.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

func (s *Server) serve(conn net.Conn) {
	defer conn.Close()
	c := textproto.NewConn(conn)
	var m Message
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
			m = Message{From: arg}
			reply("250 ok")
		case "RCPT":
			to := strings.TrimPrefix(arg, "TO:")
			if slices.Contains(s.NoSuchMailbox, strings.Trim(to, "<>")) {
				reply("550 5.1.1 no such mailbox")
				continue
			}
			if line, ok := s.RefuseRCPT[strings.Trim(to, "<>")]; ok {
				reply(line)
				continue
			}
			m.To = append(m.To, to)
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
			m = Message{}
			reply("250 ok")
		case "QUIT":
			if !s.HangUpOnQuit {
				reply("221 bye")
			}
			return
		default:
			reply("502 not implemented")
		}
	}
}
