package api

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// describeApplicationForm gives the 推荐表's schema what internal/domain/form
// defines: each field's label on 附件1, its bounds, and which fields every
// form must fill (asked of form.Validate itself, so the two cannot differ).
func describeApplicationForm(s *openapi3.Schema) {
	always := missing("")
	regional := missing(form.Regional)
	enterprise := missing(form.Enterprise)
	s.Required = nil
	for name, p := range s.Properties {
		v := p.Value
		label := form.FieldLabel(name)
		switch {
		case always[name]:
			s.Required = append(s.Required, name)
		case regional[name]:
			label += "（区域公用劳务品牌必填）"
		case enterprise[name]:
			label += "（企业劳务品牌必填）"
		}
		if label != name {
			v.Description = label
		}
		switch {
		case v.Type.Is("integer"):
			v.Min, v.Max = openapi3.Float64Ptr(0), openapi3.Float64Ptr(form.CountMax)
		case v.Type.Is("number"):
			v.Min, v.Max = openapi3.Float64Ptr(0), openapi3.Float64Ptr(form.WanMax)
			v.Description += "，单位万元，最多两位小数"
		case v.Type.Is("array"):
			v.MaxItems = openapi3.Uint64Ptr(form.ListItemsMax)
			v.Items.Value.MaxLength = openapi3.Uint64Ptr(form.ListItemMax)
		}
	}
	slices.Sort(s.Required)
	bound := func(name string, min, max uint64) {
		if p := s.Properties[name]; p != nil {
			p.Value.MinLength, p.Value.MaxLength = min, openapi3.Uint64Ptr(max)
		}
	}
	bound("brand_name", form.BrandNameMin, form.BrandNameMax)
	for _, name := range []string{"unit_name", "legal_representative", "unit_address", "registration_place"} {
		bound(name, 0, form.UnitFieldMax)
	}
	bound("contact_name", 0, form.ContactNameMax)
	bound("development_plan", 0, form.DevelopmentPlanMax)
	bound("typical_persons", 0, form.TypicalPersonsMax)
	bound("follow_up_service", 0, form.FollowUpServiceMax)
	bound("industry_association", 0, form.AssociationMax)
	if p := s.Properties["registered_on"]; p != nil {
		p.Value.Format = "date"
		p.Value.Description += fmt.Sprintf("（%s 至今）", form.EarliestRegistration)
	}
	setEnum(s, "category", "category")
	setEnum(s, "brand_type", "brand_type")
}

// missing are the fields form.Validate asks for on an empty form of type t.
func missing(t form.BrandType) map[string]bool {
	out := map[string]bool{}
	for _, e := range form.Validate(form.Application{BrandType: string(t)}, form.Options{}) {
		out[e.Field] = true
	}
	return out
}

func setEnum(s *openapi3.Schema, property, vocabulary string) {
	if p := s.Properties[property]; p != nil {
		p.Value.Enum = vocabularies[vocabulary].enum()
		p.Value.Extensions = map[string]any{vocabularyExtension: vocabulary}
	}
}
