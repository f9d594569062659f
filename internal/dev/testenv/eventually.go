package testenv

import (
	"context"
	"testing"
	"time"
)

// pollEvery is how often Poll and Eventually look again.
const pollEvery = 100 * time.Millisecond

// Poll calls check until it returns true or within has passed, and reports
// whether it returned true. It is for waits that must not fail a test (a
// clean-up that falls back to something harsher); tests wait with Eventually.
func Poll(within time.Duration, check func() bool) bool {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	return PollEvery(ctx, pollEvery, check)
}

// PollEvery checks every so often until check holds (true) or ctx ends
// (false, after one last check). A test that must catch a short-lived
// state polls faster than Poll does.
func PollEvery(ctx context.Context, every time.Duration, check func() bool) bool {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if check() {
			return true
		}
		select {
		case <-ctx.Done():
			return check()
		case <-tick.C:
		}
	}
}

// Eventually waits for a state the test cannot be told about: it calls
// check until it returns nil and fails t with what and check's last error
// when that has not happened within the given time. check runs on the
// test's goroutine, so it may itself end the test (t.Fatal) when waiting
// longer is pointless.
func Eventually(t testing.TB, within time.Duration, what string, check func() error) {
	t.Helper()
	var last error
	if !Poll(within, func() bool { last = check(); return last == nil }) {
		t.Fatalf("not within %s: %s: %v", within, what, last)
	}
}
