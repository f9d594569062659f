package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/platform/metrics"
)

// Operators' decision (DEPLOYMENT, What to watch): with LB_METRICS_TOKEN set
// /metrics answers the scraper bearing it and no one else; unset, everyone.
func TestMetricsAreServedOnlyToTheScrapeTokenWhenOneIsSet(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("laborbrand_backlog 0\n")) })
	for _, c := range []struct {
		token, sent string
		want        int
	}{
		{"", "", 200},
		{"scrape-secret", "", 401},
		{"scrape-secret", "Bearer wrong", 401},
		{"scrape-secret", "Bearer scrape-secret", 200},
	} {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if c.sent != "" {
			r.Header.Set("Authorization", c.sent)
		}
		w := httptest.NewRecorder()
		metrics.Guarded(c.token, ok).ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("token %q, sent %q: %d, want %d", c.token, c.sent, w.Code, c.want)
		}
	}
}
