package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
)

func dialTemporal(ctx context.Context, addr string) (client.Client, error) {
	return client.DialContext(ctx, client.Options{HostPort: addr, Namespace: "default",
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
}

// dbURL is the configured database (DATABASE_URL), else the dev stack's
// private cluster, from the port it saved.
func dbURL(configured, dataDir string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "postgres.port"))
	if err != nil {
		return "", fmt.Errorf("no DATABASE_URL and no postgres.port in the data dir: %w", err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return "", fmt.Errorf("postgres.port in the data dir: %w", err)
	}
	return devstack.PostgresURL(filepath.Join(dataDir, "postgres"), port, "laborbrand"), nil
}

func logf(format string, a ...any) {
	fmt.Printf("%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

// counties are Kunming's 14 review units.
var counties = []string{"530102", "530103", "530111", "530112", "530113", "530114", "530115",
	"530124", "530125", "530126", "530127", "530128", "530129", "530181"}
