package testenv_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

func TestPollReturnsAsSoonAsTheCheckHolds(t *testing.T) {
	calls := 0
	start := time.Now()
	if !testenv.Poll(time.Minute, func() bool { calls++; return calls == 3 }) {
		t.Fatal("Poll gave up on a check that came true")
	}
	if calls != 3 {
		t.Errorf("check called %d times, want 3", calls)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Poll took %s for three checks", took)
	}
}

func TestPollGivesUpAfterItsTime(t *testing.T) {
	start := time.Now()
	if testenv.Poll(300*time.Millisecond, func() bool { return false }) {
		t.Fatal("Poll reported a check that never held")
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("Poll gave up after %s, before its 300ms", took)
	}
}

func TestEventuallyPassesOnceTheCheckHolds(t *testing.T) {
	calls := 0
	testenv.Eventually(t, time.Minute, "the third call", func() error {
		if calls++; calls < 3 {
			return errors.New("not yet")
		}
		return nil
	})
}
