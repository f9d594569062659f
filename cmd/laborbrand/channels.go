package main

import (
	"encoding/json"
	"fmt"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/api"
)

// channelsConfig reads where the worker delivers outbox messages:
// LB_WEBHOOKS (a JSON array of {"name","url","secret","roles","counties"}),
// LB_SMTP_ADDR, LB_SMTP_FROM, LB_SMTP_USER, LB_SMTP_PASSWORD and
// LB_EMAIL_RECIPIENTS (a JSON object: "role" or "role:county" → addresses).
func channelsConfig() (activities.Channels, error) {
	c := activities.Channels{PublicURL: env("LB_PUBLIC_URL", api.DefaultConfig.PublicBaseURL)}
	if v := env("LB_WEBHOOKS", ""); v != "" {
		if err := json.Unmarshal([]byte(v), &c.Webhooks); err != nil {
			return c, fmt.Errorf("LB_WEBHOOKS: not a JSON array of {name, url, secret, roles, counties}: %w", err)
		}
	}
	var recipients map[string][]string
	if v := env("LB_EMAIL_RECIPIENTS", ""); v != "" {
		if err := json.Unmarshal([]byte(v), &recipients); err != nil {
			return c, fmt.Errorf(`LB_EMAIL_RECIPIENTS: not a JSON object like {"supervisor": ["a@example.org"]}: %w`, err)
		}
	}
	if addr := env("LB_SMTP_ADDR", ""); addr != "" {
		c.SMTP = &activities.SMTP{Addr: addr, From: env("LB_SMTP_FROM", ""), Username: env("LB_SMTP_USER", ""),
			Password: env("LB_SMTP_PASSWORD", ""), Recipients: recipients}
	} else if len(recipients) > 0 {
		return c, fmt.Errorf("LB_EMAIL_RECIPIENTS is set but LB_SMTP_ADDR is not")
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("delivery channels (LB_WEBHOOKS, LB_SMTP_*, LB_EMAIL_RECIPIENTS): %w", err)
	}
	return c, nil
}
