package devstack_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
)

// A dev server that dies before it listens used to leave only "exit status
// 2" (CI, 2026-12-01): what it printed went to temporal.log alone. The error
// now carries what it printed first, so `laborbrand dev` and a failed test
// show why.
func TestAServerThatDiesBeforeListeningSaysWhy(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "temporal")
	// A panic's message comes before its goroutine trace, which is long.
	script := "#!/bin/sh\necho 'starting…'\necho 'panic: unable to open database file' >&2\n" +
		"yes '\tgo.temporal.io/server/common/persistence.(*shardManagerImpl).GetOrCreateShard(...)' | head -200 >&2\nexit 2\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	_, err = devstack.StartTemporal(context.Background(), devstack.TemporalOptions{
		Binary: fake, DBFile: filepath.Join(dir, "temporal.db"), Port: port, Namespace: "default", Log: &log,
	})
	if err == nil {
		t.Fatal("StartTemporal with a server that exits at once: want an error")
	}
	for _, want := range []string{"exited before listening", "exit status 2", "panic: unable to open database file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if !strings.Contains(log.String(), "panic: unable to open database file") {
		t.Errorf("the server's output no longer reaches its log: %q", log.String())
	}
}
