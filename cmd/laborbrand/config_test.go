package main

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

func settings(t *testing.T, kv ...string) config.Config {
	t.Helper()
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	cfg, err := config.Parse(func(name string) (string, bool) { v, ok := m[name]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestUnsetSettingsKeepEveryDefault(t *testing.T) {
	cfg := settings(t)
	if got := apiConfig(cfg); !reflect.DeepEqual(got, api.DefaultConfig) {
		t.Errorf("apiConfig = %+v\nwant api.DefaultConfig %+v", got, api.DefaultConfig)
	}
	ch, err := channels(cfg)
	if err != nil || !reflect.DeepEqual(ch, activities.Channels{PublicURL: api.DefaultConfig.PublicBaseURL}) {
		t.Errorf("channels = %+v, %v; want none, links to %s", ch, err, api.DefaultConfig.PublicBaseURL)
	}
}

func TestSettingsReachTheAPIAndThePolicies(t *testing.T) {
	cfg := apiConfig(settings(t, "LB_MAX_BODY_BYTES", "2048", "LB_SPOOL_BYTES", "1073741824", "LB_TASK_QUEUE", "q", "LB_SERVICE_DAYS", "15",
		"LB_ESCALATE_MAX", "0", "LB_NOTICE_COUNTING", "next_day", "LB_REMINDER_LEAD_DAYS", "2,0",
		"LB_INTERVIEW_DAYS", "7", "LB_HOLDER_REMINDER_DAYS", "3"))
	a, b := cfg.Admission, cfg.Brand
	switch {
	case cfg.MaxBodyBytes != 2048 || cfg.SpoolBytes != 1<<30 || cfg.TaskQueue != "q" || cfg.TemporalTimeout != api.DefaultConfig.TemporalTimeout:
		t.Errorf("api config %+v", cfg)
	case a.ServiceDays != 15 || a.Alerts.EscalateMax != 0 || a.NoticeFromPublication || !slices.Equal(a.Alerts.LeadDays, []int{2, 0}):
		t.Errorf("admission policy %+v", a)
	case a.ExpertQuorum != 3 || a.NoticeDays != 5:
		t.Errorf("admission policy %+v: the unset periods lost their defaults", a)
	case b.InterviewDays != 7 || !slices.Equal(b.HolderAlerts.LeadDays, []int{3}) || !reflect.DeepEqual(b.Alerts, a.Alerts):
		t.Errorf("brand policy %+v (officer alerts follow admission's %+v)", b, a.Alerts)
	case b.DecisionDays != 10:
		t.Errorf("brand policy %+v: the unset periods lost their defaults", b)
	}
}

func TestWebhookAndEmailSettingsBecomeChannels(t *testing.T) {
	cfg := settings(t, "LB_WEBHOOKS", `[{"name":"gov","url":"https://hook.example","secret":"k","counties":["530181"]}]`,
		"LB_SMTP_ADDR", "smtp.example:587", "LB_SMTP_FROM", "劳务品牌 <lb@example.gov.cn>", "LB_SMTP_USER", "u",
		"LB_EMAIL_RECIPIENTS", `{"supervisor":["a@example.gov.cn"]}`, "LB_PUBLIC_URL", "https://lb.example")
	ch, err := channels(cfg)
	want := activities.Channels{PublicURL: "https://lb.example",
		Webhooks: []activities.Webhook{{Name: "gov", URL: "https://hook.example", Secret: "k", Counties: []string{"530181"}}},
		SMTP: &activities.SMTP{Addr: "smtp.example:587", From: "劳务品牌 <lb@example.gov.cn>", Username: "u",
			Recipients: map[string][]string{"supervisor": {"a@example.gov.cn"}}}}
	if err != nil || !reflect.DeepEqual(ch, want) {
		t.Errorf("channels = %+v, %v\nwant %+v", ch, err, want)
	}
	if _, err := channels(settings(t, "LB_WEBHOOKS", `[{"name":"gov","url":"ftp://x","secret":"k"}]`)); err == nil {
		t.Error("a webhook that is not http(s) was accepted")
	}
}

// README: LB_PUBLIC_DUPLICATE_WINDOW=0 turns merging off (the API then
// stores each public filing of its own); unset, the window is a day.
func TestAZeroDuplicateWindowTurnsMergingOff(t *testing.T) {
	if got := publicLimits(settings(t, "LB_PUBLIC_DUPLICATE_WINDOW", "0")).DuplicateWindow; got != 0 {
		t.Errorf("LB_PUBLIC_DUPLICATE_WINDOW=0 gave a window of %s, want 0 (off)", got)
	}
	if got := publicLimits(settings(t)).DuplicateWindow; got != api.DefaultPublicLimits.DuplicateWindow {
		t.Errorf("unset gave %s, want the default %s", got, api.DefaultPublicLimits.DuplicateWindow)
	}
}

// docs/DEPLOYMENT.md (TLS to Temporal and PostgreSQL): production names at
// start-up what it runs without — PostgreSQL off this host without a
// verified certificate, a remote Temporal in plain TCP, console cookies not
// Secure — and nothing for a stack on one host or one set up with TLS.
func TestInsecureProductionSettingsAreNamed(t *testing.T) {
	t.Setenv("PGSSLMODE", "")
	plain := prodFlags{dbURL: "postgres://lb:pw@db.internal:5432/laborbrand", temporal: temporalConn{Address: "temporal.internal:7233"}}
	cfg := settings(t, "LB_PUBLIC_URL", "http://lb.internal")
	if got := insecureSettings(plain, cfg, true); len(got) != 3 {
		t.Errorf("a remote PostgreSQL and Temporal without TLS, cookies not Secure: %d warnings %q, want 3", len(got), got)
	}
	if got := insecureSettings(plain, cfg, false); len(got) != 2 {
		t.Errorf("the worker (no cookies): %q, want 2", got)
	}
	secured := prodFlags{dbURL: "postgres://lb:pw@db.internal:5432/laborbrand?sslmode=verify-full&sslrootcert=/etc/ca.pem",
		temporal: temporalConn{Address: "temporal.internal:7233", TLS: config.TemporalTLS{Enabled: true}}}
	if got := insecureSettings(secured, settings(t, "LB_PUBLIC_URL", "https://lb.example.gov.cn"), true); len(got) != 0 {
		t.Errorf("TLS everywhere: %q, want none", got)
	}
	local := prodFlags{dbURL: "postgres://lb:pw@127.0.0.1:5432/laborbrand", temporal: temporalConn{Address: "localhost:7233"}}
	if got := insecureSettings(local, settings(t, "LB_PUBLIC_URL", "https://lb.example.gov.cn"), true); len(got) != 0 {
		t.Errorf("one host: %q, want none", got)
	}
}
