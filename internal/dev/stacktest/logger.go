package stacktest

import (
	"context"
	"io"
	"log/slog"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/workflows"
)

func quietLogger() sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func ensureSearchAttributes(ctx context.Context, c client.Client) error {
	return devstack.EnsureSearchAttributes(ctx, c, "default", workflows.SearchAttributes)
}
