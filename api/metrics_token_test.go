package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// Operators' decision (DEPLOYMENT, What to watch): with LB_METRICS_TOKEN set,
// the API's /metrics — on the port the public reaches — answers only its
// scraper.
func TestTheAPIsMetricsAskForTheScrapeToken(t *testing.T) {
	cfg := api.DefaultConfig
	cfg.MetricsToken = "scrape-secret"
	h := (&api.Server{Store: testenv.DownStore(t), Secret: []byte("secret-secret-secret-secret-secret"), Config: cfg}).Handler()
	for sent, want := range map[string]int{"": 401, "Bearer scrape-secret": 200} {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if sent != "" {
			r.Header.Set("Authorization", sent)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Authorization %q: %d, want %d", sent, w.Code, want)
		}
	}
}
