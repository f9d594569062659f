package procstat_test

import (
	"os"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/procstat"
)

func TestAllFindsThisProcessWithItsParent(t *testing.T) {
	all := procstat.All()
	if all == nil {
		t.Skip("no /proc here")
	}
	me, ok := all[os.Getpid()]
	if !ok || me.PPID != os.Getppid() || me.Comm == "" || me.CPUSeconds < 0 {
		t.Fatalf("this process: %+v (found %v)", me, ok)
	}
}
