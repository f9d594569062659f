package api

import "testing"

// RULES §3 Decision — clean text: what passes. Invisible characters inside
// visible text pass (the name key folds them); newlines and tabs only in
// long text.
func TestDecision_CleanText_WhatPasses(t *testing.T) {
	for _, tc := range []struct {
		s         string
		multiline bool
		ok        bool
	}{
		{"昆明家政服务", false, true},
		{"昆明\u200d家政", false, true},
		{"  ", false, true}, // blank: the field's own rule says it is required
		{"", false, true},
		{"第一段\n\t第二段", true, true},
		{"第一段\n第二段", false, false},
		{"👩\u200d🍳 厨师", false, true},
		{"a\u2028b", true, true},
		{"a\u2028b", false, false},
		{"a\rb", true, false},
	} {
		if got := textProblem(tc.s, tc.multiline) == ""; got != tc.ok {
			t.Errorf("textProblem(%q, multiline=%v) = %q, want ok=%v", tc.s, tc.multiline, textProblem(tc.s, tc.multiline), tc.ok)
		}
	}
}
