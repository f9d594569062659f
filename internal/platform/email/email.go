// Package email sends plain-text UTF-8 mail through one SMTP relay
// (LB_SMTP_*): the outbox's deliveries and the console's confirmation of a
// holder's address. It speaks SMTP with the standard library's net/smtp:
// STARTTLS when the relay offers it, PLAIN auth when a user is set.
package email

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Relay is the SMTP relay mail goes through.
type Relay struct {
	Addr     string // host:port; STARTTLS when the server offers it
	From     string // e.g. 劳务品牌 <noreply@hrss.km.gov.cn>
	Username string // PLAIN auth when set
	Password string
}

// Mail is one message.
type Mail struct {
	To []string // bare addresses
	// Bcc are sent the mail without being named in it (bare addresses):
	// recipients who must not see one another's address.
	Bcc     []string
	Subject string
	Body    string
	Date    time.Time
	// ID makes the Message-ID (<laborbrand.ID@sender's domain>): the same
	// ID on every attempt lets a receiver's mail system drop a repeat.
	ID string
	// Header holds extra header lines, name → value.
	Header map[string]string
}

// Validate reports a relay that cannot work.
func (r Relay) Validate() error {
	if _, _, err := net.SplitHostPort(r.Addr); err != nil {
		return fmt.Errorf("smtp address %q: %w", r.Addr, err)
	}
	if _, err := mail.ParseAddress(r.From); err != nil {
		return fmt.Errorf("smtp sender %q: %w", r.From, err)
	}
	return nil
}

// Timeout bounds one whole SMTP exchange.
const Timeout = 30 * time.Second

// Send mails m through the relay.
func (r Relay) Send(ctx context.Context, m Mail) error {
	from, err := mail.ParseAddress(r.From)
	if err != nil || len(m.To) == 0 {
		return fmt.Errorf("email: no sender or no recipients")
	}
	host, _, _ := net.SplitHostPort(r.Addr)
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", r.Addr)
	if err != nil {
		return fmt.Errorf("email: %w", err)
	}
	conn.SetDeadline(time.Now().Add(Timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("email: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("email: starttls: %w", err)
		}
	}
	if r.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", r.Username, r.Password, host)); err != nil {
			return fmt.Errorf("email: auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("email: MAIL FROM: %w", err)
	}
	// A mailbox that does not exist does not keep the mail from the
	// others; any other refusal (for now, or the relay's policy) fails the
	// attempt, which sends it again to all.
	var refused []string
	for _, rcpt := range append(slices.Clone(m.To), m.Bcc...) {
		var reply *textproto.Error
		if err := c.Rcpt(rcpt); errors.As(err, &reply) && noSuchMailbox(reply) {
			refused = append(refused, rcpt)
		} else if err != nil {
			return fmt.Errorf("email: RCPT TO %s: %w", rcpt, err)
		}
	}
	if len(refused) == len(m.To)+len(m.Bcc) {
		return &RefusedError{Refused: refused, NoneSent: true}
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	if _, err := wc.Write(Compose(from, m)); err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	// The relay has accepted the mail: a QUIT that fails now is no reason
	// to send it again (a retry would, and most mailboxes show both).
	c.Quit()
	if len(refused) > 0 {
		return &RefusedError{Refused: refused}
	}
	return nil
}

// RefusedError is Send's answer when the relay said that mailboxes do not
// exist: the mail went to the other recipients, or, NoneSent, to nobody.
// Sending again would change nothing for them and repeat it to the rest.
type RefusedError struct {
	Refused  []string
	NoneSent bool
}

func (e *RefusedError) Error() string {
	if e.NoneSent {
		return "email: not sent, no such mailbox: " + strings.Join(e.Refused, ", ")
	}
	return "email: sent, but no such mailbox: " + strings.Join(e.Refused, ", ")
}

// noSuchMailbox reports whether a RCPT refusal says the recipient's own
// mailbox cannot take mail — RFC 3463's 5.1.1 (no such mailbox), 5.1.2
// (no such domain), 5.1.3 (bad address), 5.1.6 (moved), 5.1.10 (null MX)
// or 5.2.1 (disabled): an officer who left, a holder's address gone. Any
// other refusal — about the sender (5.1.7, 5.1.8, "Sender address
// rejected", which a relay may give at RCPT for every recipient), the
// relay's policy (5.7.x), a refusal of the moment, or one without an
// enhanced status to tell — is the relay's, which configuring it or
// waiting may cure: the attempt fails and is retried.
func noSuchMailbox(reply *textproto.Error) bool {
	if reply.Code < 500 || strings.Contains(strings.ToLower(reply.Msg), "sender") {
		return false
	}
	status, _, _ := strings.Cut(strings.TrimSpace(reply.Msg), " ")
	switch status {
	case "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1":
		return true
	}
	return false
}

// Compose is m as a plain-text UTF-8 mail from from, its body base64.
func Compose(from *mail.Address, m Mail) []byte {
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", from.String())
	header("To", strings.Join(m.To, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", m.Date.Format(time.RFC1123Z))
	_, domain, _ := strings.Cut(from.Address, "@")
	header("Message-ID", "<laborbrand."+strings.ReplaceAll(m.ID, "/", ".")+"@"+domain+">")
	for _, name := range slices.Sorted(maps.Keys(m.Header)) {
		header(name, m.Header[name])
	}
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	text := base64.StdEncoding.EncodeToString([]byte(m.Body))
	for len(text) > 76 {
		b.WriteString(text[:76] + "\r\n")
		text = text[76:]
	}
	b.WriteString(text + "\r\n")
	return b.Bytes()
}
