package main

import (
	"cmp"
	"fmt"
	"log/slog"
	"os"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/internal/platform/email"
	"github.com/kunming-hrss/laborbrand/worker"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The settings main reads once (config.Load), handed to each part in the
// shape it takes.

// newLogger writes structured logs to stderr.
func newLogger(cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// taskQueue is where the worker polls and new workflows start.
func taskQueue(cfg config.Config) string { return cmp.Or(cfg.TaskQueue, workflows.TaskQueue) }

// maintenance is the worker's maintenance schedule: the defaults, with what
// the settings change.
func maintenance(cfg config.Config) worker.Maintenance {
	m := worker.DefaultMaintenance
	m.TaskQueue = taskQueue(cfg)
	c := cfg.Maintenance
	m.Every = cmp.Or(c.Every, m.Every)
	m.Input.IdempotencyRetention = cmp.Or(c.IdempotencyRetention, m.Input.IdempotencyRetention)
	m.Input.OutboxRetention = cmp.Or(c.OutboxRetention, m.Input.OutboxRetention)
	m.Input.SessionRetention = cmp.Or(c.SessionRetention, m.Input.SessionRetention)
	return m
}

// apiConfig is the API's share of the settings.
func apiConfig(cfg config.Config) api.Config {
	c := api.DefaultConfig
	c.MaxBodyBytes = cmp.Or(cfg.MaxBodyBytes, c.MaxBodyBytes)
	c.SpoolBytes = cfg.SpoolBytes
	c.TemporalTimeout = cmp.Or(cfg.TemporalTimeout, c.TemporalTimeout)
	c.PublicBaseURL = cmp.Or(cfg.PublicURL, c.PublicBaseURL)
	c.TokenMaxTTL = cfg.TokenMaxTTL
	c.MetricsToken = cfg.MetricsToken
	c.PDFFont, c.PDFLatinFont = cfg.PDFFont, cfg.PDFLatinFont
	c.Public = publicLimits(cfg)
	c.TaskQueue = taskQueue(cfg)
	c.Admission = admissionPolicy(cfg.Periods)
	c.Brand = brandPolicy(cfg.Periods, c.Admission)
	return c
}

// consoleConfig is the console's share of the settings: its defaults, with
// what the settings change.
func consoleConfig(cfg config.Config) console.Config {
	c := console.DefaultConfig
	s := cfg.Console
	c.SecureCookies = s.SecureCookies
	c.IdleTimeout = cmp.Or(s.SessionIdle, c.IdleTimeout)
	c.MaxLifetime = cmp.Or(s.SessionMax, c.MaxLifetime)
	c.LockAfter = cmp.Or(int(s.LockAfter), c.LockAfter)
	c.LockFor = cmp.Or(s.LockFor, c.LockFor)
	c.TemporalUI = cmp.Or(s.TemporalUIURL, c.TemporalUI)
	c.TemporalNamespace = cmp.Or(cfg.Namespace, c.TemporalNamespace)
	if r := s.LoginLimit; r != nil {
		c.LoginLimit = api.Rate(*r)
	}
	if r := s.RegisterLimit; r != nil {
		c.RegisterLimit = api.Rate(*r)
	}
	c.TOTPKey = []byte(s.TOTPKey)
	c.PublicURL = cmp.Or(cfg.PublicURL, c.PublicURL)
	if m := cfg.Delivery.SMTP; m != nil {
		// The relay the worker delivers by also mails holders' confirmations.
		c.Mail = &email.Relay{Addr: m.Addr, From: m.From, Username: m.User, Password: m.Password}
	}
	return c
}

// publicLimits are the public POSTs' limits: the API's defaults, with what
// the settings change.
func publicLimits(cfg config.Config) api.PublicLimits {
	l := api.DefaultPublicLimits
	if r := cfg.PublicClientLimit; r != nil {
		l.PerClient = api.Rate(*r)
	}
	if r := cfg.PublicTargetLimit; r != nil {
		l.PerTarget = api.Rate(*r)
	}
	if w := cfg.PublicDuplicateWindow; w != nil { // 0: merging off
		l.DuplicateWindow = *w
	}
	l.TrustedProxies = cfg.TrustedProxies
	return l
}

// admissionPolicy is RULES §3's periods: the process defaults, with what
// the settings change. New applications start with it; running ones keep
// the policy they began with.
func admissionPolicy(p config.Periods) workflows.AdmissionPolicy {
	a := workflows.DefaultAdmissionPolicy
	set(&a.ServiceDays, p.ServiceDays)
	set(&a.ReturnWaitDays, p.ReturnWaitDays)
	set(&a.ExpertQuorum, p.ExpertQuorum)
	set(&a.NoticeDays, p.NoticeDays)
	set(&a.ObjectionRulingDays, p.ObjectionRulingDays)
	set(&a.Alerts.EscalateEvery, p.EscalateEvery)
	set(&a.Alerts.EscalateMax, p.EscalateMax)
	a.NoticeFromPublication = p.NoticeFromPublication
	if p.ReminderLeadDays != nil {
		a.Alerts.LeadDays = p.ReminderLeadDays
	}
	return a
}

// brandPolicy is RULES §4's periods; officer reminders and escalations
// follow admission's.
func brandPolicy(p config.Periods, admission workflows.AdmissionPolicy) workflows.BrandPolicy {
	b := workflows.DefaultBrandPolicy
	b.Alerts = admission.Alerts
	set(&b.ReportDays, p.EvaluationReportDays)
	set(&b.AssessmentDays, p.EvaluationAssessmentDays)
	set(&b.InterviewDays, p.InterviewDays)
	set(&b.DecisionDays, p.DecisionDays)
	set(&b.RenewalLeadDays, p.RenewalLeadDays)
	set(&b.ReportTriageDays, p.ReportTriageDays)
	if p.HolderReminderDays != nil {
		b.HolderAlerts.LeadDays = p.HolderReminderDays
	}
	return b
}

// set replaces *dst with the setting v, when set.
func set(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

// channels is where the worker delivers outbox messages.
func channels(cfg config.Config) (activities.Channels, error) {
	c := activities.Channels{PublicURL: cmp.Or(cfg.PublicURL, api.DefaultConfig.PublicBaseURL)}
	for _, w := range cfg.Delivery.Webhooks {
		c.Webhooks = append(c.Webhooks, activities.Webhook(w))
	}
	if s := cfg.Delivery.SMTP; s != nil {
		c.SMTP = &activities.SMTP{Addr: s.Addr, From: s.From, Username: s.User, Password: s.Password, Recipients: s.Recipients}
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("delivery channels (LB_WEBHOOKS, LB_SMTP_*, LB_EMAIL_RECIPIENTS): %w", err)
	}
	return c, nil
}
