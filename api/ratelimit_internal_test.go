package api

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// The limiters' memory is bounded (issue 12): buckets idle long enough to be
// full again are forgotten, and never more than maxKeys are kept.
func TestLimiterMemoryIsBounded(t *testing.T) {
	l := newLimiter(Rate{N: 1, Per: time.Minute})
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range maxKeys + 5000 {
		l.allow("client-"+strconv.Itoa(i), start)
	}
	if n := len(l.keys); n > maxKeys {
		t.Errorf("%d keys kept, more than %d", n, maxKeys)
	}
	if ok, _ := l.allow("client-0x", start); !ok {
		t.Error("a new client was refused")
	}
	later := start.Add(2 * time.Minute)
	for i := range 1024 {
		l.allow("late-"+strconv.Itoa(i), later)
	}
	if n := len(l.keys); n > 2000 {
		t.Errorf("%d keys kept after the first ones went idle", n)
	}
	if ok, wait := l.allow("late-1", later); ok || wait <= 0 || wait > time.Minute {
		t.Errorf("a second filing within the minute: ok=%v wait=%v", ok, wait)
	}
}

// Identical content for the same target is one filing (RULES §3): width,
// case, spaces and invisible characters do not make it another.
// Hostile input on a public path (RULES §3): a target only asked about —
// a made-up brand or application, refused once asked — keeps no bucket,
// so a stranger's junk targets cost no memory and evict no real one's.
func TestATargetOnlyAskedAboutKeepsNoBucket(t *testing.T) {
	l := newLimiter(Rate{N: 3, Per: time.Hour})
	now := time.Now()
	for i := range 1000 {
		held, ok, _ := l.claim(fmt.Sprintf("report|brand:junk-%d", i), now)
		if !ok {
			t.Fatal("a target never spent was refused")
		}
		held.giveBack()
	}
	if n := len(l.keys); n != 0 {
		t.Errorf("%d buckets kept for targets only asked about, want none", n)
	}
	for range 3 {
		held, _, _ := l.claim("report|brand:B1", now)
		held.keep(now)
	}
	if _, ok, _ := l.claim("report|brand:B1", now); ok || len(l.keys) != 1 {
		t.Errorf("a target spent three times of three: allowed %v, %d buckets", ok, len(l.keys))
	}
}

// RULES §3 (rate-limited per application or brand): filings let in at once
// on a target that has filings stored each hold a token while they are
// handled — they cannot all pass its limit together —, and one refused
// gives its token back, so junk does not use up the limit.
func TestFilingsLetInTogetherCannotPassATargetsLimit(t *testing.T) {
	l := newLimiter(Rate{N: 3, Per: time.Hour})
	now := time.Now()
	first, _, _ := l.claim("objection|application:A1", now)
	first.keep(now) // one stored: the target has a bucket, two tokens left
	var held []hold
	for range 5 { // five at once, none yet stored or refused
		if h, ok, _ := l.claim("objection|application:A1", now); ok {
			held = append(held, h)
		}
	}
	if len(held) != 2 {
		t.Fatalf("%d of five filings let in together with two tokens left, want 2", len(held))
	}
	held[0].giveBack() // refused: its token is back
	held[1].keep(now)
	if _, ok, _ := l.claim("objection|application:A1", now); !ok {
		t.Error("the token of a refused filing was not given back")
	}
}

// RULES §3 (rate-limited per application or brand): on a target nobody
// filed on yet, no more filings are let in at once than its burst — a crowd
// from many addresses all passed before the first was counted — and once
// they settle nothing of them is remembered.
func TestACrowdOnAFreshTargetCannotPassItsLimit(t *testing.T) {
	l := newLimiter(Rate{N: 3, Per: time.Hour})
	now := time.Now()
	var held []hold
	for range 10 { // ten at once, none yet stored or refused
		if h, ok, _ := l.claim("objection|application:A2", now); ok {
			held = append(held, h)
		}
	}
	if len(held) != 3 {
		t.Fatalf("%d of ten filings let in together on a fresh target, want its burst, 3", len(held))
	}
	for _, h := range held {
		h.giveBack()
	}
	if len(l.keys) != 0 || len(l.fresh) != 0 {
		t.Errorf("after all were refused: %d buckets, %d in flight remembered; want none", len(l.keys), len(l.fresh))
	}
	for range 3 {
		h, ok, _ := l.claim("objection|application:A2", now)
		if !ok {
			t.Fatal("a filing refused after the crowd's were given back")
		}
		h.keep(now)
	}
	if _, ok, _ := l.claim("objection|application:A2", now); ok || len(l.fresh) != 0 {
		t.Errorf("the fourth filing of three allowed: %v (%d in flight remembered)", ok, len(l.fresh))
	}
}

func TestDecision_Volume_IdenticalContentIsOneFiling(t *testing.T) {
	a := contentKey([]byte(`{"name":"王某","content":"部分种植户未纳入协会管理","evidence":"证明"}`))
	b := contentKey([]byte(`{"evidence":"证明 ","content":"部分种植户\u200b未纳入协会管理","name":"王某"}`))
	c := contentKey([]byte(`{"name":"王某","content":"另一件事","evidence":"证明"}`))
	if a != b || a == c {
		t.Errorf("keys: same content %v, different content %v", a == b, a != c)
	}
	// The body is decoded whatever the case of its keys: so is its key.
	if d := contentKey([]byte(`{"Name":"王某","CONTENT":"部分种植户未纳入协会管理","evidence":"证明"}`)); d != a {
		t.Error("the same content under keys spelled in capitals is another filing")
	}
	// A key spelled twice is decoded as its later spelling: never the same
	// filing as the earlier one's content alone — and the same filing as
	// the later one's, however its bytes are spaced.
	if e := contentKey([]byte(`{"name":"王某","content":"部分种植户未纳入协会管理","Content":"另一件事","evidence":"证明"}`)); e == a || e != c {
		t.Errorf("a body whose later content differs: the genuine filing %v, the later content's %v", e == a, e == c)
	}
	if f := contentKey([]byte(` { "name" : "王某", "content":"x",  "Content" : "另一件事", "evidence":"证明" } `)); f != c {
		t.Error("a key spelled twice made the same filing another by its spacing")
	}
	// A null leaves a field as it was, as the decoder does; a key is
	// matched as the decoder matches it (ſ is s).
	if h := contentKey([]byte(`{"name":"王某","content":"部分种植户未纳入协会管理","content":null,"evidence":"证明","contact":null}`)); h != a {
		t.Error("nulls made the same filing another")
	}
	if contentKey([]byte(`{"content":"x","postmarked_on":"2026-12-01"}`)) != contentKey([]byte(`{"content":"x","po\u017ftmarked_on":"2026-12-01"}`)) {
		t.Error("a key spelled with ſ made the same filing another")
	}
	// An optional field sent empty is the field left out, as the handler
	// takes it.
	if g := contentKey([]byte(`{"name":"王某","content":"部分种植户未纳入协会管理","evidence":"证明","received_on":"","postmarked_on":""}`)); g != a {
		t.Error("empty optional fields made the same filing another")
	}
}

// Hostile input (issue 12): a client is an IPv4 address or an IPv6 /64, so
// that rotating addresses within what one subscriber is given does not
// escape a public filing's limit, nor the console's sign-in and
// registration limit.
func TestAClientIsAnIPv4AddressOrAnIPv6Slash64(t *testing.T) {
	for ip, want := range map[string]string{
		"203.0.113.7":             "203.0.113.7",
		"2001:db8:1:2::1":         "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:1:2:3": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":         "2001:db8:1:3::/64",
		"::ffff:203.0.113.7":      "203.0.113.7", // the IPv4 client, as a proxy may write it
		"not an address":          "not an address",
	} {
		if got := ClientKey(ip); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", ip, got, want)
		}
	}
}

// Hostile input: a subscriber is delegated a /56 (256 /64s) and a tunnel
// a /48 (65,536): rotating its /64s, a client would have a limit for each.
// A /56 may make sixteen times a client's requests, a /48 256 times (a
// carrier's pool of phones, each a /64 of one /48, still fits); a refusal
// takes nothing from the others; an IPv4 address is one client, however a
// proxy writes it.
func TestAnIPv6SubscribersSlash64sShareTheLimitsOfTheirPrefix(t *testing.T) {
	c := newClientLimiter(Rate{N: 2, Per: time.Hour})
	now := time.Now()
	allowed := func(ips ...string) int {
		n := 0
		for _, ip := range ips {
			if ok, wait := c.allow("objection", ip, now); ok {
				n++
			} else if wait <= 0 {
				t.Errorf("%s refused with no wait", ip)
			}
		}
		return n
	}
	var line []string // one /56: twenty /64s, three requests each
	for i := range 20 {
		ip := fmt.Sprintf("2001:db8:0:%x::1", i)
		line = append(line, ip, ip, ip)
	}
	if n := allowed(line...); n != 32 {
		t.Errorf("a /56 rotating its /64s was allowed %d requests, want 32 (sixteen times a client's 2)", n)
	}
	if n := allowed("2001:db8:0:ff::1"); n != 0 {
		t.Error("an untouched /64 of the spent /56 was allowed")
	}
	var tunnel []string // one /48: its 256 /56s, two /64s each, two requests each
	for i := range 256 {
		a, b := fmt.Sprintf("2001:db8:1:%02x00::1", i), fmt.Sprintf("2001:db8:1:%02x01::1", i)
		tunnel = append(tunnel, a, a, b, b)
	}
	if n := allowed(tunnel...); n != 512 {
		t.Errorf("a /48 rotating its /56s was allowed %d requests, want 512 (256 times a client's 2)", n)
	}
	if n := allowed("2001:db8:2::1", "2001:db8:2::1", "2001:db8:2::1"); n != 2 {
		t.Errorf("a /64 of another /48 was allowed %d of 3, want its own 2", n)
	}
	if n := allowed("203.0.113.7", "::ffff:203.0.113.7", "203.0.113.7", "203.0.113.8"); n != 3 {
		t.Errorf("two IPv4 clients, one written two ways, were allowed %d of 4, want 3", n)
	}
}
