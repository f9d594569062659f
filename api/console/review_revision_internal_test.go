package console

import (
	"testing"
)

// RULES §2 the gate: a review's form carries the revision of the 推荐表 its
// page showed, through the confirmation step, to the API — which refuses a
// review of a form a resubmission has since replaced — and the
// confirmation does not list it as something the officer entered.
func TestAReviewCarriesTheRevisionItShowed(t *testing.T) {
	v := &applicationView{}
	v.App.FormRevision = 2
	var county *decision
	for _, d := range decisions {
		if d.name == "county-review" {
			county = d
		}
	}
	fields := county.fieldsOf(v)
	if fields[len(fields)-1] != reviewedRevision {
		t.Fatalf("the review's fields %v do not carry %s through the confirmation", fields, reviewedRevision)
	}
	vals := map[string]string{"decision": "approve", "opinion": "同意", reviewedRevision: "2"}
	body, errs := county.body(vals, v)
	if b, _ := body.(map[string]any); errs != nil || b[reviewedRevision] != 2 {
		t.Errorf("the API body %v (%v), want form_revision 2", body, errs)
	}
	for _, row := range county.summary(vals, v) {
		if row.Value == "2" || row.Label == "" {
			t.Errorf("the confirmation lists %+v", row)
		}
	}
}
