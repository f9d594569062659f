package main

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

// Operators (README: laborbrand dev is for a developer's machine): a dev run
// against a database or Temporal elsewhere — a deployment's, inside one of
// its pods — is refused unless --outside says it is meant, and demo data
// (accounts with known passwords) never goes there.
func TestDevRefusesServersNotOnThisMachine(t *testing.T) {
	for _, c := range []struct {
		name            string
		cfg             config.Config
		outside, demo   bool
		refusedNamesAny string
	}{
		{name: "its own servers", cfg: config.Config{}},
		{name: "this machine's", cfg: config.Config{DatabaseURL: "postgres://lb@127.0.0.1:5432/lb", TemporalAddress: "localhost:7233"}, demo: true},
		{name: "a socket", cfg: config.Config{DatabaseURL: "host=/var/run/postgresql dbname=lb"}},
		{name: "the registry's database", cfg: config.Config{DatabaseURL: "postgres://lb@db.hrss.km:5432/lb"}, refusedNamesAny: "DATABASE_URL"},
		{name: "the cluster's Temporal", cfg: config.Config{TemporalAddress: "temporal-frontend:7233"}, refusedNamesAny: "TEMPORAL_ADDRESS"},
		{name: "elsewhere, meant", cfg: config.Config{TemporalAddress: "10.0.0.5:7233"}, outside: true},
		{name: "demo data elsewhere, even meant", cfg: config.Config{DatabaseURL: "postgres://lb@10.0.0.4/lb"}, outside: true, demo: true, refusedNamesAny: "demo data never goes there"},
	} {
		err := devTargets(c.cfg, c.outside, c.demo)
		switch {
		case c.refusedNamesAny == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.refusedNamesAny != "" && (err == nil || !strings.Contains(err.Error(), c.refusedNamesAny)):
			t.Errorf("%s: %v, want a refusal naming %s", c.name, err, c.refusedNamesAny)
		}
	}
}
