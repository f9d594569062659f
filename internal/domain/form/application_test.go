package form_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

func TestNormalize(t *testing.T) {
	a := regionalForm()
	a.BrandName = "\u3000安宁玫瑰 "
	a.USCC = " ５１５３０１８１mj0000001u "
	a.ContactPhone = "０８７１－６３１２３４５６"
	a.Honours = []string{"", " 云南省劳务品牌 ", "\u3000"}
	a.PatentsStandards = []string{" "}
	tm := a.Trademark
	tm.RegistrationNo = " 38123456\t"

	form.Normalize(&a)
	if a.BrandName != "安宁玫瑰" || a.USCC != "51530181MJ0000001U" || a.ContactPhone != "0871-63123456" {
		t.Errorf("strings: %q %q %q", a.BrandName, a.USCC, a.ContactPhone)
	}
	if !slices.Equal(a.Honours, []string{"云南省劳务品牌"}) || a.PatentsStandards != nil {
		t.Errorf("lists: %q %q", a.Honours, a.PatentsStandards)
	}
	if a.Trademark.RegistrationNo != "38123456" || tm.RegistrationNo != " 38123456\t" {
		t.Errorf("trademark: %q, original %q", a.Trademark.RegistrationNo, tm.RegistrationNo)
	}
	b := a
	form.Normalize(&b)
	if !reflect.DeepEqual(a, b) {
		t.Error("Normalize is not idempotent")
	}
}

// TestJSONNames: API.md "Application form" — every field has its contract name.
func TestJSONNames(t *testing.T) {
	body := `{"round_id":"r1","brand_name":"安宁玫瑰","brand_type":"regional","category":"planting_breeding",
	"county_code":"530181","contact_name":"李玫","contact_phone":"13888123456","unit_name":"协会",
	"legal_representative":"张云华","unit_address":"安宁市","registration_place":"安宁市","uscc":"51530181MJ0000001U",
	"registered_on":"2012-05-18","registered_capital_wan":3,"labor_income_wan":18500.5,"worker_annual_income_wan":4.86,
	"industry_scale_wan":1,"direct_employees":3200,"driven_employment":12000,"direct_poverty_alleviated":260,
	"driven_poverty_alleviated":940,"associated_enterprises":46,"trainees_two_years":5400,"has_patent_or_standard":true,
	"patents_standards":["规程"],"honours":["荣誉"],"development_plan":"规划","typical_persons":"人物","commitment":true,
	"trademark":{"registered":true,"registration_no":"38123456"},"industry_association":"协会","fixed_premises":true,
	"standards_led":false,"intangible_heritage":false,"follow_up_service":"回访","uscc_override_reason":"原因"}`
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	var a form.Application
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("decode: %v", err)
	}
	v := reflect.ValueOf(a)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Errorf("field %s was not filled from its API name", v.Type().Field(i).Name)
		}
	}
	var back map[string]any
	out, _ := json.Marshal(a)
	if err := json.Unmarshal(out, &back); err != nil || len(back) != v.NumField() {
		t.Errorf("re-encoded %d keys, want %d", len(back), v.NumField())
	}
}
