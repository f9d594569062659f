package main_test

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// docs/DEPLOYMENT.md (probes) and docs/RELIABILITY.md (Temporal restart): an
// API replica starts while Temporal is away — it dials Temporal when first
// asked, not at start — and answers: live, ready for the load balancer
// (/readyz?temporal=optional, Temporal reported unavailable), not ready by
// plain /readyz. Before, `laborbrand api` gave up after a minute of dialling.
func TestTheAPIStartsWhileTemporalIsAway(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	db := testenv.Database(t)
	port := freePorts(t, 1)[0]
	cmd := exec.Command(binary, "api")
	cmd.Env = append(cleanEnv(), "DATABASE_URL="+db, "TEMPORAL_ADDRESS=127.0.0.1:1", "LB_DATA_DIR="+t.TempDir(),
		"LB_JWT_SECRET="+strings.Repeat("s", 40), fmt.Sprintf("LB_HTTP_ADDR=127.0.0.1:%d", port))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	get := func(path string) (int, string) {
		r, err := http.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	testenv.Eventually(t, 20*time.Second, "the API answers /healthz with Temporal away", func() error {
		if code, body := get("/healthz"); code != 200 {
			return fmt.Errorf("%d %s (output: %s)", code, body, out.String())
		}
		return nil
	})
	if code, body := get("/readyz?temporal=optional"); code != 200 || !strings.Contains(body, `"temporal":"unavailable"`) {
		t.Errorf("/readyz?temporal=optional with Temporal away: %d %s, want 200 reporting it unavailable", code, body)
	}
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz with Temporal away: %d, want 503", code)
	}
}
