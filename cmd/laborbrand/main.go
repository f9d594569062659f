// Command laborbrand runs 昆明市市级劳务品牌项目库: the whole stack for local
// use (dev), the worker and the HTTP API as separate production processes,
// and the operator's tools (migrate, token, audit, calendar).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/kunming-hrss/laborbrand/internal/platform/config"
)

const usage = `laborbrand — 昆明市市级劳务品牌项目库

Usage:
  laborbrand dev [flags]           the whole stack: Temporal dev server + UI, PostgreSQL, worker, API
  laborbrand worker                the Temporal worker (production)
  laborbrand api                   the HTTP API (production)
  laborbrand migrate               apply database migrations
  laborbrand token --role R [--county C] [--uscc U] [--sub S] [--ttl D]
  laborbrand token revoke --sub S  refuse the subject's tokens issued until now
  laborbrand user add|passwd|disable|list   console accounts (password on standard input)
  laborbrand audit verify          check the audit trail's hash chain
  laborbrand calendar add-workdays FROM N
  laborbrand calendar days FROM TO
  laborbrand calendar period FROM --months N [--act]

Run "laborbrand <command> -h" for a command's flags; the environment's settings
are listed in README.md (and in package internal/platform/config).
`

// serves names the production processes, which keep their heap under their
// cgroup's memory limit. Not dev: its PostgreSQL and Temporal share that
// limit, so nine tenths of it for laborbrand alone would promise nothing.
var serves = map[string]bool{"worker": true, "api": true}

func main() {
	collectLessOften(os.Getenv("GOGC"))
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmds := map[string]func(config.Config, []string) error{
		"dev": runDev, "worker": runWorker, "api": runAPI, "migrate": runMigrate,
		"token": runToken, "audit": runAudit, "calendar": runCalendar, "user": runUser,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		if os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
			fmt.Print(usage)
			return
		}
		fmt.Fprintf(os.Stderr, "laborbrand: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "laborbrand: settings:", err)
		os.Exit(1)
	}
	if serves[os.Args[1]] {
		log := newLogger(cfg) // the limit it sets is logged, as is a limit it could not read
		stayUnderTheMemoryLimit(cgroupLimit(memlimit.FromCgroup, log), log)
	}
	err = run(cfg, os.Args[2:])
	var misuse usageError
	switch {
	case errors.Is(err, flag.ErrHelp): // -h: the flags are printed already
	case errors.As(err, &misuse):
		fmt.Fprintln(os.Stderr, "laborbrand:", err)
		os.Exit(2) // as the flag package and the shell's own commands do
	case err != nil:
		fmt.Fprintln(os.Stderr, "laborbrand:", err)
		os.Exit(1)
	}
}

// usageError is a command used wrongly — no such subcommand, a flag's value
// refused before anything is read — answered with exit status 2, apart from
// a failure of the work itself (1).
type usageError struct{ error }

func (u usageError) Unwrap() error { return u.error }
