package metrics

import (
	"crypto/subtle"
	"net/http"
)

// Guarded serves h only to a request bearing token (Authorization: Bearer
// token), as Prometheus sends it from a scrape job's authorization; others
// get a 401. An empty token serves everyone: a deployment whose front
// routes /metrics nowhere public.
func Guarded(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "401 unauthorized: /metrics needs the scrape token (LB_METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
