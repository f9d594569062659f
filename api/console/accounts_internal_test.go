package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
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

// RULES §2 (the check-character override): the accounts page opens a
// holder's account under a USCC the city let through its check with a
// reason on record, and refuses any other code failing the check.
func TestAnAccountOpensUnderACodeTheCityOverrode(t *testing.T) {
	gin.SetMode(gin.TestMode)
	st := testenv.Store(t)
	ctx := t.Context()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	failing := func(prefix string) string {
		c, _ := uscc.CheckCharacter(prefix)
		if c == '0' {
			return prefix + "1"
		}
		return prefix + "0"
	}
	overridden, other := failing("51530181MJ0000002"), failing("51530181MJ0000003")
	if err := st.CreateApplication(ctx, store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: overridden,
		USCCOverrideReason: "营业执照所载代码校验位与国家标准不符，已核对原件", OnBehalf: true,
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: "city", SubmittedRole: "city_officer"}); err != nil {
		t.Fatal(err)
	}
	cs := New(st, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	open := func(username, code string) (int, string) {
		return createAsAdmin(cs, url.Values{"username": {username}, "role": {"applicant"}, "uscc": {code}, "password": {"Spring-City-2026"}})
	}
	if status, body := open("rose", strings.ToLower(overridden)); status != http.StatusSeeOther {
		t.Fatalf("an account under the overridden code: %d\n%.600s", status, body)
	}
	if a, err := st.AccountByUsername(ctx, "rose"); err != nil || a.USCC != overridden {
		t.Errorf("the account: %+v %v, want it bound to %s", a, err, overridden)
	}
	if status, body := open("other", other); status != http.StatusUnprocessableEntity || !strings.Contains(body, "须填写有效的统一社会信用代码") {
		t.Errorf("an account under a code no application overrode: %d, want 422 naming the code\n%.600s", status, body)
	}
	// A valid code typed full width and in lower case is kept as the
	// library keeps it, or none of its holder's records would be its own.
	if status, body := open("lotus", "５１５３０１８１mj0000001u"); status != http.StatusSeeOther {
		t.Fatalf("an account under a full-width code: %d\n%.600s", status, body)
	}
	if a, err := st.AccountByUsername(ctx, "lotus"); err != nil || a.USCC != "51530181MJ0000001U" {
		t.Errorf("the account: %+v %v, want it bound to 51530181MJ0000001U", a, err)
	}
}

// Hostile input (API.md: bad input is a 4xx on its field, never a 500): an
// admin's new account refuses a name the console's paths could not carry
// (a "/" would route the account's own forms elsewhere), and fields that
// are not text, before any reaches PostgreSQL.
func TestANewAccountRefusesNamesAndFieldsThatAreNotPlainText(t *testing.T) {
	gin.SetMode(gin.TestMode)
	st := testenv.Store(t)
	cs := New(st, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	for _, tc := range []struct{ field, username, role, uscc, expert string }{
		{"username", "an/ning", "city_officer", "", ""},
		{"username", "ab", "city_officer", "", ""},
		{"username", "安宁市人社局", "city_officer", "", ""},
		{"uscc", "rose", "applicant", "51530181MJ\x000001U", ""},
		{"expert", "exp01", "expert", "", "EXP\xff01"},
	} {
		status, body := createAsAdmin(cs, url.Values{"username": {tc.username}, "role": {tc.role}, "uscc": {tc.uscc}, "expert_id": {tc.expert},
			"password": {"Spring-City-2026"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="n-`+tc.field+`-error"`) {
			t.Errorf("%s %q / %q / %q: %d, want 422 on %s\n%.300s", tc.role, tc.username, tc.uscc, tc.expert, status, tc.field, body)
		}
	}
}

// createAsAdmin sends the accounts page's new-account form as an admin
// signed in, and returns the answer's status and body.
func createAsAdmin(cs *Console, form url.Values) (int, string) {
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/accounts", strings.NewReader(form.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.Set(sessionKey, &store.Session{Stage: "done", Account: store.Account{Username: "root", Role: "admin"}})
	cs.createAccount(c)
	return c.Writer.Status(), w.Body.String() // a redirect's status is not flushed to the recorder
}
