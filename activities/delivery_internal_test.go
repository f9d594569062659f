package activities

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

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
