package main_test

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/browsertest"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
)

// `dev --demo` creates one console account per role and lists them on its
// login page, where the demo county's officer signs in with a password
// alone (dev asks no TOTP) and finds the demo's application in its work
// queue; `laborbrand user list` finds the running stack's database from
// its data dir.
func TestDevDemoConsoleAccounts(t *testing.T) {
	browsertest.Chromium(t)
	env := newDevEnv(t)
	dev := env.start(t, "--demo", "--business-start", "2026-11-30") // the same demo whatever day it runs
	dev.waitRunning(t, 3*time.Minute)

	b := browsertest.Start(t, fmt.Sprintf("http://127.0.0.1:%d", env.httpPort))
	b.Open("/login")
	want := []string{"开发环境演示账户"}
	for _, a := range demo.Accounts() {
		want = append(want, a.Username, a.Password)
	}
	b.WaitFor(want...)
	county := demo.Accounts()[0]
	b.SignIn(county.Username, county.Password, "")
	b.Open("/work")
	b.WaitFor("县级初审", "东川面条工匠", "东川区")

	cmd := exec.Command(binary, "user", "list", "--data-dir", env.dataDir)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "dongchuan") || !strings.Contains(string(out), "EXP01") {
		t.Errorf("user list --data-dir: %v\n%s", err, out)
	}
}
