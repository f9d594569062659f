package sweep_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/sweep"
)

// A worker's sweep (the starter's, the settler's) runs at once, then every
// interval, each run bounded by the interval; what each run did is
// reported, and it stops when its context ends.
func TestEveryRunsAtOnceThenEachIntervalUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var reports []int
	var bounded []bool
	runs := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		sweep.Every(ctx, 20*time.Millisecond, func(ctx context.Context) (int, error) {
			runs++
			_, ok := ctx.Deadline()
			mu.Lock()
			bounded = append(bounded, ok)
			mu.Unlock()
			if runs == 2 {
				return 0, errors.New("PostgreSQL down")
			}
			return runs, nil
		}, func(n int, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				n = -1
			}
			reports = append(reports, n)
			if len(reports) == 3 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the sweep did not stop when its context ended")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reports) != 3 || reports[0] != 1 || reports[1] != -1 || reports[2] != 3 {
		t.Errorf("reports %v, want [1 -1 3] (the second run failed)", reports)
	}
	for i, ok := range bounded {
		if !ok {
			t.Errorf("run %d had no deadline; each run is bounded by the interval", i+1)
		}
	}
}
