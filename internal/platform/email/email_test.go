package email_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/smtptest"
	"github.com/kunming-hrss/laborbrand/internal/platform/email"
)

// docs/RELIABILITY.md (a message is sent once): once the relay has accepted
// a mail, a QUIT that fails — the relay hanging up without its 221 — is no
// failure of the sending, which a retry would repeat into the mailbox.
func TestAMailTheRelayAcceptedIsSentThoughItsQuitFails(t *testing.T) {
	srv := smtptest.Start(t, 0)
	srv.HangUpOnQuit = true
	r := email.Relay{Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.km.gov.cn>"}
	err := r.Send(context.Background(), email.Mail{To: []string{"holder@example.cn"}, Subject: "【退回补充】安宁玫瑰",
		Body: "请补充材料", Date: time.Now(), ID: "1/email"})
	if err != nil {
		t.Errorf("a mail accepted, its QUIT unanswered: %v, want sent", err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || !msgs[0].Accepted {
		t.Errorf("the relay received %+v, want one mail accepted", msgs)
	}
}

// docs/RELIABILITY.md (a message is sent once): a mailbox the relay refuses
// for good (550) does not keep the mail from the other recipients, nor
// makes it be sent to them again: it is sent to them, and Send names the
// refused one. Every recipient refused, nothing is sent and Send fails.
func TestOneMailboxRefusedForGoodDoesNotKeepTheMailFromTheOthers(t *testing.T) {
	srv := smtptest.Start(t, 0)
	srv.NoSuchMailbox = []string{"left@example.cn"}
	r := email.Relay{Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.km.gov.cn>"}
	mail := email.Mail{To: []string{"holder@example.cn"}, Bcc: []string{"left@example.cn", "officer@example.cn"},
		Subject: "【提醒】安宁玫瑰", Body: "期限将至", Date: time.Now(), ID: "2/email"}
	var refused *email.RefusedError
	if err := r.Send(context.Background(), mail); !errors.As(err, &refused) || !slices.Equal(refused.Refused, []string{"left@example.cn"}) {
		t.Fatalf("one mailbox refused: %v, want a RefusedError naming it", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !msgs[0].Accepted || !slices.Equal(msgs[0].To, []string{"<holder@example.cn>", "<officer@example.cn>"}) {
		t.Errorf("the relay received %+v, want one mail to the two others", msgs)
	}
	if err := r.Send(context.Background(), email.Mail{To: []string{"left@example.cn"}, Subject: "x", Body: "x", Date: time.Now(), ID: "3/email"}); !errors.As(err, &refused) || !refused.NoneSent {
		t.Errorf("the only recipient's mailbox gone: %v, want a RefusedError, none sent", err)
	}
	// The relay's own refusals are no missing mailbox: its policy (5.7.1,
	// relaying denied), a sender it does not know (given at RCPT, 5.1.0 or
	// 5.1.8), or a refusal without an enhanced status. Configuring the relay
	// cures them, so the attempt fails and a retry sends it to all.
	for _, line := range []string{"550 5.7.1 relaying denied", "550 5.1.0 <noreply@hrss.km.gov.cn>: Sender address rejected",
		"553 5.1.8 sender domain does not exist", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"} {
		srv.RefuseRCPT = map[string]string{"holder@qq.example": line}
		if err := r.Send(context.Background(), email.Mail{To: []string{"holder@qq.example"}, Bcc: []string{"officer@example.cn"},
			Subject: "x", Body: "x", Date: time.Now(), ID: "4/email"}); err == nil || errors.As(err, &refused) {
			t.Errorf("refused at RCPT with %q: %v, want the attempt failed", line, err)
		}
	}
	// A mailbox disabled (5.2.1) is the recipient's own: passed over.
	srv.RefuseRCPT = map[string]string{"left@example.cn": "550 5.2.1 mailbox disabled"}
	srv.NoSuchMailbox = nil
	if err := r.Send(context.Background(), email.Mail{To: []string{"holder@example.cn"}, Bcc: []string{"left@example.cn"},
		Subject: "x", Body: "x", Date: time.Now(), ID: "5/email"}); !errors.As(err, &refused) || refused.NoneSent {
		t.Errorf("a disabled mailbox beside another: %v, want sent to the other, the disabled one named", err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("the relay received %d mails, want 2", n)
	}
}
