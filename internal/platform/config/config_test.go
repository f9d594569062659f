package config_test

import (
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

// env is an environment for Parse.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

func TestAnEmptyEnvironmentGivesTheDefaults(t *testing.T) {
	got, err := config.Parse(env())
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{Namespace: "default", DataDir: "./.laborbrand", HTTPAddr: "127.0.0.1:8080", TimeScale: 1,
		LogLevel: slog.LevelInfo, Periods: config.Periods{NoticeFromPublication: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(empty) = %+v\nwant %+v", got, want)
	}
}

func TestAnEmptyVariableCountsAsUnset(t *testing.T) {
	got, err := config.Parse(env("LB_DATA_DIR", "", "LB_SERVICE_DAYS", "", "LB_MAX_BODY_BYTES", ""))
	if err != nil || got.DataDir != "./.laborbrand" || got.Periods.ServiceDays != nil || got.MaxBodyBytes != 0 {
		t.Errorf("Parse = %+v, %v", got, err)
	}
}

func TestEverySettingIsRead(t *testing.T) {
	got, err := config.Parse(env(
		"DATABASE_URL", "postgres://db/lb", "TEMPORAL_ADDRESS", "temporal:7233", "LB_TEMPORAL_NAMESPACE", "prod",
		"LB_TASK_QUEUE", "q", "LB_TEMPORAL_CLI", "/opt/temporal", "LB_TEMPORAL_TIMEOUT", "3s",
		"LB_TEMPORAL_COMPRESSION", "gzip", "LB_DATA_DIR", "/var/lb", "LB_HTTP_ADDR", ":80", "LB_WORKER_HTTP_ADDR", ":9090", "LB_METRICS_TOKEN", "scrape", "LB_JWT_SECRET", strings.Repeat("s", 32),
		"LB_TOKEN_MAX_TTL", "48h",
		"LB_PUBLIC_CLIENT_LIMIT", "5/10m", "LB_PUBLIC_TARGET_LIMIT", "100/1h", "LB_PUBLIC_DUPLICATE_WINDOW", "2h",
		"LB_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16",
		"LB_MAX_BODY_BYTES", "2048", "LB_PUBLIC_URL", "https://lb.example", "LB_TIME_SCALE", "1",
		"LB_LOG_LEVEL", "debug", "LB_LOG_FORMAT", "JSON", "LB_FAULT_LOGS", "1",
		"LB_SERVICE_DAYS", "15", "LB_ESCALATE_MAX", "0", "LB_NOTICE_COUNTING", "next_day",
		"LB_REMINDER_LEAD_DAYS", "2, 0", "LB_INTERVIEW_DAYS", "7", "LB_HOLDER_REMINDER_DAYS", "3",
		"LB_WEBHOOKS", `[{"name":"gov","url":"https://hook.example","secret":"k","roles":["supervisor"]}]`,
		"LB_SMTP_ADDR", "smtp.example:587", "LB_SMTP_FROM", "lb@example.gov.cn", "LB_SMTP_USER", "u",
		"LB_SMTP_PASSWORD", "p", "LB_EMAIL_RECIPIENTS", `{"supervisor":["a@example.gov.cn"]}`,
	))
	if err != nil {
		t.Fatal(err)
	}
	fifteen, zero, seven, twoHours := 15, 0, 7, 2*time.Hour
	want := config.Config{DatabaseURL: "postgres://db/lb", TemporalAddress: "temporal:7233", Namespace: "prod",
		TaskQueue: "q", TemporalCLI: "/opt/temporal", TemporalTimeout: 3 * time.Second, TemporalGzip: true, DataDir: "/var/lb",
		HTTPAddr: ":80", WorkerHTTPAddr: ":9090", MetricsToken: "scrape", JWTSecret: strings.Repeat("s", 32), TokenMaxTTL: 48 * time.Hour,
		PublicClientLimit: &config.Rate{N: 5, Per: 10 * time.Minute}, PublicTargetLimit: &config.Rate{N: 100, Per: time.Hour},
		PublicDuplicateWindow: &twoHours, TrustedProxies: []string{"10.0.0.1", "192.168.0.0/16"}, MaxBodyBytes: 2048, PublicURL: "https://lb.example",
		TimeScale: 1, LogLevel: slog.LevelDebug, LogJSON: true, FaultLogs: true,
		Console: config.Console{SecureCookies: true}, // LB_PUBLIC_URL is https
		Periods: config.Periods{ServiceDays: &fifteen, EscalateMax: &zero, ReminderLeadDays: []int{2, 0},
			InterviewDays: &seven, HolderReminderDays: []int{3}},
		Delivery: config.Delivery{
			Webhooks: []config.Webhook{{Name: "gov", URL: "https://hook.example", Secret: "k", Roles: []string{"supervisor"}}},
			SMTP: &config.SMTP{Addr: "smtp.example:587", From: "lb@example.gov.cn", User: "u", Password: "p",
				Recipients: map[string][]string{"supervisor": {"a@example.gov.cn"}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v\nwant %+v", got, want)
	}
}

func TestMalformedSettingsAreNamedAllAtOnce(t *testing.T) {
	_, err := config.Parse(env("LB_SERVICE_DAYS", "twenty", "LB_INTERVIEW_DAYS", "0", "LB_NOTICE_DAYS", "1001",
		"LB_NOTICE_COUNTING", "tomorrow", "LB_REMINDER_LEAD_DAYS", "3,-1", "LB_TEMPORAL_TIMEOUT", "10",
		"LB_TEMPORAL_COMPRESSION", "zstd", "LB_MAX_BODY_BYTES", "0", "LB_TIME_SCALE", "x", "LB_PUBLIC_CLIENT_LIMIT", "10", "LB_TRUSTED_PROXIES", "proxy.lan", "LB_WEBHOOKS", "{}", "LB_EMAIL_RECIPIENTS", `{"a":["b"]}`,
		"LB_CONSOLE_SECURE_COOKIES", "yes", "LB_PUBLIC_DUPLICATE_WINDOW", "-1h", "LB_LOG_LEVEL", "warning", "LB_LOG_FORMAT", "JSN"))
	if err == nil {
		t.Fatal("Parse accepted malformed settings")
	}
	for _, want := range []string{
		`LB_SERVICE_DAYS="twenty": not an integer`,
		"LB_INTERVIEW_DAYS=0: out of range 1..1000",
		"LB_NOTICE_DAYS=1001: out of range 1..1000",
		`LB_NOTICE_COUNTING="tomorrow": publication_day or next_day`,
		`LB_REMINDER_LEAD_DAYS="3,-1": comma-separated non-negative integers expected`,
		`LB_TEMPORAL_TIMEOUT="10": not a positive duration`,
		`LB_TEMPORAL_COMPRESSION="zstd": one of none, gzip`,
		"LB_MAX_BODY_BYTES=0: must be positive",
		`LB_TIME_SCALE="x": not an integer`,
		`LB_PUBLIC_CLIENT_LIMIT="10": N/duration expected`,
		`LB_TRUSTED_PROXIES: "proxy.lan" is neither an IP address nor a CIDR`,
		"LB_WEBHOOKS: not a JSON array",
		"LB_EMAIL_RECIPIENTS is set but LB_SMTP_ADDR is not",
		`LB_CONSOLE_SECURE_COOKIES="yes": true or false`,
		`LB_PUBLIC_DUPLICATE_WINDOW="-1h": not a duration`,
		`LB_LOG_LEVEL="warning": one of debug, info, warn, error`,
		`LB_LOG_FORMAT="JSN": one of text, json`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}
}

// RULES §3 and §5: every period counts at least one day. A zero passed
// before, and the calendar refused the deadline in the process itself: a
// new application's process failed at its first stage (LB_SERVICE_DAYS=0),
// a returned one never closed (LB_RETURN_WAIT_DAYS=0). Running processes
// carry the policy they started with, so this is refused at start-up.
func TestAPeriodOfNoDaysIsRefusedAtStartUp(t *testing.T) {
	for _, name := range []string{"LB_SERVICE_DAYS", "LB_RETURN_WAIT_DAYS", "LB_NOTICE_DAYS", "LB_OBJECTION_RULING_DAYS",
		"LB_EXPERT_QUORUM", "LB_INTERVIEW_DAYS", "LB_DECISION_DAYS"} {
		_, err := config.Parse(env(name, "0"))
		if err == nil || !strings.Contains(err.Error(), name+"=0: out of range 1..1000") {
			t.Errorf("%s=0: Parse said %v, want out of range 1..1000", name, err)
		}
	}
}

func TestWithoutDropsTheSettingsButTheKeptOnes(t *testing.T) {
	got := config.Without([]string{"PATH=/bin", "DATABASE_URL=x", "TEMPORAL_ADDRESS=y", "LB_JWT_SECRET=z",
		"LB_TEMPORAL_CLI=/t", "LB_SOMETHING_NEW=1", "HOME=/root"}, "LB_TEMPORAL_CLI")
	if want := []string{"PATH=/bin", "LB_TEMPORAL_CLI=/t", "HOME=/root"}; !slices.Equal(got, want) {
		t.Errorf("Without = %v, want %v", got, want)
	}
}
