package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// mix is a weighted choice of operation kinds.
type mix struct {
	kinds   []string
	weights []int
	total   int
}

// mixKinds are the operation kinds a mix may name.
var mixKinds = []string{"submit", "decide", "read", "objection"}

// parseMix reads "submit=1,decide=3,read=5,objection=1".
func parseMix(s string) (mix, error) {
	var m mix
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return m, fmt.Errorf("--mix: %q is not kind=weight", part)
		}
		known := false
		for _, kind := range mixKinds {
			known = known || kind == k
		}
		if !known {
			return m, fmt.Errorf("--mix: unknown kind %q (want %s)", k, strings.Join(mixKinds, ", "))
		}
		if n > 0 {
			m.kinds, m.weights, m.total = append(m.kinds, k), append(m.weights, n), m.total+n
		}
	}
	if m.total == 0 {
		return m, fmt.Errorf("--mix: %q has no positive weight", s)
	}
	return m, nil
}

func (m mix) pick(r *rand.Rand) string {
	n := r.IntN(m.total)
	for i, w := range m.weights {
		if n < w {
			return m.kinds[i]
		}
		n -= w
	}
	return m.kinds[len(m.kinds)-1]
}
