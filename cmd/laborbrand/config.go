package main

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// env returns the LB_* (or other) variable name, or def when unset.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envInt(name string, def int64) (int64, error) {
	v := env(name, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not an integer", name, v)
	}
	return n, nil
}

func envDuration(name string, def time.Duration) (time.Duration, error) {
	v := env(name, "")
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a duration (e.g. 10s)", name, v)
	}
	return d, nil
}

// newLogger writes structured logs to stderr: LB_LOG_FORMAT=json|text,
// LB_LOG_LEVEL=debug|info|warn|error.
func newLogger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(env("LB_LOG_LEVEL", "info")))
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(env("LB_LOG_FORMAT", "text"), "json") {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
