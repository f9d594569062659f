package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
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
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/laborbrand?sslmode=disable", strings.TrimSpace(string(b))), nil
}

func logf(format string, a ...any) {
	fmt.Printf("%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
}

// counties are Kunming's 14 review units.
var counties = []string{"530102", "530103", "530111", "530112", "530113", "530114", "530115",
	"530124", "530125", "530126", "530127", "530128", "530129", "530181"}
