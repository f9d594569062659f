package api_test

import (
	"context"
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
	var audited int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'account.uscc_moved' AND object_id = 'embroidery-clerk'`).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("account.uscc_moved audited %d times (%v), want once", audited, err)
	}
}
