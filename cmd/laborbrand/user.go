package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	osuser "os/user"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/kunming-hrss/laborbrand/internal/dev/devstack"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/config"
	"github.com/kunming-hrss/laborbrand/store"
)

const userUsage = `usage:
  laborbrand user add --username U --role R [--county C] [--uscc U] [--expert E] [--data-dir D]
  laborbrand user passwd --username U [--data-dir D]
  laborbrand user disable --username U [--data-dir D]
  laborbrand user list [--data-dir D]
The password is read from standard input (one line), never from the command line.`

// runUser manages console accounts (API.md: laborbrand user …).
func runUser(cfg config.Config, args []string) error {
	return userCommand(cfg, args, os.Stdin, os.Stdout)
}

func userCommand(cfg config.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || !slices.Contains([]string{"add", "passwd", "disable", "list"}, args[0]) {
		return usageError{errors.New(userUsage)}
	}
	fs := flag.NewFlagSet("user "+args[0], flag.ContinueOnError)
	username := fs.String("username", "", "the account's user name")
	role := fs.String("role", "", "applicant|county_officer|city_officer|expert|supervisor|admin")
	county := fs.String("county", "", "county code (county_officer)")
	holder := fs.String("uscc", "", "the holder's USCC (applicant)")
	expert := fs.String("expert", "", "the expert's id in the pool (expert)")
	dataDir := fs.String("data-dir", cfg.DataDir, "dev data dir whose database is used when DATABASE_URL is unset")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if (args[0] == "passwd" || args[0] == "disable") && strings.TrimSpace(*username) == "" {
		return usageError{fmt.Errorf("user %s: --username is required", args[0])}
	}
	// The holder's code as the library keeps it (full width and lower case
	// folded, the spaces around it dropped), or no application of its holder
	// would match it.
	newAccount := store.Account{Username: strings.TrimSpace(*username), Role: *role, County: strings.TrimSpace(*county),
		USCC: uscc.Normalize(*holder), ExpertID: strings.TrimSpace(*expert)}
	if args[0] == "add" {
		// Refused before the database is opened (and, on a dev stack,
		// migrated): a code failing its check may yet be one the city let
		// through, which only the database knows.
		if err := checkNewAccount(newAccount, true); err != nil {
			return usageError{fmt.Errorf("user add: %w", err)}
		}
	}
	ctx := context.Background()
	st, err := openAccountsStore(ctx, cfg, *dataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	by := store.AccountChange{At: time.Now(), Actor: cliActor(), Role: string(auth.Admin)}
	switch args[0] {
	case "add":
		a := newAccount
		overridden := false
		if auth.Role(a.Role) == auth.Applicant && a.USCC != "" && uscc.Validate(a.USCC) != nil {
			// RULES §2: a code the city let through its check, its reason
			// on record, is the holder's as the library has it.
			var err error
			if overridden, err = st.USCCOverridden(ctx, a.USCC); err != nil {
				return err
			}
		}
		if err := checkNewAccount(a, overridden); err != nil {
			return usageError{fmt.Errorf("user add: %w", err)}
		}
		hash, err := readPassword(stdin, a.Username)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		a.PasswordHash = hash
		if _, err := st.CreateAccount(ctx, a, by); errors.Is(err, store.ErrAccountExists) {
			return fmt.Errorf("user add: the user name %q is taken", a.Username)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "account %s (%s) created\n", a.Username, a.Role)
	case "passwd":
		hash, err := readPassword(stdin, *username)
		if err != nil {
			return fmt.Errorf("user passwd: %w", err)
		}
		if err := st.SetPassword(ctx, *username, hash, by); err != nil {
			return fmt.Errorf("user passwd %s: %w", *username, err)
		}
		fmt.Fprintf(stdout, "password of %s changed; its sessions are ended and it is unlocked\n", *username)
	case "disable":
		if err := st.DisableAccount(ctx, *username, by); err != nil {
			return fmt.Errorf("user disable %s: %w", *username, err)
		}
		fmt.Fprintf(stdout, "account %s disabled; its sessions are ended\n", *username)
	case "list":
		accounts, err := st.Accounts(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USERNAME\tROLE\tBINDING\tTOTP\tSTATE")
		for _, a := range accounts {
			state := "active"
			switch {
			case a.Disabled:
				state = "disabled"
			case a.LockedUntil != nil && a.LockedUntil.After(time.Now()):
				state = "locked until " + a.LockedUntil.Local().Format("15:04")
			case a.PasswordToChange:
				state = "temporary password"
			}
			totp := "no"
			if a.TOTPEnrolled {
				totp = "yes"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Username, a.Role, a.County+a.USCC+a.ExpertID, totp, state)
		}
		return w.Flush()
	}
	return nil
}

// checkNewAccount refuses an account whose role and bindings disagree.
// overridden: an applicant's USCC fails its check, and is the code of an
// application the city entered with the override (store.USCCOverridden).
func checkNewAccount(a store.Account, overridden bool) error {
	r := auth.Role(a.Role)
	switch {
	case account.UsernameProblem(a.Username) != "":
		return errors.New("--username: 3 to 32 letters, digits, '-', '_' or '.' (用户名为3至32位字母、数字、“-”“_”或“.”)")
	case !r.Valid():
		return fmt.Errorf("--role %q: one of applicant, county_officer, city_officer, expert, supervisor, admin", a.Role)
	case r == auth.CountyOfficer && form.CountyName(a.County) == "":
		return fmt.Errorf("--county %q: a county officer needs one of Kunming's county codes", a.County)
	case r != auth.CountyOfficer && a.County != "":
		return errors.New("--county is for county officers only")
	case r == auth.Applicant && uscc.Validate(a.USCC) != nil && !overridden:
		return fmt.Errorf("--uscc %q: an applicant needs its holder's valid USCC (or one the city entered with the override, RULES §2)", a.USCC)
	case r != auth.Applicant && a.USCC != "":
		return errors.New("--uscc is for applicants only")
	case r == auth.Expert && a.ExpertID == "":
		return errors.New("--expert: an expert needs its id in the pool")
	case r != auth.Expert && a.ExpertID != "":
		return errors.New("--expert is for experts only")
	}
	return nil
}

// readPassword reads one line from stdin, checks it against the policy and
// hashes it.
func readPassword(stdin io.Reader, username string) (string, error) {
	var password string
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// Typed at a terminal: not shown, nor left on the screen.
		fmt.Fprint(os.Stderr, "password: ")
		typed, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil || len(typed) == 0 {
			return "", errors.New("no password typed")
		}
		password = string(typed)
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && (!errors.Is(err, io.EOF) || line == "") {
			return "", errors.New("no password on standard input")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if msg := account.CheckPolicy(username, password); msg != "" {
		return "", fmt.Errorf("password refused: %s", msg)
	}
	return account.HashPassword(password)
}

// openAccountsStore opens DATABASE_URL or, when it is unset, the database
// of the dev stack whose data dir is dataDir (its saved port and password).
// A dev stack's database gets the migrations applied; a deployment's is
// migrated only by `laborbrand migrate`, a step of its rollout (DEPLOYMENT):
// one not yet migrated is refused, never migrated by an account's command.
func openAccountsStore(ctx context.Context, cfg config.Config, dataDir string) (*store.Store, error) {
	url := cfg.DatabaseURL
	if url == "" {
		port := savedPortAny(dataDir, "postgres.port")
		if port == 0 {
			return nil, fmt.Errorf("set DATABASE_URL, or start `laborbrand dev --data-dir %s` first (no %s)", dataDir,
				filepath.Join(dataDir, "postgres.port"))
		}
		url = devstack.PostgresURL(filepath.Join(dataDir, "postgres"), port, "laborbrand")
		if err := store.Migrate(ctx, url); err != nil {
			return nil, fmt.Errorf("database (is the dev stack running?): %w", err)
		}
		return store.Open(ctx, url)
	}
	switch pending, err := store.HasPendingMigrations(ctx, url); {
	case err != nil:
		return nil, fmt.Errorf("database: %w", err)
	case pending:
		return nil, errors.New("the database is not migrated to this binary: run `laborbrand migrate` as the rollout says, then try again")
	}
	return store.Open(ctx, url)
}

// cliActor names who ran the command in the audit trail: "cli:" and the
// operating-system user on this host, "cli" alone when it cannot be told.
func cliActor() string {
	u, err := osuser.Current()
	if err != nil {
		return "cli"
	}
	host, _ := os.Hostname()
	return "cli:" + strings.TrimSuffix(u.Username+"@"+host, "@")
}
