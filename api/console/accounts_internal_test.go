package console

import (
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §6 (a USCC self-registered by another): the admin who opens a
// holder's account at its request is told which other active accounts hold
// the same USCC — a stranger may have self-registered it first — and told
// nothing when none does, or for an officer's account.
func TestOpeningAHoldersAccountNamesOthersOnItsUSCC(t *testing.T) {
	const code = "91530181MA6K0009XD"
	accounts := []store.Account{
		{Username: "squatter", Role: "applicant", USCC: code},
		{Username: "stopped", Role: "applicant", USCC: code, Disabled: true},
		{Username: "lotus-office", Role: "applicant", USCC: code},
		{Username: "rose", Role: "applicant", USCC: "51530181MJ0000002U"},
		{Username: "anning", Role: "county_officer", County: "530181"},
	}
	got := sameUSCCNotice(accounts, "lotus-office")
	if !strings.Contains(got, "统一社会信用代码 "+code+" 下另有账户：squatter。") || strings.Contains(got, "stopped") || strings.Contains(got, "rose") {
		t.Errorf("notice %q, want squatter named alone", got)
	}
	if got := sameUSCCNotice(accounts, "rose"); got != "" {
		t.Errorf("a USCC held by one account: %q", got)
	}
	if got := sameUSCCNotice(accounts, "anning"); got != "" {
		t.Errorf("an officer's account: %q", got)
	}
}
