package activities

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/platform/email"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Channels are where outbox messages go besides the in-app inbox. The zero
// value delivers nowhere.
type Channels struct {
	Webhooks []Webhook
	SMTP     *SMTP // nil: no email
	// PublicURL is the base of the link in emails (LB_PUBLIC_URL); empty
	// leaves the link relative.
	PublicURL string
}

// Webhook receives, as HMAC-signed JSON, the messages whose audience is in
// Roles and whose county is in Counties (empty: all) — for the government
// messaging platform.
type Webhook struct {
	Name     string   `json:"name"` // unique; the channel is webhook:<name>
	URL      string   `json:"url"`
	Secret   string   `json:"secret"`
	Roles    []string `json:"roles,omitempty"`
	Counties []string `json:"counties,omitempty"`
}

// SMTP sends email through one relay.
type SMTP struct {
	Addr     string // host:port; STARTTLS when the server offers it
	From     string // e.g. 劳务品牌 <noreply@hrss.km.gov.cn>
	Username string // PLAIN auth when set
	Password string
	// Recipients maps "role" or "role:county" (e.g. "supervisor",
	// "county_officer:530181") to addresses; a message goes to both keys'.
	Recipients map[string][]string
}

// ChannelEmail is the email channel's name; a webhook's is WebhookChannel(name).
const ChannelEmail = "email"

// WebhookChannel is the channel name of webhook name.
func WebhookChannel(name string) string { return "webhook:" + name }

// DeliveryID names one message's delivery by one channel. It is the same on
// every attempt, so receivers can drop repeats.
func DeliveryID(messageID int64, channel string) string {
	return fmt.Sprintf("%d/%s", messageID, channel)
}

// Validate reports the first setting that cannot work.
func (c Channels) Validate() error {
	seen := map[string]bool{}
	for i, w := range c.Webhooks {
		switch {
		case w.Name == "" || seen[w.Name]:
			return fmt.Errorf("webhook %d: name %q is empty or used twice", i, w.Name)
		case w.Secret == "":
			return fmt.Errorf("webhook %s: no secret to sign with", w.Name)
		}
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("webhook %s: url is not an http(s) URL", w.Name)
		}
		seen[w.Name] = true
	}
	if s := c.SMTP; s != nil {
		if err := s.Relay().Validate(); err != nil {
			return err
		}
		for key, addrs := range s.Recipients {
			for _, a := range addrs {
				if _, err := mail.ParseAddress(a); err != nil {
					return fmt.Errorf("email recipients of %s: %q: %w", key, a, err)
				}
			}
		}
	}
	return nil
}

// Match lists the channels message m goes to: webhooks in configured order,
// then email when someone receives m's audience and county by email, or
// when holder, the confirmed address of the holder m is for, is not empty.
func (c Channels) Match(m store.Message, holder string) []string {
	var out []string
	for _, w := range c.Webhooks {
		if (len(w.Roles) == 0 || slices.Contains(w.Roles, m.Audience)) &&
			(len(w.Counties) == 0 || slices.Contains(w.Counties, m.County)) {
			out = append(out, WebhookChannel(w.Name))
		}
	}
	if c.SMTP != nil && (holder != "" || len(c.SMTP.recipients(m)) > 0) {
		out = append(out, ChannelEmail)
	}
	return out
}

// recipients are the addresses configured for m's audience and county,
// each once.
func (s *SMTP) recipients(m store.Message) []string {
	var out []string
	for _, a := range append(slices.Clone(s.Recipients[m.Audience]), s.Recipients[m.Audience+":"+m.County]...) {
		if addr, err := mail.ParseAddress(a); err == nil && !slices.Contains(out, addr.Address) {
			out = append(out, addr.Address)
		}
	}
	return out
}

// startDeliveries starts the delivery process of each message that has a
// channel, on the calling activity's task queue (outside an activity, on
// a.TaskQueue). A process already started (a retried Notify) counts as
// started.
func (a *Activities) startDeliveries(ctx context.Context, msgs []store.Message, ids []int64) error {
	if a.Temporal == nil {
		return nil
	}
	for i, m := range msgs {
		channels, err := a.channelsOf(ctx, m)
		if err != nil {
			return fmt.Errorf("start delivery of %s: %w", m.DedupeKey, err)
		}
		if len(channels) == 0 {
			continue
		}
		queue := a.TaskQueue
		if activity.IsActivity(ctx) {
			queue = activity.GetInfo(ctx).TaskQueue
		}
		if queue == "" {
			return fmt.Errorf("start delivery of %s: not in an activity, and no task queue to start it on", m.DedupeKey)
		}
		opts := client.StartWorkflowOptions{
			ID: workflows.DeliveryWorkflowID(m.DedupeKey), TaskQueue: queue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			StaticSummary:         workflows.DeliverySummary(m.Title, m.Audience),
		}
		_, err = a.Temporal.ExecuteWorkflow(ctx, opts, workflows.DeliveryWorkflow, ids[i])
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err != nil && !errors.As(err, &started) {
			return fmt.Errorf("start delivery of %s: %w", m.DedupeKey, err)
		}
	}
	return nil
}

// DeliveryChannels lists the channels outbox message messageID goes to now.
func (a *Activities) DeliveryChannels(ctx context.Context, messageID int64) ([]string, error) {
	m, err := a.Store.OutboxMessage(ctx, messageID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, temporal.NewNonRetryableApplicationError(err.Error(), "Undeliverable", nil)
	}
	if err != nil {
		return nil, err
	}
	return a.channelsOf(ctx, m)
}

func (a *Activities) channelsOf(ctx context.Context, m store.Message) ([]string, error) {
	holder, err := a.holderAddress(ctx, m)
	if err != nil {
		return nil, err
	}
	return a.Channels.Match(m, holder), nil
}

// holderAddress is where a message to a holder is mailed besides the
// configured recipients: the address the holder confirmed by the mailed
// link at registration, read at each delivery so that a corrected address
// is the one used. A holder the bureau opened accounts for, one let in
// unconfirmed (no relay then), or one not yet confirmed has none.
func (a *Activities) holderAddress(ctx context.Context, m store.Message) (string, error) {
	if a.Channels.SMTP == nil || m.Audience != "applicant" || m.USCC == "" {
		return "", nil
	}
	r, err := a.Store.HolderRegistrationOf(ctx, m.USCC)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", nil
	case err != nil:
		return "", err
	case !r.MailConfirmed:
		return "", nil
	}
	addr, err := mail.ParseAddress(r.ContactEmail)
	if err != nil {
		return "", nil // stored unchecked before registration checked it: never mailed
	}
	return addr.Address, nil
}

// Deliver sends a message by a channel, at least once and never again after
// a receiver confirmed it: each attempt is counted in the deliveries log
// before sending; a failure is logged and returned for Temporal to retry.
// A confirmation the log failed to record is sent again on retry, under the
// same delivery ID.
func (a *Activities) Deliver(ctx context.Context, r records.DeliveryRequest) error {
	id := DeliveryID(r.MessageID, r.Channel)
	m, err := a.Store.OutboxMessage(ctx, r.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "Undeliverable", nil)
	}
	if err != nil {
		return err
	}
	attempt, delivered, err := a.Store.BeginDelivery(ctx, id, r.MessageID, r.Channel)
	if err != nil || delivered {
		return err
	}
	// A channel this worker does not have — a rollout that adds it under
	// way, a worker configured apart from the others — is an attempt that
	// failed, logged and retried (another worker may have it), not a
	// message dropped without a trace; one removed for good is given up
	// with the delivery's retries, and shows in the backlog meanwhile.
	var sendErr error
	if send, err := a.sender(r.Channel); err != nil {
		sendErr = fmt.Errorf("this worker cannot send by %s: %w", r.Channel, err)
	} else {
		sendErr = send(ctx, id, m)
	}
	// Mailboxes that do not exist: delivered to the others, and a retry
	// would mail them again for nothing — or, none left, undeliverable.
	var refused *email.RefusedError
	if errors.As(sendErr, &refused) {
		var err error
		if refused.NoneSent { // none left to deliver to: never delivered, and no longer owed
			err = a.Store.GiveUpDelivery(ctx, id, time.Now(), sendErr.Error())
		} else {
			err = a.Store.EndDelivery(ctx, id, time.Now(), true, sendErr.Error())
		}
		if err != nil {
			return err
		}
		activity.GetLogger(ctx).Warn("no such mailbox", "delivery", id, "mailboxes", len(refused.Refused), "sent", !refused.NoneSent)
		if refused.NoneSent {
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf("deliver %s: no such mailbox", id), "Undeliverable", nil)
		}
		return nil
	}
	failure := ""
	if sendErr != nil {
		failure = sendErr.Error()
	}
	if err := a.Store.EndDelivery(ctx, id, time.Now(), sendErr == nil, failure); err != nil {
		return err
	}
	if sendErr != nil {
		// Temporal's history is shown in its UI: no addresses there (RULES §6).
		return fmt.Errorf("deliver %s, attempt %d: %s", id, attempt, redactAddresses(failure))
	}
	return nil
}

type sendFunc func(ctx context.Context, deliveryID string, m store.Message) error

// sender is how channel sends, or an error when it is no longer configured.
func (a *Activities) sender(channel string) (sendFunc, error) {
	if channel == ChannelEmail && a.Channels.SMTP != nil {
		return func(ctx context.Context, id string, m store.Message) error {
			holder, err := a.holderAddress(ctx, m)
			if err != nil {
				return err
			}
			return a.Channels.SMTP.send(ctx, id, m, holder, messageLink(a.Channels.PublicURL, m))
		}, nil
	}
	for _, w := range a.Channels.Webhooks {
		if WebhookChannel(w.Name) == channel {
			return w.post, nil
		}
	}
	return nil, fmt.Errorf("channel %s is not configured", channel)
}

// WebhookPayload is the JSON a webhook receives: the outbox message, which
// carries names, dates and ids only (RULES §6).
type WebhookPayload struct {
	DeliveryID string `json:"delivery_id"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Body       string `json:"body"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Due        string `json:"due,omitempty"`
	CountyCode string `json:"county_code,omitempty"`
	Audience   string `json:"audience"`
	// USCC names the holder a message to applicants is for (a company's
	// public code), so a platform can reach that holder and no other;
	// absent on any other audience's.
	USCC      string    `json:"uscc,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Webhook headers: the delivery ID, and the body's HMAC-SHA256 with the
// webhook's secret as "sha256=<hex>".
const (
	HeaderDelivery  = "X-Laborbrand-Delivery"
	HeaderSignature = "X-Laborbrand-Signature"
)

// Sign is the X-Laborbrand-Signature of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// webhookClient follows no redirect: Go would turn the POST into a GET
// without its body, and a 2xx from wherever that led — a gateway's sign-in
// page — would count the message delivered. A 3xx fails the attempt.
var webhookClient = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// post delivers m to the webhook; any 2xx answer confirms it.
func (w Webhook) post(ctx context.Context, id string, m store.Message) error {
	p := WebhookPayload{DeliveryID: id, Kind: m.Kind, Title: m.Title, Body: m.Body,
		ObjectType: m.ObjectType, ObjectID: m.ObjectID, Due: m.Due, CountyCode: m.County, Audience: m.Audience,
		CreatedAt: m.CreatedAt}
	if m.Audience == "applicant" {
		p.USCC = m.USCC // whose message it is; an officer's names no holder
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderDelivery, id)
	req.Header.Set(HeaderSignature, Sign(w.Secret, body))
	resp, err := webhookClient.Do(req)
	if err != nil {
		// The URL may hold the platform's access token: never log it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("webhook %s: %w", w.Name, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s answered %s", w.Name, resp.Status)
	}
	return nil
}

// messageLink is where the mail's reader acts on m's object: its page in
// the console (store.MessagePath), which asks for a sign-in first and then
// opens it.
func messageLink(base string, m store.Message) string {
	return strings.TrimRight(base, "/") + store.MessagePath(m.Kind, m.ObjectType, m.ObjectID)
}

// send mails m to its recipients. The Message-ID derives from the delivery
// ID, so a receiver's mail system can drop a repeat. Its Date is the
// sending's (RFC 5322), not the business instant m is dated by — a lapse's
// is its deadline's, a brought-over application's may lie a year back, and
// a reader's mailbox would file it there.
// A holder's own address is the only one its mail names: the configured
// recipients are sent it unnamed, so that neither sees the other's address.
func (s *SMTP) send(ctx context.Context, id string, m store.Message, holder, link string) error {
	to, bcc := s.recipients(m), []string(nil)
	if holder != "" {
		to, bcc = []string{holder}, slices.DeleteFunc(to, func(a string) bool { return a == holder })
	}
	if len(to) == 0 {
		return fmt.Errorf("email: no recipients for %s", m.Audience)
	}
	return s.Relay().Send(ctx, email.Mail{To: to, Bcc: bcc, Subject: m.Title, Body: m.Body + "\r\n\r\n" + link + "\r\n",
		Date: time.Now(), ID: id, Header: map[string]string{HeaderDelivery: id}})
}

// Relay is the relay s sends through.
func (s *SMTP) Relay() email.Relay {
	return email.Relay{Addr: s.Addr, From: s.From, Username: s.Username, Password: s.Password}
}

var addressPattern = regexp.MustCompile(`[^\s<>"':,;]+@[^\s<>"':,;]+`)

// redactAddresses removes email addresses from an error shown outside the
// database.
func redactAddresses(s string) string { return addressPattern.ReplaceAllString(s, "<address>") }
