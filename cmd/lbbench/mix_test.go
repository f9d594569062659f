package main

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestParseMix(t *testing.T) {
	m, err := parseMix("submit=1, decide=3,read=0,objection=2")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.kinds, []string{"submit", "decide", "objection"}) || m.total != 6 {
		t.Errorf("mix %+v", m)
	}
	r := rand.New(rand.NewPCG(7, 7))
	n := map[string]int{}
	for range 60000 {
		n[m.pick(r)]++
	}
	if n["read"] != 0 || n["decide"] < 29000 || n["decide"] > 31000 {
		t.Errorf("picks follow the weights: %v", n)
	}
	for _, bad := range []string{"", "submit", "submit=x", "fly=1", "read=0", "decide=-1"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}
