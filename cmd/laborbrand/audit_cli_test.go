package main_test

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// RULES §6 (the audit trail can only grow): `laborbrand audit verify` prints
// the chain's head to keep elsewhere, and --head with a kept head fails
// once the chain is cut back past it — which the chain alone cannot show.
func TestAuditVerifyShowsAChainCutShortByItsHead(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	db := testenv.Database(t)
	for _, name := range []string{"anning", "rose"} { // two account.create rows
		if out, err := user(t, db, "Spring-City-2026\n", "add", "--username", name, "--role", "city_officer"); err != nil {
			t.Fatalf("user add %s: %v\n%s", name, err, out)
		}
	}
	verify := func(args ...string) (string, error) {
		cmd := exec.Command(binary, append([]string{"audit", "verify"}, args...)...)
		cmd.Env = append(cleanEnv(), "DATABASE_URL="+db)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := verify()
	head := regexp.MustCompile(`head (\d+:[0-9a-f]+)`).FindStringSubmatch(out)
	if err != nil || !strings.Contains(out, "audit chain intact: 2 rows") || head == nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if out, err := verify("--head", head[1]); err != nil {
		t.Errorf("verify --head %s on the same chain: %v\n%s", head[1], err, out)
	}

	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// The table refuses deletion by trigger; one who owns the database can
	// still step around it, as here, and that is what the head is for.
	if _, err := conn.Exec(context.Background(), `SET session_replication_role = replica;
		DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)`); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(); err != nil {
		t.Errorf("the chain cut at its end still verifies alone, as it should: %v\n%s", err, out)
	}
	if out, err := verify("--head", head[1]); err == nil || !strings.Contains(out, "audit chain cut or rewritten") {
		t.Errorf("verify --head %s after the last row was deleted: %v, want the cut named\n%s", head[1], err, out)
	}
}
