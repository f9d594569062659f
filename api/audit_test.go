package api_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// RULES §6 (等保 2.0 安全审计): an admin or a supervisor reads the audit trail
// through the API, filtered, newest first, and checks its hash chain, which
// names the first entry an edit outside the application broke.
func TestAuditTrail_ListedAndItsChainChecked(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	supervisor := stacktest.Token(t, auth.Principal{Sub: "supervisor", Role: auth.Supervisor})
	city := stacktest.Token(t, auth.Principal{Sub: "city", Role: auth.CityOfficer})
	for _, d := range []string{"2026-07-15", "2026-07-16"} {
		expect(t, s.Do("POST", "/api/v1/calendar/counties/530126/off-days", admin, map[string]any{"day": d, "name": "火把节"}), 200, "off day")
	}
	expect(t, s.Do("GET", "/api/v1/audit", city, nil), 403, "a city officer")
	page := expect(t, s.Do("GET", "/api/v1/audit?action=calendar.&limit=1", supervisor, nil), 200, "first page")
	items := page["items"].([]any)
	if len(items) != 1 || page["next"] == nil {
		t.Fatalf("want one entry and a next page: %v", page)
	}
	first := items[0].(map[string]any)
	if first["action"] != "calendar.county_off_day" || first["actor"] != "admin" || first["object_id"] != "530126" || len(first["hash"].(string)) != 64 {
		t.Errorf("newest entry %v", first)
	}
	second := expect(t, s.Do("GET", "/api/v1/audit?action=calendar.&limit=1&cursor="+page["next"].(string), supervisor, nil), 200, "second page")
	if e := second["items"].([]any)[0].(map[string]any); e["id"].(float64) >= first["id"].(float64) {
		t.Errorf("second page %v is not older than %v", e, first)
	}
	bad := expect(t, s.Do("GET", "/api/v1/audit?limit=0&cursor=xyz", admin, nil), 422, "bad paging")
	if n := len(bad["error"].(map[string]any)["fields"].([]any)); n < 1 {
		t.Errorf("fields %v", bad["error"])
	}

	check := expect(t, s.Do("GET", "/api/v1/audit/verify", admin, nil), 200, "verify")
	if check["intact"] != true || check["checked"].(float64) < 2 || check["broken_at"] != nil {
		t.Fatalf("intact chain: %v", check)
	}
	// A superuser going around the application edits the first entry.
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, s.Store.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE audit_log SET actor = 'someone-else' WHERE id = (SELECT min(id) FROM audit_log)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check = expect(t, s.Do("GET", "/api/v1/audit/verify", supervisor, nil), 200, "verify after the edit")
	if check["intact"] != false || check["broken_at"] == nil || check["reason"] != "哈希与该条记录的内容不符（记录被改动）" {
		t.Errorf("broken chain: %v", check)
	}
}
