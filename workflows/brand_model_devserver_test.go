package workflows_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

var devLives = flag.Int("model.devlives", 3, "random brand lives the dev-server model test runs and replays")

// Issue 17 item 4, "the history replays": random lives driven by the
// model-based test's steps, on a real Temporal dev server with a business
// clock of ten days a second (an evaluation window opens on the way, so the
// process continues as new). After each step the process settles into a
// state that keeps the rules of RULES §4 (brandInvariants); at the end the
// history of every run replays on the current workflow code — the check the
// time-skipping environment, which keeps no history, cannot make.
func TestDecision_OpenMatters_RandomLivesReplayFromTheDevServer(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BM" // brand IDs of its own: the package's other dev-server tests start brand-B9001 …
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(workflows.BrandWorkflow)
	base := uint64(time.Now().UnixNano())
	if *modelSeed != 0 {
		base = *modelSeed
	}
	for i := range *devLives {
		seed := base + uint64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Logf("rerun: go test ./workflows -run RandomLivesReplay -model.seed=%d -model.devlives=1", seed)
			b := s.start(t, "2023-03-16", at("2025-02-03", 10), 10*86400)
			rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
			steps := modelSteps(rng)
			var log []string
			for k := range 20 {
				time.Sleep(time.Duration(100+rng.IntN(1400)) * time.Millisecond)
				st, err := b.state()
				if err != nil {
					t.Fatalf("query: %v", err)
				}
				if st.Status == workflows.BrandStatusRemoved {
					break
				}
				step := steps[rng.IntN(len(steps))]
				id := fmt.Sprintf("%s-s%d", b.in.BrandID, k)
				outcome := "done"
				if name, arg := step.do(b, id, st); name != "" {
					outcome = "applied"
					if err := b.update(id, name, arg); err != nil {
						if _, refused := anyRejection(err); !refused {
							t.Errorf("%s: %v, want applied or refused", step.name, err)
						}
						outcome = "refused"
					}
				}
				log = append(log, b.today().String()+" "+step.name+" "+outcome)
				if broken := b.settledRules(); len(broken) > 0 {
					t.Errorf("after %q: %v", log, broken)
				}
			}
			b.finish()
			histories := b.histories()
			for j, h := range histories {
				if err := replayer.ReplayWorkflowHistory(testLogger(t), h); err != nil {
					t.Errorf("run %d of %d does not replay: %v", j+1, len(histories), err)
				}
			}
			t.Logf("%d runs replayed after %q", len(histories), log)
		})
	}
}

// settledRules waits up to two seconds for the process to settle into a
// state that keeps every rule (a step under way may hold it between two
// deadlines) and returns what is still broken.
func (b *liveBrand) settledRules() []string {
	var broken []string
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	testenv.PollEvery(ctx, 20*time.Millisecond, func() bool {
		st, err := b.state()
		if err != nil {
			broken = []string{err.Error()}
			return false
		}
		broken = brandInvariants(st)
		return len(broken) == 0
	})
	return broken
}

// finish ends the life: a removed brand's process ends by itself, any
// other is terminated.
func (b *liveBrand) finish() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if st, err := b.state(); err == nil && st.Status != workflows.BrandStatusRemoved {
		b.terminate()
		return
	}
	if err := b.s.c.GetWorkflow(ctx, workflows.BrandWorkflowID(b.in.BrandID), "").Get(ctx, nil); err != nil {
		b.t.Fatalf("removed brand's process: %v", err)
	}
}

// A brand on the dev server as a modelWorld.
func (b *liveBrand) testingT() *testing.T           { return b.t }
func (b *liveBrand) db() *store.Store               { return b.s.store }
func (b *liveBrand) brand() workflows.BrandInput    { return b.in }
func (b *liveBrand) businessNow() time.Time         { return b.in.Clock.Now() }
func (b *liveBrand) countyOfficer() workflows.Actor { return b.county }
func (b *liveBrand) holder() workflows.Actor {
	return workflows.Actor{Sub: "holder", Role: "applicant", USCC: b.in.USCC}
}
func (b *liveBrand) lostSignal(bool) {} // the register is checked in the time-skipping lives
func (b *liveBrand) tell(signal string, arg any) {
	if err := b.s.c.SignalWorkflow(context.Background(), workflows.BrandWorkflowID(b.in.BrandID), "", signal, arg); err != nil {
		b.t.Fatalf("signal %s: %v", signal, err)
	}
}
