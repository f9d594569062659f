package workflows

import "strings"

// ActionLabel is a history step's Chinese name (the action a process
// records, e.g. county_review.approve → 初审通过), for pages that show a
// history; an unknown action is returned as it is.
func ActionLabel(action string) string { return actionLabel(action) }

// CategoryLabel is a brand category's Chinese name (附件1).
func CategoryLabel(category string) string { return categoryLabel(category) }

// StepNote is a history step's note for people. Some notes carry codes as
// the record keeps them, in the steps both processes have always written: a
// calendar revision lists the deadlines it moved by key ("…：rectification →
// 2027-01-04；…"), a finding starts with its reason (logo_misuse), a removal
// report with its situations (serious_violation,fraud：…). Each is named in
// Chinese here, so that old steps read the same as new ones.
func StepNote(action, note string) string {
	switch {
	case action == "deadlines.recomputed":
		return recomputedNote(note)
	case strings.HasPrefix(action, "finding.level"):
		code, rest := leadingCode(note)
		if l, known := findingReasonLabels[code]; known {
			return l + rest
		}
	case action == "removal.reported":
		codes, rest, ok := strings.Cut(note, "：")
		if !ok {
			return note
		}
		var names []string
		for _, c := range strings.Split(codes, ",") {
			names = append(names, RemovalReasonLabel(c))
		}
		return strings.Join(names, "；") + "：" + rest
	}
	return note
}

// A calendar revision's step lists the deadlines it moved by key:
// "节假日安排更新，期限重新计算：key → day；key → day" (store reads it too, to
// leave out what a holder does not see). Applications' steps written before
// this form end with a separator.
const (
	recomputedHead  = "节假日安排更新，期限重新计算："
	recomputedSep   = "；"
	recomputedArrow = " → "
)

// recomputedNoteOf is the note of the step for the deadlines changed.
func recomputedNoteOf(changed []*Deadline) string {
	parts := make([]string, len(changed))
	for i, d := range changed {
		parts[i] = d.Key + recomputedArrow + d.Value().Due.String()
	}
	return recomputedHead + strings.Join(parts, recomputedSep)
}

// recomputedNote names each deadline of a revision's note.
func recomputedNote(note string) string {
	head, list, ok := strings.Cut(note, "：")
	if !ok {
		return note
	}
	parts := strings.Split(strings.TrimSuffix(list, recomputedSep), recomputedSep)
	for i, p := range parts {
		key, due, ok := strings.Cut(p, recomputedArrow)
		if !ok {
			continue
		}
		// objection_ruling:<id>, change:<id>, …: the id tells one from another.
		kind, id, _ := strings.Cut(key, ":")
		label := DeadlineKindLabel(kind)
		if id != "" {
			label += "（" + id + "）"
		}
		parts[i] = label + recomputedArrow + due
	}
	return head + "：" + strings.Join(parts, recomputedSep)
}

// leadingCode splits a note into the code it starts with (lower case and
// underscores) and the rest.
func leadingCode(note string) (code, rest string) {
	end := strings.IndexFunc(note, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '_') })
	if end < 0 {
		end = len(note)
	}
	return note[:end], note[end:]
}
