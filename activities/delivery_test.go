package activities_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/dev/smtptest"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// webhookReceiver is an HTTP receiver that answers 500 to its first fail
// requests and 200 after, recording each.
type webhookReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []webhookRequest
}

type webhookRequest struct {
	Delivery, Signature, ContentType string
	Body                             []byte
}

func startWebhookReceiver(t *testing.T, fail int) *webhookReceiver {
	t.Helper()
	r := &webhookReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, webhookRequest{Delivery: req.Header.Get("X-Laborbrand-Delivery"),
			Signature: req.Header.Get("X-Laborbrand-Signature"), ContentType: req.Header.Get("Content-Type"), Body: body})
		n := len(r.requests)
		r.mu.Unlock()
		if n <= fail {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *webhookReceiver) received() []webhookRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.requests)
}

// reminder is a reminder to the county officers of 石林 about one
// application, its dedupe key made unique to the test.
func reminder(s *deliveryStack, county string) records.NotifyRequest {
	return records.NotifyRequest{
		DedupeKey: s.queue + "/application-A1/county_review/2026-09-28/1", Kind: deadline.AlertReminder,
		Audiences: []string{"county_officer"}, County: county, USCC: "91530126MA6NXK2T3X",
		ObjectType: "application", ObjectID: "A1", BrandName: "石林撒尼刺绣", Action: "初审",
		Due: "2026-09-28", At: time.Date(2026, 9, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
	}
}

func hmacHex(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestWebhookRetriedUntilConfirmedUnderOneDeliveryIDAndNeverAfter(t *testing.T) {
	recv := startWebhookReceiver(t, 2)
	const secret = "s3cret-of-the-platform"
	s := startDeliveryStack(t, activities.Channels{Webhooks: []activities.Webhook{{Name: "platform", URL: recv.URL, Secret: secret}}})
	r := reminder(s, "530126")
	key := r.DedupeKey + "/county_officer"

	s.notify(t, r)
	firstRun := s.awaitDelivery(t, key)

	got := recv.received()
	if len(got) != 3 {
		t.Fatalf("receiver saw %d requests, want 3 (two refused, one confirmed)", len(got))
	}
	id := got[0].Delivery
	if !strings.HasSuffix(id, "/webhook:platform") {
		t.Errorf("delivery ID %q: want <message id>/webhook:platform", id)
	}
	for i, req := range got {
		if req.Delivery != id {
			t.Errorf("attempt %d: delivery ID %q, want %q on every attempt", i+1, req.Delivery, id)
		}
		if want := hmacHex(secret, req.Body); req.Signature != want {
			t.Errorf("attempt %d: signature %q, want %q", i+1, req.Signature, want)
		}
		if req.ContentType != "application/json" {
			t.Errorf("attempt %d: Content-Type %q", i+1, req.ContentType)
		}
	}
	var payload map[string]any
	if err := json.Unmarshal(got[2].Body, &payload); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k := range payload {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	want := []string{"audience", "body", "county_code", "created_at", "delivery_id", "due", "kind", "object_id", "object_type", "title"}
	if !slices.Equal(fields, want) {
		t.Errorf("payload fields %v, want %v (nothing personal, no USCC)", fields, want)
	}
	if payload["delivery_id"] != id || !strings.Contains(payload["title"].(string), "石林撒尼刺绣") {
		t.Errorf("payload %v", payload)
	}
	d, ok := s.delivery(t, id)
	if !ok || d.DeliveredAt == nil || d.Attempts != 3 {
		t.Fatalf("deliveries log %+v (found %v), want delivered after 3 attempts", d, ok)
	}

	// A retried Notify (same dedupe key) must not deliver again.
	s.notify(t, r)
	holdsFor(t, 3*time.Second, "nothing reaches the receiver after its confirmation", func() bool {
		return len(recv.received()) == 3
	})
	if run := s.awaitDelivery(t, key); run != firstRun {
		t.Errorf("a second delivery process ran (%s after %s)", run, firstRun)
	}
	// Nor does Deliver itself, should it run again (a duplicate task, or a
	// process started anew once Temporal forgot the first).
	msgID, _ := strconv.ParseInt(strings.TrimSuffix(id, "/webhook:platform"), 10, 64)
	if err := s.acts.Deliver(context.Background(), records.DeliveryRequest{MessageID: msgID, Channel: "webhook:platform"}); err != nil {
		t.Errorf("Deliver after confirmation: %v", err)
	}
	if n := len(recv.received()); n != 3 {
		t.Errorf("receiver saw %d requests after Deliver ran again, want 3", n)
	}
	if d, _ := s.delivery(t, id); d.Attempts != 3 {
		t.Errorf("attempts %d after the retried Notify and Deliver, want 3", d.Attempts)
	}
}

func TestWebhookForOneCountyReceivesNoOtherCountysMessage(t *testing.T) {
	anning, all := startWebhookReceiver(t, 0), startWebhookReceiver(t, 0)
	s := startDeliveryStack(t, activities.Channels{Webhooks: []activities.Webhook{
		{Name: "anning", URL: anning.URL, Secret: "a", Counties: []string{"530181"}},
		{Name: "city", URL: all.URL, Secret: "c"},
	}})
	r := reminder(s, "530102")

	s.notify(t, r)
	s.awaitDelivery(t, r.DedupeKey+"/county_officer")

	if n := len(all.received()); n != 1 {
		t.Fatalf("the all-county webhook saw %d requests, want 1", n)
	}
	if n := len(anning.received()); n != 0 {
		t.Errorf("the 530181 webhook saw %d requests of a 530102 message", n)
	}
	msgID, _, _ := strings.Cut(all.received()[0].Delivery, "/")
	if d, ok := s.delivery(t, msgID+"/webhook:anning"); ok {
		t.Errorf("a delivery to the 530181 webhook was logged: %+v", d)
	}
}

// The mail of a reminder names the brand, the action and its day, and
// links the console's page of the application.
func TestEmailRetriedUnderOneMessageIDWithChineseSubject(t *testing.T) {
	srv := smtptest.Start(t, 1)
	s := startDeliveryStack(t, activities.Channels{PublicURL: "https://lb.example.gov.cn/", SMTP: &activities.SMTP{
		Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.example.gov.cn>",
		Recipients: map[string][]string{
			"county_officer:530126": {"shilin@example.gov.cn"},
			"county_officer:530181": {"anning@example.gov.cn"},
			"supervisor":            {"duban@example.gov.cn"},
		},
	}})
	r := reminder(s, "530126")

	s.notify(t, r)
	s.awaitDelivery(t, r.DedupeKey+"/county_officer")

	got := srv.Messages()
	if len(got) != 2 || got[0].Accepted || !got[1].Accepted {
		t.Fatalf("server received %d messages, want one refused then one accepted", len(got))
	}
	if !slices.Equal(got[1].To, []string{"<shilin@example.gov.cn>"}) {
		t.Errorf("recipients %v, want only the 530126 county officer", got[1].To)
	}
	first, last := parseMail(t, got[0].Data), parseMail(t, got[1].Data)
	id := last.Header.Get("X-Laborbrand-Delivery")
	if !strings.HasSuffix(id, "/email") {
		t.Errorf("X-Laborbrand-Delivery %q", id)
	}
	if first.Header.Get("Message-ID") != last.Header.Get("Message-ID") || last.Header.Get("Message-ID") == "" {
		t.Errorf("Message-ID %q then %q, want one stable ID", first.Header.Get("Message-ID"), last.Header.Get("Message-ID"))
	}
	// RFC 5322: the Date is the sending's, not the business day the
	// reminder is dated by (its mailbox would file it months back).
	if sent, err := last.Header.Date(); err != nil || time.Since(sent).Abs() > 10*time.Minute {
		t.Errorf("Date %q (%v), want the sending's", last.Header.Get("Date"), err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(last.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if subject != "【提醒】石林撒尼刺绣：初审将于2026-09-28到期" {
		t.Errorf("subject %q", subject)
	}
	body := mailBody(t, last)
	for _, want := range []string{"石林撒尼刺绣", "初审", "2026-09-28", "https://lb.example.gov.cn/applications/A1"} {
		if !strings.Contains(body, want) {
			t.Errorf("body does not name %q:\n%s", want, body)
		}
	}
	// A person reads the mail: its one address is the console's page, which
	// asks for a sign-in and opens; the API's answers a browser with a 401.
	if strings.Contains(body, "/api/v1/") || strings.Count(body, "https://") != 1 {
		t.Errorf("the mail gives an address other than the console page's:\n%s", body)
	}
	d, ok := s.delivery(t, id)
	if !ok || d.DeliveredAt == nil || d.Attempts != 2 {
		t.Errorf("deliveries log %+v, want delivered after 2 attempts", d)
	}
}

func parseMail(t *testing.T, data []byte) *mail.Message {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse mail: %v\n%s", err, data)
	}
	return m
}

func mailBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	raw, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Content-Transfer-Encoding") == "base64" {
		raw, err = base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\n", ""))
		if err != nil {
			t.Fatal(err)
		}
	}
	return string(raw)
}

func TestChannelsMatchByRoleAndCounty(t *testing.T) {
	ch := activities.Channels{
		Webhooks: []activities.Webhook{
			{Name: "anning", Counties: []string{"530181"}},
			{Name: "supervision", Roles: []string{"supervisor", "city_officer"}},
			{Name: "everything"},
		},
		SMTP: &activities.SMTP{Recipients: map[string][]string{
			"county_officer:530181": {"anning@example.gov.cn"},
			"supervisor":            {"duban@example.gov.cn"},
		}},
	}
	cases := []struct {
		name     string
		audience string
		county   string
		want     []string
	}{
		{"a county webhook and county recipients get their own county's message", "county_officer", "530181",
			[]string{"webhook:anning", "webhook:everything", "email"}},
		{"a county webhook gets no other county's message", "county_officer", "530102",
			[]string{"webhook:everything"}},
		{"a role webhook gets its roles' messages of any county", "supervisor", "530102",
			[]string{"webhook:supervision", "webhook:everything", "email"}},
		{"a role key without county receives every county", "supervisor", "530181",
			[]string{"webhook:anning", "webhook:supervision", "webhook:everything", "email"}},
		{"no email when no one is configured for the audience", "applicant", "530181",
			[]string{"webhook:anning", "webhook:everything"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ch.Match(store.Message{Audience: c.audience, County: c.county}, "")
			if !slices.Equal(got, c.want) {
				t.Errorf("Match(%s, %s) = %v, want %v", c.audience, c.county, got, c.want)
			}
		})
	}
}

func TestChannelsValidateRejectsWhatCannotWork(t *testing.T) {
	cases := []struct {
		name string
		ch   activities.Channels
	}{
		{"a webhook without a name", activities.Channels{Webhooks: []activities.Webhook{{URL: "https://x.example", Secret: "s"}}}},
		{"two webhooks with one name", activities.Channels{Webhooks: []activities.Webhook{
			{Name: "a", URL: "https://x.example", Secret: "s"}, {Name: "a", URL: "https://y.example", Secret: "s"}}}},
		{"a webhook without a secret", activities.Channels{Webhooks: []activities.Webhook{{Name: "a", URL: "https://x.example"}}}},
		{"a webhook URL that is not http", activities.Channels{Webhooks: []activities.Webhook{{Name: "a", URL: "ftp://x", Secret: "s"}}}},
		{"an SMTP address without a port", activities.Channels{SMTP: &activities.SMTP{Addr: "mail.example", From: "a@example.gov.cn"}}},
		{"an SMTP sender that is no address", activities.Channels{SMTP: &activities.SMTP{Addr: "mail.example:25", From: "noreply"}}},
		{"a recipient that is no address", activities.Channels{SMTP: &activities.SMTP{Addr: "mail.example:25", From: "a@example.gov.cn",
			Recipients: map[string][]string{"supervisor": {"duban"}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.ch.Validate(); err == nil {
				t.Error("Validate accepted it")
			}
		})
	}
	if err := (activities.Channels{}).Validate(); err != nil {
		t.Errorf("no channels: %v", err)
	}
}

// A message to a holder (a return, a decision, a reminder of its own
// deadline) is mailed to the address that holder confirmed by the mailed
// link, and never to an address nobody confirmed — one let in because no
// relay was configured at registration, or one still waiting for its link.
// A configured box for holders' messages gets the same mail without the
// holder seeing its address, nor it the holder's: RULES §6.
func TestEmailToAHolderGoesToTheAddressItConfirmed(t *testing.T) {
	srv := smtptest.Start(t, 0)
	s := startDeliveryStack(t, activities.Channels{PublicURL: "https://lb.example.gov.cn", SMTP: &activities.SMTP{
		Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.example.gov.cn>",
		Recipients: map[string][]string{"applicant": {"box@hrss.example.gov.cn"}},
	}})
	ctx := context.Background()
	at := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	by := store.AccountChange{At: at, Actor: "public", Role: "public"}
	const confirmed, letIn, waiting = "91530126MA6N8XKQXB", "91530181MA6N8XKQX0", "91530125MA6N8XKQXW"
	for _, h := range []struct {
		uscc, user, address string
		letIn               bool // registered while no relay could confirm it
	}{{confirmed, "sani", "zhang@sani.example.cn", false}, {letIn, "anning", "li@anning.example.cn", true},
		{waiting, "yiliang", "wang@yiliang.example.cn", false}} {
		reg := store.HolderRegistration{USCC: h.uscc, UnitName: h.user + "公司", ContactName: "联系人",
			ContactPhone: "13800000000", ContactEmail: h.address, Confirmed: h.letIn}
		if _, err := s.store.RegisterHolder(ctx, store.Account{Username: h.user, PasswordHash: "x"}, reg, by, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	// The first holder opens the link mailed to it.
	later := store.AccountChange{At: at.Add(time.Hour), Actor: "sani", Role: "applicant"}
	if err := s.store.NewConfirmation(ctx, confirmed, "zhang@sani.example.cn", "link-token", 24*time.Hour,
		store.ConfirmationLimit{Gap: time.Minute, PerDay: 5}, later); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ConfirmHolder(ctx, "link-token", at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	toHolder := func(uscc, id string) records.NotifyRequest {
		r := reminder(s, "530126")
		r.DedupeKey = s.queue + "/application-" + id + "/resubmission/2026-09-28/1"
		r.Audiences, r.USCC, r.ObjectID, r.Action = []string{"applicant"}, uscc, id, "修改后重新提交"
		return r
	}
	deliver := func(uscc, id string) smtptest.Message {
		t.Helper()
		r := toHolder(uscc, id)
		n := len(srv.Messages())
		s.notify(t, r)
		s.awaitDelivery(t, r.DedupeKey+"/applicant")
		got := srv.Messages()
		if len(got) != n+1 || !got[n].Accepted {
			t.Fatalf("%s: the server received %d messages, want one more", uscc, len(got)-n)
		}
		return got[n]
	}

	m := deliver(confirmed, "A1")
	if !slices.Equal(m.To, []string{"<zhang@sani.example.cn>", "<box@hrss.example.gov.cn>"}) {
		t.Errorf("recipients %v, want the address the holder confirmed and the configured box", m.To)
	}
	parsed := parseMail(t, m.Data)
	if to := parsed.Header.Get("To"); to != "zhang@sani.example.cn" {
		t.Errorf("the mail names %q, want only the holder's own address", to)
	}
	if body := mailBody(t, parsed); !strings.Contains(body, "https://lb.example.gov.cn/applications/A1") {
		t.Errorf("the holder's mail does not link its application's page:\n%s", body)
	}
	for _, c := range []struct{ uscc, id, why string }{
		{letIn, "A2", "let in without a relay to confirm it"},
		{waiting, "A3", "still waiting for its link"},
	} {
		m := deliver(c.uscc, c.id)
		if !slices.Equal(m.To, []string{"<box@hrss.example.gov.cn>"}) {
			t.Errorf("an address %s was mailed: recipients %v, want the configured box only", c.why, m.To)
		}
	}
}

// RULES §6 (the holder told of each decision) and docs/RELIABILITY.md: a
// return its caller recorded, the caller stopping before it started the
// message's delivery (its node gone, its request timed out), is delivered
// all the same once the process finds the step on record (StepsRecorded),
// and only once however often it looks.
func TestAMessageItsCallerRecordedButNeverSentIsDelivered(t *testing.T) {
	recv := startWebhookReceiver(t, 0)
	s := startDeliveryStack(t, activities.Channels{Webhooks: []activities.Webhook{{Name: "platform", URL: recv.URL, Secret: "s3cret-of-the-platform"}}})
	ctx := context.Background()
	now := time.Date(2026, 9, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if _, err := s.store.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	if err := s.store.CreateApplication(ctx, store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: "石林撒尼刺绣", BrandType: "regional",
		Category: "culture_tourism_crafts", CountyCode: "530126", UnitName: "石林撒尼刺绣合作社", USCC: "91530126MA6NXK2T3X",
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: "holder", SubmittedRole: "applicant"}); err != nil {
		t.Fatal(err)
	}
	key := s.queue + "/A0001/county_review.return"
	// The caller's write, and nothing after it.
	if err := s.store.RecordStep(ctx, records.Step{ApplicationID: "A0001", Key: key, At: now, Actor: "shilin", Role: "county_officer",
		Action: "county_review.return", Stage: workflows.StageReturned, Note: "请补充营业执照"}, nil); err != nil {
		t.Fatal(err)
	}
	s.acts.TaskQueue = s.queue // called here, not as an activity on the queue
	for range 2 {
		recorded, err := s.acts.StepsRecorded(ctx, []string{key, "not-recorded"})
		if err != nil || len(recorded) != 1 || recorded[0] != key {
			t.Fatalf("steps recorded: %v %v, want [%s]", recorded, err, key)
		}
	}
	s.awaitDelivery(t, store.ReturnedMessageKey(key))
	holdsFor(t, 2*time.Second, "one request reaches the receiver", func() bool { return len(recv.received()) == 1 })
	if got := recv.received(); len(got) != 1 || !strings.Contains(string(got[0].Body), "退回补充") {
		t.Errorf("the receiver saw %d requests, want the return's message once", len(got))
	}
}

// docs/RELIABILITY.md (a message is sent once): a configured address whose
// mailbox no longer exists (the relay's 550) does not keep a reminder from
// the county's other officers, nor has it mailed to them again: the
// delivery is confirmed at its first attempt, the refusal kept in its log.
func TestAMailboxRefusedForGoodLeavesTheDeliveryConfirmedForTheOthers(t *testing.T) {
	srv := smtptest.Start(t, 0)
	srv.NoSuchMailbox = []string{"left-the-bureau@example.gov.cn"}
	s := startDeliveryStack(t, activities.Channels{PublicURL: "https://lb.example.gov.cn/", SMTP: &activities.SMTP{
		Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.example.gov.cn>",
		Recipients: map[string][]string{"county_officer:530126": {"left-the-bureau@example.gov.cn", "shilin@example.gov.cn"}},
	}})
	r := reminder(s, "530126")
	s.notify(t, r)
	s.awaitDelivery(t, r.DedupeKey+"/county_officer")
	got := srv.Messages()
	if len(got) != 1 || !got[0].Accepted || !slices.Equal(got[0].To, []string{"<shilin@example.gov.cn>"}) {
		t.Fatalf("the relay received %+v, want one mail to the officer whose mailbox exists", got)
	}
	id := parseMail(t, got[0].Data).Header.Get("X-Laborbrand-Delivery")
	d, ok := s.delivery(t, id)
	if !ok || d.DeliveredAt == nil || d.Attempts != 1 || !strings.Contains(d.LastError, "left-the-bureau@example.gov.cn") {
		t.Errorf("deliveries log %+v, want delivered at the first attempt, the refused mailbox noted", d)
	}
}

// docs/DEPLOYMENT.md "What to watch" (the deliveries backlog): a mail whose
// every mailbox is refused as not existing is given up at once — its
// delivery fails as undeliverable, its log says so — and is no longer owed:
// the backlog does not count it for three days as one still retried.
func TestAMailWithNoMailboxLeftIsGivenUpAndNoLongerOwed(t *testing.T) {
	srv := smtptest.Start(t, 0)
	srv.NoSuchMailbox = []string{"left-the-bureau@example.gov.cn"}
	s := startDeliveryStack(t, activities.Channels{PublicURL: "https://lb.example.gov.cn/", SMTP: &activities.SMTP{
		Addr: srv.Addr, From: "劳务品牌 <noreply@hrss.example.gov.cn>",
		Recipients: map[string][]string{"county_officer:530126": {"left-the-bureau@example.gov.cn"}},
	}})
	r := reminder(s, "530126")
	s.notify(t, r)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.temporal.GetWorkflow(ctx, workflows.DeliveryWorkflowID(r.DedupeKey+"/county_officer"), "").Get(ctx, nil); err == nil {
		t.Fatal("the delivery to no mailbox succeeded, want it failed as undeliverable")
	}
	var givenUp, delivered bool
	if err := s.store.Pool().QueryRow(ctx, `SELECT given_up_at IS NOT NULL, delivered_at IS NOT NULL FROM deliveries WHERE channel = 'email'`).
		Scan(&givenUp, &delivered); err != nil {
		t.Fatal(err)
	}
	if !givenUp || delivered {
		t.Errorf("the delivery's log: given up %v, delivered %v; want given up, not delivered", givenUp, delivered)
	}
	backlogs, err := s.store.Backlogs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backlogs {
		if b.Kind == store.BacklogDeliveries && b.Count != 0 {
			t.Errorf("the deliveries backlog counts %d, want the mail given up not owed", b.Count)
		}
	}
}
