package api

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/kunming-hrss/laborbrand/store"
)

// figuresCache keeps the statistics computed for a (year, county) for
// Config.StatisticsFor of wall time: the figures are a report, not a live
// count — each answer says when they were computed (generated_at, the
// console's "统计截至") — and computing the city's takes about a quarter of
// a second at 10,000 brands (docs/PERFORMANCE.md), too long for every page
// and chart that shows them. An entry expires; nothing invalidates it. A
// county officer's figures are its county's entry, read only after its
// filter passed (statisticsFilter). Callers must not change what they get:
// the slices are shared.
type figuresCache struct {
	mu      sync.Mutex
	entries map[figuresKey]figuresEntry
	once    singleflight.Group // one computation per key at a time
}

type figuresKey struct {
	year   int
	county string
}

type figuresEntry struct {
	st    store.Statistics
	until time.Time
}

// get answers f's figures from the cache while they are younger than ttl,
// else computes them with compute (once, however many ask at once).
func (fc *figuresCache) get(ctx context.Context, f store.StatisticsFilter, ttl time.Duration, now time.Time,
	compute func(context.Context, store.StatisticsFilter) (store.Statistics, error)) (store.Statistics, error) {
	if ttl <= 0 {
		return compute(ctx, f)
	}
	k := figuresKey{f.Year, f.County}
	fc.mu.Lock()
	e, ok := fc.entries[k]
	fc.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.st, nil
	}
	done := fc.once.DoChan(strconv.Itoa(k.year)+"/"+k.county, func() (any, error) {
		// Computed for all who wait: the first caller leaving (a tab
		// closed) must not fail the others, nor leave nothing kept.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), figuresComputeFor)
		defer cancel()
		st, err := compute(ctx, f)
		if err != nil {
			return st, err
		}
		fc.mu.Lock()
		defer fc.mu.Unlock()
		if fc.entries == nil {
			fc.entries = map[figuresKey]figuresEntry{}
		}
		for old, e := range fc.entries { // a handful of keys: years × counties asked within ttl
			if !now.Before(e.until) {
				delete(fc.entries, old)
			}
		}
		fc.entries[k] = figuresEntry{st: st, until: now.Add(ttl)}
		return st, nil
	})
	select {
	case r := <-done:
		return r.Val.(store.Statistics), r.Err
	case <-ctx.Done(): // this caller left; the computation goes on for the others
		return store.Statistics{}, ctx.Err()
	}
}

// figuresComputeFor bounds one computation of the figures, which no caller's
// leaving cancels (about a quarter of a second at 10,000 brands).
const figuresComputeFor = time.Minute
