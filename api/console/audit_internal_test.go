package console

import (
	"regexp"
	"testing"
)

// What a person sees is Chinese (the brief's People): the audit page names
// each kind of row the system writes — account and registration changes,
// imports, exports, revocations, and a process's steps under their
// object's kind — never by its code.
func TestTheAuditPageNamesEveryActionInChinese(t *testing.T) {
	code := regexp.MustCompile(`^[a-z0-9_.-]+$`)
	for _, action := range []string{"account.password_reset", "account.register", "account.confirmation_sent", "account.confirm",
		"account.registration_lapsed", "account.uscc_moved", "account.uscc_unbound", "application.submit", "application.attach",
		"round.create", "review_unit.saved", "import.brands", "import.brands_refused", "export.applications", "export.brands", "export.tasks",
		"export.statistics", "export.yearly-report", "expert.create", "expert.update", "token.revoke",
		"calendar.county_off_day_removed", "brand.finding.level1", "brand.admitted", "application.submitted",
		"application.detach", "application.signed_form", "brand.signed_form"} {
		if l := auditActionLabel(action); code.MatchString(l) {
			t.Errorf("%s is shown as %q", action, l)
		}
	}
	if l := auditObjectLabel("token_subject"); l != "访问令牌" {
		t.Errorf("token_subject is shown as %q", l)
	}
}
