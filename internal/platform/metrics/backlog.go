package metrics

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/kunming-hrss/laborbrand/store"
)

var (
	backlogDesc = prometheus.NewDesc("laborbrand_backlog",
		"Owed work not yet done, by kind: processes to start, decisions to write, deliveries to confirm, calendar revisions and zones' bureaus to tell.",
		[]string{"kind"}, nil)
	backlogOldestDesc = prometheus.NewDesc("laborbrand_backlog_oldest_seconds",
		"How long the oldest owed work of each kind has waited (0 when none).", []string{"kind"}, nil)
	backlogUpDesc = prometheus.NewDesc("laborbrand_backlog_up",
		"1 when the last read of the backlog from the database succeeded.", nil, nil)
)

// Backlog reports the owed work (store.Backlogs) at each scrape. A sweep
// or a process does each kind within seconds; one whose count or age only
// grows is one an operator must look at (docs/DEPLOYMENT.md).
type Backlog struct {
	Store *store.Store
	Log   *slog.Logger
	// Fresh is how long one read serves the scrapes after it, so that
	// several scrapers cost the database one query (0: 10 s).
	Fresh time.Duration

	mu      sync.Mutex
	readAt  time.Time
	last    []store.Backlog
	lastErr error
}

// readTimeout bounds a read: a scrape does not wait on a database that
// does not answer.
const readTimeout = 5 * time.Second

// Describe implements prometheus.Collector.
func (b *Backlog) Describe(ch chan<- *prometheus.Desc) {
	ch <- backlogDesc
	ch <- backlogOldestDesc
	ch <- backlogUpDesc
}

// Collect implements prometheus.Collector: an unreadable database is
// reported as laborbrand_backlog_up 0, never as a failed scrape (the SDK's
// metrics beside it still count).
func (b *Backlog) Collect(ch chan<- prometheus.Metric) {
	backlogs, err := b.read()
	up := 1.0
	if err != nil {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(backlogUpDesc, prometheus.GaugeValue, up)
	for _, k := range backlogs {
		ch <- prometheus.MustNewConstMetric(backlogDesc, prometheus.GaugeValue, float64(k.Count), k.Kind)
		ch <- prometheus.MustNewConstMetric(backlogOldestDesc, prometheus.GaugeValue, k.OldestSeconds, k.Kind)
	}
}

func (b *Backlog) read() ([]store.Backlog, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fresh := b.Fresh
	if fresh == 0 {
		fresh = 10 * time.Second
	}
	if !b.readAt.IsZero() && time.Since(b.readAt) < fresh {
		return b.last, b.lastErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	b.last, b.lastErr = b.Store.Backlogs(ctx)
	b.readAt = time.Now()
	if b.lastErr != nil && b.Log != nil {
		b.Log.Warn("metrics: read the backlog", "error", b.lastErr)
	}
	return b.last, b.lastErr
}
