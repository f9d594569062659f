package main_test

// End-to-end tests of `laborbrand dev`: the built binary is started as a user
// would start it, with its own PostgreSQL and Temporal dev server as children,
// and observed only from outside — HTTP, the Temporal frontend, /proc and the
// ports it used.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	lbclient "github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/workflows"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// binary is the laborbrand executable built once by TestMain.
var binary string

func TestMain(m *testing.M) { testenv.MainWithBinary(m, &binary) }

// The names and types of API.md's search attributes, which supervisors
// filter by in the Temporal UI.
var wantSearchAttributes = map[string]enums.IndexedValueType{
	"Stage":        enums.INDEXED_VALUE_TYPE_KEYWORD,
	"BrandStatus":  enums.INDEXED_VALUE_TYPE_KEYWORD,
	"CountyCode":   enums.INDEXED_VALUE_TYPE_KEYWORD,
	"CountyName":   enums.INDEXED_VALUE_TYPE_KEYWORD,
	"Category":     enums.INDEXED_VALUE_TYPE_KEYWORD,
	"BrandName":    enums.INDEXED_VALUE_TYPE_KEYWORD,
	"NextDeadline": enums.INDEXED_VALUE_TYPE_DATETIME,
	"LadderLevel":  enums.INDEXED_VALUE_TYPE_INT,
	"OpenMatters":  enums.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

func TestDevE2EStartsWholeStackAndStopsCleanlyOnSIGINT(t *testing.T) {
	env := newDevEnv(t)
	dev := env.start(t)
	dev.waitReady(t, 3*time.Minute)

	ctx := context.Background()
	spec, err := lbclient.Expect(env.api.ServeOpenAPIWithResponse(ctx))
	if err != nil {
		t.Fatalf("GET /openapi.json: %v", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec.Body)
	if err != nil {
		t.Fatalf("/openapi.json does not load as OpenAPI: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("/openapi.json is not valid OpenAPI 3: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Paths.Find("/api/v1/rounds") == nil {
		t.Fatalf("/openapi.json: version %q, /api/v1/rounds described: %v", doc.OpenAPI, doc.Paths.Find("/api/v1/rounds") != nil)
	}

	// Issue 18 item 4: dev serves the API reference too.
	if docs, err := lbclient.Expect(env.api.DocsWithResponse(ctx)); err != nil || !strings.Contains(string(docs.Body), "/openapi.json") {
		t.Fatalf("GET /docs: %v", err)
	}

	r := openRound("端到端批次")
	refused, err := env.api.CreateRoundWithResponse(ctx, nil, r)
	if err != nil || refused.StatusCode() != http.StatusUnauthorized || refused.JSON401 == nil || refused.JSON401.Error.Code == "" {
		t.Fatalf("POST /api/v1/rounds without a token: want 401 with {\"error\":{\"code\":…}}, got %v %s", err, lbclient.BodyOf(refused))
	}

	city := lbclient.Bearer(env.token(t, "city_officer"))
	created, err := lbclient.Expect(env.api.CreateRoundWithResponse(ctx, nil, r, city))
	if err != nil || created.StatusCode() != http.StatusCreated {
		t.Fatalf("POST /api/v1/rounds with a city officer's token: want 201, got %v", err)
	}
	if got := created.JSON201; got.Id == "" || got.Name != r.Name || got.OpensOn != r.OpensOn {
		t.Fatalf("POST /api/v1/rounds answered %+v, want the row of %+v", got, r)
	}

	ui := fmt.Sprintf("http://127.0.0.1:%d/", env.uiPort)
	testenv.Eventually(t, 30*time.Second, "the Temporal UI answers 200 at "+ui, func() error {
		resp, err := http.Get(ui)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	})

	attrs, err := env.temporal(t).OperatorService().ListSearchAttributes(context.Background(),
		&operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	if err != nil {
		t.Fatalf("list search attributes: %v", err)
	}
	for name, typ := range wantSearchAttributes {
		if got, ok := attrs.CustomAttributes[name]; !ok || got != typ {
			t.Errorf("search attribute %s: want %v, got %v (registered: %v)", name, typ, got, ok)
		}
	}

	// The worker's start-up makes sure the maintenance schedule exists (in
	// the background: a Temporal that cannot describe it yet is asked again).
	var sched *client.ScheduleDescription
	testenv.Eventually(t, 30*time.Second, "the maintenance schedule after start-up", func() (err error) {
		sched, err = env.temporal(t).ScheduleClient().GetHandle(context.Background(), workflows.MaintenanceScheduleID).
			Describe(context.Background())
		return err
	})
	if a, ok := sched.Schedule.Action.(*client.ScheduleWorkflowAction); !ok || a.Workflow != workflows.MaintenanceWorkflowType ||
		len(sched.Schedule.Spec.Intervals) != 1 || sched.Schedule.Spec.Intervals[0].Every != time.Hour {
		t.Errorf("the maintenance schedule runs %+v every %+v; want MaintenanceWorkflow hourly", sched.Schedule.Action, sched.Schedule.Spec.Intervals)
	}

	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev exited %d after SIGINT, want 0", code)
	}
	if left := processesUsing(env.dataDir); len(left) > 0 {
		t.Errorf("processes still using the data dir after dev exited:\n%s", describe(left))
	}
	env.assertPortsFree(t)
}

func TestDevE2ERestartKeepsDataWorkflowsAndClock(t *testing.T) {
	env := newDevEnv(t)
	dev := env.start(t, "--time-scale", "60")
	dev.waitReady(t, 3*time.Minute)
	ctx := context.Background()
	city := lbclient.Bearer(env.token(t, "city_officer"))
	if _, err := lbclient.Expect(env.api.CreateRoundWithResponse(ctx, nil, openRound("survive a restart"), city)); err != nil {
		t.Fatalf("POST /api/v1/rounds: %v", err)
	}
	// Entered on the holder's behalf (代录): its process waits for 初审.
	form, err := demo.Rose().Typed()
	if err != nil {
		t.Fatal(err)
	}
	submitted, err := lbclient.Expect(env.api.SubmitApplicationWithResponse(ctx, nil, form, city))
	if err != nil {
		t.Fatalf("POST /api/v1/applications: %v", err)
	}
	app := submitted.JSON201
	before := dev.clock(t)
	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev exited %d after SIGINT, want 0", code)
	}

	dev = env.start(t) // no --time-scale: the saved timeline applies
	dev.waitReady(t, 3*time.Minute)
	rounds, err := lbclient.Expect(env.api.ListRoundsWithResponse(ctx, city))
	if err != nil || !slices.ContainsFunc(rounds.JSON200.Items, func(r lbclient.Round) bool { return r.Name == "survive a restart" }) {
		t.Fatalf("GET /api/v1/rounds after restart (token from the first run): want 200 with the round, got %v %s", err, lbclient.BodyOf(rounds))
	}
	kept, err := lbclient.Expect(env.api.GetApplicationWithResponse(ctx, app.Id, city))
	if err != nil || kept.JSON200.Stage != app.Stage {
		t.Fatalf("GET /api/v1/applications/%s after restart: want 200 in stage %s, got %v %s", app.Id, app.Stage, err, lbclient.BodyOf(kept))
	}
	wid := workflows.ApplicationWorkflowID(app.Id)
	desc, err := env.temporal(t).DescribeWorkflowExecution(context.Background(), wid, "")
	if err != nil {
		t.Fatalf("Temporal forgot workflow %s across the restart: %v", wid, err)
	}
	if st := desc.GetWorkflowExecutionInfo().GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Errorf("%s status after restart: %v, want running (waiting for 初审)", wid, st)
	}

	after := dev.clock(t)
	if after.TimeScale != before.TimeScale || after.TimeScale != 60 || after.BusinessStart != before.BusinessStart {
		t.Errorf("clock changed across restart: before %+v, after %+v", before, after)
	}
	// The timeline continues: business time passed at 60× the wall time between
	// the two reads, even while the stack was down.
	ratio := float64(after.Now.Sub(before.Now)) / float64(after.wall.Sub(before.wall))
	if ratio < 50 || ratio > 70 {
		t.Errorf("business time advanced %.1f× wall time across the restart, want ≈60× (%s → %s)", ratio, before.Now, after.Now)
	}
	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev exited %d after the second SIGINT, want 0", code)
	}
}

func TestDevE2ESIGKILLTakesChildrenDown(t *testing.T) {
	env := newDevEnv(t)
	dev := env.start(t)
	dev.waitReady(t, 3*time.Minute)
	stack := processesUsing(env.dataDir)
	if len(stack) < 2 {
		t.Fatalf("want PostgreSQL and Temporal running in the data dir, found:\n%s", describe(stack))
	}

	if err := dev.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-dev.exited
	// The orphans' zombies count too: until init reaps the postmaster, its
	// PID keeps postmaster.pid looking alive and the next start fails.
	testenv.Eventually(t, 30*time.Second, "every process of the stack is gone after SIGKILL", func() error {
		if left := processesUsing(env.dataDir); len(left) > 0 {
			return fmt.Errorf("still running:\n%s", describe(left))
		}
		if left := stillPresent(stack); len(left) > 0 {
			return fmt.Errorf("dead but not yet reaped:\n%s", describe(left))
		}
		return nil
	})
	env.assertPortsFree(t)

	// What a crash leaves behind (postmaster.pid, an unclean WAL) must not
	// stop the next start.
	dev = env.start(t)
	dev.waitReady(t, 3*time.Minute)
	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev restarted after SIGKILL exited %d after SIGINT, want 0", code)
	}
}

func TestDevE2ETimeScaleRunsBusinessTimeFasterAndIsFixedPerDataDir(t *testing.T) {
	env := newDevEnv(t)
	dev := env.start(t, "--time-scale", "1000")
	dev.waitReady(t, 3*time.Minute)
	first := dev.clock(t)
	if first.TimeScale != 1000 {
		t.Fatalf("time_scale %d, want 1000", first.TimeScale)
	}
	time.Sleep(1200 * time.Millisecond) // wall time passing is what is measured here
	second := dev.clock(t)
	wall := second.wall.Sub(first.wall)
	business := second.Now.Sub(first.Now)
	if business < 100*wall || business > 2000*wall {
		t.Errorf("business time advanced %s in %s of wall time (%.0f×), want ≈1000×", business, wall, float64(business)/float64(wall))
	}
	if code := dev.interrupt(t, 60*time.Second); code != 0 {
		t.Fatalf("dev exited %d after SIGINT, want 0", code)
	}

	out := env.refusedStart(t, "--time-scale", "5")
	if !strings.Contains(out, "--time-scale") || !strings.Contains(out, "1000") || !strings.Contains(out, "--data-dir") {
		t.Errorf("the refusal should name --time-scale, the saved scale and the way out (a fresh data dir); got:\n%s", out)
	}
	out = env.refusedStart(t, "--business-start", "2030-01-01")
	if !strings.Contains(out, "business start "+first.BusinessStart) {
		t.Errorf("the refusal of another --business-start should name the saved one (%s); got:\n%s", first.BusinessStart, out)
	}
}

// devEnv is a data dir and the ports `laborbrand dev` runs on; a test may
// start dev on it several times.
type devEnv struct {
	dir, dataDir                   string
	httpPort, temporalPort, uiPort int
	starts                         int
	api                            *apiclient.Client // with the tokens of `laborbrand token`
}

func newDevEnv(t *testing.T) *devEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test of the whole dev stack: skipped with -short")
	}
	// t.TempDir() is mode 0700 for root; PostgreSQL runs as another user.
	dir, err := os.MkdirTemp("", "laborbrand-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	ports := freePorts(t, 3)
	api := apiclient.New(fmt.Sprintf("http://127.0.0.1:%d", ports[0]), nil, 2)
	t.Cleanup(api.Close)
	return &devEnv{dir: dir, dataDir: filepath.Join(dir, "data"), httpPort: ports[0], temporalPort: ports[1], uiPort: ports[2], api: api}
}

func (e *devEnv) args() []string {
	return []string{"dev", "--data-dir", e.dataDir, "--http-addr", fmt.Sprintf("127.0.0.1:%d", e.httpPort),
		"--temporal-port", strconv.Itoa(e.temporalPort), "--ui-port", strconv.Itoa(e.uiPort)}
}

// start runs `laborbrand dev` in the background. At the end of the test it
// is killed if still running, and its output is shown if the test failed.
func (e *devEnv) start(t *testing.T, extra ...string) *devProcess {
	t.Helper()
	e.api.Close() // no connection kept to an earlier run
	// A port an earlier run held may be taken meanwhile: freePorts finds
	// them among the kernel's ephemeral ports, which it also hands to
	// outgoing connections (CI saw "bind: address already in use" on a
	// restart). The restart then moves to free ones.
	if e.starts > 0 && !(devstack.PortFree(e.httpPort) && devstack.PortFree(e.temporalPort) && devstack.PortFree(e.uiPort)) {
		ports := freePorts(t, 3)
		e.httpPort, e.temporalPort, e.uiPort = ports[0], ports[1], ports[2]
		e.api = apiclient.New(fmt.Sprintf("http://127.0.0.1:%d", e.httpPort), nil, 2)
		t.Cleanup(e.api.Close)
	}
	e.starts++
	logPath := filepath.Join(e.dir, fmt.Sprintf("dev-%d.log", e.starts))
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, append(e.args(), extra...)...)
	cmd.Env = cleanEnv()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &devProcess{env: e, cmd: cmd, exited: make(chan struct{}), logPath: logPath}
	go func() {
		p.err = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Kill()
			<-p.exited
		}
		// Children that outlived dev (a failed test of exactly that) are
		// ours to stop, so that they do not disturb the next test.
		testenv.Poll(30*time.Second, func() bool { return len(processesUsing(e.dataDir)) == 0 })
		for _, orphan := range processesUsing(e.dataDir) {
			syscall.Kill(orphan.pid, syscall.SIGKILL)
		}
		if t.Failed() {
			out, _ := os.ReadFile(logPath)
			t.Logf("output of laborbrand %s:\n%s", strings.Join(append(e.args(), extra...), " "), out)
		}
	})
	return p
}

// refusedStart runs `laborbrand dev` with extra flags, expecting it to exit
// non-zero before it starts anything, and returns its output.
func (e *devEnv) refusedStart(t *testing.T, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, append(e.args(), extra...)...)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("dev %s on a data dir with another timeline: want a non-zero exit, got %v\n%s", strings.Join(extra, " "), err, out)
	}
	if left := processesUsing(e.dataDir); len(left) > 0 {
		t.Errorf("the refused start (%s) left processes behind:\n%s", strings.Join(extra, " "), describe(left))
	}
	return string(out)
}

// token runs `laborbrand token` against the dev data dir's secret.
func (e *devEnv) token(t *testing.T, role string) string {
	t.Helper()
	cmd := exec.Command(binary, "token", "--data-dir", e.dataDir, "--role", role)
	cmd.Env = cleanEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("laborbrand token --role %s: %v", role, err)
	}
	return strings.TrimSpace(string(out))
}

// temporal dials the dev stack's Temporal frontend.
func (e *devEnv) temporal(t *testing.T) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{
		HostPort: fmt.Sprintf("127.0.0.1:%d", e.temporalPort), Namespace: "default",
		Logger: sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
	if err != nil {
		t.Fatalf("dial Temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// assertPortsFree checks that nothing listens any more on the ports the
// stack used, PostgreSQL's included.
func (e *devEnv) assertPortsFree(t *testing.T) {
	t.Helper()
	ports := map[string]int{"http": e.httpPort, "temporal": e.temporalPort, "ui": e.uiPort}
	if b, err := os.ReadFile(filepath.Join(e.dataDir, "postgres.port")); err == nil {
		ports["postgresql"], _ = strconv.Atoi(strings.TrimSpace(string(b)))
	} else {
		t.Errorf("dev did not record PostgreSQL's port: %v", err)
	}
	for name, port := range ports {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			t.Errorf("%s port %d still in use: %v", name, port, err)
			continue
		}
		l.Close()
	}
}

// devProcess is one run of `laborbrand dev`.
type devProcess struct {
	env     *devEnv
	cmd     *exec.Cmd
	exited  chan struct{}
	err     error // of cmd.Wait, once exited is closed
	logPath string
}

// waitRunning waits for dev's banner, which it prints once everything it
// was asked for is in place — with --demo, once the demo is seeded; /readyz
// answers before that.
func (p *devProcess) waitRunning(t *testing.T, timeout time.Duration) {
	t.Helper()
	p.waitFor(t, timeout, "dev prints that it is running", func() error {
		out, err := os.ReadFile(p.logPath)
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "laborbrand is running") {
			return fmt.Errorf("no banner yet")
		}
		return nil
	})
}

func (p *devProcess) waitReady(t *testing.T, timeout time.Duration) {
	t.Helper()
	p.waitFor(t, timeout, "GET /readyz is 200", func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return p.env.api.Ready(ctx)
	})
}

// waitFor waits until check passes, failing the test at once if dev exits
// meanwhile.
func (p *devProcess) waitFor(t *testing.T, timeout time.Duration, what string, check func() error) {
	t.Helper()
	testenv.Eventually(t, timeout, what, func() error {
		select {
		case <-p.exited:
			t.Fatalf("dev exited while waiting until %s: %v", what, p.err)
		default:
		}
		return check()
	})
}

// openRound is a round open from 2000 to 2099.
func openRound(name string) lbclient.RoundRequest {
	return lbclient.RoundRequest{Name: name, OpensOn: day(2000, 1, 1), ClosesOn: day(2099, 12, 31)}
}

func day(y int, m time.Month, d int) openapi_types.Date {
	return openapi_types.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// clockReading is GET /api/v1/clock and the wall time it was read at.
type clockReading struct {
	lbclient.Clock
	wall time.Time
}

func (p *devProcess) clock(t *testing.T) clockReading {
	t.Helper()
	sent := time.Now()
	r, err := lbclient.Expect(p.env.api.GetClockWithResponse(context.Background()))
	if err != nil {
		t.Fatalf("GET /api/v1/clock: %v", err)
	}
	return clockReading{Clock: *r.JSON200, wall: sent.Add(time.Since(sent) / 2)}
}

// interrupt sends SIGINT and returns the exit code, failing t if the
// process takes longer than timeout.
func (p *devProcess) interrupt(t *testing.T, timeout time.Duration) int {
	t.Helper()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(timeout):
		t.Fatalf("dev still running %s after SIGINT", timeout)
		return -1
	}
}

// process is an entry of /proc.
type process struct {
	pid          int
	cwd, cmdline string
}

// processesUsing lists the processes whose command line mentions dir or
// whose working folder is inside it. PostgreSQL's helper processes rewrite
// their command line but keep the data folder as working folder.
func processesUsing(dir string) []process {
	entries, _ := os.ReadDir("/proc")
	var found []process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(raw) == 0 { // gone, or a zombie
			continue
		}
		p := process{pid: pid, cmdline: strings.TrimSpace(string(bytes.ReplaceAll(raw, []byte{0}, []byte{' '})))}
		p.cwd, _ = os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if strings.Contains(p.cmdline, dir) || p.cwd == dir || strings.HasPrefix(p.cwd, dir+"/") {
			found = append(found, p)
		}
	}
	return found
}

// stillPresent returns those of ps that are still in the process table,
// zombies included.
func stillPresent(ps []process) []process {
	var left []process
	for _, p := range ps {
		if _, err := os.Stat(filepath.Join("/proc", strconv.Itoa(p.pid))); err == nil {
			left = append(left, p)
		}
	}
	return left
}

func describe(ps []process) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%d (cwd %s): %s\n", p.pid, p.cwd, p.cmdline)
	}
	return b.String()
}

// cleanEnv is the test's environment without the settings that would point
// dev at other servers or another secret.
func cleanEnv() []string { return config.Without(os.Environ(), "LB_TEMPORAL_CLI") }

// freePorts returns n distinct ports nobody listens on right now.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}
