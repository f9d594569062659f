// Package devstack starts the servers a local laborbrand needs — the Temporal
// dev server and a private PostgreSQL cluster — as child processes that die
// with their parent. `laborbrand dev` and the integration tests share it.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a child server process.
type Process struct {
	Name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	stop syscall.Signal
}

// spawnRequests feeds the one goroutine that starts every child. Linux sends a
// child its Pdeathsig when the *thread* that forked it exits, and the Go
// runtime may retire threads at will; forking from one goroutine locked to a
// thread that never exits makes Pdeathsig mean "when this process dies".
var spawnRequests = make(chan spawnRequest)

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

func init() {
	go func() {
		runtime.LockOSThread() // never unlocked: this thread lives as long as the process
		for req := range spawnRequests {
			req.reply <- req.cmd.Start()
		}
	}()
}

// start launches cmd so that it receives deathSig when this process dies,
// even by SIGKILL, and stopSig when Stop is called.
func start(name string, cmd *exec.Cmd, stopSig syscall.Signal) (*Process, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr.Setpgid = true // Ctrl-C in the terminal reaches the parent only; it stops children in order
	reply := make(chan error)
	spawnRequests <- spawnRequest{cmd: cmd, reply: reply}
	if err := <-reply; err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, cmd: cmd, done: make(chan struct{}), stop: stopSig}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the child's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Stop asks the process to shut down cleanly and kills it after timeout.
func (p *Process) Stop(timeout time.Duration) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(p.stop)
	select {
	case <-p.done:
		return nil
	case <-time.After(timeout):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within %s and was killed", p.Name, timeout)
	}
}

// FreePort returns a TCP port on 127.0.0.1 that nobody listens on right now,
// for a child to bind later, and none of avoid: the ports already promised to
// a server that has not bound them yet. The kernel may hand the same free port
// to the next caller until it is bound: a Temporal dev server given its own
// gRPC port as its metrics port panics (exit status 2, as CI saw on
// 2026-12-01 and `start-dev --port P --metrics-port P` does every time).
func FreePort(avoid ...int) (int, error) {
	var held []net.Listener // kept open while picking, so a retry gets another port
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		held = append(held, l)
		if port := l.Addr().(*net.TCPAddr).Port; !slices.Contains(avoid, port) {
			return port, nil
		}
	}
	return 0, fmt.Errorf("no free port outside %v", avoid)
}

// PortFree reports whether port can be listened on.
func PortFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// waitUntil retries try every 100 ms until it succeeds, the process exits
// or ctx ends; state names what is awaited ("listening on 127.0.0.1:7233").
func waitUntil(ctx context.Context, p *Process, state string, try func() error) error {
	for {
		err := try()
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before %s: %v", p.Name, state, p.err)
		case <-ctx.Done():
			return fmt.Errorf("%s not %s: %w (last: %v)", p.Name, state, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// acceptsConnections is a try of waitUntil: something accepts connections
// on addr.
func acceptsConnections(addr string) func() error {
	return func() error {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err
	}
}

// startOutput keeps the first bytes a child prints and passes everything on
// to log. When the child dies before it serves, the cause it printed comes
// first — a Go panic's message before its goroutine trace — and says more
// than its exit status. A failing log (a full disk) must not stop the
// child: its output then goes nowhere, where a broken pipe would kill it.
type startOutput struct {
	log io.Writer
	mu  sync.Mutex
	buf []byte
}

const startOutputBytes = 4096

func (o *startOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	if room := startOutputBytes - len(o.buf); room > 0 {
		o.buf = append(o.buf, p[:min(room, len(p))]...)
	}
	o.mu.Unlock()
	_, _ = o.log.Write(p)
	return len(p), nil
}

// String is the kept output, or "" when the child printed nothing.
func (o *startOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.TrimSpace(string(o.buf))
}

// logTo returns w, or io.Discard when w is nil.
func logTo(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

var errNotFound = errors.New("not found")
