package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// admissionPolicy reads RULES §3's configurable periods from LB_* settings.
// New applications start with it; running ones keep the policy they began with.
func admissionPolicy() (workflows.AdmissionPolicy, error) {
	p := workflows.DefaultAdmissionPolicy
	ints := []struct {
		name string
		dst  *int
	}{
		{"LB_SERVICE_DAYS", &p.ServiceDays},
		{"LB_RETURN_WAIT_DAYS", &p.ReturnWaitDays},
		{"LB_EXPERT_QUORUM", &p.ExpertQuorum},
		{"LB_NOTICE_DAYS", &p.NoticeDays},
		{"LB_OBJECTION_RULING_DAYS", &p.ObjectionRulingDays},
		{"LB_ESCALATE_EVERY_DAYS", &p.Alerts.EscalateEvery},
		{"LB_ESCALATE_MAX", &p.Alerts.EscalateMax},
	}
	for _, f := range ints {
		n, err := envInt(f.name, int64(*f.dst))
		if err != nil {
			return p, err
		}
		if n < 0 || n > 1000 {
			return p, fmt.Errorf("%s=%d: out of range 0..1000", f.name, n)
		}
		*f.dst = int(n)
	}
	switch v := env("LB_NOTICE_COUNTING", "publication_day"); v {
	case "publication_day":
		p.NoticeFromPublication = true
	case "next_day":
		p.NoticeFromPublication = false
	default:
		return p, fmt.Errorf("LB_NOTICE_COUNTING=%q: publication_day or next_day", v)
	}
	if v := env("LB_REMINDER_LEAD_DAYS", ""); v != "" {
		lead, err := parseInts(v)
		if err != nil {
			return p, fmt.Errorf("LB_REMINDER_LEAD_DAYS=%q: %w", v, err)
		}
		p.Alerts.LeadDays = lead
	}
	return p, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("comma-separated non-negative integers expected")
		}
		out = append(out, n)
	}
	return out, nil
}

// brandPolicy reads RULES §4's configurable periods; officer reminders and
// escalations follow the same LB_* settings as admission's.
func brandPolicy(admission workflows.AdmissionPolicy) (workflows.BrandPolicy, error) {
	p := workflows.DefaultBrandPolicy
	p.Alerts = admission.Alerts
	ints := []struct {
		name string
		dst  *int
	}{
		{"LB_EVALUATION_REPORT_DAYS", &p.ReportDays},
		{"LB_EVALUATION_ASSESSMENT_DAYS", &p.AssessmentDays},
		{"LB_INTERVIEW_DAYS", &p.InterviewDays},
		{"LB_DECISION_DAYS", &p.DecisionDays},
		{"LB_RENEWAL_LEAD_DAYS", &p.RenewalLeadDays},
	}
	for _, f := range ints {
		n, err := envInt(f.name, int64(*f.dst))
		if err != nil {
			return p, err
		}
		if n < 1 || n > 1000 {
			return p, fmt.Errorf("%s=%d: out of range 1..1000", f.name, n)
		}
		*f.dst = int(n)
	}
	if v := env("LB_HOLDER_REMINDER_DAYS", ""); v != "" {
		lead, err := parseInts(v)
		if err != nil {
			return p, fmt.Errorf("LB_HOLDER_REMINDER_DAYS=%q: %w", v, err)
		}
		p.HolderAlerts.LeadDays = lead
	}
	return p, nil
}
