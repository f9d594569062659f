package workflows

// ActionLabel is a history step's Chinese name (the action a process
// records, e.g. county_review.approve → 初审通过), for pages that show a
// history; an unknown action is returned as it is.
func ActionLabel(action string) string { return actionLabel(action) }

// CategoryLabel is a brand category's Chinese name (附件1).
func CategoryLabel(category string) string { return categoryLabel(category) }
