package activities

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §6 (messages reach the platforms they are meant for): a webhook
// answering with a redirect has not received the message — Go would follow
// it as a GET without the body, and a 2xx from wherever it led (a gateway's
// sign-in page) would count it delivered — so the attempt fails, to be
// retried, and nothing is sent on to the redirect's target.
func TestAWebhookRedirectIsNoDelivery(t *testing.T) {
	var followed atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { followed.Add(1) }))
	defer target.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/login", http.StatusFound)
	}))
	defer redirecting.Close()
	w := Webhook{Name: "platform", URL: redirecting.URL, Secret: "s3cret-of-the-platform"}
	err := w.post(context.Background(), "1/webhook:platform", store.Message{Kind: "reminder", Title: "提醒", Audience: "county_officer"})
	if err == nil || !strings.Contains(err.Error(), "302") {
		t.Errorf("a webhook answering 302: %v, want the attempt failed naming the redirect", err)
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect's target was asked %d times, want never", n)
	}
}

// docs/RELIABILITY.md (a message is delivered or shows as owed): a worker
// asked to send by a channel it does not have — a rollout adding it under
// way, a worker configured apart — logs a failed attempt and leaves the
// delivery to be retried, never drops it without a trace.
func TestAChannelThisWorkerLacksIsAFailedAttemptRetried(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	ids, err := st.EnqueueReturning(ctx, store.Message{DedupeKey: "k/county_officer", Kind: "reminder", Audience: "county_officer",
		County: "530126", ObjectType: "application", ObjectID: "A1", Title: "提醒", Body: "请办理", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	a := &Activities{Store: st}
	err = a.Deliver(ctx, records.DeliveryRequest{MessageID: ids[0], Channel: "webhook:platform"})
	var appErr *temporal.ApplicationError
	if err == nil || errors.As(err, &appErr) && appErr.NonRetryable() {
		t.Fatalf("a channel the worker lacks: %v, want a failure to retry", err)
	}
	d, err := st.GetDelivery(ctx, DeliveryID(ids[0], "webhook:platform"))
	if err != nil || d.Attempts != 1 || d.DeliveredAt != nil || !strings.Contains(d.LastError, "webhook:platform") {
		t.Errorf("the deliveries log: %+v %v, want one failed attempt naming the channel", d, err)
	}
}
