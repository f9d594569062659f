package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Parse reads the Config through lookup (os.LookupEnv, or a map in tests).
// It reports every malformed variable, naming it and its value.
func Parse(lookup func(name string) (string, bool)) (Config, error) {
	r := reader{lookup: lookup}
	publicURL := r.text("LB_PUBLIC_URL", "")
	c := Config{
		DatabaseURL:           r.text("DATABASE_URL", ""),
		TemporalAddress:       r.text("TEMPORAL_ADDRESS", ""),
		Namespace:             r.text("LB_TEMPORAL_NAMESPACE", "default"),
		TaskQueue:             r.text("LB_TASK_QUEUE", ""),
		TemporalCLI:           r.text("LB_TEMPORAL_CLI", ""),
		TemporalTimeout:       r.duration("LB_TEMPORAL_TIMEOUT"),
		TemporalGzip:          r.choice("LB_TEMPORAL_COMPRESSION", "none", "gzip") == "gzip",
		DataDir:               r.text("LB_DATA_DIR", "./.laborbrand"),
		HTTPAddr:              r.text("LB_HTTP_ADDR", "127.0.0.1:8080"),
		WorkerHTTPAddr:        r.text("LB_WORKER_HTTP_ADDR", ""),
		MetricsToken:          r.text("LB_METRICS_TOKEN", ""),
		JWTSecret:             r.text("LB_JWT_SECRET", ""),
		TokenMaxTTL:           r.duration("LB_TOKEN_MAX_TTL"),
		MaxBodyBytes:          r.positive("LB_MAX_BODY_BYTES"),
		SpoolBytes:            r.positive("LB_SPOOL_BYTES"),
		PublicURL:             publicURL,
		PublicClientLimit:     r.rate("LB_PUBLIC_CLIENT_LIMIT"),
		PublicTargetLimit:     r.rate("LB_PUBLIC_TARGET_LIMIT"),
		PublicDuplicateWindow: r.durationOrOff("LB_PUBLIC_DUPLICATE_WINDOW"),
		TrustedProxies:        r.proxies("LB_TRUSTED_PROXIES"),
		PDFFont:               r.text("LB_PDF_FONT", ""),
		PDFLatinFont:          r.text("LB_PDF_LATIN_FONT", ""),
		TimeScale:             r.integer("LB_TIME_SCALE", 1),
		LogLevel:              r.level("LB_LOG_LEVEL"),
		LogJSON:               strings.EqualFold(r.choiceFold("LB_LOG_FORMAT", "text", "json"), "json"),
		Console: Console{
			// Served under https, a proxy terminates TLS: the cookies must
			// be Secure although the request reaching us is plain HTTP.
			SecureCookies: r.boolean("LB_CONSOLE_SECURE_COOKIES", strings.HasPrefix(publicURL, "https://")),
			SessionIdle:   r.duration("LB_SESSION_IDLE"),
			SessionMax:    r.duration("LB_SESSION_MAX"),
			LockAfter:     r.positive("LB_LOGIN_LOCK_AFTER"),
			LockFor:       r.duration("LB_LOGIN_LOCK_FOR"),
			LoginLimit:    r.rate("LB_LOGIN_LIMIT"),
			RegisterLimit: r.rate("LB_REGISTER_LIMIT"),
			TemporalUIURL: r.text("LB_TEMPORAL_UI_URL", ""),
			TOTPKey:       r.totpKey(),
		},
		Periods:           r.periods(),
		Delivery:          r.delivery(),
		Maintenance:       r.maintenance(),
		WorkflowCacheSize: int(r.positive("LB_WORKFLOW_CACHE_SIZE")),
		TemporalTLS:       r.temporalTLS(),
		FaultLogs:         r.text("LB_FAULT_LOGS", "") != "",
	}
	return c, errors.Join(r.errs...)
}

// reader reads variables, collecting what is wrong with them.
type reader struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (r *reader) fail(format string, a ...any) { r.errs = append(r.errs, fmt.Errorf(format, a...)) }

// text is the variable's value, or def when it is unset or empty.
func (r *reader) text(name, def string) string {
	if v, ok := r.lookup(name); ok && v != "" {
		return v
	}
	return def
}

func (r *reader) integer(name string, def int64) int64 {
	n, _ := r.parseInt(name, def)
	return n
}

// parseInt is the variable as an integer, def when unset; ok is false when
// it is malformed (and reported).
func (r *reader) parseInt(name string, def int64) (n int64, ok bool) {
	v := r.text(name, "")
	if v == "" {
		return def, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.fail("%s=%q: not an integer", name, v)
		return 0, false
	}
	return n, true
}

// positive is a positive integer; 0 when unset.
func (r *reader) positive(name string) int64 {
	n, ok := r.parseInt(name, 0)
	if ok && n <= 0 && r.text(name, "") != "" {
		r.fail("%s=%d: must be positive", name, n)
	}
	return n
}

// duration is a positive duration; 0 when unset.
func (r *reader) duration(name string) time.Duration {
	v := r.text(name, "")
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail("%s=%q: not a positive duration (e.g. 10s)", name, v)
	}
	return d
}

// durationOrOff is a duration, 0 (off) allowed; nil when unset.
func (r *reader) durationOrOff(name string) *time.Duration {
	v := r.text(name, "")
	if v == "" {
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		r.fail("%s=%q: not a duration (e.g. 24h; 0 for off)", name, v)
	}
	return &d
}

// boolean is true or false; def when unset.
func (r *reader) boolean(name string, def bool) bool {
	switch v := r.text(name, ""); v {
	case "":
		return def
	case "true":
		return true
	case "false":
		return false
	default:
		r.fail("%s=%q: true or false", name, v)
		return def
	}
}

// rate is "N/duration" with N ≥ 1, e.g. 10/1h; nil when unset.
func (r *reader) rate(name string) *Rate {
	v := r.text(name, "")
	if v == "" {
		return nil
	}
	n, per, ok := strings.Cut(v, "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	d, derr := time.ParseDuration(strings.TrimSpace(per))
	if !ok || err != nil || derr != nil || count < 1 || d <= 0 {
		r.fail("%s=%q: N/duration expected, e.g. 10/1h", name, v)
		return nil
	}
	return &Rate{N: count, Per: d}
}

// proxies is a comma-separated list of IPs and CIDRs; nil when unset.
func (r *reader) proxies(name string) []string {
	v := r.text(name, "")
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				r.fail("%s: %q is neither an IP address nor a CIDR", name, p)
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

func (r *reader) level(name string) slog.Level {
	var level slog.Level
	if v := r.text(name, "info"); level.UnmarshalText([]byte(v)) != nil {
		r.fail("%s=%q: one of debug, info, warn, error", name, v)
	}
	return level
}

// days is a period in min..1000; nil when unset.
func (r *reader) days(name string, min int) *int {
	if r.text(name, "") == "" {
		return nil
	}
	n, ok := r.parseInt(name, 0)
	if ok && (n < int64(min) || n > 1000) {
		r.fail("%s=%d: out of range %d..1000", name, n, min)
	}
	d := int(n)
	return &d
}

// dayList is comma-separated non-negative integers; nil when unset.
func (r *reader) dayList(name string) []int {
	v := r.text(name, "")
	if v == "" {
		return nil
	}
	var out []int
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 {
			r.fail("%s=%q: comma-separated non-negative integers expected", name, v)
			return nil
		}
		out = append(out, n)
	}
	return out
}

func (r *reader) periods() Periods {
	p := Periods{
		// A period counts at least one day: the calendar refuses a
		// deadline of none, and a process that met one would stop at that
		// step. A quorum of no opinion would approve without the experts.
		ServiceDays:              r.days("LB_SERVICE_DAYS", 1),
		ReturnWaitDays:           r.days("LB_RETURN_WAIT_DAYS", 1),
		ExpertQuorum:             r.days("LB_EXPERT_QUORUM", 1),
		NoticeDays:               r.days("LB_NOTICE_DAYS", 1),
		ObjectionRulingDays:      r.days("LB_OBJECTION_RULING_DAYS", 1),
		EscalateEvery:            r.days("LB_ESCALATE_EVERY_DAYS", 0),
		EscalateMax:              r.days("LB_ESCALATE_MAX", 0),
		ReminderLeadDays:         r.dayList("LB_REMINDER_LEAD_DAYS"),
		EvaluationReportDays:     r.days("LB_EVALUATION_REPORT_DAYS", 1),
		EvaluationAssessmentDays: r.days("LB_EVALUATION_ASSESSMENT_DAYS", 1),
		InterviewDays:            r.days("LB_INTERVIEW_DAYS", 1),
		DecisionDays:             r.days("LB_DECISION_DAYS", 1),
		RenewalLeadDays:          r.days("LB_RENEWAL_LEAD_DAYS", 1),
		ReportTriageDays:         r.days("LB_REPORT_TRIAGE_DAYS", 1),
		HolderReminderDays:       r.dayList("LB_HOLDER_REMINDER_DAYS"),
	}
	switch v := r.text("LB_NOTICE_COUNTING", "publication_day"); v {
	case "publication_day", "next_day":
		p.NoticeFromPublication = v == "publication_day"
	default:
		r.fail("LB_NOTICE_COUNTING=%q: publication_day or next_day", v)
	}
	return p
}

func (r *reader) delivery() Delivery {
	var d Delivery
	if v := r.text("LB_WEBHOOKS", ""); v != "" {
		if err := json.Unmarshal([]byte(v), &d.Webhooks); err != nil {
			r.fail("LB_WEBHOOKS: not a JSON array of {name, url, secret, roles, counties}: %w", err)
		}
	}
	var recipients map[string][]string
	if v := r.text("LB_EMAIL_RECIPIENTS", ""); v != "" {
		if err := json.Unmarshal([]byte(v), &recipients); err != nil {
			r.fail(`LB_EMAIL_RECIPIENTS: not a JSON object like {"supervisor": ["a@example.org"]}: %w`, err)
		}
	}
	if addr := r.text("LB_SMTP_ADDR", ""); addr != "" {
		d.SMTP = &SMTP{Addr: addr, From: r.text("LB_SMTP_FROM", ""), User: r.text("LB_SMTP_USER", ""),
			Password: r.text("LB_SMTP_PASSWORD", ""), Recipients: recipients}
	} else if len(recipients) > 0 {
		r.fail("LB_EMAIL_RECIPIENTS is set but LB_SMTP_ADDR is not")
	}
	return d
}

// choiceFold is choice with the letters' case not counting (JSON, json).
func (r *reader) choiceFold(name string, allowed ...string) string {
	v := r.text(name, allowed[0])
	if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, v) }) {
		r.fail("%s=%q: one of %s", name, v, strings.Join(allowed, ", "))
	}
	return v
}

// choice is one of the values allowed; the first is the default.
func (r *reader) choice(name string, allowed ...string) string {
	v := r.text(name, allowed[0])
	if !slices.Contains(allowed, v) {
		r.fail("%s=%q: one of %s", name, v, strings.Join(allowed, ", "))
	}
	return v
}

// atLeast is a duration of at least min; 0 when unset.
func (r *reader) atLeast(name string, min time.Duration) time.Duration {
	d := r.duration(name)
	if d > 0 && d < min {
		r.fail("%s=%s: at least %s", name, d, min)
	}
	return d
}

func (r *reader) maintenance() Maintenance {
	return Maintenance{
		Every:                r.atLeast("LB_MAINTENANCE_EVERY", time.Minute),
		IdempotencyRetention: r.atLeast("LB_IDEMPOTENCY_RETENTION", 24*time.Hour),
		OutboxRetention:      r.atLeast("LB_OUTBOX_RETENTION", 96*time.Hour),
		SessionRetention:     r.atLeast("LB_SESSION_RETENTION", time.Hour),
	}
}

func (r *reader) temporalTLS() TemporalTLS {
	t := TemporalTLS{
		CertFile:   r.text("LB_TEMPORAL_TLS_CERT", ""),
		KeyFile:    r.text("LB_TEMPORAL_TLS_KEY", ""),
		CAFile:     r.text("LB_TEMPORAL_TLS_CA", ""),
		ServerName: r.text("LB_TEMPORAL_TLS_SERVER_NAME", ""),
	}
	switch v := r.text("LB_TEMPORAL_TLS", ""); v {
	case "", "false":
	case "true":
		t.Enabled = true
	default:
		r.fail("LB_TEMPORAL_TLS=%q: true or false", v)
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		r.fail("LB_TEMPORAL_TLS_CERT and LB_TEMPORAL_TLS_KEY: both or neither")
	}
	t.Enabled = t.Enabled || t.CertFile != "" || t.CAFile != "" || t.ServerName != ""
	return t
}

// totpKey reads LB_TOTP_KEY: unset, or at least 16 bytes.
func (r *reader) totpKey() string {
	k := r.text("LB_TOTP_KEY", "")
	if k != "" && len(k) < 16 {
		r.fail("LB_TOTP_KEY: at least 16 bytes")
	}
	return k
}
