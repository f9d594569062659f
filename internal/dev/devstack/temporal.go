package devstack

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// TemporalCLIModule is the pinned Temporal CLI. Later tags carry a replace
// directive and cannot be installed with `go install …@version`.
const TemporalCLIModule = "github.com/temporalio/cli/cmd/temporal@v1.5.1"

// FindTemporalCLI returns the temporal binary: the configured path
// (LB_TEMPORAL_CLI) when there is one, else the first found in PATH, $GOBIN
// and $GOPATH/bin.
func FindTemporalCLI(configured string) (string, error) {
	if configured != "" {
		if exists(configured) {
			return configured, nil
		}
		return "", fmt.Errorf("LB_TEMPORAL_CLI=%s: %w", configured, errNotFound)
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	for _, dir := range goBinDirs() {
		if p := filepath.Join(dir, "temporal"); exists(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("temporal CLI: %w", errNotFound)
}

// goBinDirs are where `go install` puts binaries: `go env` reports $GOBIN
// and $GOPATH as the go command sees them.
func goBinDirs() []string {
	var dirs []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
			dirs = append(dirs, strings.TrimSpace(lines[0]))
		}
		if len(lines) > 1 {
			for _, p := range filepath.SplitList(strings.TrimSpace(lines[1])) {
				dirs = append(dirs, filepath.Join(p, "bin"))
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}

// EnsureTemporalCLI finds the temporal binary (see FindTemporalCLI) or,
// unless a path was configured, builds the pinned version with `go
// install` once per machine, telling log what it does.
func EnsureTemporalCLI(ctx context.Context, configured string, log io.Writer) (string, error) {
	if p, err := FindTemporalCLI(configured); err == nil || configured != "" {
		return p, err
	}
	fmt.Fprintf(logTo(log), "temporal CLI not found: installing %s with `go install` (once per machine, a few minutes)…\n", TemporalCLIModule)
	cmd := exec.CommandContext(ctx, "go", "install", TemporalCLIModule)
	cmd.Stdout, cmd.Stderr = logTo(log), logTo(log)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install %s: %w", TemporalCLIModule, err)
	}
	return FindTemporalCLI("")
}

// TemporalOptions configure a Temporal dev server.
type TemporalOptions struct {
	Binary    string // path to the temporal CLI
	DBFile    string // SQLite file; workflows survive a restart
	Port      int    // frontend gRPC port
	UIPort    int    // 0 → headless (no UI)
	Namespace string
	Log       io.Writer
	// Avoid are ports promised to servers started after this one (the
	// API's): the server's own HTTP and metrics ports are none of them.
	Avoid []int
	// SearchAttributes are registered with the namespace when the SQLite
	// file is created, so they exist before the first workflow starts. A
	// file created before an attribute was added gets it from
	// EnsureSearchAttributes; its upserts may be refused (and retried) for
	// the server's attribute cache's minute, once.
	SearchAttributes map[string]enums.IndexedValueType
	// PreciseTimers fires a timer within milliseconds of its due instant
	// instead of up to a second after it: for a business clock that runs
	// faster than the wall (`laborbrand dev --time-scale`), where a second
	// can be ten business days.
	PreciseTimers bool
}

// Temporal is a running dev server.
type Temporal struct {
	*Process
	Address string
	UIURL   string
}

// StartTemporal starts `temporal server start-dev` and waits until its
// frontend serves: a client can dial it at once.
func StartTemporal(ctx context.Context, o TemporalOptions) (*Temporal, error) {
	if !PortFree(o.Port) {
		return nil, fmt.Errorf("temporal port %d is in use (choose another with --temporal-port, or set TEMPORAL_ADDRESS to use a running server)", o.Port)
	}
	// Its HTTP and metrics ports are picked free here and bound by the
	// server a moment later; meanwhile an outgoing connection may take one
	// as its own port (CI, 2026-12-04). They are picked again then.
	for attempt := 1; ; attempt++ {
		t, err := startTemporal(ctx, o)
		if err == nil || attempt == 3 || !lostPickedPort(err, o.Port) {
			return t, err
		}
	}
}

// lostPickedPort reports whether a start failed because a port picked for
// it, not the one its caller chose, was taken before it bound it.
func lostPickedPort(err error, chosen int) bool {
	said := err.Error()
	return strings.Contains(said, "address already in use") && !strings.Contains(said, fmt.Sprintf("127.0.0.1:%d:", chosen))
}

func startTemporal(ctx context.Context, o TemporalOptions) (*Temporal, error) {
	promised := append([]int{o.Port, o.UIPort}, o.Avoid...)
	httpPort, err := FreePort(promised...)
	if err != nil {
		return nil, err
	}
	metricsPort, err := FreePort(append(promised, httpPort)...)
	if err != nil {
		return nil, err
	}
	args := []string{"server", "start-dev",
		"--ip", "127.0.0.1",
		"--port", strconv.Itoa(o.Port),
		"--http-port", strconv.Itoa(httpPort),
		"--metrics-port", strconv.Itoa(metricsPort),
		"--db-filename", o.DBFile,
		"--namespace", o.Namespace,
		"--log-level", "warn",
		// SQLite's defaults (a rollback journal, synchronous=FULL) fsync
		// several times per commit, and every workflow task is a commit
		// through the dev server's one connection: that, not CPU, set its
		// pace (docs/PERFORMANCE.md). A write-ahead log synced at
		// checkpoints survives a killed process, which is what a
		// development stack must survive; a lost power supply may lose its
		// last transactions, which production's PostgreSQL-backed Temporal
		// never risks.
		"--sqlite-pragma", "journal_mode=wal",
		"--sqlite-pragma", "synchronous=normal",
		// The CLI's default (true) rereads the attribute types from SQLite
		// on every upsert a workflow task carries: 10–30 ms each under load,
		// several per decision (docs/PERFORMANCE.md). Attributes registered
		// at the start (below) are in the server's cache from the first
		// read, as in production; only a server whose attributes are added
		// later (EnsureSearchAttributes) needs the reread, or it refuses
		// their upserts for the cache's minute.
		"--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=" + strconv.FormatBool(len(o.SearchAttributes) == 0),
		// A decision's own write (workflows: changeDecisionWritesByCaller)
		// is an activity the worker that completed the task runs at once,
		// handed back with the task's completion instead of queued and
		// polled for.
		"--dynamic-config-value", "system.enableActivityEagerExecution=true",
		// The CLI caps the history service's cache of workflows at 8,096
		// entries, where the server's own default is 128,000; a workflow
		// told by its ID takes two (its run and the lookup of the current
		// one). With 10,000 brands open every Update of a calendar
		// revision, told in ID order, then missed and read the workflow's
		// state back from SQLite (docs/PERFORMANCE.md). The server's
		// default, as production runs it.
		"--dynamic-config-value", "history.hostLevelCacheMaxSize=128000",
	}
	if o.PreciseTimers {
		// The timer queue reads ahead by MaxTimeShift (1 s) and moves a
		// timer due inside what it has already read to the end of that
		// window, so a timer of a few milliseconds fired a second late. The
		// queues' reads are also limited to 20 a second (MaxPollRPS), so a
		// timer or a workflow task waited up to 50 ms for a read. Measured
		// in docs/PERFORMANCE.md (deadlines at ×864000); at the real time
		// scale a second late is nothing, so production keeps the defaults.
		args = append(args,
			"--dynamic-config-value", `history.timerProcessorMaxTimeShift="10ms"`,
			"--dynamic-config-value", "history.timerProcessorMaxPollRPS=200",
			"--dynamic-config-value", "history.transferProcessorMaxPollRPS=200")
	}
	for _, name := range slices.Sorted(maps.Keys(o.SearchAttributes)) {
		args = append(args, "--search-attribute", name+"="+shorthand(o.SearchAttributes[name]))
	}
	uiURL := ""
	if o.UIPort > 0 {
		if !PortFree(o.UIPort) {
			return nil, fmt.Errorf("temporal UI port %d is in use (choose another with --ui-port)", o.UIPort)
		}
		args = append(args, "--ui-ip", "127.0.0.1", "--ui-port", strconv.Itoa(o.UIPort))
		uiURL = fmt.Sprintf("http://127.0.0.1:%d", o.UIPort)
	} else {
		args = append(args, "--headless")
	}
	cmd := exec.Command(o.Binary, args...)
	out := &startOutput{log: logTo(o.Log)}
	cmd.Stdout, cmd.Stderr = out, out
	// The output now flows through a pipe that Wait drains: a descendant
	// holding it must not keep Stop waiting.
	cmd.WaitDelay = 5 * time.Second
	p, err := start("temporal dev server", cmd, syscall.SIGTERM)
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", o.Port)
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err = waitUntil(wctx, p, "listening on "+addr, acceptsConnections(addr))
	if err == nil {
		err = waitUntil(wctx, p, "serving on "+addr, frontendServes(wctx, addr))
	}
	if err != nil {
		p.Stop(5 * time.Second)
		if said := out.String(); said != "" {
			return nil, fmt.Errorf("%w; it printed:\n%s", err, said)
		}
		return nil, err
	}
	return &Temporal{Process: p, Address: addr, UIURL: uiURL}, nil
}

// frontendServes is a try of waitUntil: client.Dial succeeds, which asks
// the frontend for its system info. It accepts connections a moment before
// it serves ("Frontend is not healthy yet", CI 2026-12-01), and whoever
// started it dials at once.
func frontendServes(ctx context.Context, addr string) func() error {
	quiet := sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	return func() error {
		c, err := client.DialContext(ctx, client.Options{HostPort: addr, Logger: quiet})
		if err == nil {
			c.Close()
		}
		return err
	}
}

// shorthand is the type's name as start-dev's --search-attribute takes it
// ("Keyword", "KeywordList", "Datetime", …).
func shorthand(t enums.IndexedValueType) string {
	for name, v := range enums.IndexedValueType_shorthandValue {
		if v == int32(t) {
			return name
		}
	}
	return t.String()
}

// EnsureSearchAttributes adds every attribute of want the namespace lacks.
// Attributes given to start-dev are ignored for a namespace that already
// exists in the SQLite file, so this runs at every start.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string, want map[string]enums.IndexedValueType) error {
	var resp *operatorservice.ListSearchAttributesResponse
	var err error
	for attempt := 0; ; attempt++ { // the namespace may still be registering right after start-up
		resp, err = c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		if err == nil || attempt >= 50 || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("list search attributes of %s: %w", namespace, err)
	}
	missing := map[string]enums.IndexedValueType{}
	for name, typ := range want {
		if _, ok := resp.CustomAttributes[name]; !ok {
			missing[name] = typ
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	if err != nil {
		return fmt.Errorf("add search attributes to %s: %w", namespace, err)
	}
	return nil
}
