package form_test

import (
	"encoding/json"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// FuzzApplication: any JSON body that decodes into the form goes through Normalize, Validate and
// Eligibility without panicking, and every reported error names its field and rule.
func FuzzApplication(f *testing.F) {
	for _, a := range []form.Application{regionalForm(), enterpriseForm(), {}} {
		b, _ := json.Marshal(a)
		f.Add(b)
	}
	for _, s := range []string{
		`{"brand_type":"enterprise","industry_scale_wan":1e308,"trainees_two_years":-9223372036854775808}`,
		`{"brand_name":"\u0000\ufffd","uscc":"９１３５０１００Ｍ０００１００Ｙ４３","trademark":{}}`,
		`{"registered_on":"2024-02-29","labor_income_wan":0.1e-10,"honours":["", " "]}`,
		`null`, `[]`, `{"trademark":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var a form.Application
		if json.Unmarshal(body, &a) != nil {
			return
		}
		raw := a
		form.Normalize(&a)
		for _, onBehalf := range []bool{false, true} {
			o := form.Options{Today: today, OnBehalf: onBehalf}
			errs := form.Validate(a, o)
			for _, e := range errs {
				if e.Field == "" || e.Message == "" {
					t.Fatalf("error without field or message: %+v", e)
				}
			}
			if len(form.Validate(raw, o)) != len(errs) {
				t.Fatalf("Validate depends on whether the caller normalised")
			}
		}
		for _, bt := range []string{a.BrandType, "regional", "enterprise"} {
			a.BrandType = bt
			for _, c := range form.Eligibility(a) {
				if c.Criterion == "" || c.Note == "" {
					t.Fatalf("check without criterion or note: %+v", c)
				}
			}
		}
		form.NameWarnings(a.BrandName)
	})
}
