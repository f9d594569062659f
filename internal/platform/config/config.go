// Package config is laborbrand's settings: every environment variable the
// programs and their tests read is named, defaulted and explained here, and
// read here only — once, at start-up, by Load. A program passes each part of
// the Config to what needs it; no other package reads the environment.
package config

import (
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"
)

// DefaultTemporalAddress is the Temporal frontend of `laborbrand worker` and
// `laborbrand api` when TEMPORAL_ADDRESS is unset.
const DefaultTemporalAddress = "127.0.0.1:7233"

// Config is every setting, as the environment gives it. A variable set to
// the empty string counts as unset. Where a field's comment says "unset:"
// followed by a package's default, the zero value means "not set here" and
// the package that uses the setting applies its own default.
type Config struct {
	// DatabaseURL, DATABASE_URL: the PostgreSQL URL. Unset: `laborbrand
	// dev` and the tests start a private cluster; worker, api, migrate and
	// audit verify refuse to start; calendar uses the embedded schedules.
	DatabaseURL string
	// TemporalAddress, TEMPORAL_ADDRESS: the Temporal frontend, host:port.
	// Unset: `laborbrand dev` and the tests start a dev server of their own;
	// worker and api use DefaultTemporalAddress.
	TemporalAddress string
	// Namespace, LB_TEMPORAL_NAMESPACE (default "default"): the Temporal
	// namespace.
	Namespace string
	// TaskQueue, LB_TASK_QUEUE: the task queue of the worker and of new
	// workflows. Unset: workflows.TaskQueue.
	TaskQueue string
	// TemporalCLI, LB_TEMPORAL_CLI: the temporal binary `laborbrand dev` and
	// the tests run. Unset: looked for in PATH, $GOBIN and $GOPATH/bin, and
	// installed with `go install` when missing.
	TemporalCLI string
	// TemporalTimeout, LB_TEMPORAL_TIMEOUT (a duration, e.g. 10s): the
	// bound on every call of the API into Temporal; an Update no worker
	// answers in time is a 503. The worker's starter waits that long plus
	// 5 s before starting a stored submission's process itself. Unset:
	// api.DefaultConfig's 10 s.
	TemporalTimeout time.Duration
	// TemporalGzip, LB_TEMPORAL_COMPRESSION ("none", the default, or
	// "gzip"): whether the worker and the API compress their requests to
	// Temporal, as the SDK does unless told not to. Worth it over a slow
	// link; inside one data centre it spends CPU on both ends of every call
	// for nothing (docs/PERFORMANCE.md § gRPC compression).
	TemporalGzip bool

	// DataDir, LB_DATA_DIR (default "./.laborbrand"): the dev data dir, and
	// where `laborbrand token` and the measuring tools find the generated
	// signing secret.
	DataDir string
	// HTTPAddr, LB_HTTP_ADDR (default "127.0.0.1:8080"): the API's listen
	// address.
	HTTPAddr string
	// WorkerHTTPAddr, LB_WORKER_HTTP_ADDR (default none): where `laborbrand
	// worker` serves /metrics (the Temporal SDK's and the backlog of owed
	// work) and /healthz. Empty: it serves nothing.
	WorkerHTTPAddr string
	// MetricsToken, LB_METRICS_TOKEN (default none): when set, /metrics
	// (the API's and the worker's) answers only a request bearing it
	// (Authorization: Bearer …); others get a 401. Unset: /metrics is
	// open, for a deployment whose front routes it nowhere public.
	MetricsToken string
	// JWTSecret, LB_JWT_SECRET: the HS256 signing secret of the bearer
	// tokens, at least 32 characters. Unset: the one `laborbrand dev`
	// generates once into the data dir (production must set it).
	JWTSecret string
	// TokenMaxTTL, LB_TOKEN_MAX_TTL (a duration, e.g. 720h): the longest a
	// bearer token may be valid, exp − iat; a longer one is a 401, and
	// `laborbrand token --ttl` refuses it. Unset: auth.DefaultMaxTTL's 30
	// days.
	TokenMaxTTL time.Duration
	// MaxBodyBytes, LB_MAX_BODY_BYTES: the largest JSON request body (413
	// beyond); uploads have larger limits of their own. Unset:
	// api.DefaultConfig's 1048576.
	MaxBodyBytes int64
	// SpoolBytes, LB_SPOOL_BYTES: how many bytes large request bodies (the
	// uploads) may hold in the API's temporary directory at once; an upload
	// that would pass it is answered 503 until others are through. Unset:
	// api.DefaultSpoolBytes' 3 GiB, for a /tmp of 4 GiB.
	SpoolBytes int64
	// PublicClientLimit, LB_PUBLIC_CLIENT_LIMIT ("N/duration", e.g.
	// 10/1h): objections and reports one client address may file, in a
	// burst of N refilled over the duration; beyond, 429. Unset:
	// api.DefaultPublicLimits' 10/1h.
	PublicClientLimit *Rate
	// PublicTargetLimit, LB_PUBLIC_TARGET_LIMIT ("N/duration"): objections
	// one application, or reports one brand, may receive. Unset: 300/1h.
	PublicTargetLimit *Rate
	// PublicDuplicateWindow, LB_PUBLIC_DUPLICATE_WINDOW (a duration): how
	// long the API remembers a public filing's content, merging the same
	// content for the same target on its day into the first filing; 0
	// turns merging off. Unset (nil): 24h.
	PublicDuplicateWindow *time.Duration
	// TrustedProxies, LB_TRUSTED_PROXIES (comma-separated IPs or CIDRs):
	// the reverse proxies whose X-Forwarded-For names the client of a
	// request; from any other address the header is ignored. Unset: none.
	TrustedProxies []string
	// PublicURL, LB_PUBLIC_URL: the base of links in messages, emails and
	// feeds. Unset: api.DefaultConfig's http://127.0.0.1:8080.
	PublicURL string
	// PDFFont, LB_PDF_FONT: the CJK TrueType font the printed documents
	// embed (a subset). Unset: paper.DefaultCJKFont, from the Debian
	// package fonts-droid-fallback.
	PDFFont string
	// PDFLatinFont, LB_PDF_LATIN_FONT: the TrueType font of their Latin
	// letters and digits, which the CJK font lacks. Unset:
	// paper.DefaultLatinFont (fonts-dejavu-core).
	PDFLatinFont string
	// TimeScale, LB_TIME_SCALE (default 1): must be 1 outside `laborbrand
	// dev`, whose --time-scale runs business time faster.
	TimeScale int64
	// LogLevel, LB_LOG_LEVEL (default info): debug, info, warn or error;
	// anything else is refused at start-up.
	LogLevel slog.Level
	// LogJSON, LB_LOG_FORMAT (default text): "json" writes logs as JSON
	// for machines, anything else as text.
	LogJSON bool

	// Console is the web console's sign-in and session settings.
	Console Console

	// Periods are the processes' periods.
	Periods Periods
	// Delivery is where the worker delivers outbox messages.
	Delivery Delivery
	// Maintenance is how long kept rows live and how often the worker's
	// maintenance schedule prunes them.
	Maintenance Maintenance
	// WorkflowCacheSize, LB_WORKFLOW_CACHE_SIZE: how many workflows a worker
	// keeps in memory between their tasks (~90 KiB an open brand,
	// docs/PERFORMANCE.md); one evicted replays its history at its next task.
	// Unset: the Temporal SDK's 10,000.
	WorkflowCacheSize int
	// TemporalTLS is how the worker and the API reach a Temporal frontend
	// over TLS.
	TemporalTLS TemporalTLS

	// FaultLogs, LB_FAULT_LOGS: the fault runs (internal/dev/faults) show
	// the end of every process's log even when they pass.
	FaultLogs bool
}

// Console holds the web console's settings (等保 2.0 身份鉴别). A zero
// field is unset: console.DefaultConfig applies.
type Console struct {
	// SecureCookies, LB_CONSOLE_SECURE_COOKIES (true/false; default true
	// when LB_PUBLIC_URL is https, else false): cookies are Secure even on
	// plain HTTP, as behind a proxy that terminates TLS. Over TLS they are
	// Secure anyway.
	SecureCookies bool
	// SessionIdle, LB_SESSION_IDLE (a duration; 30m): a session unused
	// this long ends.
	SessionIdle time.Duration
	// SessionMax, LB_SESSION_MAX (a duration; 12h): any session ends this
	// long after its sign-in.
	SessionMax time.Duration
	// LockAfter, LB_LOGIN_LOCK_AFTER (5): failed sign-ins in a row that
	// lock an account.
	LockAfter int64
	// LockFor, LB_LOGIN_LOCK_FOR (a duration; 15m): how long it stays locked.
	LockFor time.Duration
	// LoginLimit, LB_LOGIN_LIMIT ("N/duration"; 30/10m): sign-in attempts
	// one client address may make.
	LoginLimit *Rate
	// RegisterLimit, LB_REGISTER_LIMIT ("N/duration"; 10/1h): holders'
	// self-registrations one client address may make.
	RegisterLimit *Rate
	// TemporalUIURL, LB_TEMPORAL_UI_URL (default http://127.0.0.1:8233):
	// the Temporal UI a supervisor's pages link each process to.
	TemporalUIURL string
	// TOTPKey, LB_TOTP_KEY (at least 16 bytes): seals the TOTP secrets kept
	// in the database; unset, a key derived from LB_JWT_SECRET does, and
	// changing that secret then means enrolling TOTP again.
	TOTPKey string
}

// Rate is N requests per Per.
type Rate struct {
	N   int
	Per time.Duration
}

// Periods are the configurable periods of the processes (docs/RULES.md), in
// working days unless named otherwise. New processes start with them;
// running ones keep the policy they began with, which keeps their history
// replayable. A nil field is unset: the process default applies
// (workflows.DefaultAdmissionPolicy, workflows.DefaultBrandPolicy).
type Periods struct {
	// Admission (RULES §3); each 0..1000.
	ServiceDays         *int // LB_SERVICE_DAYS (20): the 初审 and 复审 service deadline
	ReturnWaitDays      *int // LB_RETURN_WAIT_DAYS (20): the wait for a returned application's resubmission
	ExpertQuorum        *int // LB_EXPERT_QUORUM (3): expert opinions needed before a 复审 approval
	NoticeDays          *int // LB_NOTICE_DAYS (5): the public notice (第十三条)
	ObjectionRulingDays *int // LB_OBJECTION_RULING_DAYS (10): the ruling on an objection, after its receipt
	EscalateEvery       *int // LB_ESCALATE_EVERY_DAYS (5): between escalations after a missed officer deadline
	EscalateMax         *int // LB_ESCALATE_MAX (3): escalations after a missed officer deadline, at most
	// NoticeFromPublication, LB_NOTICE_COUNTING (default publication_day):
	// "publication_day" counts the day of publication as day 1 when it is
	// a working day (true), "next_day" starts the next day (false).
	NoticeFromPublication bool
	// ReminderLeadDays, LB_REMINDER_LEAD_DAYS (3,1,0): reminders to
	// officers, working days before their deadlines (both processes).
	ReminderLeadDays []int

	// Brand management (RULES §4); each 1..1000.
	EvaluationReportDays     *int // LB_EVALUATION_REPORT_DAYS (20): the holder's evaluation report, after the window opens
	EvaluationAssessmentDays *int // LB_EVALUATION_ASSESSMENT_DAYS (20): the city's assessment, and each change opinion
	InterviewDays            *int // LB_INTERVIEW_DAYS (10): recording the interview, after the escalation to level 2
	DecisionDays             *int // LB_DECISION_DAYS (10): a suspension or removal decision, after the proposal
	RenewalLeadDays          *int // LB_RENEWAL_LEAD_DAYS (20): a renewal decision, before the suspension ends
	ReportTriageDays         *int // LB_REPORT_TRIAGE_DAYS (20): the county's triage of a report (举报), after its receipt
	// HolderReminderDays, LB_HOLDER_REMINDER_DAYS (5,1): reminders before
	// the holder's development report is due, in working days.
	HolderReminderDays []int
}

// Delivery is where the worker delivers outbox messages besides the inbox.
type Delivery struct {
	// Webhooks, LB_WEBHOOKS: a JSON array of webhooks; each receives the
	// messages whose audience is in its roles and whose county is in its
	// counties (empty: all), signed with its secret. Unset: none.
	Webhooks []Webhook
	// SMTP, LB_SMTP_*: the email relay; nil (LB_SMTP_ADDR unset): no email.
	SMTP *SMTP
}

// Maintenance is what the worker's maintenance schedule prunes, and how
// often (README, "Nothing grows without bound"). A zero field is unset: the
// worker applies its own default (worker.DefaultMaintenance).
type Maintenance struct {
	// Every, LB_MAINTENANCE_EVERY (a duration, default 1h): how often the
	// Temporal schedule runs the maintenance workflow.
	Every time.Duration
	// IdempotencyRetention, LB_IDEMPOTENCY_RETENTION (default 168h, at least
	// 24h, which API.md promises): how long an Idempotency-Key and its answer
	// are kept.
	IdempotencyRetention time.Duration
	// OutboxRetention, LB_OUTBOX_RETENTION (default 8760h, at least 96h):
	// how long a delivered outbox message stays in the inbox. At least the
	// 72 h a delivery is retried, and a day more.
	OutboxRetention time.Duration
	// SessionRetention, LB_SESSION_RETENTION (default 720h, at least 1h): how
	// long a closed console session is kept.
	SessionRetention time.Duration
}

// TemporalTLS is the client side of TLS to the Temporal frontend. Unset
// (Enabled false): plain TCP, as the dev server speaks.
type TemporalTLS struct {
	// Enabled, LB_TEMPORAL_TLS ("true"; implied by any of the files):
	// dial the frontend over TLS, trusting the system's roots unless CAFile
	// is set.
	Enabled bool
	// CertFile, KeyFile, LB_TEMPORAL_TLS_CERT and LB_TEMPORAL_TLS_KEY (PEM
	// files, both or neither): the client certificate for a frontend that
	// requires one (mutual TLS, requireClientAuth).
	CertFile, KeyFile string
	// CAFile, LB_TEMPORAL_TLS_CA (a PEM file): the CA the frontend's
	// certificate must chain to, instead of the system's roots.
	CAFile string
	// ServerName, LB_TEMPORAL_TLS_SERVER_NAME: the name the frontend's
	// certificate must carry, when it is not the host of TEMPORAL_ADDRESS.
	ServerName string
}

// Webhook is one element of LB_WEBHOOKS.
type Webhook struct {
	Name     string   `json:"name"` // unique
	URL      string   `json:"url"`
	Secret   string   `json:"secret"`
	Roles    []string `json:"roles,omitempty"`
	Counties []string `json:"counties,omitempty"`
}

// SMTP is the email relay.
type SMTP struct {
	Addr     string // LB_SMTP_ADDR: host:port; STARTTLS when the relay offers it
	From     string // LB_SMTP_FROM: the sender, e.g. 劳务品牌 <noreply@example.gov.cn>; required with LB_SMTP_ADDR
	User     string // LB_SMTP_USER: PLAIN auth when the relay needs it
	Password string // LB_SMTP_PASSWORD
	// Recipients, LB_EMAIL_RECIPIENTS: a JSON object from "role" or
	// "role:county" to addresses, e.g. {"supervisor": ["a@example.gov.cn"],
	// "county_officer:530181": ["b@example.gov.cn"]}. Set only with
	// LB_SMTP_ADDR.
	Recipients map[string][]string
}

// Load reads the Config from the process's environment.
func Load() (Config, error) { return Parse(os.LookupEnv) }

// Without returns environ (KEY=value entries, as os.Environ gives them)
// without the settings of this package — DATABASE_URL, TEMPORAL_ADDRESS and
// every LB_ variable — except those named in keep: the environment of a
// child laborbrand that must not be pointed elsewhere by the caller's.
func Without(environ []string, keep ...string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		ours := name == "DATABASE_URL" || name == "TEMPORAL_ADDRESS" || strings.HasPrefix(name, "LB_")
		if !ours || slices.Contains(keep, name) {
			out = append(out, kv)
		}
	}
	return out
}
