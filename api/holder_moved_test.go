package api_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// 附件2, RULES §4: an approved change of the holder's USCC moves the
// holder's console accounts and its registration with the brand (audited
// as account.uscc_moved): the holder signs in as before and reaches its
// brand, where it used to be shut out of it by the code it no longer has.
func TestDecision_AnApprovedUSCCChangeTakesTheHoldersAccountsAlong(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	ctx := context.Background()
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	oldUSCC, newUSCC := "91530126MA6K00001Q", demo.USCC("9153012600000077")
	by := store.AccountChange{At: time.Now(), Actor: "test", Role: "admin"}
	if _, err := s.Store.CreateAccount(ctx, store.Account{Username: "embroidery-clerk", Role: "applicant", USCC: oldUSCC, PasswordHash: "x"}, by); err != nil {
		t.Fatal(err)
	}
	// A message the holder had before the change (its open order's last
	// day, say) stays in its 消息.
	if _, err := s.Store.EnqueueReturning(ctx, store.Message{DedupeKey: "test:earlier", Kind: "decision", Audience: "applicant",
		County: "530126", USCC: oldUSCC, ObjectType: "brand", ObjectID: embroidery, Title: "【限期整改】此前的消息", Body: "此前的消息",
		CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/brands/" + embroidery
	cid := expect(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": newUSCC},
		"reason": "公司改制，统一社会信用代码变更"}), 201, "change")["id"].(string)
	expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county")
	expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "city")

	acct, err := s.Store.AccountByUsername(ctx, "embroidery-clerk")
	if err != nil || acct.USCC != newUSCC {
		t.Fatalf("the holder's account after the change: %+v %v, want USCC %s", acct, err, newUSCC)
	}
	moved := stacktest.Token(t, auth.Principal{Sub: "embroidery-clerk", Role: auth.Applicant, USCC: acct.USCC})
	if v := expect(t, s.Do("GET", path, moved, nil), 200, "the brand, read by the moved account"); v["id"] != embroidery {
		t.Errorf("brand %v, want %s", v["id"], embroidery)
	}
	// Its application and 附件1 stay its own: they were the holder's by
	// the code it had, and are its brand's.
	var appID string
	if err := s.Store.Pool().QueryRow(ctx, `SELECT application_id FROM brands WHERE id = $1`, embroidery).Scan(&appID); err != nil {
		t.Fatal(err)
	}
	expect(t, s.Do("GET", "/api/v1/applications/"+appID, moved, nil), 200, "the brand's application, read by the moved account")
	if pdf := s.Do("GET", "/api/v1/applications/"+appID+"/form.pdf", moved, nil); pdf.Status != 200 {
		t.Errorf("the brand's 附件1, printed by the moved account: %d %s", pdf.Status, pdf.Body)
	}
	if items := expect(t, s.Do("GET", "/api/v1/holder/applications", moved, nil), 200, "the moved account's applications")["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != appID {
		t.Errorf("the moved account's applications %v; want the brand's %s", items, appID)
	}
	errorOf(t, s.Do("GET", "/api/v1/applications/"+appID, a.embroidery, nil), 403, "the old code's token")
	var audited int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'account.uscc_moved' AND object_id = 'embroidery-clerk'`).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("account.uscc_moved audited %d times (%v), want once", audited, err)
	}
	// The approval is told to the holder under its new code, and what it
	// was told before is still there.
	var titles []string
	for _, m := range expect(t, s.Do("GET", "/api/v1/inbox", moved, nil), 200, "the moved account's 消息")["items"].([]any) {
		titles = append(titles, m.(map[string]any)["title"].(string))
	}
	for _, want := range []string{"【变更登记】石林撒尼刺绣：变更已核准", "【限期整改】此前的消息"} {
		if !slices.Contains(titles, want) {
			t.Errorf("the moved account's 消息 %q lack %q", titles, want)
		}
	}
}

// RULES §3, one brand per holder and one name, one brand: a change of
// holder or name is refused (409 naming changes.uscc or changes.brand_name)
// when another brand in the library, or an open application, holds the new
// USCC or name — when the holder asks, and again when an officer agrees,
// since either may have been taken in between. A refusal of the change is
// still taken.
func TestRULES3_AChangeToAHolderOrNameTakenIsRefusedWhenAskedAndWhenAgreed(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	ctx := context.Background()
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	path := "/api/v1/brands/" + embroidery
	other := seedBrand(t, s, demo.Rose().With("brand_name", "晋宁花卉园丁", "uscc", demo.USCC("5153011500000011")), "2025-06-20")

	e := errorOf(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": other.USCC},
		"reason": "公司改制"}), 409, "a USCC another brand holds")
	if got := failingFields(e); !slices.Equal(got, []string{"changes.uscc"}) || e["details"].(map[string]any)["brand_id"] != other.BrandID {
		t.Errorf("fields %v details %v, want changes.uscc and brand %s", got, e["details"], other.BrandID)
	}
	e = errorOf(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"brand_name": "晋宁 花卉园丁"},
		"reason": "品牌整合"}), 409, "a name another brand holds, typed otherwise")
	if got := failingFields(e); !slices.Equal(got, []string{"changes.brand_name"}) {
		t.Errorf("fields %v, want changes.brand_name", got)
	}

	// Free when asked, taken before the city agrees.
	freeUSCC, freeName := demo.USCC("9153012600000088"), "石林彝绣工坊"
	cid := expect(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": freeUSCC, "brand_name": freeName},
		"reason": "公司改制并更名"}), 201, "change")["id"].(string)
	expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county")
	seedBrand(t, s, demo.Rose().With("brand_name", "富民果园", "uscc", freeUSCC), "2025-06-20")
	e = errorOf(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 409, "the city agrees to a USCC taken since")
	if got := failingFields(e); !slices.Equal(got, []string{"changes.uscc"}) {
		t.Errorf("fields %v, want changes.uscc", got)
	}
	v := expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.city, map[string]any{"approve": false, "opinion": "统一社会信用代码已被其他品牌使用，不予同意"}), 200, "the city refuses")
	if ch := v["changes"].([]any)[0].(map[string]any); ch["status"] != "refused" {
		t.Errorf("change after the refusal %v", ch)
	}
	if ref, err := s.Store.GetBrandRef(ctx, embroidery); err != nil || ref.USCC != "91530126MA6K00001Q" || ref.Name != "石林撒尼刺绣" {
		t.Errorf("the brand after a refused change: %+v %v", ref, err)
	}
}

// RULES §3, one brand per holder and one name, one brand: while an import
// of brands checks and writes the library, the city's approval of a change
// of holder or name is refused as unavailable (503, nothing decided) — the
// import would find the new USCC or name free too — and taken once the
// import is done; the county's opinion on it, and the approval of a change
// of neither, are taken meanwhile.
func TestRULES3_AChangeOfHolderWaitsForAnImportUnderWay(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	path := "/api/v1/brands/" + embroidery
	holder := expect(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": demo.USCC("9153012600000099")},
		"reason": "公司改制"}), 201, "change of holder")["id"].(string)
	phone := expect(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"contact_phone": "13987654321"},
		"reason": "联系人电话变更"}), 201, "change of phone")["id"].(string)
	release, ok, err := s.Store.LockImport(t.Context())
	if err != nil || !ok {
		t.Fatalf("an import's lock: %v %v", ok, err)
	}
	// The county's opinion writes no name or holder: taken during the import.
	for _, cid := range []string{holder, phone} {
		expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county during an import")
	}
	errorOf(t, s.Do("POST", path+"/changes/"+holder+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 503, "the city agrees to a new holder during an import")
	expect(t, s.Do("POST", path+"/changes/"+phone+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "the city agrees to a new phone during an import")
	release()
	v := expect(t, s.Do("POST", path+"/changes/"+holder+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "the city agrees once the import is done")
	for _, ch := range v["changes"].([]any) {
		if ch := ch.(map[string]any); ch["status"] != "approved" {
			t.Errorf("change %v after the import, want approved", ch)
		}
	}
}

// RULES §6 (a self-registration proves nothing of who registered): a change
// of holder to a USCC someone registered under at the console by themselves
// is refused (409 naming changes.uscc) when the holder asks, and when an
// officer agrees if the registration came in between — approved, it would
// move the holder's accounts onto that code, and the stranger's account
// already bound to it would read and act on the brand.
func TestRULES6_AChangeToAUSCCSomeoneRegisteredUnderIsRefused(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	ctx := context.Background()
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	path := "/api/v1/brands/" + embroidery
	by := store.AccountChange{At: time.Now(), Actor: "self", Role: "applicant"}
	register := func(username, uscc string) {
		t.Helper()
		if _, err := s.Store.RegisterHolder(ctx, store.Account{Username: username, PasswordHash: "x"},
			store.HolderRegistration{USCC: uscc, UnitName: "某公司", ContactName: "李四", ContactPhone: "13800000000", Confirmed: true}, by, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	registered := demo.USCC("9153012600000099")
	register("stranger-1", registered)
	e := errorOf(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": registered},
		"reason": "公司改制"}), 409, "a USCC someone registered under")
	if got := failingFields(e); !slices.Equal(got, []string{"changes.uscc"}) {
		t.Errorf("fields %v, want changes.uscc", got)
	}

	// Free when asked, registered under before the city agrees.
	later := demo.USCC("9153012600000066")
	cid := expect(t, s.Do("POST", path+"/changes", a.embroidery, map[string]any{"changes": map[string]any{"uscc": later},
		"reason": "公司改制"}), 201, "change")["id"].(string)
	expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.shilin, map[string]any{"approve": true, "opinion": "属实"}), 200, "county")
	register("stranger-2", later)
	e = errorOf(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 409, "the city agrees to a USCC registered under since")
	if got := failingFields(e); !slices.Equal(got, []string{"changes.uscc"}) {
		t.Errorf("fields %v, want changes.uscc", got)
	}
	stranger := stacktest.Token(t, auth.Principal{Sub: "stranger-2", Role: auth.Applicant, USCC: later})
	if r := s.Do("GET", path, stranger, nil); r.Status != 403 && r.Status != 404 {
		t.Errorf("the stranger reads the brand: %d", r.Status)
	}
	if ref, err := s.Store.GetBrandRef(ctx, embroidery); err != nil || ref.USCC != "91530126MA6K00001Q" {
		t.Errorf("the brand after the refusal: %+v %v", ref, err)
	}

	// An administrator finds the account is not the unit's and disables
	// it: the change goes through, and the holder's registration replaces
	// the stranger's.
	if err := s.Store.DisableAccount(ctx, "stranger-2", store.AccountChange{At: time.Now(), Actor: "admin", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	expect(t, s.Do("POST", path+"/changes/"+cid+"/opinion", a.city, map[string]any{"approve": true, "opinion": "同意"}), 200, "the city agrees once the account is disabled")
	if ref, err := s.Store.GetBrandRef(ctx, embroidery); err != nil || ref.USCC != later {
		t.Errorf("the brand after the change: %+v %v, want USCC %s", ref, err, later)
	}
	if reg, err := s.Store.HolderRegistrationOf(ctx, later); err == nil && reg.ContactName == "李四" {
		t.Errorf("the stranger's registration still stands for the new code: %+v", reg)
	}
	// Unbound from the code, so that enabled again it reaches nothing.
	if acct, err := s.Store.AccountByUsername(ctx, "stranger-2"); err != nil || acct.USCC != "" {
		t.Errorf("the stranger's account after the change: %+v %v, want no USCC", acct, err)
	}
	var unbound int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'account.uscc_unbound' AND object_id = 'stranger-2'`).Scan(&unbound); err != nil || unbound != 1 {
		t.Errorf("account.uscc_unbound audited %d times (%v), want once", unbound, err)
	}
}

// RULES §6 (a self-registration proves nothing of who registered): an
// application the city enters for its holder (代录), and a brand the city
// imports, are refused (409 naming uscc; a problem at the sheet's 统一社会
// 信用代码 cell) while someone holds the holder's code by a registration of
// their own — entered, the stranger's account would read the whole 推荐表
// and act as the holder. Once an administrator disables the account, both
// go through.
func TestRULES6_ARecordTheCityMakesForAHolderIsNotHandedToAStrangersRegistration(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	ctx := context.Background()
	tag := runTag(t)
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第二批" + tag, "opens_on": "2026-11-01", "closes_on": "2026-12-31"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	rows := importedBrands(tag)[:1]
	rose := demo.Rose()
	by := store.AccountChange{At: time.Now(), Actor: "self", Role: "applicant"}
	for i, uscc := range []string{rose["uscc"].(string), rows[0].USCC} {
		if _, err := s.Store.RegisterHolder(ctx, store.Account{Username: fmt.Sprintf("stranger-%d", i), PasswordHash: "x"},
			store.HolderRegistration{USCC: uscc, UnitName: "某公司", ContactName: "李四", ContactPhone: "13800000000", Confirmed: true}, by, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}

	e := errorOf(t, s.Do("POST", "/api/v1/applications", city, rose), 409, "代录 under a code a stranger registered")
	if got := failingFields(e); !slices.Equal(got, []string{"uscc"}) {
		t.Errorf("fields %v, want uscc", got)
	}
	st, a := importSheet(t, s, city, true, rows)
	if st != 200 || a.Valid != 0 || len(a.Errors) != 1 || a.Errors[0].Column != "统一社会信用代码" {
		t.Errorf("an import under a code a stranger registered: %d %+v, want the row refused at its 统一社会信用代码", st, a)
	}

	for _, name := range []string{"stranger-0", "stranger-1"} {
		if err := s.Store.DisableAccount(ctx, name, store.AccountChange{At: time.Now(), Actor: "admin", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	expect(t, s.Do("POST", "/api/v1/applications", city, rose), 201, "代录 once the account is disabled")
	if st, a := importSheet(t, s, city, false, rows); st != 200 || a.Imported != 1 {
		t.Errorf("the import once the account is disabled: %d %+v", st, a)
	}
}
