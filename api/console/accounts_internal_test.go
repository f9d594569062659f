package console

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
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

// An admin never changes their own account from the console — not even by
// typing their own name in other letters' case, which names the same
// account (RULES §6).
func TestAnAdminCannotChangeTheirOwnAccountByItsNameInAnotherCase(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(testenv.DownStore(t), []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/accounts/ROOT/disable", nil)
	c.Params = gin.Params{{Key: "username", Value: "ROOT"}, {Key: "change", Value: "disable"}}
	c.Set(sessionKey, &store.Session{Stage: "done", Account: store.Account{Username: "root", Role: "admin"}})
	cs.changeAccountPage(c)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "不能在此变更自己的账户") {
		t.Errorf("disabling ROOT as root: %d\n%.400s", w.Code, w.Body.String())
	}
}
