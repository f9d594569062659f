package account

import (
	"testing"
	"time"
)

// Hostile input on public paths (sign-in, registration): argon2id holds
// 19 MiB while it runs, so no more than the bound run at once; a hash asked
// for while the bound is full waits for a turn, then is computed.
func TestHashesRunWithinTheirBound(t *testing.T) {
	for range cap(hashing) {
		hashing <- struct{}{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := HashPassword("Kunming-2026-password"); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-done:
		t.Fatal("a hash ran while the bound was full")
	case <-time.After(200 * time.Millisecond):
	}
	<-hashing // one turn frees
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting hash did not run when a turn freed")
	}
	for range cap(hashing) - 1 {
		<-hashing
	}
}

// 等保 2.0 8.1.4.1 a: a temporary password meets the policy for its
// account, whatever the name — one that the prefix would contain (lb-)
// included, which before was drawn for ever.
func TestTemporaryPasswordsMeetThePolicy(t *testing.T) {
	for _, name := range []string{"lb-", "LB-", "anning", "abc"} {
		p, err := TemporaryPassword(name)
		if err != nil || CheckPolicy(name, p) != "" || len(p) != 15 {
			t.Errorf("for %q: %q %v (%s)", name, p, err, CheckPolicy(name, p))
		}
	}
}
