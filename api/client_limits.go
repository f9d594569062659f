package api

import (
	"net/netip"
	"time"

	"golang.org/x/time/rate"
)

// clientLimiter limits a client — an IPv4 address, an IPv6 /64 — and, for
// IPv6, the wider prefixes one subscriber or tunnel is given: a home line
// is delegated a /56 (256 /64s) and a free tunnel a /48 (65,536), so a
// limit of the /64 alone was one limit for each. A /56 may make sixteen
// times a client's, a /48 256 times: a carrier's pool, whose phones each
// have a /64 of one /48, or an office of several clients still fits; a
// subscriber rotating its /64s gets a bounded share, not thousands.
type clientLimiter struct {
	steps []prefixLimit
}

type prefixLimit struct {
	bits int // the IPv6 prefix length; 0 for the client itself
	l    *limiter
}

func newClientLimiter(r Rate) *clientLimiter {
	return &clientLimiter{steps: []prefixLimit{{0, newLimiter(r)}, {56, newLimiter(r.times(16))}, {48, newLimiter(r.times(256))}}}
}

// times is r allowing n times as much in the same period.
func (r Rate) times(n int) Rate { return Rate{N: r.N * n, Per: r.Per} }

// allow takes one token for the client at ip in scope ("" or a kind of
// filing) from each of its prefixes; when one has none, it takes none and
// says how long until there is.
func (c *clientLimiter) allow(scope, ip string, now time.Time) (bool, time.Duration) {
	var taken []*rate.Reservation
	var wait time.Duration
	for _, step := range c.steps {
		key, ok := prefixKey(ip, step.bits)
		if !ok {
			continue // IPv4: the address is the client, and the only key
		}
		r := step.l.take(scope+"|"+key, now)
		if r == nil {
			continue // no limit
		}
		taken = append(taken, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait > 0 {
		for _, r := range taken {
			r.CancelAt(now) // at the instant reserved: back in full
		}
		return false, wait
	}
	return true, 0
}

// prefixKey is the key of ip's client (bits 0) or of its IPv6 /bits; false
// when ip has no such prefix (an IPv4 address's wider prefixes).
func prefixKey(ip string, bits int) (string, bool) {
	if bits == 0 {
		return ClientKey(ip), true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Unmap().Is6() {
		return "", false
	}
	prefix, _ := addr.Prefix(bits)
	return prefix.String(), true
}

// ClientKey is whom a public filing, a sign-in or a registration counts
// against: an IPv4 address, or an IPv6 address's /64 — what one subscriber
// is given at the least, so rotating the address within it does not make a
// new client (the wider prefixes are limited too: clientLimiter).
func ClientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	switch {
	case err != nil:
		return ip
	case !addr.Unmap().Is6(): // an IPv4 address, however a proxy wrote it
		return addr.Unmap().String()
	}
	prefix, _ := addr.Prefix(64)
	return prefix.String()
}
