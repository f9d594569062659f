package form_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

func check(t *testing.T, checks []form.Check, criterion string) form.Check {
	t.Helper()
	for _, c := range checks {
		if c.Criterion == criterion {
			return c
		}
	}
	t.Fatalf("no %s in %v", criterion, checks)
	return form.Check{}
}

// TestEligibilityChecklist: the full checklist of a form that meets every criterion, in the
// order of RULES §2's table.
func TestEligibilityChecklist(t *testing.T) {
	tests := []struct {
		name string
		a    form.Application
		want []form.Check // Note is checked for being non-empty only
	}{
		{"第八条: a regional brand", regionalForm(), []form.Check{
			{Criterion: "distinct_name_reputation", Result: "reviewer"},
			{Criterion: "direct_employees", Result: "met"},
			{Criterion: "driven_employment", Result: "met"},
			{Criterion: "industry_association", Result: "met"},
			{Criterion: "trained_workforce", Result: "reviewer"},
		}},
		{"第九条: an enterprise brand", enterpriseForm(), []form.Check{
			{Criterion: "distinct_name_reputation", Result: "reviewer"},
			{Criterion: "fixed_premises", Result: "met"},
			{Criterion: "industry_scale", Result: "met"},
			{Criterion: "labor_income", Result: "met"},
			{Criterion: "standards_led", Result: "met"},
			{Criterion: "trainees_two_years", Result: "met"},
			{Criterion: "follow_up_service", Result: "met"},
		}},
		{"an unknown brand type has no checklist", form.Application{BrandType: "county"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := form.Eligibility(tt.a)
			if len(got) != len(tt.want) {
				t.Fatalf("Eligibility = %v, want %v", got, tt.want)
			}
			for i, c := range got {
				if c.Criterion != tt.want[i].Criterion || c.Result != tt.want[i].Result || c.Note == "" {
					t.Errorf("check %d = %+v, want %+v with a note", i, c, tt.want[i])
				}
			}
		})
	}
}

// TestEligibilityThresholds: 民法典第一千二百五十九条 — 以上 includes the number, 超过 excludes it.
func TestEligibilityThresholds(t *testing.T) {
	tests := []struct {
		name      string
		base      func() form.Application
		change    func(*form.Application)
		criterion string
		result    string
		note      string // substring: the value and the threshold
	}{
		{"第八条（二）: 直接从业人员超过1000人 — exactly 1000 is not met", regionalForm,
			func(a *form.Application) { a.DirectEmployees = new(int64(1000)) }, "direct_employees", "not_met", "直接从业人员1000人，须超过1000人"},
		{"第八条（二）: 直接从业人员超过1000人 — 1001 is met", regionalForm,
			func(a *form.Application) { a.DirectEmployees = new(int64(1001)) }, "direct_employees", "met", "直接从业人员1001人"},
		{"第八条（二）: 带动就业人员超过2500人 — exactly 2500 is not met", regionalForm,
			func(a *form.Application) { a.DrivenEmployment = new(int64(2500)) }, "driven_employment", "not_met", "带动就业人员2500人，须超过2500人"},
		{"第八条（二）: 带动就业人员超过2500人 — 2501 is met", regionalForm,
			func(a *form.Application) { a.DrivenEmployment = new(int64(2501)) }, "driven_employment", "met", "2501人"},
		{"第八条（二）: a missing figure is not met", regionalForm,
			func(a *form.Application) { a.DirectEmployees = nil }, "direct_employees", "not_met", "未填写"},
		{"第八条（三）: no industry association is not met", regionalForm,
			func(a *form.Application) { a.IndustryAssociation = " " }, "industry_association", "not_met", "未填写行业协会载体"},
		{"第八条（三）: the association is named in the note", regionalForm,
			nil, "industry_association", "met", "安宁市玫瑰产业协会"},
		{"第八条（四）: the trained workforce is the reviewer's judgement", regionalForm,
			nil, "trained_workforce", "reviewer", "近两年培训5400人次"},
		{"第九条（三）: 年经济规模2500万元以上 — 2500.00 is met", enterpriseForm,
			func(a *form.Application) { a.IndustryScaleWan = new(2500.00) }, "industry_scale", "met", "产业年经济规模2500万元，须在2500万元以上"},
		{"第九条（三）: 年经济规模2500万元以上 — 2499.99 is not met", enterpriseForm,
			func(a *form.Application) { a.IndustryScaleWan = new(2499.99) }, "industry_scale", "not_met", "2499.99万元"},
		{"第九条（三）: 劳务经济收入1000万元以上 — 1000 is met", enterpriseForm,
			func(a *form.Application) { a.LaborIncomeWan = new(1000.0) }, "labor_income", "met", "劳务经济收入1000万元，须在1000万元以上"},
		{"第九条（三）: 劳务经济收入1000万元以上 — 999.99 is not met", enterpriseForm,
			func(a *form.Application) { a.LaborIncomeWan = new(999.99) }, "labor_income", "not_met", "999.99万元"},
		{"第九条（三）: a missing scale is not met", enterpriseForm,
			func(a *form.Application) { a.IndustryScaleWan = nil }, "industry_scale", "not_met", "未填写产业年经济规模"},
		{"第九条（一）: no fixed premises is not met", enterpriseForm,
			func(a *form.Application) { a.FixedPremises = new(false) }, "fixed_premises", "not_met", "不具有固定经营活动场所"},
		{"第九条（四）: not leading or joining a standard is not met", enterpriseForm,
			func(a *form.Application) { a.StandardsLed = new(false) }, "standards_led", "not_met", "第九条（四）"},
		{"第九条（四）: an unanswered standards question is not met", enterpriseForm,
			func(a *form.Application) { a.StandardsLed = nil }, "standards_led", "not_met", "未填写"},
		{"第九条（五）: 培训超过500人 — exactly 500 is not met", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears, a.IntangibleHeritage = new(int64(500)), new(false) },
			"trainees_two_years", "not_met", "近两年培训500人次，须超过500人次"},
		{"第九条（五）: 培训超过500人 — 501 is met", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears, a.IntangibleHeritage = new(int64(501)), new(false) },
			"trainees_two_years", "met", "501人次"},
		{"第九条（五）, RULES §2 the gate: 非遗 with 500 is not met but relaxable", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears = new(int64(500)) },
			"trainees_two_years", "not_met", "非物质文化遗产类企业可适当放宽标准"},
		{"第九条（五）, RULES §2 the gate: 非遗 with 120 trainees is not met but relaxable", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears = new(int64(120)) },
			"trainees_two_years", "not_met", "近两年培训120人次，须超过500人次"},
		{"第九条（五）: 非遗 above 500 is simply met", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears = new(int64(860)) }, "trainees_two_years", "met", "860人次"},
		{"第九条（五）: an unanswered 非遗 question gives no relaxation", enterpriseForm,
			func(a *form.Application) { a.TraineesTwoYears, a.IntangibleHeritage = new(int64(120)), nil },
			"trainees_two_years", "not_met", "120人次"},
		{"第九条（六）: no follow-up service is not met", enterpriseForm,
			func(a *form.Application) { a.FollowUpService = "" }, "follow_up_service", "not_met", "未填写劳务跟踪服务"},
		{"第九条（二）: distinct name is the reviewer's, with the trademark in the note", enterpriseForm,
			nil, "distinct_name_reputation", "reviewer", "商标已注册，注册号20456789"},
		{"第五条: the name warning is shown to the reviewer", regionalForm,
			func(a *form.Application) { a.BrandName = "滇味厨师" }, "distinct_name_reputation", "reviewer", "未体现地名"},
		{"第八条（一）: an unregistered trademark is noted", regionalForm,
			func(a *form.Application) { a.Trademark = &form.Trademark{Registered: new(false)} }, "distinct_name_reputation", "reviewer", "商标未注册"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.base()
			if tt.change != nil {
				tt.change(&a)
			}
			c := check(t, form.Eligibility(a), tt.criterion)
			if c.Result != tt.result {
				t.Errorf("result = %s, want %s (note %q)", c.Result, tt.result, c.Note)
			}
			if want := strings.Contains(tt.name, "relaxable"); c.Relaxable != want {
				t.Errorf("relaxable = %v, want %v", c.Relaxable, want)
			}
			if !strings.Contains(c.Note, tt.note) {
				t.Errorf("note %q does not contain %q", c.Note, tt.note)
			}
		})
	}
}

// RULES §2 Decision — what blocks a submission: unmet criteria are not validation errors.
func TestDecision_WhatBlocksASubmission_UnmetCriteriaAreNotValidationErrors(t *testing.T) {
	a := regionalForm()
	a.DirectEmployees, a.DrivenEmployment = new(int64(12)), new(int64(40))
	if errs := form.Validate(a, onDate); len(errs) != 0 {
		t.Errorf("Validate = %v, want no errors for a small brand", errs)
	}
	results := []string{}
	for _, c := range form.Eligibility(a) {
		results = append(results, c.Result)
	}
	if want := []string{"reviewer", "not_met", "not_met", "met", "reviewer"}; !slices.Equal(results, want) {
		t.Errorf("results = %v, want %v", results, want)
	}
}
