package main_test

import (
	"context"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/store"
)

// user runs `laborbrand user args…` against databaseURL with stdin.
func user(t *testing.T, databaseURL, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"user"}, args...)...)
	cmd.Env = append(cleanEnv(), "DATABASE_URL="+databaseURL)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// API.md `laborbrand user …`: console accounts are added, listed, given a
// new password and disabled from the command line; the password comes from
// standard input and must meet the policy (等保 2.0 8.1.4.1); a role's
// binding (county, USCC, expert) is required and checked.
func TestUserCommands(t *testing.T) {
	db := testenv.Database(t)
	ok := func(stdin string, args ...string) string {
		t.Helper()
		out, err := user(t, db, stdin, args...)
		if err != nil {
			t.Fatalf("user %v: %v\n%s", args, err, out)
		}
		return out
	}
	refused := func(stdin, want string, args ...string) {
		t.Helper()
		out, err := user(t, db, stdin, args...)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("user %v: want a refusal naming %q, got %v\n%s", args, want, err, out)
		}
	}
	ok("Spring-City-2026\n", "add", "--username", "anning", "--role", "county_officer", "--county", "530181")
	ok("Spring-City-2026\n", "add", "--username", "rose", "--role", "applicant", "--uscc", "51530181MJ0000001U")
	ok("Spring-City-2026", "add", "--username", "exp01", "--role", "expert", "--expert", "EXP01")
	// RULES §2 (a USCC compared as the library keeps it): typed in lower
	// case or full width, the holder's code is stored folded,
	// or none of its holder's applications would be its account's.
	ok("Spring-City-2026\n", "add", "--username", "lotus", "--role", "applicant", "--uscc", "５１５３０１８１mj0000001u")

	refused("short1A!\n", "至少", "add", "--username", "weak", "--role", "city_officer")
	refused("Anning2-Spring-x\n", "用户名", "add", "--username", "anning2", "--role", "city_officer")
	refused("Spring-City-2026\n", "taken", "add", "--username", "anning", "--role", "city_officer")
	refused("Spring-City-2026\n", "--county", "add", "--username", "nocounty", "--role", "county_officer")
	refused("Spring-City-2026\n", "--county", "add", "--username", "badcounty", "--role", "county_officer", "--county", "110101")
	refused("Spring-City-2026\n", "--uscc", "add", "--username", "baduscc", "--role", "applicant", "--uscc", "51530181MJ0000001X")
	refused("Spring-City-2026\n", "--expert", "add", "--username", "noexp", "--role", "expert")
	refused("Spring-City-2026\n", "--role", "add", "--username", "mayor", "--role", "mayor")
	// A name the console's paths could not carry is refused.
	refused("Spring-City-2026\n", "--username", "add", "--username", "an/ning", "--role", "city_officer")
	refused("", "no password", "add", "--username", "silent", "--role", "city_officer")

	ok("Autumn-City-2027\n", "passwd", "--username", "anning")
	refused("Autumn-City-2027\n", "not found", "passwd", "--username", "nobody")
	ok("", "disable", "--username", "exp01")

	list := ok("", "list")
	for _, want := range []string{"anning", "county_officer", "530181", "rose", "51530181MJ0000001U", "exp01", "EXP01", "disabled"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list lacks %q:\n%s", want, list)
		}
	}
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, "lotus") && !strings.Contains(line, "51530181MJ0000001U") {
			t.Errorf("lotus's code is not stored as the library keeps it: %s", line)
		}
	}
	for _, name := range []string{"weak", "anning2", "nocounty", "silent", "mayor"} {
		if strings.Contains(list, name) {
			t.Errorf("a refused account %s was created:\n%s", name, list)
		}
	}
	if strings.Contains(list, "Spring-City") || strings.Contains(list, "argon2") {
		t.Errorf("user list shows a password or hash:\n%s", list)
	}

	// RULES §6 (who acted): the audit rows name the operating-system user
	// who ran the command, not just "cli".
	conn, err := pgx.Connect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var actor string
	if err := conn.QueryRow(context.Background(), `SELECT actor FROM audit_log WHERE action = 'account.disable'`).Scan(&actor); err != nil ||
		!strings.HasPrefix(actor, "cli:") || len(actor) <= len("cli:") {
		t.Errorf("the disable's audit actor %q (%v), want cli: and who ran it", actor, err)
	}
}

// RULES §2 (the check-character override): a holder whose code the city let
// through its check, entering the application for it with a reason, gets
// its account from an administrator under that code — it files its brand's
// reports and changes by it; a code failing its check that no such
// application has is still refused.
func TestUserAddTakesACodeTheCityOverrode(t *testing.T) {
	db := testenv.Database(t)
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if _, err := st.CreateRound(ctx, store.Round{ID: "R1", Name: "第一批", OpensOn: "2026-01-01", ClosesOn: "2026-12-31", CreatedAt: now}, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	overridden, other := failingUSCC(t, "51530181MJ0000002"), failingUSCC(t, "51530181MJ0000003")
	if err := st.CreateApplication(ctx, store.NewApplication{ID: "A0001", RoundID: "R1", BrandName: "安宁玫瑰", BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", UnitName: "安宁市玫瑰产业协会", USCC: overridden,
		USCCOverrideReason: "营业执照所载代码校验位与国家标准不符，已核对原件", OnBehalf: true,
		Form: map[string]any{}, Eligibility: []any{}, SubmittedAt: now, SubmittedBy: "city", SubmittedRole: "city_officer"}); err != nil {
		t.Fatal(err)
	}
	if out, err := user(t, db, "Spring-City-2026\n", "add", "--username", "rose", "--role", "applicant", "--uscc", strings.ToLower(overridden)); err != nil {
		t.Fatalf("user add for the overridden code: %v\n%s", err, out)
	}
	a, err := st.AccountByUsername(ctx, "rose")
	if err != nil || a.USCC != overridden {
		t.Errorf("the holder's account: %+v, %v; want it bound to %s", a, err, overridden)
	}
	if out, err := user(t, db, "Spring-City-2026\n", "add", "--username", "other", "--role", "applicant", "--uscc", other); err == nil || !strings.Contains(out, "--uscc") {
		t.Errorf("user add for a code failing its check that no application overrode: %v, want refused\n%s", err, out)
	}
}

// Without DATABASE_URL, `user` looks for the dev stack of its data dir and
// says how to get one when there is none.
func TestUserCommandWithoutADevStack(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	cmd := exec.Command(binary, "user", "list", "--data-dir", t.TempDir())
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "laborbrand dev --data-dir") {
		t.Errorf("want a refusal naming `laborbrand dev --data-dir`: %v\n%s", err, out)
	}
}

// DEPLOYMENT (rollout): a deployment's database is migrated by `laborbrand
// migrate` alone, a step of its own. A newer binary's `user` command run
// against a database not yet migrated is refused, and leaves it as it was —
// before, it migrated it ahead of the rollout, under the older binaries
// still running.
func TestUserCommandDoesNotMigrateADeploymentsDatabase(t *testing.T) {
	db := testenv.Database(t)
	cfg, err := pgx.ParseConfig(db)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	p, err := store.Migrations(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.DownTo(ctx, 37); err != nil {
		t.Fatal(err)
	}
	out, err := user(t, db, "", "list")
	if err == nil || !strings.Contains(out, "laborbrand migrate") {
		t.Errorf("user list on a database not migrated: %v, want a refusal naming `laborbrand migrate`\n%s", err, out)
	}
	if v, err := p.GetDBVersion(ctx); err != nil || v != 37 {
		t.Errorf("the database is at version %d (%v) after the command, want 37 as it was", v, err)
	}
	// A database never migrated (an operator's first run, `user` before
	// `migrate`) is refused the same, and gets no version table either.
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.ExecContext(ctx, `DROP TABLE goose_db_version`); err != nil {
		t.Fatal(err)
	}
	if out, err := user(t, db, "", "list"); err == nil || !strings.Contains(out, "laborbrand migrate") {
		t.Errorf("user list on an empty database: %v, want a refusal naming `laborbrand migrate`\n%s", err, out)
	}
	var tables int
	if err := sqlDB.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("the empty database has %d tables (%v) after the command, want none", tables, err)
	}
}

// README (LB_SMTP_FROM is required with LB_SMTP_ADDR): the API, which mails
// holders' confirmations, refuses at start-up a relay without a sender, as
// the worker does — not a console whose mails then fail.
func TestTheAPIRefusesARelayWithoutASender(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	cmd := exec.Command(binary, "api")
	cmd.Env = append(cleanEnv(), "LB_SMTP_ADDR=smtp.example:587", "LB_DATA_DIR="+t.TempDir(), "DATABASE_URL=postgres://127.0.0.1:1/none")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "LB_SMTP") {
		t.Errorf("api with LB_SMTP_ADDR and no LB_SMTP_FROM: %v, want a refusal naming LB_SMTP_*\n%s", err, out)
	}
}

// README (LB_JWT_SECRET, production: required): `laborbrand api` refuses to
// start without it, rather than sign with a secret a dev run left behind.
func TestTheAPIRefusesToStartWithoutASigningSecret(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	cmd := exec.Command(binary, "api")
	cmd.Env = append(cleanEnv(), "LB_DATA_DIR="+t.TempDir(), "DATABASE_URL=postgres://127.0.0.1:1/none")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "set LB_JWT_SECRET") {
		t.Errorf("api without LB_JWT_SECRET: %v, want a refusal naming it\n%s", err, out)
	}
}

// API.md `laborbrand user …`: a command used wrongly exits 2 (as the flag
// package does) before any database is opened, -h prints the flags and
// exits 0, and a failure of the work itself exits 1 — for the operator's
// scripts to tell them apart.
func TestUserCommandExitStatuses(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	db := testenv.Database(t)
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"user"}, 2},
		{[]string{"user", "rename"}, 2},
		{[]string{"user", "add", "--role", "mayor", "--username", "x"}, 2},
		{[]string{"user", "add", "--nonsense"}, 2},
		{[]string{"user", "add", "-h"}, 0},
		{[]string{"user", "passwd", "--username", "nobody"}, 1},
		{[]string{"user", "passwd"}, 2},
		{[]string{"user", "disable", "--username", " "}, 2},
	} {
		cmd := exec.Command(binary, c.args...)
		cmd.Env = append(cleanEnv(), "DATABASE_URL="+db)
		cmd.Stdin = strings.NewReader("Spring-City-2026\n")
		out, _ := cmd.CombinedOutput()
		if got := cmd.ProcessState.ExitCode(); got != c.want {
			t.Errorf("laborbrand %s: exit %d, want %d\n%s", strings.Join(c.args, " "), got, c.want, out)
		}
	}
}

// API.md, the command line: every other command used wrongly exits 2 too —
// a wrong subcommand, an argument or flag refused — before any database is
// opened (here one that does not answer), -h exits 0, and a failure of the
// work itself exits 1.
func TestOtherCommandsExitStatuses(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	db := testenv.Database(t)
	down := "postgres://127.0.0.1:1/none"
	for _, c := range []struct {
		args []string
		db   string
		want int
	}{
		{[]string{"calendar"}, down, 2},
		{[]string{"calendar", "next-holiday"}, down, 2},
		{[]string{"calendar", "add-workdays", "2026-10-08"}, down, 2},
		{[]string{"calendar", "add-workdays", "2026-13-01", "3"}, down, 2},
		{[]string{"calendar", "add-workdays", "2026-10-08", "three"}, down, 2},
		{[]string{"calendar", "days", "2026-10-08", "someday"}, down, 2},
		{[]string{"calendar", "period", "2026-01-31", "--months", "0"}, down, 2},
		{[]string{"calendar", "period", "2026-01-31", "--weeks", "2"}, down, 2},
		{[]string{"calendar", "period"}, down, 2},
		{[]string{"calendar", "period", "2026-01-31", "-h"}, down, 0},
		{[]string{"calendar", "-h"}, down, 0},
		{[]string{"audit", "-h"}, down, 0},
		{[]string{"calendar", "add-workdays", "2026-10-08", "1"}, db, 0},
		{[]string{"calendar", "add-workdays", "2026-10-08", "1"}, down, 1},
		{[]string{"audit"}, down, 2},
		{[]string{"audit", "check"}, down, 2},
		{[]string{"audit", "verify", "--head", "latest"}, down, 2},
		{[]string{"audit", "verify"}, db, 0},
		{[]string{"audit", "verify"}, down, 1},
		{[]string{"token", "--role", "mayor"}, "", 2},
		{[]string{"token", "--role", "county_officer"}, "", 2},                    // no county
		{[]string{"token"}, "", 2},                                                // no role
		{[]string{"token", "--role", "county_officer", "--county", "123"}, "", 2}, // not one of Kunming's
		{[]string{"token", "--role", "applicant", "--uscc", "not-a-code"}, "", 2},
		{[]string{"token", "--role", "expert"}, "", 2}, // no id in the pool
		{[]string{"token", "--role", "city_officer", "extra"}, "", 2},
		{[]string{"user", "add", "--role", "mayor", "--username", "x"}, down, 2}, // refused before the database
		{[]string{"token", "--role", "city_officer", "--ttl", "-1h"}, "", 2},
		{[]string{"token", "--nonsense"}, "", 2},
		{[]string{"token", "revoke"}, down, 2},
		{[]string{"token", "revoke", "--sub", "county_officer-530113", "extra"}, down, 2},
		{[]string{"token", "revoke", "--sub", "county_officer-530113"}, db, 0},
		{[]string{"token", "revoke", "--sub", "county_officer-530113"}, down, 1},
		{[]string{"worker", "--time-scale", "60"}, down, 2},
		{[]string{"migrate", "-h"}, down, 0},
	} {
		cmd := exec.Command(binary, c.args...)
		cmd.Env = append(cleanEnv(), "LB_DATA_DIR="+t.TempDir(), "DATABASE_URL="+c.db)
		out, _ := cmd.CombinedOutput()
		if got := cmd.ProcessState.ExitCode(); got != c.want {
			t.Errorf("laborbrand %s (DATABASE_URL %q): exit %d, want %d\n%s", strings.Join(c.args, " "), c.db, got, c.want, out)
		}
	}
}

// failingUSCC is prefix with a check character that is not its own (GB 32100).
func failingUSCC(t *testing.T, prefix string) string {
	t.Helper()
	c, err := uscc.CheckCharacter(prefix)
	if err != nil {
		t.Fatal(err)
	}
	if c == '0' {
		return prefix + "1"
	}
	return prefix + "0"
}

// API.md `laborbrand token`: an applicant's token carries its holder's
// code as the library keeps it — typed in lower case or full width, it is
// folded — or the API would refuse the holder its own applications.
func TestATokensUSCCIsTheLibrarys(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	cmd := exec.Command(binary, "token", "--role", "applicant", "--uscc", "５１５３０１８１mj0000001u")
	cmd.Env = append(cleanEnv(), "LB_DATA_DIR="+t.TempDir(), "LB_JWT_SECRET="+strings.Repeat("k", 48))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("token: %v\n%s", err, out)
	}
	parts := strings.Split(strings.TrimSpace(string(out)), ".")
	if len(parts) != 3 {
		t.Fatalf("not a token: %q", out)
	}
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || !strings.Contains(string(claims), `"51530181MJ0000001U"`) || strings.Contains(string(claims), "mj00") {
		t.Errorf("the token's claims %s (%v), want the USCC 51530181MJ0000001U", claims, err)
	}
}
