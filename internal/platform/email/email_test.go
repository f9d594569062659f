package email_test

import (
	"context"
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
