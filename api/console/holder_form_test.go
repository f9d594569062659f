package console

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
)

// A stored 推荐表 read back into the page's values and sent again is the
// same form: a returned application resubmitted unchanged says what it said.
func TestHolderForm_AStoredFormRoundTripsThroughThePage(t *testing.T) {
	for name, f := range map[string]demo.Form{"regional": demo.Rose(), "enterprise": demo.Embroidery()} {
		var stored map[string]any
		raw, _ := json.Marshal(f)
		_ = json.Unmarshal(raw, &stored)
		body, errs := applicationBody(formValuesOf(stored))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		var again map[string]any
		raw, _ = json.Marshal(body)
		_ = json.Unmarshal(raw, &again)
		if !reflect.DeepEqual(stored, again) {
			t.Errorf("%s:\nstored %v\nsent   %v", name, stored, again)
		}
	}
}

// What cannot be read as a number is named by the page and left out of the
// body, so the API judges every other field.
func TestHolderForm_UnreadableNumbersAreNamedBesideTheirFields(t *testing.T) {
	body, errs := applicationBody(map[string]string{"direct_employees": "三千", "labor_income_wan": "1,200.5", "brand_name": "安宁玫瑰"})
	if errs["direct_employees"] == "" || body["direct_employees"] != nil {
		t.Errorf("三千: %v %v", errs, body["direct_employees"])
	}
	if body["labor_income_wan"] != 1200.5 || errs["labor_income_wan"] != "" {
		t.Errorf("1,200.5: %v %v", errs, body["labor_income_wan"])
	}
}

// The checklist follows the values typed: 第八条（二）'s 超过1000人 is not met
// by 1000 and is by 1001, and the line names its article.
func TestHolderForm_第八条_TheLiveChecklistFollowsTheNumbersTyped(t *testing.T) {
	result := func(n string) (string, string) {
		for _, c := range eligibilityOf(map[string]string{"brand_type": "regional", "direct_employees": n}) {
			if c.Criterion == "direct_employees" {
				return c.Result, c.Article
			}
		}
		return "", ""
	}
	if r, art := result("1000"); r != "not_met" || art != "第八条（二）" {
		t.Errorf("1000: %s %s", r, art)
	}
	if r, _ := result("1001"); r != "met" {
		t.Errorf("1001: %s", r)
	}
}
