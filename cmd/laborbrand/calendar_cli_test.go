package main_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The calendar commands of API.md answer from the embedded official
// schedules (RULES §5), in the formats clients parse.
func TestCalendarCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the built binary")
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"民法典第二百零一条: the first counted day is the day after; 国庆 2026 is skipped",
			[]string{"calendar", "add-workdays", "2026-09-30", "1"}, "2026-10-08\n"},
		{"调休: Saturday 2026-10-10 is a working day",
			[]string{"calendar", "days", "2026-10-07", "2026-10-11"},
			"2026-10-07\toff\n2026-10-08\tworkday\n2026-10-09\tworkday\n2026-10-10\tworkday\n2026-10-11\toff\n"},
		{"民法典第二百零二条: 01-31 + 1 month ends on the month's last day",
			[]string{"calendar", "period", "2026-01-31", "--months", "1"}, "2026-02-28\n"},
		{"a deadline to act inside 国庆 moves to the next working day",
			[]string{"calendar", "period", "2026-09-01", "--months", "1", "--act"}, "2026-10-08\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(binary, c.args...)
			cmd.Env = cleanEnv()
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %v", c.args, err)
			}
			if string(out) != c.want {
				t.Errorf("%v:\n got %q\nwant %q", c.args, out, c.want)
			}
		})
	}
	bad := exec.Command(binary, "calendar", "add-workdays", "2026-02-30", "1")
	bad.Env = cleanEnv()
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "2026-02-30") {
		t.Errorf("an impossible date must fail naming it: %s", out)
	}
}
