package devstack_test

import (
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
)

// The kernel may hand a free port to the next caller until someone binds it;
// a dev stack names the ports it has promised (Temporal's, the UI's, the
// API's) and never gets one of them for another child. CI, 2026-12-01: the
// dev server's metrics port was the gRPC port promised to it, and it panicked.
func TestFreePortSkipsThePortsAlreadyPromised(t *testing.T) {
	var promised []int
	for range 200 {
		port, err := devstack.FreePort(promised...)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(promised, port) {
			t.Fatalf("FreePort(%d promised ports) = %d, one of them", len(promised), port)
		}
		if !devstack.PortFree(port) {
			t.Fatalf("FreePort() = %d, which cannot be listened on", port)
		}
		promised = append(promised, port)
	}
}
