package faults_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// secret signs the tokens of the fault runs (LB_JWT_SECRET of the API).
var secret = []byte("fault-runs-signing-secret-0123456789abcdef")

// stack is one fault run's servers and laborbrand processes, each a child of
// the test binary that dies with it.
type stack struct {
	t            *testing.T
	dir          string
	pgPort       int
	temporalPort int
	httpPort     int // the API's, promised before Temporal starts
	httpAddr     string
	metricsPort  int // the worker's /metrics (LB_WORKER_HTTP_ADDR), one worker at a time
	pg           *devstack.Postgres
	temporal     *devstack.Temporal
	temporalBin  string
	api, worker  *child
	children     []*child // every laborbrand process started, dead or alive
	workers      int      // worker processes started so far
	apis         int      // API processes started so far
}

// startStack starts PostgreSQL, the Temporal dev server (file-backed), runs
// the migrations and starts the API and one worker; everything is stopped
// when t ends.
func startStack(t *testing.T) *stack {
	t.Helper()
	if testing.Short() {
		t.Skip("fault run against a real stack: skipped with -short")
	}
	// t.TempDir() is 0700 for root; PostgreSQL runs as the postgres user.
	dir, err := os.MkdirTemp("", "laborbrand-faults-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &stack{t: t, dir: dir}
	s.pgPort = freePort(t)
	s.temporalPort = freePort(t, s.pgPort)
	s.httpPort = freePort(t, s.pgPort, s.temporalPort)
	s.httpAddr = fmt.Sprintf("127.0.0.1:%d", s.httpPort)
	s.metricsPort = freePort(t, s.pgPort, s.temporalPort, s.httpPort)
	t.Cleanup(s.stop)

	s.startPostgres()
	if s.temporalBin, err = devstack.EnsureTemporalCLI(context.Background(), testenv.Settings(t).TemporalCLI, os.Stderr); err != nil {
		t.Fatalf("temporal CLI: %v", err)
	}
	s.startTemporal()
	if out, err := s.command("migrate").CombinedOutput(); err != nil {
		t.Fatalf("laborbrand migrate: %v\n%s", err, out)
	}
	s.startAPI()
	s.startWorker()
	return s
}

func (s *stack) startPostgres() {
	s.t.Helper()
	pg, err := devstack.StartPostgres(context.Background(), devstack.PostgresOptions{
		Dir: filepath.Join(s.dir, "postgres"), Port: s.pgPort, Database: "laborbrand"})
	if err != nil {
		s.t.Fatalf("start PostgreSQL: %v", err)
	}
	s.pg = pg
}

func (s *stack) startTemporal() {
	s.t.Helper()
	log, err := os.OpenFile(filepath.Join(s.dir, "temporal.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	tp, err := devstack.StartTemporal(context.Background(), devstack.TemporalOptions{Binary: s.temporalBin,
		DBFile: filepath.Join(s.dir, "temporal.db"), Port: s.temporalPort, Namespace: "default", Log: log,
		SearchAttributes: workflows.SearchAttributes, Avoid: []int{s.httpPort, s.metricsPort}})
	if err != nil {
		log.Close()
		s.t.Fatalf("start Temporal: %v", err)
	}
	go func() { <-tp.Done(); log.Close() }()
	s.temporal = tp
}

// startWorker starts a new worker process and waits until it polls.
func (s *stack) startWorker() {
	s.t.Helper()
	s.workers++
	s.worker = s.spawn(fmt.Sprintf("worker-%d", s.workers), "worker")
	s.worker.waitLog(s.t, "worker running", time.Minute)
}

// startAPI starts a new API process and waits until it is ready.
func (s *stack) startAPI() {
	s.t.Helper()
	s.apis++
	name := "api"
	if s.apis > 1 {
		name = fmt.Sprintf("api-%d", s.apis)
	}
	s.api = s.spawn(name, "api")
	s.waitReady(time.Minute)
}

// killAPI ends the API with SIGKILL: the requests in flight are cut off
// wherever they are — an Idempotency-Key claimed, a decision sent and not
// written — and nothing is answered or forgotten.
func (s *stack) killAPI() {
	s.t.Helper()
	if err := s.api.cmd.Process.Kill(); err != nil {
		s.t.Fatalf("kill API: %v", err)
	}
	<-s.api.exited
}

// killWorker ends the worker with SIGKILL: no shutdown, no goodbye to Temporal.
func (s *stack) killWorker() {
	s.t.Helper()
	if err := s.worker.cmd.Process.Kill(); err != nil {
		s.t.Fatalf("kill worker: %v", err)
	}
	<-s.worker.exited
}

// env is the laborbrand processes' environment: the test's, without any
// setting that would point them elsewhere, plus this stack's.
func (s *stack) env() []string {
	return append(config.Without(os.Environ()), "DATABASE_URL="+s.pg.URL, "TEMPORAL_ADDRESS="+s.temporal.Address,
		"LB_JWT_SECRET="+string(secret), "LB_HTTP_ADDR="+s.httpAddr, "LB_DATA_DIR="+s.dir,
		fmt.Sprintf("LB_WORKER_HTTP_ADDR=127.0.0.1:%d", s.metricsPort))
}

// command is `laborbrand args…` with the stack's environment.
func (s *stack) command(args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = s.env()
	return cmd
}

// auditVerify runs `laborbrand audit verify` and returns its output.
func (s *stack) auditVerify() string {
	s.t.Helper()
	out, err := s.command("audit", "verify").CombinedOutput()
	if err != nil {
		s.t.Fatalf("laborbrand audit verify: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// settledBySweep is how many decisions the workers' writes sweeps settled
// (their log's "settled decisions sent and not written", settled=N).
func (s *stack) settledBySweep() int {
	total := 0
	for _, c := range s.children {
		if !strings.HasPrefix(c.name, "worker") {
			continue
		}
		for _, line := range strings.Split(c.grep(1000, "settled decisions sent and not written"), "\n") {
			var n int
			if _, after, ok := strings.Cut(line, " settled="); ok && !strings.Contains(line, "error=") {
				fmt.Sscan(after, &n)
			}
			total += n
		}
	}
	return total
}

// waitReady polls GET /readyz until it is 200.
func (s *stack) waitReady(within time.Duration) {
	s.t.Helper()
	c := apiclient.New("http://"+s.httpAddr, nil, 1).WithTimeout(5 * time.Second)
	defer c.Close()
	testenv.Eventually(s.t, within, "GET /readyz is 200", func() error {
		select {
		case <-s.api.exited:
			s.t.Fatalf("the API exited: %v\n%s", s.api.err, s.api.tail(40))
		default:
		}
		return c.Ready(context.Background())
	})
}

// stop ends the laborbrand processes, then Temporal and PostgreSQL; on
// failure, or with LB_FAULT_LOGS set, it shows the end of each process's log.
func (s *stack) stop() {
	for _, c := range s.children {
		c.stop()
	}
	if s.t.Failed() || testenv.Settings(s.t).FaultLogs {
		for _, c := range s.children {
			s.t.Logf("errors in %s's log:\n%s", c.name, c.grep(40, "level=ERROR", "status=5", "not found"))
			s.t.Logf("end of %s's log:\n%s", c.name, c.tail(20))
		}
	}
	if s.temporal != nil {
		s.temporal.Stop(20 * time.Second)
	}
	if s.pg != nil {
		s.pg.Stop(20 * time.Second)
	}
}

// child is a laborbrand process started by a fault run.
type child struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{}
	err     error // of cmd.Wait, once exited is closed
}

// spawn starts `laborbrand args…` (args default to name), its output going
// to a log file in the stack's folder.
func (s *stack) spawn(name string, args ...string) *child {
	s.t.Helper()
	if len(args) == 0 {
		args = []string{name}
	}
	logPath := filepath.Join(s.dir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := s.command(args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := startLocked(cmd); err != nil {
		log.Close()
		s.t.Fatalf("start laborbrand %s: %v", name, err)
	}
	c := &child{name: name, cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	s.children = append(s.children, c)
	go func() {
		c.err = cmd.Wait()
		log.Close()
		close(c.exited)
	}()
	return c
}

// stop asks the process to end (SIGTERM) and kills it after 15 s.
func (c *child) stop() {
	select {
	case <-c.exited:
		return
	default:
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(15 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
}

// waitLog waits until the process's log contains text.
func (c *child) waitLog(t *testing.T, text string, within time.Duration) {
	t.Helper()
	testenv.Eventually(t, within, fmt.Sprintf("%s logs %q", c.name, text), func() error {
		select {
		case <-c.exited:
			t.Fatalf("%s exited: %v\n%s", c.name, c.err, c.tail(40))
		default:
		}
		b, _ := os.ReadFile(c.logPath)
		if !bytes.Contains(b, []byte(text)) {
			return fmt.Errorf("not yet")
		}
		return nil
	})
}

// grep returns the first n lines of the process's log that contain any of
// words.
func (c *child) grep(n int, words ...string) string {
	b, _ := os.ReadFile(c.logPath)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, w := range words {
			if strings.Contains(line, w) && len(out) < n {
				out = append(out, line)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// tail returns the last n lines of the process's log.
func (c *child) tail(n int) string {
	b, _ := os.ReadFile(c.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// spawnRequests feeds one goroutine locked to a thread that never exits:
// Linux sends Pdeathsig when the thread that forked the child exits, so
// forking there makes it mean "when the test binary dies" (as in devstack).
var spawnRequests = make(chan spawnRequest)

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

func init() {
	go func() {
		runtime.LockOSThread()
		for req := range spawnRequests {
			req.reply <- req.cmd.Start()
		}
	}()
}

func startLocked(cmd *exec.Cmd) error {
	reply := make(chan error)
	spawnRequests <- spawnRequest{cmd: cmd, reply: reply}
	return <-reply
}

// freePort is a port none of promised, which are not yet bound.
func freePort(t *testing.T, promised ...int) int {
	t.Helper()
	p, err := devstack.FreePort(promised...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
