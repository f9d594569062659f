package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

func inbox(t *testing.T, s *stacktest.Stack, token string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range expect(t, s.Do("GET", "/api/v1/inbox", token, nil), 200, "inbox")["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// webhookReceiver is a messaging platform's webhook that keeps what it is
// sent, for the delivery tests.
type webhookReceiver struct {
	URL string
	mu  sync.Mutex
	got []map[string]any
}

func startWebhookReceiver(t *testing.T) *webhookReceiver {
	r := &webhookReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var m map[string]any
		json.NewDecoder(req.Body).Decode(&m)
		r.mu.Lock()
		r.got = append(r.got, m)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// received is what the webhook has been sent so far.
func (r *webhookReceiver) received() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func countKind(items []map[string]any, kind string) int {
	n := 0
	for _, it := range items {
		if it["kind"] == kind {
			n++
		}
	}
	return n
}

// RULES §3 Decision — service deadlines (issue 6): an officer who ignores an
// application is reminded 3 and 1 working days before and on the due day;
// when the deadline passes the supervisor and the city bureau hear of it,
// and the application is in the overdue queue — without polling, by durable
// timers.
func TestDecision_ServiceDeadlines_IgnoredApplicationIsRemindedThenEscalated(t *testing.T) {
	// The supervisors' messaging platform: a webhook that records what it gets.
	platform := startWebhookReceiver(t)
	channels := activities.Channels{Webhooks: []activities.Webhook{{Name: "supervisors", URL: platform.URL,
		Secret: "platform-secret", Roles: []string{"supervisor"}}}}
	// One wall second is a business day: the 20-working-day 初审 passes in half a minute.
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 86400), Channels: channels})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-06-30"}), 201, "round")
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")
	id := app["id"].(string)
	// Setting up took a few business days at this scale: read the due day off the answer.
	due := app["deadlines"].([]any)[0].(map[string]any)["due"]

	testenv.Eventually(t, 2*time.Minute, "the supervisor's inbox has an escalation", func() error {
		if n := countKind(inbox(t, s, a.supervisor), "escalation"); n == 0 {
			return fmt.Errorf("no escalation yet")
		}
		return nil
	})

	// The escalation was sent at the due instant by the worker's reading of
	// the clock; the queue answers by the API's. At this scale a step of the
	// machine's wall clock between the two readings moves business time by
	// days (CI saw one), so the queue is given the time to agree.
	testenv.Eventually(t, time.Minute, "the supervisor's overdue queue has the 初审", func() error {
		overdue := taskKinds(t, s.Do("GET", "/api/v1/tasks?overdue=true", a.supervisor, nil))
		if task, ok := overdue["county_review@"+id]; !ok || task["overdue"] != true {
			all := taskKinds(t, s.Do("GET", "/api/v1/tasks?overdue=false", a.supervisor, nil))
			return fmt.Errorf("business now %v; overdue %v; not overdue %v", s.Clock.Now(), overdue, all)
		}
		return nil
	})

	county := inbox(t, s, a.anning)
	if n := countKind(county, "reminder"); n != 3 {
		t.Errorf("安宁 officer got %d reminders, want 3 (3 and 1 working days before, and on %v)", n, due)
	}
	for _, m := range county {
		if m["object_id"] != id || !strings.Contains(m["title"].(string), "安宁玫瑰") || m["due"] != due {
			t.Errorf("message does not name the brand, the object and the due day: %v", m)
		}
	}
	if n := len(inbox(t, s, a.wuhua)); n != 0 {
		t.Errorf("五华 officer received %d messages about 安宁's application", n)
	}
	if countKind(inbox(t, s, a.city), "escalation") == 0 {
		t.Error("the city bureau did not hear of the missed deadline")
	}
	testenv.Eventually(t, time.Minute, "the supervisors' webhook receives the escalation", func() error {
		hooked := platform.received()
		for _, m := range hooked {
			if m["kind"] == "escalation" && m["object_id"] == id && m["audience"] == "supervisor" {
				return nil
			}
		}
		return fmt.Errorf("%d other messages", len(hooked))
	})
	msg := county[0]
	expect(t, s.Do("POST", "/api/v1/inbox/"+jsonNumber(msg["id"])+"/read", a.anning, nil), 200, "mark read")
	expect(t, s.Do("POST", "/api/v1/inbox/"+jsonNumber(msg["id"])+"/read", a.wuhua, nil), 404, "another county's message")
	// Later escalations may arrive meanwhile: every message of the snapshot
	// but the one read is still unread, and that one is not.
	unread := map[string]bool{}
	for _, m := range expect(t, s.Do("GET", "/api/v1/inbox?unread=true", a.anning, nil), 200, "unread")["items"].([]any) {
		unread[jsonNumber(m.(map[string]any)["id"])] = true
	}
	for _, m := range county {
		if mid := jsonNumber(m["id"]); unread[mid] != (mid != jsonNumber(msg["id"])) {
			t.Errorf("message %s: unread %v after %s was marked read", mid, unread[mid], jsonNumber(msg["id"]))
		}
	}
}

func jsonNumber(v any) string { return fmt.Sprintf("%.0f", v) }

// API.md lists: the inbox is a list like the others, `{items, next}`, a
// page at a time — a busy officer's 60 messages are not cut at some count
// with `next` null, as if there were no more.
func TestTheInboxIsPagedLikeEveryList(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	tok := stacktest.Token(t, auth.Principal{Sub: "city-1", Role: auth.CityOfficer})
	var msgs []store.Message
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Shanghai)
	for i := range 60 {
		msgs = append(msgs, store.Message{DedupeKey: fmt.Sprintf("m%02d", i), Kind: "reminder", Audience: "city_officer",
			ObjectType: "application", ObjectID: fmt.Sprintf("A%02d", i), Title: "提醒", Body: "请办理", CreatedAt: at.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := s.Store.EnqueueReturning(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	path, pages := "/api/v1/inbox?limit=25", 0
	for path != "" {
		page := expect(t, s.Do("GET", path, tok, nil), 200, "inbox page")
		pages++
		for _, it := range page["items"].([]any) {
			id := it.(map[string]any)["object_id"].(string)
			if seen[id] {
				t.Errorf("message %s on two pages", id)
			}
			seen[id] = true
		}
		path = ""
		if next, _ := page["next"].(string); next != "" {
			path = "/api/v1/inbox?limit=25&cursor=" + url.QueryEscape(next)
		}
	}
	if len(seen) != 60 || pages != 3 {
		t.Errorf("%d messages over %d pages, want all 60 over 3", len(seen), pages)
	}
	if first := inbox(t, s, tok); len(first) != store.DefaultPageLimit || first[0]["object_id"] != "A59" {
		t.Errorf("the first page has %d messages, the newest %v; want %d, the newest first", len(first), first[0]["object_id"], store.DefaultPageLimit)
	}
	errorOf(t, s.Do("GET", "/api/v1/inbox?cursor=not-ours", tok, nil), 422, "a cursor the API never gave")
}
